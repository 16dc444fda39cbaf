package main

import (
	"bytes"
	"errors"
	"unsafe"

	"github.com/hotserve/hotserve/devserver/certs"
	"golang.org/x/sys/windows"
)

// caStores: on Windows, Edge, Chrome and Firefox (security.enterprise_roots)
// read the user's Root store.
func caStores(home string) []caStore { return []caStore{rootStore{}} }

// rootStore is the current user's Root certificate store. Adding to it
// makes Windows ask in a dialog, its own safeguard; no administrator
// rights are needed.
type rootStore struct{}

func (rootStore) name() string { return "Windows user Root store" }

// open opens the current user's own Root store: its registry store, not
// the system store's collection, which also shows the machine's roots and
// through which a delete does not reach (seen under Wine: the certificate
// was still there after CertDeleteCertificateFromStore succeeded).
func (rootStore) open() (windows.Handle, error) {
	name, err := windows.UTF16PtrFromString("ROOT")
	if err != nil {
		return 0, err
	}
	return windows.CertOpenStore(windows.CERT_STORE_PROV_SYSTEM_REGISTRY, 0, 0, windows.CERT_SYSTEM_STORE_CURRENT_USER, uintptr(unsafe.Pointer(name)))
}

// find calls f with the store's copy of ca, if any; f owns the context.
func (s rootStore) find(ca *certs.CA, f func(*windows.CertContext) error) (found bool, err error) {
	store, err := s.open()
	if err != nil {
		return false, err
	}
	defer windows.CertCloseStore(store, 0)
	var c *windows.CertContext
	for {
		c, err = windows.CertEnumCertificatesInStore(store, c)
		if err != nil {
			return false, nil // the end of the store
		}
		if bytes.Equal(unsafe.Slice(c.EncodedCert, c.Length), ca.Cert.Raw) {
			dup := windows.CertDuplicateCertificateContext(c)
			windows.CertFreeCertificateContext(c)
			return true, f(dup)
		}
	}
}

func (s rootStore) has(ca *certs.CA) (bool, error) {
	return s.find(ca, windows.CertFreeCertificateContext)
}

func (s rootStore) add(ca *certs.CA) error {
	store, err := s.open()
	if err != nil {
		return err
	}
	defer windows.CertCloseStore(store, 0)
	c, err := windows.CertCreateCertificateContext(windows.X509_ASN_ENCODING|windows.PKCS_7_ASN_ENCODING, &ca.Cert.Raw[0], uint32(len(ca.Cert.Raw)))
	if err != nil {
		return err
	}
	defer windows.CertFreeCertificateContext(c)
	err = windows.CertAddCertificateContextToStore(store, c, windows.CERT_STORE_ADD_NEW, nil)
	if errors.Is(err, windows.Errno(windows.CRYPT_E_EXISTS)) {
		return nil
	}
	if err != nil {
		return cannot("Windows refused to add it (%v); was the dialog declined? Run hotserve trust again", err)
	}
	return nil
}

func (s rootStore) remove(ca *certs.CA) error {
	_, err := s.find(ca, windows.CertDeleteCertificateFromStore)
	return err
}
