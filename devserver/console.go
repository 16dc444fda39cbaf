package devserver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// The page's console in the terminal. The client reports uncaught errors,
// unhandled rejections and console calls over its socket (console); each
// becomes one line,
//
//	about.html · TypeError: x is undefined · js/app.js:12:5
//
// with the place mapped from the page's URL to a path in the folder. All
// of it is the page's text: it is bounded here (maxConsoleText, the frames
// parseStack reads) and escaped by whoever prints it. A page that prints in
// a loop cannot flood the terminal nor slow the server: a line that
// repeats the one before it is counted and printed once more with its
// count (×12) after foldWait, and each tab may print consoleBurst lines at
// once and consoleRate a second after that; what is over is counted and
// said in one line.
const (
	consoleBurst    = 10
	consoleRate     = 2 // lines a second, once the burst is spent
	foldWait        = time.Second
	maxConsoleText  = 1000 // bytes of a message kept
	maxConsoleStack = 16 << 10
	// maxConsoleDropped caps what one count from a page adds: it is the
	// page's number.
	maxConsoleDropped = 1 << 30
)

// Console levels, as Config.Console names them.
const (
	ConsoleErrors = "errors" // errors and warnings: the default
	ConsoleAll    = "all"    // console.log and console.info too
	ConsoleOff    = "off"
)

// console turns the tabs' console messages into log lines, status page
// rows and runtime-error overlays.
type console struct {
	consoleOptions
	mu    sync.Mutex
	tabs  map[*tab]*tabConsole
	spots tagSpots // where the tag is in the pages frames name
}

// consoleOptions are what console needs from the server.
type consoleOptions struct {
	level   string // ConsoleErrors, ConsoleAll or ConsoleOff
	overlay bool   // answer uncaught errors with a runtime-error
	files   *fileServer
	log     *slog.Logger
	record  func(consoleLine) // the status page's list
}

// tabConsole is one tab's state: its token bucket and what it folds.
type tabConsole struct {
	tokens  float64
	filled  time.Time // when tokens was last topped up
	last    string    // the key of the last line printed
	lastEv  consoleEvent
	repeats int // of last since it was printed
	dropped int // lines over the rate since the last summary
	timer   *time.Timer
}

// consoleEvent is one message as it is shown: bounded, and placed.
type consoleEvent struct {
	page, level, kind, text string
	where                   shownFrame // where it happened; File or URL "" when unknown
	frames                  []shownFrame
}

func newConsole(o consoleOptions) *console {
	return &console{consoleOptions: o, tabs: make(map[*tab]*tabConsole)}
}

// received takes a frame from tab t and reports whether it was a console
// message (anything else goes on to the acknowledgements).
func (c *console) received(t *tab, frame []byte) bool {
	var m pageConsole
	if json.Unmarshal(frame, &m) != nil || m.Type != msgConsole {
		return false
	}
	if !c.wants(m.Level) {
		return true
	}
	if m.Dropped > 0 {
		c.countDropped(t, m.Dropped)
		return true
	}
	m.Text, m.Stack = clip(m.Text, maxConsoleText), clip(m.Stack, maxConsoleStack)
	key := strings.Join([]string{m.Level, m.Kind, m.Text, m.Stack, m.URL, fmt.Sprint(m.Line, m.Col)}, "\x00")
	tc, print := c.admit(t, key)
	if !print {
		return true
	}
	ev := c.event(t, m)
	c.mu.Lock()
	tc.lastEv = ev
	c.mu.Unlock()
	c.print(ev, 0)
	if c.overlay && (m.Kind == "uncaught" || m.Kind == "rejection") {
		t.queue(c.runtimeError(ev))
	}
	return true
}

// wants reports whether the level's messages are shown.
func (c *console) wants(level string) bool {
	switch level {
	case "error", "warn":
		return c.level != ConsoleOff
	case "info", "log":
		return c.level == ConsoleAll
	}
	return false
}

// tabLocked returns tab t's state, made if new; the caller holds mu.
func (c *console) tabLocked(t *tab) *tabConsole {
	tc, ok := c.tabs[t]
	if !ok {
		tc = &tabConsole{tokens: consoleBurst, filled: time.Now()}
		c.tabs[t] = tc
		go c.forget(t)
	}
	return tc
}

// countDropped counts n messages tab t could not send among those not
// shown.
func (c *console) countDropped(t *tab, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tc := c.tabLocked(t)
	if tc.lastEv.page == "" {
		tc.lastEv.page = pageName(t.page) // for the summary line
	}
	tc.dropped += min(n, maxConsoleDropped-tc.dropped) // no overflow, even of a 32-bit int
	c.later(t, tc)
}

// admit decides whether the message with key prints a line now: not when
// it repeats the last line (counted, see fold), nor when the tab is over
// its rate (counted, see summary).
func (c *console) admit(t *tab, key string) (*tabConsole, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	tc := c.tabLocked(t)
	if key == tc.last {
		tc.repeats++
		c.later(t, tc)
		return tc, false
	}
	now := time.Now()
	tc.tokens = min(consoleBurst, tc.tokens+now.Sub(tc.filled).Seconds()*consoleRate)
	tc.filled = now
	if tc.tokens < 1 {
		tc.dropped++
		c.later(t, tc)
		return tc, false
	}
	tc.tokens--
	if tc.repeats > 0 {
		c.flushLocked(tc)
	}
	tc.last = key
	return tc, true
}

