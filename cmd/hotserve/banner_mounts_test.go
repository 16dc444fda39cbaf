package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The banner lists each mount on a line of its own, after the folder,
// escaped: a prefix or a folder name can hold terminal controls.
func TestBannerListsMounts(t *testing.T) {
	var out bytes.Buffer
	b := banner{version: "v1", url: "http://127.0.0.1:1/", folder: "/srv/site", startup: time.Millisecond,
		mounts: []bannerMount{{Prefix: "/vendor", Dir: "../shared-lib"}, {Prefix: "/x" + hostile, Dir: "../lib" + hostile}}}
	newTerm(&out, "text", false).banner(b, false)
	got := out.String()
	lines := strings.Split(got, "\n")
	var mounts []string
	for i, l := range lines {
		if strings.Contains(l, "Mount:") {
			mounts = append(mounts, strings.Join(strings.Fields(l), " "))
			if !strings.Contains(lines[i-len(mounts)], "Folder:") {
				t.Errorf("the mounts do not follow the folder:\n%s", got)
			}
		}
	}
	want := []string{"➜ Mount: /vendor → ../shared-lib", "➜ Mount: /x" + hostileShown + " → ../lib" + hostileShown}
	if len(mounts) != 2 || mounts[0] != want[0] || mounts[1] != want[1] {
		t.Errorf("the mount lines are\n%q\nwant\n%q", mounts, want)
	}
	if strings.ContainsAny(got, "\x1b\r\x07\u202e") {
		t.Errorf("the banner holds raw control characters:\n%q", got)
	}
}

// hotserve's own banner names a --mount as given.
func TestBannerNamesMountFlag(t *testing.T) {
	base := t.TempDir()
	site, lib := filepath.Join(base, "site"), filepath.Join(base, "shared-lib")
	for _, d := range []string{site, lib} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	hotserveBin(t) // built from the package folder, before leaving it
	t.Chdir(site)  // the mount's folder is relative to the current one
	p := start(t, "--port", "0", "--mount", "/vendor="+filepath.Join("..", "shared-lib"), site)
	p.waitOutput(t, "Watching:")
	if want := "Mount:    /vendor → " + filepath.Join("..", "shared-lib") + "\n"; !strings.Contains(p.stdout.String(), want) {
		t.Errorf("no %q in the banner:\n%s", want, p.stdout)
	}
}
