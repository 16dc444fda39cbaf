package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

// shutdownTimeout bounds how long Ctrl-C waits for requests in flight.
const shutdownTimeout = 3 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command, returning the exit status: 0 when ctx ends,
// 1 when hotserve cannot start, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	start := time.Now()
	if len(args) > 0 {
		switch args[0] {
		case "init":
			return runInit(args[1:], stdout, stderr)
		case "doctor":
			return runDoctor(args[1:], stdout, stderr)
		case "trust-config":
			return runTrustConfig(args[1:], stdout, stderr)
		case "untrust-config":
			return runUntrustConfig(args[1:], stdout, stderr)
		case "ca":
			return runCA(args[1:], stdout, stderr)
		case "trust":
			return runTrust(args[1:], stdout, stderr)
		case "untrust":
			return runUntrust(args[1:], stdout, stderr)
		}
	}
	o, err := parseFlags(args, stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case err != nil:
		return 2
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	out := newTerm(stdout, o.logFormat, o.quiet)
	defer out.restore()
	if o.pending != nil {
		if o, err = settleTrust(o, os.Stdin, canAsk(out), out, stderr); err != nil {
			return 2
		}
	}
	if err := runSessions(ctx, o, out, start); err != nil {
		fmt.Fprintln(stderr, out.fail.Render("hotserve: ")+escapeText(err.Error()))
		return 1
	}
	out.println(out.dim.Render("hotserve stopped"))
	return 0
}

// runSessions serves o's folder until ctx ends. Each session serves with
// one set of settings; a changed settings file ends it and the next one
// starts on the same listener where it can.
func runSessions(ctx context.Context, o options, out *term, start time.Time) error {
	root, err := servedFolder(o.dir)
	if err != nil {
		return err
	}
	ln, moved, err := listen(o.host, o.port, o.strictPort)
	if err != nil {
		return err
	}
	defer func() { ln.Close() }()
	var notes []string
	if moved != "" {
		notes = append(notes, moved)
	}

	ctx, quit := context.WithCancel(ctx)
	defer quit()
	keys, restoreKeys := readKeys(ctx, out, quit)
	defer restoreKeys()

	for {
		next, err := serve(ctx, session{o: o, root: root, ln: ln, out: out, start: start, notes: notes, keys: keys, quit: quit})
		if err != nil || next == nil {
			return err
		}
		start, notes = time.Now(), []string{"settings changed: " + next.config + " applied"}
		if next.host != o.host || next.port != o.port || next.strictPort != o.strictPort {
			ln.Close()
			if ln, moved, err = listen(next.host, next.port, next.strictPort); err != nil {
				return err
			}
			if moved != "" {
				notes = append(notes, moved)
			}
		}
		o = *next
	}
}

// servedFolder resolves dir to an absolute folder, or says what is wrong
// with it.
func servedFolder(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("folder %s does not exist; give an existing folder: hotserve [dir]", abs)
	case err != nil:
		return "", fmt.Errorf("cannot open %s: %v", abs, err)
	case !fi.IsDir():
		return "", fmt.Errorf("%s is a file, not a folder; serve its folder instead: hotserve %s", abs, filepath.Dir(dir))
	}
	return abs, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
