package devserver

import (
	"reflect"
	"testing"
)

func TestParseStack(t *testing.T) {
	cases := []struct {
		name, stack string
		want        []frame
	}{
		{"chromium", "TypeError: x is undefined\n    at start (http://127.0.0.1:8080/js/app.js:12:5)\n    at http://127.0.0.1:8080/js/app.js:20:1",
			[]frame{{Fn: "start", URL: "http://127.0.0.1:8080/js/app.js", Line: 12, Col: 5}, {URL: "http://127.0.0.1:8080/js/app.js", Line: 20, Col: 1}}},
		{"chromium async and new", "Error: a\n    at async load (http://h/a.js:1:2)\n    at new Widget (http://h/w.js:3:4)",
			[]frame{{Fn: "load", URL: "http://h/a.js", Line: 1, Col: 2}, {Fn: "Widget", URL: "http://h/w.js", Line: 3, Col: 4}}},
		{"chromium eval", "Error: e\n    at eval (eval at run (http://h/a.js:7:3), <anonymous>:1:1)",
			[]frame{{Fn: "eval", URL: "http://h/a.js", Line: 7, Col: 3}}},
		{"firefox", "start@http://127.0.0.1:8080/js/app.js:12:5\n@http://127.0.0.1:8080/js/app.js:20:1\n",
			[]frame{{Fn: "start", URL: "http://127.0.0.1:8080/js/app.js", Line: 12, Col: 5}, {URL: "http://127.0.0.1:8080/js/app.js", Line: 20, Col: 1}}},
		{"safari", "start@http://h/js/app.js:12:5\nglobal code@http://h/js/app.js:20:1\nmodule code@http://h/m.js:2:3",
			[]frame{{Fn: "start", URL: "http://h/js/app.js", Line: 12, Col: 5}, {Fn: "global code", URL: "http://h/js/app.js", Line: 20, Col: 1}, {Fn: "module code", URL: "http://h/m.js", Line: 2, Col: 3}}},
		{"a port in the URL and no column", "f@http://h:8080/a.js:9", []frame{{Fn: "f", URL: "http://h:8080/a.js", Line: 9}}},
		{"not frames", "Error: mail me@host:25\n[native code]\nat nothing", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if have := parseStack(c.stack); !reflect.DeepEqual(have, c.want) {
				t.Errorf("have %+v\nwant %+v", have, c.want)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		var stack string
		for range 1000 {
			stack += "f@http://h/a.js:1:1\n"
		}
		if n := len(parseStack(stack)); n != maxFrames {
			t.Errorf("%d frames, want %d", n, maxFrames)
		}
	})
}
