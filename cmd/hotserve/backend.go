package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/hotserve/hotserve/devserver/backend"
)

// backendConfig is the backend o asks for, or nil without --exec, with
// out showing what it prints. The stop settings have flag defaults and
// apply only with --exec.
func (o options) backendConfig(out *term) *backend.Config {
	if o.backend.Command == "" {
		return nil
	}
	b := o.backend
	b.Output = out.backendOutput()
	return &b
}

// backendOutput shows what the backend prints, each line behind a
// coloured "backend │" so that it stands apart from hotserve's own lines;
// with --log json, as one object per line with "source":"backend". It is
// shown even with --quiet: it is the project's own output, and its errors
// are what a person needs to see. Its colours stay, its other control
// sequences go (backendLine).
func (t *term) backendOutput() io.Writer {
	if t.json {
		log := slog.New(slog.NewJSONHandler(lockedWriter{t}, nil)).With("source", "backend")
		return lineWriter(func(line string) { log.Info(line) })
	}
	prefix := lipgloss.NewRenderer(t.out).NewStyle().Foreground(lipgloss.Color("6")).Render("backend │")
	return lineWriter(func(line string) { t.println(prefix + " " + backendLine(line, t.colour)) })
}

// lineWriter takes one whole line per Write, as backend.Config's Output
// is given.
type lineWriter func(line string)

func (f lineWriter) Write(p []byte) (int, error) {
	f(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
