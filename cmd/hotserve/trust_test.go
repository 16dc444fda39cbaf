package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/userdata"
)

// Every key the issue names as running a command or loosening a default
// is declared so, and the ones it names harmless are.
func TestEveryKeyDeclaresItsRisk(t *testing.T) {
	fs := newFlagSet(new(options))
	risky := []string{"exec", "build", "proxy", "proxy-all", "host", "allowed-host", "cors", "dotfiles", "follow-symlinks", "ready", "cert", "key", "header"}
	for _, d := range fs.defs {
		if want := slices.Contains(risky, d.name); (d.risk != harmless) != want {
			t.Errorf("--%s: risk %d, want risky %v (flagdefs.go)", d.name, d.risk, want)
		}
		if d.risk != harmless && riskText[d.risk] == "" {
			t.Errorf("--%s: its risk has no riskText", d.name)
		}
	}
}

// writeSettings writes a hotserve.toml into a new folder and returns both.
func writeSettings(t *testing.T, text string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, configName)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, file
}

const askingFile = `port = 0
ignore = ["dist/**"]
exec = "go run ."
build = "make"
restart-on = ["*.toml"]
ready = "3000"
host = "0.0.0.0"
dotfiles = true
cors = ["http://localhost:3000"]
allowed-host = ["mybox.lan"]
follow-symlinks = true
proxy = "http://127.0.0.1:3000"
proxy-all = true
`

func TestUntrustedFileGetsOnlyHarmlessKeys(t *testing.T) {
	tempUserData(t)
	dir, file := writeSettings(t, askingFile)
	o, err := parseFlags([]string{dir}, io.Discard)
	if err != nil {
		t.Fatalf("an untrusted file with every kind of key: %v", err)
	}
	if o.port != 0 || !slices.Equal(o.watch.Ignore, []string{"dist/**"}) {
		t.Errorf("harmless keys not applied: port %d, ignore %v", o.port, o.watch.Ignore)
	}
	if o.backend.Command != "" || o.backend.Build != "" || o.backend.Ready != "" || o.host != "localhost" || o.security.Dotfiles ||
		o.security.FollowSymlinks || len(o.security.CORSOrigins)+len(o.security.AllowedHosts) > 0 || o.proxy.URL != "" || o.proxy.All {
		t.Errorf("an untrusted file's risky keys applied: %+v", o)
	}
	if len(o.restart.On) != 0 || o.flags.needsError() != nil {
		t.Errorf("restart-on, which needs the withheld exec, was not dropped quietly: %v, %v", o.restart.On, o.flags.needsError())
	}
	if o.pending == nil || len(o.pending.asks) != 10 {
		t.Fatalf("want the 10 risky keys in o.pending, got %+v", o.pending)
	}
	block := o.pending.block(true)
	for _, want := range []string{file + " is not trusted", `exec = "go run ."`, "runs a command", `host = "0.0.0.0"`, "loosens a default protection",
		`cors = ["http://localhost:3000"]`, "hotserve trust-config " + pathWord(file)} {
		if !strings.Contains(block, want) {
			t.Errorf("the block lacks %q:\n%s", want, block)
		}
	}

	if code := run(t.Context(), []string{"trust-config", dir}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("trust-config: exit %d", code)
	}
	o, err = parseFlags([]string{dir}, io.Discard)
	if err != nil || o.pending != nil || o.backend.Command != "go run ." || !o.security.Dotfiles || !slices.Equal(o.restart.On, []string{"*.toml"}) {
		t.Fatalf("a trusted file: pending %+v, err %v, options %+v", o.pending, err, o)
	}

	// One byte more is another file.
	os.WriteFile(file, []byte(askingFile+"\n"), 0o644)
	if o, _ = parseFlags([]string{dir}, io.Discard); o.pending == nil || o.backend.Command != "" {
		t.Errorf("an edited trusted file is still trusted: exec %q", o.backend.Command)
	}
}

