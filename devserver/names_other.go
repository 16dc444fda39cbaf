//go:build !windows

package devserver

import (
	"io"
	"runtime"
	"slices"
)

// namesFold is whether this OS's usual file systems fold names (APFS and
// HFS+ on macOS): then exactName always runs. Elsewhere it runs when
// foldsNames finds that the served folder folds.
const namesFold = runtime.GOOS == "darwin" || runtime.GOOS == "ios"

// forbiddenChar reports a character this OS forbids in file names: here
// only NUL and '/', which never reach a segment.
func forbiddenChar(string) bool { return false }

// hasEntry reports whether the folder dir (relative to the root) holds an
// entry named exactly name. It reads the folder's names until it meets
// name: there is no portable call that returns the name an entry has on
// disk, and this runs only where names may fold.
func (f *fileServer) hasEntry(dir, name string) (bool, error) {
	d, err := f.root.Open(dir)
	if err != nil {
		return false, err
	}
	defer d.Close()
	for {
		names, err := d.Readdirnames(256)
		if slices.Contains(names, name) {
			return true, nil
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}
