package devserver

import (
	"bytes"
	"fmt"
	"testing"
)

// TestBaselinesAreBounded: the pages kept for baselines stay within their
// count and their bytes, the oldest go first, and a page seen again is
// kept as the newest.
func TestBaselinesAreBounded(t *testing.T) {
	var b baselines
	for i := range baselineCount {
		b.keep(fmt.Sprint(i), []byte{byte(i)})
	}
	b.keep("0", []byte{0}) // served again: the newest now
	b.keep("new", []byte{1})
	if len(b.pages) != baselineCount || len(b.order) != baselineCount {
		t.Fatalf("%d pages (%d in order), want %d", len(b.pages), len(b.order), baselineCount)
	}
	if _, ok := b.page("0"); !ok {
		t.Error("a page served again was dropped as if it were old")
	}
	if _, ok := b.page("1"); ok {
		t.Error("the oldest page was kept")
	}

	big := bytes.Repeat([]byte("x"), baselineBytes/3)
	for i := range 4 {
		b.keep(fmt.Sprint("big", i), big)
	}
	if b.size > baselineBytes {
		t.Errorf("%d bytes kept, over the %d budget", b.size, baselineBytes)
	}
	if _, ok := b.page("big3"); !ok {
		t.Error("the newest page was dropped")
	}
	b.keep("huge", make([]byte, baselineBytes+1))
	if _, ok := b.page("huge"); ok {
		t.Error("a page over the whole budget was kept")
	}
}