// Flags are the person's own: a flag wins over the file's key, which is
// then not asked for.
func TestFlagsNeedNoTrust(t *testing.T) {
	tempUserData(t)
	dir, _ := writeSettings(t, "exec = \"evil\"\ndotfiles = true\n")
	o, err := parseFlags([]string{"--exec", "go run .", dir}, io.Discard)
	if err != nil || o.backend.Command != "go run ." || o.security.Dotfiles {
		t.Fatalf("exec %q, dotfiles %v, err %v", o.backend.Command, o.security.Dotfiles, err)
	}
	if o.pending == nil || len(o.pending.asks) != 1 || o.pending.asks[0].key != "dotfiles" {
		t.Errorf("want only dotfiles withheld, got %+v", o.pending)
	}
}

// An explicit --config file is someone's file as much as the folder's.
func TestConfigFlagFileNeedsTrust(t *testing.T) {
	tempUserData(t)
	_, file := writeSettings(t, "dotfiles = true\n")
	o, err := parseFlags([]string{"--config", file, t.TempDir()}, io.Discard)
	if err != nil || o.security.Dotfiles || o.pending == nil {
		t.Errorf("--config with an untrusted file: dotfiles %v, pending %v, err %v", o.security.Dotfiles, o.pending, err)
	}
}

func TestAskTrust(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     bool
	}{
		{"y", "y\n", true},
		{"yes, loudly", " YES \r\n", true},
		{"Enter", "\n", false},
		{"n", "n\n", false},
		{"end of input", "", false},
		{"y without Enter, then end of input", "y", true},
		{"anything else", "sure\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var shown strings.Builder
			if got := askTrust(strings.NewReader(c.in), &shown); got != c.want {
				t.Errorf("answer %q: trust %v, want %v", c.in, got, c.want)
			}
			if !strings.Contains(shown.String(), "Trust it and run it? [y/N]") {
				t.Errorf("asked %q", shown.String())
			}
		})
	}
	// The key pressed after the answer is left for the session.
	in := strings.NewReader("y\nq")
	askTrust(in, io.Discard)
	if rest, _ := io.ReadAll(in); string(rest) != "q" {
		t.Errorf("after the answer %q is left, want \"q\"", rest)
	}
}

func TestDamagedTrustStoreTrustsNothing(t *testing.T) {
	tempUserData(t)
	dir, file := writeSettings(t, "dotfiles = true\n")
	trustContent(t, file, []byte("dotfiles = true\n"))
	if err := userdata.WriteFile(trustFileName, []byte(`{"files": [{"path": "`)); err != nil {
		t.Fatal(err)
	}
	o, err := parseFlags([]string{dir}, io.Discard)
	if err != nil || o.security.Dotfiles || o.pending == nil || o.pending.storeErr == nil {
		t.Fatalf("a damaged store: dotfiles %v, pending %+v, err %v", o.security.Dotfiles, o.pending, err)
	}
	if block := o.pending.block(true); !strings.Contains(block, "is damaged") || !strings.Contains(block, "trust-config rewrites it") {
		t.Errorf("the block does not say the store is damaged and what mends it:\n%s", block)
	}
	var stderr strings.Builder
	if code := run(t.Context(), []string{"trust-config", file}, io.Discard, &stderr); code != 0 || !strings.Contains(stderr.String(), "is damaged") {
		t.Fatalf("trust-config over a damaged store: exit %d, stderr %q", code, stderr.String())
	}
	if o, _ = parseFlags([]string{dir}, io.Discard); !o.security.Dotfiles {
		t.Errorf("trust-config did not mend the damaged store")
	}
}

func TestTrustStoreIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps other users out of %LOCALAPPDATA% with its ACL, not with modes")
	}
	tempUserData(t)
	_, file := writeSettings(t, "dotfiles = true\n")
	if code := run(t.Context(), []string{"trust-config", file}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("trust-config: exit %d", code)
	}
	dir, _ := userdata.Dir()
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, trustFileName): 0o600} {
		if fi, err := os.Stat(path); err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v, %v; want %v", path, fi.Mode(), err, want)
		}
	}
}

