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

// inject returns page with tag inserted before the last </body> (any case),
// else before the last </html>, else appended. A page that already contains
// tag is returned unchanged, so a page that went through a proxy and the
// file server, or a user who pasted the tag, never loads the client twice.
//
// Closing tags are looked for the way a browser's tokenizer sees them, so a
// "</body>" inside a comment, a <script> or <style>, a <title> or
// <textarea>, or a quoted attribute value is not mistaken for the real one,
// and "</bodyx>" is not "</body>". page is never modified; the result is
// one allocation.
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

// injectAt is where inject puts tag in page (before the last </body>,
// else the last </html>, else at the end), or -1 when page has it already;
// the proxy sends the page around the tag rather than copy it. It looks
// for the tag only in a page that mentions hotserve's paths at all:
// bytes.Index is a SIMD scan for a needle that short and turns to
// Rabin-Karp, many times slower, for the whole tag on a page with a few
// early '<'s.
func injectAt(page, tag []byte) int {
	mentions := !bytes.Contains(tag, []byte(prefix)) || bytes.Contains(page, []byte(prefix))
	if mentions && bytes.Contains(page, tag) {
		return -1
	}
	if body, html := closers(page); body >= 0 {
		return body
	} else if html >= 0 {
		return html
	}
	return len(page)
}

// rawText lists the elements whose content is not markup: a "</body>" in
// them is text (or script), not a tag.
var rawText = []string{"script", "style", "textarea", "title"}

// closers returns the offsets of the last </body> and the last </html> end
// tags in page, or -1. It is a single forward pass over the '<' bytes that
// skips comments, declarations, processing instructions, quoted attribute
// values and raw-text elements.
func closers(page []byte) (body, html int) {
	body, html = -1, -1
	for i := 0; ; {
		j := bytes.IndexByte(page[i:], '<')
		if j < 0 {
			return body, html
		}
		i += j
		rest := page[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			i += commentEnd(rest)
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			i += bogusEnd(rest)
		case isTag(rest[1:], "/body"):
			body = i
			i += bogusEnd(rest)
		case isTag(rest[1:], "/html"):
			html = i
			i += bogusEnd(rest)
		case len(rest) > 1 && isLetter(rest[1]):
			i += startTagEnd(rest)
			for _, name := range rawText {
				if isTag(rest[1:], name) {
					i += rawTextEnd(page[i:], name)
					break
				}
			}
		default:
			i++
		}
	}
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
// a doctype, "<?…?>", or an end tag (which carries no quoted attributes).
func bogusEnd(s []byte) int {
	if k := bytes.IndexByte(s, '>'); k >= 0 {
		return k + 1
	}
	return len(s)
}

// startTagEnd returns the length of the start tag that begins s, honouring
// quoted attribute values, which may contain '>' and "</body>".
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

// rawTextEnd returns the length of the content of a raw-text element that
// starts s, up to (not including) its end tag; an unclosed one runs to the
// end.
func rawTextEnd(s []byte, name string) int {
	for i := 0; ; {
		j := bytes.IndexByte(s[i:], '<')
		if j < 0 {
			return len(s)
		}
		i += j
		if len(s)-i > 2 && s[i+1] == '/' && isTag(s[i+2:], name) {
			return i
		}
		i++
	}
}

// isTag reports whether s starts with the tag name name (ASCII lower case,
// optionally led by '/'), in any case, followed by a byte that ends a tag
// name, so that "header" is not "head" and "bodyx" is not "body".
func isTag(s []byte, name string) bool {
	if len(s) <= len(name) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if s[i]|0x20 != name[i] { // folds A-Z to a-z and leaves '/' alone
			return false
		}
	}
	c := s[len(name)]
	return isSpace(c) || c == '/' || c == '>'
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// isSpace reports the HTML whitespace bytes that may end a tag name.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
