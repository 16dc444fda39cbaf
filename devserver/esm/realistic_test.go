package esm

import (
	"os"
	"testing"
)

// Whole modules as they are written and as bundlers emit them: every
// import is found, and nothing in their strings, templates, regular
// expressions and comments is.
func TestScanRealistic(t *testing.T) {
	cases := []struct {
		file string
		want []imp
	}{
		{"lit-element.js", []imp{
			{"lit", ""}, {"lit/decorators.js", ""}, {"./counter.css", "type=css"},
			{"./config.json", "type=json"}, {"./utils.js", ""}, {"./format.js", ""},
			{"./types.js", ""}, {"./locale/en.js", "dynamic"}, {"./lazy.js", "dynamic"},
		}},
		{"preact-app.js", []imp{
			{"https://esm.sh/preact@10.19.2", ""}, {"https://esm.sh/preact@10.19.2/hooks", ""},
			{"https://esm.sh/htm@3.1.1", ""}, {"./components/header.js", ""}, {"./polyfills.js", ""},
			{"./analytics.js", "dynamic"},
		}},
		{"bundle.min.js", []imp{
			{"./chunk-3F2A.js", ""}, {"./vendor.js", ""}, {"./c.js", ""},
			{"./lazy-9QK.js", "dynamic"}, {"./re.js", ""},
		}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			check(t, string(src), c.want...)
		})
	}
}
