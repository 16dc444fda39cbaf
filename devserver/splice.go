package devserver

import (
	"io"
	"sort"
)

// spliced reads a file as if each insert's text were in it at the insert's
// offset: the client's tag in a page, the hot-update prefix and the
// versions of a module's imports. What is sent streams from the file, so
// nothing but the inserts is held in memory while a browser reads. Should
// the file change while it is sent, the browser gets a mix of the two saves
// (or a short body, which it reports as an error), as with any file
// streamed from disk; the save's update then brings the new one.
type spliced struct {
	file io.ReaderAt
	ins  []insert // by offset, ascending
	// starts[i] is where ins[i] begins in what is read: its offset plus
	// the inserts' bytes before it, so a read finds its place by binary
	// search, however many inserts there are.
	starts []int64
}

// insert is text to read at offset at of the file.
type insert struct {
	at   int64
	text []byte
}

func newSpliced(file io.ReaderAt, ins []insert) spliced {
	s := spliced{file: file, ins: ins, starts: make([]int64, len(ins))}
	shift := int64(0)
	for i, in := range ins {
		s.starts[i] = in.at + shift
		shift += int64(len(in.text))
	}
	return s
}

// size is the length of the first n bytes of the file with the inserts in.
func (s spliced) size(n int64) int64 {
	for _, in := range s.ins {
		n += int64(len(in.text))
	}
	return n
}

func (s spliced) ReadAt(p []byte, off int64) (n int, err error) {
	for n < len(p) && err == nil {
		var k int
		k, err = s.readPart(p[n:], off+int64(n))
		n += k
	}
	return n, err
}

// readPart reads into p from offset o of the result, up to the end of the
// part (file or insert) that o falls in.
func (s spliced) readPart(p []byte, o int64) (int, error) {
	// i is the first insert that begins after o; o is in ins[i-1] or in the
	// file between ins[i-1] and ins[i].
	i := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > o })
	shift, fileEnd := int64(0), int64(-1)
	if i < len(s.ins) {
		fileEnd = s.starts[i]
	}
	if i > 0 {
		prev := s.ins[i-1]
		if end := s.starts[i-1] + int64(len(prev.text)); o < end {
			return copy(p, prev.text[o-s.starts[i-1]:]), nil
		}
		shift = s.starts[i-1] + int64(len(prev.text)) - prev.at
	}
	if fileEnd >= 0 {
		p = p[:min(int64(len(p)), fileEnd-o)]
	}
	return s.file.ReadAt(p, o-shift)
}
