package devserver

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"testing"
)

// BenchmarkConsoleMessage is what one console message from a page costs
// the server when the page floods: a repeat (folded), and a new line over
// the tab's rate (counted). Neither is printed.
func BenchmarkConsoleMessage(b *testing.B) {
	files, err := newFileServer(Config{Root: b.TempDir()}, "")
	if err != nil {
		b.Fatal(err)
	}
	defer files.Close()
	stack := "Error: flood\n    at f (http://h/js/app.js:12:5)\n    at http://h/js/app.js:20:1"
	frame := func(text string) []byte {
		f, _ := json.Marshal(pageConsole{Type: msgConsole, Level: "error", Kind: "console", Text: text, Stack: stack})
		return f
	}
	for _, c := range []struct {
		name string
		text func(i int) string
	}{
		{"repeat", func(int) string { return "flood" }},
		{"over the rate", func(i int) string { return "flood " + strconv.Itoa(i) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			c0 := newConsole(consoleOptions{level: ConsoleErrors, files: files, log: slog.New(slog.DiscardHandler)})
			t := &tab{send: make(chan []byte, sendBuffer), done: make(chan struct{}), page: "/", host: "h"}
			defer close(t.done)
			frames := make([][]byte, 1000)
			for i := range frames {
				frames[i] = frame(c.text(i))
			}
			for i := range consoleBurst + 1 { // spend the burst
				c0.received(t, frame("burst "+strconv.Itoa(i)))
			}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				c0.received(t, frames[i%len(frames)])
			}
		})
	}
}
