package devserver_test

import (
	"bufio"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/testenv"
	"github.com/hotserve/hotserve/internal/treegen"
)

// BenchmarkStartToFirstByte times the built hotserve from process start
// to the first byte of its answer for /, on the demo site and on a
// generated tree of 100,000 files in 10,000 folders.
func BenchmarkStartToFirstByte(b *testing.B) {
	bin := testenv.Build(b, "github.com/hotserve/hotserve/cmd/hotserve")
	big := b.TempDir()
	if err := treegen.Generate(big, 100000, 10000); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, root string }{{"demo", "../testdata/site"}, {"100k", big}} {
		b.Run(c.name, func(b *testing.B) {
			var samples []time.Duration
			for b.Loop() {
				samples = append(samples, firstByte(b, bin, c.root))
			}
			report(b, samples)
		})
	}
}

// firstByte starts bin on root and returns how long it took until the
// first byte of an answer to GET / arrived, polling the port every 0.2 ms.
func firstByte(b *testing.B, bin, root string) time.Duration {
	addr := testenv.FreeAddr(b)
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command(bin, "--quiet", "--strict-port", "--port", port, root)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	for deadline := start.Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Microsecond) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			continue
		}
		conn.Write([]byte("GET / HTTP/1.1\r\nHost: " + addr + "\r\n\r\n"))
		line, err := bufio.NewReader(conn).ReadString('\n')
		took := time.Since(start)
		conn.Close()
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
			b.Fatalf("GET / answered %q, %v", line, err)
		}
		return took
	}
	b.Fatalf("%s did not answer within 30s", bin)
	return 0
}
