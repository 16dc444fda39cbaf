package devserver

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestSecurityMounts is the security catalogue's cases through a mount:
// a mount keeps every promise the root keeps, judged against its own
// folder, so nothing outside it (the served folder's denied files
// included) is reachable through it.
func TestSecurityMounts(t *testing.T) {
	base, root := securityFixture(t)
	lib := filepath.Join(base, "lib")
	write(t, base, map[string]string{
		"lib/lib.css":           "body { color: blue }",
		"lib/.env":              "API_KEY=M1",
		"lib/.git/config":       "[core] API_KEY=M2",
		"lib/sub/.npmrc":        "API_KEY=M3",
		"lib/server.key":        "-----BEGIN PRIVATE KEY----- M4",
		"lib/deploy/id_rsa":     "-----BEGIN PRIVATE KEY----- M5",
		"lib/cfg":               "->.env",
		"lib/root-env":          "->../root/.env",
		"lib/root-git":          "->../root/.git",
		"lib/root-key":          "->../root/key.pem",
		"lib/root-page.html":    "->../root/index.html",
		"lib/abs-root-env":      "->" + filepath.Join(root, ".env"),
		"lib/up":                "->..",
		"lib/inside.css":        "->lib.css",
		"root/vendor/.keep.txt": "",
	})
	_, addr := startGuarded(t, Config{Root: root, Mounts: []Mount{{Prefix: "/vendor", Dir: lib}}})
	links := runtime.GOOS != "windows" // write makes no symbolic links there
	for _, tc := range []struct {
		name, target string
		link         bool // the case needs a symbolic link
		status       int
		body         string
	}{
		{name: "T1 dot-dot out of a mount", target: "/vendor/../../secret.txt", status: 404},
		{name: "T1 dot-dot out of a mount to the root's dotfile", target: "/vendor/../.env", status: 404},
		{name: "T2 encoded dots out of a mount", target: "/vendor/%2e%2e/%2e%2e/secret.txt", status: 404},
		{name: "T2 encoded slashes out of a mount", target: "/vendor/..%2f..%2fsecret.txt", status: 404},
		{name: "T2 encoded slashes to the mount's sibling", target: "/vendor/..%2f..%2flib/.env", status: 404},
		{name: "T3 backslash out of a mount", target: "/vendor/..%5c..%5csecret.txt", status: 400},
		{name: "D1 a mount's .env", target: "/vendor/.env", status: 404},
		{name: "D1 a mount's .git", target: "/vendor/.git/config", status: 404},
		{name: "D1 a mount's nested dotfile", target: "/vendor/sub/.npmrc", status: 404},
		{name: "D2 a mount's key file", target: "/vendor/server.key", status: 404},
		{name: "D2 a mount's SSH key", target: "/vendor/deploy/id_rsa", status: 404},
		{name: "D3 a mount's dotfile in another case", target: "/vendor/.ENV", status: 404},
		{name: "L a link in a mount to its own dotfile", target: "/vendor/cfg", link: true, status: 404},
		{name: "L a link from a mount to the root's .env", target: "/vendor/root-env", link: true, status: 404},
		{name: "L a link from a mount into the root's .git", target: "/vendor/root-git/config", link: true, status: 404},
		{name: "L a link from a mount to the root's key file", target: "/vendor/root-key", link: true, status: 404},
		{name: "L an absolute link from a mount to the root's .env", target: "/vendor/abs-root-env", link: true, status: 404},
		{name: "L a link from a mount to the root's public page", target: "/vendor/root-page.html", link: true, status: 404},
		{name: "L a link from a mount to its parent", target: "/vendor/up/secret.txt", link: true, status: 404},
		{name: "L a link inside a mount is followed", target: "/vendor/inside.css", link: true, status: 200, body: "color: blue"},
		{name: "a mount's file", target: "/vendor/lib.css", status: 200, body: "color: blue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.link && !links {
				t.Skip("skipped on windows: the fixture makes no symbolic links there")
			}
			resp := request(t, addr, "GET", tc.target)
			if resp.status != tc.status || !strings.Contains(resp.body, tc.body) {
				t.Errorf("GET %s: %d %.120q, want %d with %q", tc.target, resp.status, resp.body, tc.status, tc.body)
			}
			for _, secret := range []string{"API_KEY", "PRIVATE KEY", "TOP SECRET", "[core]"} {
				if strings.Contains(resp.body, secret) {
					t.Errorf("GET %s: the body holds %q:\n%s", tc.target, secret, resp.body)
				}
			}
		})
	}
	t.Run("a mount's listing shows no dotfile, key or link out", func(t *testing.T) {
		resp := request(t, addr, "GET", "/vendor/")
		for _, hidden := range []string{".env", ".git", "server.key", "cfg", "root-env", "root-page", "abs-root-env", `"up/"`} {
			if strings.Contains(resp.body, hidden) {
				t.Errorf("GET /vendor/: the listing shows %s:\n%s", hidden, resp.body)
			}
		}
		if !strings.Contains(resp.body, "lib.css") {
			t.Errorf("GET /vendor/: no lib.css in\n%s", resp.body)
		}
	})
}
