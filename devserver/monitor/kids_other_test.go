//go:build !linux

package monitor

import "github.com/shirou/gopsutil/v4/process"

// kids lists pid's children, for a test to stop them.
func kids(pid int) []int {
	p, err := process.NewProcess(int32(pid))
	if err != nil {
		return nil
	}
	cs, _ := p.Children()
	var pids []int
	for _, c := range cs {
		pids = append(pids, int(c.Pid))
	}
	return pids
}
