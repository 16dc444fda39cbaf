package devserver

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// importMap is the part of a page's <script type="importmap"> that
// resolves bare specifiers to files of this server ("app/" → "/src/"), so
// that hotserve knows which module a bare import names: the importer of a
// module a hot update changes, and an import it may rewrite.
type importMap struct {
	exact  map[string]string // "lit" → "/node_modules/lit/index.js"
	prefix []mapPrefix       // longest first
}

// mapPrefix is a key ending in "/" and the URL path it maps to.
type mapPrefix struct{ key, path string }

// The bounds on import maps: one page's map of a large app has a few
// hundred entries.
const (
	maxImportMapBytes   = 64 << 10
	maxImportMapEntries = 1024
	maxImportMaps       = 64
)

// resolve returns the URL path the bare specifier spec names, and whether
// it does by a prefix key, so that "?t=N" added to spec stays in what the
// key maps ("app/x.js?t=N" → "/src/x.js?t=N"); a specifier an exact key
// maps would not resolve with it.
func (im importMap) resolve(spec string) (p string, viaPrefix, ok bool) {
	if p, ok := im.exact[spec]; ok {
		return p, false, true
	}
	for _, e := range im.prefix {
		if rest, found := strings.CutPrefix(spec, e.key); found {
			return urlPath(e.path + rest), true, true
		}
	}
	return "", false, false
}

// importMapOf reads the import maps of the page at URL path doc, merged
// as a browser merges several (the first to map a key wins), keeping the
// mappings to files of this server. Scopes and URL-like keys are not
// read: their imports are left as written. It returns false for a page
// with none.
func importMapOf(doc string, page []byte) (importMap, bool) {
	if !bytes.Contains(page, []byte("importmap")) {
		return importMap{}, false
	}
	im := importMap{exact: make(map[string]string)}
	found := false
	for _, text := range importMapScripts(page) {
		var m struct {
			Imports map[string]string `json:"imports"`
		}
		if len(text) > maxImportMapBytes || json.Unmarshal(text, &m) != nil {
			continue
		}
		found = true
		for key, target := range m.Imports {
			p, ok := mappedPath(doc, target)
			_, seen := im.exact[key]
			if !ok || seen || len(im.exact)+len(im.prefix) >= maxImportMapEntries || isURLLike(key) {
				continue
			}
			if strings.HasSuffix(key, "/") {
				if !strings.HasSuffix(p, "/") {
					p += "/"
				}
				if !slices.ContainsFunc(im.prefix, func(e mapPrefix) bool { return e.key == key }) {
					im.prefix = append(im.prefix, mapPrefix{key, p})
				}
				continue
			}
			im.exact[key] = p
		}
	}
	slices.SortFunc(im.prefix, func(a, b mapPrefix) int { return len(b.key) - len(a.key) })
	return im, found
}

// importMapScripts returns the contents of the page's
// <script type="importmap"> elements.
func importMapScripts(page []byte) [][]byte {
	lower := bytes.ToLower(page)
	var out [][]byte
	for at := 0; ; {
		i := bytes.Index(lower[at:], []byte("<script"))
		if i < 0 {
			return out
		}
		i += at
		end := bytes.IndexByte(lower[i:], '>')
		if end < 0 {
			return out
		}
		tag := lower[i : i+end]
		body := i + end + 1
		close := bytes.Index(lower[body:], []byte("</script"))
		if close < 0 {
			return out
		}
		if isImportMapTag(tag) {
			out = append(out, page[body:body+close])
		}
		at = body + close
	}
}

// isImportMapTag reports whether the lowered start tag of a script says
// type=importmap, quoted or not.
func isImportMapTag(tag []byte) bool {
	for _, t := range []string{`type="importmap"`, `type='importmap'`, `type=importmap`} {
		if bytes.Contains(tag, []byte(t)) {
			return true
		}
	}
	return false
}

// mappedPath is the URL path of target, an import map's address,
// resolved against the page at URL path doc; false for another origin.
func mappedPath(doc, target string) (string, bool) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || !isURLLike(target) {
		return "", false
	}
	p := (&url.URL{Path: doc}).ResolveReference(u).Path
	if len(p) > maxPathLen {
		return "", false
	}
	return urlPath(p), true
}

// isURLLike reports whether spec is a path, as import maps and imports
// tell them from bare specifiers: "./", "../" or "/".
func isURLLike(spec string) bool {
	return strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/")
}
