package devserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// writePage writes an HTML page of about n bytes to path, a piece at a
// time.
func writePage(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("<!DOCTYPE html>\n<html><body>\n")
	for written := 0; written < n; {
		k, _ := fmt.Fprintf(w, "<p>paragraph %d of a long page</p>\n", written)
		written += k
	}
	w.WriteString("</body></html>\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// startHotserve runs the real hotserve on root and returns its process
// and base URL.
func startHotserve(t *testing.T, root string) (*os.Process, string) {
	t.Helper()
	cmd := exec.Command(testenv.Build(t, "github.com/hotserve/hotserve/cmd/hotserve"), "--port", "0", root)
	out := new(syncbuf.Buffer)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if u := url.FindString(out.String()); u != "" {
			return cmd.Process, u
		}
		if time.Now().After(deadline) {
			t.Fatalf("hotserve printed no URL within 15s:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

// TestSlowReadersOfBigPagesHoldNoMemory: slow readers of a 100 MB page
// (over the cap: streamed) and of a 15 MiB one (under it: injected) must
// not grow hotserve's resident memory by the pages' size, and it must stay
// flat while they read.
func TestSlowReadersOfBigPagesHoldNoMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("resident memory is read from /proc/PID/status, which %s does not have", runtime.GOOS)
	}
	root := t.TempDir()
	writePage(t, filepath.Join(root, "big.html"), 100e6)
	writePage(t, filepath.Join(root, "mid.html"), 15<<20)
	writePage(t, filepath.Join(root, "index.html"), 1000)
	proc, base := startHotserve(t, root)
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	if _, err := http.Get(base); err != nil {
		t.Fatal(err)
	}
	before := int64(rssKB(t, proc.Pid)) << 10

	const readers = 4 // of each page
	var conns []net.Conn
	var bodies []io.Reader
	for _, target := range []string{"/big.html", "/mid.html"} {
		for range readers {
			conn, resp := open(t, addr, target)
			if resp.StatusCode != 200 {
				t.Fatalf("GET %s: %s", target, resp.Status)
			}
			conns, bodies = append(conns, conn), append(bodies, resp.Body)
		}
	}
	// A trickle of 4 KiB per reader every 100ms: 40 KB/s, slow but live.
	chunk := make([]byte, 4<<10)
	trickle := func(d time.Duration) int64 {
		peak := int64(rssKB(t, proc.Pid)) << 10
		for end := time.Now().Add(d); time.Now().Before(end); {
			for i, body := range bodies {
				conns[i].SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := io.ReadFull(body, chunk); err != nil {
					t.Fatalf("reader %d: %v", i, err)
				}
			}
			peak = max(peak, int64(rssKB(t, proc.Pid))<<10)
			time.Sleep(100 * time.Millisecond) // the trickle's pace
		}
		return peak
	}
	during := trickle(time.Second)
	later := trickle(3 * time.Second)
	t.Logf("hotserve's resident memory: %.1f MiB before, peaks of %.1f MiB in the first second and %.1f MiB in the next three of %d slow readers of a 100 MB page and %d of a 15 MiB one",
		mib(before), mib(during), mib(later), readers, readers)
	// The pages are held only while they are read and scanned, within
	// pageBudget; what the garbage collector has yet to return is on top.
	if grew, most := max(during, later)-before, int64(4*(maxInject+1))+16<<20; grew > most {
		t.Errorf("resident memory grew by %.1f MiB with slow readers of big pages, want under %.1f MiB", mib(grew), mib(most))
	}
	if grew := later - during; grew > 8<<20 {
		t.Errorf("resident memory grew by %.1f MiB while the readers read on, want it flat (under 8 MiB)", mib(grew))
	}
	if resp, err := http.Get(base); err != nil || resp.StatusCode != 200 {
		t.Errorf("GET / with the readers still open: %v %v", resp, err)
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
