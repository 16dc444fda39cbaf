//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// trustEnv is a HOME of its own, with a Chromium NSS database that does
// not exist yet and a Firefox profile's that does, and a PATH that holds
// certutil alone: no step can reach this machine's real system store,
// even when the tests run as root.
func trustEnv(t *testing.T) (env []string, chromium, firefox string) {
	t.Helper()
	certutil, err := exec.LookPath("certutil")
	if err != nil {
		t.Fatal("certutil is missing: apt-get install libnss3-tools (scripts/test installs it)")
	}
	home, bin := t.TempDir(), t.TempDir()
	if err := os.Symlink(certutil, filepath.Join(bin, "certutil")); err != nil {
		t.Fatal(err)
	}
	firefox = filepath.Join(home, ".mozilla", "firefox", "abcd.default-release")
	if err := os.MkdirAll(firefox, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(certutil, "-N", "-d", "sql:"+firefox, "--empty-password").CombinedOutput(); err != nil {
		t.Fatalf("certutil -N: %v\n%s", err, out)
	}
	env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "PATH="+bin)
	return env, filepath.Join(home, ".pki", "nssdb"), firefox
}

// runHotserve runs hotserve with args in env and returns its output.
func runHotserve(t *testing.T, env []string, wantCode int, args ...string) string {
	t.Helper()
	cmd := exec.Command(hotserveBin(t), args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != wantCode {
		t.Fatalf("hotserve %s: exit %d (%v), want %d\n%s", strings.Join(args, " "), code, err, wantCode, out)
	}
	return string(out)
}

// inNSS lists the hotserve authorities in the NSS database dir.
func inNSS(t *testing.T, dir string) bool {
	t.Helper()
	out, err := exec.Command("certutil", "-L", "-d", "sql:"+dir).CombinedOutput()
	if err != nil {
		t.Fatalf("certutil -L -d %s: %v\n%s", dir, err, out)
	}
	return strings.Contains(string(out), "hotserve local CA")
}

func TestTrustAndUntrustNSS(t *testing.T) {
	env, chromium, firefox := trustEnv(t)
	// The system store cannot be reached here: trust says so, and exits 1.
	out := runHotserve(t, env, 1, "trust")
	for _, want := range []string{"Made a local certificate authority", "(Chromium, Chrome): done", "(Firefox): done", "system store (trust anchor): cannot: neither update-ca-certificates nor trust"} {
		if !strings.Contains(out, want) {
			t.Errorf("hotserve trust: no %q in\n%s", want, out)
		}
	}
	if !inNSS(t, chromium) || !inNSS(t, firefox) {
		t.Fatalf("after trust: Chromium %v, Firefox %v; want both", inNSS(t, chromium), inNSS(t, firefox))
	}
	if out := runHotserve(t, env, 1, "trust"); strings.Count(out, "already there") != 2 {
		t.Errorf("hotserve trust again: want two already there:\n%s", out)
	}
	if out := runHotserve(t, env, 0, "ca"); strings.Count(out, "trusts it") != 2 || !strings.Contains(out, "SHA-256") {
		t.Errorf("hotserve ca: want the fingerprint and two stores trusting it:\n%s", out)
	}
	runHotserve(t, env, 1, "untrust")
	if inNSS(t, chromium) || inNSS(t, firefox) {
		t.Fatalf("after untrust: Chromium %v, Firefox %v; want neither", inNSS(t, chromium), inNSS(t, firefox))
	}
	if out := runHotserve(t, env, 1, "untrust"); strings.Count(out, "not there") != 2 {
		t.Errorf("hotserve untrust again: want two not there:\n%s", out)
	}
}

func TestTrustWithoutCertutilSaysWhatToInstall(t *testing.T) {
	env, _, _ := trustEnv(t)
	env = append(env, "PATH="+t.TempDir())
	out := runHotserve(t, env, 1, "trust")
	if !strings.Contains(out, "certutil is not installed; install it (apt-get install libnss3-tools") {
		t.Fatalf("hotserve trust without certutil:\n%s", out)
	}
}
