package client

import (
	"strings"
	"testing"
	"testing/fstest"
)

// The files are joined in one function, the starting file last, and a
// folder without it is refused.
func TestJoin(t *testing.T) {
	got, err := join(fstest.MapFS{
		"hotserve.js": {Data: []byte("start();\n")},
		"b.js":        {Data: []byte("function b() {}\n")},
		"a.js":        {Data: []byte("function a() {}\n")},
		"notes.txt":   {Data: []byte("not a part")},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	a, b, start := strings.Index(s, "function a"), strings.Index(s, "function b"), strings.Index(s, "start();")
	if !strings.HasPrefix(s, "(() => {") || !strings.HasSuffix(s, "})();\n") || !(a < b && b < start) || strings.Contains(s, "not a part") {
		t.Errorf("joined script:\n%s", s)
	}
	if _, err := join(fstest.MapFS{"a.js": {Data: []byte("x")}}); err == nil {
		t.Error("a folder without hotserve.js was joined")
	}
}
