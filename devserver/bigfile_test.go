package devserver

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
)

// bigServer serves root with the file server's write deadline set to idle
// (0: the default) and its terminal output in log. closed receives each
// connection the server closes; the server's send buffers are small, so a
// reader that stops backs up at once.
type bigServer struct {
	addr   string
	log    *syncbuf.Buffer
	closed chan net.Conn
}

func serveBig(t *testing.T, root string, idle time.Duration) *bigServer {
	t.Helper()
	b := &bigServer{log: new(syncbuf.Buffer), closed: make(chan net.Conn, 16)}
	files, err := newFileServer(Config{Root: root, Log: slog.New(slog.NewTextHandler(b.log, nil))}, testTag)
	if err != nil {
		t.Fatal(err)
	}
	if idle > 0 {
		files.writeIdle = idle
	}
	srv := httptest.NewUnstartedServer(files)
	srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		c.(*net.TCPConn).SetWriteBuffer(16 << 10)
		return ctx
	}
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			b.closed <- c
		}
	}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		files.Close()
	})
	b.addr = srv.Listener.Addr().String()
	return b
}

// open sends GET target over a raw connection with a small receive buffer
// and returns the connection and the response, whose body is left to read.
func open(t *testing.T, addr, target string) (net.Conn, *http.Response) {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = setsockoptInt(syscall.SetsockoptInt, fd, syscall.SOL_SOCKET, syscall.SO_RCVBUF, 16<<10)
		})
		return errors.Join(err, serr)
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return conn, resp
}

func TestSparseHugePageIsStreamedWithoutInjection(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"index.html": indexHTML})
	// Past 2 GiB, which 32-bit Linux opens only with O_LARGEFILE (see
	// largeFile).
	const size int64 = 2<<30 + 1
	huge := filepath.Join(root, "huge.html")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, size); err != nil { // sparse: no disk, no time
		t.Fatal(err)
	}
	s := serveBig(t, root, 0)

	for range 2 {
		_, resp := open(t, s.addr, "/huge.html")
		if resp.StatusCode != 200 || resp.ContentLength != size {
			t.Fatalf("GET /huge.html: %s, Content-Length %d; want 200 and %d\nterminal:\n%s", resp.Status, resp.ContentLength, size, s.log)
		}
		head := make([]byte, 1<<20)
		if _, err := io.ReadFull(resp.Body, head); err != nil || !bytes.Equal(head, make([]byte, len(head))) {
			t.Fatalf("the first MiB of /huge.html is not the file's (err %v)", err)
		}
	}
	if n := strings.Count(s.log.String(), "level=WARN"); n != 1 || !strings.Contains(s.log.String(), "path=/huge.html") || !strings.Contains(s.log.String(), "2.0 GiB, over the 16.0 MiB") {
		t.Errorf("terminal after two requests of /huge.html, want one warning naming it and its size:\n%s", s.log)
	}

	head := request(t, s.addr, "HEAD", "/huge.html")
	if head.status != 200 || head.header.Get("Content-Length") != strconv.FormatInt(size, 10) || head.body != "" {
		t.Errorf("HEAD /huge.html: %d, Content-Length %q, body %dB; want 200, %d, none", head.status, head.header.Get("Content-Length"), len(head.body), size)
	}
	tail := request(t, s.addr, "GET", "/huge.html", "Range", "bytes=-64")
	if tail.status != 206 || tail.body != string(make([]byte, 64)) || tail.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", size-64, size-1, size) {
		t.Errorf("GET /huge.html, last 64 bytes: %d, Content-Range %q, body %q; want 206 and 64 zero bytes, no client", tail.status, tail.header.Get("Content-Range"), tail.body)
	}
	if etag := head.header.Get("ETag"); etag == "" || strings.HasPrefix(etag, "W/") {
		t.Errorf("ETag %q, want a strong one", etag)
	} else if again := request(t, s.addr, "GET", "/huge.html", "If-None-Match", etag); again.status != 304 {
		t.Errorf("GET /huge.html with its ETag: %d, want 304", again.status)
	}
	if index := request(t, s.addr, "GET", "/"); index.status != 200 || index.body != injected(indexHTML) {
		t.Errorf("GET / after the huge page: %d %q, want the page with the client", index.status, index.body)
	}
}

