package treegen

import (
	"io/fs"
	"path/filepath"
	"testing"
)

func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 1000, 120); err != nil {
		t.Fatal(err)
	}
	var files, dirs int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if d.IsDir() {
			dirs++
		} else {
			files++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != 1000 || dirs != 120 {
		t.Errorf("have %d files in %d folders, want 1000 in 120", files, dirs)
	}
	if err := Generate(dir, -1, 0); err == nil {
		t.Error("negative count accepted")
	}
}
