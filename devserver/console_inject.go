package devserver

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// pageFile is folderFile for the URL path of a page a tab shows, where a
// folder's URL ("/", "/about/") names its index.html: the file whose
// inline scripts a frame there points into.
func (f *fileServer) pageFile(p string) (string, bool) {
	if rel, ok := f.folderFile(p); ok {
		return rel, true
	}
	if strings.HasSuffix(p, "/") {
		return f.folderFile(p + "index.html")
	}
	return "", false
}

// tagSpot is where inject puts the client's tag in one version of a page:
// its line and its column there (both from 1), line 0 when the page gets
// no tag or cannot be read.
type tagSpot struct{ line, col int }

// tagSpots remembers the tagSpot of each page version a frame has named,
// so that a page is read once per version (its size, time and file
// identity, as in its ETag) however many frames, messages and tabs name
// it: reading it per frame would let any socket make the server read 16
// MiB fifty times a message. It holds at most maxTagSpots versions.
type tagSpots struct {
	mu    sync.Mutex
	spots map[spotKey]*spotEntry
}

// maxTagSpots bounds tagSpots: a few entries each, so memory is no
// concern; when full the oldest half is dropped and read again if named.
const maxTagSpots = 256

type spotKey struct {
	rel     string
	size    int64
	modtime time.Time
	id      uint64
}

// spotEntry is a version being read (done open) or read.
type spotEntry struct {
	done  chan struct{}
	spot  tagSpot
	added time.Time
}

// column is col of a frame at line of the page as the file has it. A
// browser counts the columns of the page it was sent, and in a page
// inject puts the client's tag (tagLen bytes, ASCII: as many UTF-16
// units) on a line of the page's own (it adds no line, so lines are right
// as they are), before whatever follows it there: that is moved right by
// the tag's length.
func (at tagSpot) column(line, col, tagLen int) int {
	if at.line == 0 || line != at.line || col < at.col+tagLen {
		return col
	}
	return col - tagLen
}

// spot is the tagSpot of the page rel (a folder path, as folderFile
// gives it) as it is on disk now, read at most once per version; callers
// that name a version being read wait for it.
func (s *tagSpots) spot(f *fileServer, rel string) tagSpot {
	if !isHTML(rel) {
		return tagSpot{}
	}
	t, name := f.mounted(path.Clean("/" + rel))
	file, err := t.root.Open("." + name)
	if err != nil {
		return tagSpot{}
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || info.Size() > maxInject {
		return tagSpot{}
	}
	key := spotKey{rel, info.Size(), info.ModTime(), fileID(file, info)}
	s.mu.Lock()
	e, ok := s.spots[key]
	if !ok {
		s.trim()
		e = &spotEntry{done: make(chan struct{}), added: time.Now()}
		s.spots[key] = e
	}
	s.mu.Unlock()
	if ok {
		<-e.done
		return e.spot
	}
	e.spot = f.readSpot(file, info)
	close(e.done)
	return e.spot
}

// trim makes room for one entry, under s.mu.
func (s *tagSpots) trim() {
	if s.spots == nil {
		s.spots = make(map[spotKey]*spotEntry)
	}
	if len(s.spots) < maxTagSpots {
		return
	}
	var times []time.Time
	for _, e := range s.spots {
		times = append(times, e.added)
	}
	slices.SortFunc(times, time.Time.Compare)
	cut := times[len(times)/2]
	for k, e := range s.spots {
		if e.added.Before(cut) {
			delete(s.spots, k)
		}
	}
	if len(s.spots) >= maxTagSpots { // all added at once: start over
		clear(s.spots)
	}
}

// readSpot reads the page, within pageBudget as every page read is, and
// finds where the tag goes.
func (f *fileServer) readSpot(file *os.File, info fs.FileInfo) tagSpot {
	weight := info.Size() + 1
	if err := pageBudget.Acquire(context.Background(), weight); err != nil {
		return tagSpot{}
	}
	defer pageBudget.Release(weight)
	page, err := io.ReadAll(io.LimitReader(file, weight))
	if err != nil || int64(len(page)) >= weight {
		return tagSpot{} // it grew: the next frame reads the new version
	}
	at := injectAt(page, f.tag)
	if at < 0 {
		return tagSpot{}
	}
	start := bytes.LastIndexByte(page[:at], '\n') + 1
	return tagSpot{line: 1 + bytes.Count(page[:at], []byte("\n")), col: 1 + utf16Len(page[start:at])}
}

// utf16Len is the length of b in UTF-16 code units, the unit of a
// browser's column numbers.
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
