package devserver

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPath sends any request-target through Go's request parser and the
// whole Server (guard, path checks, deny list, os.Root) over the catalogue
// fixture, and checks that nothing secret ever comes back and nothing
// fails with a 5xx. The seed corpus is in testdata/fuzz/FuzzPath; run it
// longer with: go test -run '^$' -fuzz FuzzPath ./devserver/
func FuzzPath(f *testing.F) {
	for _, seed := range []string{"/", "/../secret.txt", "/.env/.", "/cfg", "/sub/a.txt?/../../.env", "/dirlink/root/.env"} {
		f.Add(seed)
	}
	_, root := securityFixture(f)
	srv, err := New(Config{Root: root})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	f.Fuzz(func(t *testing.T, target string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")))
		if err != nil {
			return // the server would have answered 400 itself
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Errorf("GET %q: status %d", target, w.Code)
		}
		for _, s := range secrets {
			if strings.Contains(w.Body.String(), s) {
				t.Fatalf("GET %q (status %d) leaks %q", target, w.Code, s)
			}
		}
	})
}

func TestOwnOrigin(t *testing.T) {
	g := &guard{}
	cases := []struct {
		name, host, origin string
		want               bool
	}{
		{"same host and port", "localhost:8080", "http://localhost:8080", true},
		{"another port", "localhost:8080", "http://localhost:3000", false},
		{"another host", "localhost:8080", "http://evil.example:8080", false},
		{"null", "localhost:8080", "null", false},
		{"portless Host, default port", "mybox.lan", "http://mybox.lan", true},
		{"portless Host behind TLS", "mybox.lan", "https://mybox.lan", true},
		{"portless Host, a page on another port", "mybox.lan", "http://mybox.lan:3000", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/__hotserve/ws", nil)
			r.Host = c.host
			r.Header.Set("Origin", c.origin)
			if got := g.ownOrigin(r); got != c.want {
				t.Errorf("Host %s, Origin %s: ours = %v, want %v", c.host, c.origin, got, c.want)
			}
		})
	}
}
