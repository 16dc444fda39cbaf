//go:build !linux && !darwin && !windows && !freebsd && !openbsd && !netbsd && !dragonfly

package main

import "github.com/hotserve/hotserve/devserver/certs"

// caStores: hotserve knows no store of this system.
func caStores(home string) []caStore { return []caStore{unknownStore{}} }

type unknownStore struct{}

func (unknownStore) name() string { return "trust store" }

func (unknownStore) has(*certs.CA) (bool, error) {
	return false, cannot("hotserve knows no trust store on this system")
}

func (unknownStore) add(ca *certs.CA) error {
	return cannot("hotserve knows no trust store on this system; import %s into your browser by hand", ca.CertPath())
}

func (unknownStore) remove(*certs.CA) error {
	return cannot("hotserve knows no trust store on this system; remove the hotserve local CA from your browser by hand")
}
