//go:build !windows

package main

import (
	"os"
	"os/exec"
	"testing"
)

// ownProcessGroup is for Windows, where interrupt needs it.
func ownProcessGroup(*exec.Cmd) {}

// interrupt is Ctrl-C.
func interrupt(t *testing.T, p *os.Process) {
	t.Helper()
	if err := p.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
}
