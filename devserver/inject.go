package devserver

import "bytes"

// clientTag returns the script element injected into every HTML page. It
// carries the server's token, which the client presents when it opens the
// WebSocket: only pages hotserve served know it (see guard). With a
// version (client.Version) the URL names one script for good, so the
// browser keeps it rather than asking again on every reload (see
// serveClient).
func clientTag(token, version string) string {
	src := "/__hotserve/client.js?t=" + token
	if version != "" {
		src += "&v=" + version
	}
	return `<script src="` + src + `"></script>`
}

// inject returns page with tag inserted at the start of its <head> (see
// injectAt). A page that already contains tag is returned unchanged, so a
// page that went through a proxy and the file server, or a user who
// pasted the tag, never loads the client twice. page is never modified;
// the result is one allocation.
func inject(page, tag []byte) []byte {
	at := injectAt(page, tag)
	if at < 0 {
		return page
	}
	out := make([]byte, 0, len(page)+len(tag))
	out = append(out, page[:at]...)
	out = append(out, tag...)
	return append(out, page[at:]...)
}

// injectAt is where inject puts tag in page, or -1 when page has it
// already; the proxy sends the page around the tag rather than copy it.
//
// The client goes before anything of the page's that can run: right after
// the <head> start tag (and a <meta charset> that follows it, which must
// stay within the first 1,024 bytes); without a <head>, after the <html>
// start tag; without either, before the first thing that is not a
// comment, a doctype or white space, where the parser opens the head
// itself. So the client's error hooks are in place before the page's
// first script, and it never lands before a doctype (that would switch
// the page to quirks mode). The tag adds no line, so the lines a browser
// names in an inline script's error are the file's own.
//
// It looks for the tag only in a page that mentions hotserve's paths at
// all: bytes.Index is a SIMD scan for a needle that short and turns to
// Rabin-Karp, many times slower, for the whole tag on a page with a few
// early '<'s.
func injectAt(page, tag []byte) int {
	mentions := !bytes.Contains(tag, []byte(prefix)) || bytes.Contains(page, []byte(prefix))
	if mentions && bytes.Contains(page, tag) {
		return -1
	}
	i := skipPrologue(page, 0, true)
	if isStartTag(page[i:], "html") {
		i = skipPrologue(page, i+startTagEnd(page[i:]), false)
	}
	if !isStartTag(page[i:], "head") {
		return i
	}
	i += startTagEnd(page[i:])
	if j := skipSpace(page, i); isStartTag(page[j:], "meta") {
		if end := j + startTagEnd(page[j:]); bytes.Contains(bytes.ToLower(page[j:end]), []byte("charset")) {
			return end
		}
	}
	return i
}

// skipPrologue returns the offset of the first thing in page from i on
// that is not white space or a comment, nor, with doctype set, a byte
// order mark, a doctype or a processing instruction.
func skipPrologue(page []byte, i int, doctype bool) int {
	if doctype && bytes.HasPrefix(page[i:], []byte("\uFEFF")) {
		i += len("\uFEFF")
	}
	for {
		i = skipSpace(page, i)
		rest := page[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i += commentEnd(rest)
		case doctype && len(rest) > 1 && (rest[1] == '!' || rest[1] == '?') && rest[0] == '<':
			i += bogusEnd(rest)
		default:
			return i
		}
	}
}

func skipSpace(page []byte, i int) int {
	for i < len(page) && isSpace(page[i]) {
		i++
	}
	return i
}

// isStartTag reports whether s starts with the start tag of name.
func isStartTag(s []byte, name string) bool {
	return len(s) > 1 && s[0] == '<' && isTag(s[1:], name)
}

// commentEnd returns the length of the comment that starts s ("<!--"),
// including the abruptly closed forms "<!-->" and "<!--->"; an unclosed
// comment runs to the end.
func commentEnd(s []byte) int {
	for _, short := range []string{"<!-->", "<!--->"} {
		if bytes.HasPrefix(s, []byte(short)) {
			return len(short)
		}
	}
	if k := bytes.Index(s[4:], []byte("-->")); k >= 0 {
		return 4 + k + 3
	}
	return len(s)
}

// bogusEnd returns the length of a construct that ends at the first '>':
// a doctype or "<?…?>".
func bogusEnd(s []byte) int {
	if k := bytes.IndexByte(s, '>'); k >= 0 {
		return k + 1
	}
	return len(s)
}

// startTagEnd returns the length of the start tag that begins s, honouring
// quoted attribute values, which may contain '>'.
func startTagEnd(s []byte) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '>':
			return i + 1
		case '=':
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				k := bytes.IndexByte(s[i+1:], s[i])
				if k < 0 {
					return len(s)
				}
				i += k + 1
			} else {
				i-- // an unquoted value: look at this byte again
			}
		}
	}
	return len(s)
}

// isTag reports whether s starts with the tag name name (ASCII lower
// case), in any case, followed by a byte that ends a tag
// name, so that "header" is not "head" and "htmlx" is not "html".
func isTag(s []byte, name string) bool {
	if len(s) <= len(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if s[i]|0x20 != name[i] { // folds A-Z to a-z
			return false
		}
	}
	c := s[len(name)]
	return isSpace(c) || c == '/' || c == '>'
}

// isSpace reports the HTML whitespace bytes that may end a tag name.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
