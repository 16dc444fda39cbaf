package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	r, err := s.begin()
	if err != nil {
		return nil, err
	}
	defer r.stop()
	url := r.https.secureURL(localURL(s.ln))
	s.announce(r.watcher.Load(), url, r.https, r.log)
	r.serveHTTP()
	r.follow(r.watcher.Load(), s.o)
	trustCheck := time.NewTicker(trustCheckInterval)
	defer trustCheck.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-trustCheck.C:
			if n, ok := r.trustedNow(); ok {
				return &n, nil
			}
		case err := <-r.serveErr:
			return nil, fmt.Errorf("server stopped: %v", err)
		case n := <-r.changed:
			keys := changedKeys(r.o.settings, n.settings)
			if !r.o.flags.onlyWatching(keys) {
				return &n, nil
			}
			r.rewatch(n, keys)
		case k := <-s.keys:
			s.key(k, r.srv, url, r.log)
		}
	}
}

// trustCheckInterval is how often a session whose settings file is not
// trusted looks whether the person has trusted it meanwhile (hotserve
// trust-config in another terminal), to apply it without a restart.
const trustCheckInterval = time.Second

// trustedNow reads the settings again if the file was not trusted, and
// reports whether it is now, with what it asks for.
func (r *running) trustedNow() (options, bool) {
	if r.o.pending == nil {
		return options{}, false
	}
	n, err := parseFlags(r.o.args, io.Discard)
	return n, err == nil && n.pending == nil && !slices.Equal(n.settings, r.o.settings)
}

// running is what a session runs: the watcher, replaced when only how the
// folder is watched changes, the server, and the goroutines that feed
// them.
type running struct {
	s        session
	o        options // the settings applied now
	log      *slog.Logger
	watcher  atomic.Pointer[watcher.Watcher]
	srv      *devserver.Server
	hs       *http.Server
	https    *httpsSetup // nil without --https
	wg       sync.WaitGroup
	serveErr chan error   // the HTTP server failed
	changed  chan options // the settings file holds new valid settings
}

// begin starts the session's watcher and server.
func (s session) begin() (*running, error) {
	r := &running{s: s, o: s.o, log: slog.New(s.out.handler()), serveErr: make(chan error, 1), changed: make(chan options, 1)}
	w, err := s.watch(s.o, s.out.progress())
	if err != nil {
		return nil, err
	}
	r.watcher.Store(w)
	cfg, err := s.serverConfig(r.log, func() watcher.Stats { return r.watcher.Load().Stats() })
	if err == nil {
		r.https, err = setupHTTPS(s.o, s.ln)
	}
	if r.https != nil {
		cfg.HTTPS, cfg.CA = true, r.https.ca
	}
	if err == nil {
		r.srv, err = devserver.New(cfg)
		err = s.o.flags.explain(err)
	}
	if err != nil {
		w.Close()
		return nil, err
	}
	r.hs = r.srv.HTTPServer()
	r.hs.ErrorLog = slog.NewLogLogger(s.out.handler(), slog.LevelWarn)
	if r.https != nil {
		r.hs.TLSConfig = r.https.tls // with h2 in NextProtos, Serve speaks HTTP/2 on TLS
	}
	return r, nil
}

// serverConfig is the server the session's settings ask for.
func (s session) serverConfig(log *slog.Logger, stats func() watcher.Stats) (devserver.Config, error) {
	o := s.o
	if err := o.flags.needsError(); err != nil {
		return devserver.Config{}, err
	}
	mounts, _, err := o.mountConfig(s.root)
	if err != nil {
		return devserver.Config{}, err
	}
	cfg := devserver.Config{Root: s.root, Version: version, Log: log, Settings: o.settings, WatchStats: stats,
		Security: o.securityConfig(), Proxy: o.proxy, Backend: o.backendConfig(s.out), Restart: o.restart, Mounts: mounts,
		Routes: o.routes, Backends: o.namedBackends(s.out),
		Console: o.browser.console, NoOverlay: o.browser.noOverlay, OpenEditor: func(p string, line, col int) error { return openInEditor(log, p, line, col) },
		Monitor: o.monitorConfig(s.out), NoMorph: o.noMorph, NoHMR: o.noHMR}
	return cfg, o.responses.apply(&cfg)
}

