package backend

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// procStat is one live process: its id, its parent's and its group's.
type procStat struct{ pid, ppid, pgrp int }

// listProcs lists every process that is not a zombie, from /proc/PID/stat.
// Zombies are dead: they hold no port and no file, and an orphan's zombie
// may linger until PID 1 gets round to reaping it.
func listProcs() ([]procStat, bool) {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	stats := make([]procStat, 0, len(paths))
	for _, path := range paths {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp …; comm may hold spaces and ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 || f[0] == "Z" || f[0] == "X" {
			continue
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(s[:strings.IndexByte(s, ' ')]))
		ppid, _ := strconv.Atoi(f[1])
		pgrp, _ := strconv.Atoi(f[2])
		stats = append(stats, procStat{pid: pid, ppid: ppid, pgrp: pgrp})
	}
	return stats, true
}
