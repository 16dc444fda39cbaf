package main

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestFindEditor(t *testing.T) {
	installed := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			for _, n := range names {
				if n == name {
					return "/usr/bin/" + name, nil
				}
			}
			return "", errors.New("not found")
		}
	}
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		name   string
		getenv func(string) string
		look   func(string) (string, error)
		want   editor
		err    string
	}{
		{"VISUAL first", env("VISUAL", "subl -n", "EDITOR", "code"), installed("code"), editor{argv: []string{"subl", "-n"}, family: "colon"}, ""},
		{"then EDITOR", env("EDITOR", "code --wait"), installed(), editor{argv: []string{"code", "--wait"}, family: "vscode"}, ""},
		{"a terminal editor is skipped", env("VISUAL", "vim", "EDITOR", "nano"), installed("zed"), editor{argv: []string{"/usr/bin/zed"}, family: "colon"}, ""},
		{"nvim with a server", env("VISUAL", "nvim", "NVIM", "/tmp/nvim.sock"), installed(), editor{argv: []string{"nvim"}, family: "nvim-server", server: "/tmp/nvim.sock"}, ""},
		{"detected in order", env(), installed("webstorm", "cursor"), editor{argv: []string{"/usr/bin/cursor"}, family: "vscode"}, ""},
		{"nvim detected inside nvim", env("NVIM", "/tmp/n"), installed("nvim"), editor{argv: []string{"/usr/bin/nvim"}, family: "nvim-server", server: "/tmp/n"}, ""},
		{"none", env(), installed(), editor{}, "no editor found; set $VISUAL"},
		{"only a terminal one", env("EDITOR", "vim"), installed(), editor{}, "$EDITOR (vim) runs in a terminal, and no other editor was found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			have, err := findEditor(c.getenv, c.look)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(have, c.want) {
				t.Errorf("have %+v, %v\nwant %+v", have, err, c.want)
			}
		})
	}
}

func TestEditorCommands(t *testing.T) {
	const f = "/site/js/app.js"
	cases := []struct {
		program   string
		line, col int
		want      [][]string
	}{
		{"code", 12, 5, [][]string{{"code", "-g", f + ":12:5"}}},
		{`C:\Program Files\Cursor\cursor.cmd`, 12, 0, [][]string{{`C:\Program Files\Cursor\cursor.cmd`, "-g", f + ":12"}}},
		{"subl", 12, 5, [][]string{{"subl", f + ":12:5"}}},
		{"zed", 3, 1, [][]string{{"zed", f + ":3:1"}}},
		{"idea", 12, 5, [][]string{{"idea", "--line", "12", "--column", "5", f}}},
		{"webstorm64.exe", 12, 0, [][]string{{"webstorm64.exe", "--line", "12", f}}},
		{"gvim", 12, 5, [][]string{{"gvim", "+12", f}}},
		{"emacsclient", 12, 5, [][]string{{"emacsclient", "+12:5", f}}},
		{"my-editor", 0, 0, [][]string{{"my-editor", "+1", f}}},
	}
	for _, c := range cases {
		e := editor{argv: []string{c.program}, family: editorFamily(c.program)}
		if have := e.commands(f, c.line, c.col); !reflect.DeepEqual(have, c.want) {
			t.Errorf("%s: have %q, want %q", c.program, have, c.want)
		}
	}
	nvim := editor{argv: []string{"nvim"}, family: "nvim-server", server: "/tmp/n"}
	want := [][]string{{"nvim", "--server", "/tmp/n", "--remote", f}, {"nvim", "--server", "/tmp/n", "--remote-send", `<C-\><C-N>:call cursor(12,5)<CR>`}}
	if have := nvim.commands(f, 12, 5); !reflect.DeepEqual(have, want) {
		t.Errorf("nvim: have %q, want %q", have, want)
	}
}
