package devserver_test

import (
	"context"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/testenv"
	"github.com/hotserve/hotserve/watcher"
)

// One Chromium serves every browser test of this binary; each test gets a
// tab of its own.
var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	code := testenv.Run(m)
	if browser.cancel != nil {
		browser.cancel()
	}
	os.Exit(code)
}

// startBrowser starts the Chromium at path, for every test of this binary.
func startBrowser(path string) {
	dir, err := os.MkdirTemp("", "hotserve-chromium-")
	if err != nil {
		browser.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		// Any *.example name is this machine, as after a DNS rebinding.
		chromedp.Flag("host-resolver-rules", "MAP *.example 127.0.0.1"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	browser.ctx = ctx
	browser.cancel = func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	browser.err = chromedp.Do(ctx)
}

// newTab opens a tab in the shared browser. An uncaught exception in any
// page it shows fails the test.
func newTab(t testing.TB) context.Context {
	t.Helper()
	ctx := pageTab(t)
	if err := chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*runtime.EventExceptionThrown); ok {
			d := ex.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			t.Errorf("uncaught exception in the page at %s:%d: %s", d.URL, d.LineNumber+1, desc)
		}
	}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// navigate opens url in the tab and waits until the client is connected.
func navigate(t testing.TB, tab context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
	testenv.WaitJS(t, tab, `window.__hotserve?.socket?.readyState === 1`, 10*time.Second)
}

// openSite serves dir and opens it in a new tab, connected.
func openSite(t testing.TB, dir string, tune ...func(*devserver.Config)) (*site, context.Context) {
	t.Helper()
	s := startSite(t, dir, "127.0.0.1:0", tune...)
	tab := newTab(t)
	navigate(t, tab, s.URL)
	return s, tab
}

// evalJS evaluates expr once and returns its value.
func evalJS[T any](t testing.TB, tab context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// site is a running hotserve: watcher, devserver and HTTP server, wired as
// cmd/hotserve wires them.
type site struct {
	URL  string
	addr string
	srv  *devserver.Server
	// sent counts the messages each type of update sent to the tabs.
	sent sync.Map // type → *atomic.Int64

	stop func()
}

// startSite serves dir on addr ("127.0.0.1:0" for any free port), with
// the Config changed by tune.
func startSite(t testing.TB, dir, addr string, tune ...func(*devserver.Config)) *site {
	t.Helper()
	w, err := watcher.New(watcher.Options{Root: dir})
	if err != nil {
		t.Fatal(err)
	}
	cfg := devserver.Config{Root: dir, Version: "test", WatchStats: w.Stats,
		Settings: []devserver.Setting{{Key: "port", Value: addr}}}
	for _, f := range tune {
		f(&cfg)
	}
	srv, err := devserver.New(cfg)
	if err != nil {
		w.Close()
		t.Fatal(err)
	}
	ln, err := listenRetry(addr)
	if err != nil {
		w.Close()
		srv.Close()
		t.Fatal(err)
	}
	return serveSite(t, srv, ln, w)
}

// serveSite serves srv on ln and, when w is not nil, hands it w's batches
// as cmd/hotserve does, counting what each sent; the test's end stops it
// all.
func serveSite(t testing.TB, srv *devserver.Server, ln net.Listener, w *watcher.Watcher) *site {
	s := &site{URL: "http://" + ln.Addr().String() + "/", addr: ln.Addr().String(), srv: srv}
	hs := srv.HTTPServer()
	var wg sync.WaitGroup
	wg.Go(func() { hs.Serve(ln) })
	if w != nil {
		wg.Go(func() {
			for b := range w.Batches() {
				if typ := srv.Update(b); typ != "" {
					c, _ := s.sent.LoadOrStore(typ, new(atomic.Int64))
					c.(*atomic.Int64).Add(1)
				}
			}
		})
	}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			if w != nil {
				w.Close()
			}
			srv.Close()
			hs.Close()
			wg.Wait()
		})
	}
	t.Cleanup(s.stop)
	return s
}

// count returns how many messages of type typ the site has sent.
func (s *site) count(typ string) int64 {
	c, ok := s.sent.Load(typ)
	if !ok {
		return 0
	}
	return c.(*atomic.Int64).Load()
}

// listenRetry listens on addr, retrying briefly while a just-closed
// server's port is released.
func listenRetry(addr string) (net.Listener, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil || time.Now().After(deadline) {
			return ln, err
		}
		time.Sleep(20 * time.Millisecond) // poll interval
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
