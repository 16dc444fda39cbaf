// Backend is the web server that hotserve's tests supervise and proxy to.
// It misbehaves on request, the ways real backends do: it ignores SIGTERM,
// leaves children behind that hold its port, crashes on start, starts
// slowly. Each start prints one line the tests read:
//
//	backend pid=123 pgid=123 ready-at=<unix ns> title="…"
//
// Pages: / (HTML, compressed with ?enc=gzip|deflate when accepted, padded
// to ?pad=N bytes), /events (Server-Sent Events), /ws (WebSocket echo),
// /redirect (to this server's own absolute origin), /headers (what arrived).
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
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

type config struct {
	Title string `json:"title"`
	Crash bool   `json:"crash"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	configFile := flag.String("config", "", "JSON config file: {\"title\": …, \"crash\": bool}")
	ignoreTerm := flag.Bool("ignore-term", false, "ignore SIGTERM")
	child := flag.Bool("child", false, "start a child that ignores SIGTERM, holds the listener and outlives this process")
	escape := flag.Bool("escape", false, "start a child in a session of its own (outside the process group)")
	slow := flag.Duration("slow", 0, "wait this long before listening")
	linger := flag.Bool("linger", false, "internal: be the child (ignore SIGTERM, sleep)")
	flag.Parse()

	if *linger {
		signal.Ignore(syscall.SIGTERM)
		time.Sleep(time.Hour)
		return
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
		signal.Ignore(syscall.SIGTERM)
	}
	time.Sleep(*slow)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	if *child {
		f, _ := ln.(*net.TCPListener).File()
		startChild("child", f, nil)
	}
	if *escape {
		startChild("escaped", nil, &syscall.SysProcAttr{Setsid: true})
	}
	fmt.Printf("backend pid=%d pgid=%d ready-at=%d title=%q\n", os.Getpid(), syscall.Getpgrp(), time.Now().UnixNano(), cfg.Title)
	http.Serve(ln, handler(cfg))
}

// startChild runs this program again as a lingering child and prints its pid.
func startChild(name string, f *os.File, attr *syscall.SysProcAttr) {
	cmd := exec.Command(os.Args[0], "-linger")
	if f != nil {
		cmd.ExtraFiles = []*os.File{f}
	}
	cmd.SysProcAttr = attr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
	fmt.Printf("backend %s pid=%d\n", name, cmd.Process.Pid)
}

func handler(cfg config) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
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