// later has the tab's counts printed after foldWait, unless that is
// already due: a page that prints without end gets one line a second.
func (c *console) later(t *tab, tc *tabConsole) {
	if tc.timer == nil {
		tc.timer = time.AfterFunc(foldWait, func() {
			c.mu.Lock()
			defer c.mu.Unlock()
			tc.timer = nil
			c.flushLocked(tc)
		})
	}
}

// flushLocked prints what tc has counted: the last line again with its
// repeats, and how many lines the rate left out.
func (c *console) flushLocked(tc *tabConsole) {
	if tc.repeats > 0 {
		c.print(tc.lastEv, tc.repeats)
		tc.repeats = 0
	}
	if tc.dropped > 0 {
		c.log.Warn(fmt.Sprintf("%s · %s not shown: a tab prints at most %d at once and %d a second", tc.lastEv.page,
			count(tc.dropped, "console message"), consoleBurst, consoleRate),
			"source", "browser", "page", tc.lastEv.page, "dropped", tc.dropped)
		tc.dropped = 0
	}
}

// forget drops the state of tab t once it is gone.
func (c *console) forget(t *tab) {
	<-t.done
	c.mu.Lock()
	defer c.mu.Unlock()
	if tc := c.tabs[t]; tc != nil && tc.timer != nil {
		tc.timer.Stop()
	}
	delete(c.tabs, t)
}

// print logs ev, repeated times more than its first line said, and adds
// it to the status page.
func (c *console) print(ev consoleEvent, repeats int) {
	line := ev.page + " · " + ev.text
	where := ev.where.place()
	if where != "" {
		line += " · " + where
	}
	attrs := []slog.Attr{slog.String("source", "browser"), slog.String("page", ev.page),
		slog.String("console", ev.level), slog.String("kind", ev.kind), slog.String("text", ev.text)}
	if ev.where.File != "" {
		attrs = append(attrs, slog.String("file", ev.where.File), slog.String("path", c.files.absPath(ev.where.File)))
	} else if ev.where.URL != "" {
		attrs = append(attrs, slog.String("url", ev.where.URL))
	}
	if ev.where.Line > 0 {
		attrs = append(attrs, slog.Int("line", ev.where.Line), slog.Int("col", ev.where.Col))
	}
	if repeats > 0 {
		line += fmt.Sprintf(" ×%d", repeats)
		attrs = append(attrs, slog.Int("repeats", repeats))
	}
	c.log.LogAttrs(context.Background(), consoleSlogLevel(ev.level), line, attrs...)
	if c.record != nil {
		c.record(consoleLine{At: time.Now(), Page: ev.page, Level: ev.level, Text: ev.text, Where: where, Repeats: repeats})
	}
}

// consoleSlogLevel is how loud a page's console level is in hotserve's
// log: its errors are errors, and --quiet still shows them.
func consoleSlogLevel(level string) slog.Level {
	switch level {
	case "error":
		return slog.LevelError
	case "warn":
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// event places m: its page as a name, its stack as frames mapped to the
// folder, and the frame that says where it happened.
func (c *console) event(t *tab, m pageConsole) consoleEvent {
	ev := consoleEvent{page: pageName(t.page), level: m.Level, kind: m.Kind, text: firstLine(m.Text)}
	if ev.kind != "uncaught" && ev.kind != "rejection" {
		ev.kind = "console"
	}
	pages := make(map[string]placedPage)
	for _, f := range parseStack(m.Stack) {
		if sf, ok := c.place(t, f, pages); ok {
			ev.frames = append(ev.frames, sf)
		}
	}
	if len(ev.frames) == 0 && m.URL != "" {
		if sf, ok := c.place(t, frame{URL: m.URL, Line: m.Line, Col: m.Col}, pages); ok {
			ev.frames = append(ev.frames, sf)
		}
	}
	for _, f := range ev.frames {
		if f.File != "" {
			ev.where = f
			break
		}
	}
	if ev.where.File == "" && len(ev.frames) > 0 {
		ev.where = ev.frames[0]
	}
	return ev
}

// pageName is how a line names the page a tab shows: its URL path without
// the leading slash ("about.html"), or "/" for the top.
func pageName(page string) string {
	if name := strings.TrimPrefix(page, "/"); name != "" {
		return clip(name, shownPath)
	}
	return "/"
}

// firstLine is text up to its first line break, marked when it had more:
// one event, one terminal line.
func firstLine(text string) string {
	text = strings.TrimRight(text, "\r\n")
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		return text[:i] + " …"
	}
	return text
}

// checkConsole validates cfg.Console and sets its default.
func checkConsole(cfg *Config) error {
	switch cfg.Console {
	case "":
		cfg.Console = ConsoleErrors
	case ConsoleErrors, ConsoleAll, ConsoleOff:
	default:
		return &ConfigError{Field: "Console", Value: fmt.Sprintf("%q", cfg.Console), Problem: "is not a console level; use errors (errors and warnings), all or off"}
	}
	return nil
}

// greet tells a connecting tab which console events to send, and whether
// to show runtime errors, in its connected message.
func (c *console) greet(m message) message {
	m.Console, m.NoOverlay = c.level, !c.overlay
	return m
}
