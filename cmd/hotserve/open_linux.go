package main

import (
	"os"
	"strings"
)

// desktopOpeners open a URL in the default browser. Under WSL that is
// Windows' browser, which wslview (from wslu) reaches; xdg-open there
// works only where someone has set it up.
func desktopOpeners() [][]string {
	osrelease, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	if inWSL(string(osrelease), os.Getenv("WSL_DISTRO_NAME")) {
		return [][]string{{"wslview"}, {"xdg-open"}}
	}
	return [][]string{{"xdg-open"}}
}

// inWSL reports whether Linux runs under WSL, from the kernel's release
// (…-microsoft-standard-WSL2, or …-Microsoft under WSL 1) and the
// distribution name WSL sets.
func inWSL(osrelease, distro string) bool {
	return distro != "" || strings.Contains(strings.ToLower(osrelease), "microsoft")
}
