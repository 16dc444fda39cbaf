package watcher

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGitignore(t *testing.T) {
	ig, err := newIgnorer(nil, true)
	if err != nil {
		t.Fatal(err)
	}
	ig.git[""] = parseGitignore([]byte(`# a comment
*.log
!keep.log
dist/
/top.txt
docs/*.tmp
gen/**
!gen/keep
\#literal
trailing   
**/cache
`))
	ig.git["sub"] = parseGitignore([]byte("local\n!*.log\n"))
	for _, tc := range []struct {
		name string
		path string
		dir  bool
		want bool
	}{
		{"base-name glob at any depth", "a/b/server.log", false, true},
		{"negation re-includes", "keep.log", false, false},
		{"negation at depth", "x/keep.log", false, false},
		{"dir-only rule skips files", "dist", false, false},
		{"dir-only rule hides folders", "dist", true, true},
		{"dir-only rule at depth", "web/dist", true, true},
		{"leading slash anchors", "top.txt", false, true},
		{"anchored does not float", "a/top.txt", false, false},
		{"middle slash anchors", "docs/a.tmp", false, true},
		{"middle slash does not float", "x/docs/a.tmp", false, false},
		{"dir/** spares the folder itself", "gen", true, false},
		{"dir/** hides its contents", "gen/x.js", false, true},
		{"dir/** then !dir/keep", "gen/keep", false, false},
		{"escaped hash", "#literal", false, true},
		{"trailing spaces trimmed", "trailing", false, true},
		{"leading **/", "a/b/cache", true, true},
		{"nested file applies below its folder", "sub/local", false, true},
		{"nested file does not apply elsewhere", "local", false, false},
		{"deeper file overrides", "sub/x.log", false, false},
		{"ordinary file", "index.html", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if have := ig.match(tc.path, tc.dir); have != tc.want {
				t.Errorf("match(%q, dir=%v) = %v, want %v", tc.path, tc.dir, have, tc.want)
			}
		})
	}
}

func TestGitignoreOffAndInfoExclude(t *testing.T) {
	root := t.TempDir()
	for p, data := range map[string]string{
		".gitignore":        "*.tmp\n",
		".git/info/exclude": "secret\n",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	on, _ := newIgnorer(nil, true)
	on.loadGitignore("", root)
	off, _ := newIgnorer(nil, false)
	off.loadGitignore("", root)
	for _, p := range []string{"a.tmp", "secret"} {
		if !on.match(p, false) {
			t.Errorf("%s not ignored with .gitignore on", p)
		}
		if off.match(p, false) {
			t.Errorf("%s ignored with NoGitignore", p)
		}
	}
}
