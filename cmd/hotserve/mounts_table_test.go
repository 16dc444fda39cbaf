package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotserve/hotserve/devserver"
)

// mountsFrom parses the command line args and then, when file is not
// empty, applies it as the settings file conf/hotserve.toml under base,
// trusted.
func mountsFrom(t *testing.T, base string, args []string, file string) (options, error) {
	t.Helper()
	var o options
	fs := newFlagSet(&o)
	o.flags = fs
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if file != "" {
		o.config = filepath.Join(base, "conf", "hotserve.toml")
		if _, err := applyConfig(fs, o.config, []byte(file), trustAll); err != nil {
			return o, err
		}
	}
	return o, nil
}

func mkdirs(t *testing.T, base string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMountSettings(t *testing.T) {
	base := t.TempDir()
	mkdirs(t, base, "site", "shared-lib", "conf/docs", "other")
	if err := os.WriteFile(filepath.Join(base, "a-file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "site")
	// A --mount's folder is relative to the current folder, here the
	// served one, as in `cd site && hotserve --mount /vendor=../shared-lib`.
	t.Chdir(root)
	cases := []struct {
		name string
		args []string
		file string
		want string // the mounts, "prefix=dir" with dir relative to base, or the error
	}{
		{"flag, relative to the current folder", []string{"--mount", "/vendor=../shared-lib"}, "", "/vendor=shared-lib"},
		{"repeated flag", []string{"--mount", "/vendor=../shared-lib", "--mount", "/o/=../other"}, "", "/vendor=shared-lib /o=other"},
		{"table, relative to the file's folder", nil, "[mounts]\n\"/docs\" = \"docs\"\n\"/lib\" = \"../shared-lib\"\n", "/docs=conf/docs /lib=shared-lib"},
		{"a flag replaces the file's mount on its prefix", []string{"--mount", "/lib=../other"}, "[mounts]\n\"/lib\" = \"../shared-lib\"\n\"/docs\" = \"docs\"\n", "/docs=conf/docs /lib=other"},
		{"flag without =", []string{"--mount", "/vendor"}, "", `invalid value "/vendor" for flag -mount: want prefix=folder, such as /vendor=../shared-lib`},
		{"flag, missing folder", []string{"--mount", "/vendor=../nope"}, "", "--mount /vendor=../nope names a folder that does not exist"},
		{"flag, a file", []string{"--mount", "/vendor=../a-file"}, "", "--mount /vendor=../a-file names a file"},
		{"flag, two on one prefix", []string{"--mount", "/v=../other", "--mount", "/v/=../shared-lib"}, "", "--mount /v/=../shared-lib is the prefix of two mounts"},
		{"flag, not a URL path", []string{"--mount", "vendor=../other"}, "", "--mount vendor=../other is not a URL path"},
		{"flag, hotserve's own", []string{"--mount", "/__hotserve/x=../other"}, "", "is under /__hotserve/"},
		{"table, missing folder", nil, "[mounts]\n\"/docs\" = \"nope\"\n", `hotserve.toml: [mounts] "/docs" = "nope" names a folder that does not exist`},
		{"table, not a string", nil, "[mounts]\n\"/docs\" = 1\n", `hotserve.toml:1: [mounts]: "/docs" = 1: want the folder to serve at /docs as a string`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, err := mountsFrom(t, base, c.args, c.file)
			var have string
			if err == nil {
				var ms []devserver.Mount
				ms, _, err = o.mountConfig(root)
				var parts []string
				for _, m := range ms {
					rel, _ := filepath.Rel(base, m.Dir)
					parts = append(parts, m.Prefix+"="+filepath.ToSlash(rel))
				}
				have = strings.Join(parts, " ")
			}
			if err != nil {
				have = err.Error()
				if strings.Contains(have, "\n") {
					t.Errorf("error %q is more than one line", have)
				}
			}
			if !strings.Contains(have, c.want) {
				t.Errorf("have %q, want %q", have, c.want)
			}
		})
	}
}

// A settings file someone else wrote may not mount a folder of theirs
// choosing until the person trusts it.
func TestMountsTableIsWithheldUntilTrusted(t *testing.T) {
	var o options
	fs := newFlagSet(&o)
	got, err := applyConfig(fs, "hotserve.toml", []byte("[mounts]\n\"/home\" = \"/home\"\n"), func() bool { return false })
	if err != nil {
		t.Fatal(err)
	}
	if len(o.mounts) != 0 || len(got.withheld) != 1 || got.withheld[0].key != "mounts" {
		t.Errorf("mounts %v, withheld %v; want nothing mounted and [mounts] withheld", o.mounts, got.withheld)
	}
}
