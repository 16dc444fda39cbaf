//go:build freebsd || openbsd || netbsd || dragonfly

package main

import "github.com/hotserve/hotserve/devserver/certs"

// caStores are the NSS databases, and the system's store, which hotserve
// does not write on the BSDs: each has its own way.
func caStores(home string) []caStore {
	return append([]caStore{manualStore{}}, nssStores(home)...)
}

// manualStore is a system store hotserve cannot write: each step says what
// to do by hand.
type manualStore struct{}

func (manualStore) name() string { return "system store" }

func (manualStore) has(ca *certs.CA) (bool, error) {
	return false, cannot("hotserve cannot read this system's store; check it by hand")
}

func (manualStore) add(ca *certs.CA) error {
	return cannot("hotserve does not write this system's store; add %s by hand (FreeBSD: sudo cp it to /usr/local/etc/ssl/certs/ and run sudo certctl rehash)", ca.CertPath())
}

func (manualStore) remove(ca *certs.CA) error {
	return cannot("hotserve does not write this system's store; remove the hotserve local CA by hand")
}
