package devserver

import (
	_ "embed"
	"html/template"
	"net/http"
	"slices"
)

// caPath is the page a phone opens, in plain HTTP, to get the local
// authority's certificate before it can open anything over HTTPS. It and
// the two files it offers are the only paths answered without TLS when
// Config.HTTPS is set, and all three only ever hold the public
// certificate.
const (
	caPath    = prefix + "ca"
	caPEMPath = prefix + "ca.crt"
	caiOSPath = prefix + "ca.mobileconfig"
)

//go:embed ca.html
var caHTML string

var caPage = template.Must(template.New("ca").Parse(caHTML))

// plainToHTTPS redirects a request that arrived in plain HTTP on a TLS
// server to the same URL with https://, and reports whether it did. The
// redirect is 307, never cached, and no Strict-Transport-Security is ever
// sent: the next project on localhost:8080 may well be plain HTTP.
func (s *Server) plainToHTTPS(w http.ResponseWriter, r *http.Request) bool {
	if !s.cfg.HTTPS || r.TLS != nil || slices.Contains([]string{caPath, caPEMPath, caiOSPath}, r.URL.Path) {
		return false
	}
	u := *r.URL
	u.Scheme, u.Host = "https", r.Host
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, u.String(), http.StatusTemporaryRedirect)
	return true
}

// serveCA answers the authority's page and files, or 404 when there is no
// authority (HTTPS off, or the person's own certificate).
func (s *Server) serveCA(w http.ResponseWriter, r *http.Request) {
	ca := s.cfg.CA
	if ca == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	switch r.URL.Path {
	case caPEMPath:
		w.Header().Set("Content-Type", "application/x-x509-ca-cert")
		w.Header().Set("Content-Disposition", `attachment; filename="hotserve-ca.crt"`)
		w.Write(ca.CertPEM())
	case caiOSPath:
		w.Header().Set("Content-Type", "application/x-apple-aspen-config")
		w.Header().Set("Content-Disposition", `attachment; filename="hotserve-ca.mobileconfig"`)
		w.Write(ca.MobileConfig())
	default:
		next := "https://" + r.Host + "/" // the guard has checked Host
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		caPage.Execute(w, map[string]string{"Fingerprint": ca.Fingerprint(), "Name": ca.Cert.Subject.CommonName, "Next": next,
			"PEM": caPEMPath, "IOS": caiOSPath})
	}
}
