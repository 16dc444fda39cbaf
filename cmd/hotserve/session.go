package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/watcher"
)

// session is one run of the server with one set of settings.
type session struct {
	o     options
	root  string
	ln    net.Listener
	out   *term
	start time.Time
	notes []string           // shown in the banner
	keys  <-chan rune        // key presses on the terminal, if any
	quit  context.CancelFunc // what the q key does
}

// serve runs a session until ctx ends (next is nil) or the settings file
// changes to valid new settings (next holds them). The listener stays open
// for the next session.
func serve(ctx context.Context, s session) (next *options, err error) {
	o, out := s.o, s.out
	w, err := s.watch(o, out.progress())
	if err != nil {
		return nil, err
	}
	var current atomic.Pointer[watcher.Watcher]
	current.Store(w)

	log := slog.New(out.handler())
	cfg := devserver.Config{Root: s.root, Version: version, Log: log, Settings: o.settings,
		WatchStats: func() watcher.Stats { return current.Load().Stats() }}
	srv, err := devserver.New(o.withSecurity(o.withBackend(cfg, out)))
	if err != nil {
		w.Close()
		return nil, err
	}

	url := localURL(s.ln)
	b := banner{
		version: version,
		url:     url,
		folder:  s.root,
		network: networkURLs(o.host, s.ln),
		watch:   w.Stats(),
		startup: time.Since(s.start),
		notes:   s.notes,
	}
	b.notes = append(b.notes, exposureNotes(o, s.root)...)
	out.banner(b, s.keys != nil)
	if o.open {
		openBrowser(url, log)
	}

	hs := srv.HTTPServer()
	hs.ErrorLog = slog.NewLogLogger(out.handler(), slog.LevelWarn)
	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	reopen(s.ln)
	wg.Go(func() {
		if err := hs.Serve(keepOpen{s.ln}); !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
		}
	})
	changed := make(chan options, 1)
	// follow hands w's batches to the server until w is closed, watching
	// for edits of the settings file on the way.
	follow := func(w *watcher.Watcher, o options) {
		wg.Go(func() {
			for batch := range w.Batches() {
				rest, n, ok := settingsChanged(o, s.root, batch, log)
				if ok {
					select {
					case changed <- n:
					default:
					}
				}
				if len(rest.Events) > 0 {
					srv.Update(rest)
				}
			}
		})
		wg.Go(func() {
			for err := range w.Errors() {
				log.Warn(err.Error())
			}
		})
	}
	follow(w, o)

	defer func() {
		// Watcher first (no more updates), then the tabs (they start
		// reconnecting), then requests in flight.
		current.Load().Close()
		srv.Close()
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		hs.Shutdown(sctx)
		wg.Wait()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil, nil
		case err := <-serveErr:
			return nil, fmt.Errorf("server stopped: %v", err)
		case n := <-changed:
			keys := changedKeys(o.settings, n.settings)
			if !onlyWatching(keys) {
				return &n, nil
			}
			// Only how the folder is watched changed: a new watcher,
			// while the server, its tabs and the backend stay as they are.
			nw, err := s.watch(n, nil)
			if err != nil {
				log.Warn(err.Error() + "; keeping the previous settings")
				continue
			}
			old := current.Swap(nw)
			old.Close()
			o = n
			srv.SetSettings(n.settings)
			follow(nw, n)
			log.Info("settings changed: "+strings.Join(keys, ", ")+" applied", "watching", nw.Stats().Dirs)
		case k := <-s.keys:
			s.key(k, srv, url, log)
		}
	}
}

// watchKeys are the settings a new watcher alone applies.
var watchKeys = []string{"ignore", "no-gitignore", "debounce", "poll"}

// watch starts a watcher of the session's folder with o's settings.
func (s session) watch(o options, progress func(dirs, files int)) (*watcher.Watcher, error) {
	w, err := watcher.New(watcher.Options{Root: s.root, Ignore: o.ignore, Debounce: o.debounce,
		NoGitignore: o.noGitignore, Poll: o.poll, Progress: progress})
	if err != nil {
		return nil, fmt.Errorf("cannot watch %s: %v", s.root, err)
	}
	return w, nil
}

// changedKeys lists the settings whose values differ.
func changedKeys(old, new []devserver.Setting) []string {
	var keys []string
	for i := range new {
		if i >= len(old) || old[i] != new[i] {
			keys = append(keys, new[i].Key)
		}
	}
	return keys
}

func onlyWatching(keys []string) bool {
	for _, k := range keys {
		if !slices.Contains(watchKeys, k) {
			return false
		}
	}
	return true
}

// key does what a key pressed on the terminal asks.
func (s session) key(k rune, srv *devserver.Server, url string, log *slog.Logger) {
	switch k {
	case 'r':
		n := srv.Reload("reload requested from the terminal")
		log.Info(fmt.Sprintf("reloaded %d %s", n, plural(n, "tab", "tabs")))
	case 'o':
		openBrowser(url, log)
	case 'c':
		s.out.clear()
	case 'q':
		s.quit()
	case 'h', '?':
		s.out.keyHelp()
	}
}

// settingsChanged takes the settings file's own event out of batch (it is
// hotserve's business, not the tabs' or the backend's) and reports whether
// the new settings are valid and different. A broken edit keeps the old
// settings and says why.
func settingsChanged(o options, root string, batch watcher.Batch, log *slog.Logger) (rest watcher.Batch, next options, changed bool) {
	file := o.config
	if file == "" {
		file = filepath.Join(root, configName) // it may be created later
	}
	// o.config is as given, or found: relative to where hotserve started
	// (./hotserve.toml), on Windows perhaps on another drive.
	file, err := filepath.Abs(file)
	if err != nil {
		return batch, o, false
	}
	rel, err := filepath.Rel(root, file)
	if err != nil || !filepath.IsLocal(rel) {
		return batch, o, false // a settings file outside the folder is not watched
	}
	rel = filepath.ToSlash(rel)
	isSettings := func(e watcher.Event) bool { return e.Path == rel || e.Op == watcher.Rename && e.From == rel }
	if !slices.ContainsFunc(batch.Events, isSettings) {
		return batch, o, false
	}
	rest = batch
	rest.Events = slices.DeleteFunc(slices.Clone(batch.Events), isSettings)
	var why strings.Builder
	n, err := parseFlags(o.args, &why)
	if err != nil {
		log.Warn(strings.TrimSpace(strings.TrimPrefix(why.String(), "hotserve: ")) + "; keeping the previous settings")
		return rest, o, false
	}
	if slices.Equal(n.settings, o.settings) {
		return rest, o, false
	}
	return rest, n, true
}

// keepOpen lets an http.Server stop serving a listener without closing it,
// so that the next session can take it over: Close only interrupts Accept.
type keepOpen struct{ net.Listener }

func (k keepOpen) Close() error {
	if d, ok := k.Listener.(interface{ SetDeadline(time.Time) error }); ok {
		return d.SetDeadline(time.Now())
	}
	return k.Listener.Close()
}

// reopen undoes keepOpen.Close, for the next session.
func reopen(ln net.Listener) {
	if d, ok := ln.(interface{ SetDeadline(time.Time) error }); ok {
		d.SetDeadline(time.Time{})
	}
}
