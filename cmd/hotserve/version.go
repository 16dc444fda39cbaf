package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version and commit are set by scripts/release with
// -ldflags "-X main.version=v1.2.3 -X main.commit=…". Left empty, they are
// read from the build information the Go toolchain stamps into every
// binary (see init), so that a `go install …@v1.2.3` binary still says
// which version it is.
var (
	version string
	commit  string
)

// devVersion is what a binary says when neither the release script nor
// the toolchain gave it a version: go run, or a build outside a Git tree.
const devVersion = "v0.1.0-dev"

func init() {
	info, _ := debug.ReadBuildInfo()
	version, commit = stamped(version, commit, info)
}

// stamped fills in the version and commit that -ldflags left empty from
// info. The toolchain's module version is set by go install of a tagged
// module (v1.2.3) and, since Go 1.24, by go build in a Git tree (a
// pseudo-version, +dirty when modified); "(devel)" means it knows none.
// The commit is the Git revision go build stamps; a go install from the
// module proxy has none, and the module version already names the source.
func stamped(version, commit string, info *debug.BuildInfo) (string, string) {
	if info != nil && version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		version = info.Main.Version
	}
	if version == "" {
		version = devVersion
	}
	if info != nil && commit == "" {
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if commit != "" && modified {
			commit += "-dirty"
		}
	}
	return version, commit
}

// versionLine is what --version prints: one line, so that scripts can
// read it, with what a bug report needs to name the exact build.
func versionLine() string {
	var about []string
	if commit != "" {
		about = append(about, "commit "+commit)
	}
	about = append(about, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("hotserve %s (%s)", version, strings.Join(about, ", "))
}
