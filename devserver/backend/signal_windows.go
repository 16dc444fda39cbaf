package backend

import "syscall"

// signals are the stop signals. Windows has no signals between processes:
// it can send CTRL_BREAK_EVENT to the backend's console process group,
// which Go, Node and most runtimes treat as an interrupt, and it can
// terminate the backend's job. TERM (the default), INT and BREAK are the
// first, KILL the second; the rest are refused.
var signals = []stopSignal{
	{name: "TERM", sig: syscall.SIGTERM},
	{name: "INT", sig: syscall.SIGINT},
	{name: "BREAK", sig: syscall.SIGINT},
	{name: "KILL", sig: syscall.SIGKILL},
	{name: "HUP", why: unsendable},
	{name: "QUIT", why: unsendable},
	{name: "USR1", why: unsendable},
	{name: "USR2", why: unsendable},
}

const unsendable = "cannot be sent on Windows; use TERM, INT or BREAK (all three send CTRL_BREAK_EVENT) or KILL (terminates the backend and its children)"
