//go:build !linux

package monitor

import (
	"os"
	"time"

	"github.com/shirou/gopsutil/v4/process"
)

// Elsewhere the figures come from gopsutil, which reads them the way each
// OS offers without cgo: libproc on macOS (loaded with purego),
// kinfo_proc on the BSDs, the process APIs and a Toolhelp snapshot on
// Windows. Writing those by hand is three times the code and the tests.

func readTree(pid int, kids bool) (treeFigures, error) {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return treeFigures{}, err
	}
	f, err := figures(p)
	if err != nil || !kids {
		return f, err
	}
	descend(p, &f, 0)
	return f, nil
}

// descend adds every descendant of p into f.
func descend(p *process.Process, f *treeFigures, depth int) {
	if depth >= maxDepth {
		return
	}
	kids, _ := p.Children()
	for _, kid := range kids {
		if g, err := figures(kid); err == nil {
			f.add(g)
			descend(kid, f, depth+1)
		}
	}
}

// figures reads one process's CPU time and resident memory.
func figures(p *process.Process) (treeFigures, error) {
	t, err := p.Times()
	if err != nil {
		return treeFigures{}, err
	}
	m, err := p.MemoryInfo()
	if err != nil {
		return treeFigures{}, err
	}
	cpu := time.Duration((t.User + t.System) * float64(time.Second))
	return treeFigures{cpu: cpu, rss: m.RSS, procs: 1}, nil
}

// readSelf reads this process's own figures.
func readSelf() (treeFigures, error) { return readTree(os.Getpid(), false) }