func TestTrustConfigCommands(t *testing.T) {
	tempUserData(t)
	dir, file := writeSettings(t, "port = 1\nexec = 'go run .'\n")
	t.Chdir(dir)
	var stdout, stderr strings.Builder
	if code := run(t.Context(), []string{"trust-config"}, &stdout, &stderr); code != 0 {
		t.Fatalf("trust-config of ./hotserve.toml: exit %d, %s", code, stderr.String())
	}
	for _, want := range []string{file + " asks for:", `exec = "go run ."  runs a command`, "any edit makes it untrusted again", "hotserve untrust-config " + pathWord(file)} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("trust-config output lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "port") {
		t.Errorf("trust-config lists a harmless key:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run(t.Context(), []string{"untrust-config", file}, &stdout, io.Discard); code != 0 || !strings.Contains(stdout.String(), "is no longer trusted") {
		t.Errorf("untrust-config: exit %d, %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run(t.Context(), []string{"untrust-config", file}, &stdout, io.Discard); code != 0 || !strings.Contains(stdout.String(), "was not trusted") {
		t.Errorf("untrust-config again: exit %d, %q", code, stdout.String())
	}
	for _, args := range [][]string{{"trust-config", "a", "b"}, {"untrust-config", "a", "b"}} {
		if code := run(t.Context(), args, io.Discard, io.Discard); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	// A broken file is not trusted: fix it first.
	os.WriteFile(file, []byte("exec = 'go run .'\nignore = 3\n"), 0o644)
	stderr.Reset()
	if code := run(t.Context(), []string{"trust-config", file}, io.Discard, &stderr); code != 1 || !strings.Contains(stderr.String(), "ignore = 3: want a list of strings") {
		t.Errorf("trust-config of a broken file: exit %d, %q", code, stderr.String())
	}
}

// waitFile polls for a file the backend writes.
func waitFile(t *testing.T, path string, p *proc) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not written within 10s\nstdout: %s", path, p.stdout)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// stopped interrupts hotserve and waits for it to end.
func (p *proc) stopped(t *testing.T) {
	t.Helper()
	interrupt(t, p.cmd.Process)
	if code := p.exitCode(t); code != 0 {
		t.Errorf("exit %d after Ctrl-C\nstderr: %s", code, p.stderr)
	}
}

// What checking trust costs at start, with a store of 1,000 files.
func BenchmarkIsTrusted(b *testing.B) {
	dir := b.TempDir()
	for _, v := range userDataVars {
		b.Setenv(v, dir)
	}
	var s trustStore
	for i := range 1000 {
		s.grant(filepath.Join(dir, fmt.Sprint(i), configName), []byte(fmt.Sprint(i)))
	}
	if err := s.save(); err != nil {
		b.Fatal(err)
	}
	path, data := filepath.Join(dir, "500", configName), []byte("500")
	for b.Loop() {
		if ok, err := isTrusted(path, data); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// Asked on a terminal, y trusts the file and applies it; anything else
// goes on without it and says how to trust it later.
func TestSettleTrustAsks(t *testing.T) {
	for _, c := range []struct {
		answer string
		trust  bool
	}{{"y\n", true}, {"", false}, {"n\n", false}} {
		t.Run(fmt.Sprintf("%q", c.answer), func(t *testing.T) {
			tempUserData(t)
			dir, file := writeSettings(t, "dotfiles = true\n")
			o, err := parseFlags([]string{dir}, io.Discard)
			if err != nil || o.pending == nil {
				t.Fatalf("pending %v, err %v", o.pending, err)
			}
			var shown strings.Builder
			o, err = settleTrust(o, strings.NewReader(c.answer), true, newTerm(&shown, "text", false), io.Discard)
			if err != nil || o.security.Dotfiles != c.trust || (o.pending == nil) != c.trust {
				t.Errorf("after %q: dotfiles %v, pending %v, err %v", c.answer, o.security.Dotfiles, o.pending, err)
			}
			if ok, _ := isTrusted(file, []byte("dotfiles = true\n")); ok != c.trust {
				t.Errorf("after %q the store trusts the file: %v", c.answer, ok)
			}
			for _, want := range []string{"is not trusted", "dotfiles = true", "Trust it and run it? [y/N]"} {
				if !strings.Contains(shown.String(), want) {
					t.Errorf("shown lacks %q:\n%s", want, shown.String())
				}
			}
			if later := strings.Contains(shown.String(), "To trust it later: hotserve trust-config"); later == c.trust {
				t.Errorf("after %q, the hint to trust it later shown: %v\n%s", c.answer, later, shown.String())
			}
		})
	}
}
