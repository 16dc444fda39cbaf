package devserver

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkServeAsset compares the whole server (guard, dependency
// tracking, file server) with net/http.FileServer on one 4 KB stylesheet,
// in the handler alone: the CPU each spends per request, which is what
// bounds static serving on a loaded core.
func BenchmarkServeAsset(b *testing.B) {
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, "style.css"), bytes.Repeat([]byte("a { color: red }\n"), 4<<10/17), 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Root: root})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for name, h := range map[string]http.Handler{"hotserve": s, "FileServer": http.FileServer(http.Dir(root))} {
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "http://127.0.0.1:8080/style.css", nil)
			req.Header.Set("Referer", "http://127.0.0.1:8080/")
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
