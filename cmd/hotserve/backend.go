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
func (t *term) backendOutput() io.Writer { return t.namedOutput("backend", 0, 0) }

// nameColours tell several backends apart, in the order of their tables.
var nameColours = []string{"6", "5", "3", "2", "4", "1"}

// namedOutput is backendOutput for the backend name, its name padded to
// width so that the bars of several line up, in the i'th colour; with
// --log json its lines carry "backend":name too. Names are checked to be
// letters, digits, - and _ (devserver.NamedBackend), so they need no
// escaping.
func (t *term) namedOutput(name string, width, i int) io.Writer {
	if t.json {
		log := slog.New(slog.NewJSONHandler(lockedWriter{t}, nil)).With("source", "backend", "backend", name)
		return lineWriter(func(line string) { log.Info(line) })
	}
	label := name + strings.Repeat(" ", max(0, width-len(name))) + " │"
	prefix := lipgloss.NewRenderer(t.out).NewStyle().Foreground(lipgloss.Color(nameColours[i%len(nameColours)])).Render(label)
	return lineWriter(func(line string) { t.println(prefix + " " + backendLine(line, t.colour)) })
}

// lineWriter takes one whole line per Write, as backend.Config's Output
// is given.
type lineWriter func(line string)

func (f lineWriter) Write(p []byte) (int, error) {
	f(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