// announce prints the banner and opens the browser if asked to.
func (s session) announce(w *watcher.Watcher, url string, https *httpsSetup, log *slog.Logger) {
	network := networkURLs(s.o.host, s.ln)
	for i := range network {
		network[i] = https.secureURL(network[i])
	}
	var phone string
	if len(network) > 0 {
		phone = https.phoneURL(network[0])
	}
	var tlsNotes []string
	if https != nil {
		tlsNotes = https.notes
	}
	b := banner{
		version: version,
		url:     url,
		folder:  s.root,
		mounts:  bannerMounts(s.o),
		network: network,
		phone:   phone,
		watch:   w.Stats(),
		startup: time.Since(s.start),
		notes:   slices.Concat(s.notes, tlsNotes, exposureNotes(s.o, s.root)),
	}
	s.out.banner(b, s.keys != nil)
	if s.o.open {
		openBrowser(url, log)
	}
}

// serveHTTP serves the session's listener until stop.
func (r *running) serveHTTP() {
	reopen(r.s.ln)
	var ln net.Listener = r.s.ln
	var sniff *sniffListener
	if r.https != nil {
		sniff = newSniffListener(ln, r.https.tls)
		ln = sniff
	}
	r.wg.Go(func() {
		err := r.hs.Serve(keepOpen{ln})
		if sniff != nil {
			sniff.stop()
		}
		if !errors.Is(err, http.ErrServerClosed) {
			r.serveErr <- err
		}
	})
}

// follow hands w's batches to the server until w is closed, watching for
// edits of the settings file on the way.
func (r *running) follow(w *watcher.Watcher, o options) {
	r.wg.Go(func() {
		for batch := range w.Batches() {
			rest, n, ok := settingsChanged(o, r.s.root, batch, r.log)
			if ok {
				select {
				case r.changed <- n:
				default:
				}
			}
			if len(rest.Events) > 0 {
				r.srv.Update(rest)
			}
		}
	})
	r.wg.Go(func() {
		for err := range w.Errors() {
			r.log.Warn(err.Error())
		}
	})
}

// rewatch applies settings n that only change how the folder is watched
// (keys): a new watcher, while the server, its tabs and the backend stay
// as they are.
func (r *running) rewatch(n options, keys []string) {
	nw, err := r.s.watch(n, nil)
	if err != nil {
		r.log.Warn("cannot apply the new settings; keeping the previous ones", "err", err)
		return
	}
	r.watcher.Swap(nw).Close()
	r.o = n
	r.srv.SetSettings(n.settings)
	r.follow(nw, n)
	r.log.Info("settings changed: "+strings.Join(keys, ", ")+" applied", "watching", nw.Stats().Dirs)
}

// stop ends the session: the watcher first (no more updates), then the
// tabs (they start reconnecting), then requests in flight.
func (r *running) stop() {
	r.watcher.Load().Close()
	r.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	r.hs.Shutdown(ctx)
	r.wg.Wait()
}

// watch starts a watcher of the session's folder and its mounts with o's
// settings.
func (s session) watch(o options, progress func(dirs, files int)) (*watcher.Watcher, error) {
	_, mounts, err := o.mountConfig(s.root)
	if err != nil {
		return nil, err
	}
	opts := o.watch
	opts.Root, opts.Progress, opts.Mounts = s.root, progress, mounts
	w, err := watcher.New(opts)
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

// onlyWatching reports whether every setting of keys is one a new watcher
// alone applies.
func (fs *flagSet) onlyWatching(keys []string) bool {
	for _, k := range keys {
		if d, _ := fs.def(k); d.group != watching {
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
		log.Info("reloaded the tabs", "tabs", n)
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
	if n.pending != nil {
		log.Warn(n.pending.waitsText())
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
