package main

import (
	"fmt"
	"slices"

	"github.com/hotserve/hotserve/devserver"
)

// browserOptions are what the pages' own errors do: which reach the
// terminal (--console), and whether uncaught ones cover the page
// (--no-overlay).
type browserOptions struct {
	console   string
	noOverlay bool
}

// consoleLevels are --console's values, as devserver.Config.Console
// takes them.
var consoleLevels = []string{devserver.ConsoleErrors, devserver.ConsoleAll, devserver.ConsoleOff}

// consoleValue is --console: one of consoleLevels, checked as it is set,
// so a wrong one is a usage error (or a settings file's line).
type consoleValue struct{ p *string }

func consoleFlag(p *string) consoleValue {
	*p = devserver.ConsoleErrors
	return consoleValue{p}
}

func (v consoleValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

func (v consoleValue) Get() any { return *v.p }

func (v consoleValue) Set(s string) error {
	if !slices.Contains(consoleLevels, s) {
		return fmt.Errorf("%q is not a console level; use errors (errors and warnings), all or off", s)
	}
	*v.p = s
	return nil
}
