// Hotserve serves a folder on 127.0.0.1 and keeps every open browser tab up
// to date: when a file is saved, changed stylesheets are swapped in place
// and anything else reloads the page.
//
// Usage:
//
//	hotserve [flags] [dir]
//
// With no dir, the current folder is served. Flags:
//
//	--host ADDR      address to listen on (default localhost: 127.0.0.1 and ::1)
//	--port N         port to listen on; when it is taken, the next free one is
//	                 used (default 8080; 0 = any free port)
//	--strict-port    fail instead of moving to the next free port
//	--ignore GLOB    do not watch paths matching GLOB (repeatable)
//	--debounce D     quiet period that ends a burst of changes (default 25ms)
//	--version        print the version and exit
//
// Security flags, each of which loosens a default (see SECURITY.md):
//
//	--allowed-host NAME  also answer requests for this host name (repeatable)
//	--cors ORIGIN        let pages of this exact origin read responses (repeatable)
//	--dotfiles           serve and list dotfiles and key files
//	--follow-symlinks    follow symbolic links that leave the folder
//
// Exit status is 0 after Ctrl-C, 1 when hotserve cannot start (a missing
// folder, a port in use with --strict-port), and 2 for bad usage.
package main
