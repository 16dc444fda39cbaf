// Backend is the web server that hotserve's tests supervise and proxy to.
// It misbehaves on request, the ways real backends do: it ignores SIGTERM
// (on Windows, CTRL_BREAK_EVENT), leaves children behind that hold its
// port, starts a child that tries to leave its process tree, crashes on
// start, starts slowly. Each start prints one line the tests read:
//
//	backend pid=123 pgid=123 ready-at=<unix ns> title="…"
//
// (pgid=… only on unix). The OS-specific parts are in os_unix.go and
// os_windows.go.
//
// With -build FILE it is a build command instead: it prints "building" and
// exits with the status written in FILE.
//
// Pages: / (HTML, compressed with ?enc=gzip|deflate when accepted, padded
// to ?pad=N bytes), /events (Server-Sent Events), /ws (WebSocket echo),
// /redirect (to this server's own absolute origin), /headers (what arrived).
//
// With -grow N it allocates N bytes a second and keeps them, as a leaking
// backend does.
//
// With -work D each HTML page (/) first costs about D of CPU, standing in for
// a backend that renders templates (see work).
package main

import (
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

type config struct {
	Title string `json:"title"`
	Crash bool   `json:"crash"`

	rounds int // of spin per HTML page: -work, calibrated
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	configFile := flag.String("config", "", "JSON config file: {\"title\": …, \"crash\": bool}")
	ignoreTerm := flag.Bool("ignore-term", false, "ignore SIGTERM (on Windows, CTRL_BREAK_EVENT)")
	child := flag.Bool("child", false, "start a child that ignores SIGTERM, holds the listener and outlives this process")
	escape := flag.Bool("escape", false, "start a child that leaves the process group (unix: a session of its own; Windows: a new process group without a console, breaking away from the job if allowed)")
	build := flag.String("build", "", "be a build command: print building, exit with the status in this file")
	slow := flag.Duration("slow", 0, "wait this long before listening")
	linger := flag.Bool("linger", false, "internal: be the child (ignore SIGTERM, sleep)")
	work := flag.Duration("work", 0, "spend about this much CPU on each HTML page (a calibrated computation, not a sleep)")
	grow := flag.Int("grow", 0, "allocate this many `bytes` a second, touched and kept, like a leak")
	flag.Parse()

	if *linger {
		ignoreStop()
		time.Sleep(time.Hour)
		return
	}
	if *build != "" {
		fmt.Println("building")
		b, err := os.ReadFile(*build)
		code, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			fmt.Fprintln(os.Stderr, "backend:", err)
			code = 1
		}
		os.Exit(code)
	}
	cfg := config{Title: "untitled"}
	if *configFile != "" {
		b, err := os.ReadFile(*configFile)
		if err == nil {
			err = json.Unmarshal(b, &cfg)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "backend: bad config:", err)
			os.Exit(2)
		}
	}
	if cfg.Crash {
		fmt.Println("backend: starting")
		fmt.Fprintln(os.Stderr, "backend: config says crash; giving up")
		os.Exit(3)
	}
	if *ignoreTerm {
		ignoreStop()
	}
	if *work > 0 {
		cfg.rounds = calibrate(*work)
		fmt.Fprintf(os.Stderr, "backend: -work %v = %d rounds of spin\n", *work, cfg.rounds)
	}
	if *grow > 0 {
		go leak(*grow)
	}
	time.Sleep(*slow)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	if *child {
		startChild("child", func(cmd *exec.Cmd) error { return shareListener(cmd, ln.(*net.TCPListener)) })
	}
	if *escape {
		startChild("escaped", leaveGroup)
	}
	fmt.Printf("backend pid=%d%s ready-at=%d title=%q\n", os.Getpid(), groupField(), time.Now().UnixNano(), cfg.Title)
	http.Serve(ln, handler(cfg))
}

// leaked holds what leak allocates, so it stays resident.
var leaked [][]byte

// leak allocates rate bytes a second in tenths, writing every page so that
// the memory is resident (counted in RSS), not only reserved.
func leak(rate int) {
	for range time.Tick(100 * time.Millisecond) {
		b := make([]byte, rate/10)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		leaked = append(leaked, b)
	}
}

// startChild runs this program again as a lingering child, set up by
// prepare, and prints its pid.
func startChild(name string, prepare func(*exec.Cmd) error) {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	cmd := exec.Command(exe, "-linger")
	if err := prepare(cmd); err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	fmt.Printf("backend %s pid=%d\n", name, cmd.Process.Pid)
}

// spinSink keeps the compiler from dropping spin's result.
var spinSink atomic.Uint64

// spin is the stand-in for rendering a page: n rounds of xorshift, each
// depending on the last, no memory traffic, no allocation. Its cost is CPU
// time, not wall time: unlike a loop that watches the clock, it costs the
// same D when the backend shares its core with hotserve.
func spin(n int) uint64 {
	x := uint64(n) | 1
	for range n {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// calibrate returns the rounds of spin that take d, from the fastest of a
// few timed runs (the least disturbed by whatever else runs on the core).
func calibrate(d time.Duration) int {
	const n = 1 << 20
	best := time.Duration(1<<63 - 1)
	for range 8 {
		start := time.Now()
		spinSink.Store(spin(n))
		best = min(best, time.Since(start))
	}
	return max(1, int(float64(n)*float64(d)/float64(best)))
}

func handler(cfg config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		if cfg.rounds > 0 {
			spinSink.Store(spin(cfg.rounds))
		}
		page := fmt.Sprintf("<!doctype html>\n<html><head><title>%s</title></head>\n<body><h1>%s</h1><p id=pid>%d</p>\n"+
			"<script>sessionStorage.loads = (+sessionStorage.loads || 0) + 1;</script>\n", cfg.Title, cfg.Title, os.Getpid())
		if pad, _ := strconv.Atoi(r.URL.Query().Get("pad")); pad > len(page) {
			page += "<!--" + strings.Repeat("x", pad-len(page)-len("<!---->\n</body></html>\n")) + "-->\n"
		}
		page += "</body></html>\n"
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		enc := r.URL.Query().Get("enc")
		if enc == "" || !strings.Contains(r.Header.Get("Accept-Encoding"), enc) {
			io.WriteString(w, page)
			return
		}
		w.Header().Set("Content-Encoding", enc)
		var zw io.WriteCloser
		switch enc {
		case "gzip":
			zw = gzip.NewWriter(w)
		case "deflate":
			zw = zlib.NewWriter(w)
		case "raw-deflate": // what some servers send as "deflate"
			w.Header().Set("Content-Encoding", "deflate")
			zw, _ = flate.NewWriter(w, flate.DefaultCompression)
		default:
			w.Header().Set("Content-Encoding", enc) // claims an encoding it cannot make
			io.WriteString(w, page)
			return
		}
		io.WriteString(zw, page)
		zw.Close()
	})
	mux.HandleFunc("/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 0; ; i++ {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	var upgrader websocket.Upgrader // same-origin check: Origin must match Host
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			t, m, err := c.ReadMessage()
			if err != nil {
				return
			}
			c.WriteMessage(t, append([]byte("echo: "), m...))
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/landed?from=redirect", http.StatusFound)
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{
			"Host":              r.Host,
			"X-Forwarded-For":   r.Header.Get("X-Forwarded-For"),
			"X-Forwarded-Host":  r.Header.Get("X-Forwarded-Host"),
			"X-Forwarded-Proto": r.Header.Get("X-Forwarded-Proto"),
		})
	})
	return mux
}
