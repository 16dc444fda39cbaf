package devserver

import (
	"log/slog"
	"math"
	"net/http"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// modules is what hotserve knows of the ES modules it served: how the
// browser fetched each file, which modules and pages import it, and which
// version of it the tabs should import (README: "Hot module replacement").
//
// A module's importers come from two places: the imports written in the
// modules hotserve served (see scanModule), which name every importer even
// when the browser fetched the module once for all of them, and the
// Referer of each module request, which also names a page's entry module
// and what a bare specifier resolved to through an import map.
//
// Versions make a hot update reach the module map. The browser keeps one
// instance per URL, so the new version of a module, and of every module on
// the way from it up to the one that accepts it, must be imported under a
// new URL, "/x.js?t=EPOCH". hotserve rewrites the imports of the modules it
// serves to match: an import of a module on the way of update EPOCH, in a
// module fetched for that update (…?t=EPOCH), carries ?t=EPOCH, and any
// other import carries the version of its module as of that update (the
// newest for a module fetched for none), so a module loaded later shares
// the instance an update made, and an update that a tab applies late
// does not pick up a module a later update changed, which that later
// update replaces itself.
//
// Everything here comes from requests and files any page can make hotserve
// read, so it is bounded: past maxModules paths or maxModuleBytes it
// forgets them all, says so once, and from then on a module edit reloads
// the tabs, as it always could.
type modules struct {
	log    *slog.Logger
	mu     sync.Mutex
	nodes  map[string]*moduleNode // URL path → what is known of it
	bytes  int                    // what the nodes hold, roughly
	rounds [maxRounds]round       // the last hot updates, by epoch % maxRounds
	lost   bool                   // nodes were forgotten: importers may be missing
	// maps are the import maps of the pages served, by URL path, and
	// mapsGen counts their changes: a scan made under other maps is
	// made again (see scanned).
	maps    map[string]importMap
	mapsGen int
}

// The bounds on modules: several times a large app's modules.
const (
	maxModules     = 8192
	maxModuleBytes = 8 << 20
	// maxImporters caps the modules that import one module, and
	// maxPageImporters the pages: an SPA's entry module is imported by
	// every route it was opened at, and one page is enough to know that
	// the walk ends there.
	maxImporters     = 1024
	maxPageImporters = 16
	// maxRounds is how many recent updates a tab may still import fresh
	// URLs for; a tab is a few milliseconds behind, not 32 saves.
	maxRounds = 32
	// maxHotReach caps the modules one update may walk through, and
	// maxHotChanged the modules it may change (a git checkout, a whole
	// build): more, and the tabs reload instead.
	maxHotReach   = 4096
	maxHotChanged = 100
)

// How a file was fetched, as bits of moduleNode.fetched.
const (
	asModule    = 1 << iota // a JavaScript module script
	asJSON                  // a JSON module
	asOtherwise             // a classic script, a worker, fetch(): a change must reload
)

// moduleNode is one URL path.
type moduleNode struct {
	fetched int
	// cssModule is set once a module hotserve served imports it with
	// {type: "css"}: the browser's fetch of a CSS module script looks
	// like that of a <link crossorigin>.
	cssModule bool
	importers map[string]struct{} // modules
	pages     map[string]struct{} // pages, at most maxPageImporters
	full      bool                // more than maxImporters: the importers are not all known
	// versions are the epochs of the updates that made a new version of
	// this module (changed it, imported it fresh, or pruned it), the last
	// maxRounds+1, ascending: imports of it carry ?t=version (see
	// versionAt).
	versions []int64
	// scan is that of the version of the file whose ETag is etag, made
	// under the import maps of generation gen.
	etag string
	gen  int
	scan *moduleScan
}

// round is one hot update: the modules that must be imported fresh for it.
type round struct {
	epoch int64
	paths map[string]bool
}

func newModules(log *slog.Logger) *modules {
	return &modules{log: log, nodes: make(map[string]*moduleNode), maps: make(map[string]importMap)}
}

// node returns the node of p, made if new; the caller holds mu.
func (m *modules) node(p string) *moduleNode {
	n, ok := m.nodes[p]
	if !ok {
		n = &moduleNode{importers: make(map[string]struct{}), pages: make(map[string]struct{})}
		m.nodes[p] = n
		m.grow(nodeBytes + len(p))
	}
	return n
}

// grow counts by more bytes, and forgets everything past the bounds.
func (m *modules) grow(by int) {
	m.bytes += by
	if len(m.nodes) <= maxModules && m.bytes <= maxModuleBytes {
		return
	}
	clear(m.nodes)
	m.bytes = 0
	if !m.lost {
		m.lost = true
		m.log.Warn("hotserve stopped replacing ES modules in place: more modules, or longer paths, than it keeps track of (8,192 files, 8 MiB); module edits reload the tabs until hotserve restarts")
	}
}

// addImporter records that from, a module (or a page, when page is set),
// imports p; the caller holds mu.
func (m *modules) addImporter(p, from string, page bool) {
	n := m.node(p)
	set, max := n.importers, maxImporters
	if page {
		set, max = n.pages, maxPageImporters
	}
	if _, ok := set[from]; ok || n.full || from == p {
		return
	}
	if len(set) == max {
		n.full = !page
		return
	}
	set[from] = struct{}{}
	m.grow(edgeBytes + len(from))
}

// fetchKind is how r asks for a file, by the Fetch metadata browsers send:
// asModule or asJSON for a module's import (mode cors), asOtherwise for
// any other script or data fetch, and 0 when r says nothing (a tool like
// curl) or fetches a stylesheet (a <link>, an @import, or a CSS module
// script, told apart by its importer; see moduleNode.cssModule).
func fetchKind(r *http.Request) int {
	dest, mode := r.Header.Get("Sec-Fetch-Dest"), r.Header.Get("Sec-Fetch-Mode")
	switch {
	case dest == "" || dest == "style":
		return 0
	case mode == "cors" && dest == "script":
		return asModule
	case mode == "cors" && dest == "json":
		return asJSON
	}
	return asOtherwise
}

// mayBeModule reports whether the file name is one a page can import:
// only these are recorded, so that a page's fonts, images and fetched
// data never fill modules.
func mayBeModule(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".js", ".mjs", ".json", ".css":
		return true
	}
	return false
}

