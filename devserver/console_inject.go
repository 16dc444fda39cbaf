package devserver

import (
	"bytes"
	"io"
	"path"
	"strings"
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

// fileColumn is col of a frame at line of the folder file rel as the file
// has it. A browser counts the columns of the page it was sent, and in a
// page inject puts the client's tag on a line of the page's own (it adds
// no line, so lines are right as they are), before whatever follows it
// there: that is moved right by the tag's length. Only a page's frames on
// that one line are read for it, and only a few a second (see admit).
func (f *fileServer) fileColumn(rel string, line, col int) int {
	if col == 0 || !isHTML(rel) {
		return col
	}
	t, name := f.mounted(path.Clean("/" + rel))
	file, err := t.root.Open("." + name)
	if err != nil {
		return col
	}
	defer file.Close()
	page, err := io.ReadAll(io.LimitReader(file, maxInject+1))
	if err != nil || len(page) > maxInject {
		return col
	}
	at := injectAt(page, f.tag)
	if at < 0 || line != 1+bytes.Count(page[:at], []byte("\n")) {
		return col
	}
	start := bytes.LastIndexByte(page[:at], '\n') + 1
	tagCol := 1 + utf16Len(page[start:at])
	if col >= tagCol+len(f.tag) { // the tag is ASCII: its length in UTF-16 units
		return col - len(f.tag)
	}
	return col
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
