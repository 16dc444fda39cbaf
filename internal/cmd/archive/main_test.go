package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// files writes a binary and a document into a new folder, with the
// current time, and returns their paths.
func files(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	bin, doc := filepath.Join(dir, "hotserve"), filepath.Join(dir, "README.md")
	if err := os.WriteFile(bin, []byte("\x7fELF binary"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(doc, []byte("# hotserve\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{bin, doc}
}

// listing is each entry as "name mode time size".
func listing(t *testing.T, name string) []string {
	t.Helper()
	var out []string
	if filepath.Ext(name) == ".zip" {
		zr, err := zip.OpenReader(name)
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			out = append(out, fmt.Sprintf("%s %v %s %d", f.Name, f.Mode(), f.Modified.UTC().Format(time.RFC3339), f.UncompressedSize64))
		}
		return out
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %v %s %d uid=%d", h.Name, h.FileInfo().Mode(), h.ModTime.UTC().Format(time.RFC3339), h.Size, h.Uid))
	}
}

func TestArchiveIsTheSameEveryTime(t *testing.T) {
	mtime := time.Unix(1764590400, 0).UTC()
	want := map[string][]string{
		".tar.gz": {"hs_1_linux/hotserve -rwxr-xr-x 2025-12-01T12:00:00Z 11 uid=0", "hs_1_linux/README.md -rw-r--r-- 2025-12-01T12:00:00Z 11 uid=0"},
		".zip":    {"hs_1_linux/hotserve -rwxr-xr-x 2025-12-01T12:00:00Z 11", "hs_1_linux/README.md -rw-r--r-- 2025-12-01T12:00:00Z 11"},
	}
	for ext, entries := range want {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			first, second := filepath.Join(dir, "a"+ext), filepath.Join(dir, "b"+ext)
			if err := write(first, "hs_1_linux", mtime, files(t)); err != nil {
				t.Fatal(err)
			}
			// Other files with the same bytes, made a moment later.
			if err := write(second, "hs_1_linux", mtime, files(t)); err != nil {
				t.Fatal(err)
			}
			a, _ := os.ReadFile(first)
			b, _ := os.ReadFile(second)
			if !bytes.Equal(a, b) {
				t.Errorf("two archives of the same files differ")
			}
			have := listing(t, first)
			if fmt.Sprint(have) != fmt.Sprint(entries) {
				t.Errorf("have: %q\nwant: %q", have, entries)
			}
		})
	}
}

func TestArchiveRefusesOtherNames(t *testing.T) {
	err := write(filepath.Join(t.TempDir(), "a.tar.xz"), "hs", time.Unix(0, 0), files(t))
	if err == nil {
		t.Fatal("a .tar.xz was written")
	}
}