// fetchedAs records that the file at URL path p was fetched as kind, with
// from (a page's or a module's URL path, or "") as referrer.
func (m *modules) fetchedAs(p string, kind int, from string) {
	if kind == 0 || len(p) > maxPathLen || !mayBeModule(p) {
		return
	}
	if k := fileKind(p); kind == asOtherwise && k == kindStyle {
		return // fetched for its text: refreshed in place all the same
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.node(p)
	n.fetched |= kind
	if from != "" && kind != asOtherwise {
		in, ok := m.nodes[from]
		m.addImporter(p, from, !ok || in.fetched&asModule == 0) // a page, or a classic script
	}
}

// scanned returns the cached scan of the module at p for the file version
// etag, or nil, and the generation of the import maps a new scan is made
// under.
func (m *modules) scanned(p, etag string) (*moduleScan, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := m.nodes[p]; ok && n.etag == etag && n.gen == m.mapsGen {
		return n.scan, m.mapsGen
	}
	return nil, m.mapsGen
}

// remember keeps sc, the scan of version etag of the module at p made
// under the import maps of generation gen, and records p as an importer
// of the modules it imports.
func (m *modules) remember(p, etag string, gen int, sc *moduleScan) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rememberLocked(p, etag, gen, sc)
}

// rememberLocked is remember; the caller holds mu.
func (m *modules) rememberLocked(p, etag string, gen int, sc *moduleScan) {
	n := m.node(p)
	if n.scan != nil {
		m.bytes -= n.scan.bytes
	}
	n.etag, n.gen, n.scan = etag, gen, sc
	m.grow(sc.bytes)
	for t := range sc.links {
		m.addImporter(t, p, false)
	}
	for _, t := range sc.css {
		m.node(t).cssModule = true
	}
}

