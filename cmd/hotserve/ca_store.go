package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// caStore is one place where this machine's browsers look for the
// authorities they trust: the system's store, the user's keychain or Root
// store, an NSS database of Chromium or Firefox. Each OS lists its own in
// caStores (ca_store_*.go). Every method says what it did: nothing is ever
// skipped silently.
type caStore interface {
	// name says which store, for the person: "NSS database ~/.pki/nssdb
	// (Chromium)".
	name() string
	// has reports whether ca is in the store.
	has(ca *certs.CA) (bool, error)
	// add puts ca in the store, remove takes it out; a store that cannot
	// returns a cannotError.
	add(ca *certs.CA) error
	remove(ca *certs.CA) error
}

// cannotError is a step that could not be done, with why and what to run
// instead (a command that needs root, a tool to install).
type cannotError struct{ why string }

func (e *cannotError) Error() string { return e.why }

func cannot(format string, a ...any) error { return &cannotError{fmt.Sprintf(format, a...)} }

// runTool runs a store's tool, and on failure says which command failed
// with its own words.
func runTool(name string, args ...string) ([]byte, error) {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(bytes.TrimSpace(out)))
		if msg == "" {
			msg = err.Error()
		}
		return out, fmt.Errorf("%s: %s", commandLine(name, args), msg)
	}
	return out, nil
}

// commandLine is name and args as a person would type them.
func commandLine(name string, args []string) string {
	words := []string{shellWord(name)}
	for _, a := range args {
		words = append(words, shellWord(a))
	}
	return strings.Join(words, " ")
}

// stepText is what a store's step did, for the terminal.
func stepText(err error, okText string) string {
	if err == nil {
		return okText
	}
	var c *cannotError
	if errors.As(err, &c) {
		return "cannot: " + c.why
	}
	return "cannot: " + err.Error()
}
