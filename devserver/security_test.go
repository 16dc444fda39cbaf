package devserver

import (
	"bufio"
	"bytes"
	"context"
	be "encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// secrets are strings of the fixture that no response may ever contain.
var secrets = []string{"TOP SECRET", "PREFIX SIBLING", "API_KEY", "[core]", "PRIVATE KEY", "UNSAFE PAGE", "ALIAS NAME"}

// On Windows, write leaves out symbolic links (creating one needs a
// privilege there, and Wine's CreateSymbolicLink makes nothing) and names
// that Windows cannot hold (< > : " | ? *). A case that needs them says
// why in posix and is skipped on Windows only.
const (
	needsLinks = "symbolic links need a privilege on Windows, and Wine makes none"
	needsNames = `Windows file names cannot hold < > : " | ? *`
)

// skipOnWindows skips t on Windows, where the fixture lacks what the test
// needs (why, one of the needs constants).
func skipOnWindows(t *testing.T, why string) {
	t.Helper()
	if why != "" && runtime.GOOS == "windows" {
		t.Skip("skipped on windows: " + why)
	}
}

// securityFixture is fixture plus the files the catalogue in
// shared/reference/security.md attacks.
func securityFixture(t testing.TB) (base, root string) {
	base, root = fixture(t)
	if runtime.GOOS != "windows" {
		// Real files whose names Windows reads as other files or devices
		// (see aliasName): served nowhere, so a site behaves the same on
		// every machine. Windows cannot hold them at all.
		write(t, base, map[string]string{
			"root/aux.html":       "ALIAS NAME",
			"root/page.html.":     "ALIAS NAME",
			"root/page.html ":     "ALIAS NAME",
			"root/GIT~1/config":   "ALIAS NAME",
			"root/INDEX~1.HTM":    "ALIAS NAME",
			"root/x:y.txt":        "ALIAS NAME",
			"root/sub/Com1 .json": "ALIAS NAME",
		})
	}
	write(t, base, map[string]string{
		// Ordinary names near the alias rules, served everywhere.
		"root/a.b.c":            "dots inside",
		"root/file~name.txt":    "tilde in a long name",
		"root/report~2024.txt":  "tilde, digits, long",
		"root/~user/index.html": "<p>user page</p>",
		"root/com10.txt":        "not a device",
		"root/auxiliary.js":     "not a device either",
		"root/straße.html":      "<p>sharp s</p>",
		// Names that fold into a key file's or a dotfile's name on some
		// file system (see foldName), one per folder so that none opens
		// another on NTFS.
		"root/fold/s/id_r\u017fa":     "-----BEGIN PRIVATE KEY-----",
		"root/fold/i/\u0131d_rsa":     "-----BEGIN PRIVATE KEY-----",
		"root/fold/k/server.\u212aey": "-----BEGIN PRIVATE KEY-----",
		"root/fold/st/x.key\ufb06ore": "-----BEGIN PRIVATE KEY-----",
		"root/fold/zw/\u200c.env":     "API_KEY=6",
		"root/fold/zw/visible.txt":    "fold visible",

		"unsafe.html":                "<body>UNSAFE PAGE</body>",
		"root/.env.local":            "API_KEY=4",
		"root/.npmrc":                "//registry/:_authToken=API_KEY",
		"root/sub/.env":              "API_KEY=5",
		"root/key.pem":               "-----BEGIN PRIVATE KEY-----",
		"root/cert.crt":              "-----BEGIN PRIVATE KEY-----",
		"root/SERVER.KEY":            "-----BEGIN PRIVATE KEY-----",
		"root/deploy/id_rsa":         "-----BEGIN PRIVATE KEY-----",
		"root/deploy/id_ed25519.pub": "ssh-ed25519 PRIVATE KEY",
		"root/cfg":                   "->.env",
		"root/keys":                  "->.git",
		"root/sub/up-cfg":            "->../.env",
		"root/site/index.html":       "->../key.pem",
		"root/list/<img src=x onerror=alert(1)>.html": "x",
		"root/list/javascript:alert(1)":               "x",
		"root/list/cfg":                               "->../.env",
	})
	return base, root
}

// startGuarded serves root through a whole Server (guard included) on a
// real 127.0.0.1 listener with the limits cmd/hotserve uses, which tune may
// change first.
func startGuarded(t testing.TB, cfg Config, tune ...func(*http.Server)) (srv *Server, addr string) {
	t.Helper()
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln := testenv.Listen(t)
	hs := srv.HTTPServer()
	hs.ErrorLog = slog.NewLogLogger(slog.DiscardHandler, slog.LevelError)
	for _, f := range tune {
		f(hs)
	}
	go hs.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		hs.Close()
	})
	return srv, ln.Addr().String()
}

// servedTagRE is the script tag that hotserve injects into a page, with
// the token that the socket asks for.
var servedTagRE = regexp.MustCompile(`<script src="` + prefix + `client\.js\?t=([^"]+)"></script>`)

