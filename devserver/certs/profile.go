package certs

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// MobileConfig is an iOS configuration profile that installs the
// authority's certificate: Safari downloads it, Settings offers to
// install it, and then the person turns on full trust for it (Settings →
// General → About → Certificate Trust Settings). The identifiers derive
// from the fingerprint, so reinstalling replaces rather than duplicates.
func (ca *CA) MobileConfig() []byte {
	hex := strings.ReplaceAll(ca.Fingerprint(), ":", "")
	id := hex[:32]
	uuid := func(h string) string {
		return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
	}
	name := xmlEscape(ca.Cert.Subject.CommonName)
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>PayloadContent</key>
	<array>
		<dict>
			<key>PayloadCertificateFileName</key>
			<string>hotserve-ca.cer</string>
			<key>PayloadContent</key>
			<data>%s</data>
			<key>PayloadDisplayName</key>
			<string>%s</string>
			<key>PayloadIdentifier</key>
			<string>dev.hotserve.ca.%s.cert</string>
			<key>PayloadType</key>
			<string>com.apple.security.root</string>
			<key>PayloadUUID</key>
			<string>%s</string>
			<key>PayloadVersion</key>
			<integer>1</integer>
		</dict>
	</array>
	<key>PayloadDisplayName</key>
	<string>%s</string>
	<key>PayloadDescription</key>
	<string>Lets this device open hotserve's development servers over HTTPS. The authority can only vouch for local names and private addresses.</string>
	<key>PayloadIdentifier</key>
	<string>dev.hotserve.ca.%s</string>
	<key>PayloadType</key>
	<string>Configuration</string>
	<key>PayloadUUID</key>
	<string>%s</string>
	<key>PayloadVersion</key>
	<integer>1</integer>
</dict>
</plist>
`, base64.StdEncoding.EncodeToString(ca.Cert.Raw), name, id, uuid(hex[:32]), name, id, uuid(hex[32:]))
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
