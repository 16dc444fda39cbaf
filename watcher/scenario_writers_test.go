package watcher

import (
	"fmt"
	"os"
	"path"
	"strconv"
	"time"
)

// doWriter runs the verbs of build tools and long-lived writers:
//
//	write-paced DIR N GAP   # writes DIR/p000.html … one file after another, GAP apart
//	hold-open F TEXT        # creates F, writes TEXT and keeps it open, as a log or a database does
//	append-held F TEXT      # writes TEXT to F through that open file
//	close-held F            # closes it
func (sc *scenario) doWriter(verb string, args []string) error {
	switch verb {
	case "write-paced":
		if len(args) != 3 {
			break
		}
		n, err := strconv.Atoi(args[1])
		if err != nil {
			return err
		}
		gap, err := time.ParseDuration(args[2])
		if err != nil {
			return err
		}
		return writePaced(sc.path(args[0]), n, gap)
	case "hold-open":
		if len(args) != 2 {
			break
		}
		f, err := os.OpenFile(sc.path(args[0]), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if sc.held == nil {
			sc.held = make(map[string]*os.File)
		}
		sc.held[args[0]] = f
		_, err = f.WriteString(args[1] + "\n")
		return err
	case "append-held", "close-held":
		f, ok := sc.held[args[0]]
		if !ok {
			return fmt.Errorf("%s is not held open", args[0])
		}
		if verb == "close-held" {
			delete(sc.held, args[0])
			return f.Close()
		}
		_, err := f.WriteString(args[1] + "\n")
		return err
	}
	return fmt.Errorf("unknown verb")
}

// writePaced writes n pages into dir one after another, gap apart, each
// opened, written and closed: a static site generator rendering its pages.
func writePaced(dir string, n int, gap time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		if i > 0 {
			time.Sleep(gap) // the generator's pace, not a wait for the watcher
		}
		page := fmt.Sprintf("<h1>page %d, built %s</h1>\n", i, time.Now().Format(time.RFC3339Nano))
		if err := os.WriteFile(path.Join(dir, fmt.Sprintf("p%03d.html", i)), []byte(page), 0o644); err != nil {
			return err
		}
	}
	return nil
}
