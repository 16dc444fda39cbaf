package main

import (
	"errors"
	"net"
	"testing"
)

func TestAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = net.Listen("tcp4", ln.Addr().String())
	if err == nil || !addrInUse(err) {
		t.Errorf("listening on a taken port: %v; want it recognised as in use", err)
	}
	// 192.0.2.1 is TEST-NET-1, an address of no machine.
	_, err = net.Listen("tcp4", "192.0.2.1:0")
	if err == nil || addrInUse(err) {
		t.Errorf("listening on an address not of this machine: %v; want an error other than in use", err)
	}
	if addrInUse(errors.New("address already in use")) {
		t.Error("an error that only reads like one was taken for in use")
	}
}

// A taken port moves listen to the next free one, and --strict-port
// refuses.
func TestListenMovesOffTakenPort(t *testing.T) {
	taken, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	ln, moved, err := listen("127.0.0.1", port, false)
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ln.Close()
	if ln.Addr().(*net.TCPAddr).Port == port || moved == "" {
		t.Errorf("listen on taken port %d: got %v, moved %q", port, ln.Addr(), moved)
	}
	if _, _, err := listen("127.0.0.1", port, true); err == nil {
		t.Errorf("listen --strict-port on taken port %d succeeded", port)
	}
}
