package devserver

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/websocket"
)

// guard decides, before anything is routed, whether a request may be
// answered at all. Three checks, each against one known attack on dev
// servers (see SECURITY.md):
//
//   - Host must be a name of this server: a page on attacker.example whose
//     DNS entry is switched to 127.0.0.1 (DNS rebinding) sends its own name,
//     so it is refused even though the browser thinks it is same-origin.
//   - A WebSocket handshake that carries an Origin must come from one of our
//     own pages (cross-site WebSocket hijacking; "null" is not ours), and
//     the live-reload and status ones must present the per-process token
//     that only the pages we served hold.
//   - A script or stylesheet that another site loads with <script src> or
//     <link> (no-cors, so the browser sends no Origin) is refused, since it
//     would run in or style that site's page (source theft).
//
// It also sets the headers that keep other sites out by default:
// Cross-Origin-Resource-Policy, nosniff, and CORS only for listed origins.
type guard struct {
	hosts   []string // Security.AllowedHosts, lower case
	origins []string // Security.CORSOrigins
	// allowHint is Security.AllowHint or its default.
	allowHint func(host string) string
	token     string
}

// Security holds the settings that weaken or tune what SECURITY.md
// promises. Its zero value keeps every promise.
type Security struct {
	// AllowedHosts are more names this server answers to (a LAN name such
	// as "mybox.lan"), besides localhost, *.localhost, loopback addresses
	// and the address a request arrived on. A request for any other Host is
	// refused with 403, so a page whose DNS name is re-pointed at this
	// machine (DNS rebinding) reads nothing. Default: none.
	AllowedHosts []string
	// CORSOrigins are origins ("http://localhost:3000") whose pages may
	// read responses with fetch: each gets Access-Control-Allow-Origin for
	// itself, never "*" and never with credentials. Matched exactly.
	// Default: none, and no CORS headers at all.
	CORSOrigins []string
	// Dotfiles serves dotfiles (.env, .git/) and key files (*.pem, *.key,
	// id_rsa, …) and lists them. Default: false, they are not found.
	Dotfiles bool
	// FollowSymlinks serves what symbolic links point at even outside Root.
	// Default: false, such links are not found.
	FollowSymlinks bool
	// AllowHint says, in the 403 page for a Host that is not one of this
	// server's names, how to allow that name (host, without port) if it is
	// the person's own: a command names its flag here.
	// Default: "add it to the allowed hosts".
	AllowHint func(host string) string
}

// newGuard checks the security fields of cfg.
func newGuard(cfg Security, token string) (*guard, error) {
	g := &guard{token: token, origins: cfg.CORSOrigins, allowHint: cfg.AllowHint}
	if g.allowHint == nil {
		g.allowHint = func(string) string { return "add it to the allowed hosts" }
	}
	for _, h := range cfg.AllowedHosts {
		name, ok := hostName(h)
		if !ok || name == "" || strings.ContainsAny(name, "/*@ ") {
			return nil, &ConfigError{Field: "Security.AllowedHosts", Value: strconv.Quote(h), Problem: "is not a host name; give a name such as mybox.lan or an address such as 192.168.1.5, without scheme, port or path"}
		}
		g.hosts = append(g.hosts, name)
	}
	for _, o := range cfg.CORSOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil || strings.Contains(u.Host, "*") {
			return nil, &ConfigError{Field: "Security.CORSOrigins", Value: strconv.Quote(o), Problem: "is not an origin; give scheme, host and port only, such as http://localhost:3000 (every origin must be listed; there is no wildcard)"}
		}
	}
	return g, nil
}

// admit answers the request itself and returns false when it must not go
// further: a foreign Host, a refused WebSocket handshake, a cross-site
// script load, or a CORS preflight.
func (g *guard) admit(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if !g.hostAllowed(r) {
		name := r.Host
		if n, ok := hostName(r.Host); ok && n != "" {
			name = n
		}
		refuse(w, http.StatusForbidden, fmt.Sprintf("403 forbidden: hotserve does not answer to the host %q (this guards against DNS rebinding); if that name is yours, %s", r.Host, g.allowHint(name)))
		return false
	}
	// The LiveReload socket checks its own origins (liveReloadOrigin):
	// pages of other servers on this machine and browser extensions are
	// what it is for.
	if websocket.IsWebSocketUpgrade(r) && r.Header.Get("Origin") != "" && r.URL.Path != liveReloadPath {
		if !g.ownOrigin(r) {
			refuse(w, http.StatusForbidden, fmt.Sprintf("403 forbidden: a page from another origin (%q) may not open a WebSocket to hotserve", r.Header.Get("Origin")))
			return false
		}
		if tokenSocket(r.URL.Path) && subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("t")), []byte(g.token)) != 1 {
			refuse(w, http.StatusForbidden, "403 forbidden: the hotserve token is missing or out of date; reload the page to get the current one")
			return false
		}
	}
	if crossSiteScript(r) {
		refuse(w, http.StatusForbidden, "403 forbidden: another site tried to load this as a script or stylesheet; hotserve serves those only to its own pages")
		return false
	}
	return g.cors(w, r)
}

