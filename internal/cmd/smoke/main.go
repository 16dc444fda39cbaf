// Command smoke checks a hotserve binary end to end, the way a person meets
// it: it serves the demo site, and a save reaches a connected tab. It is
// how scripts/test proves the binaries it can only run under emulation (a
// windows/amd64 hotserve under Wine, a linux/arm64 one under qemu), and it
// works as well on a native one.
//
// It copies the demo site (testdata/site) to a temporary folder, starts the
// command given after "--" in that folder with "--port 0 --log json ." added,
// and reads the URL from hotserve's "ready" line. Then, as a browser tab
// would, it loads the page and checks that the client script was injected,
// fetches the stylesheet for that page, and opens the live-reload
// WebSocket with the page's token (README.md, "Browser protocol"). It edits
// the stylesheet, waits for css-update and answers it with applied; edits
// the page, waits for live-reload, and checks that the page now shows the
// edit. Every step has
// a deadline; the first failure is printed as one line, after the tail of
// hotserve's output, and the exit status is 1. The command is killed at
// the end.
//
// Usage:
//
//	go run ./internal/cmd/smoke -- /tmp/hotserve
//	go run ./internal/cmd/smoke -- wine64 /tmp/hotserve.exe
//	go run ./internal/cmd/smoke -timeout 2m -- qemu-aarch64-static /tmp/hotserve-arm64
//
// The command's first word may be a relative path; give its other
// arguments as absolute paths, since it runs in the copy of the site.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	site := flag.String("site", "testdata/site", "the demo site to copy and serve")
	timeout := flag.Duration("timeout", time.Minute, "how long hotserve may take to start, and each update to arrive")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: smoke [-site dir] [-timeout d] -- hotserve-command [args...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*site, *timeout, flag.Args()); err != nil {
		fmt.Fprintf(os.Stderr, "smoke: %s: FAIL: %v\n", strings.Join(flag.Args(), " "), err)
		os.Exit(1)
	}
	fmt.Printf("smoke: %s: ok\n", strings.Join(flag.Args(), " "))
}

func run(site string, timeout time.Duration, command []string) error {
	if _, err := os.Stat(filepath.Join(site, "index.html")); err != nil {
		return fmt.Errorf("no demo site in %s: run this from the repository's root, or give -site", site)
	}
	tmp, err := os.MkdirTemp("", "hotserve-smoke-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "site")
	if err := os.CopyFS(dir, os.DirFS(site)); err != nil {
		return fmt.Errorf("copy the demo site: %w", err)
	}
	// The command runs in the site's copy, so a relative path to it must
	// be made absolute first.
	prog := command[0]
	if strings.ContainsRune(prog, filepath.Separator) {
		if prog, err = filepath.Abs(prog); err != nil {
			return err
		}
	} else if prog, err = exec.LookPath(prog); err != nil {
		return err
	}

	hs, err := start(dir, prog, append(command[1:], "--port", "0", "--log", "json", "."))
	if err != nil {
		return err
	}
	defer hs.stop()
	err = check(hs, dir, timeout)
	if err != nil {
		hs.printTail(os.Stderr, 20)
	}
	return err
}

// check runs the steps of the smoke test against a started hotserve.
func check(hs *hotserve, dir string, timeout time.Duration) error {
	base, err := hs.ready(timeout)
	if err != nil {
		return err
	}
	tab, err := openTab(base, timeout)
	if err != nil {
		return err
	}
	defer tab.close()

	css := filepath.Join(dir, "css", "site.css")
	if err := edit(css, "--accent: #e8590c;", "--accent: #2b8a3e;"); err != nil {
		return err
	}
	m, err := tab.await("css-update", "/css/site.css", timeout)
	if err != nil {
		return fmt.Errorf("after saving css/site.css: %w", err)
	}
	if err := tab.applied(m, "swapped"); err != nil {
		return fmt.Errorf("answering css-update: %w", err)
	}

	const mark = "<h1>hotserve smoke test</h1>"
	if err := edit(filepath.Join(dir, "index.html"), "<h1>hotserve demo</h1>", mark); err != nil {
		return err
	}
	if _, err := tab.await("live-reload", "/index.html", timeout); err != nil {
		return fmt.Errorf("after saving index.html: %w", err)
	}
	page, err := tab.load()
	if err != nil {
		return fmt.Errorf("reloading the page: %w", err)
	}
	if !strings.Contains(page, mark) {
		return fmt.Errorf("the reloaded page does not show the saved index.html")
	}
	return nil
}

// edit saves file with old replaced by new, as an editor would.
func edit(file, old, new string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	s := string(b)
	if !strings.Contains(s, old) {
		return fmt.Errorf("%s no longer contains %q; update internal/cmd/smoke", file, old)
	}
	return os.WriteFile(file, []byte(strings.Replace(s, old, new, 1)), 0o644)
}
