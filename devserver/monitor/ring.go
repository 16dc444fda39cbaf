package monitor

// Point is one sample of one series: when (Unix milliseconds) and the value.
type Point struct {
	T int64
	V float64
}

// ring keeps the last cap points of a series, oldest first, in a fixed
// array: an hour of samples costs the same memory on the first day as on
// the tenth, however fast the interval.
type ring struct {
	buf  []Point
	next int  // where the next point goes
	full bool // buf has wrapped
}

func newRing(capacity int) *ring { return &ring{buf: make([]Point, capacity)} }

// add appends p, dropping the oldest point once the ring is full.
func (r *ring) add(p Point) {
	r.buf[r.next] = p
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
}

// len is how many points the ring holds.
func (r *ring) len() int {
	if r.full {
		return len(r.buf)
	}
	return r.next
}

// points returns a copy of the points, oldest first.
func (r *ring) points() []Point {
	out := make([]Point, 0, r.len())
	if r.full {
		out = append(out, r.buf[r.next:]...)
	}
	return append(out, r.buf[:r.next]...)
}

// last returns the newest point.
func (r *ring) last() (Point, bool) {
	if r.len() == 0 {
		return Point{}, false
	}
	return r.buf[(r.next-1+len(r.buf))%len(r.buf)], true
}

// since returns the points at or after t (Unix ms), oldest first.
func (r *ring) since(t int64) []Point {
	ps := r.points()
	i := 0
	for i < len(ps) && ps[i].T < t {
		i++
	}
	return ps[i:]
}
