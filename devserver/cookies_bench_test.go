package devserver

import "testing"

// BenchmarkCookieRewrite is the cost of one Set-Cookie line through a
// prefix-replacing route: one that is rewritten, and one left as it is.
// A response without Set-Cookie costs one header lookup.
func BenchmarkCookieRewrite(b *testing.B) {
	u := cookieRulesFor(b, "/api/", "http://127.0.0.1:3000/v1/", "127.0.0.1:3000")
	for _, c := range []struct{ name, in string }{
		{"rewritten", "sid=3f9a0c2e7b; Path=/v1; Domain=127.0.0.1; Max-Age=3600; HttpOnly; SameSite=Lax"},
		{"unchanged", "sid=3f9a0c2e7b; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u.rewrite(c.in)
			}
		})
	}
}
