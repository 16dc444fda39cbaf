package devserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"

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
	imps, targets, hotAt, ok := mods.scanned(p, etag)
	if !ok && info.Size() <= maxInject {
		src, err := readWithin(r.Context(), file, info.Size())
		if err != nil {
			if r.Context().Err() == nil {
				f.fail(w, r, name, err)
			}
			return
		}
		imps, targets, hotAt = scanModule(p, src)
		mods.remember(p, etag, imps, targets, hotAt)
	}
	ins := moduleInserts(imps, mods.versions(p, epochOf(r), targets), hotAt)
	if len(ins) == 0 {
		h.Set("ETag", etag)
		http.ServeContent(w, r, name, info.ModTime(), file)
		return
	}
	h.Set("ETag", insertsETag(etag, ins))
	s := spliced{file, ins}
	http.ServeContent(w, r, name, info.ModTime(), io.NewSectionReader(s, 0, s.size(info.Size())))
}

// readWithin reads the first size bytes of file within pageBudget, which
// the pages share: a module is read once per save, to be scanned.
func readWithin(ctx context.Context, file io.ReaderAt, size int64) ([]byte, error) {
	if err := pageBudget.Acquire(ctx, size+1); err != nil {
		return nil, err
	}
	defer pageBudget.Release(size + 1)
	buf := make([]byte, size)
	n, err := io.ReadFull(io.NewSectionReader(file, 0, size), buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// scanModule scans the source of the module at URL path p: its imports,
// the module path each names ("" for a bare specifier, a URL, or one
// written with escapes: those are left as written), and where hotPrefix
// goes (see prefixAt).
func scanModule(p string, src []byte) (imps []esm.Import, targets []string, hotAt int) {
	imps = esm.Scan(src)
	targets = make([]string, len(imps))
	for i, im := range imps {
		if !im.Escaped {
			targets[i] = resolveSpec(p, im.Spec)
		}
	}
	return imps, targets, prefixAt(src)
}

// resolveSpec returns the URL path that the specifier spec, imported by
// the module at URL path base, names: only for "./", "../" and "/"
// specifiers, which name a file of this server whatever the page's import
// map says. Anything else is "".
func resolveSpec(base, spec string) string {
	switch {
	case strings.HasPrefix(spec, "./"), strings.HasPrefix(spec, "../"):
	case strings.HasPrefix(spec, "/") && !strings.HasPrefix(spec, "//"):
	default:
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

// moduleInserts returns what goes into the module as sent: hotPrefix when
// it reads import.meta.hot (at hotAt), and "?t=N" (or "&t=N") at the end of each
// import's path (before a "#") whose version vs gives.
func moduleInserts(imps []esm.Import, vs []int64, hotAt int) []insert {
	var ins []insert
	if hotAt >= 0 {
		ins = append(ins, insert{int64(hotAt), []byte(hotPrefix)})
	}
	for i, im := range imps {
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

// prefixAt is where hotPrefix goes in the module src when it reads
// import.meta.hot: at the start, after a byte-order mark, or after a "#!"
// line, which must come first; -1 when it does not.
func prefixAt(src []byte) int {
	if !bytes.Contains(src, []byte("import.meta.hot")) {
		return -1
	}
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
	h := sha256.New()
	io.WriteString(h, etag)
	for _, in := range ins {
		fmt.Fprintf(h, "\x00%d\x00%s", in.at, in.text)
	}
	return fmt.Sprintf(`"%x"`, h.Sum(nil)[:16])
}
