package main

import (
	"log/slog"
	"os"
	"os/exec"
)

// openBrowser opens url in the person's browser: $BROWSER when set, else
// the desktop's opener. A failure is a warning, never fatal.
func openBrowser(url string, log *slog.Logger) {
	opener := os.Getenv("BROWSER")
	if opener == "" {
		opener = "xdg-open"
	}
	cmd := exec.Command(opener, url)
	if err := cmd.Start(); err != nil {
		log.Warn("cannot open the browser with "+opener+"; open "+url+" by hand, or set $BROWSER", "err", err)
		return
	}
	go cmd.Wait() // reap it
}
