package devserver

import (
	"bufio"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// FuzzPath sends any request-target through Go's request parser and the
// whole Server (guard, path checks, deny list, os.Root) over the catalogue
// fixture, and checks that nothing secret ever comes back and nothing
// fails with a 5xx. It sends the same to the file server over the fixture
// seen as a file system that folds names (see foldingTree), once with the
// deny rules alone and once with the exact-name check too. The seed corpus
// is in testdata/fuzz/FuzzPath; run it longer with:
// go test -run '^$' -fuzz FuzzPath ./devserver/
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
	folded, _ := servedFolding(f, root)
	folded.exact = false
	exact, _ := servedFolding(f, root)
	exact.exact = true
	f.Fuzz(func(t *testing.T, target string) {
		for name, h := range map[string]http.Handler{"server": srv, "folding, deny rules alone": folded, "folding, exact names": exact} {
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")))
			if err != nil {
				return // the server would have answered 400 itself
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code >= 500 {
				t.Errorf("%s: GET %q: status %d", name, target, w.Code)
			}
			for _, s := range secrets {
				if strings.Contains(w.Body.String(), s) {
					t.Fatalf("%s: GET %q (status %d) leaks %q", name, target, w.Code, s)
				}
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

func TestAccessAliasNames(t *testing.T) {
	for name, want := range map[string]bool{
		"/index.html::$DATA":  true,
		"/.env:stream":        true,
		"/C:":                 true,
		"/c:foo":              true,
		"/sub/a.txt.":         true,
		"/sub./a.txt":         true,
		"/a.txt ":             true,
		"/CON":                true,
		"/con":                true,
		"/aux.html":           true,
		"/Nul.tar.gz":         true,
		"/nul .txt":           true,
		"/COM1":               true,
		"/com0":               true,
		"/LPT9.log":           true,
		"/COM\u00b2":          true,
		"/conout$":            true,
		"/GIT~1":              true,
		"/git~1/config":       true,
		"/INDEX~1.HTM":        true,
		"/_GIT~IBP":           true,
		"/AB12C~1.JS":         true,
		"/a~b":                true,
		"/":                   false,
		"/index.html":         false,
		"/a.b.c":              false,
		"/file~name.txt":      false,
		"/report~2024.txt":    false,
		"/~user/":             false,
		"/~1.txt":             false,
		"/backup.txt~":        false,
		"/a~b.html":           false,
		"/console.log":        false,
		"/com10":              false,
		"/lpt":                false,
		"/auxiliary.js":       false,
		"/connect/index.html": false,
		"/ nbsp":              false,
		"/stra\u00dfe.html":   false,
	} {
		if got := aliasName(name); got != want {
			t.Errorf("aliasName(%q) = %v, want %v", name, got, want)
		}
	}
	// Characters Windows forbids name no file there, and some are
	// wildcards to FindFirstFile; elsewhere they are ordinary.
	for _, name := range []string{"/a*b", "/a?b", "/<b>.html", `/"x"`, "/a|b", "/tab\there"} {
		if got, want := aliasName(name), runtime.GOOS == "windows"; got != want {
			t.Errorf("aliasName(%q) = %v on %s, want %v", name, got, runtime.GOOS, want)
		}
	}
}

func TestAccessPrivateFolds(t *testing.T) {
	for p, want := range map[string]bool{
		".env":                   true,
		"sub/.GIT/config":        true,
		"deploy/ID_RSA":          true,
		"deploy/id_r\u017fa":     true, // long s: s to ext4 casefold and APFS
		"deploy/\u0131d_rsa":     true, // dotless i: I to NTFS's upper-case table
		"\u0130D_RSA.pub":        true, // dotted capital I
		"server.\u212aEY":        true, // Kelvin sign
		"x.key\ufb06ore":         true, // st ligature: st to full case folding
		"\u200c.env":             true, // HFS+ ignores the zero-width non-joiner
		"a/\ufeff.git/config":    true, // and the byte-order mark
		"deploy/id_rsa\u200d":    true,
		"deploy/id_rsa/":         true,
		"stra\u00dfe.html":       false,
		"\u00e9t\u00e9/page.htm": false,
		"keys.txt":               false,
		"monkey.js":              false,
	} {
		if got := private(p); got != want {
			t.Errorf("private(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestAccessExactName runs the exact-name check on a real folder of this
// machine, whatever its file system: real names pass, any other spelling
// is not found, and symbolic links are judged by their own names.
func TestAccessExactName(t *testing.T) {
	_, root := fixture(t)
	f, err := newFileServer(Config{Root: root}, testTag)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, want := range map[string]bool{
		"/":              true,
		"/index.html":    true,
		"/UPPER.HTML":    true,
		"/sub/a.txt":     true,
		"/sub/":          true,
		"/empty":         true,
		"/Index.html":    false,
		"/upper.html":    false,
		"/SUB/a.txt":     false,
		"/sub/A.txt":     false,
		"/sub/a.txt.tmp": false,
		"/nothing":       false,
	} {
		err := f.exactName(name)
		if want && err != nil || !want && !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("exactName(%q) = %v, want exact %v", name, err, want)
		}
	}
	if runtime.GOOS != "windows" {
		if err := f.exactName("/in-link.txt"); err != nil {
			t.Errorf("exactName of a link inside the root: %v", err)
		}
	}
}

// foldingTree is a real folder seen as a file system that folds names
// sees it (APFS, NTFS, ext4 casefold, vfat): each segment of a name opens
// the entry it equals under Unicode case folding, its exact name first.
// This Linux has none of those (no casefold or vfat in its kernel), so the
// exact-name check is tested here through the file server's own code
// path, on real files, with this tree in place of os.Root; under Wine and
// on Windows the same tests meet NTFS's (or Wine's) own folding too.
type foldingTree struct{ *os.Root }

func (t foldingTree) real(name string) string {
	dir := "."
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg == "." {
			continue
		}
		match := seg
		if d, err := t.Root.Open(dir); err == nil {
			names, _ := d.Readdirnames(-1)
			d.Close()
			if !slices.Contains(names, seg) {
				if i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, seg) }); i >= 0 {
					match = names[i]
				}
			}
		}
		dir = path.Join(dir, match)
	}
	return dir
}

func (t foldingTree) Open(name string) (*os.File, error)     { return t.Root.Open(t.real(name)) }
func (t foldingTree) Stat(name string) (fs.FileInfo, error)  { return t.Root.Stat(t.real(name)) }
func (t foldingTree) Lstat(name string) (fs.FileInfo, error) { return t.Root.Lstat(t.real(name)) }
func (t foldingTree) Readlink(name string) (string, error)   { return t.Root.Readlink(t.real(name)) }

// servedFolding serves root through a foldingTree, and reports whether the
// file server, probing it as at start, found that it folds names.
func servedFolding(t testing.TB, root string) (f *fileServer, folds bool) {
	t.Helper()
	f, err := newFileServer(Config{Root: root}, testTag)
	if err != nil {
		t.Fatal(err)
	}
	f.root.Close()
	r, err := os.OpenRoot(root)
	if err != nil {
		t.Fatal(err)
	}
	f.root = foldingTree{r}
	t.Cleanup(func() { f.Close() })
	return f, foldsNames(f.root)
}

func TestAccessFoldingFileSystem(t *testing.T) {
	_, root := securityFixture(t)
	write(t, root, map[string]string{"caps/INDEX.HTML": "<p>CAPS PAGE</p>"})
	f, folds := servedFolding(t, root)
	if !folds {
		t.Fatal("foldsNames did not find that the folding tree folds")
	}
	get := func(target string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		f.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		return w
	}

	// Without the check the tree folds, so each case below could fail.
	f.exact = false
	for _, target := range []string{"/Index.HTML", "/SUB/a.txt", "/caps/"} {
		if w := get(target); w.Code != 200 || strings.Contains(w.Body.String(), "Index of") {
			t.Fatalf("folding tree without the check: %s: %d, want the file", target, w.Code)
		}
	}

	f.exact = true
	for _, c := range []struct {
		target string
		status int
		body   string
	}{
		{"/index.html", 200, "<title>home</title>"},
		{"/", 200, "<title>home</title>"},
		{"/sub/a.txt", 200, "file a"},
		{"/UPPER.HTML", 200, "upper"},
		{"/caps/", 200, "Index of /caps/"}, // INDEX.HTML is not index.html
		{"/caps/INDEX.HTML", 200, "CAPS PAGE"},
		{"/Index.HTML", 404, ""},
		{"/INDEX.HTML", 404, ""},
		{"/upper.html", 404, ""},
		{"/SUB/a.txt", 404, ""},
		{"/sub/A.TXT", 404, ""},
		{"/Sub", 404, ""},
		{"/SUB/", 404, ""},
		{"/Caps/INDEX.HTML", 404, ""},
		{"/caps/index.html", 404, ""},
		{"/.GIT/config", 404, ""},
		{"/.Env", 404, ""},
		{"/.ENV.LOCAL", 404, ""},
		{"/KEY.PEM", 404, ""},
		{"/Deploy/ID_RSA", 404, ""},
		{"/deploy/id_r%C5%BFa", 404, ""},
		{"/FOLD/ZW/visible.txt", 404, ""},
	} {
		w := get(c.target)
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.body) {
			t.Errorf("%s: %d, want %d with %q; body %.200q", c.target, w.Code, c.status, c.body, w.Body.String())
		}
		for _, s := range secrets {
			if strings.Contains(w.Body.String(), s) {
				t.Errorf("%s leaks %q", c.target, s)
			}
		}
		has := f.has(httptest.NewRequest("GET", c.target, nil))
		if want := c.status == 200 && !strings.Contains(c.body, "Index of"); has != want {
			t.Errorf("has(%s) = %v, want %v", c.target, has, want)
		}
	}
}

// TestAccessProbe checks the start-up probe on real folders: Linux's are
// case-sensitive, Windows' fold, and on any OS the probe agrees with what
// the folder does with a name in the other case.
func TestAccessProbe(t *testing.T) {
	empty := t.TempDir()
	dir := t.TempDir()
	write(t, dir, map[string]string{"Page.html": "x", "123": "no letters"})
	for name, d := range map[string]string{"empty": empty, "a page": dir} {
		t.Run(name, func(t *testing.T) {
			r, err := os.OpenRoot(d)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			_, err = os.Stat(filepath.Join(d, "pAGE.HTML"))
			want := err == nil && d == dir
			switch runtime.GOOS {
			case "linux":
				want = false
			case "windows":
				want = d == dir
			}
			if got := foldsNames(r); got != want {
				t.Errorf("foldsNames = %v, want %v", got, want)
			}
		})
	}
}
