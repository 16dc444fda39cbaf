package devserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver/esm"
)

// hotPrefix gives a module that reads import.meta.hot its hot context
// from the client (client/hot.js), or undefined where the page has none,
// so that code guarded by `if (import.meta.hot)` runs the same as from
// any other server. It joins the module's first line, so no line moves.
const hotPrefix = "import.meta.hot=globalThis.__hotserve?.hot?.(import.meta);"

// moduleVary names the request headers that decide whether a script is
// served as a module (with the prefix and the versions of its imports) or
// as a classic script, byte for byte.
const moduleVary = "Sec-Fetch-Dest, Sec-Fetch-Mode"

// isModuleSource reports whether the file name is JavaScript that a page
// may import.
func isModuleSource(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".js" || ext == ".mjs"
}

// noteFetch records how r fetched the file name (see modules.fetchedAs)
// and returns that kind.
func (f *fileServer) noteFetch(r *http.Request, name string) int {
	kind := fetchKind(r)
	if kind != 0 {
		from, ours := referrer(r)
		if ours {
			f.modules().fetchedAs(urlPath(f.url(name)), kind, from)
		}
	}
	return kind
}

// modules is the root's record of the modules served, shared by its
// mounts.
func (f *fileServer) modules() *modules {
	if f.top != nil {
		return f.top.mods
	}
	return f.mods
}

// serveModule serves the open JavaScript file name to a module import: as
// it is, unless it reads import.meta.hot (then it gets hotPrefix) or it
// imports a module a hot update replaced (then that import carries the
// version to load). The file is read and scanned once per save (see
// modules.scanned); what is sent streams from the file with the inserts
// spliced in, and its ETag names the file's version and the inserts.
func (f *fileServer) serveModule(w http.ResponseWriter, r *http.Request, name string, file *os.File, info fs.FileInfo) {
	h := w.Header()
	h.Add("Vary", moduleVary)
	h.Set("Content-Type", contentType(name, file))
	etag := fileETag(file, info)
	p := urlPath(f.url(name))
	mods := f.modules()
	sc, gen := mods.scanned(p, etag)
	if sc == nil && info.Size() <= maxInject {
		var err error
		if sc, err = scanWithin(r.Context(), mods, p, file, info.Size()); err != nil {
			if r.Context().Err() == nil {
				f.fail(w, r, name, err)
			}
			return
		}
		mods.remember(p, etag, gen, sc)
	}
	var ins []insert
	if sc != nil {
		ins = sc.inserts(mods.versions(p, epochOf(r), sc.targets))
	}
	if len(ins) == 0 {
		h.Set("ETag", etag)
		http.ServeContent(w, r, name, info.ModTime(), file)
		return
	}
	// No Last-Modified: the file's time does not change with the versions
	// of its imports, so only the ETag may answer 304.
	h.Set("ETag", insertsETag(etag, ins))
	s := newSpliced(file, ins)
	http.ServeContent(w, r, name, time.Time{}, io.NewSectionReader(s, 0, s.size(info.Size())))
}

// maxModuleImports caps the imports of one module that hotserve keeps and
// rewrites; a module with more (no real one has thousands) is served with
// its imports as written, and hot updates cannot pass through it.
const maxModuleImports = 4096

// moduleScan is what serving a module needs of one version of its file.
type moduleScan struct {
	imps    []esm.Import
	targets []string        // for each of imps, the module path it names where "?t=N" may be added, or ""
	imports map[string]bool // the module paths among targets
	links   map[string]bool // the module paths it imports, those among targets and those an exact import map key names
	css     []string        // those imported as CSS module scripts
	hotAt   int             // where hotPrefix goes, or -1 (see prefixAt)
	bytes   int             // roughly what it holds, for modules' bound
}

