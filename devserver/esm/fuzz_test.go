package esm

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzScan holds Scan to what hotserve relies on for any bytes at all: no
// panic; ranges in bounds, in order and apart; each range holding its Spec;
// and a rewrite of one specifier changing nothing else that is found.
func FuzzScan(f *testing.F) {
	for _, cases := range [][]scanCase{staticCases, dynamicCases, notImportCases} {
		for _, c := range cases {
			f.Add([]byte(c.src))
		}
	}
	files, _ := filepath.Glob("testdata/*.js")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		got := Scan(src).Imports
		last := -1
		for _, g := range got {
			if g.Start < 0 || g.Start > g.End || g.End >= len(src) || g.Start <= last {
				t.Fatalf("range [%d:%d] after %d in %d bytes", g.Start, g.End, last, len(src))
			}
			last = g.End
			if string(src[g.Start:g.End]) != g.Spec {
				t.Fatalf("src[%d:%d] = %q, Spec = %q", g.Start, g.End, src[g.Start:g.End], g.Spec)
			}
		}
		if len(got) > 0 {
			for _, k := range []int{0, len(got) / 2, len(got) - 1} {
				rewritten(t, src, got, k)
			}
		}
	})
}

// rewritten replaces the specifier got[k] in src with X and checks that the
// scan of the result finds the same imports, with X in place.
func rewritten(t *testing.T, src []byte, got []Import, k int) {
	t.Helper()
	g := got[k]
	var b bytes.Buffer
	b.Write(src[:g.Start])
	b.WriteString("X")
	b.Write(src[g.End:])
	again := Scan(b.Bytes()).Imports
	if len(again) != len(got) {
		t.Fatalf("after replacing %q with X: %d imports, had %d", g.Spec, len(again), len(got))
	}
	for i, a := range again {
		want := got[i]
		if i == k {
			want.Spec, want.Escaped = "X", false
		}
		if a.Spec != want.Spec || a.Escaped != want.Escaped || a.Dynamic != want.Dynamic || a.Type != want.Type {
			t.Fatalf("after replacing %q with X: import %d is %+v, want %+v", g.Spec, i, a, want)
		}
	}
}