// learnImportMap keeps the import maps of the page at URL path doc, as
// its bytes have them, for the bare specifiers of its modules.
func (m *modules) learnImportMap(doc string, page []byte) {
	im, ok := importMapOf(doc, page)
	m.mu.Lock()
	defer m.mu.Unlock()
	old, had := m.maps[doc]
	switch {
	case !ok && !had:
		return
	case !ok:
		delete(m.maps, doc)
	case had && reflect.DeepEqual(old, im):
		return
	default:
		if len(m.maps) >= maxImportMaps && !had {
			clear(m.maps)
		}
		m.maps[doc] = im
	}
	m.mapsGen++
}

// resolveBare returns the URL path the bare specifier spec names under
// the pages' import maps, when every map that maps it agrees, and whether
// each does by a prefix key (see importMap.resolve).
func (m *modules) resolveBare(spec string) (p string, viaPrefix, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	viaPrefix = true
	for _, im := range m.maps {
		q, prefix, found := im.resolve(spec)
		switch {
		case !found:
			continue
		case ok && q != p:
			return "", false, false
		}
		p, ok, viaPrefix = q, true, viaPrefix && prefix
	}
	return p, viaPrefix && ok, ok
}

// versions returns what the imports of the module at p, fetched for
// update epoch (0 for none), should carry: the version to import each
// target at, 0 for as written. A target on the way of that update is
// imported fresh for it, and p, if on the way, is now at that version.
func (m *modules) versions(p string, epoch int64, targets []string) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var r *round
	if epoch > 0 {
		if c := &m.rounds[epoch%maxRounds]; c.epoch == epoch && c.paths[p] {
			r = c
			m.node(p).newVersion(epoch)
		}
	}
	asOf := int64(math.MaxInt64)
	if r != nil {
		asOf = epoch
	}
	vs := make([]int64, len(targets))
	for i, t := range targets {
		switch n, ok := m.nodes[t]; {
		case t == "" || (ok && n.cssModule):
		case r != nil && r.paths[t]:
			vs[i] = epoch
		case ok:
			vs[i] = n.versionAt(asOf)
		}
	}
	return vs
}

// newVersion records that update epoch made a new version of n.
func (n *moduleNode) newVersion(epoch int64) {
	if k := len(n.versions); k > 0 && n.versions[k-1] >= epoch {
		return
	}
	n.versions = append(n.versions, epoch)
	if len(n.versions) > maxRounds+1 {
		n.versions = slices.Delete(n.versions, 0, 1)
	}
}

// versionAt is the version of n as of update asOf: the newest made by it
// or before it, 0 for the file as first served.
func (n *moduleNode) versionAt(asOf int64) int64 {
	for i := len(n.versions) - 1; i >= 0; i-- {
		if n.versions[i] <= asOf {
			return n.versions[i]
		}
	}
	return 0
}

// hotChange is what modules makes of a batch of changed paths for a hot
// update: the modules and CSS module scripts among them, and the importers
// to walk.
type hotChange struct {
	modules, styles []string
	importers       map[string][]string
	opaque          []string // see importersOf
}

// hot returns the hot update for the changed URL paths, and ok false when
// one of them is not a module every tab loaded as one (a classic script, a
// worker's, data a script fetches, a file no module imported), or its
// importers are not all known: then the tabs reload. A source map, a
// <link> stylesheet and an image are left to the rest of the update.
func (m *modules) hot(paths []string) (c hotChange, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range paths {
		n, known := m.nodes[p]
		if !known {
			n = &moduleNode{}
		}
		switch kind := fileKind(p); {
		case strings.HasSuffix(p, ".map"):
			// Written with its module by a build; only the developer
			// tools read it.
		case n.cssModule:
			c.styles = append(c.styles, p)
		case kind == kindStyle || kind == kindImage:
			// Refreshed as css-update does.
		case n.fetched&asOtherwise == 0 && n.fetched&(asModule|asJSON) != 0:
			c.modules = append(c.modules, p)
		default:
			return hotChange{}, false
		}
	}
	if len(c.modules) > maxHotChanged || (m.lost && len(c.modules) > 0) {
		return hotChange{}, false
	}
	if c.importers, c.opaque, ok = m.importersOf(c.modules); !ok {
		return hotChange{}, false
	}
	return c, len(c.modules)+len(c.styles) > 0
}

