package userdata

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// home points every variable Dir may read at a fresh folder.
func home(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "data"))
	t.Setenv("HOME", dir)
	t.Setenv("LOCALAPPDATA", filepath.Join(dir, "local"))
	return dir
}

func TestDirPerSystem(t *testing.T) {
	h := home(t)
	want := map[string]string{
		"darwin":  filepath.Join(h, "Library", "Application Support", "hotserve"),
		"windows": filepath.Join(h, "local", "hotserve"),
	}[runtime.GOOS]
	if want == "" {
		want = filepath.Join(h, "data", "hotserve")
	}
	if dir, err := Dir(); err != nil || dir != want {
		t.Errorf("Dir() = %q, %v; want %q", dir, err, want)
	}
}

// A relative $XDG_DATA_HOME is ignored, as the XDG spec says.
func TestRelativeXDGDataHomeIsIgnored(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("$XDG_DATA_HOME is read on Linux and the BSDs only, not on " + runtime.GOOS)
	}
	h := home(t)
	t.Setenv("XDG_DATA_HOME", "relative/data")
	if dir, err := Dir(); err != nil || dir != filepath.Join(h, ".local", "share", "hotserve") {
		t.Errorf("Dir() = %q, %v; want ~/.local/share/hotserve", dir, err)
	}
}

func TestWriteFileReplacesWholeAndPrivately(t *testing.T) {
	home(t)
	dir, _ := Dir()
	os.MkdirAll(dir, 0o755) // made before, by someone else
	if _, err := ReadFile("x.json"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file never written: %v, want not-exist", err)
	}
	for _, s := range []string{"first, and longer", "second"} {
		if err := WriteFile("x.json", []byte(s)); err != nil {
			t.Fatal(err)
		}
		if b, err := ReadFile("x.json"); err != nil || string(b) != s {
			t.Fatalf("read back %q, %v; want %q", b, err, s)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only x.json (no temporary files left): %v", len(entries), entries)
	}
	if runtime.GOOS == "windows" {
		return // Windows keeps other users out with the folder's ACL, not modes
	}
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, "x.json"): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode(), err, want)
		}
	}
}

func TestWriteFileSaysWhereItCannotWrite(t *testing.T) {
	h := home(t)
	// A file where the data folder should be.
	for _, p := range []string{filepath.Join(h, "data"), filepath.Join(h, "Library"), filepath.Join(h, "local")} {
		os.WriteFile(p, []byte("x"), 0o600)
	}
	err := WriteFile("x.json", []byte("x"))
	dir, _ := Dir()
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("WriteFile under a file: %v, want an error naming %s", err, dir)
	}
}
