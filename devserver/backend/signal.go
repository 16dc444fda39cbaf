package backend

import (
	"fmt"
	"strings"
	"syscall"
)

// stopSignal is a stop signal a backend may ask for, by name, and what it
// is on this OS: a signal to send, or why it cannot be sent here.
type stopSignal struct {
	name string
	sig  syscall.Signal
	why  string // non-empty: refused here, for this reason
}

// ParseSignal reads a stop signal name such as "TERM", "SIGINT" or "hup",
// accepting what this OS can send (the table in signal_unix.go or
// signal_windows.go) and refusing the rest with the reason.
func ParseSignal(name string) (syscall.Signal, error) {
	n := strings.TrimPrefix(strings.ToUpper(name), "SIG")
	for _, s := range signals {
		if s.name == n && s.why != "" {
			return 0, fmt.Errorf("backend: stop signal %s %s", s.name, s.why)
		}
		if s.name == n {
			return s.sig, nil
		}
	}
	return 0, fmt.Errorf("backend: unknown stop signal %q; use one of %s", name, strings.Join(SignalNames(), ", "))
}

// SignalNames lists the stop signals this OS can send, for help texts.
func SignalNames() []string {
	var names []string
	for _, s := range signals {
		if s.why == "" {
			names = append(names, s.name)
		}
	}
	return names
}