// page returns an HTML page of about n bytes.
func page(n int) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><title>big</title></head><body>\n")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "<p>paragraph %d of a long page</p>\n", i)
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// TestReaderThatStopsIsCutAndSlowOneFinishes keeps the write deadline's
// promise for a page, sent with the client spliced in, and for an asset,
// sent by sendfile (see deadlineWriter.ReadFrom).
func TestReaderThatStopsIsCutAndSlowOneFinishes(t *testing.T) {
	root := t.TempDir()
	pageText := page(1 << 20)
	asset := make([]byte, 2<<20)
	rand.Read(asset)
	write(t, root, map[string]string{"page.html": pageText, "big.bin": string(asset)})
	const idle = time.Second
	for _, c := range []struct {
		path, want string
		every      time.Duration // a 16 KB read every, well within idle for a chunk
	}{
		{"/page.html", injected(pageText), 50 * time.Millisecond}, // 320 KB/s, as 10 KB/s is to 30s
		{"/big.bin", string(asset), 20 * time.Millisecond},
	} {
		s := serveBig(t, root, idle) // its own, so that s.closed tells of this case's connections only
		t.Run(c.path[1:]+": a reader that stops is disconnected", func(t *testing.T) {
			conn, resp := open(t, s.addr, c.path)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %s", c.path, resp.Status)
			}
			stopped := time.Now()
			select {
			case <-s.closed:
				t.Logf("disconnected %v after it stopped reading", time.Since(stopped).Round(time.Millisecond))
			case <-time.After(10 * time.Second):
				t.Fatalf("a connection that read nothing for 10s is still open; want it closed after %v", idle)
			}
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			n, _ := io.Copy(io.Discard, resp.Body)
			if n >= resp.ContentLength {
				t.Errorf("read all %d bytes after the disconnect, want fewer", n)
			}
		})
		t.Run(c.path[1:]+": a slow but live reader finishes", func(t *testing.T) {
			_, resp := open(t, s.addr, c.path)
			var got bytes.Buffer
			chunk := make([]byte, 16<<10)
			tick := time.NewTicker(c.every)
			defer tick.Stop()
			for range tick.C {
				n, err := io.ReadFull(resp.Body, chunk)
				got.Write(chunk[:n])
				if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
					break
				} else if err != nil {
					t.Fatalf("after %d bytes: %v", got.Len(), err)
				}
			}
			if got.String() != c.want {
				t.Errorf("the slow reader got %d bytes, want %d", got.Len(), len(c.want))
			}
		})
	}
}

func TestScanSeesPageGrowAndShrink(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"p.html": "<body>now 24 bytes</body>"})
	files, err := newFileServer(Config{Root: dir}, testTag)
	if err != nil {
		t.Fatal(err)
	}
	defer files.Close()
	file, err := os.Open(filepath.Join(dir, "p.html"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := files.scan(t.Context(), file, 10, true, "/"); !errors.Is(err, errGrew) {
		t.Errorf("scan of a page stat'ed at 10 bytes and now longer: err %v, want errGrew", err)
	}
	p, err := files.scan(t.Context(), file, 100, true, "/")
	if err != nil || p.size != 25 || p.at != 0 {
		t.Errorf("scan of a page stat'ed at 100 bytes and now 25: %+v, %v; want size 25, tag at 0", p, err)
	}
	got, _ := io.ReadAll(p.content(file, files.tag))
	if string(got) != injected("<body>now 24 bytes</body>") {
		t.Errorf("content %q, want the page with the client", got)
	}
}

func TestPageWaitsForMemoryBudget(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"index.html": indexHTML})
	addr, _ := serve(t, root)
	all := int64(4 * (maxInject + 1))
	if err := pageBudget.Acquire(t.Context(), all); err != nil {
		t.Fatal(err)
	}
	done := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			done <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		done <- resp.Status + " " + string(body)
	}()
	select {
	case r := <-done:
		pageBudget.Release(all)
		t.Fatalf("answered %q while every byte of the budget was taken", r)
	case <-time.After(200 * time.Millisecond): // no answer within 200ms: it waits
	}
	pageBudget.Release(all)
	select {
	case r := <-done:
		if want := "200 OK " + injected(indexHTML); r != want {
			t.Errorf("once the budget was free: %q, want %q", r, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not served within 10s of the budget being free")
	}
}

// BenchmarkServeOverLoopback measures whole responses over a real
// connection, where the write deadline's chunks (and the loss of
// sendfile behind the wrapper) show.
func BenchmarkServeOverLoopback(b *testing.B) {
	root := b.TempDir()
	files := map[string]string{
		"big.css":   strings.Repeat("a { color: red }\n", 8<<20/17),
		"page.html": page(1 << 20),
	}
	write(b, root, files)
	fs, err := newFileServer(Config{Root: root}, testTag)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(fs)
	defer func() { srv.Close(); fs.Close() }()
	for _, name := range []string{"big.css", "page.html"} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(files[name])))
			for b.Loop() {
				resp, err := http.Get(srv.URL + "/" + name)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
