//go:build !darwin && !windows

package userdata

import (
	"errors"
	"os"
	"path/filepath"
)

// base is the XDG data folder: $XDG_DATA_HOME when it is an absolute path
// (the XDG spec says to ignore a relative one), else ~/.local/share.
func base() (string, error) {
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return dir, nil
	}
	home := os.Getenv("HOME")
	if home == "" {
		return "", errors.New("neither $XDG_DATA_HOME nor $HOME is set; set one to say where hotserve keeps its data")
	}
	return filepath.Join(home, ".local", "share"), nil
}
