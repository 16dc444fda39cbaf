package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"

	"github.com/hotserve/hotserve/internal/words"
)

// A settings file is often someone else's: it comes with the repository
// being served. So the keys that run a command or loosen a default
// (declared with a risk in flagdefs.go) apply from it only once the person
// trusts the file as it is now, as direnv allow and mise trust do. Without
// that, hotserve starts with the file's harmless keys and says, in one
// block, what it left out and how to trust it.

// What each risk does, as the trust block and trust-config tell it.
var riskText = map[risk]string{
	runs:     "runs a command",
	loosens:  "loosens a default protection",
	connects: "makes hotserve connect to an address",
}

// untrusted is a settings file whose keys that are not harmless were left
// out, because the person has not trusted it as it is.
type untrusted struct {
	name     string // as given, or found
	path     string // absolute: what trust is recorded for
	data     []byte // the content read, and the content trust is given for
	asks     []fileKey
	storeErr error // the trust store could not say
}

// trustCommand is what the person runs to trust the file.
func (u *untrusted) trustCommand() string {
	return "hotserve trust-config " + escapeText(pathWord(u.path))
}

// pathWord quotes a path for the shell a person types it into: cmd.exe
// and PowerShell read double quotes, Unix shells single ones.
func pathWord(path string) string {
	if runtime.GOOS != "windows" {
		return shellWord(path)
	}
	if strings.ContainsAny(path, " &()[]{}^=;!'+,`~%$#@") {
		return `"` + path + `"`
	}
	return path
}

// asksText lists what a file asks for, one key a line: its value as
// written and what it does.
func asksText(asks []fileKey, indent string) string {
	width := 0
	for _, a := range asks {
		width = max(width, len(a.key)+3+len(a.value))
	}
	var sb strings.Builder
	for _, a := range asks {
		fmt.Fprintf(&sb, "%s%-*s  %s\n", indent, width, a.key+" = "+a.value, riskText[a.risk])
	}
	return sb.String()
}

// block is what hotserve prints about a file it did not trust: which file,
// what it asks for, and, unless it asks instead, the command to trust it.
func (u *untrusted) block(withCommand bool) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "  ! %s is not trusted, so hotserve starts without what it asks for:\n", escapeText(u.path))
	sb.WriteString(asksText(u.asks, "      "))
	if u.storeErr != nil {
		fmt.Fprintf(&sb, "    %s\n", escapeText(u.storeErr.Error()))
	}
	if withCommand {
		fmt.Fprintf(&sb, "    If you trust what it runs, say so (any edit asks again):\n      %s\n", u.trustCommand())
	}
	return strings.TrimSuffix(sb.String(), "\n")
}

// waitsText is the line a live re-read logs: what the edited file asks
// for that waits for trust.
func (u *untrusted) waitsText() string {
	var keys []string
	for _, a := range u.asks {
		keys = append(keys, a.key+" = "+a.value)
	}
	return fmt.Sprintf("%s is not trusted as it is now, so %s %s for trust; applied the rest. To trust it: %s",
		u.name, strings.Join(keys, ", "), words.Plural(len(keys), "waits", "wait"), u.trustCommand())
}

// trust records that the person trusts the file as it was read.
func (u *untrusted) trust() error {
	s, _ := loadTrust() // a damaged store is rewritten
	s.grant(u.path, u.data)
	return s.save()
}

// askTrust asks whether to trust the file and reads one line of in: y or
// yes trusts it, anything else (or nothing) does not. It reads a byte at a
// time so that nothing after the line is taken from the keys the session
// reads next.
func askTrust(in io.Reader, w io.Writer) bool {
	fmt.Fprint(w, "    Trust it and run it? [y/N] ")
	var line []byte
	b := make([]byte, 1)
	for len(line) < 64 {
		n, err := in.Read(b)
		if n == 1 && b[0] == '\n' || err != nil {
			break
		}
		line = append(line, b[:n]...)
	}
	answer := strings.ToLower(strings.TrimSpace(string(line)))
	return answer == "y" || answer == "yes"
}

// settleTrust tells the person about a settings file whose keys were
// withheld (o.pending) and, if someone can answer on in, asks whether to
// trust it; if they say yes, o is read again with the file trusted.
func settleTrust(o options, in io.Reader, canAsk bool, out *term, stderr io.Writer) (options, error) {
	u := o.pending
	if out.json {
		attrs := []any{"file", u.path, "withheld", strings.Split(strings.TrimSpace(asksText(u.asks, "")), "\n"), "trust", u.trustCommand()}
		if u.storeErr != nil {
			attrs = append(attrs, "err", u.storeErr.Error())
		}
		slog.New(out.handler()).Warn("settings file not trusted; started without what it asks for", attrs...)
		return o, nil
	}
	if !canAsk {
		out.println(warnLines(out, u.block(true)))
		return o, nil
	}
	out.println(warnLines(out, u.block(false)))
	if !askTrust(in, out.out) {
		out.println("    Going on without them. To trust it later: " + u.trustCommand())
		return o, nil
	}
	if err := u.trust(); err != nil {
		out.println(out.warn.Render("    " + escapeText(err.Error()) + "; going on without them"))
		return o, nil
	}
	n, err := parseFlags(o.args, stderr)
	if err == nil && n.pending != nil { // the file changed while asking
		out.println(warnLines(out, n.pending.block(true)))
	}
	return n, err
}

// warnLines styles each line of s as a warning: lipgloss would pad a
// block to its widest line.
func warnLines(out *term, s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = out.warn.Render(l)
	}
	return strings.Join(lines, "\n")
}

// canAsk reports whether a person can answer a question: standard input
// and output are terminals, and the log is for people.
func canAsk(out *term) bool {
	return !out.json && out.tty && isTerminal(os.Stdin)
}
