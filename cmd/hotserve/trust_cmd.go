package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// runTrustConfig is `hotserve trust-config [file]`: it prints what the
// settings file would run and loosen, then trusts it as it is now.
func runTrustConfig(args []string, stdout, stderr io.Writer) int {
	path, code := settingsFileArg("trust-config", args, stderr)
	if code != 0 {
		return code
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: cannot read the settings file: %s\n", escapeText(err.Error()))
		return 1
	}
	// The whole file must be valid; what it asks for is what an untrusted
	// read of it withholds.
	if _, err = applyConfig(newFlagSet(new(options)), path, data, func() bool { return true }); err != nil {
		fmt.Fprintf(stderr, "hotserve: %s; fix it, then trust it\n", escapeText(err.Error()))
		return 1
	}
	got, _ := applyConfig(newFlagSet(new(options)), path, data, func() bool { return false })
	if len(got.withheld) == 0 {
		fmt.Fprintf(stdout, "%s asks for nothing that needs trust (it runs no command and loosens nothing).\n", escapeText(path))
	} else {
		fmt.Fprintf(stdout, "%s asks for:\n%s", escapeText(path), asksText(got.withheld, "  "))
	}
	s, err := loadTrust()
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
	}
	s.grant(path, data)
	if err := s.save(); err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "Trusted as it is now; any edit makes it untrusted again. To take it back: hotserve untrust-config %s\n", escapeText(pathWord(path)))
	return 0
}

// runUntrustConfig is `hotserve untrust-config [file]`: the file's keys
// that run a command or loosen a default no longer apply.
func runUntrustConfig(args []string, stdout, stderr io.Writer) int {
	path, code := settingsFileArg("untrust-config", args, stderr)
	if code != 0 {
		return code
	}
	s, err := loadTrust()
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
	}
	if !s.revoke(path) && err == nil {
		fmt.Fprintf(stdout, "%s was not trusted; nothing to do\n", escapeText(path))
		return 0
	}
	if err := s.save(); err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "%s is no longer trusted: hotserve starts without its commands and loosened defaults\n", path)
	return 0
}

// settingsFileArg is the absolute path of the settings file that
// `hotserve cmd [file]` names: file, or hotserve.toml in it if it is a
// folder, or ./hotserve.toml. code is non-zero for bad usage.
func settingsFileArg(cmd string, args []string, stderr io.Writer) (path string, code int) {
	if len(args) > 1 {
		usageError(stderr, "usage: hotserve %s [file]; got %d arguments", cmd, len(args))
		return "", 2
	}
	name := configName
	if len(args) == 1 {
		name = args[0]
		if isDir(name) {
			name = filepath.Join(name, configName)
		}
	}
	path, err := filepath.Abs(name)
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return "", 1
	}
	return path, 0
}
