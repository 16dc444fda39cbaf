package devserver

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hotserve/hotserve/devserver/esm"
)

// modules is what hotserve knows of the ES modules it served: how the
// browser fetched each file, which modules and pages import it, and which
// version of it the tabs should import (README: "Hot module replacement").
//
// A module's importers come from two places: the imports written in the
// modules hotserve served (esm.Scan), which name every importer even when
// the browser fetched the module once for all of them, and the Referer of
// each module request, which also names a page's entry module and what a
// bare specifier resolved to through an import map.
//
// Versions make a hot update reach the module map. The browser keeps one
// instance per URL, so the new version of a module, and of every module on
// the way from it up to the one that accepts it, must be imported under a
// new URL, "/x.js?t=EPOCH". hotserve rewrites the imports of the modules it
// serves to match: an import of a module on the way of update EPOCH, in a
// module fetched for that update (…?t=EPOCH), carries ?t=EPOCH, and any
// other import carries the newest version of its module a tab imported,
// so a module loaded later shares the instance the update made.
//
// Everything here comes from requests and files any page can make hotserve
// read, so it is bounded like deps: past maxModules paths it forgets them
// all, and a module whose importers it lost is one no update can be
// hot-applied to (the page reloads, as it always could).
type modules struct {
	mu     sync.Mutex
	nodes  map[string]*moduleNode // URL path → what is known of it
	rounds [maxRounds]round       // the last hot updates, by epoch % maxRounds
	lost   bool                   // nodes were forgotten: importers may be missing
}

// The bounds on modules: several times a large app's modules.
const (
	maxModules   = 8192
	maxImporters = 1024
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
	asCSS                   // a CSS module script
	asOtherwise             // a classic script, a worker, fetch(): a change must reload
)

// moduleNode is one URL path.
type moduleNode struct {
	fetched   int
	importers map[string]struct{}
	full      bool     // more than maxImporters: the importers are not all known
	imports   []string // the module paths its source imports, as last scanned
	// version is the epoch of the newest version of this module that a
	// tab imported, or of its last change: imports of it carry ?t=version.
	version int64
	// The scan of one version of the file, by its ETag (see scanModule).
	etag    string
	scan    []esm.Import
	targets []string
	hotAt   int
}

// round is one hot update: the modules that must be imported fresh for it.
type round struct {
	epoch int64
	paths map[string]bool
}

func newModules() *modules { return &modules{nodes: make(map[string]*moduleNode)} }

// node returns the node of p, made if new; the caller holds mu.
func (m *modules) node(p string) *moduleNode {
	n, ok := m.nodes[p]
	if !ok {
		if len(m.nodes) >= maxModules {
			clear(m.nodes)
			m.lost = true
		}
		n = &moduleNode{importers: make(map[string]struct{})}
		m.nodes[p] = n
	}
	return n
}

// addImporter records that from imports p; the caller holds mu.
func (m *modules) addImporter(p, from string) {
	n := m.node(p)
	if _, ok := n.importers[from]; ok || n.full || from == p {
		return
	}
	if len(n.importers) == maxImporters {
		n.full = true
		return
	}
	n.importers[from] = struct{}{}
}

// fetchKind is how r asks for a file, by the Fetch metadata browsers send:
// asModule, asJSON or asCSS for a module's import (mode cors), asOtherwise
// for any other script or data fetch, and 0 when r says nothing (a tool
// like curl) or fetches a stylesheet by <link> or @import, which css-update
// refreshes.
func fetchKind(r *http.Request) int {
	dest, mode := r.Header.Get("Sec-Fetch-Dest"), r.Header.Get("Sec-Fetch-Mode")
	switch {
	case dest == "":
		return 0
	case mode == "cors" && dest == "script":
		return asModule
	case mode == "cors" && dest == "json":
		return asJSON
	case mode == "cors" && dest == "style":
		return asCSS
	case dest == "style":
		return 0
	}
	return asOtherwise
}

