package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// RequireBrowserEnv, set to 1, makes a browser test that lacks what it
// needs fail instead of skip: scripts/test sets it, so that its browser
// tests cannot pass by not running, while a plain go test on a machine
// without Chromium skips them.
const RequireBrowserEnv = "HOTSERVE_REQUIRE_BROWSER"

// debianChromium is where Debian's chromium package puts it.
const debianChromium = "/usr/bin/chromium"

// Chromium returns the path of the Chromium that the browser tests drive:
// Debian's, or else a chromium on $PATH. The browser tests run on Linux
// only and skip elsewhere; a missing Chromium skips them, or fails them
// under HOTSERVE_REQUIRE_BROWSER=1, naming the command that installs it.
func Chromium(t testing.TB) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skipf("skipped on %s: the browser tests drive Debian's Chromium, on Linux only", runtime.GOOS)
	}
	bin, err := exec.LookPath(debianChromium)
	if err != nil {
		bin, err = exec.LookPath("chromium")
	}
	if err != nil {
		BrowserMissing(t, "Chromium ("+debianChromium+", or chromium on $PATH)", "apt-get install chromium")
	}
	return bin
}

// BrowserMissing ends a browser test that lacks what (Chromium, or a
// script it runs): it fails under HOTSERVE_REQUIRE_BROWSER=1 and skips
// otherwise, saying the command that installs it.
func BrowserMissing(t testing.TB, what, install string) {
	t.Helper()
	msg := fmt.Sprintf("the browser tests need %s: %s", what, install)
	if os.Getenv(RequireBrowserEnv) == "1" {
		t.Fatalf("%s (%s=1 requires them)", msg, RequireBrowserEnv)
	}
	t.Skipf("skipped: %s (%s=1 fails instead)", msg, RequireBrowserEnv)
}
