package main

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/watcher"
)

// hostile is text an attacker controls: a title, a clear, a forged line,
// the clipboard, a Trojan Source override.
const hostile = "/\x1b]0;pwned\x07\x1b[2J\r\n12:00:00 forged\x1b]52;c;cHduZWQ=\x07\u202e"

const hostileShown = `/\x1b]0;pwned\x07\x1b[2J\r\n12:00:00 forged\x1b]52;c;cHduZWQ=\x07\u202e`

// stringer is an attribute value of kind Any.
type stringer string

func (s stringer) String() string { return string(s) }

func TestTermHandlerEscapesEverythingItPrints(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var out bytes.Buffer
		log := slog.New(newTerm(&out, "text", quiet).handler())
		log.Warn("cannot serve "+hostile, "path", hostile, "err", errors.New(hostile),
			"any", stringer(hostile), "list", []string{hostile},
			slog.Group("req", "header", hostile), hostile, "key")
		log.WithGroup("g").With("with", hostile).Warn("m", "own", hostile)
		got := out.String()
		if strings.ContainsAny(got, "\x1b\r\x07\u202e") || strings.Count(got, "\n") != 2 {
			t.Fatalf("quiet=%v: the log holds raw control characters:\n%q", quiet, got)
		}
		for _, want := range []string{
			"cannot serve " + hostileShown, "· path " + hostileShown, "· err " + hostileShown,
			"· any " + hostileShown, "· list [" + hostileShown + "]", "· req.header " + hostileShown,
			"· " + hostileShown + " key", "· g.with " + hostileShown, "· g.own " + hostileShown,
		} {
			if !strings.Contains(got, want) {
				t.Errorf("quiet=%v: the log lacks %q:\n%s", quiet, want, got)
			}
		}
	}
}

func TestTermHandlerKeepsItsOwnStyling(t *testing.T) {
	t.Setenv("CLICOLOR_FORCE", "1") // colour on a buffer, as on a terminal
	t.Setenv("NO_COLOR", "")
	var out bytes.Buffer
	tm := newTerm(&out, "text", false)
	slog.New(tm.handler()).Error("failed "+hostile, "path", hostile)
	got := out.String()
	if !strings.Contains(got, tm.fail.Render("failed "+hostileShown)) {
		t.Errorf("the message is not escaped, then styled:\n%q", got)
	}
	if !strings.Contains(got, tm.dim.Render("· path "+hostileShown)) {
		t.Errorf("the attribute is not escaped, then styled:\n%q", got)
	}
	if strings.ContainsAny(got, "\x07\r\u202e") || strings.Contains(got, "\x1b]") || strings.Contains(got, "\x1b[2J") {
		t.Errorf("raw control characters reached the output:\n%q", got)
	}
}

func TestBannerEscapesFolderAndNotes(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		var out bytes.Buffer
		b := banner{version: "v1", url: "http://127.0.0.1:1/", folder: "/srv/" + hostile, startup: time.Millisecond,
			watch: watcher.Stats{Mode: "poll", ModeReason: hostile}, notes: []string{"from " + hostile}}
		newTerm(&out, "text", quiet).banner(b, false)
		got := out.String()
		if strings.ContainsAny(got, "\x1b\r\x07\u202e") {
			t.Errorf("quiet=%v: the banner holds raw control characters:\n%q", quiet, got)
		}
		if !strings.Contains(got, "from "+hostileShown) {
			t.Errorf("quiet=%v: the note is not shown escaped:\n%s", quiet, got)
		}
		if !quiet && !strings.Contains(got, "/srv/"+hostileShown) {
			t.Errorf("the folder is not shown escaped:\n%s", got)
		}
	}
}
