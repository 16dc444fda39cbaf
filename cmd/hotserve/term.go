package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/hotserve/hotserve/internal/words"
	"github.com/hotserve/hotserve/watcher"
	"github.com/muesli/termenv"
	xterm "golang.org/x/term"
)

// term is the terminal: the banner and one calm line per event. Colours
// follow the output (none when it is not a terminal, or NO_COLOR is set).
// With --log json every line is a JSON object instead, for tools; with
// --quiet only the URL, warnings and errors are printed.
type term struct {
	mu    sync.Mutex
	out   io.Writer
	json  bool
	quiet bool
	tty   bool // out is a terminal: counters update in place
	// colour is whether out shows colours: the backend's are dropped too
	// when it does not.
	colour bool
	// links is whether out shows OSC 8 hyperlinks (see hyperlinks).
	links bool
	// restore gives the console back the mode it had (Windows).
	restore func() error

	bold, dim, accent, warn, fail lipgloss.Style
}

// newTerm writes to out. Call restore when done with it.
func newTerm(out io.Writer, format string, quiet bool) *term {
	r := lipgloss.NewRenderer(out)
	tty := isTerminal(out)
	// A Windows console shows colours and moves the cursor only with
	// virtual terminal processing on, which neither lipgloss nor termenv
	// turns on by themselves; elsewhere this does nothing. A console that
	// refuses it (before Windows 10) gets plain text.
	restore, err := termenv.EnableVirtualTerminalProcessing(r.Output())
	if err != nil {
		r.SetColorProfile(termenv.Ascii)
		tty = false
	}
	return &term{
		out:     out,
		json:    format == "json",
		quiet:   quiet,
		tty:     tty,
		colour:  r.ColorProfile() != termenv.Ascii,
		links:   tty && hyperlinks(os.Getenv),
		restore: restore,
		bold:    r.NewStyle().Bold(true),
		dim:     r.NewStyle().Faint(true),
		accent:  r.NewStyle().Foreground(lipgloss.Color("#e8590c")).Bold(true),
		warn:    r.NewStyle().Foreground(lipgloss.Color("3")),
		fail:    r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
	}
}

func (t *term) println(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintln(t.out, s)
}

// banner is what a person sees when hotserve is ready.
type banner struct {
	version string
	url     string
	network []string // URLs for other machines, when listening beyond this one
	phone   string   // what the QR code opens: network[0], or with --https the CA page for phones
	folder  string
	mounts  []bannerMount // served under URL prefixes, one line each
	watch   watcher.Stats
	startup time.Duration
	notes   []string // warnings worth reading before anything else
}

// banner prints what a person needs to start: the URL first. keys says
// whether key presses are read.
func (t *term) banner(b banner, keys bool) {
	if t.json {
		slog.New(t.handler()).Info("ready", "url", b.url, "network", b.network, "folder", b.folder, "mounts", b.mounts, "dirs", b.watch.Dirs,
			"mode", b.watch.Mode, "startup", b.startup, "notes", b.notes)
		return
	}
	if t.quiet {
		t.println(escapeText(b.url))
		for _, n := range b.notes {
			t.println(t.warn.Render("! " + escapeText(n)))
		}
		return
	}
	var sb strings.Builder
	if t.tty {
		sb.WriteString("\r\x1b[K") // the walk's progress line
	}
	fmt.Fprintf(&sb, "\n  %s %s  %s\n\n", t.accent.Render("hotserve"), t.dim.Render(b.version),
		t.dim.Render("ready in "+round(b.startup).String()))
	row := func(label, value string) {
		fmt.Fprintf(&sb, "  %s  %-9s %s\n", t.accent.Render("➜"), label, value)
	}
	row("Local:", t.bold.Render(escapeText(b.url)))
	for _, u := range b.network {
		row("Network:", t.bold.Render(escapeText(u)))
	}
	row("Folder:", escapeText(b.folder))
	mountRows(b.mounts, row)
	row("Watching:", watchLine(b.watch, t))
	if len(b.network) > 0 && t.tty && os.Getenv("NO_COLOR") == "" {
		label := "scan to open " + escapeText(b.network[0]) + " on a phone:"
		if b.phone != b.network[0] {
			label = "scan on a phone to trust this machine's certificate, then open " + escapeText(b.network[0]) + ":"
		}
		fmt.Fprintf(&sb, "\n  %s\n%s", t.dim.Render(label), qrText(b.phone, "  "))
	}
	for _, n := range b.notes {
		fmt.Fprintf(&sb, "  %s  %s\n", t.warn.Render("!"), t.warn.Render(escapeText(n)))
	}
	if keys {
		fmt.Fprintf(&sb, "\n  %s\n", t.dim.Render("press h for keys"))
	}
	t.println(sb.String())
}

// watchLine sums up the watcher: folders, files, how changes are seen and
// how much of the OS's watch budget is in use (inotify's per-user watches,
// kqueue's share of the open files).
func watchLine(w watcher.Stats, t *term) string {
	line := fmt.Sprintf("%d %s, %d %s", w.Dirs, words.Plural(w.Dirs, "folder", "folders"), w.Files, words.Plural(w.Files, "file", "files"))
	how := w.Mode
	if w.ModeReason != "" {
		how += ": " + w.ModeReason
	}
	if w.WatchesLimit > 0 {
		unit := "watches"
		if w.Mode == "kqueue" {
			unit = "open files"
		}
		how += fmt.Sprintf(", %d of %d %s in use", w.UserWatches, w.WatchesLimit, unit)
	}
	return line + " " + t.dim.Render("("+escapeText(how)+")")
}

