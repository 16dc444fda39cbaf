package backend

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// probe asks whether the backend answers: an HTTP request that gets any
// response, or a TCP connection that is accepted.
type probe struct {
	url    string // http(s) URL, or "" to dial addr
	addr   string // host:port
	client *http.Client
}

// newProbe reads where the backend answers: an http:// or https:// URL, or
// host:port.
func newProbe(target string) (*probe, error) {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
		u, err := url.Parse(target)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("backend: ready URL %q is not a URL; use e.g. http://127.0.0.1:3000/", target)
		}
		return &probe{url: target, addr: u.Host, client: &http.Client{
			// No keep-alive: the next probe may be of a new process.
			Transport: &http.Transport{DisableKeepAlives: true},
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse // a redirect is an answer
			},
		}}, nil
	}
	if _, port, err := net.SplitHostPort(target); err != nil || port == "" {
		return nil, fmt.Errorf("backend: ready address %q is neither a URL nor host:port; use e.g. http://127.0.0.1:3000/ or 127.0.0.1:3000", target)
	}
	return &probe{addr: target}, nil
}

// localPort returns the port the backend listens on when it is on this
// machine, else 0: only a local port can be checked for a holder.
func (p *probe) localPort() int {
	host, port, err := net.SplitHostPort(p.addr)
	if err != nil {
		u, _ := url.Parse(p.url)
		host, port = u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	ip := net.ParseIP(host)
	if host != "localhost" && host != "" && (ip == nil || !(ip.IsLoopback() || ip.IsUnspecified())) {
		return 0
	}
	n, _ := strconv.Atoi(port)
	return n
}

// answers makes one attempt, bounded by timeout.
func (p *probe) answers(ctx context.Context, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if p.url == "" {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", p.addr)
		if err != nil {
			return false
		}
		c.Close()
		return true
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return false
	}
	req.Header.Set("User-Agent", "hotserve readiness probe")
	resp, err := p.client.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return true
}
