package certs

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"
	"text/template"
)

//go:embed profile.mobileconfig
var profileText string

// profile is a plist, XML: MobileConfig escapes the one free text in it,
// the authority's name (it holds the user and host names).
var profile = template.Must(template.New("profile").Parse(profileText))

// MobileConfig is an iOS configuration profile that installs the
// authority's certificate: Safari downloads it, Settings offers to
// install it, and then the person turns on full trust for it (Settings →
// General → About → Certificate Trust Settings). The identifiers derive
// from the fingerprint, so reinstalling replaces rather than duplicates.
func (ca *CA) MobileConfig() []byte {
	hex := strings.ReplaceAll(ca.Fingerprint(), ":", "")
	uuid := func(h string) string {
		return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
	}
	var b bytes.Buffer
	profile.Execute(&b, map[string]string{
		"Cert":     base64.StdEncoding.EncodeToString(ca.Cert.Raw),
		"Name":     template.HTMLEscapeString(ca.Cert.Subject.CommonName),
		"ID":       hex[:32],
		"CertUUID": uuid(hex[:32]),
		"UUID":     uuid(hex[32:]),
	})
	return b.Bytes()
}
