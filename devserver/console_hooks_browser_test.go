package devserver_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
)

// hooksPage logs, while it loads (before the socket is open) and again
// when asked (logAll), an object whose getter counts its calls and one
// whose toJSON throws; window.after says each call returned to the page.
const hooksPage = `<!doctype html><head><script>
window.gets = 0;
window.after = 0;
window.logAll = (tag) => {
  const watched = { name: "watched", get counted() { window.gets++; return 1; } };
  const bad = { name: "bad", toJSON() { throw new Error("toJSON throws"); } };
  console.log(tag, watched);
  console.info(tag, watched);
  console.warn(tag, "warned", watched);
  console.error(tag, "bad", bad);
  window.after++;
};
logAll("early");
</script></head><p>x</p>`

// pageConsole records the console calls the page made, as DevTools sees
// them: their type and first argument.
type pageConsole struct {
	mu    sync.Mutex
	calls []string
}

func (p *pageConsole) listen(t *testing.T, tab context.Context) {
	if err := chromedp.Listen(tab, func(ev any) {
		if c, ok := ev.(*runtime.EventConsoleAPICalled); ok && len(c.Args) > 0 {
			p.mu.Lock()
			p.calls = append(p.calls, string(c.Type)+" "+strings.Trim(string(c.Args[0].Value), `"`)+" "+string(rune('0'+len(c.Args))))
			p.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
}

func (p *pageConsole) has(call string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.calls {
		if c == call {
			return true
		}
	}
	return false
}

// The console hooks never change what the page sees: under --console off,
// and for the levels not asked for, they run no getter of the page's (not
// even while the page loads, before the server has said what it wants);
// an object whose toJSON throws is still logged by the page, its call
// returns, and with the level asked for it reaches the terminal.
func TestBrowserConsoleHooksLeaveThePageAlone(t *testing.T) {
	for _, c := range []struct {
		level string
		want  []string // the terminal's lines, without their place
	}{
		{devserver.ConsoleOff, nil},
		{devserver.ConsoleErrors, []string{`early warned {"name":"watched","counted":[getter]}`, `early bad {"name":"bad"}`, `late warned {"name":"watched","counted":[getter]}`, `late bad {"name":"bad"}`}},
	} {
		t.Run(c.level, func(t *testing.T) {
			s, l, dir := consoleSite(t, map[string]string{"index.html": hooksPage, "style.css": ""}, func(cfg *devserver.Config) { cfg.Console = c.level })
			tab := pageTab(t)
			var seen pageConsole
			seen.listen(t, tab)
			navigate(t, tab, s.URL)
			evalJS[any](t, tab, `logAll("late")`)
			if after := evalJS[int](t, tab, `window.after`); after != 2 {
				t.Fatalf("%d of the page's 2 rounds of console calls returned", after)
			}
			waitUntil(t, "the page's console calls", 10*time.Second, func() bool { return seen.has("error late 3") })
			for _, call := range []string{"log early 2", "info early 2", "warning early 3", "error early 3", "log late 2", "error late 3"} {
				if !seen.has(call) {
					t.Errorf("the page's console did not show %q; it showed %q", call, seen.calls)
				}
			}
			// The update's acknowledgement, which its line waits for, is
			// sent after anything the page said before it.
			writeFile(t, filepath.Join(dir, "style.css"), "p{}")
			waitUntil(t, "the update's line", 10*time.Second, func() bool {
				return strings.Contains(strings.Join(l.lines(), "\n"), "style.css →")
			})
			var have []string
			for _, line := range lines(l.browser()) {
				have = append(have, strings.TrimPrefix(regexp.MustCompile(` · [^ ]*:\d+:\d+$`).ReplaceAllString(line, ""), "/ · "))
			}
			if strings.Join(have, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("terminal lines:\nhave %q\nwant %q", have, c.want)
			}
			if gets := evalJS[int](t, tab, `window.gets`); gets != 0 {
				t.Errorf("hotserve's console hooks ran the page's getter %d times", gets)
			}
		})
	}
}
