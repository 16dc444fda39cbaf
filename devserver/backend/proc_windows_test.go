package backend

import (
	"os/exec"
	"sync"

	"golang.org/x/sys/windows"
)

// held are handles to the processes alive has been asked about, kept open
// for the test binary's life: Windows reuses a pid as soon as its process
// is gone and unreferenced, and a held handle keeps the old one referenced.
var held struct {
	sync.Mutex
	handles map[int]windows.Handle
}

// alive reports whether pid is a process that has not exited.
func alive(pid int) bool {
	held.Lock()
	defer held.Unlock()
	h, ok := held.handles[pid]
	if !ok {
		var err error
		if h, err = windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid)); err != nil {
			return false // no such process
		}
		if held.handles == nil {
			held.handles = make(map[int]windows.Handle)
		}
		held.handles[pid] = h
	}
	ev, err := windows.WaitForSingleObject(h, 0)
	return err == nil && ev == uint32(windows.WAIT_TIMEOUT)
}

// underWine reports whether this is Wine rather than Windows: Wine's ntdll
// exports wine_get_version. Tests use it only where Wine is known to fall
// short of Windows, to check what it does instead.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// groupKiller returns nil: Windows has no process groups that can be
// killed at once.
func groupKiller(*exec.Cmd) func() { return nil }
