// Hotserve serves a folder on localhost and keeps every open browser tab up
// to date: when a file is saved, changed stylesheets and images are swapped
// in place and anything else reloads the pages that use it.
//
// Usage:
//
//	hotserve [flags] [dir]     serve dir (default: the current folder)
//	hotserve init [dir]        write a commented hotserve.toml
//	hotserve doctor [dir]      check the machine for what breaks dev servers
//	hotserve trust-config [file]    let a settings file run commands and loosen defaults
//	hotserve untrust-config [file]  take that back
//	hotserve ca                show the local certificate authority of --https
//	hotserve trust             make this machine's browsers trust it
//	hotserve untrust           take that back
//
// `hotserve --help` lists the flags, grouped; README.md explains each. Every
// flag is also a key of hotserve.toml in the served folder, and flags win;
// the keys that run a command or loosen a default apply from a file only
// once it is trusted as it is (SECURITY.md).
//
// Exit status is 0 after Ctrl-C, 1 when hotserve cannot start (a missing
// folder, a port in use with --strict-port), and 2 for bad usage or a
// broken settings file.
package main
