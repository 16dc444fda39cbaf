package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// runCA is `hotserve ca`: where the local authority is, its fingerprint,
// what it may vouch for, and which of this machine's stores trust it.
func runCA(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		usageError(stderr, "usage: hotserve ca; it takes no arguments")
		return 2
	}
	ca, err := certs.Load()
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stdout, "There is no local certificate authority yet; hotserve --https or hotserve trust makes one.")
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "%s\n  certificate  %s\n  key          %s (only you can read it)\n  SHA-256      %s\n  valid until  %s\n  vouches only for %s and %s\n\n",
		ca.Cert.Subject.CommonName, ca.CertPath(), filepath.Join(ca.Dir, certs.KeyFile), ca.Fingerprint(), ca.Cert.NotAfter.Format("2006-01-02"),
		strings.Join(certs.PermittedDomains, ", "), strings.Join(certs.PermittedRanges, ", "))
	home, _ := os.UserHomeDir()
	for _, s := range caStores(home) {
		ok, err := s.has(ca)
		state := map[bool]string{true: "trusts it", false: "does not trust it"}[ok]
		if err != nil {
			state = stepText(err, "")
		}
		fmt.Fprintf(stdout, "  %s: %s\n", s.name(), escapeText(state))
	}
	return 0
}

// runTrust is `hotserve trust`: it installs the authority, made now if
// need be, in every store of this machine's browsers, one step per store.
// It exits 1 if any step could not be done.
func runTrust(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		usageError(stderr, "usage: hotserve trust; it takes no arguments")
		return 2
	}
	ca, created, err := certs.LoadOrCreate()
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	if created {
		fmt.Fprintf(stdout, "Made a local certificate authority in %s\n", ca.Dir)
	}
	fmt.Fprintf(stdout, "Trusting %s (SHA-256 %s):\n", ca.Cert.Subject.CommonName, ca.Fingerprint())
	return steps(ca, stdout, func(s caStore) string {
		if ok, err := s.has(ca); err == nil && ok {
			return "already there"
		}
		return stepText(s.add(ca), "done")
	})
}

// runUntrust is `hotserve untrust`: it takes the authority out of every
// store that hotserve trust puts it in. The authority itself stays.
func runUntrust(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		usageError(stderr, "usage: hotserve untrust; it takes no arguments")
		return 2
	}
	ca, err := certs.Load()
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(stdout, "There is no local certificate authority; nothing to do.")
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stdout, "Untrusting %s (SHA-256 %s):\n", ca.Cert.Subject.CommonName, ca.Fingerprint())
	code := steps(ca, stdout, func(s caStore) string {
		if ok, err := s.has(ca); err == nil && !ok {
			return "not there"
		}
		return stepText(s.remove(ca), "removed")
	})
	fmt.Fprintf(stdout, "The authority stays in %s; delete that folder's %s and %s to be rid of it.\n", ca.Dir, certs.KeyFile, certs.CertFile)
	return code
}

// steps does step in every store, printing one line each, and returns 1
// if any says cannot.
func steps(ca *certs.CA, stdout io.Writer, step func(caStore) string) int {
	home, _ := os.UserHomeDir()
	code := 0
	for _, s := range caStores(home) {
		line := step(s)
		if strings.HasPrefix(line, "cannot:") {
			code = 1
		}
		fmt.Fprintf(stdout, "  %s: %s\n", s.name(), escapeText(line))
	}
	return code
}
