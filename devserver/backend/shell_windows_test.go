package backend

import (
	"os"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/internal/testenv"
)

func TestShellIsComSpecUnlessShellIsAProgram(t *testing.T) {
	t.Setenv("SHELL", "/usr/bin/bash") // as WSL or a Linux parent leaves it
	if shell, note := findShell(); !strings.EqualFold(shell, os.Getenv("ComSpec")) || !strings.Contains(note, "/usr/bin/bash") {
		t.Errorf("findShell() = %q, %q; want %%ComSpec%% (%s) and a note naming $SHELL", shell, note, os.Getenv("ComSpec"))
	}
	bin := testenv.Backend(t)
	t.Setenv("SHELL", bin) // a program, as Git Bash's bash.exe is
	if shell, note := findShell(); !strings.EqualFold(shell, bin) || note != "" {
		t.Errorf("findShell() = %q, %q; want $SHELL (%s) and no note", shell, note, bin)
	}
	if cmd := shellCommand(bin, "x"); cmd.SysProcAttr.CmdLine != "" || strings.Join(cmd.Args[1:], " ") != "-c x" {
		t.Errorf("a shell that is not cmd.exe gets %q %q, want -c x", cmd.SysProcAttr.CmdLine, cmd.Args)
	}
}
