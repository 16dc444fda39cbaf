package devserver

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"testing"
	"time"
)

// TestAssetReaderThatStopsIsCutAndSlowOneFinishes keeps the write
// deadline's promise for a file sent by sendfile (see
// deadlineWriter.ReadFrom), as TestReaderThatStopsIsCutAndSlowOneFinishes
// does for a page.
func TestAssetReaderThatStopsIsCutAndSlowOneFinishes(t *testing.T) {
	root := t.TempDir()
	content := make([]byte, 2<<20)
	rand.Read(content)
	write(t, root, map[string]string{"big.bin": string(content)})
	const idle = time.Second
	s := serveBig(t, root, idle)

	t.Run("a reader that stops is disconnected", func(t *testing.T) {
		conn, resp := open(t, s.addr, "/big.bin")
		if resp.StatusCode != 200 {
			t.Fatalf("GET /big.bin: %s", resp.Status)
		}
		select {
		case <-s.closed:
		case <-time.After(10 * time.Second):
			t.Fatalf("a connection that read nothing for 10s is still open; want it closed after %v", idle)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		n, _ := io.Copy(io.Discard, resp.Body)
		if n >= resp.ContentLength {
			t.Errorf("read all %d bytes after the disconnect, want fewer", n)
		}
	})

	t.Run("a slow but live reader finishes", func(t *testing.T) {
		_, resp := open(t, s.addr, "/big.bin")
		var got bytes.Buffer
		chunk := make([]byte, 16<<10)
		tick := time.NewTicker(20 * time.Millisecond) // 800 KB/s, well under a chunk per idle
		defer tick.Stop()
		for range tick.C {
			n, err := io.ReadFull(resp.Body, chunk)
			got.Write(chunk[:n])
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			} else if err != nil {
				t.Fatalf("after %d bytes: %v", got.Len(), err)
			}
		}
		if !bytes.Equal(got.Bytes(), content) {
			t.Errorf("the slow reader got %d bytes, want the file's %d", got.Len(), len(content))
		}
	})
}
