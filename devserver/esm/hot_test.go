package esm

import "testing"

func TestReadsHot(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"if (import.meta.hot) import.meta.hot.accept();", true},
		{"import.meta.hot?.accept();", true},
		{"import.meta?.hot?.dispose(() => {});", true},
		{"import /* a */ . meta /* b */ . hot", true},
		{"const url = import.meta.url;", false},
		{"const h = import.meta.hotter;", false},
		{"// import.meta.hot.accept()\nexport {};", false},
		{"/* import.meta.hot */", false},
		{`const s = "import.meta.hot";`, false},
		{"const s = `import.meta.hot`;", false},
		{"const r = /import.meta.hot/;", false},
		{"x.import.meta.hot", false},
		{"import.meta.", false},
		{"import.meta", false},
	}
	for _, c := range cases {
		if got := Scan([]byte(c.src)).ReadsHot; got != c.want {
			t.Errorf("Scan(%q).ReadsHot = %v, want %v", c.src, got, c.want)
		}
	}
}
