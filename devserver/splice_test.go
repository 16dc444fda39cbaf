package devserver

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSplicedReadsLikeTheBytesWithInserts reads files with inserts in
// every way a response is read (whole, in chunks, ranges from anywhere)
// and compares with the bytes built by hand.
func TestSplicedReadsLikeTheBytesWithInserts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		file := []byte(strings.Repeat("abcdefghij", 1+rng.IntN(50)))
		var ins []insert
		var want []byte
		last := 0
		for at := 0; at <= len(file); at += rng.IntN(40) {
			text := bytes.Repeat([]byte{'X'}, rng.IntN(4)) // empty inserts too
			ins = append(ins, insert{int64(at), text})
			want = append(append(want, file[last:at]...), text...)
			last = at
		}
		want = append(want, file[last:]...)
		s := newSpliced(bytes.NewReader(file), ins)
		if got := s.size(int64(len(file))); got != int64(len(want)) {
			t.Fatalf("size %d, want %d", got, len(want))
		}
		r := io.NewSectionReader(s, 0, s.size(int64(len(file))))
		all, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(all, want) {
			t.Fatalf("read %q (%v), want %q", all, err, want)
		}
		for range 20 {
			off := rng.IntN(len(want) + 1)
			n := rng.IntN(len(want) - off + 1)
			got := make([]byte, n)
			if _, err := r.ReadAt(got, int64(off)); err != nil && err != io.EOF {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want[off:off+n]) {
				t.Fatalf("[%d:%d] = %q, want %q", off, off+n, got, want[off:off+n])
			}
		}
	}
}

// BenchmarkSplicedManyInserts reads a module with 40,000 rewritten
// imports, which once took a second: each read now finds its place by
// binary search.
func BenchmarkSplicedManyInserts(b *testing.B) {
	file := bytes.Repeat([]byte("import './dep.js';\n"), 40000)
	ins := make([]insert, 0, 40000)
	for i := range 40000 {
		ins = append(ins, insert{int64(i*19 + 16), []byte("?t=1")})
	}
	s := newSpliced(bytes.NewReader(file), ins)
	b.SetBytes(s.size(int64(len(file))))
	for b.Loop() {
		io.Copy(io.Discard, io.NewSectionReader(s, 0, s.size(int64(len(file)))))
	}
}
