package watcher

import (
	"maps"
	"strconv"
	"testing"
)

// TestKids drives a folder's listing through the small form and past
// bigFolder into the big one, against a map doing the same.
func TestKids(t *testing.T) {
	for _, n := range []int{0, 1, bigFolder - 1, bigFolder, bigFolder + 1, 3 * bigFolder} {
		t.Run(strconv.Itoa(n)+" children", func(t *testing.T) {
			var d dirNode
			d.reserve(n / 2)
			want := map[string]entry{}
			for i := n - 1; i >= 0; i-- { // backwards: every insert is at the front
				name := "f" + strconv.Itoa(i)
				d.set(name, entry{ino: uint64(i)})
				want[name] = entry{ino: uint64(i)}
			}
			d.set("f0", entry{ino: 99}) // a replacement is not a new child
			want["f0"] = entry{ino: 99}
			if n == 0 {
				delete(want, "f0")
				d.del("f0")
			}
			check(t, &d, want)
			for i := 0; i < n; i += 2 {
				name := "f" + strconv.Itoa(i)
				if e, ok := d.del(name); !ok || e != want[name] {
					t.Fatalf("del(%s) = %v, %v; want %v, true", name, e, ok, want[name])
				}
				delete(want, name)
			}
			if _, ok := d.del("missing"); ok {
				t.Fatal("del of a missing child reported it")
			}
			check(t, &d, want)
		})
	}
}

func check(t *testing.T, d *dirNode, want map[string]entry) {
	t.Helper()
	if have := maps.Collect(d.kids()); !maps.Equal(have, want) {
		t.Fatalf("have %v\nwant %v", have, want)
	}
	if d.count() != len(want) {
		t.Fatalf("count %d, want %d", d.count(), len(want))
	}
	for name, e := range want {
		if have, ok := d.get(name); !ok || have != e {
			t.Fatalf("get(%s) = %v, %v; want %v, true", name, have, ok, e)
		}
	}
	if _, ok := d.get("missing"); ok {
		t.Fatal("get of a missing child found it")
	}
}
