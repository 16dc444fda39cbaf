package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// A table of the settings file reaches its decoder whole, as a table or an
// array of tables; a key of that name that is not a table, a decoder's
// complaint, and an untrusted file are each answered as for a key.
func TestSettingsTables(t *testing.T) {
	var got []any
	withTable := func() *flagSet {
		fs := newFlagSet(new(options))
		fs.tables = append(fs.tables,
			tableDef{name: "one", decode: func(v any) error { got = append(got, v); return nil }},
			tableDef{name: "many", decode: func(v any) error { got = append(got, v); return nil }},
			tableDef{name: "run", risk: runs, decode: func(v any) error { got = append(got, v); return nil }},
			tableDef{name: "picky", decode: func(v any) error { return errors.New(`"x" is not a setting of picky; use y`) }},
		)
		return fs
	}
	untrusted := func() bool { return false }
	cases := []struct {
		name, file string
		trusted    func() bool
		want       string // got, printed, or the error
	}{
		{"table", "port = 1\n[one]\na = 'b'\n", trustAll, "[map[a:b]]"},
		{"sub-tables", "[one.x]\na = 1\n[one.y]\na = 2\n", trustAll, "[map[x:map[a:1] y:map[a:2]]]"},
		{"array of tables", "[[many]]\na = 1\n[[many]]\na = 2\n", trustAll, "[[map[a:1] map[a:2]]]"},
		{"not a table", "port = 1\none = 'b'\n", trustAll, `hotserve.toml:2: one = "b": one is a table; write it as [one]`},
		{"decoder's error", "port = 1\n\n[picky]\nx = 1\n", trustAll, `hotserve.toml:3: [picky]: "x" is not a setting of picky; use y`},
		{"withheld when untrusted", "[run]\nexec = 'x'\n", untrusted, "[]"},
		{"applied when trusted", "[run]\nexec = 'x'\n", trustAll, "[map[exec:x]]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got = nil
			fs := withTable()
			from, err := applyConfig(fs, "hotserve.toml", []byte(c.file), c.trusted)
			out := fmt.Sprint(got)
			if err != nil {
				out = err.Error()
			}
			if out != c.want {
				t.Errorf("got %s, want %s", out, c.want)
			}
			if err == nil && strings.Contains(c.file, "[run]") {
				if withheld := len(from.withheld) == 1; withheld != (out == "[]") {
					t.Errorf("withheld %v, applied %s", from.withheld, out)
				}
			}
		})
	}
}

// What a table asks for is shown whole, inline, before the person trusts
// it, with control characters escaped.
func TestTableShownInline(t *testing.T) {
	values := map[string]any{}
	if err := toml.Unmarshal([]byte("[backend.api]\nexec = \"go run ./api\\u001b[2J\"\n\"odd key\" = 1\n[[headers]]\nfor = \"/**/*.wasm\"\nX-A = \"1\"\n"), &values); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"backend": `{api = {exec = "go run ./api\x1b[2J", "odd key" = 1}}`,
		"headers": `[{X-A = "1", for = "/**/*.wasm"}]`,
	} {
		if got := tomlText(values[key]); got != want {
			t.Errorf("%s shown as %s, want %s", key, got, want)
		}
	}
}