// progress shows how far the first walk of a big tree has got: one line
// updated in place on a terminal, a plain line a second otherwise.
func (t *term) progress() func(dirs, files int) {
	if t.json || t.quiet {
		return nil
	}
	last := time.Now() // a plain line only once the walk has taken a second
	return func(dirs, files int) {
		msg := fmt.Sprintf("  walking the folder: %d folders, %d files", dirs, files)
		t.mu.Lock()
		defer t.mu.Unlock()
		if t.tty {
			fmt.Fprint(t.out, "\r\x1b[K"+t.dim.Render(msg))
		} else if time.Since(last) >= time.Second {
			last = time.Now()
			fmt.Fprintln(t.out, msg)
		}
	}
}

// keyHelp lists the keys, as Vite does.
func (t *term) keyHelp() {
	var sb strings.Builder
	sb.WriteString("\n  Keys\n")
	for _, k := range [][2]string{{"r", "reload every open tab"}, {"o", "open the browser"}, {"c", "clear the screen"}, {"q", "quit"}, {"h", "show this help"}} {
		fmt.Fprintf(&sb, "  %s  %s\n", t.bold.Render(k[0]), t.dim.Render(k[1]))
	}
	t.println(sb.String())
}

// clear empties the terminal screen and its scrollback.
func (t *term) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprint(t.out, "\x1b[H\x1b[2J\x1b[3J")
}

// round keeps durations readable: "12ms", "1.2s".
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}

// handler renders the devserver's log records as terminal lines, or as
// JSON objects with --log json.
func (t *term) handler() slog.Handler {
	level := slog.LevelInfo
	if t.quiet {
		level = slog.LevelWarn
	}
	if t.json {
		return slog.NewJSONHandler(lockedWriter{t}, &slog.HandlerOptions{Level: level})
	}
	return &termHandler{t: t, level: level}
}

// lockedWriter keeps JSON lines whole when several goroutines log.
type lockedWriter struct{ t *term }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.t.mu.Lock()
	defer w.t.mu.Unlock()
	return w.t.out.Write(p)
}

// termHandler prints a record as one line: the time, the message, then
// "· key value" for each attribute, a group's as "· group.key value".
// Message, keys and values are escaped (escapeText) before they are
// styled: any of them can hold a request path, a file name or a header.
type termHandler struct {
	t     *term
	level slog.Level
	attrs []slog.Attr
	group string // the WithGroup names so far, "a.b"
}

func (h *termHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *termHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append(append([]slog.Attr(nil), h.attrs...), h.inGroup(as)...)
	return &h2
}

func (h *termHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.group = strings.TrimPrefix(h.group+"."+name, ".")
	return &h2
}

// inGroup puts as in the handler's group, if it has one.
func (h *termHandler) inGroup(as []slog.Attr) []slog.Attr {
	if h.group == "" || len(as) == 0 {
		return as
	}
	return []slog.Attr{{Key: h.group, Value: slog.GroupValue(as...)}}
}

func (h *termHandler) Handle(_ context.Context, r slog.Record) error {
	t := h.t
	if line, ok := h.browserLine(r); ok {
		t.println(line)
		return nil
	}
	var sb strings.Builder
	sb.WriteString(t.dim.Render(r.Time.Format("15:04:05")))
	sb.WriteByte(' ')
	msg := escapeText(r.Message)
	switch {
	case r.Level >= slog.LevelError:
		sb.WriteString(t.fail.Render(msg))
	case r.Level >= slog.LevelWarn:
		sb.WriteString(t.warn.Render(msg))
	default:
		sb.WriteString(msg)
	}
	attrs := h.attrs
	if r.NumAttrs() > 0 {
		own := make([]slog.Attr, 0, r.NumAttrs())
		r.Attrs(func(a slog.Attr) bool { own = append(own, a); return true })
		attrs = append(attrs[:len(attrs):len(attrs)], h.inGroup(own)...)
	}
	for _, a := range attrs {
		h.writeAttr(&sb, "", a)
	}
	t.println(sb.String())
	return nil
}

// writeAttr writes " · key value", escaped then styled; a group's
// attributes each under its name.
func (h *termHandler) writeAttr(sb *strings.Builder, prefix string, a slog.Attr) {
	if a.Equal(slog.Attr{}) {
		return // an empty attribute, as slog.Handler asks
	}
	v := a.Value.Resolve()
	key := a.Key
	if prefix != "" && key != "" {
		key = prefix + "." + key
	} else if key == "" {
		key = prefix
	}
	if v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			h.writeAttr(sb, key, g)
		}
		return
	}
	fmt.Fprintf(sb, " %s", h.t.dim.Render("· "+escapeText(key)+" "+escapeText(formatValue(v))))
}

func formatValue(v slog.Value) string {
	if v.Kind() == slog.KindDuration {
		return round(v.Duration()).String()
	}
	return v.String()
}

// isTerminal reports whether w is a terminal (a console on Windows).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && xterm.IsTerminal(int(f.Fd()))
}
