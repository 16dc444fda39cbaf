package devserver

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// What the status page shows of a setting or a command line. Command lines
// often carry secrets (API_TOKEN=… go run ., --password x, a database URL
// with its password), and the status page reaches every client that can
// reach hotserve, so what may be a secret is replaced by hidden before any
// frame is built. redact errs towards hiding: a hidden value only costs a
// look at the terminal.

// hidden stands for what redact took out.
const hidden = "…"

var (
	// envAssign is a shell's KEY=value.
	envAssign = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=.`)
	// flagWord is --name or --name=value (one dash too).
	flagWord = regexp.MustCompile(`^(--?[A-Za-z][A-Za-z0-9_.-]*)(=.*)?$`)
	// userinfo is the password of scheme://user:password@host or of a
	// DSN that starts user:password@.
	userinfo = regexp.MustCompile(`(^|//)([^:@/\s]*):([^@/\s]+)@`)
	// pairName is the name= of a name=value within a word: a URL
	// parameter, -X=main.key=… in -ldflags, a DSN's password=….
	pairName = regexp.MustCompile(`([A-Za-z0-9_.-]+)=`)
	// blobRun is a run of characters that hex and base64 tokens are made of.
	blobRun = regexp.MustCompile(`[A-Za-z0-9+/=_-]{20,}`)
)

// secretWords are what a name (a flag, a header, a URL parameter) holds
// when its value is likely a secret.
var secretWords = []string{"token", "passw", "pwd", "secret", "key", "auth", "credential", "cookie", "session", "private", "signature"}

// authSchemes are the words that come before a credential in an
// Authorization value ("Bearer x").
var authSchemes = []string{"bearer", "basic", "token", "digest"}

// redact returns s, a command line or a setting's value, with every
// KEY=value's value and whatever looks like a secret replaced by hidden.
func redact(s string) string {
	var b strings.Builder
	hideNext := false
	for _, f := range shellFields(s) {
		b.WriteString(f.space)
		if f.word == "" {
			continue
		}
		if hideNext && !isAuthScheme(f.word) {
			b.WriteString(hidden)
			hideNext = false
			continue
		}
		w, next := redactWord(f.word)
		b.WriteString(w)
		hideNext = hideNext || next
	}
	return b.String()
}

// field is one word of a command line and the space before it.
type field struct{ space, word string }

// shellFields splits s into words at spaces outside quotes, keeping the
// spaces and quotes, so that the words joined back are s.
func shellFields(s string) []field {
	var fields []field
	var quote rune
	start, wordStart := 0, -1
	for i, c := range s {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == ' ' || c == '\t' || c == '\n':
			if wordStart >= 0 {
				fields = append(fields, field{s[start:wordStart], s[wordStart:i]})
				start, wordStart = i, -1
			}
		default:
			if wordStart < 0 {
				wordStart = i
			}
			if c == '\'' || c == '"' {
				quote = c
			}
		}
	}
	if wordStart < 0 {
		return append(fields, field{s[start:], ""})
	}
	return append(fields, field{s[start:wordStart], s[wordStart:]})
}

// redactWord redacts one word, and says whether the next word is a
// secret: the value of --password, of Authorization:, after Bearer.
func redactWord(w string) (string, bool) {
	if len(w) >= 2 && (w[0] == '\'' || w[0] == '"') && w[len(w)-1] == w[0] {
		return w[:1] + redact(w[1:len(w)-1]) + w[:1], false // sh -c '…'
	}
	core := strings.TrimLeft(w, "[({,;")
	lead := w[:len(w)-len(core)]
	core = strings.TrimRight(core, "])},;")
	trail := w[len(lead)+len(core):]
	if m := envAssign.FindStringSubmatch(core); m != nil {
		return lead + m[1] + "=" + hidden + trail, false
	}
	if isAuthScheme(core) {
		return w, true
	}
	if strings.HasSuffix(core, ":") && secretName(core) {
		return w, true // a header: Authorization: …, X-Api-Key: …
	}
	if m := flagWord.FindStringSubmatch(core); m != nil && m[2] != "" {
		value := hidden
		if !secretName(m[1]) {
			value = redactValue(m[2][1:])
		}
		return lead + m[1] + "=" + value + trail, false
	} else if m != nil && secretName(m[1]) {
		return w, true
	}
	return lead + redactValue(core) + trail, false
}

// redactValue hides the passwords in URLs, the values of secret-named
// pairs and long random-looking tokens within v.
func redactValue(v string) string {
	v = userinfo.ReplaceAllString(v, "${1}${2}:"+hidden+"@")
	v = hidePairs(v)
	return blobRun.ReplaceAllStringFunc(v, func(run string) string {
		if looksRandom(run) {
			return hidden
		}
		return run
	})
}

// hidePairs hides the value of every name=value in v whose name says it
// is a secret, up to the next space, &, ; or comma.
func hidePairs(v string) string {
	var b strings.Builder
	last := 0
	for _, m := range pairName.FindAllStringSubmatchIndex(v, -1) {
		if m[0] < last || !secretName(v[m[2]:m[3]]) {
			continue
		}
		end := len(v)
		if i := strings.IndexAny(v[m[1]:], " \t&;,"); i >= 0 {
			end = m[1] + i
		}
		if end == m[1] {
			continue
		}
		b.WriteString(v[last:m[1]])
		b.WriteString(hidden)
		last = end
	}
	b.WriteString(v[last:])
	return b.String()
}

// looksRandom reports whether run is a hex string of 32 digits or more,
// or switches between upper case, lower case, digits and the rest at least
// every other character, as base64 does and words and paths do not.
func looksRandom(run string) bool {
	if len(run) >= 32 && strings.Trim(run, "0123456789abcdefABCDEF") == "" && strings.ContainsAny(run, "0123456789") {
		return true
	}
	class := func(c byte) int {
		switch {
		case 'A' <= c && c <= 'Z':
			return 0
		case 'a' <= c && c <= 'z':
			return 1
		case '0' <= c && c <= '9':
			return 2
		}
		return 3
	}
	switches := 0
	for i := 1; i < len(run); i++ {
		if class(run[i]) != class(run[i-1]) {
			switches++
		}
	}
	return 2*switches >= len(run)
}

// secretName reports whether a name (of a flag, header or parameter)
// says its value is a secret.
func secretName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func isAuthScheme(w string) bool {
	for _, s := range authSchemes {
		if strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}

// clip cuts s to at most n bytes, on a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + hidden
}
