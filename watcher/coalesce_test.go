package watcher

import (
	"fmt"
	"strings"
	"testing"
)

// Shorthands for raw events in the table: c = create, w = write,
// r = remove, m = moved away, ch = chmod. "k" marks a path the source
// already knew; inodes pair moves with creates.
func c(path string, ino uint64) rawEvent { return rawEvent{Op: rawCreate, Path: path, Ino: ino} }
func ck(path string, ino uint64) rawEvent {
	return rawEvent{Op: rawCreate, Path: path, Ino: ino, Known: true}
}
func cd(path string, ino uint64) rawEvent {
	return rawEvent{Op: rawCreate, Path: path, Ino: ino, Dir: true}
}
func w(path string) rawEvent  { return rawEvent{Op: rawWrite, Path: path, Known: true} }
func wu(path string) rawEvent { return rawEvent{Op: rawWrite, Path: path} }
func r(path string) rawEvent  { return rawEvent{Op: rawRemove, Path: path, Known: true} }
func rd(path string) rawEvent { return rawEvent{Op: rawRemove, Path: path, Known: true, Dir: true} }
func m(path string, ino uint64) rawEvent {
	return rawEvent{Op: rawMove, Path: path, Ino: ino, Known: true}
}
func md(path string, ino uint64) rawEvent {
	return rawEvent{Op: rawMove, Path: path, Ino: ino, Known: true, Dir: true}
}
func ch(path string) rawEvent { return rawEvent{Op: rawChmod, Path: path, Known: true} }

func TestCoalesce(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  []rawEvent
		want string // Batch.String() form
	}{
		{"single write", []rawEvent{w("a")}, "write a"},
		{"repeated writes are one write", []rawEvent{w("a"), w("a"), w("a")}, "write a"},
		{"create then write is a create", []rawEvent{c("a", 1), w("a"), w("a")}, "create a"},
		{"create then remove is nothing (S23)", []rawEvent{c("a", 1), w("a"), r("a")}, ""},
		{"remove then create of a file is a write", []rawEvent{r("a"), c("a", 2)}, "write a"},
		{"remove alone", []rawEvent{w("a"), r("a")}, "remove a"},
		{"chmod only is dropped (S15)", []rawEvent{ch("a")}, ""},
		{"chmod with a write is the write", []rawEvent{ch("a"), w("a"), ch("a")}, "write a"},
		{"write to a path not known yet is a create", []rawEvent{wu("a")}, "create a"},
		{"rename over a known path is a write", []rawEvent{ck("a", 5)}, "write a"},
		{"mv a b is a rename", []rawEvent{m("a", 7), c("b", 7)}, "rename a -> b"},
		{"mv a b over an existing b (S22)", []rawEvent{m("a", 7), ck("b", 7)}, "remove a\nwrite b"},
		{"delete and a new file that reuses the inode is no rename",
			[]rawEvent{r("a"), c("b", 7)}, "remove a\ncreate b"},
		{"move out of the tree is a remove", []rawEvent{m("a", 7)}, "remove a"},
		{"move in from outside is a create", []rawEvent{c("a", 7)}, "create a"},
		{"moved file does not pair with a folder", []rawEvent{m("a", 7), cd("b", 7)}, "remove a\ncreate b/"},
		{"rename chain a -> b -> c", []rawEvent{m("a", 7), c("b", 7), m("b", 7), c("c", 7)}, "rename a -> c"},
		{"rename and back is nothing", []rawEvent{m("a", 7), c("b", 7), m("b", 7), ck("a", 7)}, "write a"},
		{"vim save (S1)", []rawEvent{
			c("4913", 9), ch("4913"), r("4913"),
			m("f", 1), c("f~", 1), c("f", 2), w("f"), r("f~"),
		}, "write f"},
		{"JetBrains safe write (S4)", []rawEvent{
			c("f___jb_tmp___", 2), w("f___jb_tmp___"),
			m("f", 1), c("f___jb_old___", 1),
			m("f___jb_tmp___", 2), c("f", 2),
			r("f___jb_old___"),
		}, "write f"},
		{"Emacs save (S5): the backup stays, for DefaultIgnore to hide", []rawEvent{
			c(".#f", 3), m("f", 1), c("f~", 1), c("f", 2), w("f"), r(".#f"),
		}, "write f\ncreate f~"},
		{"sed -i (S6)", []rawEvent{
			c("sedAb12", 2), ch("sedAb12"), w("sedAb12"), m("sedAb12", 2), ck("f", 2),
		}, "write f"},
		{"VS Code truncate and write (S3)", []rawEvent{w("f"), w("f")}, "write f"},
		{"rm -rf folds children into the folder (S13)", []rawEvent{
			r("sub/a"), r("sub/deep/b"), rd("sub/deep"), rd("sub"),
		}, "remove sub/"},
		{"folder moved out folds earlier child writes (S11)", []rawEvent{
			w("sub/a"), md("sub", 4),
		}, "remove sub/"},
		{"mkdir -p with a file lists every level (S9)", []rawEvent{
			cd("a", 1), cd("a/b", 2), cd("a/b/c", 3), c("a/b/c/f", 4), ck("a/b/c/f", 4), w("a/b/c/f"),
		}, "create a/\ncreate a/b/\ncreate a/b/c/\ncreate a/b/c/f"},
		{"folder rename keeps one event for the subtree (S12)", []rawEvent{
			md("src", 4), cd("lib", 4), c("lib/a", 5), cd("lib/x", 6), c("lib/x/b", 7),
		}, "rename src/ -> lib/"},
		{"file replaced by a folder (S18)", []rawEvent{r("f"), cd("f", 2)}, "remove f\ncreate f/"},
		{"folder replaced by a file (S18)", []rawEvent{r("d/x"), rd("d"), c("d", 2)}, "remove d/\ncreate d"},
		{"folder removed and made again: its children speak", []rawEvent{
			r("d/x"), r("d/y"), rd("d"), cd("d", 9), c("d/x", 10),
		}, "write d/x\nremove d/y"},
		{"sibling with a common prefix is not folded", []rawEvent{rd("a"), w("ab"), w("a.txt")}, "remove a/\nwrite a.txt\nwrite ab"},
		{"sorted by path", []rawEvent{w("z"), w("a/b"), w("m")}, "write a/b\nwrite m\nwrite z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			have := Batch{Events: coalesce(tc.raw)}.String()
			if have != tc.want {
				t.Errorf("\nhave:\n%s\nwant:\n%s", indent(have), indent(tc.want))
			}
		})
	}
}

func indent(s string) string {
	if s == "" {
		return "\t(nothing)"
	}
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}

// BenchmarkCoalesce measures a burst like a git checkout: 2,000 raw events
// over 500 files, with saves, temp files and renames mixed in.
func BenchmarkCoalesce(b *testing.B) {
	raw := make([]rawEvent, 0, 2000)
	for i := 0; len(raw) < 2000; i++ {
		p := fmt.Sprintf("src/pkg%d/file%d.go", i%50, i)
		switch i % 4 {
		case 0:
			raw = append(raw, r(p), c(p, uint64(i)), w(p), ch(p))
		case 1:
			raw = append(raw, c(p+".tmp", uint64(i)), w(p+".tmp"), m(p+".tmp", uint64(i)), ck(p, uint64(i)))
		case 2:
			raw = append(raw, m(p, uint64(i)), c(p+".new", uint64(i)), w(p+".new"), w(p+".new"))
		default:
			raw = append(raw, c(p, uint64(i)), w(p), w(p), w(p))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		coalesce(raw)
	}
}
