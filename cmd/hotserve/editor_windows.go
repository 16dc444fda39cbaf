package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// runnable reports why argv cannot be run safely. On Windows an editor's
// launcher is often a batch file (code.cmd), which runs through cmd.exe,
// and cmd.exe reads its own syntax in the arguments, which Go cannot
// quote away: a file name with one of those characters is refused rather
// than read as a command.
func runnable(argv []string) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return nil // Start says why it cannot run it
	}
	lower := strings.ToLower(path)
	if !strings.HasSuffix(lower, ".cmd") && !strings.HasSuffix(lower, ".bat") {
		return nil
	}
	for _, a := range argv[1:] {
		if strings.ContainsAny(a, "&|<>^%!\"()\r\n") {
			return fmt.Errorf("%s is a batch file, which would read %q as commands; rename the file, or set VISUAL to the editor's .exe", argv[0], a)
		}
	}
	return nil
}
