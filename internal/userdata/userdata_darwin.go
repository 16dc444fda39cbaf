package userdata

import (
	"errors"
	"os"
	"path/filepath"
)

// base is ~/Library/Application Support, where macOS programs keep what
// they make for their user.
func base() (string, error) {
	home := os.Getenv("HOME")
	if home == "" {
		return "", errors.New("$HOME is not set; set it to say where hotserve keeps its data")
	}
	return filepath.Join(home, "Library", "Application Support"), nil
}
