package devserver

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// fileID returns the file's identity on Windows, the volume serial number
// and 64-bit file index, which FileInfo.Sys() does not carry: an editor's
// atomic save (a new file renamed over the old one) gives the name a new
// file index even when it keeps size and modification time (tools that
// copy the time along do). The index is XORed with the serial shifted up,
// a bijection for one volume, so two saves on one volume never collide.
// One GetFileInformationByHandle on the open file; 0 if it fails.
func fileID(f *os.File, _ fs.FileInfo) uint64 {
	conn, err := f.SyscallConn()
	if err != nil {
		return 0
	}
	var d windows.ByHandleFileInformation
	var ferr error
	if err := conn.Control(func(fd uintptr) { ferr = windows.GetFileInformationByHandle(windows.Handle(fd), &d) }); err != nil || ferr != nil {
		return 0
	}
	return (uint64(d.FileIndexHigh)<<32 | uint64(d.FileIndexLow)) ^ uint64(d.VolumeSerialNumber)<<32
}
