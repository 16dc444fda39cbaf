package backend

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// unnamedHolder is a holder whose descriptors hotserve may not read.
const unnamedHolder = "a process this user cannot see (another user's? sudo ss -ltnp 'sport = :%d' names it)"

// portHolder reads /proc/net/tcp{,6} for a socket in the LISTEN state,
// then looks for the process whose file descriptors include that socket.
func portHolder(port int) (pid int, name string, listening bool) {
	inodes := listeningInodes(port)
	if len(inodes) == 0 {
		return 0, "", false
	}
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range fds {
		link, err := os.Readlink(fd)
		if err != nil || !strings.HasPrefix(link, "socket:[") {
			continue
		}
		if inodes[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] {
			pid, _ = strconv.Atoi(strings.Split(fd, "/")[2])
			comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
			return pid, strings.TrimSpace(string(comm)), true
		}
	}
	return 0, "", true
}

// listeningInodes returns the socket inodes listening on port.
func listeningInodes(port int) map[string]bool {
	const listen = "0A" // TCP_LISTEN in include/net/tcp_states.h
	want := fmt.Sprintf(":%04X", port)
	inodes := make(map[string]bool)
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fields := strings.Fields(sc.Text())
			if len(fields) >= 10 && strings.HasSuffix(fields[1], want) && fields[3] == listen {
				inodes[fields[9]] = true
			}
		}
		f.Close()
	}
	return inodes
}
