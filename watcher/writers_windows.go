package watcher

import (
	"errors"

	"golang.org/x/sys/windows"
)

// writing reports whether some process has abs open for writing, and the
// file's size and mtime. Windows says so through sharing: an open that
// denies writers (share read and delete, not write) fails with
// ERROR_SHARING_VIOLATION while any handle with write access is open. The
// probe handle lives for one call, so it cannot get in an editor's way for
// longer than that.
func writing(abs string) (writer, times, error) {
	p, err := windows.UTF16PtrFromString(abs)
	if err != nil {
		return noWriter, times{}, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, windows.FILE_SHARE_READ|windows.FILE_SHARE_DELETE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_OPEN_REPARSE_POINT, 0)
	if err == nil {
		windows.CloseHandle(h)
		return noWriter, times{}, nil
	}
	if !errors.Is(err, windows.ERROR_SHARING_VIOLATION) {
		return noWriter, times{}, err
	}
	st, err := lstat(abs)
	if err != nil {
		return noWriter, times{}, err
	}
	return writerOpen, times{st.size, st.mtime}, nil
}
