package devserver

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

// table makes the routing table of prefix=target pairs.
func table(t testing.TB, pairs ...string) routeTable {
	t.Helper()
	var rt routeTable
	for i := 0; i < len(pairs); i += 2 {
		u, err := url.Parse(pairs[i+1])
		if err != nil {
			t.Fatal(err)
		}
		m, err := newPathMap(i/2, pairs[i], u)
		if err != nil {
			t.Fatal(err)
		}
		rt = append(rt, route{m: m, p: &proxy{target: u, m: m}})
	}
	rt, err := sortRoutes(rt)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

func TestRouteMatching(t *testing.T) {
	rt := table(t,
		"/api", "http://127.0.0.1:3000",
		"/api/admin/", "http://127.0.0.1:3001/",
		"/v/", "http://127.0.0.1:3002/v1/",
		"/ws", "http://127.0.0.1:3003/socket",
	)
	for _, c := range []struct {
		name, path string
		target     string // "" = no route
		rest       string
	}{
		{"the prefix itself", "/api", "http://127.0.0.1:3000", ""},
		{"under the prefix", "/api/users/7", "http://127.0.0.1:3000", "/users/7"},
		{"/api does not own /api2", "/api2", "", ""},
		{"/api does not own /apix/y", "/apix/y", "", ""},
		{"the longest prefix wins", "/api/admin/x", "http://127.0.0.1:3001/", "/x"},
		{"a slash prefix owns its bare name, to redirect it", "/api/admin", "http://127.0.0.1:3001/", ""},
		{"a bare dir prefix is its own, rest empty", "/v", "", ""},
		{"an encoded letter is the letter", "/%61pi/x", "http://127.0.0.1:3000", "/x"},
		{"an encoded slash is no separator", "/api%2Fx", "", ""},
		{"an encoded slash after the prefix stays encoded", "/api/a%2Fb", "http://127.0.0.1:3000", "/a%2Fb"},
		{"the root is no route's", "/", "", ""},
		{"hotserve's own paths are no route's", "/__hotserve/ws", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", c.path, nil)
			ro, rest, ok := rt.match(r)
			switch {
			case c.target == "" && c.path == "/v":
				// /v/ owns /v only to redirect it: rest is empty.
				if !ok || rest != "" || !ro.m.dir {
					t.Errorf("%s: got ok=%v rest=%q, want the /v/ route with no rest", c.path, ok, rest)
				}
			case c.target == "":
				if ok {
					t.Errorf("%s went to %s, want no route", c.path, ro.p.target)
				}
			case !ok:
				t.Errorf("%s: no route, want %s", c.path, c.target)
			case ro.p.target.String() != c.target || rest != c.rest:
				t.Errorf("%s: %s rest %q, want %s rest %q", c.path, ro.p.target, rest, c.target, c.rest)
			}
		})
	}
}

func TestRoutePrefixReplacement(t *testing.T) {
	for _, c := range []struct {
		name, prefix, target, path, want string
	}{
		{"no path: the path goes as it is", "/api", "http://h:3000", "/api/x", ""},
		{"a path replaces the prefix", "/api/", "http://h:3000/v1/", "/api/x", "/v1/x"},
		{"without slashes", "/api", "http://h:3000/v1", "/api/x", "/v1/x"},
		{"slash prefix, target without", "/api/", "http://h:3000/v1", "/api/x", "/v1/x"},
		{"prefix without slash, target with: no double slash", "/api", "http://h:3000/v1/", "/api/x", "/v1/x"},
		{"the prefix itself is the target's path", "/api", "http://h:3000/v1/", "/api", "/v1/"},
		{"the prefix with its slash", "/api/", "http://h:3000/v1/", "/api/", "/v1/"},
		{"a root target strips the prefix", "/api/", "http://h:3000/", "/api/users/7", "/users/7"},
		{"a root target, the bare prefix", "/api", "http://h:3000/", "/api", "/"},
		{"an encoded slash is kept", "/api/", "http://h:3000/v1/", "/api/a%2Fb", "/v1/a%2Fb"},
		{"an encoded space is kept", "/api/", "http://h:3000/v1/", "/api/a%20b", "/v1/a%20b"},
		{"an encoded target path", "/api/", "http://h:3000/my%20v1/", "/api/x", "/my%20v1/x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt := table(t, c.prefix, c.target)
			r := httptest.NewRequest("GET", c.path, nil)
			ro, _, ok := rt.match(r)
			if !ok {
				t.Fatalf("%s: no route", c.path)
			}
			got := ""
			if p, raw, ok := ro.m.outgoing(r.URL); ok {
				got = (&url.URL{Path: p, RawPath: raw}).EscapedPath()
			}
			if got != c.want {
				t.Errorf("%s via %s=%s: backend path %q, want %q", c.path, c.prefix, c.target, got, c.want)
			}
		})
	}
}

func TestRouteRedirectsComeBackUnderThePrefix(t *testing.T) {
	for _, c := range []struct {
		name, prefix, target, loc, want string
	}{
		{"under the target's path", "/api/", "http://h:3000/v1/", "/v1/login?next=%2F", "/api/login?next=%2F"},
		{"the target's path itself", "/api/", "http://h:3000/v1/", "/v1/", "/api/"},
		{"a root target", "/api", "http://h:3000/", "/login", "/api/login"},
		{"already ours (X-Forwarded-Prefix read)", "/api", "http://h:3000/", "/api/login", "/api/login"},
		{"outside the target's path", "/api/", "http://h:3000/v1/", "/other", "/other"},
		{"no path: as it is", "/api", "http://h:3000", "/login", "/login"},
		{"a fragment", "/api/", "http://h:3000/v1/", "/v1/a#b", "/api/a#b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt := table(t, c.prefix, c.target)
			if got := rt[0].m.localRef(c.loc); got != c.want {
				t.Errorf("Location %q via %s=%s became %q, want %q", c.loc, c.prefix, c.target, got, c.want)
			}
		})
	}
}

func TestRoutePrefixErrors(t *testing.T) {
	u, _ := url.Parse("http://h:3000")
	for _, prefix := range []string{"api", "/__hotserve", "/__hotserve/x", "/a/../b", "/a?b", `/a\b`} {
		if _, err := newPathMap(0, prefix, u); err == nil {
			t.Errorf("prefix %q: no error", prefix)
		}
	}
	m, _ := newPathMap(0, "/api", u)
	if _, err := sortRoutes(routeTable{{m: m}, {m: m}}); err == nil {
		t.Error("two routes on /api: no error")
	}
}
