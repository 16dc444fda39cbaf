package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hotserve/hotserve/devserver/certs"
)

// caStores are where Linux browsers look: the system's store (curl, Go,
// Chrome's own verifier reads NSS though) and the NSS databases.
func caStores(home string) []caStore {
	return append([]caStore{systemStore{}}, nssStores(home)...)
}

// systemStore is the system's list of authorities, through the distro's
// own tool: Debian's update-ca-certificates with its
// /usr/local/share/ca-certificates, or p11-kit's trust anchor (Fedora,
// Arch). Both need root; as another user the step prints the command.
type systemStore struct{}

func (systemStore) name() string {
	if _, err := exec.LookPath("update-ca-certificates"); err == nil {
		return "system store (update-ca-certificates)"
	}
	return "system store (trust anchor)"
}

// debianFile is where update-ca-certificates takes local authorities from.
func debianFile(ca *certs.CA) string {
	return filepath.Join("/usr/local/share/ca-certificates", strings.ReplaceAll(nickname(ca), " ", "-")+".crt")
}

func (systemStore) has(ca *certs.CA) (bool, error) {
	if _, err := exec.LookPath("update-ca-certificates"); err == nil {
		data, err := os.ReadFile(debianFile(ca))
		return err == nil && bytes.Equal(data, ca.CertPEM()), nil
	}
	if _, err := exec.LookPath("trust"); err == nil {
		out, err := exec.Command("trust", "list", "--filter=ca-anchors").Output()
		return err == nil && bytes.Contains(out, []byte("label: "+ca.Cert.Subject.CommonName+"\n")), err
	}
	return false, cannot("neither update-ca-certificates nor trust (p11-kit) is installed; add %s to the system's authorities by hand", ca.CertPath())
}

func (s systemStore) add(ca *certs.CA) error {
	if _, err := exec.LookPath("update-ca-certificates"); err == nil {
		return asRoot([][]string{{"cp", ca.CertPath(), debianFile(ca)}, {"update-ca-certificates"}})
	}
	if _, err := exec.LookPath("trust"); err == nil {
		return asRoot([][]string{{"trust", "anchor", "--store", ca.CertPath()}})
	}
	_, err := s.has(ca)
	return err
}

func (s systemStore) remove(ca *certs.CA) error {
	if _, err := exec.LookPath("update-ca-certificates"); err == nil {
		return asRoot([][]string{{"rm", "-f", debianFile(ca)}, {"update-ca-certificates", "--fresh"}})
	}
	if _, err := exec.LookPath("trust"); err == nil {
		return asRoot([][]string{{"trust", "anchor", "--remove", ca.CertPath()}})
	}
	_, err := s.has(ca)
	return err
}

// asRoot runs cmds when hotserve runs as root, and otherwise says what to
// run with sudo: hotserve never asks for a password itself.
func asRoot(cmds [][]string) error {
	var lines []string
	for _, c := range cmds {
		lines = append(lines, commandLine(c[0], c[1:]))
	}
	if os.Geteuid() != 0 {
		return cannot("the system store needs root; run: sudo sh -c %s", shellWord(strings.Join(lines, " && ")))
	}
	var errs []error
	for _, c := range cmds {
		if _, err := runTool(c[0], c[1:]...); err != nil {
			errs = append(errs, err)
			break
		}
	}
	return errors.Join(errs...)
}
