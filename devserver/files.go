package devserver

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fileServer serves the files under one root folder, and those of the
// mounts, each a fileServer of its own. HTML pages and folder
// listings get the client's script element injected; every other file is sent byte for byte
// by http.ServeContent, so ranges and conditional requests work.
type fileServer struct {
	// root is an os.Root, so neither ".." nor a symbolic link can reach
	// outside it: the check happens inside each open, with no window
	// between checking a path and opening it. With Security.FollowSymlinks
	// it is a plain folder instead.
	root tree
	// follow is the real path of the root when links may leave it.
	follow string
	// dir is the root's absolute path, for the system calls that take a
	// path rather than a folder (hasEntry on Windows).
	dir string
	// exact makes every URL path match the names on disk exactly (see
	// exactName): set where the file system may fold names.
	exact bool
	// at is the URL prefix of a mount ("/vendor"), "" for the root; names
	// within the tree are URL paths with it taken off (see url).
	at string
	// mounts are the root's mounts, longest prefix first (see mounted),
	// and top is the root, for a mount.
	mounts []*fileServer
	top    *fileServer
	// dotfiles serves what denied would hide (Security.Dotfiles).
	dotfiles bool
	// tag is the client's script element, carrying this server's token.
	tag []byte
	// baselines are the pages served to navigations (see kept).
	baselines baselines
	// mods is what the root knows of the ES modules it served (see
	// modules(), which mounts share).
	mods *modules
	// hmr serves modules as modules (see serveModule), unless
	// Config.NoHMR.
	hmr bool
	// log receives internal errors, whose text never goes to the browser.
	log *slog.Logger
	// uninjected holds the pages already reported as served without the
	// client (see noteUninjected), so each is reported once.
	uninjected sync.Map
	// oversized holds the pages reported as too big for the client (see
	// serveOversized), so each is reported once.
	oversized sync.Map
	// writeIdle is how long a response may go without the browser taking
	// any of it (see withWriteDeadline); writeIdle in limits.go, shorter in
	// tests.
	writeIdle time.Duration
}

// newFileServer opens the folder cfg.Root, and each of cfg.Mounts, for
// serving, injecting tag into HTML pages.
func newFileServer(cfg Config, tag string) (*fileServer, error) {
	f, err := openTree(cfg.Root, cfg, tag)
	if err != nil {
		return nil, err
	}
	f.mods = newModules(f.log)
	if err := f.openMounts(cfg, tag); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// openTree opens the folder dir for serving with cfg's rules.
func openTree(dir string, cfg Config, tag string) (*fileServer, error) {
	f := &fileServer{dotfiles: cfg.Security.Dotfiles, hmr: !cfg.NoHMR, tag: []byte(tag), log: cfg.Log, writeIdle: writeIdle}
	if f.log == nil {
		f.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if cfg.Security.FollowSymlinks {
		if f.follow, err = filepath.EvalSymlinks(dir); err == nil {
			_, err = os.ReadDir(f.follow)
		}
		f.root = folder(f.follow)
	} else {
		var r *os.Root
		if r, err = os.OpenRoot(dir); err == nil {
			f.root = largeRoot{r}
		}
	}
	if err == nil {
		f.dir, err = filepath.Abs(dir)
	}
	if err != nil {
		return nil, fmt.Errorf("devserver: cannot serve %q: %w; give the path of an existing folder", dir, err)
	}
	f.exact = namesFold || foldsNames(f.root)
	return f, nil
}

// Close releases the root folder and the mounts'.
func (f *fileServer) Close() error {
	errs := []error{f.root.Close()}
	for _, m := range f.mounts {
		errs = append(errs, m.Close())
	}
	return errors.Join(errs...)
}

// ServeHTTP answers GET and HEAD for the files under the root. Paths are
// cleaned before the deny rules read them (see denied), so what is hidden
// cannot be reached through "/x/../.env" or "/.env/." either. Every
// answer must keep moving (see withWriteDeadline), so that no browser that
// stops reading holds a file, a connection and their buffers.
func (f *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.serve(w, r, f.look(r))
}

// serve answers r, whose path f has looked up as lk, from the tree (the
// root or a mount) that lk found it in.
func (f *fileServer) serve(w http.ResponseWriter, r *http.Request, lk lookup) {
	if lk.tree != nil && lk.tree != f {
		lk.tree.serve(w, r, lk)
		return
	}
	w = withWriteDeadline(w, f.writeIdle)
	// A browser must revalidate every time, or a reload may show an old save.
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed: only GET and HEAD are served", http.StatusMethodNotAllowed)
		return
	}
	if lk.bad {
		http.Error(w, "400 bad request: the path holds a '#', a NUL, a backslash or invalid UTF-8", http.StatusBadRequest)
		return
	}
	name, rel, info, err := lk.name, lk.rel, lk.info, lk.err
	if lk.denied {
		f.notFound(w, r, name)
		return
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		f.fail(w, r, name, err)
	case err != nil:
		// Missing, or a symbolic link that leaves the root (os.Root's error
		// for that is not exported): from outside, both are not found.
		f.notFound(w, r, name)
	case info.IsDir() && !strings.HasSuffix(r.URL.Path, "/") && f.url(name) != "/":
		// Relative links in the folder's page need the slash. Found, not
		// Moved Permanently: the folder may become a file on the next save.
		target := path.Base(r.URL.Path) + "/"
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusFound)
	case info.IsDir():
		f.serveDir(w, r, name, rel)
	case info.Mode().IsRegular() && !strings.HasSuffix(r.URL.Path, "/"):
		f.serveFile(w, r, name, rel)
	default:
		// A device, FIFO or socket (opening a FIFO would block), or a file
		// asked for as a folder.
		f.notFound(w, r, name)
	}
}

