package devserver

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// shownFrame is a stack frame as a person reads it: File is its path in
// the folder when it points at a file hotserve serves from there, else
// URL says where it is; Source holds the lines around it (runtime-error).
type shownFrame struct {
	Fn     string       `json:"fn,omitempty"`
	File   string       `json:"file,omitempty"`
	URL    string       `json:"url,omitempty"`
	Line   int          `json:"line,omitempty"`
	Col    int          `json:"col,omitempty"`
	Source []sourceLine `json:"source,omitempty"`
}

// sourceLine is one numbered line of a file, around a frame.
type sourceLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// What a runtime-error carries: the frames a person reads first, and a few
// lines of each, cut around the column in a minified file.
const (
	overlayFrames  = 10
	excerptFrames  = 4       // frames with source lines
	excerptAround  = 3       // lines before and after
	excerptWidth   = 160     // bytes of a line
	excerptReadCap = 4 << 20 // bytes read to reach a line
)

// placedPage is what place found for one URL path of a message's stack:
// the folder file it serves, if any, and where a page's tag is. A stack
// names a few files many times, so each is looked up once per message.
type placedPage struct {
	rel string
	ok  bool
	tag tagSpot
}

// place maps f to the folder when its URL is this server's (the tab's own
// host) and names a file served from the folder. hotserve's own frames
// (the client's hooks) are left out. pages holds the message's lookups.
func (c *console) place(t *tab, f frame, pages map[string]placedPage) (shownFrame, bool) {
	sf := shownFrame{Fn: clip(f.Fn, shownPath), URL: clip(f.URL, shownPath), Line: f.Line, Col: f.Col}
	u, err := url.Parse(f.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host != t.host {
		return sf, true
	}
	if strings.HasPrefix(u.Path, prefix) {
		return sf, false
	}
	p, seen := pages[u.Path]
	if !seen {
		p.rel, p.ok = c.files.pageFile(u.Path)
		if p.ok {
			p.tag = c.spots.spot(c.files, p.rel)
		}
		pages[u.Path] = p
	}
	if p.ok {
		sf.File, sf.URL, sf.Col = p.rel, "", p.tag.column(f.Line, f.Col, len(c.files.tag))
	} else {
		sf.URL = clip(u.Path, shownPath) // this server's: the path says it all
	}
	return sf, true
}

// place is the frame's "file:line:col" (or URL:line:col).
func (f shownFrame) place() string {
	s := f.File
	if s == "" {
		s = f.URL
	}
	if s == "" || f.Line == 0 {
		return s
	}
	s += ":" + strconv.Itoa(f.Line)
	if f.Col > 0 {
		s += ":" + strconv.Itoa(f.Col)
	}
	return s
}

// folderFile returns the folder path ("js/app.js", or "vendor/lib.js" in
// the mount at /vendor: the URL path without its slash) of the regular file
// the URL path p serves, if the folder or a mount serves one there: what a
// browser could fetch, no more (no dotfile, nothing a link takes out of
// its folder).
func (f *fileServer) folderFile(p string) (string, bool) {
	lk := f.look(&http.Request{URL: &url.URL{Path: p}, RequestURI: p})
	if lk.bad || lk.denied || lk.err != nil || lk.info == nil || !lk.info.Mode().IsRegular() || strings.HasSuffix(p, "/") {
		return "", false
	}
	return strings.TrimPrefix(lk.tree.url(lk.name), "/"), true
}

// absPath is where the folder path rel, as folderFile gives it, is on this
// machine: in the served folder or in the mount that serves it.
func (f *fileServer) absPath(rel string) string {
	t, name := f.mounted(path.Clean("/" + rel))
	return filepath.Join(t.dir, filepath.FromSlash(name))
}

// runtimeError is the frame that shows ev in the tab's overlay: the frames
// in the folder (or, with none, where it happened) and the source lines
// around the first few.
func (c *console) runtimeError(ev consoleEvent) []byte {
	var frames []shownFrame
	for _, f := range ev.frames {
		if f.File != "" && len(frames) < overlayFrames {
			frames = append(frames, f)
		}
	}
	if len(frames) == 0 && ev.where.place() != "" {
		frames = append(frames, ev.where)
	}
	for i := range frames[:min(len(frames), excerptFrames)] {
		frames[i].Source = c.files.excerpt(frames[i].File, frames[i].Line, frames[i].Col)
	}
	title := "Uncaught error"
	if ev.kind == "rejection" {
		title = "Unhandled promise rejection"
	}
	b, _ := json.Marshal(message{Type: msgRuntimeError, Title: title + " in " + ev.page, Text: ev.text, Frames: frames})
	return b
}

// excerpt reads the lines around line of the folder file rel, each cut to
// excerptWidth around col, through the root so that it cannot leave the
// folder; nil when the file or the line cannot be read.
func (f *fileServer) excerpt(rel string, line, col int) []sourceLine {
	if rel == "" || line < 1 {
		return nil
	}
	if _, ok := f.folderFile("/" + rel); !ok {
		return nil
	}
	t, name := f.mounted(path.Clean("/" + rel))
	file, err := t.root.Open("." + name)
	if err != nil {
		return nil
	}
	defer file.Close()
	r := bufio.NewReader(io.LimitReader(file, excerptReadCap))
	var out []sourceLine
	for n := 1; n <= line+excerptAround; n++ {
		text, err := readLine(r, excerptWidth, col)
		if err != nil {
			break
		}
		if n >= line-excerptAround {
			out = append(out, sourceLine{N: n, Text: text})
		}
	}
	if len(out) == 0 || out[len(out)-1].N < line {
		return nil
	}
	return out
}

// readLine reads one line of r and returns at most width bytes of it,
// around col when the line is longer (minified code). It never holds more
// than bufio's buffer of a long line at once.
func readLine(r *bufio.Reader, width, col int) (string, error) {
	var kept []byte
	start := max(0, col-1-width/2)
	seen := 0
	for {
		chunk, more, err := r.ReadLine()
		if err != nil {
			if seen > 0 || len(kept) > 0 {
				break
			}
			return "", err
		}
		lo, hi := max(start, seen), min(start+width, seen+len(chunk))
		if lo < hi {
			kept = append(kept, chunk[lo-seen:hi-seen]...)
		}
		seen += len(chunk)
		if !more {
			break
		}
	}
	return strings.ToValidUTF8(string(kept), "\uFFFD"), nil
}
