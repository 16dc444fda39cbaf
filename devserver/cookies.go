package devserver

import (
	"cmp"
	"net"
	"net/http"
	"strings"
)

// A backend's cookies are made for the backend's own address. Through
// hotserve the browser is on another host (localhost:8080, not
// 127.0.0.1:3000) and, on a route that replaces its prefix, under another
// path (/api/…, not /v1/…): a cookie with Domain=127.0.0.1 is refused,
// and one with Path=/v1 is never sent back. So the proxy rewrites the
// two attributes, as nginx's proxy_cookie_domain and proxy_cookie_path
// and http-proxy's cookieDomainRewrite and cookiePathRewrite do, and
// leaves every other byte of the header as the backend wrote it
// (net/http's Cookie would drop attributes it does not know, such as
// Partitioned and Priority, and reorder the rest).
//
// Secure is left alone. Chromium (tested) and current Firefox take a
// Secure cookie from http://localhost, a secure context, so the common
// case works over plain HTTP; Safari may not, and every browser on a
// network address drops it. Taking Secure off would send the cookie in
// clear over the network, which the backend asked not to: hotserve says
// once to use --https instead (see warnSecure).

// cookieRules is what one response's Set-Cookie headers are rewritten
// by.
type cookieRules struct {
	m *pathMap // nil: no path is mapped
	// hosts are the backend's names, lower-case and without port: its
	// target's host and the Host it was sent. localhost and loopback
	// addresses are the backend's too.
	hosts [2]string
}

// cookies rewrites the Set-Cookie headers of resp in place, lines being
// resp.Header["Set-Cookie"], and reports whether one of them is Secure.
func (p *proxy) cookies(resp *http.Response, lines []string) (secure bool) {
	sent := cmp.Or(resp.Request.Host, resp.Request.URL.Host)
	c := cookieRules{m: p.m, hosts: [2]string{strings.ToLower(p.target.Hostname()), strings.ToLower(hostOnly(sent))}}
	for i, v := range lines {
		var s bool
		lines[i], s = c.rewrite(v)
		secure = secure || s
	}
	return secure
}

// hostOnly is host without its port, and without the brackets of an
// IPv6 address.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.Trim(host, "[]")
}

// rewrite maps one Set-Cookie value: a Path under the target's path goes
// under the route's prefix, a Domain naming the backend is taken out (the
// cookie is then the host's that the browser is on). Attributes are split
// at ";" as browsers split them (RFC 6265 section 5.2), their names
// compared without case and their values trimmed; the cookie's own
// name=value, which may hold "=", is never touched. A value with nothing
// to rewrite is returned as it is, without a copy.
func (c cookieRules) rewrite(v string) (string, bool) {
	var out []byte // nil until something changes
	last, secure := 0, false
	for i := strings.IndexByte(v, ';'); i >= 0 && i < len(v); {
		end := len(v)
		if j := strings.IndexByte(v[i+1:], ';'); j >= 0 {
			end = i + 1 + j
		}
		name, val, valAt := attribute(v, i+1, end)
		switch {
		case strings.EqualFold(name, "secure"):
			secure = true
		case strings.EqualFold(name, "path"):
			if to, ok := c.m.cookiePath(val); ok && to != val {
				if out == nil {
					out = make([]byte, 0, len(v)+len(to))
				}
				out = append(append(out, v[last:valAt]...), to...)
				last = valAt + len(val)
			}
		case strings.EqualFold(name, "domain"):
			if c.backendDomain(val) {
				if out == nil {
					out = make([]byte, 0, len(v))
				}
				out = append(out, v[last:i]...) // the ";" and the attribute go
				last = end
			}
		}
		i = end
	}
	if out == nil {
		return v, secure
	}
	return string(append(out, v[last:]...)), secure
}

// attribute splits the attribute v[from:to] into its name and value, both
// trimmed of spaces and tabs, and where in v the value starts.
func attribute(v string, from, to int) (name, val string, valAt int) {
	a := v[from:to]
	n, rest, _ := strings.Cut(a, "=")
	name = strings.Trim(n, " \t")
	val = strings.TrimLeft(rest, " \t")
	valAt = to - len(val)
	return name, strings.TrimRight(val, " \t"), valAt
}

// backendDomain reports whether a Domain attribute's value names the
// backend: its target's host, the Host it was sent, localhost or a
// loopback address. A leading "." is ignored, as browsers ignore it.
func (c cookieRules) backendDomain(d string) bool {
	d = strings.TrimPrefix(d, ".")
	if d == "" {
		return false // browsers ignore an empty Domain; so do we
	}
	if strings.EqualFold(d, "localhost") || strings.EqualFold(d, c.hosts[0]) || strings.EqualFold(d, c.hosts[1]) {
		return true
	}
	if d[0] != ':' && (d[0] < '0' || d[0] > '9') {
		return false // not an address: spare ParseIP the error it allocates
	}
	ip := net.ParseIP(d)
	return ip != nil && ip.IsLoopback()
}

// cookiePath maps a cookie's Path p under the target's path to the same
// path under the route's prefix: with /api/=…/v1/, /v1 is /api, /v1/ is
// /api/ and /v1/x is /api/x; /v1x and / are not the target's and stay.
// Paths are compared as sent, escaped, as browsers compare them. With a
// target of "/", the backend's root is the whole route: / becomes /api.
func (m *pathMap) cookiePath(p string) (string, bool) {
	if m == nil || !m.replace || !strings.HasPrefix(p, "/") {
		return p, false // a Path not starting with "/" is ignored by browsers
	}
	rest, ok := strings.CutPrefix(p, m.toEsc)
	if !ok || rest != "" && rest[0] != '/' {
		return p, false
	}
	if m.toEsc == "" && rest == "/" {
		rest = ""
	}
	return cmp.Or(m.baseEsc+rest, "/"), true
}

// warnSecure says, once per proxy, that a browser on plain HTTP at a
// name other than localhost or a loopback address drops the Secure cookie
// the backend just set, and what to do. in is the outgoing request,
// whose X-Forwarded-* rewrite set from the browser's.
func (p *proxy) warnSecure(in *http.Request) {
	host := hostOnly(in.Header.Get("X-Forwarded-Host"))
	if in.Header.Get("X-Forwarded-Proto") != "http" || loopbackName(strings.ToLower(host)) || p.secureWarned.Swap(true) {
		return
	}
	p.log.Warn("the backend set a Secure cookie, which a browser on plain http:// drops everywhere but localhost; run hotserve with --https", "host", host, "path", in.URL.Path)
}
