package main

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// Opening a file at a line in the person's editor, for a click in an
// overlay (devserver.Config.OpenEditor; the server has checked that the
// file is in the folder). The editor is $VISUAL, else $EDITOR, else the
// first of editorSearch installed; each family has its own way to say the
// line. It runs as a program with arguments, never through a shell, so
// nothing in a file name is read as a command.

// editorSearch is where hotserve looks when neither $VISUAL nor $EDITOR
// is set, in order; nvim only when hotserve runs inside one ($NVIM).
var editorSearch = []string{"code", "cursor", "zed", "subl", "idea", "webstorm"}

// terminalEditors run in a terminal, which hotserve's own output holds:
// they are skipped, with a word in the refusal if nothing else is found,
// except nvim when $NVIM names a running one to talk to.
var terminalEditors = []string{"vi", "vim", "nvim", "nano", "pico", "micro", "hx", "helix", "kak", "ed", "joe", "ne", "mcedit"}

// editor is a command that opens files: the program, the arguments it
// always takes, and its family's line syntax.
type editor struct {
	argv   []string
	family string // see editorFamily
	server string // nvim's --server address
}

// findEditor returns the editor to use, by getenv and look (os.Getenv,
// exec.LookPath).
func findEditor(getenv func(string) string, look func(string) (string, error)) (editor, error) {
	var skipped []string
	for _, name := range []string{"VISUAL", "EDITOR"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		argv := editorArgv(v)
		e := editor{argv: argv, family: editorFamily(argv[0])}
		if e.family != "terminal" {
			return e, nil
		}
		if base(argv[0]) == "nvim" && getenv("NVIM") != "" {
			return editor{argv: argv[:1], family: "nvim-server", server: getenv("NVIM")}, nil
		}
		skipped = append(skipped, "$"+name+" ("+v+") runs in a terminal")
	}
	for _, name := range editorSearch {
		if path, err := look(name); err == nil {
			return editor{argv: []string{path}, family: editorFamily(name)}, nil
		}
	}
	if addr := getenv("NVIM"); addr != "" {
		if path, err := look("nvim"); err == nil {
			return editor{argv: []string{path}, family: "nvim-server", server: addr}, nil
		}
	}
	why := "no editor found"
	if len(skipped) > 0 {
		why = strings.Join(skipped, ", ") + ", and no other editor was found"
	}
	return editor{}, errors.New(why + "; set $VISUAL to a windowed editor (code, zed, subl, gvim, idea), or run hotserve inside nvim")
}

// editorArgv splits an editor setting into the program and its
// arguments: "code --wait" is two, a path that exists is one even with
// spaces in it.
func editorArgv(v string) []string {
	if _, err := os.Stat(v); err == nil {
		return []string{v}
	}
	return strings.Fields(v)
}

// base is a program's name without folder or Windows extension, lower
// case: "/usr/bin/code" and "C:\...\Code.cmd" are "code".
func base(program string) string {
	name := strings.ToLower(filepath.Base(strings.ReplaceAll(program, `\`, "/")))
	for _, ext := range []string{".exe", ".cmd", ".bat"} {
		name = strings.TrimSuffix(name, ext)
	}
	return name
}

// editorFamily tells how a program takes a line:
//
//	vscode     code -g file:line:col (cursor, codium, windsurf too)
//	colon      subl file:line:col, zed file:line:col
//	jetbrains  idea --line N --column C file (webstorm, goland, …)
//	emacs      emacsclient +N:C file
//	plus       gvim +N file, and any editor hotserve does not know
//	terminal   vim, nano, … (see terminalEditors)
func editorFamily(program string) string {
	switch name := strings.TrimSuffix(base(program), "64"); name {
	case "code", "code-insiders", "codium", "vscodium", "cursor", "windsurf":
		return "vscode"
	case "subl", "sublime_text", "zed", "zeditor":
		return "colon"
	case "idea", "webstorm", "goland", "pycharm", "phpstorm", "rubymine", "clion", "rider", "rustrover":
		return "jetbrains"
	case "emacs", "emacsclient":
		return "emacs"
	default:
		for _, t := range terminalEditors {
			if name == t {
				return "terminal"
			}
		}
		return "plus"
	}
}

// commands are the commands that open path at line and col (0: unknown)
// with e: one, or two for nvim (open, then move).
func (e editor) commands(path string, line, col int) [][]string {
	at := strconv.Itoa(max(line, 1))
	lc := at
	if col > 0 {
		lc += ":" + strconv.Itoa(col)
	}
	with := func(args ...string) []string { return append(append([]string{}, e.argv...), args...) }
	switch e.family {
	case "vscode":
		return [][]string{with("-g", path+":"+lc)}
	case "colon":
		return [][]string{with(path + ":" + lc)}
	case "jetbrains":
		args := []string{"--line", at}
		if col > 0 {
			args = append(args, "--column", strconv.Itoa(col))
		}
		return [][]string{with(append(args, path)...)}
	case "emacs":
		return [][]string{with("+"+lc, path)}
	case "nvim-server":
		move := fmt.Sprintf(`<C-\><C-N>:call cursor(%d,%d)<CR>`, max(line, 1), max(col, 1))
		return [][]string{with("--server", e.server, "--remote", path), with("--server", e.server, "--remote-send", move)}
	}
	return [][]string{with("+"+at, path)}
}

// openInEditor opens path at line and col in the person's editor, or
// says in the log why it cannot. The editor runs on its own; what it
// prints when it fails is said once it exits.
func openInEditor(log *slog.Logger, path string, line, col int) error {
	e, err := findEditor(os.Getenv, exec.LookPath)
	if err != nil {
		log.Warn("did not open an editor: " + err.Error())
		return err
	}
	cmds := e.commands(path, line, col)
	if err := runnable(cmds[0]); err != nil {
		log.Warn("did not open an editor: "+err.Error(), "editor", e.argv[0])
		return err
	}
	first, err := startEditor(cmds[0])
	if err != nil {
		log.Warn("cannot start the editor "+e.argv[0]+"; check $VISUAL", "err", err)
		return err
	}
	go func() {
		err := first.wait()
		for _, next := range cmds[1:] {
			if err == nil {
				var c *editorRun
				if c, err = startEditor(next); err == nil {
					err = c.wait()
				}
			}
		}
		if err != nil {
			log.Warn("the editor "+e.argv[0]+" failed", "err", err)
		}
	}()
	return nil
}

// editorRun is a started editor and the end of what it printed.
type editorRun struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

func startEditor(argv []string) (*editorRun, error) {
	r := &editorRun{cmd: exec.Command(argv[0], argv[1:]...)}
	r.cmd.Stdout, r.cmd.Stderr = &r.out, &r.out
	return r, r.cmd.Start()
}

// wait waits for the editor and returns its failure with the first line it
// printed.
func (r *editorRun) wait() error {
	err := r.cmd.Wait()
	if err == nil {
		return nil
	}
	first, _, _ := strings.Cut(strings.TrimSpace(r.out.String()), "\n")
	if len(first) > 200 {
		first = first[:200]
	}
	if first != "" {
		return fmt.Errorf("%w: %s", err, first)
	}
	return err
}
