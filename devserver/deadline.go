package devserver

import (
	"net/http"
	"time"
)

// writeChunk is the most deadlineWriter writes under one deadline. At
// 10 KB/s a browser takes a few seconds to take it, far less than
// writeIdle, so a slow link is never mistaken for a dead one.
const writeChunk = 32 << 10

// withWriteDeadline returns w made to give up on a browser that takes
// nothing for idle: before each chunk of a write, and each flush, it moves
// the connection's write deadline to idle from now. A deadline for the
// whole response (http.Server's WriteTimeout) would cut a large file on a
// slow link; this one cuts only a reader that stopped, which would
// otherwise hold its connection, its file and their buffers for as long as
// it liked. net/http clears the deadline once the response is done, and
// on Hijack, so it never outlives the request. A ResponseWriter with no
// deadlines to set (a test's recorder) is returned as it is.
func withWriteDeadline(w http.ResponseWriter, idle time.Duration) http.ResponseWriter {
	rc := http.NewResponseController(w)
	if rc.SetWriteDeadline(time.Now().Add(idle)) != nil {
		return w
	}
	return &deadlineWriter{ResponseWriter: w, rc: rc, idle: idle}
}

// deadlineWriter is the ResponseWriter withWriteDeadline returns.
type deadlineWriter struct {
	http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		d.rc.SetWriteDeadline(time.Now().Add(d.idle))
		k, err := d.ResponseWriter.Write(p[n:min(len(p), n+writeChunk)])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// FlushError flushes under a fresh deadline; http.ResponseController
// finds it.
func (d *deadlineWriter) FlushError() error {
	d.rc.SetWriteDeadline(time.Now().Add(d.idle))
	return d.rc.Flush()
}

// Unwrap lets http.ResponseController reach the connection's other
// controls.
func (d *deadlineWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }
