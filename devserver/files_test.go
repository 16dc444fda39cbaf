package devserver

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	indexHTML = "<!DOCTYPE html>\n<html><head><title>home</title></head><body>hi</body></html>\n"
	// binary holds "</body>" to prove that non-HTML files are never injected.
	binary = "wOF2\x00\x01</body></html>\x00\xff"
)

// fixture builds a served folder "root" inside a base folder that also
// holds a secret, and returns both paths. Paths ending in "/" are folders;
// values starting with "->" are symbolic links.
func fixture(t testing.TB) (base, root string) {
	t.Helper()
	base = t.TempDir()
	root = filepath.Join(base, "root")
	write(t, base, map[string]string{
		"secret.txt":         "TOP SECRET",
		"root-private/x.txt": "PREFIX SIBLING",
		"root/index.html":    indexHTML,
		"root/style.css":     "body { color: red }",
		"root/app.js":        "console.log(1)",
		"root/data.json":     `{"x":"</head></body>"}`,
		"root/font.woff2":    binary,
		"root/image.png":     "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
		"root/pic.svg":       "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
		"root/notes.txt":     "plain notes",
		"root/noext":         "just some text",
		"root/digits.bin":    "0123456789",
		"root/UPPER.HTML":    "<body>upper</body>",
		"root/sub/page.htm":  "<p>old-style</p></html>",
		"root/sub/a.txt":     "file a",
		"root/empty/":        "",
		"root/.env":          "API_KEY=1",
		"root/.git/config":   "[core]",
		"root/a/.secret":     "API_KEY=2",
		"root/abs-link.txt":  "->" + filepath.Join(base, "secret.txt"),
		"root/rel-link.txt":  "->../secret.txt",
		"root/dirlink":       "->..",
		"root/in-link.txt":   "->sub/a.txt",
	})
	return base, root
}

// write creates the files described as in fixture under dir. On Windows
// it leaves out symbolic links and names Windows cannot hold (see
// needsLinks).
func write(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if runtime.GOOS == "windows" && (strings.HasPrefix(content, "->") || strings.ContainsAny(name, `<>:"|?*`)) {
			continue
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasSuffix(name, "/"):
			err = os.MkdirAll(p, 0o755)
		case strings.HasPrefix(content, "->"):
			err = os.Symlink(strings.TrimPrefix(content, "->"), p)
		default:
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// serve starts a real server for the folder root.
func serve(t *testing.T, root string) (addr string, files *fileServer) {
	t.Helper()
	files, err := newFileServer(Config{Root: root}, testTag)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(files)
	t.Cleanup(func() {
		srv.Close()
		files.Close()
	})
	return srv.Listener.Addr().String(), files
}

type response struct {
	status int
	header http.Header
	body   string
}

// request sends the request line exactly as given over TCP: Go's client
// (like curl) would clean "..", and the attacks below depend on it not.
// header holds name, value pairs.
func request(t *testing.T, addr, method, target string, header ...string) response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, target, addr)
	for i := 0; i+1 < len(header); i += 2 {
		fmt.Fprintf(&req, "%s: %s\r\n", header[i], header[i+1])
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return response{resp.StatusCode, resp.Header, string(body)}
}

// testTag is the client's script element as a server with the token
// "test-token" and a script of version "test-version" injects it.
var testTag = clientTag("test-token", "test-version")

func injected(page string) string { return string(inject([]byte(page), []byte(testTag))) }

func TestFileContentTypes(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	tests := []struct {
		name, target, wantType, wantBody string
		posix                            string // what Windows lacks (see needsLinks)
	}{
		{"index of the root", "/", "text/html; charset=utf-8", injected(indexHTML), ""},
		{"html file", "/index.html", "text/html; charset=utf-8", injected(indexHTML), ""},
		{"htm file", "/sub/page.htm", "text/html; charset=utf-8", testTag + "<p>old-style</p></html>", ""},
		{"upper-case extension", "/UPPER.HTML", "text/html; charset=utf-8", testTag + "<body>upper</body>", ""},
		{"css", "/style.css", "text/css; charset=utf-8", "body { color: red }", ""},
		{"javascript", "/app.js", "text/javascript; charset=utf-8", "console.log(1)", ""},
		{"json holding </body> is untouched", "/data.json", "application/json", `{"x":"</head></body>"}`, ""},
		{"png", "/image.png", "image/png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", ""},
		{"svg is not html", "/pic.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", ""},
		{"text", "/notes.txt", "text/plain; charset=utf-8", "plain notes", ""},
		{"no extension: sniffed", "/noext", "text/plain; charset=utf-8", "just some text", ""},
		{"symlink inside the root", "/in-link.txt", "text/plain; charset=utf-8", "file a", needsLinks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skipOnWindows(t, tt.posix)
			r := request(t, addr, "GET", tt.target)
			if r.status != http.StatusOK {
				t.Fatalf("status %d, want 200", r.status)
			}
			if got := r.header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			if r.body != tt.wantBody {
				t.Errorf("body\nhave: %q\nwant: %q", r.body, tt.wantBody)
			}
			if got := r.header.Get("Content-Length"); got != strconv.Itoa(len(r.body)) {
				t.Errorf("Content-Length %s, body is %d bytes", got, len(r.body))
			}
		})
	}
	t.Run("binary with </body> is byte for byte", func(t *testing.T) {
		r := request(t, addr, "GET", "/font.woff2")
		if r.status != http.StatusOK || r.body != binary {
			t.Errorf("status %d body %q, want 200 %q", r.status, r.body, binary)
		}
	})
}

func TestFileHeadAndLength(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	tests := []struct{ name, target, wantLength string }{
		{"html has the injected length", "/index.html", strconv.Itoa(len(injected(indexHTML)))},
		{"static file has its size", "/digits.bin", "10"},
		{"listing", "/empty/", ""},
		{"not found", "/missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			get := request(t, addr, "GET", tt.target)
			head := request(t, addr, "HEAD", tt.target)
			if head.status != get.status || head.body != "" {
				t.Errorf("HEAD: status %d body %q, want %d and no body", head.status, head.body, get.status)
			}
			want := strconv.Itoa(len(get.body))
			if tt.wantLength != "" && want != tt.wantLength {
				t.Errorf("GET body is %s bytes, want %s", want, tt.wantLength)
			}
			for _, r := range []response{get, head} {
				if got := r.header.Get("Content-Length"); got != want {
					t.Errorf("Content-Length %q, want %s", got, want)
				}
			}
			if get.header.Get("ETag") != head.header.Get("ETag") {
				t.Errorf("ETag differs: GET %q, HEAD %q", get.header.Get("ETag"), head.header.Get("ETag"))
			}
		})
	}
}

func TestFileRedirectAndRange(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	tests := []struct {
		name, target   string
		header         []string
		status         int
		location, body string
	}{
		{"folder without slash", "/sub", nil, http.StatusFound, "/sub/", ""},
		{"query is kept", "/sub?a=1&b=2", nil, http.StatusFound, "/sub/?a=1&b=2", ""},
		{"double slash cannot redirect off-site", "//sub", nil, http.StatusFound, "/sub/", ""},
		{"range of a static file", "/digits.bin", []string{"Range", "bytes=2-5"}, http.StatusPartialContent, "", "2345"},
		{"suffix range", "/digits.bin", []string{"Range", "bytes=-3"}, http.StatusPartialContent, "", "789"},
		{"range of html is cut from the injected page", "/index.html", []string{"Range", "bytes=0-8"}, http.StatusPartialContent, "", injected(indexHTML)[:9]},
		{"file asked for as a folder", "/notes.txt/", nil, http.StatusNotFound, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(t, addr, "GET", tt.target, tt.header...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d", r.status, tt.status)
			}
			if got := r.header.Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if tt.body != "" && r.body != tt.body {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
		})
	}
}

func TestFileSafety(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	tests := []struct {
		name, method, target string
		status               int
	}{
		{"dotfile", "GET", "/.env", 404},
		{"git config", "GET", "/.git/config", 404},
		{"git folder", "GET", "/.git/", 404},
		{"git folder without slash", "GET", "/.git", 404},
		{"dotfile in a folder", "GET", "/a/.secret", 404},
		{"dotfile with a trailing dot", "GET", "/.env/.", 404},
		{"dotfile through a parent", "GET", "/sub/../.env", 404},
		{"dotfile after a double slash", "GET", "//.env", 404},
		{"dotfile, encoded dot", "GET", "/%2eenv", 404},
		{"dotfile with a query", "GET", "/.env?raw", 404},
		{"dot-dot", "GET", "/../secret.txt", 404},
		{"many dot-dots", "GET", "/../../../../secret.txt", 404},
		{"etc passwd", "GET", "/../etc/passwd", 404},
		{"encoded dot-dot", "GET", "/%2e%2e/etc/passwd", 404},
		{"encoded dot-dot to the secret", "GET", "/%2e%2e/secret.txt", 404},
		{"encoded slash", "GET", "/..%2fsecret.txt", 404},
		{"sibling folder sharing the prefix", "GET", "/../root-private/x.txt", 404},
		{"double encoding", "GET", "/%252e%252e%252fsecret.txt", 404},
		{"backslash", "GET", `/..\secret.txt`, 400},
		{"encoded backslash", "GET", "/..%5csecret.txt", 400},
		{"encoded backslash, etc passwd", "GET", "/..%5c..%5cetc/passwd", 400},
		{"NUL", "GET", "/index.html%00", 400},
		{"NUL alone", "GET", "/%00", 400},
		{"overlong UTF-8 dots", "GET", "/%c0%ae%c0%ae/secret.txt", 400},
		{"malformed escape", "GET", "/%zz", 400},
		{"truncated escape", "GET", "/a%2", 400},
		{"absolute symlink out", "GET", "/abs-link.txt", 404},
		{"relative symlink out", "GET", "/rel-link.txt", 404},
		{"folder symlink out", "GET", "/dirlink/secret.txt", 404},
		{"folder symlink out, listing", "GET", "/dirlink/", 404},
		{"POST", "POST", "/index.html", 405},
		{"DELETE", "DELETE", "/", 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(t, addr, tt.method, tt.target)
			if r.status != tt.status {
				t.Errorf("status %d, want %d; body %q", r.status, tt.status, r.body)
			}
			for _, secret := range []string{"TOP SECRET", "PREFIX SIBLING", "API_KEY", "[core]"} {
				if strings.Contains(r.body, secret) {
					t.Errorf("body leaks %q: %q", secret, r.body)
				}
			}
			if tt.status == 405 && r.header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q, want %q", r.header.Get("Allow"), "GET, HEAD")
			}
		})
	}
}

func TestFileNotFound(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	r := request(t, addr, "GET", "/%3Cscript%3Ealert(1)%3C/script%3E")
	if r.status != http.StatusNotFound {
		t.Fatalf("status %d, want 404", r.status)
	}
	if got := r.header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if strings.Contains(r.body, "<script>alert") || !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("path not escaped: %s", r.body)
	}
	if n := strings.Count(r.body, testTag); n != 1 {
		t.Errorf("page has %d client tags, want 1", n)
	}
}

func TestFileCacheControl(t *testing.T) {
	_, root := fixture(t)
	addr, _ := serve(t, root)
	for _, target := range []string{"/", "/style.css", "/empty/", "/sub", "/missing", "/.env", "/%00"} {
		t.Run(target, func(t *testing.T) {
			if got := request(t, addr, "GET", target).header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("Cache-Control %q, want no-cache", got)
			}
		})
	}
}

// TestFileETag pins the promise that a reload shows what was saved: two
// saves within one second (same Last-Modified) must not be answered 304.
func TestFileETag(t *testing.T) {
	second := time.Now().Truncate(time.Second).Add(-time.Hour)
	tests := []struct {
		name, file, v1, v2 string
		atomic             bool // save by renaming a new file over the old one
		sameTime           bool // give both saves the very same mtime
	}{
		{"html saved in place", "page.html", "<body>one</body>", "<body>two</body>", false, false},
		{"static file saved in place", "app.css", "a{color:red}", "a{color:tan}", false, false},
		{"static file saved atomically, same size and mtime", "app.css", "a{color:red}", "a{color:tan}", true, true},
		{"html saved atomically, same size and mtime", "page.html", "<body>one</body>", "<body>two</body>", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			addr, _ := serve(t, root)
			p := filepath.Join(root, tt.file)
			save := func(content string, mtime time.Time) {
				target := p
				if tt.atomic {
					target = p + ".tmp"
				}
				if err := os.WriteFile(target, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(target, mtime, mtime); err != nil {
					t.Fatal(err)
				}
				if tt.atomic {
					if err := os.Rename(target, p); err != nil {
						t.Fatal(err)
					}
				}
			}
			save(tt.v1, second.Add(100*time.Millisecond))
			first := request(t, addr, "GET", "/"+tt.file)
			etag, lastMod := first.header.Get("ETag"), first.header.Get("Last-Modified")
			if !strings.HasPrefix(etag, `"`) {
				t.Fatalf("ETag %q is not strong", etag)
			}
			if got := request(t, addr, "GET", "/"+tt.file, "If-None-Match", etag, "If-Modified-Since", lastMod); got.status != http.StatusNotModified {
				t.Errorf("unchanged file: status %d, want 304", got.status)
			}
			mtime := second.Add(600 * time.Millisecond)
			if tt.sameTime {
				mtime = second.Add(100 * time.Millisecond)
			}
			save(tt.v2, mtime)
			got := request(t, addr, "GET", "/"+tt.file, "If-None-Match", etag, "If-Modified-Since", lastMod)
			want := tt.v2
			if isHTML(tt.file) {
				want = injected(tt.v2)
			}
			if got.status != http.StatusOK || got.body != want {
				t.Fatalf("second save: status %d body %q, want 200 %q", got.status, got.body, want)
			}
			if got.header.Get("Last-Modified") != lastMod {
				t.Fatalf("Last-Modified changed (%s, then %s): the saves were not within one second", lastMod, got.header.Get("Last-Modified"))
			}
			if got.header.Get("ETag") == etag {
				t.Errorf("ETag %s did not change", etag)
			}
			if again := request(t, addr, "GET", "/"+tt.file, "If-None-Match", got.header.Get("ETag")); again.status != http.StatusNotModified {
				t.Errorf("new ETag: status %d, want 304", again.status)
			}
		})
	}
}

func TestFileListing(t *testing.T) {
	base, root := fixture(t)
	write(t, root, map[string]string{
		"list/<b>&\"x.html":                      "x",
		"list/<img src=x onerror=alert(1)>.html": "x",
		"list/a?b#c.txt":                         "x",
		"list/Zeta.txt":                          strings.Repeat("z", 2048),
		"list/alpha.txt":                         "12345",
		"list/folder/":                           "",
		"list/.hidden":                           "API_KEY=3",
		"list/.git/config":                       "[core]",
		"list/out.txt":                           "->" + filepath.Join(base, "secret.txt"),
		"list/inside.txt":                        "->alpha.txt",
	})
	addr, _ := serve(t, root)
	r := request(t, addr, "GET", "/list/")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d Content-Type %q", r.status, r.header.Get("Content-Type"))
	}
	tests := []struct{ name, want, posix string }{
		{"title", "<title>Index of /list/</title>", ""},
		{"parent link", `<a href="../">../</a>`, ""},
		{"html in a name", `<a href="%3Cb%3E&amp;%22x.html">&lt;b&gt;&amp;&#34;x.html</a>`, needsNames},
		{"attribute in a name", `<a href="%3Cimg%20src=x%20onerror=alert%281%29%3E.html">&lt;img src=x onerror=alert(1)&gt;.html</a>`, needsNames},
		{"query and fragment in a name", `<a href="a%3Fb%23c.txt">a?b#c.txt</a>`, needsNames},
		{"folder with a slash", `<a href="folder/">folder/</a>`, ""},
		{"size in bytes", `<a href="alpha.txt">alpha.txt</a></td><td class="size">5 B</td>`, ""},
		{"size in KiB", `<td class="size">2.0 KiB</td>`, ""},
		{"symlink inside the root", `<a href="inside.txt">inside.txt</a>`, needsLinks},
		{"client injected", `<meta charset="utf-8">` + testTag + "\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			skipOnWindows(t, tt.posix)
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("listing lacks %s\n%s", tt.want, r.body)
			}
		})
	}
	t.Run("hidden and outside entries left out", func(t *testing.T) {
		for _, bad := range []string{".hidden", ".git", "out.txt", "<img", "<b>"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("listing shows %q", bad)
			}
		}
		if n := strings.Count(r.body, "<script"); n != 1 {
			t.Errorf("listing has %d scripts, want only the client", n)
		}
	})
	t.Run("folders first, then names in any case", func(t *testing.T) {
		folder, alpha, zeta := strings.Index(r.body, "folder/"), strings.Index(r.body, "alpha.txt"), strings.Index(r.body, "Zeta.txt")
		if !(folder < alpha && alpha < zeta) {
			t.Errorf("order: folder at %d, alpha at %d, Zeta at %d", folder, alpha, zeta)
		}
	})
	t.Run("no parent link at the root", func(t *testing.T) {
		if err := os.Remove(filepath.Join(root, "index.html")); err != nil {
			t.Fatal(err)
		}
		r := request(t, addr, "GET", "/")
		if r.status != http.StatusOK || strings.Contains(r.body, `href="../"`) || !strings.Contains(r.body, `href="sub/"`) {
			t.Errorf("status %d, root listing:\n%s", r.status, r.body)
		}
	})
	t.Run("empty folder", func(t *testing.T) {
		if r := request(t, addr, "GET", "/empty/"); !strings.Contains(r.body, "This folder is empty.") {
			t.Errorf("empty listing:\n%s", r.body)
		}
	})
}

// TestFileErrors checks how errors met while serving reach the browser:
// internal detail only in the log.
func TestFileErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		logged bool
	}{
		{"removed meanwhile", &fs.PathError{Op: "open", Path: "/srv/x", Err: fs.ErrNotExist}, 404, false},
		{"not readable", &fs.PathError{Op: "open", Path: "/srv/x", Err: fs.ErrPermission}, 403, false},
		{"anything else", &fs.PathError{Op: "read", Path: "/srv/x", Err: syscall.EIO}, 500, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			f := &fileServer{log: slog.New(slog.NewTextHandler(&log, nil))}
			w := httptest.NewRecorder()
			f.fail(w, httptest.NewRequest("GET", "/x", nil), "/x", tt.err)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d", w.Code, tt.status)
			}
			if strings.Contains(w.Body.String(), "/srv") {
				t.Errorf("body leaks the error: %q", w.Body)
			}
			if logged := strings.Contains(log.String(), "/srv/x"); logged != tt.logged {
				t.Errorf("logged %v, want %v: %q", logged, tt.logged, log.String())
			}
		})
	}
}

func TestNewFileServerErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, root := range map[string]string{"missing": filepath.Join(dir, "nope"), "not a folder": file} {
		t.Run(name, func(t *testing.T) {
			f, err := newFileServer(Config{Root: root}, testTag)
			if err == nil {
				f.Close()
				t.Fatalf("newFileServer(%q) succeeded", root)
			}
			if !strings.Contains(err.Error(), root) {
				t.Errorf("error %q does not name the folder", err)
			}
		})
	}
}

func BenchmarkServeHTML(b *testing.B) {
	benchServe(b, "page.html", benchPage(20<<10))
}

func BenchmarkServeStatic(b *testing.B) {
	benchServe(b, "site.css", bytes.Repeat([]byte("a { color: red }\n"), 20<<10/17))
}

// benchServe measures the handler alone, without the network.
func benchServe(b *testing.B, name string, content []byte) {
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, name), content, 0o644); err != nil {
		b.Fatal(err)
	}
	files, err := newFileServer(Config{Root: root}, testTag)
	if err != nil {
		b.Fatal(err)
	}
	defer files.Close()
	req := httptest.NewRequest("GET", "/"+name, nil)
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		files.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