// tokenSocket reports whether the socket at path needs the token from a
// browser: the live-reload socket, whose updates say what changed, and
// the status page's, which tells the settings and the open pages.
func tokenSocket(path string) bool {
	return path == prefix+"ws" || path == prefix+"status/ws"
}

// loopbackName reports whether a host name (no port) always means this
// machine: localhost, a subdomain of localhost (RFC 6761), or a loopback
// address.
func loopbackName(name string) bool {
	if name == "localhost" || strings.HasSuffix(name, ".localhost") && len(name) > len(".localhost") {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

// hostAllowed reports whether r.Host (which Go takes from an absolute-form
// request line when there is one, so it is what the client asked for) is a
// name of this server: localhost, a subdomain of localhost (RFC 6761), a
// loopback address, the address the request arrived on, or an allowed host.
// X-Forwarded-Host is never consulted: any client can set it.
func (g *guard) hostAllowed(r *http.Request) bool {
	name, ok := hostName(r.Host)
	if !ok || name == "" {
		return false
	}
	if loopbackName(name) || slices.Contains(g.hosts, name) {
		return true
	}
	ip := net.ParseIP(name)
	if ip == nil {
		return false
	}
	// Listening on all interfaces, the machine's LAN addresses are names
	// of this server too: the one the request arrived on is.
	local, _ := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	return local != nil && local.IP.Equal(ip)
}

// hostName returns the lower-case host name or IP address of a Host value
// ("Example:80" → "example", "[::1]:80" → "::1"), or ok false when it is
// malformed.
func hostName(host string) (name string, ok bool) {
	if strings.HasPrefix(host, "[") || strings.Count(host, ":") == 1 {
		h, port, err := net.SplitHostPort(host)
		if err != nil && strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			h, port, err = host[1:len(host)-1], "", nil // "[::1]" without a port
		}
		if err != nil || strings.Trim(port, "0123456789") != "" {
			return "", false
		}
		if strings.HasPrefix(host, "[") && net.ParseIP(h) == nil {
			return "", false
		}
		host = h
	} else if strings.Contains(host, ":") {
		return "", false // an IPv6 address must be bracketed
	}
	return strings.ToLower(host), true
}

// ownOrigin reports whether the request's Origin is this server as the
// client addressed it: same scheme-default port, host and port as Host.
// "null" (a sandboxed or file: page), another port of the same host, and
// any other site are not ours.
func (g *guard) ownOrigin(r *http.Request) bool {
	u, err := url.Parse(r.Header.Get("Origin"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.User != nil {
		return false
	}
	oname, ook := hostName(u.Host)
	rname, rok := hostName(r.Host)
	if !ook || !rok || oname != rname {
		return false
	}
	defaultPort := map[string]string{"http": "80", "https": "443"}[u.Scheme]
	oport := u.Port()
	if oport == "" {
		oport = defaultPort
	}
	_, rport, err := net.SplitHostPort(r.Host)
	if err != nil {
		// A Host without a port is the default port of whatever scheme
		// the browser used (hotserve behind a TLS proxy, say); a page on
		// another port of the same name is another origin.
		return oport == defaultPort
	}
	return rport == oport
}

// crossSiteScript reports a no-cors load from another site of something
// that would run or style in that site's page. Browsers send these Fetch
// Metadata headers to localhost and https origins; where they do not,
// Cross-Origin-Resource-Policy still keeps the response from the page.
func crossSiteScript(r *http.Request) bool {
	if r.Header.Get("Sec-Fetch-Mode") != "no-cors" {
		return false
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site": // same-site: another port of this host
	default:
		return false
	}
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "script", "style", "xslt", "audioworklet", "paintworklet":
		return true
	}
	return false
}

// cors adds Access-Control-Allow-Origin for a listed origin (never "*",
// never credentials) and answers its preflight requests. It returns false
// when it has answered.
func (g *guard) cors(w http.ResponseWriter, r *http.Request) bool {
	if len(g.origins) == 0 {
		return true
	}
	w.Header().Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if !slices.Contains(g.origins, origin) {
		return true
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
		w.WriteHeader(http.StatusNoContent)
		return false
	}
	return true
}

// refuse answers with a one-line plain-text body. What it echoes from the
// request is quoted by the caller, and nosniff keeps a browser from reading
// it as HTML.
func refuse(w http.ResponseWriter, status int, line string) {
	w.Header().Set("Cache-Control", "no-cache")
	http.Error(w, line, status)
}
