package main

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// getHost fetches url with the Host header set to host.
func getHost(t *testing.T, url, host string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSecurityDefaults(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<h1>home</h1>"), 0o644)
	os.WriteFile(filepath.Join(dir, ".env"), []byte("API_KEY=1"), 0o644)
	p := start(t, "--port", "0", "--allowed-host", "mybox.lan", dir)
	url := p.url(t)
	// The one warning is --allowed-host's own.
	if warnings := strings.Count(p.stdout.String(), "warning"); warnings != 1 || !strings.Contains(p.stdout.String(), "warning: --allowed-host: requests for mybox.lan are answered") {
		t.Errorf("want only the --allowed-host warning with the defaults:\n%s", p.stdout)
	}
	if code, body := getHost(t, url, "attacker.example"); code != 403 || !strings.Contains(body, "--allowed-host attacker.example") {
		t.Errorf("foreign host: %d %q, want 403 naming --allowed-host", code, body)
	}
	if code, _ := getHost(t, url, "mybox.lan"); code != 200 {
		t.Errorf("--allowed-host mybox.lan: status %d, want 200", code)
	}
	if code, body := getHost(t, url+".env", "localhost"); code != 404 || strings.Contains(body, "API_KEY") {
		t.Errorf("/.env: %d %q, want 404", code, body)
	}
	// Loopback only, on IPv6 too where the machine has it.
	_, port, _ := net.SplitHostPort(strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/"))
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ln.Close()
		if code, _ := getHost(t, "http://[::1]:"+port+"/", "localhost"); code != 200 {
			t.Errorf("http://[::1]:%s/: status %d, want 200", port, code)
		}
	}
}

func TestSecurityWeakeningFlagsWarn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".env"), []byte("API_KEY=1"), 0o644)
	p := start(t, "--port", "0", "--host", "0.0.0.0", "--dotfiles", "--follow-symlinks", "--cors", "http://localhost:3000", dir)
	p.waitOutput(t, "warning: --cors")
	out := p.stdout.String()
	for _, want := range []string{"warning: --host 0.0.0.0: anyone on your network can read", "warning: --dotfiles", "warning: --follow-symlinks", "warning: --cors: pages of http://localhost:3000"} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	url := p.url(t)
	if code, body := getHost(t, url+".env", "localhost"); code != 200 || body != "API_KEY=1" {
		t.Errorf("--dotfiles /.env: %d %q", code, body)
	}
}

func TestSecurityBadFlags(t *testing.T) {
	for name, args := range map[string][]string{
		"CORS wildcard":       {"--cors", "*"},
		"allowed host is URL": {"--allowed-host", "http://mybox"},
	} {
		t.Run(name, func(t *testing.T) {
			p := start(t, append(args, "--port", "0", t.TempDir())...)
			if code := p.exitCode(t); code == 0 {
				t.Errorf("exit code 0 for %v", args)
			}
			if lines := strings.Count(strings.TrimSpace(p.stderr.String()), "\n"); lines > 1 || p.stderr.String() == "" {
				t.Errorf("stderr is not one or two lines:\n%s", p.stderr)
			}
		})
	}
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{"mybox.lan": "mybox.lan", "[::1]:80": "'[::1]:80'", "a'b": `'a'\''b'`, "": "''"} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
