package backend

import "golang.org/x/sys/unix"

// procStat is one live process: its id, its parent's and its group's.
type procStat struct{ pid, ppid, pgrp int }

// szomb is a zombie's p_stat (SZOMB in <sys/proc.h>).
const szomb = 5

// listProcs lists every process that is not a zombie, from the
// kern.proc.all sysctl (what ps reads).
func listProcs() ([]procStat, bool) {
	kps, err := unix.SysctlKinfoProcSlice("kern.proc.all")
	if err != nil {
		return nil, false
	}
	stats := make([]procStat, 0, len(kps))
	for _, kp := range kps {
		if kp.Proc.P_stat == szomb {
			continue
		}
		stats = append(stats, procStat{pid: int(kp.Proc.P_pid), ppid: int(kp.Eproc.Ppid), pgrp: int(kp.Eproc.Pgid)})
	}
	return stats, true
}
