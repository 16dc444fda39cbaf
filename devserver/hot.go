package devserver

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/hotserve/hotserve/watcher"
)

// offerHot turns u, a reload or a css-update for batch b, into a hot
// update (a live-reload with hot; README: "Hot module replacement") when
// every changed file is an ES module, a JSON module or a CSS module script
// that the tabs loaded only as one, or a stylesheet or image refreshed in
// place, and at least one is a module. It goes only to the tabs whose page
// loaded a module on the way from a changed one to the pages, since what
// each imports is known; a tab that cannot apply it reloads.
func (s *Server) offerHot(u *update, b watcher.Batch) {
	if s.cfg.NoHMR || u.msg.Morph || (u.msg.Type != msgLiveReload && u.msg.Type != msgCSSUpdate) {
		return
	}
	for _, e := range b.Events {
		if e.Dir || (e.Op != watcher.Write && e.Op != watcher.Create) {
			return // a new, removed or renamed file may change what imports what
		}
	}
	c, ok := s.files.modules().hot(u.msg.Paths)
	if !ok {
		return
	}
	scans := make(map[string]diskScan, len(c.modules))
	for _, p := range c.modules {
		if ds, ok := s.files.scanOnDisk(p); ok {
			scans[p] = ds
		}
	}
	u.msg.Type, u.msg.Reason = msgLiveReload, reason(u.msg.Paths)
	u.all = false
	u.hot, u.scans = &c, scans
	u.reach = slices.Sorted(maps.Keys(c.importers))
}

// buildSources are the extensions of the files a build turns into what
// a browser loads (tsc --watch writes its .ts files' .js and .map, and
// .tsbuildinfo): no browser runs them as they are.
var buildSources = []string{".ts", ".tsx", ".mts", ".cts", ".jsx", ".tsbuildinfo"}

// withoutBuildSources leaves out of b the build sources no tab ever asked
// for, unless there is a backend or a proxy, which may read them: saving
// one changes no page, and the build's output that follows is the update
// (replaced in place where it can be), not a reload before it.
func (s *Server) withoutBuildSources(b watcher.Batch) watcher.Batch {
	if s.sv.rest != nil || len(s.sv.routes) > 0 || len(s.sv.backends) > 0 {
		return b
	}
	b.Events = slices.DeleteFunc(slices.Clone(b.Events), func(e watcher.Event) bool {
		p := strings.ToLower(e.Path)
		return !e.Dir && e.Op != watcher.Rename && slices.ContainsFunc(buildSources, func(ext string) bool { return strings.HasSuffix(p, ext) }) &&
			!s.updates.deps.served("/"+e.Path)
	})
	return b
}

// diskScan is the scan of a module's file as it is on disk now, and what
// modules.remember keeps it by.
type diskScan struct {
	etag string
	gen  int
	sc   *moduleScan
}

// scanOnDisk scans the module at URL path p as it is on disk now: for
// the modules it stopped importing, and kept (see modules.begin) so that
// the tabs' import of its new version is not scanned again.
func (f *fileServer) scanOnDisk(p string) (diskScan, bool) {
	t, name := f.mounted(p)
	lk := t.lookIn(name)
	if lk.err != nil || lk.denied || lk.info == nil || !lk.info.Mode().IsRegular() {
		return diskScan{}, false
	}
	file, err := t.root.Open(lk.rel)
	if err != nil {
		return diskScan{}, false
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || info.Size() > maxInject {
		return diskScan{}, false
	}
	ds := diskScan{etag: fileETag(file, info)}
	if ds.sc, ds.gen = f.modules().scanned(p, ds.etag); ds.sc != nil {
		return ds, true // a tab has fetched it since the save
	}
	ds.sc, err = scanWithin(context.Background(), f.modules(), p, file, info.Size())
	return ds, err == nil
}
