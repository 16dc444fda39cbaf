//go:build linux || freebsd || openbsd || netbsd || dragonfly

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// nssStore is an NSS database, where Chromium (~/.pki/nssdb) and each
// Firefox profile keep the authorities they trust, written with NSS's
// certutil.
type nssStore struct {
	dir, browser string
	// create makes the database if it is missing: Chromium's, which it
	// reads if it is there. A Firefox profile always has its own.
	create bool
}

// nssStores are the NSS databases of home: Chromium's, and every Firefox
// profile's (the deb's and the snap's).
func nssStores(home string) []caStore {
	stores := []caStore{&nssStore{dir: filepath.Join(home, ".pki", "nssdb"), browser: "Chromium, Chrome", create: true}}
	for _, pattern := range []string{".mozilla/firefox/*", "snap/firefox/common/.mozilla/firefox/*"} {
		dbs, _ := filepath.Glob(filepath.Join(home, pattern, "cert9.db"))
		for _, db := range dbs {
			stores = append(stores, &nssStore{dir: filepath.Dir(db), browser: "Firefox"})
		}
	}
	return stores
}

func (s *nssStore) name() string { return "NSS database " + tildePath(s.dir) + " (" + s.browser + ")" }

// nickname names the authority in the database; the fingerprint in it
// tells one authority from the next one made.
func nickname(ca *certs.CA) string {
	return "hotserve local CA " + strings.ReplaceAll(ca.Fingerprint()[:11], ":", "")
}

// certutil finds NSS's tool, or says how to get it.
func certutil() (string, error) {
	path, err := exec.LookPath("certutil")
	if err != nil {
		return "", cannot("certutil is not installed; install it (apt-get install libnss3-tools, dnf install nss-tools, pacman -S nss), then run hotserve trust again")
	}
	return path, nil
}

func (s *nssStore) has(ca *certs.CA) (bool, error) {
	if _, err := os.Stat(filepath.Join(s.dir, "cert9.db")); errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	tool, err := certutil()
	if err != nil {
		return false, err
	}
	_, err = exec.Command(tool, "-L", "-d", "sql:"+s.dir, "-n", nickname(ca)).Output()
	return err == nil, nil
}

func (s *nssStore) add(ca *certs.CA) error {
	tool, err := certutil()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(s.dir, "cert9.db")); errors.Is(err, os.ErrNotExist) && s.create {
		if err := os.MkdirAll(s.dir, 0o700); err != nil {
			return err
		}
		if _, err := runTool(tool, "-N", "-d", "sql:"+s.dir, "--empty-password"); err != nil {
			return err
		}
	}
	// C,, trusts it to vouch for TLS servers only, not for mail or code.
	_, err = runTool(tool, "-A", "-d", "sql:"+s.dir, "-t", "C,,", "-n", nickname(ca), "-i", ca.CertPath())
	return err
}

func (s *nssStore) remove(ca *certs.CA) error {
	tool, err := certutil()
	if err != nil {
		return err
	}
	_, err = runTool(tool, "-D", "-d", "sql:"+s.dir, "-n", nickname(ca))
	return err
}

// tildePath shows a path in the home folder as ~/…, shorter to read.
func tildePath(path string) string {
	home, err := os.UserHomeDir()
	if rel, rerr := filepath.Rel(home, path); err == nil && rerr == nil && filepath.IsLocal(rel) {
		return "~/" + filepath.ToSlash(rel)
	}
	return path
}
