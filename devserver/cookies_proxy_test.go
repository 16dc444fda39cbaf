package devserver_test

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/internal/syncbuf"
)

// cookieBackend is a backend on 127.0.0.1 that sets the cookies lines at
// …/login, serves an HTML page at …/page, and answers anything else with
// the Cookie header it was sent, cookies sorted by name.
func cookieBackend(t testing.TB, lines ...string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/login"):
			for _, l := range lines {
				w.Header().Add("Set-Cookie", l)
			}
			io.WriteString(w, "logged in")
		case strings.HasSuffix(r.URL.Path, "/page"):
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html><html><head><title>app</title></head><body><h1>app</h1></body></html>")
		default:
			var names []string
			for _, c := range r.Cookies() {
				names = append(names, c.Name+"="+c.Value)
			}
			slices.Sort(names)
			fmt.Fprint(w, strings.Join(names, "; "))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// jarGet gets url with a client that keeps cookies in jar, as a browser
// would, and returns the Set-Cookie lines and the body.
func jarGet(t testing.TB, jar http.CookieJar, url string) ([]string, string) {
	t.Helper()
	resp, err := (&http.Client{Jar: jar}).Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	return resp.Header.Values("Set-Cookie"), string(b)
}

// onLocalhost is s's URL at localhost rather than 127.0.0.1: the browser
// then is on another host than the backend, as it is when one opens
// http://localhost:8080.
func onLocalhost(s *site) string {
	return strings.Replace(s.URL, "127.0.0.1", "localhost", 1)
}

func TestRouteCookiesComeBackThroughTheRoute(t *testing.T) {
	b := cookieBackend(t,
		"sid=abc; Path=/v1; Domain=127.0.0.1; HttpOnly",
		"tok=a=b==; Path=/v1/whoami; Priority=High; Partitioned; SameSite=Lax",
		"site=1; Path=/; Domain=example.com",
		"elsewhere=1; Path=/other",
	)
	s := routeSite(t, t.TempDir(), devserver.Config{
		Routes: []devserver.Route{{Prefix: "/api/", Target: "c/v1/"}},
	}, map[string]*httptest.Server{"c": b})
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	base := onLocalhost(s)

	set, _ := jarGet(t, jar, base+"api/login")
	want := []string{
		"sid=abc; Path=/api; HttpOnly",
		"tok=a=b==; Path=/api/whoami; Priority=High; Partitioned; SameSite=Lax",
		"site=1; Path=/; Domain=example.com",
		"elsewhere=1; Path=/other",
	}
	if !slices.Equal(set, want) {
		t.Errorf("Set-Cookie through the route\nhave: %q\nwant: %q", set, want)
	}
	if _, got := jarGet(t, jar, base+"api/whoami"); got != "sid=abc; tok=a=b==" {
		t.Errorf("the backend was sent cookies %q on /api/whoami, want %q", got, "sid=abc; tok=a=b==")
	}
	if _, got := jarGet(t, jar, base+"api/users"); got != "sid=abc" {
		t.Errorf("the backend was sent cookies %q on /api/users, want %q", got, "sid=abc")
	}
}

func TestProxyURLCookiesLoseTheBackendsDomain(t *testing.T) {
	b := cookieBackend(t, "sid=abc; Path=/; Domain=127.0.0.1", "v1=1; Path=/v1")
	s := routeSite(t, t.TempDir(), devserver.Config{Proxy: devserver.Proxy{URL: b.URL}}, nil)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	base := onLocalhost(s)
	set, _ := jarGet(t, jar, base+"login")
	if want := []string{"sid=abc; Path=/", "v1=1; Path=/v1"}; !slices.Equal(set, want) {
		t.Errorf("Set-Cookie through --proxy URL\nhave: %q\nwant: %q", set, want)
	}
	if _, got := jarGet(t, jar, base+"v1/whoami"); got != "sid=abc; v1=1" {
		t.Errorf("the backend was sent cookies %q, want %q", got, "sid=abc; v1=1")
	}
}

func TestProxyWithoutSetCookieAddsNone(t *testing.T) {
	b := cookieBackend(t)
	s := routeSite(t, t.TempDir(), devserver.Config{
		Routes: []devserver.Route{{Prefix: "/api/", Target: "c/v1/"}},
	}, map[string]*httptest.Server{"c": b})
	resp, _ := do(t, "GET", s.URL+"api/login", nil)
	if v, ok := resp.Header["Set-Cookie"]; ok {
		t.Errorf("a response without cookies came with Set-Cookie %q", v)
	}
}

func TestSecureCookieOverPlainHTTPOnANetworkNameIsSaidOnce(t *testing.T) {
	b := cookieBackend(t, "sid=abc; Path=/v1; Secure; HttpOnly")
	log := new(syncbuf.Buffer)
	s := routeSite(t, t.TempDir(), devserver.Config{
		Routes:   []devserver.Route{{Prefix: "/api/", Target: "c/v1/"}},
		Security: devserver.Security{AllowedHosts: []string{"mybox.test"}},
		Log:      slog.New(slog.NewTextHandler(log, nil)),
	}, map[string]*httptest.Server{"c": b})
	const warning = "Secure cookie"
	for range 2 {
		resp, _ := do(t, "GET", s.URL+"api/login", nil) // on 127.0.0.1: the browser keeps it
		if got := resp.Header.Get("Set-Cookie"); got != "sid=abc; Path=/api; Secure; HttpOnly" {
			t.Errorf("Set-Cookie %q: Secure must stay", got)
		}
	}
	if strings.Contains(log.String(), warning) {
		t.Errorf("a Secure cookie on 127.0.0.1 was warned about:\n%s", log)
	}
	for range 2 {
		req, err := http.NewRequest("GET", s.URL+"api/login", nil)
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(s.addr)
		req.Host = "mybox.test:" + port
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Set-Cookie"); got != "sid=abc; Path=/api; Secure; HttpOnly" {
			t.Errorf("Set-Cookie %q on mybox.test: Secure must stay", got)
		}
	}
	if n := strings.Count(log.String(), warning); n != 1 {
		t.Errorf("a Secure cookie on http://mybox.test was warned about %d times, want once:\n%s", n, log)
	}
	if !strings.Contains(log.String(), "--https") || !strings.Contains(log.String(), "host=mybox.test") {
		t.Errorf("the warning does not name the host and --https:\n%s", log)
	}
}
