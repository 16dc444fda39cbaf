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
