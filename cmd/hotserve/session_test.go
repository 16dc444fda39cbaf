package main

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/hotserve/hotserve/watcher"
)

// hotserve run in its folder finds ./hotserve.toml by a relative name; an
// edit of it must still be recognised as the settings file's.
func TestSettingsFileFoundByRelativeName(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	os.WriteFile(configName, []byte("port = 9000\n"), 0o644)
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	root, err := servedFolder(o.dir)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(configName, []byte("port = 9001\n"), 0o644)
	batch := watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: configName}, {Op: watcher.Write, Path: "index.html"}}}
	rest, next, changed := settingsChanged(o, root, batch, slog.New(slog.DiscardHandler))
	if !changed || next.port != 9001 {
		t.Errorf("an edit of %s (read as %q from %s) was not applied: changed %v, port %d", configName, o.config, filepath.Base(root), changed, next.port)
	}
	if len(rest.Events) != 1 || rest.Events[0].Path != "index.html" {
		t.Errorf("the settings file's event was not taken out of the batch: %v", rest.Events)
	}
}
