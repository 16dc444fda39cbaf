package devserver

import "testing"

func TestImportMapResolvesBareSpecifiers(t *testing.T) {
	page := []byte(`<!doctype html><head>
<SCRIPT TYPE=importmap>{"imports": {"app/": "./src/", "app/deep/": "/other/", "lit": "/node_modules/lit/index.js",
  "cdn": "https://cdn.example/x.js", "./local.js": "/elsewhere.js"}}</SCRIPT>
<script type='importmap'>{"imports": {"lit": "/second/lit.js", "more/": "/more/"}}</script>
<script type="importmap">not json</script>
<script type="module">import "app/x.js";</script>`)
	im, ok := importMapOf("/admin/", page)
	if !ok {
		t.Fatal("no import map found")
	}
	cases := []struct {
		spec, want string
		viaPrefix  bool
	}{
		{"app/x.js", "/admin/src/x.js", true}, // relative to the page
		{"app/deep/y.js", "/other/y.js", true},
		{"lit", "/node_modules/lit/index.js", false}, // the first map to map a key wins
		{"more/z.js", "/more/z.js", true},
	}
	for _, c := range cases {
		p, prefix, found := im.resolve(c.spec)
		if !found || p != c.want || prefix != c.viaPrefix {
			t.Errorf("resolve(%q) = %q, %v, %v; want %q, %v", c.spec, p, prefix, found, c.want, c.viaPrefix)
		}
	}
	for _, spec := range []string{"cdn", "./local.js", "unknown"} {
		if p, _, found := im.resolve(spec); found {
			t.Errorf("resolve(%q) = %q; want it left to the browser", spec, p)
		}
	}
	if _, ok := importMapOf("/", []byte(`<p>an importmap is mentioned, not given</p>`)); ok {
		t.Error("a page without <script type=importmap> has an import map")
	}
}

func TestModulesResolveBareOnlyWhereThePagesAgree(t *testing.T) {
	m := newModules(nil)
	m.learnImportMap("/a.html", []byte(`<script type="importmap">{"imports": {"app/": "/src/", "ui": "/ui/a.js"}}</script>`))
	m.learnImportMap("/b.html", []byte(`<script type="importmap">{"imports": {"app/": "/src/", "ui": "/ui/b.js"}}</script>`))
	if p, prefix, ok := m.resolveBare("app/x.js"); !ok || p != "/src/x.js" || !prefix {
		t.Errorf("app/x.js: %q %v %v, want /src/x.js by a prefix", p, prefix, ok)
	}
	if p, _, ok := m.resolveBare("ui"); ok {
		t.Errorf("ui resolves to %q, though the two pages map it apart", p)
	}
	gen := m.mapsGen
	m.learnImportMap("/a.html", []byte(`<script type="importmap">{"imports": {"app/": "/src/", "ui": "/ui/a.js"}}</script>`))
	if m.mapsGen != gen {
		t.Error("the same import map again made the modules scan again")
	}
	m.learnImportMap("/b.html", []byte(`<p>no map now</p>`))
	if m.mapsGen == gen {
		t.Error("a page that dropped its import map did not make the modules scan again")
	}
	if p, _, ok := m.resolveBare("ui"); !ok || p != "/ui/a.js" {
		t.Errorf("ui: %q %v, want /ui/a.js once only a.html maps it", p, ok)
	}
}
