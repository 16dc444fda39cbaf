package certs

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// newTestCA makes an authority in a data folder of its own.
func newTestCA(t *testing.T) *CA {
	t.Helper()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	t.Setenv("LOCALAPPDATA", t.TempDir())
	ca, created, err := LoadOrCreate()
	if err != nil || !created {
		t.Fatalf("LoadOrCreate: created %v, %v", created, err)
	}
	return ca
}

func verify(ca *CA, der []byte, name string) error {
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	_, err = leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots})
	return err
}

func TestLeafVerifiesForEveryName(t *testing.T) {
	ca := newTestCA(t)
	names := []string{"localhost", "127.0.0.1", "::1", "mybox.local", "app.localhost", "api.internal", "site.test", "nas.home.arpa",
		"192.168.1.20", "10.1.2.3", "172.20.0.5", "fe80::1", "fd12::5"}
	c, err := ca.Leaf(names, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if err := verify(ca, c.Certificate[0], n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if err := verify(ca, c.Certificate[0], "other.local"); err == nil {
		t.Error("other.local verified, but the leaf does not name it")
	}
	if life := c.Leaf.NotAfter.Sub(c.Leaf.NotBefore); life > 398*24*time.Hour {
		t.Errorf("leaf valid for %v, more than browsers accept", life)
	}
}

// TestNameConstraintsRefuseRealSites signs, with the authority's own key,
// what Leaf refuses to: a certificate for real sites. Clients must refuse
// it, or a leaked key could impersonate them.
func TestNameConstraintsRefuseRealSites(t *testing.T) {
	ca := newTestCA(t)
	for _, name := range []string{"example.com", "8.8.8.8", "localhost.example.com", "2001:4860:4860::8888"} {
		t.Run(name, func(t *testing.T) {
			if _, err := ca.Leaf([]string{name}, time.Now()); err == nil {
				t.Fatal("Leaf made a certificate for a real site")
			}
			c, err := ca.forceLeaf(name)
			if err != nil {
				t.Fatal(err)
			}
			err = verify(ca, c, name)
			if _, ok := errors.AsType[x509.CertificateInvalidError](err); !ok {
				t.Fatalf("Verify: %v, want a name constraints error", err)
			}
			if !strings.Contains(err.Error(), "constraint") {
				t.Fatalf("Verify: %v, want a name constraints error", err)
			}
		})
	}
}

func TestLoadReadsWhatWasCreated(t *testing.T) {
	ca := newTestCA(t)
	again, created, err := LoadOrCreate()
	if err != nil || created {
		t.Fatalf("second LoadOrCreate: created %v, %v", created, err)
	}
	if again.Fingerprint() != ca.Fingerprint() {
		t.Fatal("a second start made another authority")
	}
	if !ca.Cert.IsCA || ca.Cert.NotAfter.Sub(ca.Cert.NotBefore) < 9*365*24*time.Hour {
		t.Fatalf("authority: IsCA %v, valid %v", ca.Cert.IsCA, ca.Cert.NotAfter.Sub(ca.Cert.NotBefore))
	}
	pub, err := os.ReadFile(ca.CertPath())
	if err != nil || strings.Contains(string(pub), "PRIVATE") {
		t.Fatalf("%s: %v, holds a key: %v", ca.CertPath(), err, strings.Contains(string(pub), "PRIVATE"))
	}
}

func TestFileModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no Unix file modes; the folder is in the user's own %LOCALAPPDATA%")
	}
	ca := newTestCA(t)
	for path, want := range map[string]os.FileMode{ca.Dir: 0o700 | os.ModeDir, filepath.Join(ca.Dir, KeyFile): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
}

func TestBrokenKeyFileSaysWhatToDo(t *testing.T) {
	ca := newTestCA(t)
	if err := os.WriteFile(filepath.Join(ca.Dir, KeyFile), []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadOrCreate()
	if err == nil || !strings.Contains(err.Error(), "move it away") {
		t.Fatalf("LoadOrCreate: %v", err)
	}
}

func TestPermits(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "a.localhost": true, "box.local": true, "LOCALHOST.": true, "192.168.0.1": true, "::1": true,
		"example.com": false, "notlocalhost": false, "local.example.com": false, "8.8.8.8": false, "mybox": false, "100.64.0.1": false,
	} {
		if Permits(host) != want {
			t.Errorf("Permits(%q) = %v, want %v", host, !want, want)
		}
	}
}

func TestMobileConfigHoldsTheCertificateOnly(t *testing.T) {
	ca := newTestCA(t)
	p := string(ca.MobileConfig())
	if !strings.Contains(p, "com.apple.security.root") || strings.Contains(p, "PRIVATE") {
		t.Fatalf("profile:\n%s", p)
	}
}
