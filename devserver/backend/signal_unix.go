//go:build unix

package backend

import "syscall"

// signals are the stop signals, sent to the backend's process group.
var signals = []stopSignal{
	{name: "TERM", sig: syscall.SIGTERM},
	{name: "INT", sig: syscall.SIGINT},
	{name: "HUP", sig: syscall.SIGHUP},
	{name: "QUIT", sig: syscall.SIGQUIT},
	{name: "USR1", sig: syscall.SIGUSR1},
	{name: "USR2", sig: syscall.SIGUSR2},
	{name: "KILL", sig: syscall.SIGKILL},
	{name: "BREAK", why: "is Windows' CTRL_BREAK_EVENT; here use TERM or INT"},
}
