package watcher

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// lstat reads abs without following a final symlink or junction. The
// file's identity (its index on the volume, the Windows inode) is only to
// be had from an open handle; the handle asks for no access and shares
// everything, so it never gets in the way of an editor or a build.
func lstat(abs string) (fileStat, error) {
	return statHandle(abs, windows.FILE_FLAG_OPEN_REPARSE_POINT)
}

// stat reads abs, following links (for the root).
func stat(abs string) (fileStat, error) { return statHandle(abs, 0) }

func statHandle(abs string, flags uint32) (fileStat, error) {
	p, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return fileStat{}, err
	}
	h, err := windows.CreateFile(p, 0,
		windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_BACKUP_SEMANTICS|flags, 0)
	if err != nil {
		return fileStat{}, err
	}
	defer windows.CloseHandle(h)
	var fi windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(h, &fi); err != nil {
		return fileStat{}, err
	}
	mtime := fi.LastWriteTime.Nanoseconds()
	return fileStat{
		ino:   fileID(fi.VolumeSerialNumber, uint64(fi.FileIndexHigh)<<32|uint64(fi.FileIndexLow)),
		dir:   isDirAttr(fi.FileAttributes),
		size:  int64(fi.FileSizeHigh)<<32 | int64(fi.FileSizeLow),
		mtime: mtime,
		ctime: mtime,
	}, nil
}

// timesOf reads the size and last write of abs from its directory entry,
// without a handle to the file.
func timesOf(abs string) (times, error) {
	p, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return times{}, err
	}
	var fa windows.Win32FileAttributeData
	if err := windows.GetFileAttributesEx(p, windows.GetFileExInfoStandard, (*byte)(unsafe.Pointer(&fa))); err != nil {
		return times{}, err
	}
	return times{int64(fa.FileSizeHigh)<<32 | int64(fa.FileSizeLow), fa.LastWriteTime.Nanoseconds()}, nil
}

// fileID folds the volume serial number into the file index: an index is
// unique on its volume only, and a tree can span volumes through mount
// points. For one volume the mapping is one-to-one.
func fileID(volume uint32, index uint64) uint64 { return index ^ uint64(volume)<<32 }

// isDirAttr reports a real folder: a junction or a symlink to a folder is
// a link, which the watcher never follows, as lstat on Unix.
func isDirAttr(attrs uint32) bool {
	return attrs&windows.FILE_ATTRIBUTE_DIRECTORY != 0 && attrs&windows.FILE_ATTRIBUTE_REPARSE_POINT == 0
}