// fetchedAs records that the file at URL path p was fetched as kind, with
// from (a page's or a module's URL path, or "") as referrer.
func (m *modules) fetchedAs(p string, kind int, from string) {
	if kind == 0 || len(p) > maxPathLen {
		return
	}
	if k := fileKind(p); kind == asOtherwise && (k == kindStyle || k == kindImage) {
		return // fetched for its text or its pixels: refreshed in place all the same
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.node(p)
	n.fetched |= kind
	if from != "" && kind != asOtherwise {
		m.addImporter(p, from)
	}
}

// scanned returns the cached scan of the module at p for the file version
// etag, if there is one (see scanModule).
func (m *modules) scanned(p, etag string) (imps []esm.Import, targets []string, hotAt int, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n, ok := m.nodes[p]
	if !ok || n.etag != etag {
		return nil, nil, -1, false
	}
	return n.scan, n.targets, n.hotAt, true
}

// remember keeps the scan of version etag of the module at p, and records
// it as an importer of the module paths among targets.
func (m *modules) remember(p, etag string, imps []esm.Import, targets []string, hotAt int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.node(p)
	n.etag, n.scan, n.targets, n.hotAt = etag, imps, targets, hotAt
	n.imports = moduleTargets(targets)
	for _, t := range n.imports {
		m.addImporter(t, p)
	}
}

// moduleTargets is the module paths among targets, once each.
func moduleTargets(targets []string) []string {
	var out []string
	for _, t := range targets {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// versions returns what the imports of a module fetched for update epoch
// (0 for none) should carry: the version to import each target at, 0 for
// as written. A target on the way of that update is imported fresh for it,
// and the module fetched for it is now at that version.
func (m *modules) versions(p string, epoch int64, targets []string) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var r *round
	if epoch > 0 {
		if c := &m.rounds[epoch%maxRounds]; c.epoch == epoch {
			r = c
			if n := m.node(p); n.version < epoch {
				n.version = epoch
			}
		}
	}
	vs := make([]int64, len(targets))
	for i, t := range targets {
		if t == "" {
			continue
		}
		if n, ok := m.nodes[t]; ok && n.fetched&asCSS == 0 {
			vs[i] = n.version
		}
		if r != nil && r.paths[t] && vs[i] < epoch {
			vs[i] = epoch
		}
	}
	return vs
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
// importers are not all known: then the tabs reload.
func (m *modules) hot(paths []string) (c hotChange, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range paths {
		fetched := 0
		if n, known := m.nodes[p]; known {
			fetched = n.fetched
		}
		switch kind := fileKind(p); {
		case strings.HasSuffix(p, ".map"):
			// A source map, written with its module by a build: only
			// the developer tools read it.
		case fetched&asCSS != 0:
			c.styles = append(c.styles, p)
		case kind == kindStyle || kind == kindImage:
			// A <link> stylesheet or an image, refreshed as css-update does.
		case fetched&asOtherwise == 0 && fetched&(asModule|asJSON) != 0:
			c.modules = append(c.modules, p)
		default:
			return hotChange{}, false
		}
	}
	if c.importers, c.opaque, ok = m.importersOf(c.modules); !ok {
		return hotChange{}, false
	}
	if len(c.modules) > maxHotChanged || (m.lost && len(c.modules) > 0) {
		return hotChange{}, false
	}
	return c, len(c.modules)+len(c.styles) > 0
}

// importersOf returns who imports each of the modules, and each module
// that imports one, up to the pages, and the opaque modules among them:
// those that import one on the way by a specifier hotserve cannot rewrite
// (a bare one, through the import map, or a computed import()), which
// would get the old version again if they were imported fresh. They may
// accept the change as a dependency, but neither accept it themselves nor
// pass it on, so they also have no known importer. ok is false when a
// classic script or a worker imports one (it keeps the old version), when
// one has more importers than are kept, or there are too many to walk.
// The caller holds mu.
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
		list := make([]string, 0, len(n.importers))
		for from := range n.importers {
			list = append(list, from)
			in, ok := m.nodes[from]
			switch {
			case !ok || in.fetched == 0:
				// A page.
			case in.fetched&asOtherwise != 0 || in.fetched&asModule == 0:
				return nil, nil, false
			case !slices.Contains(in.imports, p):
				opaque = append(opaque, from)
			default:
				todo = append(todo, from)
			}
		}
		slices.Sort(list)
		importers[p] = list
	}
	for _, o := range opaque {
		importers[o] = []string{}
	}
	slices.Sort(opaque)
	return importers, slices.Compact(opaque), true
}

// begin records hot update epoch before any tab hears of it: the changed
// modules are at epoch from now on, and the modules on the way from them
// up to the pages (c's importers that are modules) are imported fresh by a
// module fetched for it. It returns the modules the changed ones import no
// more and nothing else imports (prune), given what they import now.
func (m *modules) begin(epoch int64, c hotChange, now map[string][]string) (prune []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := round{epoch: epoch, paths: make(map[string]bool, len(c.importers))}
	for p := range c.importers {
		r.paths[p] = true
	}
	m.rounds[epoch%maxRounds] = r
	for _, p := range c.modules {
		n := m.node(p)
		n.version = epoch
		imports, ok := now[p]
		if !ok {
			continue
		}
		for _, t := range n.imports {
			if slices.Contains(imports, t) {
				continue
			}
			if tn, ok := m.nodes[t]; ok {
				delete(tn.importers, p)
				if len(tn.importers) == 0 && !tn.full {
					prune = append(prune, t)
				}
			}
		}
		n.imports = imports
		for _, t := range imports {
			m.addImporter(t, p)
		}
	}
	slices.Sort(prune)
	return prune
}

// epochOf reads the t=EPOCH a hot update puts on the URL of a module it
// imports fresh; 0 when there is none.
func epochOf(r *http.Request) int64 {
	t, err := strconv.ParseInt(r.URL.Query().Get("t"), 10, 64)
	if err != nil || t < 0 {
		return 0
	}
	return t
}
