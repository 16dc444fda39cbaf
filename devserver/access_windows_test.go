package devserver

import (
	"errors"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestAccessShortNames asks Windows for the 8.3 short names of the
// fixture's secrets and pages ("GIT~1" on Windows, "_GIT~IBP" under Wine)
// and checks that none of them is served, and that the exact-name check
// alone refuses each one too. A volume that makes no short names (8.3
// creation can be turned off) has nothing to test, and says so.
func TestAccessShortNames(t *testing.T) {
	_, root := securityFixture(t)
	srv, addr := startGuarded(t, Config{Root: root, Security: Security{Dotfiles: true}})
	seen := 0
	for _, long := range []string{".git/config", ".env.local", "index.html", "key.pem", "deploy/id_ed25519.pub", "UPPER.HTML"} {
		short := shortPath(t, root, long)
		if short == long {
			continue
		}
		seen++
		target := "/" + (&url.URL{Path: short}).EscapedPath()
		r := request(t, addr, "GET", target)
		if r.status != 404 {
			t.Errorf("%s (short for %s): status %d, want 404; body %.100q", target, long, r.status, r.body)
		}
		t.Logf("GET %s, short for %s: %d", target, long, r.status)
		if err := srv.files.exactName("/" + short); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("exactName(%q), short for %s: %v, want not found", short, long, err)
		}
	}
	if seen == 0 {
		t.Logf("this volume gives no short names; nothing to test")
	}
}

// shortPath returns the short form of the slash-separated path rel inside
// root, slash-separated.
func shortPath(t *testing.T, root, rel string) string {
	t.Helper()
	long, err := windows.UTF16FromString(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]uint16, 1024)
	n, err := windows.GetShortPathName(&long[0], &buf[0], uint32(len(buf)))
	if err != nil {
		t.Fatalf("GetShortPathName %s: %v", rel, err)
	}
	short := filepath.ToSlash(windows.UTF16ToString(buf[:n]))
	prefix, err := windows.UTF16FromString(root)
	if err != nil {
		t.Fatal(err)
	}
	n, err = windows.GetShortPathName(&prefix[0], &buf[0], uint32(len(buf)))
	if err != nil {
		t.Fatalf("GetShortPathName %s: %v", root, err)
	}
	return strings.TrimPrefix(short, filepath.ToSlash(windows.UTF16ToString(buf[:n]))+"/")
}
