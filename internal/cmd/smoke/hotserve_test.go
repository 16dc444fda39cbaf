package main

import (
	"slices"
	"testing"
)

// The ready line is found however the output is cut into writes, with
// Windows line ends too, and only the first one counts.
func TestOutputFindsTheReadyLine(t *testing.T) {
	const text = "hotserve v0.1.0\r\n" +
		`{"msg":"note","url":"http://127.0.0.1:1/"}` + "\n" +
		`{"time":"x","level":"INFO","msg":"ready","url":"http://127.0.0.1:4242/","dirs":5}` + "\r\n" +
		`{"msg":"ready","url":"http://127.0.0.1:9/"}` + "\n" +
		"unfinished"
	for _, size := range []int{1, 2, 7, len(text)} {
		o := newOutput()
		for i := 0; i < len(text); i += size {
			o.Write([]byte(text[i:min(i+size, len(text))]))
		}
		select {
		case url := <-o.url:
			if url != "http://127.0.0.1:4242/" {
				t.Errorf("writes of %d bytes: url %q", size, url)
			}
		default:
			t.Errorf("writes of %d bytes: no ready line found", size)
		}
		lines := o.lines()
		if len(lines) != 5 || lines[0] != "hotserve v0.1.0" || lines[4] != "unfinished" {
			t.Errorf("writes of %d bytes: lines %q", size, lines)
		}
	}
}

func TestOutputWithoutReadyLine(t *testing.T) {
	o := newOutput()
	o.Write([]byte("hotserve: --port 99999 is not a port\n{\"msg\":\"ready\"}\n"))
	select {
	case url := <-o.url:
		t.Errorf("url %q from output without one", url)
	default:
	}
	if got := o.lines(); !slices.Equal(got, []string{"hotserve: --port 99999 is not a port", `{"msg":"ready"}`}) {
		t.Errorf("lines %q", got)
	}
}
