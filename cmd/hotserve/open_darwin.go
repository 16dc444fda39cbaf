package main

// desktopOpeners open a URL in the default browser.
func desktopOpeners() [][]string { return [][]string{{"open"}} }
