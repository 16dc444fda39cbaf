package devserver

import (
	"io"
	"net/http"
	"time"
)

// writeChunk is the most deadlineWriter writes under one deadline. At
// 10 KB/s a browser takes 13 s to take it, well within writeIdle, so a
// slow link is never mistaken for a dead one; and most assets go in one
// sendfile call, as they would without the deadline.
const writeChunk = 128 << 10

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

// ReadFrom sends src as the ResponseWriter's own ReadFrom does (sendfile
// for a file, which http.ServeContent hands over as an io.LimitedReader),
// writeChunk at a time, each under a fresh deadline; without it, io.Copy
// would see only Write and copy every byte through a buffer.
func (d *deadlineWriter) ReadFrom(src io.Reader) (int64, error) {
	rf, ok := d.ResponseWriter.(io.ReaderFrom)
	if !ok {
		return io.Copy(struct{ io.Writer }{d}, src)
	}
	// The file itself goes in each chunk's LimitedReader, since sendfile
	// looks through one LimitedReader only.
	lr, limited := src.(*io.LimitedReader)
	if !limited {
		lr = &io.LimitedReader{R: src, N: -1}
	}
	var n int64
	for lr.N != 0 {
		step := int64(writeChunk)
		if lr.N > 0 {
			step = min(step, lr.N)
		}
		d.rc.SetWriteDeadline(time.Now().Add(d.idle))
		k, err := rf.ReadFrom(&io.LimitedReader{R: lr.R, N: step})
		n += k
		if lr.N > 0 {
			lr.N -= k
		}
		if err != nil || k < step {
			return n, err // err is nil at the end of src
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
