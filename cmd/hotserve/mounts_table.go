package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/watcher"
)

// mountSpec is one mount as given: by --mount, whose folder is relative to
// the current folder, as a shell completes it, or by the settings file's
// [mounts] table, whose folder is relative to the file's own folder, as a
// path written in a file is read by most tools. base is that folder.
type mountSpec struct {
	prefix, dir string
	base        string
	flag        bool // given by --mount
}

// source names where the mount was given, for its error: the flag, or
// the file's key.
func (m mountSpec) source(config string) string {
	if m.flag {
		return "--mount " + m.prefix + "=" + m.dir
	}
	return fmt.Sprintf("%s: [mounts] %s = %s", config, strconv.Quote(m.prefix), strconv.Quote(m.dir))
}

// mountsValue is the --mount flag: prefix=folder, repeatable.
type mountsValue []mountSpec

func mountFlag(p *[]mountSpec) *mountsValue { return (*mountsValue)(p) }

func (v *mountsValue) String() string { return mountsText(*v) }

func (v *mountsValue) Set(s string) error {
	prefix, dir, ok := strings.Cut(s, "=")
	if !ok || prefix == "" || dir == "" {
		return errors.New("want prefix=folder, such as /vendor=../shared-lib")
	}
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("cannot tell the current folder, which the mount's folder is relative to: %v", err)
	}
	*v = append(*v, mountSpec{prefix: prefix, dir: dir, base: wd, flag: true})
	return nil
}

// mountsText is mounts as the status page shows them.
func mountsText(ms []mountSpec) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.prefix+" = "+m.dir)
	}
	return strings.Join(parts, ", ")
}

// mountsTable is the [mounts] table of the settings file o.config:
// `"/vendor" = "../shared-lib"` per mount.
func mountsTable(o *options) tableDef {
	return tableDef{
		name:    "mounts",
		usage:   "more folders served and watched under URL prefixes, each relative to this file's folder (--mount on the command line)",
		example: "[mounts]\n\"/vendor\" = \"../shared-lib\"\n",
		risk:    loosens,
		value:   func() string { return mountsText(o.mounts) },
		decode: func(v any) error {
			table, _ := v.(map[string]any)
			keys := make([]string, 0, len(table))
			for k := range table {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			base := filepath.Dir(o.config)
			for _, prefix := range keys {
				dir, ok := table[prefix].(string)
				if !ok || dir == "" {
					return fmt.Errorf("%s = %v: want the folder to serve at %s as a string, such as \"../shared-lib\"", strconv.Quote(prefix), tomlText(table[prefix]), prefix)
				}
				o.mounts = append(o.mounts, mountSpec{prefix: prefix, dir: dir, base: base})
			}
			return nil
		},
	}
}

// mountConfig resolves the mounts of o for the served folder root and
// checks them, with an error that names the flag or the file's key. A
// --mount replaces a mount of the file on the same prefix: flags given by
// hand win over the file.
func (o options) mountConfig(root string) ([]devserver.Mount, []watcher.Mount, error) {
	specs := o.effectiveMounts()
	ms := make([]devserver.Mount, len(specs))
	for i, m := range specs {
		dir := m.dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(m.base, dir)
		}
		ms[i] = devserver.Mount{Prefix: m.prefix, Dir: dir}
	}
	checked, err := devserver.CheckMounts(root, ms, o.security.Dotfiles)
	if ce, ok := errors.AsType[*devserver.ConfigError](err); ok {
		for _, m := range specs {
			if strconv.Quote(m.prefix) == ce.Value {
				return nil, nil, fmt.Errorf("%s %s", m.source(o.config), ce.Problem)
			}
		}
	}
	if err != nil {
		return nil, nil, err
	}
	wms := make([]watcher.Mount, len(checked))
	for i, m := range checked {
		wms[i] = watcher.Mount{Path: strings.TrimPrefix(m.Prefix, "/"), Root: m.Dir}
	}
	return checked, wms, nil
}

// effectiveMounts are the file's mounts, less those a --mount gives a
// new folder, then the flags'.
func (o options) effectiveMounts() []mountSpec {
	var flags []mountSpec
	for _, m := range o.mounts {
		if m.flag {
			flags = append(flags, m)
		}
	}
	var out []mountSpec
	for _, m := range o.mounts {
		given := slices.ContainsFunc(flags, func(f mountSpec) bool {
			return strings.TrimSuffix(f.prefix, "/") == strings.TrimSuffix(m.prefix, "/")
		})
		if !m.flag && !given {
			out = append(out, m)
		}
	}
	return append(out, flags...)
}
