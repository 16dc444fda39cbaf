package esm

import (
	"bytes"
	"testing"
	"time"
)

// A file a dev server serves may be anything. Each of these repeats, to a
// megabyte, a fragment that makes a lexer read ahead (an unfinished clause,
// import(, a regular expression to the end of the line, an unclosed
// template or bracket); a scan that went back over what it read would take
// minutes, a linear one takes milliseconds.
func TestScanHostileIsLinear(t *testing.T) {
	fragments := []string{
		"import ", "import {", "import {a,", "import a, {", "import(", "import('a'",
		"import('a',{with:{type:'json'}", "export {", "export * as ", "(/", "/", "`${", "${`",
		"{", "(", "[", "}", ")", "/*", "'", "\"\\", "import.", "import.source(",
		"import x from ", "a, from ", "import\n", "?.", "\u00a0", "\xe2\x80",
	}
	for _, frag := range fragments {
		src := bytes.Repeat([]byte(frag), 1<<20/len(frag))
		start := time.Now()
		Scan(src)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Scan of %d × %q took %v", 1<<20/len(frag), frag, d)
		}
	}
}
