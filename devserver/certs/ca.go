// Package certs is hotserve's local certificate authority and the leaf
// certificates it signs, so that --https works without a warning page, on
// this machine and on a phone that trusts the authority.
//
// The authority is made once per user and kept in the user's data folder
// (internal/userdata: a 0700 folder, 0600 files). Unlike mkcert's, it
// carries X.509 name constraints: it can only vouch for local names
// (localhost, *.local, *.internal, *.test, *.home.arpa) and loopback,
// private and link-local addresses, so a leaked key cannot impersonate a
// real site to a machine that trusts it.
//
// Leaves are made at every start, in memory, and never written anywhere.
package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hotserve/hotserve/internal/userdata"
)

// The authority's files in the user's data folder. KeyFile holds the key
// and the certificate together, so that one atomic write makes both and a
// crash or a second hotserve starting at the same moment can never leave a
// key with another key's certificate. CertFile is the certificate alone,
// public, for the trust stores and for other tools.
const (
	KeyFile  = "ca-key.pem"
	CertFile = "ca.pem"
)

// caLifetime is how long the authority is valid: long, since trusting a
// new one means running hotserve trust again on every device.
const caLifetime = 10 * 365 * 24 * time.Hour

// PermittedDomains are the DNS names the authority may vouch for: each and
// every name below it. None can be a public site: localhost and .test are
// reserved (RFC 6761), .local is mDNS (RFC 6762), .internal is reserved for
// private use (ICANN, 2024) and .home.arpa for home networks (RFC 8375).
var PermittedDomains = []string{"localhost", "local", "internal", "test", "home.arpa"}

// PermittedRanges are the addresses the authority may vouch for: loopback,
// the private ranges and link-local, IPv4 and IPv6.
var PermittedRanges = []string{
	"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
	"::1/128", "fc00::/7", "fe80::/10",
}

// CA is the local certificate authority.
type CA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
	// Dir is the folder its files are in.
	Dir string
}

// Load reads the authority from the user's data folder. One never made
// reads as an error that errors.Is os.ErrNotExist.
func Load() (*CA, error) {
	dir, err := userdata.Dir()
	if err != nil {
		return nil, err
	}
	data, err := userdata.ReadFile(KeyFile)
	if err != nil {
		return nil, err
	}
	ca, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not hotserve's certificate authority (%v); move it away and start again to make a new one", filepath.Join(dir, KeyFile), err)
	}
	ca.Dir = dir
	return ca, nil
}

// LoadOrCreate reads the authority, or makes it the first time (created
// is then true).
func LoadOrCreate() (ca *CA, created bool, err error) {
	ca, err = Load()
	if !errors.Is(err, os.ErrNotExist) {
		return ca, false, err
	}
	if ca, err = newCA(time.Now()); err != nil {
		return nil, false, err
	}
	keyPEM, err := ca.pem()
	if err == nil {
		err = userdata.WriteFile(KeyFile, keyPEM)
	}
	if err == nil {
		err = userdata.WriteFile(CertFile, ca.CertPEM())
	}
	if err != nil {
		return nil, false, err
	}
	// Read back what is on disk: a second hotserve may have written its
	// own at the same moment, and the file is what later runs will use.
	ca, err = Load()
	return ca, err == nil, err
}

// newCA makes an authority valid from now on.
func newCA(now time.Time) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:                serial(),
		Subject:                     pkix.Name{Organization: []string{"hotserve"}, CommonName: "hotserve local CA " + user()},
		NotBefore:                   now.Add(-time.Hour),
		NotAfter:                    now.Add(caLifetime),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true,
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         PermittedDomains,
	}
	for _, r := range PermittedRanges {
		_, n, err := net.ParseCIDR(r)
		if err != nil {
			return nil, err
		}
		tmpl.PermittedIPRanges = append(tmpl.PermittedIPRanges, n)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, key: key}, nil
}

// user names whose authority it is, in its subject, to tell several apart
// in a trust store.
func user() string {
	host, _ := os.Hostname()
	name := os.Getenv("USER")
	if name == "" {
		name = os.Getenv("USERNAME")
	}
	return strings.Trim(name+"@"+host, "@")
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n
}

// pem is the key file: the key, then the certificate.
func (ca *CA) pem() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(ca.key)
	if err != nil {
		return nil, err
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), ca.CertPEM()...), nil
}

// parse reads a key file, checking that its key is its certificate's.
func parse(data []byte) (*CA, error) {
	ca := &CA{}
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			break
		}
		switch b.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, err
			}
			if ca.key, _ = k.(*ecdsa.PrivateKey); ca.key == nil {
				return nil, errors.New("the key is not ECDSA")
			}
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, err
			}
			ca.Cert = c
		}
	}
	if ca.key == nil || ca.Cert == nil {
		return nil, errors.New("a key and a certificate are needed")
	}
	if !ca.key.PublicKey.Equal(ca.Cert.PublicKey) || !ca.Cert.IsCA {
		return nil, errors.New("the certificate is not the key's authority")
	}
	return ca, nil
}

// CertPEM is the authority's certificate, PEM-encoded: public.
func (ca *CA) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// CertPath is where the public certificate is, for the trust stores.
func (ca *CA) CertPath() string { return filepath.Join(ca.Dir, CertFile) }

// Fingerprint is the SHA-256 of the certificate in the colon-separated
// upper-case hex that browsers, iOS and Android show, to compare.
func (ca *CA) Fingerprint() string { return Fingerprint(ca.Cert.Raw) }

// Fingerprint is the SHA-256 of a DER certificate, as browsers show it.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var sb strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(h[i : i+2])
	}
	return sb.String()
}
