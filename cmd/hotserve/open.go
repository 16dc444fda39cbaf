package main

import (
	"log/slog"
	"os"
	"os/exec"
	"strings"
)

// openBrowser opens url in the person's browser: $BROWSER when set, else
// the desktop's opener. A failure is a warning, never fatal.
func openBrowser(url string, log *slog.Logger) {
	argv := browserCommand(os.Getenv("BROWSER"), desktopOpeners(), exec.LookPath)
	cmd := exec.Command(argv[0], append(argv[1:], url)...)
	if err := cmd.Start(); err != nil {
		log.Warn("cannot open the browser with "+strings.Join(argv, " ")+"; open "+url+" by hand, or set $BROWSER", "err", err)
		return
	}
	go cmd.Wait() // reap it
}

// browserCommand is the command that opens a URL given as its last
// argument: $BROWSER (browser) wins, else the first of the desktop's
// openers that is installed, else the first, to name in the warning.
func browserCommand(browser string, openers [][]string, lookPath func(string) (string, error)) []string {
	if browser != "" {
		return []string{browser}
	}
	for _, o := range openers {
		if _, err := lookPath(o[0]); err == nil {
			return o
		}
	}
	return openers[0]
}
