package main

// desktopOpeners open a URL in the default browser. rundll32 hands it to
// the shell as it is; `cmd /c start` would read & in it as a command
// separator.
func desktopOpeners() [][]string { return [][]string{{"rundll32", "url.dll,FileProtocolHandler"}} }
