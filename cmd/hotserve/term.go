package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/lipgloss"
)

// term is the terminal: the banner and one calm line per event. Colours
// follow the output (none when it is not a terminal, or NO_COLOR is set).
type term struct {
	mu  sync.Mutex
	out io.Writer

	bold, dim, accent, warn, fail lipgloss.Style
}

func newTerm(out io.Writer) *term {
	r := lipgloss.NewRenderer(out)
	return &term{
		out:    out,
		bold:   r.NewStyle().Bold(true),
		dim:    r.NewStyle().Faint(true),
		accent: r.NewStyle().Foreground(lipgloss.Color("#e8590c")).Bold(true),
		warn:   r.NewStyle().Foreground(lipgloss.Color("3")),
		fail:   r.NewStyle().Foreground(lipgloss.Color("1")).Bold(true),
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
	folder  string
	dirs    int
	mode    string
	startup time.Duration
	notes   []string // warnings worth reading before anything else
}

func (t *term) banner(b banner) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n  %s %s  %s\n\n", t.accent.Render("hotserve"), t.dim.Render(b.version),
		t.dim.Render("ready in "+round(b.startup).String()))
	row := func(label, value string) {
		fmt.Fprintf(&sb, "  %s  %-9s %s\n", t.accent.Render("➜"), label, value)
	}
	row("Local:", t.bold.Render(b.url))
	row("Folder:", b.folder)
	row("Watching:", fmt.Sprintf("%d folders %s", b.dirs, t.dim.Render("("+b.mode+")")))
	for _, n := range b.notes {
		fmt.Fprintf(&sb, "  %s  %s\n", t.warn.Render("!"), t.warn.Render(n))
	}
	t.println(sb.String())
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

// handler renders the devserver's log records as terminal lines.
func (t *term) handler() slog.Handler { return &termHandler{t: t} }

type termHandler struct {
	t     *term
	attrs []slog.Attr
}

func (h *termHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelInfo }

func (h *termHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &termHandler{t: h.t, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *termHandler) WithGroup(string) slog.Handler { return h }

func (h *termHandler) Handle(_ context.Context, r slog.Record) error {
	t := h.t
	var sb strings.Builder
	sb.WriteString(t.dim.Render(r.Time.Format("15:04:05")))
	sb.WriteByte(' ')
	switch {
	case r.Level >= slog.LevelError:
		sb.WriteString(t.fail.Render(r.Message))
	case r.Level >= slog.LevelWarn:
		sb.WriteString(t.warn.Render(r.Message))
	default:
		sb.WriteString(r.Message)
	}
	each := func(a slog.Attr) bool {
		fmt.Fprintf(&sb, " %s", t.dim.Render("· "+a.Key+" "+formatValue(a.Value)))
		return true
	}
	for _, a := range h.attrs {
		each(a)
	}
	r.Attrs(each)
	t.println(sb.String())
	return nil
}

func formatValue(v slog.Value) string {
	if v.Kind() == slog.KindDuration {
		return round(v.Duration()).String()
	}
	return v.String()
}
