package devserver

import "io"

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
}

// insert is text to read at offset at of the file.
type insert struct {
	at   int64
	text []byte
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
	shift := int64(0) // the inserts' bytes before o
	for _, in := range s.ins {
		start := in.at + shift
		switch {
		case o < start:
			return s.file.ReadAt(p[:min(int64(len(p)), start-o)], o-shift)
		case o < start+int64(len(in.text)):
			return copy(p, in.text[o-start:]), nil
		}
		shift += int64(len(in.text))
	}
	return s.file.ReadAt(p, o-shift)
}
