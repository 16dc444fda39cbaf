package devserver

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLookupMounts is what finding a request's file costs with 0
// and with 5 mounts, for a file in the root and one in the mount matched
// last: the choice of tree alone (resolve, see mounted), the whole lookup
// with its system calls (look), and the whole request for the root's file
// (serve).
func BenchmarkLookupMounts(b *testing.B) {
	base := b.TempDir()
	root := filepath.Join(base, "root")
	var mounts []Mount
	for i := range 5 {
		dir := filepath.Join(base, fmt.Sprintf("lib%d", i))
		if err := os.MkdirAll(filepath.Join(dir, "css"), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "css", "lib.css"), []byte("a{}"), 0o644); err != nil {
			b.Fatal(err)
		}
		mounts = append(mounts, Mount{Prefix: fmt.Sprintf("/vendor/lib%d", i), Dir: dir})
	}
	if err := os.MkdirAll(filepath.Join(root, "css"), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "css", "style.css"), []byte("a{}"), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{0, 5} {
		s, err := New(Config{Root: root, Mounts: mounts[:n]})
		if err != nil {
			b.Fatal(err)
		}
		targets := map[string]string{"root": "/css/style.css"}
		if n > 0 {
			targets["mount"] = "/vendor/lib4/css/lib.css" // prefixes of one length are tried in order: this one last
		}
		for what, target := range targets {
			b.Run(fmt.Sprintf("resolve/mounts=%d/%s", n, what), func(b *testing.B) {
				for b.Loop() {
					if t, _ := s.files.mounted(target); t == nil {
						b.Fatal("no tree")
					}
				}
			})
			b.Run(fmt.Sprintf("look/mounts=%d/%s", n, what), func(b *testing.B) {
				req := httptest.NewRequest("GET", "http://127.0.0.1:8080"+target, nil)
				b.ReportAllocs()
				for b.Loop() {
					if lk := s.files.look(req); lk.err != nil || lk.info == nil {
						b.Fatalf("look %s: %v", target, lk.err)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("serve/mounts=%d/root", n), func(b *testing.B) {
			req := httptest.NewRequest("GET", "http://127.0.0.1:8080/css/style.css", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
		s.Close()
	}
}
