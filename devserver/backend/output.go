package backend

import (
	"bufio"
	"io"
	"strings"
	"sync"
)

// tailLines is how many of a process's last lines a crash report shows.
const tailLines = 20

// output passes a process's output on, one whole line per Write, and keeps
// the last tailLines lines for a crash report.
type output struct {
	w io.Writer

	mu   sync.Mutex
	last []string // ring buffer, oldest at next
	next int
}

func newOutput(w io.Writer) *output { return &output{w: w} }

// copy reads r to its end. A line longer than the buffer is passed on in
// pieces rather than stalling the process on a full pipe.
func (o *output) copy(r io.Reader) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			o.line(strings.TrimRight(string(line), "\r\n"))
		}
		if err != nil && err != bufio.ErrBufferFull {
			return
		}
	}
}

func (o *output) line(s string) {
	o.w.Write([]byte(s + "\n"))
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.last) < tailLines {
		o.last = append(o.last, s)
		return
	}
	o.last[o.next] = s
	o.next = (o.next + 1) % tailLines
}

// tail returns the last lines, oldest first.
func (o *output) tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	lines := append(append([]string(nil), o.last[o.next:]...), o.last[:o.next]...)
	return strings.Join(lines, "\n")
}