// importersOf returns who imports each of the modules, and each module
// that imports one, up to the pages, and the opaque modules among them:
// those that import one on the way by a specifier hotserve cannot rewrite
// (one an exact import map key maps, or a computed import()), which would
// get the old version again if they were imported fresh. They may accept
// the change as a dependency, but neither accept it themselves nor pass it
// on; their importers are listed, not walked, so that the page knows
// which fresh import would run one again. A classic script that
// imports one (import() works there too) is among the pages: it cannot
// accept, nor be imported again. ok is false when a file that was also
// fetched otherwise imports one, when one has more importers than are
// kept, or there are too many to walk. The caller holds mu.
func (m *modules) importersOf(modules []string) (importers map[string][]string, opaque []string, ok bool) {
	importers = make(map[string][]string)
	todo := slices.Clone(modules)
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if _, done := importers[p]; done {
			continue
		}
		n := m.nodes[p]
		if n.full || len(importers) == maxHotReach {
			return nil, nil, false
		}
		for from := range n.importers {
			in := m.nodes[from]
			switch {
			case in == nil || in.fetched&asOtherwise != 0 || in.fetched&asModule == 0:
				return nil, nil, false
			case !in.scanImports()[p]:
				opaque = append(opaque, from)
			default:
				todo = append(todo, from)
			}
		}
		importers[p] = n.importerList()
	}
	for _, o := range opaque {
		importers[o] = m.nodes[o].importerList()
	}
	slices.Sort(opaque)
	return importers, slices.Compact(opaque), true
}

// importerList is who imports n, pages and modules, sorted.
func (n *moduleNode) importerList() []string {
	list := make([]string, 0, len(n.importers)+len(n.pages))
	for from := range n.pages {
		list = append(list, from)
	}
	for from := range n.importers {
		list = append(list, from)
	}
	slices.Sort(list)
	return list
}

// scanImports is the module paths the module imports, as last scanned.
func (n *moduleNode) scanImports() map[string]bool {
	if n == nil || n.scan == nil {
		return nil
	}
	return n.scan.imports
}

// begin records hot update epoch before any tab hears of it: the changed
// modules are at epoch from now on, and the modules on the way from them
// up to the pages (c's importers that are modules) are imported fresh by a
// module fetched for it. It returns the modules the changed ones import no
// more and nothing else imports (prune), given their scans as they are on
// disk now, which it keeps for the tabs' imports of them.
func (m *modules) begin(epoch int64, c hotChange, scans map[string]diskScan) (prune []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := round{epoch: epoch, paths: make(map[string]bool, len(c.importers))}
	for p := range c.importers {
		r.paths[p] = true
	}
	m.rounds[epoch%maxRounds] = r
	for _, p := range c.modules {
		n := m.node(p)
		n.newVersion(epoch)
		ds, ok := scans[p]
		if !ok {
			continue
		}
		var before map[string]bool
		if n.scan != nil {
			before = n.scan.links
		}
		for t := range before {
			if tn, ok := m.nodes[t]; ok && !ds.sc.links[t] {
				delete(tn.importers, p)
				if len(tn.importers) == 0 && len(tn.pages) == 0 && !tn.full {
					// Imported again later, it runs again, as a new module.
					tn.newVersion(epoch)
					prune = append(prune, t)
				}
			}
		}
		m.rememberLocked(p, ds.etag, ds.gen, ds.sc)
	}
	slices.Sort(prune)
	return prune
}

// epochOf reads the t=EPOCH a hot update puts on the URL of a module it
// imports fresh; 0 when there is none.
func epochOf(r *http.Request) int64 {
	ts := r.URL.Query()["t"]
	if len(ts) == 0 {
		return 0
	}
	t, err := strconv.ParseInt(ts[len(ts)-1], 10, 64) // the client's comes last
	if err != nil || t < 0 {
		return 0
	}
	return t
}
