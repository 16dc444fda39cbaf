package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/hotserve/hotserve/devserver"
)

// withBackend adds the backend flags to cfg. The stop settings have flag
// defaults, so they are passed only with --exec, which they apply to.
func (o options) withBackend(cfg devserver.Config, out *term) devserver.Config {
	cfg.Exec, cfg.Build = o.exec, o.build
	cfg.RestartOn, cfg.BuildOn = o.restartOn, o.buildOn
	cfg.RestartOnCrash = o.restartOnCrash
	cfg.Proxy, cfg.ProxyAll, cfg.Ready = o.proxy, o.proxyAll, o.ready
	if o.exec != "" {
		cfg.StopSignal, cfg.StopTimeout = o.stopSignal, o.stopTimeout
		cfg.BackendOutput = out.backendOutput()
	}
	return cfg
}

// backendOutput shows what the backend prints, each line behind a
// coloured "backend │" so that it stands apart from hotserve's own lines;
// with --log json, as one object per line with "source":"backend". It is
// shown even with --quiet: it is the project's own output, and its errors
// are what a person needs to see.
func (t *term) backendOutput() io.Writer {
	if t.json {
		log := slog.New(slog.NewJSONHandler(lockedWriter{t}, nil)).With("source", "backend")
		return lineWriter(func(line string) { log.Info(line) })
	}
	prefix := lipgloss.NewRenderer(t.out).NewStyle().Foreground(lipgloss.Color("6")).Render("backend │")
	return lineWriter(func(line string) { t.println(prefix + " " + line) })
}

// lineWriter takes one whole line per Write, as devserver.Config's
// BackendOutput is given.
type lineWriter func(line string)

func (f lineWriter) Write(p []byte) (int, error) {
	f(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
