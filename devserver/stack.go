package devserver

import (
	"strconv"
	"strings"
)

// frame is one line of a JavaScript stack: the function, if the browser
// names one, and where it was.
type frame struct {
	Fn   string `json:"fn,omitempty"`
	URL  string `json:"url"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// maxFrames bounds the frames read from one stack: the top of a stack says
// where the error is, and a page's recursion can make thousands.
const maxFrames = 50

// parseStack reads the frames of an Error's stack as the three browser
// engines write it, skipping the lines that are not frames (V8 starts
// with the message):
//
//	V8 (Chromium):    "    at fn (http://h/js/app.js:12:5)", "    at http://h/js/app.js:12:5",
//	                  "    at async fn (…)", "    at eval (eval at f (http://h/a.js:1:2), <anonymous>:1:1)"
//	SpiderMonkey:     "fn@http://h/js/app.js:12:5", "@http://h/js/app.js:12:5"
//	JavaScriptCore:   "fn@http://h/js/app.js:12:5", "global code@http://h/js/app.js:12:5"
func parseStack(stack string) []frame {
	var frames []frame
	for line := range strings.SplitSeq(stack, "\n") {
		if len(frames) == maxFrames {
			break
		}
		if f, ok := parseFrame(strings.TrimSpace(line)); ok {
			frames = append(frames, f)
		}
	}
	return frames
}

// parseFrame reads one stack line, in either syntax.
func parseFrame(line string) (frame, bool) {
	var fn, loc string
	if rest, ok := strings.CutPrefix(line, "at "); ok {
		// V8. The location is in the last parentheses when a function is
		// named; an eval frame nests the caller's inside it, and then the
		// eval's own place ("<anonymous>:1:1") is not a URL.
		fn, loc = "", rest
		if strings.HasSuffix(rest, ")") {
			if i := strings.Index(rest, " ("); i >= 0 {
				fn, loc = rest[:i], rest[i+2:len(rest)-1]
			}
		}
		if strings.HasPrefix(loc, "eval at ") {
			if i, j := strings.LastIndex(loc, "("), strings.Index(loc, ")"); i >= 0 && j > i {
				loc = loc[i+1 : j]
			}
		}
		fn = strings.TrimPrefix(strings.TrimPrefix(fn, "async "), "new ")
	} else if i := strings.IndexByte(line, '@'); i >= 0 {
		fn, loc = line[:i], line[i+1:]
	} else {
		return frame{}, false
	}
	url, ln, col, ok := splitLocation(loc)
	// A URL has a scheme ("http:", "blob:") or is a path; this keeps a
	// message line such as "Error: mail me@host:25" from passing as one.
	if !ok || !strings.ContainsAny(url, ":/") {
		return frame{}, false
	}
	return frame{Fn: fn, URL: url, Line: ln, Col: col}, true
}

// splitLocation splits "URL:line:col" or "URL:line" from the right, since
// the URL has colons of its own.
func splitLocation(loc string) (url string, line, col int, ok bool) {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return "", 0, 0, false
	}
	last, err := strconv.Atoi(loc[i+1:])
	if err != nil || last < 0 {
		return "", 0, 0, false
	}
	head := loc[:i]
	if j := strings.LastIndexByte(head, ':'); j >= 0 {
		if n, err := strconv.Atoi(head[j+1:]); err == nil && n >= 0 {
			return head[:j], n, last, head[:j] != ""
		}
	}
	return head, last, 0, head != ""
}
