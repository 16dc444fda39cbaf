package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: what is written to master is typed
// on tty.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	var n uint32
	c, _ := master.SyscallConn()
	c.Control(func(fd uintptr) {
		if err = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); err == nil {
			n, err = unix.IoctlGetUint32(int(fd), unix.TIOCGPTN)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close(); tty.Close() })
	return master, tty
}

func TestKeysFromTerminal(t *testing.T) {
	master, tty := openPTY(t)
	stdin := os.Stdin
	os.Stdin = tty
	t.Cleanup(func() { os.Stdin = stdin })
	termios := func() *unix.Termios {
		t.Helper()
		tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
		if err != nil {
			t.Fatal(err)
		}
		return tio
	}

	ctx, quit := context.WithCancel(context.Background())
	defer quit()
	keys, restore := readKeys(ctx, newTerm(io.Discard, "text", false), quit)
	if keys == nil {
		t.Fatal("no keys read from a terminal")
	}
	tio := termios()
	if tio.Lflag&(unix.ICANON|unix.ECHO) != 0 {
		t.Errorf("line editing or echo still on: lflag %#x", tio.Lflag)
	}
	if tio.Lflag&unix.ISIG == 0 || tio.Oflag&unix.OPOST == 0 {
		t.Errorf("signals or output processing turned off: lflag %#x, oflag %#x", tio.Lflag, tio.Oflag)
	}

	master.Write([]byte("r"))
	select {
	case k := <-keys:
		if k != 'r' {
			t.Errorf("read key %q, want 'r'", k)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a key without Enter was not read within 5s")
	}

	// Where Ctrl-C is not a signal (a Windows console in raw mode), it
	// reads as byte 3 and quits.
	tio.Lflag &^= unix.ISIG
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	master.Write([]byte{ctrlC})
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl-C read as a key did not quit within 5s")
	}

	restore()
	if tio := termios(); tio.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG) != unix.ICANON|unix.ECHO|unix.ISIG {
		t.Errorf("terminal mode not restored: lflag %#x", tio.Lflag)
	}
}
