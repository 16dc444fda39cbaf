package devserver

import (
	"net/url"
	"testing"
)

// cookieRulesFor is the rules of a route from prefix to target (prefix ""
// for Proxy.URL, which maps no path), its backend sent Host sent.
func cookieRulesFor(t testing.TB, prefix, target, sent string) cookieRules {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	c := cookieRules{hosts: [2]string{u.Hostname(), hostOnly(sent)}}
	if prefix != "" {
		if c.m, err = newPathMap(0, prefix, u); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestCookieRewrite(t *testing.T) {
	const v1 = "http://127.0.0.1:3000/v1/"
	for _, c := range []struct {
		name, prefix, target, in, want string
		secure                         bool
	}{
		{"the target's path becomes the prefix", "/api/", v1, "sid=1; Path=/v1", "sid=1; Path=/api", false},
		{"a path under the target's goes under the prefix", "/api/", v1, "sid=1; Path=/v1/users/7; HttpOnly", "sid=1; Path=/api/users/7; HttpOnly", false},
		{"the target's path with its slash keeps it", "/api/", v1, "sid=1; Path=/v1/", "sid=1; Path=/api/", false},
		{"a path outside the target's stays", "/api/", v1, "sid=1; Path=/other", "sid=1; Path=/other", false},
		{"a path that only starts like the target's stays", "/api/", v1, "sid=1; Path=/v10", "sid=1; Path=/v10", false},
		{"the root is outside /v1 and stays", "/api/", v1, "sid=1; Path=/", "sid=1; Path=/", false},
		{"attribute names have no case", "/api/", v1, "sid=1; pATh=/v1/x; DOMAIN=127.0.0.1; secure", "sid=1; pATh=/api/x; secure", true},
		{"spaces around a value are kept", "/api/", v1, "sid=1;  Path = /v1/x ;HttpOnly", "sid=1;  Path = /api/x ;HttpOnly", false},
		{"a value with = is left whole", "/api/", v1, "tok=a=b==; Path=/v1", "tok=a=b==; Path=/api", false},
		{"a cookie whose value looks like an attribute is not rewritten", "/api/", v1, "Path=/v1; Max-Age=60", "Path=/v1; Max-Age=60", false},
		{"unknown attributes keep their bytes", "/api/", v1, "sid=1; Path=/v1; Partitioned; Priority=High; SameSite=None; Secure", "sid=1; Path=/api; Partitioned; Priority=High; SameSite=None; Secure", true},
		{"every Path is mapped", "/api/", v1, "sid=1; Path=/v1/a; Path=/v1/b", "sid=1; Path=/api/a; Path=/api/b", false},
		{"a Path that is not absolute is left to the browser", "/api/", v1, "sid=1; Path=v1", "sid=1; Path=v1", false},
		{"an empty Path stays", "/api/", v1, "sid=1; Path=", "sid=1; Path=", false},
		{"a prefix without slash, target root: / is the route", "/api", "http://127.0.0.1:3000/", "sid=1; Path=/", "sid=1; Path=/api", false},
		{"target root: a path under it goes under the prefix", "/api", "http://127.0.0.1:3000/", "sid=1; Path=/x/y", "sid=1; Path=/api/x/y", false},
		{"a route on / maps the target's path to /", "/", v1, "sid=1; Path=/v1", "sid=1; Path=/", false},
		{"a route on / maps under the target's path", "/", v1, "sid=1; Path=/v1/x", "sid=1; Path=/x", false},
		{"a target without a path maps no path", "/api", "http://127.0.0.1:3000", "sid=1; Path=/api/x; Path=/v1", "sid=1; Path=/api/x; Path=/v1", false},
		{"paths are compared escaped", "/api/", "http://127.0.0.1:3000/v%201/", "sid=1; Path=/v%201/x", "sid=1; Path=/api/x", false},

		{"the target's host as Domain goes", "/api/", v1, "sid=1; Domain=127.0.0.1; Path=/v1", "sid=1; Path=/api", false},
		{"a Domain with a leading dot goes too", "/api/", "http://backend.test:3000/v1/", "sid=1; Domain=.Backend.Test", "sid=1", false},
		{"localhost goes", "", "http://127.0.0.1:3000", "sid=1; Domain=localhost; HttpOnly", "sid=1; HttpOnly", false},
		{"a loopback address goes", "", "http://localhost:3000", "sid=1;Domain=127.0.0.1;HttpOnly", "sid=1;HttpOnly", false},
		{"the Host the backend was sent goes", "", "http://10.0.0.2:3000", "sid=1; Domain=api.internal", "sid=1", false},
		{"another domain stays", "", "http://127.0.0.1:3000", "sid=1; Domain=example.com", "sid=1; Domain=example.com", false},
		{"a subdomain of the backend's is another domain", "", "http://backend.test:3000", "sid=1; Domain=x.backend.test", "sid=1; Domain=x.backend.test", false},
		{"an empty Domain stays", "", "http://127.0.0.1:3000", "sid=1; Domain=", "sid=1; Domain=", false},
		{"Proxy.URL maps no path", "", "http://127.0.0.1:3000/v1/", "sid=1; Path=/v1; Domain=127.0.0.1", "sid=1; Path=/v1", false},
		{"a cookie without attributes stays", "/api/", v1, "sid=1", "sid=1", false},
		{"a Domain last goes with its ;", "/api/", v1, "sid=1; Path=/v1; Domain=127.0.0.1", "sid=1; Path=/api", false},
		{"Secure is kept and said", "", "http://127.0.0.1:3000", "sid=1; Secure", "sid=1; Secure", true},
		{"a value named secure is not the attribute", "", "http://127.0.0.1:3000", "secure=1", "secure=1", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, secure := cookieRulesFor(t, c.prefix, c.target, "api.internal:3000").rewrite(c.in)
			if got != c.want || secure != c.secure {
				t.Errorf("rewrite(%q)\nhave: %q secure=%v\nwant: %q secure=%v", c.in, got, secure, c.want, c.secure)
			}
		})
	}
}

func TestCookieRewriteLeavesUnchangedValuesUncopied(t *testing.T) {
	c := cookieRulesFor(t, "/api/", "http://127.0.0.1:3000/v1/", "127.0.0.1:3000")
	in := "sid=1; Path=/other; Domain=example.com; HttpOnly"
	if n := testing.AllocsPerRun(100, func() { c.rewrite(in) }); n != 0 {
		t.Errorf("rewrite of a cookie with nothing to change: %v allocations, want 0", n)
	}
}
