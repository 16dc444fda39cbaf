package watcher

import (
	"testing"

	"golang.org/x/sys/windows"
)

// The errors the OS gives for a missing path and a refused one.
var errNotFound, errDenied error = windows.ERROR_FILE_NOT_FOUND, windows.ERROR_ACCESS_DENIED

// skipUnderWine skips a test of the native source where Wine's
// emulation of Windows differs from Windows, saying how. The same test
// runs, and must pass, on Windows itself.
func skipUnderWine(t *testing.T, why string) {
	if windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil {
		t.Skip("under Wine: " + why)
	}
}
