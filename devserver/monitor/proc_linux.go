package monitor

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// On Linux the figures come straight from /proc, as the kernel writes
// them: the descendants from each thread's children file (one small read
// per process, rather than reading every process on the machine to find
// its parent, which is what gopsutil does), the CPU time and resident
// memory from each one's stat file.

// userHZ is the unit of the CPU times in /proc/PID/stat: USER_HZ, which the
// kernel fixes at 100 on every architecture it exports to user space.
const userHZ = 100

var pageSize = uint64(os.Getpagesize())

func readTree(pid int, kids bool) (treeFigures, error) {
	depth := 0
	if kids {
		depth = maxDepth
	}
	return readDown(pid, depth)
}

// readDown reads pid's figures and, depth levels down, its descendants':
// the walk stops at maxDepth, as on the other systems, should a tree
// change under it so that it seems to loop.
func readDown(pid, depth int) (treeFigures, error) {
	f, err := readStat(pid)
	if err != nil || depth == 0 {
		return f, err
	}
	for _, kid := range children(pid) {
		if g, err := readDown(kid, depth-1); err == nil {
			f.add(g)
		}
	}
	return f, nil
}

// readSelf reads this process's own figures: its CPU time from getrusage
// and its resident memory from /proc/self/statm, the kernel's own counts.
// /proc/self/stat is what an emulator running hotserve may fake: qemu-user
// writes zeros in it.
func readSelf() (treeFigures, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return treeFigures{}, err
	}
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return treeFigures{}, err
	}
	f := bytes.Fields(b) // size resident shared …, in pages
	if len(f) < 2 {
		return treeFigures{}, os.ErrInvalid
	}
	resident, err := strconv.ParseUint(string(f[1]), 10, 64)
	if err != nil {
		return treeFigures{}, err
	}
	return treeFigures{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss: resident * pageSize, procs: 1}, nil
}

// readStat reads one process's figures from /proc/PID/stat.
func readStat(pid int) (treeFigures, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return treeFigures{}, err
	}
	// pid (comm) state ppid … utime stime … rss: comm may hold spaces and
	// ')', so fields count from the last ')'. utime is field 14, stime
	// 15, rss 24; after ')' the state is field 3.
	f := bytes.Fields(b[bytes.LastIndexByte(b, ')')+1:])
	if len(f) < 22 {
		return treeFigures{}, os.ErrInvalid
	}
	utime, _ := strconv.ParseUint(string(f[11]), 10, 64)
	stime, _ := strconv.ParseUint(string(f[12]), 10, 64)
	rss, _ := strconv.ParseUint(string(f[21]), 10, 64)
	return treeFigures{
		cpu:   time.Duration(utime+stime) * time.Second / userHZ,
		rss:   rss * pageSize,
		procs: 1,
	}, nil
}

// children lists pid's child processes, from every thread's children
// file (a child belongs to the thread that started it).
func children(pid int) []int {
	files, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	var kids []int
	for _, name := range files {
		b, _ := os.ReadFile(name)
		for _, field := range bytes.Fields(b) {
			if kid, err := strconv.Atoi(string(field)); err == nil {
				kids = append(kids, kid)
			}
		}
	}
	return kids
}
