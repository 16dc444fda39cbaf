// Command archive packs files into a .tar.gz or .zip that is the same,
// byte for byte, every time it is made from the same files: scripts/release
// uses it for the prebuilt archives. tar and zip would stamp each entry
// with the file's time, owner and the order the file system lists it in,
// and gzip its own header with the time of packing.
//
// Each file is stored under the folder given by -dir, by its base name,
// in the order given, with the time given by -mtime (scripts/release
// passes the commit's time), mode 0755 if the file is executable and
// 0644 if not, owned by user and group 0.
//
// Usage:
//
//	archive -o dist/hotserve_1.2.3_linux_amd64.tar.gz -dir hotserve_1.2.3_linux_amd64 -mtime 1764590400 hotserve README.md LICENSE
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	out := flag.String("o", "", "the archive to write: a name ending in .tar.gz or .zip")
	dir := flag.String("dir", "", "the folder the files are stored in, inside the archive")
	mtime := flag.Int64("mtime", 0, "every entry's modification time, in seconds since 1970 (UTC)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: archive -o out.tar.gz|out.zip -dir folder -mtime seconds file...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || *dir == "" || flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := write(*out, *dir, time.Unix(*mtime, 0).UTC(), flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "archive: %v\n", err)
		os.Exit(1)
	}
}

// entry is one file to store.
type entry struct {
	name string // its path in the archive
	mode int64
	data []byte
}

func write(out, dir string, mtime time.Time, files []string) error {
	entries := make([]entry, 0, len(files))
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		mode := int64(0o644)
		if fi.Mode().Perm()&0o111 != 0 {
			mode = 0o755
		}
		entries = append(entries, entry{path.Join(dir, filepath.Base(f)), mode, data})
	}
	var pack func(io.Writer, []entry, time.Time) error
	switch {
	case strings.HasSuffix(out, ".tar.gz"):
		pack = packTarGz
	case strings.HasSuffix(out, ".zip"):
		pack = packZip
	default:
		return fmt.Errorf("%s: name the archive .tar.gz or .zip", out)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := pack(f, entries, mtime); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", out, err)
	}
	return f.Close()
}

// packTarGz writes a gzip header without a name or time, and plain USTAR
// tar headers (no PAX records, which would carry access times), owned by
// user and group 0.
func packTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Typeflag: tar.TypeReg, Name: e.name, Mode: e.mode, Size: int64(len(e.data)),
			ModTime: mtime, Format: tar.FormatUSTAR}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(e.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// packZip deflates every entry, with its Unix mode, so that unzip keeps
// the binary executable.
func packZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(os.FileMode(e.mode))
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.data); err != nil {
			return err
		}
	}
	return zw.Close()
}
