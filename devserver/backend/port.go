package backend

import "fmt"

// PortHolder returns the pid of a process listening on TCP port (IPv4 or
// IPv6, any address), or 0 when none is, and its command name. listening
// is true when the port is held even if the holder cannot be named: on
// Linux another user's process; on macOS and the BSDs any process, since
// they tell no pid without cgo (UnnamedHolder says how to find it).
func PortHolder(port int) (pid int, name string, listening bool) {
	return portHolder(port)
}

// UnnamedHolder describes, for a person, the process that holds port when
// PortHolder cannot name it, with the command that finds it on this OS.
func UnnamedHolder(port int) string {
	return fmt.Sprintf(unnamedHolder, port)
}
