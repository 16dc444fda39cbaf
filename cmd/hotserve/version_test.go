package main

import (
	"os/exec"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/internal/testenv"
)

func TestStamped(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "f76c4c0ff463"}, {Key: "vcs.modified", Value: "false"}}
	dirty := []debug.BuildSetting{{Key: "vcs.revision", Value: "f76c4c0ff463"}, {Key: "vcs.modified", Value: "true"}}
	cases := []struct {
		name                    string
		ldVersion, ldCommit     string
		info                    *debug.BuildInfo
		wantVersion, wantCommit string
	}{
		{"the release script's flags win", "v1.2.3", "abc", &debug.BuildInfo{Main: debug.Module{Version: "v0.9.0"}, Settings: vcs}, "v1.2.3", "abc"},
		{"go install of a tagged module", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3", ""},
		{"go build in a Git tree", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201122100-f76c4c0ff463"}, Settings: vcs}, "v0.0.0-20261201122100-f76c4c0ff463", "f76c4c0ff463"},
		{"a modified tree", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: dirty}, devVersion, "f76c4c0ff463-dirty"},
		{"go run, no stamp", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, devVersion, ""},
		{"no build information", "", "", nil, devVersion, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, commit := stamped(c.ldVersion, c.ldCommit, c.info)
			if v != c.wantVersion || commit != c.wantCommit {
				t.Errorf("have: %q %q\nwant: %q %q", v, commit, c.wantVersion, c.wantCommit)
			}
		})
	}
}

// TestVersionFromLdflags builds hotserve as scripts/release does and runs
// --version.
func TestVersionFromLdflags(t *testing.T) {
	bin := testenv.Build(t, "github.com/hotserve/hotserve/cmd/hotserve", "-trimpath", "-ldflags=-s -w -X main.version=v9.8.7 -X main.commit=0123abcd")
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("--version: %v", err)
	}
	want := "hotserve v9.8.7 (commit 0123abcd, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if have := strings.TrimSpace(string(out)); have != want {
		t.Errorf("have: %s\nwant: %s", have, want)
	}
}
