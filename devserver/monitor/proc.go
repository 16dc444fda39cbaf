package monitor

import "time"

// treeFigures are what one process, or a process and all its
// descendants, cost so far: CPU time used since each started, resident
// memory now, and how many processes were counted. readTree, one per OS,
// reads them:
//
//	func readTree(pid int, kids bool) (treeFigures, error)
//
// A backend is a shell, the program it runs and whatever that starts
// (a compiler's server, workers), so its figures are the whole tree's.
type treeFigures struct {
	cpu   time.Duration
	rss   uint64
	procs int
}

// add sums another process into f.
func (f *treeFigures) add(g treeFigures) {
	f.cpu += g.cpu
	f.rss += g.rss
	f.procs += g.procs
}

// cpuMeter turns a cumulative CPU time into a percentage of one core
// between two readings.
type cpuMeter struct {
	pid  int // the tree it measured last: a new pid starts afresh
	cpu  time.Duration
	when time.Time
}

// percent returns the share of one core used since the last reading of
// the same pid; 0 on the first. A descendant that exited takes its CPU
// time with it, so a fall is read as 0, not as a negative share.
func (m *cpuMeter) percent(pid int, cpu time.Duration, now time.Time) float64 {
	prev, prevPID, prevWhen := m.cpu, m.pid, m.when
	m.pid, m.cpu, m.when = pid, cpu, now
	wall := now.Sub(prevWhen)
	if prevPID != pid || prevWhen.IsZero() || wall <= 0 || cpu < prev {
		return 0
	}
	return 100 * float64(cpu-prev) / float64(wall)
}

// maxDepth stops a walk down a process tree whose parent links loop
// (a reused pid on Windows, whose parent ids are never updated).
const maxDepth = 32
