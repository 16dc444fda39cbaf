package watcher

import (
	"encoding/binary"
	"errors"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// lister lists folders with GetFileInformationByHandleEx and the
// FileIdBothDirectoryInfo class, which returns every entry's 64-bit file
// ID with its name: the stat cache gets each file's identity without
// opening it (opening every file of a large tree is slow on Windows, and
// virus scanners make it slower).
type lister struct {
	buf  []byte
	ents []dirent // reused between listings
	// volume is the serial number of the root's volume, folded into every
	// ID as lstat does; a mount point inside the tree is a reparse point,
	// which the walk never follows.
	volume uint32
	vset   bool
}

func newLister() *lister { return &lister{buf: make([]byte, 64<<10)} }

// FILE_ID_BOTH_DIR_INFO field offsets (winbase.h).
const (
	fidNext       = 0
	fidAttributes = 56
	fidNameLength = 60
	fidFileID     = 96
	fidName       = 104
)

// list returns the entries of the folder abs, unsorted, without "." and
// "..". The slice is reused by the next call; the names are not.
func (l *lister) list(abs string) ([]dirent, error) {
	p, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.FILE_LIST_DIRECTORY,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: abs, Err: err}
	}
	defer windows.CloseHandle(h)
	if !l.vset {
		var fi windows.ByHandleFileInformation
		if windows.GetFileInformationByHandle(h, &fi) == nil {
			l.volume, l.vset = fi.VolumeSerialNumber, true
		}
	}
	l.ents = l.ents[:0]
	for {
		err := windows.GetFileInformationByHandleEx(h, windows.FileIdBothDirectoryInfo, &l.buf[0], uint32(len(l.buf)))
		if errors.Is(err, windows.ERROR_NO_MORE_FILES) {
			break
		}
		if err != nil {
			return nil, &os.PathError{Op: "list", Path: abs, Err: err}
		}
		l.parse()
	}
	return l.ents, nil
}

// parse appends the records in buf to ents.
func (l *lister) parse() {
	le := binary.LittleEndian
	for off := 0; off+fidName <= len(l.buf); {
		rec := l.buf[off:]
		n := int(le.Uint32(rec[fidNameLength:])) / 2
		if fidName+2*n > len(rec) {
			return
		}
		name := windows.UTF16ToString(unsafe.Slice((*uint16)(unsafe.Pointer(&rec[fidName])), n))
		if name != "." && name != ".." {
			kind := kindOther
			if isDirAttr(le.Uint32(rec[fidAttributes:])) {
				kind = kindDir
			}
			l.ents = append(l.ents, dirent{name: name, ino: fileID(l.volume, le.Uint64(rec[fidFileID:])), kind: kind})
		}
		next := int(le.Uint32(rec[fidNext:]))
		if next == 0 {
			return
		}
		off += next
	}
}
