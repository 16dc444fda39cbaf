package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// trustAll is a trust store that trusts every file.
func trustAll() bool { return true }

func TestApplyConfig(t *testing.T) {
	cases := []struct {
		name string
		args []string // command line, parsed before the file
		file string
		want func(o options) bool
		err  string // a substring of the error; "" = no error
	}{
		{"every kind of value", nil, "port = 3000\nstrict-port = true\nhost = \"localhost\"\ndebounce = \"40ms\"\nignore = [\"dist/**\", \"*.log\"]\n",
			func(o options) bool {
				return o.port == 3000 && o.strictPort && o.host == "localhost" && o.watch.Debounce == 40*time.Millisecond &&
					slices.Equal(o.watch.Ignore, []string{"dist/**", "*.log"})
			}, ""},
		{"a flag wins over the file", []string{"--port", "4000"}, "port = 3000\n",
			func(o options) bool { return o.port == 4000 }, ""},
		{"comments and blank lines", nil, "# hi\n\n  port = 3001 # inline\n",
			func(o options) bool { return o.port == 3001 }, ""},
		{"unknown key names its line and the valid keys", nil, "port = 1\n\nprot = 3000\n", nil,
			`settings.toml:3: unknown key "prot" (did you mean "port"?); valid keys: `},
		{"version is not a setting", nil, "version = true\n", nil, `settings.toml:1: unknown key "version"`},
		{"string for a number", nil, "port = \"http\"\n", nil, `settings.toml:1: port = "http": want a whole number, e.g. 8080`},
		{"number for a duration", nil, "debounce = 25\n", nil, `settings.toml:1: debounce = 25: want a duration in quotes, e.g. "10ms"`},
		{"string for a switch", nil, "strict-port = \"yes\"\n", nil, `settings.toml:1: strict-port = "yes": want true or false`},
		{"number for a list", nil, "ignore = 3\n", nil, `settings.toml:1: ignore = 3: want a list of strings`},
		{"one string for a list", nil, "ignore = \"dist/**\"\n", func(o options) bool { return slices.Equal(o.watch.Ignore, []string{"dist/**"}) }, ""},
		{"list for a number", nil, "port = [1, 2]\n", nil, `settings.toml:1: port = [1, 2]: want a whole number`},
		{"table", nil, "[serve]\nport = 1\n", nil, `settings.toml:1: unknown key "serve"`},
		{"broken syntax names its line", nil, "port = 1\nhost = \n", nil, "settings.toml:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var o options
			fs := newFlagSet(&o)
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			_, err := applyConfig(fs, "settings.toml", []byte(c.file), trustAll)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.want(o) {
				t.Errorf("options after the file: %+v", o)
			}
		})
	}
}

// The starter file is valid as written, and with every line uncommented it
// sets each key to its default.
func TestStarterConfigRoundTrips(t *testing.T) {
	var defaults options
	fs := newFlagSet(&defaults)
	starter := starterConfig(fs)
	if _, err := applyConfig(newFlagSet(new(options)), "hotserve.toml", starter, trustAll); err != nil {
		t.Fatalf("starter file as written: %v\n%s", err, starter)
	}
	keys, _, _ := bytes.Cut(starter, []byte(tablesHeading))
	uncommented := regexp.MustCompile(`(?m)^# ([a-z-]+ = )`).ReplaceAll(keys, []byte("$1"))
	var o options
	if _, err := applyConfig(newFlagSet(&o), "hotserve.toml", uncommented, trustAll); err != nil {
		t.Fatalf("starter file uncommented: %v\n%s", err, uncommented)
	}
	if o.port != defaults.port || o.host != defaults.host || o.watch.Debounce != defaults.watch.Debounce || len(o.watch.Ignore) != 0 {
		t.Errorf("uncommented starter gives %+v, want the defaults %+v", o, defaults)
	}
	for _, key := range configKeys(fs) {
		want := "# " + key + " = "
		if _, ok := fs.table(key); ok {
			want = "[" + key
		}
		if !strings.Contains(string(starter), want) {
			t.Errorf("starter file lacks the key %s", key)
		}
	}
}

// Every flag has its place in the grouped help, and the flags a flag
// needs exist.
func TestEveryFlagIsInAHelpGroup(t *testing.T) {
	fs := newFlagSet(new(options))
	for _, d := range fs.defs {
		if d.group == "" {
			t.Errorf("--%s is in no group (flagDefs, flagdefs.go)", d.name)
		}
		if d.needs != "" && (fs.Lookup(d.needs) == nil || needsText[d.needs] == "") {
			t.Errorf("--%s needs --%s, which is not a flag or has no needsText", d.name, d.needs)
		}
	}
}

// Every kind of value the settings file can hold is told apart by its
// flag.Getter.
func TestFlagKinds(t *testing.T) {
	fs := newFlagSet(new(options))
	for name, want := range map[string]string{"port": "int", "poll": "bool", "debounce": "duration", "ignore": "list", "host": "string"} {
		if got := flagKind(fs.Lookup(name)); got != want {
			t.Errorf("flagKind(--%s) = %s, want %s", name, got, want)
		}
	}
}

func TestStarterConfigReadsAsProse(t *testing.T) {
	if starter := starterConfig(newFlagSet(new(options))); strings.Contains(string(starter), "`") {
		t.Errorf("the starter file shows --help's argument quotes:\n%s", starter)
	}
}
