package main

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestBrowserCommand(t *testing.T) {
	wsl := [][]string{{"wslview"}, {"xdg-open"}}
	installed := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			if slices.Contains(names, name) {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		}
	}
	for _, c := range []struct {
		name      string
		browser   string
		openers   [][]string
		installed []string
		want      []string
	}{
		{"BROWSER wins", "firefox", wsl, []string{"wslview"}, []string{"firefox"}},
		{"first installed opener", "", wsl, []string{"wslview", "xdg-open"}, []string{"wslview"}},
		{"next when the first is missing", "", wsl, []string{"xdg-open"}, []string{"xdg-open"}},
		{"none installed names the first", "", wsl, nil, []string{"wslview"}},
		{"opener with arguments", "", [][]string{{"rundll32", "url.dll,FileProtocolHandler"}}, []string{"rundll32"}, []string{"rundll32", "url.dll,FileProtocolHandler"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if have := browserCommand(c.browser, c.openers, installed(c.installed...)); !slices.Equal(have, c.want) {
				t.Errorf("have: %q\nwant: %q", have, c.want)
			}
		})
	}
}

// openBrowser runs $BROWSER with the URL: here the test binary, which
// writes down what it was given.
func TestOpenBrowser(t *testing.T) {
	out := filepath.Join(t.TempDir(), "opened")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", self)
	t.Setenv(browserEnv, out)
	var log bytes.Buffer
	const url = "http://127.0.0.1:8080/"
	openBrowser(url, slog.New(slog.NewTextHandler(&log, nil)))
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, _ := os.ReadFile(out); string(b) == url {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("$BROWSER was not run with %s within 10s; log: %s", url, log.String())
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}

	t.Setenv("BROWSER", filepath.Join(t.TempDir(), "no-such-browser"))
	log.Reset()
	openBrowser(url, slog.New(slog.NewTextHandler(&log, nil)))
	if want := "open " + url + " by hand"; !bytes.Contains(log.Bytes(), []byte(want)) {
		t.Errorf("a missing browser logged %q, want %q", log.String(), want)
	}
}
