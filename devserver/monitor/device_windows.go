package monitor

import (
	"os"

	"golang.org/x/sys/windows"
)

// device is the id of the volume that holds path: its serial number,
// from one GetFileInformationByHandle on the folder (os.Open opens a
// folder with the backup-semantics flag this needs). A folder under a
// volume mounted in another's folder gets that volume's serial.
func device(path string) (uint64, bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	conn, err := f.SyscallConn()
	if err != nil {
		return 0, false
	}
	var d windows.ByHandleFileInformation
	var ferr error
	if err := conn.Control(func(fd uintptr) { ferr = windows.GetFileInformationByHandle(windows.Handle(fd), &d) }); err != nil || ferr != nil {
		return 0, false
	}
	return uint64(d.VolumeSerialNumber), true
}
