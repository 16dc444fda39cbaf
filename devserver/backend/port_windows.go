package backend

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/windows"
)

// unnamedHolder is a holder whose pid the TCP table did not give.
const unnamedHolder = "a process Windows did not name (netstat -ano -p TCP | findstr :%d names it)"

// getExtendedTcpTable is iphlpapi's GetExtendedTcpTable, which
// golang.org/x/sys/windows does not wrap.
var getExtendedTcpTable = windows.NewLazySystemDLL("iphlpapi.dll").NewProc("GetExtendedTcpTable")

// tcpTableOwnerPIDListener asks GetExtendedTcpTable for the listening
// sockets with their owners' pids (TCP_TABLE_OWNER_PID_LISTENER).
const tcpTableOwnerPIDListener = 3

// tcpTables are the two tables' layouts: MIB_TCPROW_OWNER_PID and
// MIB_TCP6ROW_OWNER_PID, after the table's 4-byte count. The port is in
// network byte order in the low 16 bits of its field; other fields are
// native (little-endian) DWORDs.
var tcpTables = []struct {
	family            uint32
	size, port, owner int
}{
	{windows.AF_INET, 24, 8, 20},
	{windows.AF_INET6, 56, 20, 52},
}

// portHolder reads the TCP tables of listening sockets, which name every
// owner, and the owner's executable from a process snapshot.
func portHolder(port int) (pid int, name string, listening bool) {
	for _, t := range tcpTables {
		table := tcpTable(t.family)
		if len(table) < 4 {
			continue
		}
		n := int(binary.LittleEndian.Uint32(table))
		for i := range n {
			row := table[4+i*t.size:]
			if len(row) < t.size {
				break
			}
			if int(row[t.port])<<8|int(row[t.port+1]) != port {
				continue
			}
			pid = int(binary.LittleEndian.Uint32(row[t.owner:]))
			return pid, processName(pid), true
		}
	}
	return 0, "", false
}

// tcpTable returns the listening sockets of one address family, or nil.
func tcpTable(family uint32) []byte {
	size := uint32(4096)
	for range 5 { // the table may grow between the calls
		buf := make([]byte, size)
		r, _, _ := getExtendedTcpTable.Call(uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0, uintptr(family), tcpTableOwnerPIDListener, 0)
		switch windows.Errno(r) {
		case 0:
			return buf
		case windows.ERROR_INSUFFICIENT_BUFFER:
			continue
		default:
			return nil
		}
	}
	return nil
}

// processName returns the executable's name of pid ("node.exe"), from a
// snapshot, which needs no access to the process itself.
func processName(pid int) string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(snap)
	e := windows.ProcessEntry32{Size: uint32(unsafe.Sizeof(windows.ProcessEntry32{}))}
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		if int(e.ProcessID) == pid {
			return windows.UTF16ToString(e.ExeFile[:])
		}
	}
	return ""
}
