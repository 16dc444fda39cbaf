package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/watcher"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "v0.1.0-dev"

// shutdownTimeout bounds how long Ctrl-C waits for requests in flight.
const shutdownTimeout = 3 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
		fmt.Fprintln(stdout, "hotserve", version)
		return 0
	}
	out := newTerm(stdout)
	fail := func(format string, a ...any) int {
		fmt.Fprintln(stderr, out.fail.Render("hotserve: ")+fmt.Sprintf(format, a...))
		return 1
	}

	root, err := servedFolder(o.dir)
	if err != nil {
		return fail("%v", err)
	}
	ln, moved, err := listen(o.host, o.port, o.strictPort)
	if err != nil {
		return fail("%v", err)
	}
	defer ln.Close()

	w, err := watcher.New(watcher.Options{Root: root, Ignore: o.ignore, Debounce: o.debounce})
	if err != nil {
		return fail("cannot watch %s: %v", root, err)
	}
	defer w.Close()

	log := slog.New(out.handler())
	srv, err := devserver.New(devserver.Config{Root: root, Version: version, Log: log, WatchStats: w.Stats, Settings: o.settings})
	if err != nil {
		return fail("%v", err)
	}

	b := banner{
		version: version,
		url:     "http://" + ln.Addr().String() + "/",
		folder:  root,
		dirs:    w.Stats().Dirs,
		mode:    w.Stats().Mode,
		startup: time.Since(start),
	}
	if moved != "" {
		b.notes = append(b.notes, moved)
	}
	if !isLoopback(o.host) {
		b.notes = append(b.notes, "listening beyond this machine: anyone on your network can read "+root)
	}
	out.banner(b)

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(out.handler(), slog.LevelWarn),
	}
	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	wg.Go(func() {
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
		}
	})
	wg.Go(func() {
		for batch := range w.Batches() {
			srv.Update(batch)
		}
	})
	wg.Go(func() {
		for err := range w.Errors() {
			log.Warn(err.Error())
		}
	})

	status := 0
	select {
	case <-ctx.Done():
	case err := <-serveErr:
		fail("server stopped: %v", err)
		status = 1
	}
	// Watcher first (no more updates), then the tabs (they start
	// reconnecting), then requests in flight.
	w.Close()
	srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	hs.Shutdown(sctx)
	wg.Wait()
	if status == 0 {
		out.println(out.dim.Render("hotserve stopped"))
	}
	return status
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
