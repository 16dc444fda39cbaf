// Package userdata is hotserve's own folder in the user's data folder: what
// hotserve keeps between runs and that belongs to the person, not to a
// project (which settings files they trust; later the local HTTPS
// authority). Only its owner can read it: the folder is made 0700 and every
// file 0600, and a file is replaced whole (written aside, then renamed), so
// a crash never leaves half of one.
//
// Where it is comes from the variables each system already uses, so tests
// point it elsewhere with them: $XDG_DATA_HOME (else ~/.local/share) on
// Linux and the BSDs, $HOME on macOS, %LOCALAPPDATA% on Windows.
package userdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// name is hotserve's folder inside the user's data folder.
const name = "hotserve"

// Dir is hotserve's folder in the user's data folder. It may not exist
// yet; WriteFile makes it.
func Dir() (string, error) {
	base, err := base()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, name), nil
}

// ReadFile reads the file file of Dir. A file never written reads as an
// error that errors.Is os.ErrNotExist.
func ReadFile(file string) ([]byte, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, file))
}

// WriteFile replaces the file file of Dir with data, making the folder
// (0700) if need be. The file (0600) is written under a temporary name and
// renamed over the old one, so readers see the old content or the new,
// never a part.
func WriteFile(file string, data []byte) error {
	dir, err := Dir()
	if err != nil {
		return err
	}
	// Chmod too: a folder made before, by hand or by another program, is
	// made private as well.
	if err := errors.Join(os.MkdirAll(dir, 0o700), os.Chmod(dir, 0o700)); err != nil {
		return fmt.Errorf("cannot make %s private: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, file+".*.tmp") // 0600
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, file))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cannot write %s: %w", filepath.Join(dir, file), err)
	}
	return nil
}
