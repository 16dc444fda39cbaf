package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// runInit is `hotserve init [dir]`: it writes a commented hotserve.toml
// listing every setting, and never overwrites one.
func runInit(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		usageError(stderr, "init takes one folder at most, got %d", len(args))
		return 2
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	name := filepath.Join(dir, configName)
	shown := escapeText(name) // the folder's name may hold escapes
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	switch {
	case errors.Is(err, os.ErrExist):
		fmt.Fprintf(stderr, "hotserve: %s already exists; edit it, or remove it to start afresh\n", shown)
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "hotserve: cannot write %s: %s\n", shown, escapeText(err.Error()))
		return 1
	}
	_, err = f.Write(starterConfig(newFlagSet(new(options))))
	if err = errors.Join(err, f.Close()); err != nil {
		fmt.Fprintf(stderr, "hotserve: cannot write %s: %s\n", shown, escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s: every setting, commented out; uncomment what you want to change\n", shown)
	return 0
}
