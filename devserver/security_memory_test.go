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
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// hotserveProc is the real hotserve program, running.
type hotserveProc struct {
	cmd    *exec.Cmd
	addr   string
	output *syncbuf.Buffer
}

// runHotserve starts the hotserve program (built without the race
// detector, whose shadow memory would swamp what is measured) on a free
// loopback port serving dir with args, and waits until it answers.
func runHotserve(t *testing.T, dir string, args ...string) *hotserveProc {
	t.Helper()
	bin := testenv.Build(t, "github.com/hotserve/hotserve/cmd/hotserve")
	_, port, _ := net.SplitHostPort(testenv.FreeAddr(t))
	p := &hotserveProc{output: new(syncbuf.Buffer), addr: "127.0.0.1:" + port}
	p.cmd = exec.Command(bin, append([]string{"--port", port, "--strict-port"}, append(args, dir)...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.output, p.output
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { p.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
			p.cmd.Process.Kill() // Windows has no interrupt to send
		}
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + p.addr + "/"); err == nil {
			resp.Body.Close()
			return p
		}
		select {
		case <-exited:
			t.Fatalf("hotserve exited before it answered:\n%s", p.output)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("hotserve did not answer on %s within 30s:\n%s", p.addr, p.output)
		}
	}
}

// flood sends n requests to addr, over a few kept-alive connections,
// made by req from their number, and reads every response.
func flood(t *testing.T, addr string, n int, req func(i int) string) {
	t.Helper()
	const conns = 4
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	for c := range conns {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(60 * time.Second))
			br := bufio.NewReader(conn)
			for i := c; i < n; i += conns {
				if _, err := io.WriteString(conn, req(i)); err != nil {
					errs <- err
					return
				}
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					errs <- fmt.Errorf("request %d: %w", i, err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// rounds sends two rounds of n requests that req makes from the round
// (1, 2) and their number to the running hotserve p, and returns its
// resident memory in KiB before and after each.
func rounds(t *testing.T, p *hotserveProc, what string, n int, req func(round, i int) string) (before int, after [2]int) {
	t.Helper()
	pid := p.cmd.Process.Pid
	before = rssKB(t, pid)
	for r := range after {
		flood(t, p.addr, n, func(i int) string { return req(r+1, i) })
		after[r] = rssKB(t, pid)
	}
	t.Logf("%s: VmRSS %d kB before, %d kB after round 1 (%+d), %d kB after round 2 (%+d)", what, before, after[0], after[0]-before, after[1], after[1]-after[0])
	return before, after
}

// TestSecurityMemoryFromRequests sends the real hotserve program rounds
// of 1,000 unique paths of about 60 KB each, as other sites' pages send
// them, and a LAN client that forges our own Referer: what hotserve keeps
// of them, measured as its resident memory, stays within a few MB and does
// not grow on a second round.
func TestSecurityMemoryFromRequests(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("skipped on %s: resident memory is read from /proc/PID/status, on Linux only", runtime.GOOS)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>site</title><p>hi"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := runHotserve(t, dir)
	const n = 1000
	// The ways a page of another site names itself, or hides: its Referer
	// (the origin only, by default), an Origin alone (a fetch with
	// referrerpolicy no-referrer), and Fetch Metadata on localhost.
	foreign := []string{
		"Referer: http://evil.example/\r\n",
		"Origin: http://evil.example\r\n",
		"Referer: http://evil.example/attack.html\r\nOrigin: http://evil.example\r\nSec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: image\r\n",
	}
	crossSite := func(round, i int) string {
		path := fmt.Sprintf("/r%d/%d/%s", round, i, strings.Repeat("a", 60<<10))
		return "GET " + path + " HTTP/1.1\r\nHost: " + p.addr + "\r\n" + foreign[i%len(foreign)] + "\r\n"
	}
	// Round 0 makes the heap as big as such requests make it.
	flood(t, p.addr, n, func(i int) string { return crossSite(0, i) })
	before, after := rounds(t, p, "cross-site", n, crossSite)
	// Each round moves 60 MB through the server, and where the collector
	// happens to be in its cycle moves the resident size by a MB or two
	// either way; what kept them grew it by 117 MB a round. So the bound
	// is on each round and on the two together: no round's worth is kept.
	for r, kb := range after {
		if grow := kb - before; grow > 4<<10 {
			t.Errorf("after round %d of 1,000 cross-site paths of 60 KB hotserve grew by %d kB, want under 4 MB", r+1, grow)
		}
	}

	// A LAN client can send any Referer: paths just under the length cap,
	// each an edge from the page hotserve served at /. What deps keeps of
	// them is bounded (one page's edges: about 2 MB), and is live heap,
	// which the collector lets grow to twice its size before it runs: the
	// bound is on both rounds, not on the second alone.
	before, after = rounds(t, p, "forged Referer", n, func(round, i int) string {
		path := fmt.Sprintf("/f%d/%d/%s", round, i, strings.Repeat("b", maxPathLen-32))
		return "GET " + path + " HTTP/1.1\r\nHost: " + p.addr + "\r\nReferer: http://" + p.addr + "/\r\n\r\n"
	})
	for r, kb := range after {
		if grow := kb - before; grow > 8<<10 {
			t.Errorf("after round %d of 1,000 forged edges of 2 KB hotserve grew by %d kB, want under 8 MB", r+1, grow)
		}
	}
}
