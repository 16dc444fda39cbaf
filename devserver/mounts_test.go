package devserver

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// mountFixture is a served folder "root" and, beside it, the folders
// "lib" and "ui" to mount, in one base folder.
func mountFixture(t *testing.T) (base, root string) {
	t.Helper()
	base = t.TempDir()
	root = filepath.Join(base, "root")
	write(t, base, map[string]string{
		"root/index.html":         indexHTML,
		"root/vendor/lib.css":     "ROOT'S OWN, HIDDEN",
		"root/vendor/only.txt":    "ROOT'S OWN, HIDDEN",
		"root/lib/readme.txt":     "root readme",
		"lib/lib.css":             "body { color: blue }",
		"lib/page.html":           "<html><head></head><body>lib page</body></html>",
		"lib/sub/deep.js":         "deep()",
		"ui/button.css":           ".b{}",
		"ui/index.html":           "<html><head></head><body>ui index</body></html>",
		"lib/ui-in-lib/inner.txt": "INNER, HIDDEN BY /vendor/ui-in-lib",
	})
	return base, root
}

func TestMountsServe(t *testing.T) {
	base, root := mountFixture(t)
	lib, ui := filepath.Join(base, "lib"), filepath.Join(base, "ui")
	_, addr := startGuarded(t, Config{Root: root, Mounts: []Mount{
		{Prefix: "/vendor", Dir: lib},
		{Prefix: "/vendor/ui-in-lib/", Dir: ui}, // a trailing slash is dropped
		{Prefix: "/lib/ui", Dir: ui},
	}})
	for _, tc := range []struct {
		name, target string
		status       int
		body, nobody string
	}{
		{"a mount's file", "/vendor/lib.css", 200, "color: blue", ""},
		{"a mount's folder file", "/vendor/sub/deep.js", 200, "deep()", ""},
		{"a mount's page gets the client", "/vendor/page.html", 200, "lib page", ""},
		{"a mount hides the root's files under its prefix", "/vendor/only.txt", 404, "/vendor/only.txt", "HIDDEN"},
		{"the longest prefix wins", "/vendor/ui-in-lib/button.css", 200, ".b{}", ""},
		{"a longer prefix hides the shorter mount's files", "/vendor/ui-in-lib/inner.txt", 404, "", "INNER"},
		{"a mount's index", "/lib/ui/", 200, "ui index", ""},
		{"a mount's top without a slash is redirected", "/lib/ui", 302, "", ""},
		{"the root beside a nested mount", "/lib/readme.txt", 200, "root readme", ""},
		{"a prefix is a whole segment", "/vendorx/lib.css", 404, "", ""},
		{"the root", "/", 200, "hi", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := request(t, addr, "GET", tc.target, "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document")
			if resp.status != tc.status || !strings.Contains(resp.body, tc.body) || tc.nobody != "" && strings.Contains(resp.body, tc.nobody) {
				t.Errorf("GET %s: %d %.200q; want %d with %q, without %q", tc.target, resp.status, resp.body, tc.status, tc.body, tc.nobody)
			}
			if tc.status == 302 && resp.header.Get("Location") != "/lib/ui/" {
				t.Errorf("GET %s: Location %q, want \"/lib/ui/\"", tc.target, resp.header.Get("Location"))
			}
		})
	}
	t.Run("a page in a mount carries the client", func(t *testing.T) {
		if resp := request(t, addr, "GET", "/vendor/page.html", "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Dest", "document"); !servedTagRE.MatchString(resp.body) {
			t.Errorf("no client in %q", resp.body)
		}
	})
}

func TestMountsListings(t *testing.T) {
	base, root := mountFixture(t)
	lib := filepath.Join(base, "lib")
	write(t, root, map[string]string{"index.html": ""})
	_, addr := startGuarded(t, Config{Root: root, Mounts: []Mount{{Prefix: "/vendor", Dir: lib}, {Prefix: "/docs", Dir: filepath.Join(base, "ui")}}})
	// The root has an index.html; its folder lib/ has none.
	resp := request(t, addr, "GET", "/vendor/")
	if resp.status != 200 || !strings.Contains(resp.body, "Index of /vendor/") || !strings.Contains(resp.body, `href="sub/"`) ||
		!strings.Contains(resp.body, `href="../"`) || strings.Contains(resp.body, "only.txt") {
		t.Errorf("GET /vendor/: %d\n%s\nwant the mount's own listing, with ../ and sub/, without the root's vendor/only.txt", resp.status, resp.body)
	}
	write(t, root, map[string]string{"lib/docs/": ""})
	srv2, addr2 := startGuarded(t, Config{Root: filepath.Join(root, "lib"), Mounts: []Mount{{Prefix: "/docs", Dir: lib}, {Prefix: "/api", Dir: filepath.Join(base, "ui")}}})
	_ = srv2
	resp = request(t, addr2, "GET", "/")
	if n := strings.Count(resp.body, `href="docs/"`); n != 1 || !strings.Contains(resp.body, `href="api/"`) || !strings.Contains(resp.body, `href="readme.txt"`) {
		t.Errorf("GET /: %d\n%s\nwant the root's readme.txt, and docs/ and api/ once each", resp.status, resp.body)
	}
}

func TestMountsConfigErrors(t *testing.T) {
	base, root := mountFixture(t)
	lib := filepath.Join(base, "lib")
	for _, tc := range []struct {
		name   string
		mounts []Mount
		want   string
	}{
		{"a missing folder", []Mount{{"/vendor", filepath.Join(base, "nope")}}, "names a folder that does not exist"},
		{"a file", []Mount{{"/vendor", filepath.Join(lib, "lib.css")}}, "names a file"},
		{"two mounts on one prefix", []Mount{{"/vendor", lib}, {"/vendor/", lib}}, "is the prefix of two mounts"},
		{"no leading slash", []Mount{{"vendor", lib}}, "is not a URL path"},
		{"dot-dot", []Mount{{"/a/../vendor", lib}}, "is not a URL path"},
		{"double slash", []Mount{{"/a//vendor", lib}}, "is not a URL path"},
		{"a query", []Mount{{"/vendor?x", lib}}, "is not a URL path"},
		{"the whole site", []Mount{{"/", lib}}, "would hide the whole served folder"},
		{"hotserve's own", []Mount{{"/__hotserve/x", lib}}, "where hotserve serves its own pages"},
		{"hotserve's own top", []Mount{{"/__hotserve", lib}}, "where hotserve serves its own pages"},
		{"a dotfile prefix", []Mount{{"/.git", lib}}, "dotfile"},
		{"a Windows alias", []Mount{{"/vendor.", lib}}, "Windows"},
		{"a folder holding the root", []Mount{{"/up", base}}, "holds the served folder"},
		{"the root itself", []Mount{{"/again", root}}, "holds the served folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := New(Config{Root: root, Mounts: tc.mounts})
			if err == nil {
				srv.Close()
				t.Fatalf("New succeeded, want an error containing %q", tc.want)
			}
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != "Mounts" || !strings.Contains(ce.Problem, tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line, a ConfigError for Mounts containing %q", err, tc.want)
			}
		})
	}
	t.Run("a mount inside the root", func(t *testing.T) {
		srv, err := New(Config{Root: root, Mounts: []Mount{{"/v", filepath.Join(root, "vendor")}}})
		if err != nil {
			t.Fatal(err)
		}
		srv.Close()
	})
}
