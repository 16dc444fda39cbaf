package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunnableBatchEditor: a batch-file editor (code.cmd) is not given a
// file name that cmd.exe would read as a command; an .exe is.
func TestRunnableBatchEditor(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"code.cmd", "zed.exe"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("@echo off\r\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	batch, exe := filepath.Join(dir, "code.cmd"), filepath.Join(dir, "zed.exe")
	if err := runnable([]string{batch, "-g", `C:\site\a&calc.js:1`}); err == nil || !strings.Contains(err.Error(), "batch file") {
		t.Errorf("a & given to a batch file: %v", err)
	}
	if err := runnable([]string{batch, "-g", `C:\site\js\app.js:12:5`}); err != nil {
		t.Errorf("a plain path: %v", err)
	}
	if err := runnable([]string{exe, `C:\site\a&b.js:1`}); err != nil {
		t.Errorf("an .exe: %v", err)
	}
}
