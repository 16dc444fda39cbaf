package testenv

import (
	"os/exec"
	"testing"
)

// Hugo returns the path of the hugo that the build tests run, a real
// static site generator: a missing one skips them, or fails them under
// HOTSERVE_REQUIRE_BROWSER=1, as a missing Chromium does.
func Hugo(t testing.TB) string {
	t.Helper()
	bin, err := exec.LookPath("hugo")
	if err != nil {
		BrowserMissing(t, "Hugo (hugo on $PATH)", "apt-get install hugo")
	}
	return bin
}