// servedTag fetches the page at / and returns the client's script tag in
// it and the tag's token, read from the page as a client reads them and as
// an attacker would have to, not from the server's own fields.
func servedTag(t *testing.T, addr string) (tag, token string) {
	t.Helper()
	page := request(t, addr, "GET", "/").body
	m := servedTagRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("GET / from %s: no client script tag in the page:\n%s", addr, page)
	}
	return m[0], m[1]
}

// rawRequest writes req to addr byte for byte and reads one response.
func rawRequest(t testing.TB, addr, req string) response {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%.60q: %v", req, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(body)}
}

// upgrade is the header of a WebSocket handshake.
var upgrade = []string{"Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}

func TestSecurityCatalogue(t *testing.T) {
	const corsOrigin = "http://allowed.example:3000"
	_, root := securityFixture(t)
	srv, addr := startGuarded(t, Config{Root: root, Security: Security{AllowedHosts: []string{"mybox.lan"}, CORSOrigins: []string{corsOrigin}}})
	_, port, _ := net.SplitHostPort(addr)
	tag, token := servedTag(t, addr)
	own := "http://" + addr
	ws := prefix + "ws?t=" + token
	wsh := func(h ...string) []string { return append(append([]string(nil), upgrade...), h...) }

	type attack struct {
		// name starts with the catalogue id, except in the symlink cases:
		// the catalogue's S codes are also the watcher's scenario codes.
		name   string
		posix  string // what Windows lacks for this case (see needsLinks)
		method string // default GET
		target string
		host   string // default addr; "-" sends none
		proto  string // default HTTP/1.1
		header []string
		status int
		body   string // the body contains it
		nobody string // the body does not contain it
		// hdr names a response header that must equal hval ("" = absent).
		hdr, hval string
	}
	attacks := []attack{
		{name: "T1 dot-dot", target: "/../secret.txt", status: 404},
		{name: "T1 many dot-dots", target: "/../../../../secret.txt", status: 404},
		{name: "T2 encoded dots", target: "/%2e%2e/secret.txt", status: 404},
		{name: "T2 encoded dots and slash", target: "/%2e%2e%2fsecret.txt", status: 404},
		{name: "T2 encoded slash", target: "/..%2fsecret.txt", status: 404},
		{name: "T2 encoded slashes in a folder", target: "/sub/..%2f..%2fsecret.txt", status: 404},
		{name: "T3 backslash", target: `/..\secret.txt`, status: 400},
		{name: "T3 encoded backslash", target: "/..%5csecret.txt", status: 400},
		{name: "T3 backslashes in a folder", target: `/sub\..\..\secret.txt`, status: 400},
		{name: "T4 double encoding", target: "/%252e%252e%252fsecret.txt", status: 404},
		{name: "T4 double-encoded dots", target: "/.%252e/.%252e/secret.txt", status: 404},
		{name: "T5 NUL after a name", target: "/index.html%00", status: 400},
		{name: "T5 NUL alone", target: "/%00", status: 400},
		{name: "T5 NUL in a folder", target: "/file/qwe/%00", status: 400},
		{name: "T5 raw NUL, HTTP/1.0", target: "/..\x00", proto: "HTTP/1.0", status: 400},
		{name: "T6 overlong dots", target: "/%c0%ae%c0%ae/secret.txt", status: 400},
		{name: "T6 overlong slash", target: "/%c0%af", status: 400},
		{name: "T6 three-byte overlong dots", target: "/%e0%80%ae%e0%80%ae/secret.txt", status: 400},
		{name: "T7 hash then dot-dots", target: "/index.html#/../../secret.txt", status: 400},
		{name: "T7 hash to a dotfile", target: "/sub/a.txt#/../../.env", status: 400},
		{name: "T8 dotfile with /.", target: "/.env/.", status: 404},
		{name: "T8 dotfile with /", target: "/.env/", status: 404},
		{name: "T8 dotfile with a backslash", target: `/.env\`, status: 400},
		{name: "T8 dotfile through a folder", target: "/sub/../.env", status: 404},
		{name: "T8 dotfile after ./", target: "/./.env", status: 404},
		{name: "T8 dotfile after //", target: "//.env", status: 404},
		{name: "T8 dotfile upper case", target: "/.ENV", status: 404},
		{name: "T8 folder upper case", target: "/.GIT/config", status: 404},
		{name: "T8 dotfile mixed case", target: "/.Env", status: 404},
		{name: "T8 folder with a trailing dot", target: "/.git./config", status: 404},
		{name: "T8 folder with a trailing space", target: "/.git%20/config", status: 404},
		{name: "T8 key file upper case", target: "/KEY.PEM", status: 404},
		{name: "T8 key prefix upper case", target: "/deploy/ID_RSA", status: 404},
		{name: "T8 key with long s", target: "/fold/s/id_r%C5%BFa", status: 404},
		{name: "T8 key with long s for the real one", target: "/deploy/id_r%C5%BFa", status: 404},
		{name: "T8 key with dotless i", target: "/fold/i/%C4%B1d_rsa", status: 404},
		{name: "T8 key with Kelvin sign", target: "/fold/k/server.%E2%84%AAey", status: 404},
		{name: "T8 key with st ligature", target: "/fold/st/x.key%EF%AC%86ore", status: 404},
		{name: "T8 dotfile after an ignorable", target: "/fold/zw/%E2%80%8C.env", status: 404},
		{name: "T8 ignorable-only folder still served", target: "/fold/zw/visible.txt", status: 200, body: "fold visible"},
		{name: "T8 page by another case", target: "/Index.HTML", status: 404},
		{name: "T8 page in upper case", target: "/INDEX.HTML", status: 404},
		{name: "T8 page in lower case", target: "/upper.html", status: 404},
		{name: "T8 page by its own case", target: "/UPPER.HTML", status: 200, body: "upper"},
		{name: "T8 folder by another case", target: "/SUB/a.txt", status: 404},
		{name: "T8 file by another case", target: "/sub/A.TXT", status: 404},
		{name: "T8 folder redirect by another case", target: "/Sub", status: 404},
		{name: "T8 folder by another case, slash", target: "/SUB/", status: 404},
		{name: "T9 ?raw", target: "/.env?raw", status: 404},
		{name: "T9 ?raw??", target: "/.env?raw??", status: 404},
		{name: "T9 ?import&raw", target: "/.env?import&raw", status: 404},
		{name: "T9 ?.svg?.wasm?init", target: "/.env?.svg?.wasm?init", status: 404},
		{name: "T9 ?inline", target: "/.env?inline", status: 404},
		{name: "T9 query is not a path", target: "/sub/a.txt?/../../.env", status: 200, body: "file a"},
		{name: "T10 sibling sharing the prefix", target: "/../root-private/x.txt", status: 404},
		{name: "T11 html outside the root", target: "/../unsafe.html", status: 404},
		{name: "T12 absolute-form dot-dot", target: "http://" + addr + "/../secret.txt", status: 404},
		{name: "T13 malformed escape", target: "/%zz", status: 400},
		{name: "T13 lone percent", target: "/%", status: 400},
		{name: "T13 truncated escape", target: "/a%2", status: 400},
		{name: "T14 trailing dot", target: "/.env.", status: 404},
		{name: "T14 trailing dots", target: "/.env...", status: 404},
		{name: "T14 trailing space", target: "/.env%20", status: 404},
		{name: "T14 key with a trailing dot", target: "/key.pem.", status: 404},
		{name: "T14 key with a trailing space", target: "/key.pem%20", status: 404},
		{name: "T14 page with a trailing dot", target: "/index.html.", status: 404},
		{name: "T14 page with trailing dot and space", target: "/index.html.%20", status: 404},
		{name: "T14 real file named with a trailing dot", target: "/page.html.", status: 404},
		{name: "T14 real file named with a trailing space", target: "/page.html%20", status: 404},
		{name: "T14 stream of a page", target: "/index.html::$DATA", status: 404},
		{name: "T14 stream of a key", target: "/key.pem::$DATA", status: 404},
		{name: "T14 named stream of a dotfile", target: "/.env:stream", status: 404},
		{name: "T14 stream of .git", target: "/.git::$INDEX_ALLOCATION/config", status: 404},
		{name: "T14 encoded colon", target: "/index.html%3A%3A$DATA", status: 404},
		{name: "T14 real file with a colon", target: "/x:y.txt", status: 404},
		{name: "T14 short name of .git", target: "/GIT~1/config", status: 404},
		{name: "T14 short name, lower case", target: "/git~1/config", status: 404},
		{name: "T14 short name of a page", target: "/INDEX~1.HTM", status: 404},
		{name: "T14 short name of .env.local", target: "/ENV~1.LOC", status: 404},
		{name: "T14 hashed short name", target: "/_GIT~IBP/config", status: 404},
		{name: "T14 encoded tilde", target: "/GIT%7E1/config", status: 404},
		{name: "T14 device CON", target: "/CON", status: 404},
		{name: "T14 device nul", target: "/nul", status: 404},
		{name: "T14 device PRN in a folder", target: "/sub/PRN", status: 404},
		{name: "T14 device with an extension", target: "/aux.html", status: 404},
		{name: "T14 device with two extensions", target: "/NUL.tar.gz", status: 404},
		{name: "T14 device COM1", target: "/COM1", status: 404},
		{name: "T14 device lpt9 with an extension", target: "/lpt9.txt", status: 404},
		{name: "T14 device COM superscript one", target: "/COM%C2%B9", status: 404},
		{name: "T14 device with spaces before the extension", target: "/sub/Com1%20.json", status: 404},
		{name: "T14 device with a trailing dot", target: "/con.", status: 404},
		{name: "T14 console input", target: "/CONIN$", status: 404},
		{name: "T14 drive", target: "/C:", status: 404},
		{name: "T14 drive-relative", target: "/c:foo", status: 404},
		{name: "T14 drive path", target: "/C:/Windows/win.ini", status: 404},
		{name: "T14 drive after a dot-dot", target: "/a/../c:/b", status: 404},
		{name: "T14 drive with a backslash", target: "/C:%5cWindows%5cwin.ini", status: 400},
		{name: "T14 backslashes up", target: "/..%5c..%5cWindows/win.ini", status: 400},
		{name: "T14 UNC-like", target: "/%5c%5c127.0.0.1%5cc$", status: 400},
		{name: "T14 dots inside a name", target: "/a.b.c", status: 200, body: "dots inside"},
		{name: "T14 tilde in a long name", target: "/file~name.txt", status: 200, body: "tilde in a long name"},
		{name: "T14 tilde and digits in a long name", target: "/report~2024.txt", status: 200, body: "tilde, digits, long"},
		{name: "T14 tilde first", target: "/~user/", status: 200, body: "user page"},
		{name: "T14 COM10 is not a device", target: "/com10.txt", status: 200, body: "not a device"},
		{name: "T14 AUX inside a longer name", target: "/auxiliary.js", status: 200, body: "not a device either"},
		{name: "T14 sharp s", target: "/stra%C3%9Fe.html", status: 200, body: "sharp s"},

		{name: "symlink out, absolute", posix: needsLinks, target: "/abs-link.txt", status: 404},
		{name: "symlink out, relative", posix: needsLinks, target: "/rel-link.txt", status: 404},
		{name: "symlink out to a folder", posix: needsLinks, target: "/dirlink/secret.txt", status: 404},
		{name: "symlink out to a folder, to a dotfile", posix: needsLinks, target: "/dirlink/root/.env", status: 404},
		{name: "symlink inside the root", posix: needsLinks, target: "/in-link.txt", status: 200, body: "file a"},
		{name: "symlink to a dotfile", posix: needsLinks, target: "/cfg", status: 404},
		{name: "symlink to a dotfile, HEAD", posix: needsLinks, method: "HEAD", target: "/cfg", status: 404},
		{name: "symlink up to a dotfile", posix: needsLinks, target: "/sub/up-cfg", status: 404},
		{name: "symlink to the .git folder", posix: needsLinks, target: "/keys/config", status: 404},
		{name: "symlink from index.html to a key", posix: needsLinks, target: "/site/", status: 200, body: "Index of /site/"},

		{name: "D1 .env", target: "/.env", status: 404},
		{name: "D1 .env.local", target: "/.env.local", status: 404},
		{name: "D1 .env in a folder", target: "/sub/.env", status: 404},
		{name: "D2 .git/config", target: "/.git/config", status: 404},
		{name: "D2 .git/", target: "/.git/", status: 404},
		{name: "D3 key.pem", target: "/key.pem", status: 404},
		{name: "D3 cert.crt", target: "/cert.crt", status: 404},
		{name: "D3 key in upper case", target: "/SERVER.KEY", status: 404},
		{name: "D3 .npmrc", target: "/.npmrc", status: 404},
		{name: "D3 id_rsa", target: "/deploy/id_rsa", status: 404},
		{name: "D3 id_ed25519.pub", target: "/deploy/id_ed25519.pub", status: 404},
		{name: "D5 HEAD .env", method: "HEAD", target: "/.env", status: 404},

		{name: "H1 foreign host", host: "attacker.example:" + port, target: "/", status: 403, body: `the host "attacker.example:` + port + `" (this guards against DNS rebinding); if that name is yours, add it to the allowed hosts`},
		{name: "H2 localhost", host: "localhost", target: "/", status: 200},
		{name: "H2 localhost with port", host: "localhost:" + port, target: "/", status: 200},
		{name: "H2 LOCALHOST", host: "LOCALHOST:" + port, target: "/", status: 200},
		{name: "H2 subdomain of localhost", host: "foo.localhost:" + port, target: "/", status: 200},
		{name: "H2 deeper subdomain of localhost", host: "foo.bar.localhost", target: "/", status: 200},
		{name: "H2 127.0.0.1", host: "127.0.0.1:" + port, target: "/", status: 200},
		{name: "H2 another loopback address", host: "127.0.0.2:" + port, target: "/", status: 200},
		{name: "H2 [::1]", host: "[::1]", target: "/", status: 200},
		{name: "H2 [::1] with port", host: "[::1]:" + port, target: "/", status: 200},
		{name: "H3 localhos", host: "localhos", target: "/", status: 403},
		{name: "H3 localhost.foo", host: "localhost.foo", target: "/", status: 403},
		{name: "H3 .localhost alone", host: ".localhost", target: "/", status: 403},
		{name: "H3 localhost inside a foreign name", host: "attacker.localhost.evil.example", target: "/", status: 403},
		{name: "H3 not an address", host: "255.255.255.256", target: "/", status: 403},
		{name: "H3 unspecified address", host: "0.0.0.0:" + port, target: "/", status: 403},
		{name: "H3 broken bracket", host: "[:", target: "/", status: 403},
		{name: "H3 bad IPv6", host: "[::z]", target: "/", status: 403},
		{name: "H3 unbracketed IPv6", host: "::1", target: "/", status: 403},
		{name: "H3 empty", host: "", target: "/", status: 403},
		{name: "H4 HTTP/1.0 without Host", host: "-", proto: "HTTP/1.0", target: "/", status: 403},
		{name: "H5 two Hosts", header: []string{"Host", "attacker.example"}, target: "/", status: 400},
		{name: "H6 absolute-form foreign host", target: "http://attacker.example/", status: 403},
		{name: "H7 foreign host, client script", host: "attacker.example", target: prefix + "client.js", status: 403},
		{name: "H7 foreign host, WebSocket", host: "attacker.example:" + port, target: ws, header: wsh("Origin", "http://attacker.example:"+port), status: 403},
		{name: "H7 foreign host, status page", host: "attacker.example", target: prefix, status: 403},
		{name: "H8 X-Forwarded-Host is not trusted", host: "attacker.example", header: []string{"X-Forwarded-Host", "localhost"}, target: "/", status: 403},
		{name: "H9 allowed host", host: "mybox.lan:" + port, target: "/", status: 200},
		{name: "H9 allowed host, other case", host: "MyBox.LAN", target: "/", status: 200},
		{name: "H echoed host is quoted text", host: "x'onmouseover=alert(1)", target: "/", status: 403, body: `"x'onmouseover=alert(1)"`, hdr: "Content-Type", hval: "text/plain; charset=utf-8"},

		{name: "W1 foreign origin", target: ws, header: wsh("Origin", "https://evil.example"), status: 403},
		{name: "W2 LAN address origin", target: ws, header: wsh("Origin", "http://192.168.1.10"), status: 403},
		{name: "W2 LAN address and port origin", target: ws, header: wsh("Origin", "http://10.0.0.5:8080"), status: 403},
		{name: "W3 null origin", target: ws, header: wsh("Origin", "null"), status: 403},
		{name: "W4 another port of localhost", host: "localhost:" + port, target: ws, header: wsh("Origin", "http://localhost:1"), status: 403},
		{name: "W4 another loopback name", host: "localhost:" + port, target: ws, header: wsh("Origin", own), status: 403},
		{name: "W4 CORS origin cannot open a socket", target: ws, header: wsh("Origin", corsOrigin), status: 403},
		{name: "W5 own origin with the token", target: ws, header: wsh("Origin", own), status: 101},
		{name: "W5 own origin, localhost", host: "localhost:" + port, target: ws, header: wsh("Origin", "http://localhost:"+port), status: 101},
		{name: "W6 DNS rebinding", host: "attacker.example:" + port, target: ws, header: wsh("Origin", "http://attacker.example:"+port), status: 403},
		{name: "W7 no token", target: prefix + "ws", header: wsh("Origin", own), status: 403},
		{name: "W7 empty token", target: prefix + "ws?t=", header: wsh("Origin", own), status: 403},
		{name: "W7 wrong token, same length", target: prefix + "ws?t=" + strings.Repeat("0", len(token)), header: wsh("Origin", own), status: 403},
		{name: "W7 wrong token, other length", target: prefix + "ws?t=abc", header: wsh("Origin", own), status: 403},
		{name: "W8 no origin (a command-line client)", target: prefix + "ws", header: upgrade, status: 101},
		{name: "W9 upgrade on /", target: "/", header: wsh("Origin", own), status: 200},
		{name: "W9 upgrade on another path", target: "/foo", header: upgrade, status: 404},
		{name: "W9 upgrade on a path that cleans to the socket", target: "/ws/.." + prefix + "ws", header: upgrade, status: 404},
		{name: "W status socket, foreign origin", target: prefix + "status/ws", header: wsh("Origin", "https://evil.example"), status: 403},

		{name: "C1 foreign origin gets no CORS", target: "/app.js", header: []string{"Origin", "https://evil.example"}, status: 200, hdr: "Access-Control-Allow-Origin", hval: ""},
		{name: "C2 foreign preflight", method: "OPTIONS", target: "/app.js", header: []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}, status: 405, hdr: "Access-Control-Allow-Methods", hval: ""},
		{name: "C4 listed origin", target: "/app.js", header: []string{"Origin", corsOrigin}, status: 200, hdr: "Access-Control-Allow-Origin", hval: corsOrigin},
		{name: "C4 listed origin preflight", method: "OPTIONS", target: "/app.js", header: []string{"Origin", corsOrigin, "Access-Control-Request-Method", "GET"}, status: 204, hdr: "Access-Control-Allow-Methods", hval: "GET, HEAD"},
		{name: "C4 scheme mismatch", target: "/app.js", header: []string{"Origin", "https://allowed.example:3000"}, status: 200, hdr: "Access-Control-Allow-Origin", hval: ""},
		{name: "C4 suffix of a listed origin", target: "/app.js", header: []string{"Origin", corsOrigin + ".evil.com"}, status: 200, hdr: "Access-Control-Allow-Origin", hval: ""},
		{name: "C5 cross-site script", target: "/app.js", header: []string{"Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "script"}, status: 403},
		{name: "C5 cross-site stylesheet", target: "/style.css", header: []string{"Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "style"}, status: 403},
		{name: "C5 other port's script", target: "/app.js", header: []string{"Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "same-site", "Sec-Fetch-Dest", "script"}, status: 403},
		{name: "C5 own script", target: "/app.js", header: []string{"Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Dest", "script"}, status: 200},
		{name: "C5 cross-site image", target: "/image.png", header: []string{"Sec-Fetch-Mode", "no-cors", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "image"}, status: 200},
		{name: "C5 cross-site module script (CORS mode)", target: "/app.js", header: []string{"Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "script", "Origin", "https://evil.example"}, status: 200, hdr: "Access-Control-Allow-Origin", hval: ""},
		{name: "C6 resource policy without fetch metadata", target: "/app.js", status: 200, hdr: "Cross-Origin-Resource-Policy", hval: "same-origin"},
		{name: "C6 resource policy on the client script", target: prefix + "client.js", status: 200, hdr: "Cross-Origin-Resource-Policy", hval: "same-origin"},

		{name: "X1 markup in a listed name", posix: needsNames, target: "/list/", status: 200, body: `<a href="%3Cimg%20src=x%20onerror=alert%281%29%3E.html">&lt;img src=x onerror=alert(1)&gt;.html</a>`},
		{name: "X3 scheme-like name is not listed", posix: needsNames, target: "/list/", status: 200, nobody: "javascript:"},
		{name: "X3 scheme-like name is not served", posix: needsNames, target: "/list/javascript:alert(1)", status: 404},
		{name: "X6 markup in a missing path", target: "/%3Cscript%3Ealert(1)%3C/script%3E", status: 404, body: "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{name: "X7 folder redirect stays on the site", target: "/sub", status: 302, hdr: "Location", hval: "/sub/"},
		{name: "X7 double slash cannot leave the site", target: "//evil.example/sub", status: 404},

		{name: "I1 font holding </body> untouched", target: "/font.woff2", status: 200, body: binary, hdr: "Content-Length", hval: strconv.Itoa(len(binary))},
		{name: "I1 json untouched", target: "/data.json", status: 200, body: `{"x":"</head></body>"}`},
		{name: "I2 html gets the tagged client once", target: "/index.html", status: 200, body: "<head>" + tag + "<title>"},

		{name: "F10 2000 headers", target: "/", header: manyHeaders(2000), status: 431},
		{name: "L3 headers over 1 MiB", target: "/", header: []string{"X-Big", strings.Repeat("a", 1<<20)}, status: 431},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			skipOnWindows(t, a.posix)
			method, host, proto := cmpOr(a.method, "GET"), a.host, cmpOr(a.proto, "HTTP/1.1")
			var req strings.Builder
			fmt.Fprintf(&req, "%s %s %s\r\n", method, a.target, proto)
			switch {
			case host == "-":
			case host == "" && a.name != "H3 empty":
				fmt.Fprintf(&req, "Host: %s\r\n", addr)
			default:
				fmt.Fprintf(&req, "Host: %s\r\n", host)
			}
			req.WriteString("Connection: close\r\n")
			for i := 0; i+1 < len(a.header); i += 2 {
				fmt.Fprintf(&req, "%s: %s\r\n", a.header[i], a.header[i+1])
			}
			req.WriteString("\r\n")
			r := rawRequest(t, addr, req.String())
			if r.status != a.status {
				t.Errorf("status %d, want %d; body %.200q", r.status, a.status, r.body)
			}
			if a.body != "" && !strings.Contains(r.body, a.body) {
				t.Errorf("body lacks %q:\n%.600s", a.body, r.body)
			}
			if a.nobody != "" && strings.Contains(r.body, a.nobody) {
				t.Errorf("body holds %q:\n%.600s", a.nobody, r.body)
			}
			if a.hdr != "" && r.header.Get(a.hdr) != a.hval {
				t.Errorf("%s %q, want %q", a.hdr, r.header.Get(a.hdr), a.hval)
			}
			for _, s := range secrets {
				if strings.Contains(r.body, s) {
					t.Errorf("body leaks %q: %.200q", s, r.body)
				}
			}
			if acao := r.header.Get("Access-Control-Allow-Origin"); acao != "" && acao != corsOrigin {
				t.Errorf("Access-Control-Allow-Origin %q", acao)
			}
			if r.header.Get("Access-Control-Allow-Credentials") != "" {
				t.Errorf("Access-Control-Allow-Credentials %q", r.header.Get("Access-Control-Allow-Credentials"))
			}
			if r.status == 200 && r.header.Get("Cross-Origin-Resource-Policy") != "same-origin" {
				t.Errorf("Cross-Origin-Resource-Policy %q, want same-origin", r.header.Get("Cross-Origin-Resource-Policy"))
			}
			if r.status == 403 && strings.Count(strings.TrimSpace(r.body), "\n") > 0 {
				t.Errorf("403 body is more than one line: %q", r.body)
			}
		})
	}

	t.Run("D4 listing hides what it would not serve", func(t *testing.T) {
		for _, target := range []string{"/", "/list/", "/deploy/", "/sub/"} {
			r := request(t, addr, "GET", target)
			for _, hidden := range []string{".env", ".git", ".npmrc", "key.pem", "cert.crt", "SERVER.KEY", "id_rsa", "id_ed25519", `"cfg"`, `"keys/"`, "abs-link", "dirlink", "aux.html", "page.html", "GIT~1", "INDEX~1", "x:y", "Com1"} {
				if strings.Contains(r.body, hidden) {
					t.Errorf("listing of %s shows %s", target, hidden)
				}
			}
		}
	})
	t.Run("W the socket refused nothing it should not have", func(t *testing.T) {
		// Every 101 above was a tab; each 403 must not have been one.
		waitFor(t, "the accepted sockets to go", 5*time.Second, func() bool { return srv.Tabs() == 0 })
	})
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// manyHeaders returns n distinct header name, value pairs of 40 bytes each.
func manyHeaders(n int) []string {
	h := make([]string, 0, 2*n)
	for i := range n {
		h = append(h, fmt.Sprintf("X-Header-%05d", i), strings.Repeat("v", 24))
	}
	return h
}

// TestSecurityLANAddress covers the host rule that a loopback listener
// cannot: listening on all interfaces, the address a request arrived on
// is a name of this server, and other machines' addresses are not.
func TestSecurityLANAddress(t *testing.T) {
	g, err := newGuard(Security{}, "t")
	if err != nil {
		t.Fatal(err)
	}
	local := &net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 8080}
	for host, want := range map[string]bool{"192.168.1.5:8080": true, "192.168.1.5": true, "192.168.1.6:8080": false, "mybox:8080": false} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, local))
		if got := g.hostAllowed(r); got != want {
			t.Errorf("Host %s on a connection to %s: allowed %v, want %v", host, local, got, want)
		}
	}
}

func TestSecurityConfigErrors(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"allowed host with a scheme", Config{Security: Security{AllowedHosts: []string{"http://mybox"}}}, "without scheme"},
		{"allowed host wildcard", Config{Security: Security{AllowedHosts: []string{"*"}}}, "is not a host name"},
		{"CORS wildcard", Config{Security: Security{CORSOrigins: []string{"*"}}}, "no wildcard"},
		{"CORS origin with a path", Config{Security: Security{CORSOrigins: []string{"http://localhost:3000/app"}}}, "scheme, host and port only"},
		{"CORS null", Config{Security: Security{CORSOrigins: []string{"null"}}}, "is not an origin"},
		{"negative MaxTabs", Config{MaxTabs: -1}, "MaxTabs -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Root = root
			s, err := New(tt.cfg)
			if err == nil {
				s.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

// TestSecurityOptIns checks that each flag that weakens a default does
// what it says, and only that.
func TestSecurityOptIns(t *testing.T) {
	base, root := securityFixture(t)
	t.Run("Dotfiles serves and lists them", func(t *testing.T) {
		_, addr := startGuarded(t, Config{Root: root, Security: Security{Dotfiles: true}})
		if r := request(t, addr, "GET", "/.env"); r.status != 200 || r.body != "API_KEY=1" {
			t.Errorf("/.env: %d %q", r.status, r.body)
		}
		if r := request(t, addr, "GET", "/sub/"); !strings.Contains(r.body, `href=".env"`) {
			t.Errorf("listing lacks .env:\n%s", r.body)
		}
		if r := request(t, addr, "GET", "/abs-link.txt"); r.status != 404 {
			t.Errorf("Dotfiles also followed a link out: %d", r.status)
		}
		for _, target := range []string{"/.env.", "/.ENV", "/.env::$DATA", "/GIT~1/config", "/CON"} {
			if r := request(t, addr, "GET", target); r.status != 404 {
				t.Errorf("Dotfiles also serves the alias %s: %d", target, r.status)
			}
		}
	})
	t.Run("FollowSymlinks follows links out, still not to dotfiles", func(t *testing.T) {
		skipOnWindows(t, needsLinks)
		write(t, base, map[string]string{"outside/.ssh/id": "PRIVATE KEY", "root/ssh": "->../outside/.ssh/id"})
		_, addr := startGuarded(t, Config{Root: root, Security: Security{FollowSymlinks: true}})
		if r := request(t, addr, "GET", "/abs-link.txt"); r.status != 200 || r.body != "TOP SECRET" {
			t.Errorf("/abs-link.txt: %d %q", r.status, r.body)
		}
		for _, target := range []string{"/ssh", "/cfg", "/.env", "/../secret.txt"} {
			if r := request(t, addr, "GET", target); r.status != 404 {
				t.Errorf("%s: %d, want 404", target, r.status)
			}
		}
	})
}

// TestSecurityTabCap checks that tabs beyond MaxTabs are refused with 503,
// said once in the log, and let in again once one closes.
func TestSecurityTabCap(t *testing.T) {
	var log syncbuf.Buffer
	srv, addr := startGuarded(t, Config{Root: t.TempDir(), MaxTabs: 2, Log: slog.New(slog.NewTextHandler(&log, nil))})
	url := "ws://" + addr + prefix + "ws"
	a, b := dial(t, url, 0), dial(t, url, 0)
	readMessage(t, a)
	readMessage(t, b)
	for range 3 {
		r := rawRequest(t, addr, "GET "+prefix+"ws HTTP/1.1\r\nHost: "+addr+"\r\n"+headerLines(upgrade)+"\r\n")
		if r.status != 503 {
			t.Fatalf("third tab: status %d, want 503", r.status)
		}
	}
	if n := strings.Count(log.String(), "the most hotserve accepts"); n != 1 {
		t.Errorf("logged the cap %d times, want once:\n%s", n, log.String())
	}
	a.Close()
	waitFor(t, "a free place", 5*time.Second, func() bool { return srv.Tabs() == 1 })
	readMessage(t, dial(t, url, 0))
}

func headerLines(h []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(h); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", h[i], h[i+1])
	}
	return b.String()
}

// TestSecurityFrames sends malformed WebSocket frames after a valid
// handshake (catalogue F1-F8, F11): each closes that connection with the
// right code, and the server goes on serving.
func TestSecurityFrames(t *testing.T) {
	_, addr := startGuarded(t, Config{Root: t.TempDir()})
	masked := func(first byte, payload []byte) []byte {
		f := []byte{first}
		switch n := len(payload); {
		case n < 126:
			f = append(f, 0x80|byte(n))
		case n < 1<<16:
			f = append(f, 0x80|126)
			f = be.BigEndian.AppendUint16(f, uint16(n))
		default:
			f = append(f, 0x80|127)
			f = be.BigEndian.AppendUint64(f, uint64(n))
		}
		return append(append(f, 0, 0, 0, 0), payload...) // zero mask
	}
	frames := []struct {
		name  string
		bytes []byte
		code  int // close code expected; 0: the connection stays usable
	}{
		// The server refuses on the length, before the payload arrives.
		{"F1 1 MiB text frame", masked(0x81, bytes.Repeat([]byte("a"), 1<<20))[:8<<10], 1009},
		{"F2 length 2^63-1, then nothing", append([]byte{0x81, 0xFF}, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0), 1009},
		{"F3 unmasked frame", []byte{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'}, 1002},
		{"F4 RSV bit", masked(0xC1, []byte("x")), 1002},
		{"F5 reserved data opcode", masked(0x83, []byte("x")), 1002},
		{"F5 reserved control opcode", masked(0x8B, []byte("x")), 1002},
		{"F6 ping of 126 bytes", masked(0x89, bytes.Repeat([]byte("p"), 126)), 1002},
		{"F6 fragmented ping", masked(0x09, []byte("p")), 1002},
		{"F7 continuation without a start", masked(0x80, []byte("x")), 1002},
		{"F8 invalid UTF-8 and not JSON", masked(0x81, []byte{0xC3, 0x28}), 0},
	}
	for _, f := range frames {
		t.Run(f.name, func(t *testing.T) {
			conn, br := rawHandshake(t, addr)
			if _, err := conn.Write(f.bytes); err != nil {
				t.Fatal(err)
			}
			if f.code == 0 {
				// Still open: a ping is answered with a pong.
				conn.Write(masked(0x89, []byte("still?")))
			}
			code := readUntilClose(t, conn, br, f.code == 0)
			if code != f.code {
				t.Errorf("close code %d, want %d", code, f.code)
			}
		})
	}
	t.Run("F11 handshakes that are not WebSocket", func(t *testing.T) {
		noKey := "GET " + prefix + "ws HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"
		oldVersion := strings.Replace(noKey, "\r\n\r\n", "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 1)
		oldVersion = strings.Replace(oldVersion, "Version: 13", "Version: 8", 1)
		for name, req := range map[string]string{"no key": noKey, "version 8": oldVersion} {
			if r := rawRequest(t, addr, req); r.status != 400 {
				t.Errorf("%s: status %d, want 400", name, r.status)
			}
		}
	})
	if r := request(t, addr, "GET", "/"); r.status != 200 {
		t.Errorf("after the bad frames: status %d", r.status)
	}
}

// rawHandshake opens a WebSocket by hand, without an Origin.
func rawHandshake(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	io.WriteString(conn, "GET "+prefix+"ws HTTP/1.1\r\nHost: "+addr+"\r\n"+headerLines(upgrade)+"\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	return conn, br
}

// readUntilClose reads server frames until a close frame and returns its
// code, or, when pong is set, until a pong and returns 0.
func readUntilClose(t *testing.T, conn net.Conn, br *bufio.Reader, pong bool) int {
	t.Helper()
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			t.Fatalf("connection ended without a close frame: %v", err)
		}
		n := int(h[1] & 0x7F)
		switch n {
		case 126:
			var l [2]byte
			io.ReadFull(br, l[:])
			n = int(be.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			io.ReadFull(br, l[:])
			n = int(be.BigEndian.Uint64(l[:]))
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			t.Fatal(err)
		}
		switch op := h[0] & 0x0F; {
		case op == 0x8 && n >= 2:
			return int(be.BigEndian.Uint16(payload))
		case op == 0xA && pong:
			return 0
		}
	}
}

// TestSecuritySlowlorisClosed checks catalogue L1: a connection that never
// finishes its headers is closed at ReadHeaderTimeout (shortened here),
// while a normal request is answered meanwhile.
func TestSecuritySlowlorisClosed(t *testing.T) {
	_, addr := startGuarded(t, Config{Root: t.TempDir()}, func(hs *http.Server) {
		hs.ReadHeaderTimeout = 300 * time.Millisecond
	})

	var conns []net.Conn
	for range 20 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: "+addr+"\r\nX-Slow: ")
		conns = append(conns, c)
	}
	if r := request(t, addr, "GET", "/"); r.status != 200 {
		t.Errorf("a normal request meanwhile: status %d", r.status)
	}
	start := time.Now()
	for i, c := range conns {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadAll(c); err != nil {
			t.Fatalf("slow connection %d still open after %v: %v", i, time.Since(start), err)
		}
	}
}
