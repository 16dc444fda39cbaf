package main

import (
	"crypto/sha1"
	"encoding/hex"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// caStores: on macOS, Safari, Chrome and Edge read the keychain; Firefox
// reads it too for authorities trusted by the user (security.enterprise_roots,
// on by default since Firefox 120).
func caStores(home string) []caStore {
	return []caStore{keychainStore{file: filepath.Join(home, "Library", "Keychains", "login.keychain-db")}}
}

// keychainStore is the user's login keychain, written with security(1).
// Trusting a root there asks for the user's password in a dialog, which
// is macOS's own safeguard.
type keychainStore struct{ file string }

func (s keychainStore) name() string { return "login keychain (security add-trusted-cert)" }

func (s keychainStore) has(ca *certs.CA) (bool, error) {
	err := exec.Command("security", "verify-cert", "-c", ca.CertPath(), "-L", "-p", "ssl").Run()
	return err == nil, nil
}

func (s keychainStore) add(ca *certs.CA) error {
	_, err := runTool("security", "add-trusted-cert", "-r", "trustRoot", "-p", "ssl", "-k", s.file, ca.CertPath())
	return err
}

func (s keychainStore) remove(ca *certs.CA) error {
	if _, err := runTool("security", "remove-trusted-cert", ca.CertPath()); err != nil {
		return err
	}
	sum := sha1.Sum(ca.Cert.Raw) // security(1) names certificates by SHA-1
	_, err := runTool("security", "delete-certificate", "-Z", strings.ToUpper(hex.EncodeToString(sum[:])), s.file)
	return err
}
