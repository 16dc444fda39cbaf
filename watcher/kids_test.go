package watcher

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"testing"
)

// TestKids drives a folder's listing through the small form and past
// bigFolder into the big one, against a map doing the same: first listed
// in one go (adopt) or child by child (set), with stamps (polling) or
// without, then with a folder replaced by a file and half removed.
func TestKids(t *testing.T) {
	for _, n := range []int{0, 1, bigFolder - 1, bigFolder, bigFolder + 1, 3 * bigFolder} {
		for _, c := range []struct{ listed, stamped bool }{{false, false}, {false, true}, {true, false}, {true, true}} {
			listed := c.listed
			t.Run(strconv.Itoa(n)+" children, "+fmt.Sprintf("%+v", c), func(t *testing.T) {
				var d dirNode
				var l listing
				want := map[string]entry{}
				for i := n - 1; i >= 0; i-- { // backwards: every insert is at the front
					name := "f" + strconv.Itoa(i)
					e := entry{ino: uint64(i)}
					if c.stamped {
						e.stamp = uint64(i % 3)
					}
					if i%5 == 0 {
						e = entry{ino: uint64(i), dir: &dirNode{}}
					}
					if listed {
						l.add(name, e)
					} else {
						d.set(name, e)
					}
					want[name] = e
				}
				d.adopt(&l)
				check(t, &d, want)
				if n > 0 {
					d.set("f0", entry{ino: 99, stamp: 7}) // a replacement is not a new child
					want["f0"] = entry{ino: 99, stamp: 7}
				}
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
}

// TestKidsNamesStayBounded: a file saved over and over by rename (a new
// temp name each time) must not grow the folder's names string forever.
func TestKidsNamesStayBounded(t *testing.T) {
	var d dirNode
	d.set("index.html", entry{ino: 1})
	for i := range 10000 {
		tmp := "index.html." + strconv.Itoa(i) + ".tmp"
		d.set(tmp, entry{ino: uint64(i + 2)})
		d.del(tmp)
	}
	if len(d.names) > 200 {
		t.Fatalf("names is %d bytes for one child of 10", len(d.names))
	}
	check(t, &d, map[string]entry{"index.html": {ino: 1}})
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

// TestKidsWideInodesAndLongNames: inodes keep their high half, and a name
// too long for the small form makes the folder big without losing anyone.
func TestKidsWideInodesAndLongNames(t *testing.T) {
	var d dirNode
	want := map[string]entry{}
	for i := range 10 {
		name, e := "f"+strconv.Itoa(i), entry{ino: uint64(i)<<40 | 0xdeadbeef}
		d.set(name, e)
		want[name] = e
	}
	check(t, &d, want)
	long := strings.Repeat("x", maxName+1)
	d.set(long, entry{ino: 1 << 63})
	want[long] = entry{ino: 1 << 63}
	if d.big() == nil {
		t.Fatal("a name longer than maxName left the folder small")
	}
	check(t, &d, want)
}
