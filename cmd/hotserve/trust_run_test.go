package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A cloned folder's hotserve.toml, end to end with the real binary: its
// command does not run until the person trusts the file, runs once they
// have, waits again after an edit, and no longer runs once trust is taken
// back. Its loosened default likewise.
func TestSettingsFileCommandRunsOnlyOnceTrusted(t *testing.T) {
	tempUserData(t)
	markers := t.TempDir()
	first, second := filepath.Join(markers, "first"), filepath.Join(markers, "second")
	// TOML literal strings: no escapes, so Windows paths stay as they are.
	text := "port = 0\ndotfiles = true\nexec = 'echo ran > " + first + "'\n"
	dir, file := writeSettings(t, text)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("API_KEY=1"), 0o644)
	trustCmd := "hotserve trust-config " + pathWord(file)

	// Untrusted: started without exec and dotfiles, and says so once.
	p := start(t, dir)
	url := p.url(t)
	out := p.stdout.String()
	for _, want := range []string{file + " is not trusted", "exec = \"echo ran > " + first, "runs a command", "dotfiles = true", trustCmd} {
		if !strings.Contains(out, want) {
			t.Errorf("the untrusted block lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "is not trusted"); n != 1 {
		t.Errorf("the block is printed %d times, want once:\n%s", n, out)
	}
	if code, body := getHost(t, url+".env", "localhost"); code != 404 || strings.Contains(body, "API_KEY") {
		t.Errorf("an untrusted file's dotfiles = true applied: /.env %d %q", code, body)
	}
	p.stopped(t)
	if _, err := os.Stat(first); err == nil {
		t.Fatalf("an untrusted file's exec ran\nstdout: %s", p.stdout)
	}

	// Trusted: it runs, and the banner says where it and the weakening
	// came from.
	tc := start(t, "trust-config", dir)
	if code := tc.exitCode(t); code != 0 || !strings.Contains(tc.stdout.String(), "runs a command") {
		t.Fatalf("trust-config: exit %d\n%s%s", code, tc.stdout, tc.stderr)
	}
	p = start(t, dir)
	url = p.url(t)
	waitFile(t, first, p)
	for _, want := range []string{"exec = \"echo ran > " + first + "\" (from " + file + ", trusted)", "warning: dotfiles = true (from " + file + ")"} {
		if !strings.Contains(p.stdout.String(), want) {
			t.Errorf("the banner lacks %q:\n%s", want, p.stdout)
		}
	}
	if code, _ := getHost(t, url+".env", "localhost"); code != 200 {
		t.Errorf("a trusted file's dotfiles = true: /.env %d, want 200", code)
	}

	// Edited while running (a git pull): the new command waits for trust.
	os.WriteFile(file, []byte(strings.ReplaceAll(text, first, second)), 0o644)
	p.waitOutput(t, "is not trusted as it is now, so dotfiles = true, exec = \"echo ran > "+second+"\" wait for trust")
	p.waitOutput(t, "To trust it: "+trustCmd)
	p.waitOutput(t, "settings changed: "+file+" applied")
	if code, _ := getHost(t, url+".env", "localhost"); code != 404 {
		t.Errorf("after an edit of the trusted file, dotfiles still applies: /.env %d", code)
	}
	if _, err := os.Stat(second); err == nil {
		t.Fatalf("the edited, untrusted exec ran\nstdout: %s", p.stdout)
	}
	// Trusted from another terminal: the running hotserve applies it.
	if tc := start(t, "trust-config", file); tc.exitCode(t) != 0 {
		t.Fatalf("trust-config: %s%s", tc.stdout, tc.stderr)
	}
	waitFile(t, second, p)
	p.stopped(t)

	// Trust taken back: untrusted again.
	os.WriteFile(file, []byte(text), 0o644)
	trustContent(t, file, []byte(text))
	if u := start(t, "untrust-config", file); u.exitCode(t) != 0 || !strings.Contains(u.stdout.String(), "no longer trusted") {
		t.Fatalf("untrust-config: %s%s", u.stdout, u.stderr)
	}
	p = start(t, dir)
	p.url(t)
	if !strings.Contains(p.stdout.String(), trustCmd) {
		t.Errorf("after untrust-config the file is not asked about:\n%s", p.stdout)
	}
}

// A command given as a flag is the person's own: it runs with an untrusted
// file present.
func TestExecFlagRunsWithUntrustedFile(t *testing.T) {
	tempUserData(t)
	marker := filepath.Join(t.TempDir(), "ran")
	dir, _ := writeSettings(t, "port = 0\nexec = 'echo evil'\n")
	p := start(t, "--exec", "echo ran > "+marker, dir)
	p.url(t)
	waitFile(t, marker, p)
	if strings.Contains(p.stdout.String(), "is not trusted") {
		t.Errorf("a flag's exec was treated as the file's:\n%s", p.stdout)
	}
}

// With --log json the block is one warning object naming the command.
func TestUntrustedFileJSONLog(t *testing.T) {
	tempUserData(t)
	dir, file := writeSettings(t, "port = 0\nexec = 'echo evil'\n")
	p := start(t, "--log", "json", dir)
	p.waitOutput(t, `"msg":"ready"`)
	if first := strings.SplitN(p.stdout.String(), "\n", 2)[0]; !strings.Contains(first, `"level":"WARN"`) ||
		!strings.Contains(first, `"trust":"hotserve trust-config `+pathWord(file)) {
		t.Errorf("first JSON line is not the untrusted warning:\n%s", p.stdout)
	}
}
