package devserver

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// tenRules are header rules as a project might write them: ten globs, of
// which a script under /assets/ matches three.
func tenRules() []HeaderRule {
	globs := []string{"/**/*.wasm", "/**/*.js", "/assets/**", "/api/**", "/**/*.html",
		"/docs/*.md", "/img/**/*.{png,jpg,webp}", "/fonts/*", "/sw.js", "/**/*.map"}
	rules := make([]HeaderRule, len(globs))
	for i, g := range globs {
		rules[i] = HeaderRule{For: g, Header: http.Header{"X-Rule": {g}}}
	}
	return rules
}

// BenchmarkHeaderRules is what matching ten globs and setting what they
// say costs one response.
func BenchmarkHeaderRules(b *testing.B) {
	set, err := newHeaderSet(Config{Isolate: true, Headers: tenRules()})
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{}
	b.ReportAllocs()
	for b.Loop() {
		set.apply(h, "/assets/js/app.js", http.StatusOK, nil)
	}
}

// BenchmarkServeHeaders serves a small file through the whole handler,
// without header rules and with ten, so that the two can be compared.
func BenchmarkServeHeaders(b *testing.B) {
	for _, c := range []struct {
		name  string
		rules []HeaderRule
	}{{"none", nil}, {"ten globs", tenRules()}} {
		b.Run(c.name, func(b *testing.B) {
			root := b.TempDir()
			if err := os.MkdirAll(filepath.Join(root, "assets", "js"), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "assets", "js", "app.js"), []byte("console.log(1)"), 0o644); err != nil {
				b.Fatal(err)
			}
			s, err := New(Config{Root: root, Headers: c.rules})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			req := httptest.NewRequest("GET", "http://localhost/assets/js/app.js", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
