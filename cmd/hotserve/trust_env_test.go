package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// userDataVars are the variables that say where the user's data folder is
// (internal/userdata), on one system or another.
var userDataVars = []string{"XDG_DATA_HOME", "HOME", "LOCALAPPDATA"}

// isolateUserData points the user's data folder of this test binary, and
// of every hotserve it starts, at a temporary folder, so that no test
// reads or writes the trust store of the person running the tests. The go
// command that builds hotserve for the tests finds its caches and
// settings from HOME and LOCALAPPDATA too: they are pinned first, where a
// toolchain is. The returned func removes the folder.
func isolateUserData() (cleanup func()) {
	if out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH", "GOENV").Output(); err == nil {
		for i, v := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if name := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV"}[i]; v != "" {
				os.Setenv(name, strings.TrimSpace(v))
			}
		}
	}
	dir, err := os.MkdirTemp("", "hotserve-userdata-")
	if err != nil {
		panic(err)
	}
	for _, v := range userDataVars {
		os.Setenv(v, dir)
	}
	return func() { os.RemoveAll(dir) }
}

// tempUserData gives the test a user data folder of its own, empty, and
// returns it.
func tempUserData(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range userDataVars {
		t.Setenv(v, dir)
	}
	return dir
}

// trustContent trusts the settings file at path as data will hold it, as
// hotserve trust-config would once data is written, for the hotserves the
// test starts (they share its environment).
func trustContent(t *testing.T, path string, data []byte) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := loadTrust()
	if err != nil {
		t.Fatal(err)
	}
	s.grant(abs, data)
	if err := s.save(); err != nil {
		t.Fatal(err)
	}
}
