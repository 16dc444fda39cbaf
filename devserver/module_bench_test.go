package devserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkServeModule measures what serving a 20 KB module costs, the
// handler alone: as a classic script (byte for byte, the baseline), as a
// module that never reads import.meta.hot (scanned once per save, then
// sent as it is), as one that does (the prefix spliced in), and as one
// whose ten imports carry the versions of a hot update.
func BenchmarkServeModule(b *testing.B) {
	var imports, body strings.Builder
	for i := range 10 {
		fmt.Fprintf(&imports, "import { f%d } from './dep%d.js';\n", i, i)
	}
	for i := 0; body.Len() < 20<<10; i++ {
		fmt.Fprintf(&body, "export function g%d(x) { return `row ${x}` + '/' + %d; } // a comment\n", i, i)
	}
	const accept = "if (import.meta.hot) import.meta.hot.accept();\n"
	cases := []struct {
		name, dest, mode, src string
		update                bool
	}{
		{"classic", "script", "no-cors", accept + imports.String() + body.String(), false},
		{"module", "script", "cors", imports.String() + body.String(), false},
		{"module with import.meta.hot", "script", "cors", accept + imports.String() + body.String(), false},
		{"module after a hot update", "script", "cors", accept + imports.String() + body.String(), true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			root := b.TempDir()
			if err := os.WriteFile(filepath.Join(root, "app.js"), []byte(c.src), 0o644); err != nil {
				b.Fatal(err)
			}
			files, err := newFileServer(Config{Root: root}, testTag)
			if err != nil {
				b.Fatal(err)
			}
			defer files.Close()
			req := httptest.NewRequest("GET", "/app.js", nil)
			req.Header.Set("Sec-Fetch-Dest", c.dest)
			req.Header.Set("Sec-Fetch-Mode", c.mode)
			serve := func() *httptest.ResponseRecorder {
				w := httptest.NewRecorder()
				files.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
				return w
			}
			serve() // the scan, once per save
			if c.update {
				var paths []string
				for i := range 10 {
					p := fmt.Sprintf("/dep%d.js", i)
					files.modules().fetchedAs(p, asModule, "/app.js")
					paths = append(paths, p)
				}
				hc, ok := files.modules().hot(paths)
				if !ok {
					b.Fatal("no hot update for the deps")
				}
				files.modules().begin(1, hc, nil)
				if w := serve(); !strings.Contains(w.Body.String(), "dep0.js?t=1") {
					b.Fatalf("the imports carry no version:\n%.300s", w.Body.String())
				}
			}
			b.SetBytes(int64(len(c.src)))
			b.ReportAllocs()
			for b.Loop() {
				serve()
			}
		})
	}
}
