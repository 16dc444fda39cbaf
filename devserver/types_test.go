package devserver

import (
	"mime"
	"strings"
	"testing"
)

func TestContentTypes(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	cases := []struct{ name, want string }{
		{"app.js", "text/javascript; charset=utf-8"},
		{"mod.mjs", "text/javascript; charset=utf-8"},
		{"lib.cjs", "text/javascript; charset=utf-8"},
		{"app.wasm", "application/wasm"},
		{"site.webmanifest", "application/manifest+json"},
		{"photo.avif", "image/avif"},
		{"photo.webp", "image/webp"},
		{"app.js.map", "application/json"},
		{"data.jsonld", "application/ld+json"},
		{"font.woff2", "font/woff2"},
		{"logo.svg", "image/svg+xml"},
		{"style.CSS", "text/css; charset=utf-8"},
		// TypeScript source (or an MPEG stream to mime.types): what its
		// bytes say.
		{"main.ts", "text/plain; charset=utf-8"},
		{"blob.unknown", "application/octet-stream"},
	}
	for _, c := range cases {
		files[c.name] = "x"
		if c.name == "blob.unknown" {
			files[c.name] = "\x00\x01\x02"
		}
	}
	write(t, root, files)
	// A machine whose table says otherwise, as a Windows registry may
	// (golang/go#32350): hotserve's own table wins.
	restore := map[string]string{}
	for ext, typ := range map[string]string{".js": "text/plain", ".wasm": "application/octet-stream", ".ts": "video/mp2t"} {
		restore[ext] = mime.TypeByExtension(ext)
		mime.AddExtensionType(ext, typ)
	}
	t.Cleanup(func() {
		for ext, typ := range restore {
			if typ != "" {
				mime.AddExtensionType(ext, typ)
			}
		}
	})
	addr, _ := serve(t, root)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := request(t, addr, "GET", "/"+c.name)
			if ct := resp.header.Get("Content-Type"); resp.status != 200 || ct != c.want {
				t.Errorf("GET /%s: %d, Content-Type %q, want %q", c.name, resp.status, ct, c.want)
			}
		})
	}
	if resp := request(t, addr, "GET", "/missing.wasm"); resp.status != 404 || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /missing.wasm: %d %q, want 404 with the not-found page's type", resp.status, resp.header.Get("Content-Type"))
	}
}