// stat is the root's Stat of the cleaned URL path name (rel for the
// root), which where names may fold must also be spelled as on disk.
func (f *fileServer) stat(name, rel string) (fs.FileInfo, error) {
	info, err := f.root.Stat(rel)
	if err == nil && f.exact {
		err = f.exactName(name)
	}
	return info, err
}

// hasIndex reports whether the folder name (cleaned URL path, rel for the
// root) has an index.html to serve: a regular file, not denied, and where
// names may fold, named exactly so.
func (f *fileServer) hasIndex(name, rel string) bool {
	info, err := f.root.Stat(path.Join(rel, "index.html"))
	if err != nil || !info.Mode().IsRegular() || f.denied(path.Join(name, "index.html")) {
		return false
	}
	if !f.exact {
		return true
	}
	ok, err := f.hasEntry(rel, "index.html")
	return ok && err == nil
}

// serveDir serves the folder's index.html when it has one, else a listing.
func (f *fileServer) serveDir(w http.ResponseWriter, r *http.Request, name, rel string) {
	if f.hasIndex(name, rel) {
		f.serveFile(w, r, path.Join(name, "index.html"), path.Join(rel, "index.html"))
		return
	}
	page, err := f.listing(name, rel)
	if err != nil {
		f.fail(w, r, name, err)
		return
	}
	f.serveHTML(w, r, name, time.Time{}, page)
}

// serveFile serves one regular file: HTML with the client injected (see
// servePage), any other file straight from disk.
func (f *fileServer) serveFile(w http.ResponseWriter, r *http.Request, name, rel string) {
	file, err := f.root.Open(rel)
	if err != nil {
		f.fail(w, r, name, err)
		return
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		f.fail(w, r, name, err)
		return
	}
	if isHTML(name) {
		f.servePage(w, r, name, file)
		return
	}
	kind := f.noteFetch(r, name)
	if isModuleSource(name) {
		if kind == asModule && f.hmr {
			f.serveModule(w, r, name, file, info)
			return
		}
		w.Header().Add("Vary", moduleVary)
	}
	f.noteUninjected(r, name, file)
	w.Header().Set("Content-Type", contentType(name, file))
	w.Header().Set("ETag", fileETag(file, info))
	http.ServeContent(w, r, name, info.ModTime(), file)
}

// isHTML reports whether the file name is an HTML page by its extension;
// content is never sniffed for this, so a font or JSON file that happens to
// contain "</body>" is not touched.
func isHTML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".html" || ext == ".htm"
}

// fileETag identifies one save of the open file: size, modification time
// to the nanosecond and file identity (see fileID: the inode, or on Windows
// the file index). Last-Modified has one-second resolution, so without this
// a second save within the same second is answered 304 with the old
// content; the identity tells apart an editor's atomic save (a new file
// renamed over the old one) even where timestamps are coarse or kept.
func fileETag(file *os.File, info fs.FileInfo) string {
	return fmt.Sprintf(`"%x-%x-%x"`, info.Size(), info.ModTime().UnixNano(), fileID(file, info))
}

// serveHTML injects the client into page, built in memory (a folder
// listing), when a person navigated to it (see wantsClient) and serves the
// result, validated by a hash of the bytes sent, so the ETag changes
// whenever they do. Pages on disk go through servePage instead.
func (f *fileServer) serveHTML(w http.ResponseWriter, r *http.Request, name string, modtime time.Time, page []byte) {
	body := page
	if wantsClient(r) {
		body = inject(page, f.tag)
	}
	w.Header().Add("Vary", fetchVary)
	sum := sha256.Sum256(body) // as fast as FNV here, thanks to SHA instructions
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, sum[:16]))
	http.ServeContent(w, r, name, modtime, bytes.NewReader(body))
}

// notFoundPage is the body of every 404. It carries the client, so a tab
// left on a missing page reloads when files change.
const notFoundPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1em .3em;word-break:break-all}</style>
</head>
<body>
<h1>Not found</h1>
<p>There is no <code>%s</code> here. This page reloads when files change.</p>
%s
</body>
</html>
`

// notFound answers 404 with notFoundPage for the cleaned path name.
func (f *fileServer) notFound(w http.ResponseWriter, r *http.Request, name string) {
	body := fmt.Appendf(nil, notFoundPage, html.EscapeString(f.url(name)), f.tag)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// fail answers an error met while serving name. A file removed in the
// meantime is simply not found, and one the server may not read is
// forbidden; anything else is logged, and the browser gets a generic
// message, never the error text.
func (f *fileServer) fail(w http.ResponseWriter, r *http.Request, name string, err error) {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.notFound(w, r, name)
	case errors.Is(err, fs.ErrPermission):
		http.Error(w, "403 forbidden: the server may not read this file", http.StatusForbidden)
	default:
		f.log.Error("cannot serve a file", "path", f.url(name), "err", err)
		http.Error(w, "500 internal server error: see the hotserve terminal", http.StatusInternalServerError)
	}
}

// has reports whether r names something the folder serves: a regular
// file, or a folder with an index.html. Anything else, a folder listing or
// the 404 page included, is the proxy's to answer.
func (f *fileServer) has(r *http.Request) bool {
	if badPath(r) {
		return false
	}
	f, name := f.mounted(path.Clean("/" + r.URL.Path))
	if f.denied(name) {
		return false
	}
	rel := "." + name
	info, err := f.stat(name, rel)
	switch {
	case err != nil:
		return false
	case info.IsDir():
		return f.hasIndex(name, rel)
	}
	return info.Mode().IsRegular() && !strings.HasSuffix(r.URL.Path, "/")
}
