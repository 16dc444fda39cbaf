package backend

import (
	"fmt"
	"strings"
	"syscall"
)

// signals are the stop signals a backend may ask for, by name.
var signals = []struct {
	name string
	sig  syscall.Signal
}{
	{"TERM", syscall.SIGTERM},
	{"INT", syscall.SIGINT},
	{"HUP", syscall.SIGHUP},
	{"QUIT", syscall.SIGQUIT},
	{"USR1", syscall.SIGUSR1},
	{"USR2", syscall.SIGUSR2},
	{"KILL", syscall.SIGKILL},
}

// ParseSignal reads a signal name such as "TERM", "SIGINT" or "hup".
func ParseSignal(name string) (syscall.Signal, error) {
	n := strings.TrimPrefix(strings.ToUpper(name), "SIG")
	var names []string
	for _, s := range signals {
		if s.name == n {
			return s.sig, nil
		}
		names = append(names, s.name)
	}
	return 0, fmt.Errorf("backend: unknown stop signal %q; use one of %s", name, strings.Join(names, ", "))
}