// scanWithin reads the first size bytes of file and scans them as the
// module at URL path p, within pageBudget, which the pages share: the
// bytes and the scan are held only meanwhile.
func scanWithin(ctx context.Context, mods *modules, p string, file io.ReaderAt, size int64) (*moduleScan, error) {
	if err := pageBudget.Acquire(ctx, size+1); err != nil {
		return nil, err
	}
	defer pageBudget.Release(size + 1)
	buf := make([]byte, size)
	n, err := io.ReadFull(io.NewSectionReader(file, 0, size), buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return scanModule(p, buf[:n], mods.resolveBare), nil
}

// scanModule scans the source of the module at URL path p: its imports,
// the module path each names (a path, or a bare specifier through the
// pages' import maps, with bare; not a URL, nor one written with escapes:
// those are left as written), and where hotPrefix goes.
func scanModule(p string, src []byte, bare func(string) (string, bool, bool)) *moduleScan {
	mod := esm.Scan(src)
	sc := &moduleScan{hotAt: -1, imports: make(map[string]bool), links: make(map[string]bool)}
	if mod.ReadsHot {
		sc.hotAt = prefixAt(src)
	}
	if len(mod.Imports) > maxModuleImports {
		return sc
	}
	sc.imps, sc.targets = mod.Imports, make([]string, len(mod.Imports))
	for i, im := range mod.Imports {
		if im.Escaped {
			continue
		}
		t, rewritable := resolveSpec(p, im.Spec), true
		if t == "" && !isURLLike(im.Spec) {
			t, rewritable, _ = bare(im.Spec)
		}
		if t == "" {
			continue
		}
		sc.links[t] = true
		if rewritable {
			sc.targets[i] = t
			sc.imports[t] = true
		}
		if im.Type == "css" {
			sc.css = append(sc.css, t)
		}
		sc.bytes += 2*len(t) + len(im.Spec) + 96
	}
	return sc
}

// resolveSpec returns the URL path that the specifier spec, imported by
// the module at URL path base, names: only for "./", "../" and "/"
// specifiers, which name a file of this server unless the page's import
// map remaps that very path (README says to remap folders). Anything else
// is "".
func resolveSpec(base, spec string) string {
	if !isURLLike(spec) || strings.HasPrefix(spec, "//") {
		return ""
	}
	ref, err := url.Parse(spec)
	if err != nil {
		return ""
	}
	p := (&url.URL{Path: base}).ResolveReference(ref).Path
	if len(p) > maxPathLen {
		return ""
	}
	return urlPath(p)
}

// inserts returns what goes into the module as sent: hotPrefix when it
// reads import.meta.hot, and "?t=N" (or "&t=N") at the end of each
// import's path (before a "#") whose version vs gives.
func (sc *moduleScan) inserts(vs []int64) []insert {
	var ins []insert
	if sc.hotAt >= 0 {
		ins = append(ins, insert{int64(sc.hotAt), []byte(hotPrefix)})
	}
	for i, im := range sc.imps {
		if vs[i] == 0 {
			continue
		}
		spec, at := im.Spec, int64(im.End)
		if k := strings.IndexByte(spec, '#'); k >= 0 {
			spec, at = spec[:k], int64(im.Start+k)
		}
		sep := "?"
		if strings.Contains(spec, "?") {
			sep = "&"
		}
		ins = append(ins, insert{at, []byte(sep + "t=" + strconv.FormatInt(vs[i], 10))})
	}
	return ins
}

// prefixAt is where hotPrefix goes in the module src: at the start, after
// a byte-order mark, or after a "#!" line, which must come first.
func prefixAt(src []byte) int {
	at := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		at = 3
	}
	if bytes.HasPrefix(src[at:], []byte("#!")) {
		if i := bytes.IndexByte(src[at:], '\n'); i >= 0 {
			return at + i + 1
		}
		return len(src)
	}
	return at
}

// insertsETag is the ETag of a module sent with inserts: its file's ETag
// and a hash of the inserts, so it changes whenever the bytes sent do.
func insertsETag(etag string, ins []insert) string {
	buf := []byte(etag)
	for _, in := range ins {
		buf = strconv.AppendInt(append(buf, 0), in.at, 10)
		buf = append(append(buf, 0), in.text...)
	}
	sum := sha256.Sum256(buf)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}
