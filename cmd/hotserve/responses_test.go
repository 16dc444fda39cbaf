package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/devserver"
)

func TestSPAFlag(t *testing.T) {
	for _, c := range []struct {
		args []string
		file string // hotserve.toml, if any
		want devserver.SPA
	}{
		{nil, "", devserver.SPA{}},
		{[]string{"--spa"}, "", devserver.SPA{On: true}},
		{[]string{"--spa=app.html"}, "", devserver.SPA{On: true, File: "app.html"}},
		{[]string{"--spa=false"}, "spa = true\n", devserver.SPA{}},
		{nil, "spa = true\n", devserver.SPA{On: true}},
		{nil, "spa = \"app.html\"\n", devserver.SPA{On: true, File: "app.html"}},
	} {
		dir := t.TempDir()
		if c.file != "" {
			os.WriteFile(filepath.Join(dir, configName), []byte(c.file), 0o644)
		}
		o, err := parseFlags(append(c.args, dir), io.Discard)
		if err != nil {
			t.Errorf("%v with %q: %v", c.args, c.file, err)
			continue
		}
		var cfg devserver.Config
		if err := o.responses.apply(&cfg); err != nil || cfg.SPA != c.want {
			t.Errorf("%v with %q: SPA %+v, %v; want %+v", c.args, c.file, cfg.SPA, err, c.want)
		}
	}
	// `--spa app.html` reads the page as the folder: said, with the fix.
	var stderr strings.Builder
	if _, err := parseFlags([]string{"--port", "0", "--spa", "app.html"}, &stderr); err == nil || !strings.Contains(stderr.String(), "--spa=app.html") {
		t.Errorf("--spa app.html: %v, %q; want a usage error pointing to --spa=app.html", err, stderr.String())
	}
	if _, err := parseFlags([]string{"--spa", t.TempDir()}, io.Discard); err != nil {
		t.Errorf("--spa then a folder: %v", err)
	}
	if starter := string(starterConfig(newFlagSet(new(options)))); !strings.Contains(starter, "\n# spa = false\n") {
		t.Errorf("hotserve init does not write spa = false:\n%s", starter)
	}
}

func TestHeadersSettings(t *testing.T) {
	file := `header = ["X-From-Key: key"]

[[headers]]
for = "/**/*.wasm"
Cross-Origin-Embedder-Policy = "require-corp"
X-Kind = "wasm"

[[headers]]
X-Kind = "every path"
`
	var o options
	if _, err := applyConfig(newFlagSet(&o), "hotserve.toml", []byte(file), trustAll); err != nil {
		t.Fatal(err)
	}
	o.responses.header = append(o.responses.header, "X-Kind:  command line ")
	var cfg devserver.Config
	if err := o.responses.apply(&cfg); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cfg.Headers)
	want := `[{/**/*.wasm map[Cross-Origin-Embedder-Policy:[require-corp] X-Kind:[wasm]]} {` +
		` map[X-Kind:[every path]]} { map[X-From-Key:[key]]} { map[X-Kind:[command line]]}]`
	if got != want {
		t.Errorf("rules:\n have %s\n want %s", got, want)
	}
	if text := o.responses.headersText(); text != "for /**/*.wasm: Cross-Origin-Embedder-Policy: require-corp; X-Kind: wasm | for /**: X-Kind: every path" {
		t.Errorf("status page text %q", text)
	}
}

func TestHeadersSettingsRefused(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"[[headers]]\nfor = \"*.wasm\"\nX-A = \"1\"\n", `hotserve.toml:1: [headers]: entry 1: for = "*.wasm" is not a glob on the URL path`},
		{"[[headers]]\nfor = 1\nX-A = \"1\"\n", "for = 1 is not a glob"},
		{"port = 1\n[[headers]]\nX-A = \"1\"\n[[headers]]\nAccess-Control-Allow-Origin = \"*\"\n", "hotserve.toml:2: [headers]: entry 2: Access-Control-Allow-Origin may not be set by a header rule: it would let other sites read your files; to let one origin read them, use --cors ORIGIN"},
		{"[[headers]]\nX-A = 1\n", `"X-A" = 1: a header's value is a string in quotes`},
		{"[[headers]]\nX-A = \"a\\r\\nSet-Cookie: x=1\"\n", "line break"},
		{"[[headers]]\nfor = \"/**\"\n", "it sets no header"},
		{"[headers]\nX-A = \"1\"\n", "write each as [[headers]]"},
		{"headers = \"x\"\n", "headers is a table"},
	} {
		_, err := applyConfig(newFlagSet(new(options)), "hotserve.toml", []byte(c.file), trustAll)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.file, err, c.want)
		}
	}
	for _, h := range []string{"access-control-allow-origin: *", "X-Content-Type-Options: sniff", "No colon", "X-A: a\nb"} {
		o := options{responses: responseOptions{header: []string{h}}}
		err := o.responses.apply(new(devserver.Config))
		if err == nil || !strings.HasPrefix(err.Error(), "--header ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("--header %q: %v, want one line naming --header", h, err)
		}
	}
}

// The flags reach the server: a route is the app, every response carries
// the headers, and a named page that does not exist stops the start with
// one line naming --spa.
func TestResponseFlags(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>the app</p>"), 0o644)
	p := start(t, "--port", "0", "--spa", "--isolate", "--header", "X-Test: yes", dir)
	url := p.url(t)
	req, _ := http.NewRequest("GET", url+"users/7", nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "the app") {
		t.Errorf("GET /users/7: %s %q, want the app", resp.Status, body)
	}
	if resp.Header.Get("X-Test") != "yes" || resp.Header.Get("Cross-Origin-Embedder-Policy") != "require-corp" {
		t.Errorf("headers %v, want X-Test and COEP", resp.Header)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--spa=missing.html"}, `hotserve: --spa "missing.html" is not a file in the served folder`},
		{[]string{"--header", "Access-Control-Allow-Origin: *"}, "use --cors ORIGIN"},
	} {
		p := start(t, append(c.args, "--port", "0", dir)...)
		if code := p.exitCode(t); code != 1 || !strings.Contains(p.stderr.String(), c.want) || strings.Count(strings.TrimSpace(p.stderr.String()), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 1 and one line with %q", c.args, code, p.stderr, c.want)
		}
	}
}

// A settings file's headers wait for trust; its spa and isolate do not.
func TestHeadersNeedTrust(t *testing.T) {
	file := "spa = true\nisolate = true\nheader = [\"Set-Cookie: a=1\"]\n\n[[headers]]\nStrict-Transport-Security = \"max-age=31536000\"\n"
	var o options
	got, err := applyConfig(newFlagSet(&o), "hotserve.toml", []byte(file), func() bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	var withheld []string
	for _, k := range got.withheld {
		withheld = append(withheld, k.key)
	}
	if fmt.Sprint(withheld) != "[header headers]" || len(o.responses.header) != 0 || len(o.responses.headers) != 0 {
		t.Errorf("untrusted: withheld %v, headers %v %v; want header and headers withheld", withheld, o.responses.header, o.responses.headers)
	}
	if !o.responses.spa.On || !o.responses.isolate {
		t.Errorf("untrusted: spa %+v, isolate %v; want both applied", o.responses.spa, o.responses.isolate)
	}
}
