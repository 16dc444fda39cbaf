package devserver

import (
	"fmt"
	"net/http/httptest"
	"testing"
)

// BenchmarkRouteMatch is the cost routes add to each request: finding
// the route of a path, with 1 and 10 routes, for a path that one owns
// (the deepest of ten, last in the table's order of a bare list) and for
// one that none does (a file, which every request for a file pays).
func BenchmarkRouteMatch(b *testing.B) {
	for _, n := range []int{1, 10} {
		var pairs []string
		for i := range n {
			pairs = append(pairs, fmt.Sprintf("/svc%d/", i), fmt.Sprintf("http://127.0.0.1:%d/v1/", 3000+i))
		}
		rt := table(b, pairs...)
		for _, c := range []struct{ name, path string }{
			{"routed", fmt.Sprintf("/svc%d/users/7?x=1", n-1)},
			{"file", "/css/site.css"},
		} {
			r := httptest.NewRequest("GET", c.path, nil)
			b.Run(fmt.Sprintf("routes=%d/%s", n, c.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, ok := rt.match(r); ok != (c.name == "routed") {
						b.Fatal("wrong match")
					}
				}
			})
		}
	}
}
