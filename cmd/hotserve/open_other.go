//go:build !darwin && !linux && !windows

package main

// desktopOpeners open a URL in the default browser: the BSDs' desktops
// follow freedesktop.org.
func desktopOpeners() [][]string { return [][]string{{"xdg-open"}} }
