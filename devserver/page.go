package devserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"golang.org/x/sync/semaphore"
)

// pageBudget is how many bytes of pages may be in memory at once, across
// every server in the process, while they are read and scanned for where
// the client goes: four pages at the cap (maxInject, the proxy's too).
// Memory is the process's, so the budget is too. A request over budget
// waits rather than failing or going without the client, and the wait is
// short: a page is held only while it is read from disk and scanned, never
// while it is written to a browser (see servePage), so no slow reader can
// keep the budget.
var pageBudget = semaphore.NewWeighted(4 * (maxInject + 1))

// readAttempts is how many times servePage reads a page that keeps
// growing between its stat and its read before serving it as it is.
const readAttempts = 3

// errGrew says a page grew between its stat and its read.
var errGrew = errors.New("devserver: the page grew while it was read")

// servePage serves the open HTML file name with the client injected when
// a person navigated to it (see wantsClient). The page is read into
// memory only to find where the tag goes and to hash what is sent, for a
// strong ETag that changes whenever the bytes do; it is then dropped, and
// the response streams from the file with the tag spliced in. A page over
// maxInject is served as it is (see serveOversized).
func (f *fileServer) servePage(w http.ResponseWriter, r *http.Request, name string, file *os.File) {
	for range readAttempts {
		info, err := file.Stat()
		if err != nil {
			f.fail(w, r, name, err)
			return
		}
		if info.Size() > maxInject {
			f.serveOversized(w, r, name, file, info)
			return
		}
		p, err := f.scan(r.Context(), file, info.Size(), wantsClient(r), urlPath(r.URL.Path))
		switch {
		case errors.Is(err, errGrew):
			continue
		case r.Context().Err() != nil:
			return // the browser went away while waiting for the budget
		case err != nil:
			f.fail(w, r, name, err)
			return
		}
		f.oversized.Delete(name) // so that growing past the cap again is reported again
		h := w.Header()
		h.Add("Vary", fetchVary)
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("ETag", p.etag)
		if p.page != "" {
			// What the tab's document is made from, for its baseline.
			h.Add("Server-Timing", `hotserve-page;desc="`+p.page+`"`)
		}
		http.ServeContent(w, r, name, info.ModTime(), p.content(file, f.tag))
		return
	}
	// Written to all the while: served as it is now, without the client.
	// The save's reload follows, and the next request gets the client.
	info, err := file.Stat()
	if err != nil {
		f.fail(w, r, name, err)
		return
	}
	w.Header().Set("ETag", fileETag(file, info))
	http.ServeContent(w, r, name, info.ModTime(), file)
}

// serveOversized serves a page over maxInject byte for byte from disk, as
// any other file, and says once per page that it will not update by itself.
func (f *fileServer) serveOversized(w http.ResponseWriter, r *http.Request, name string, file *os.File, info os.FileInfo) {
	// Not for a fragment fetched by script, which gets no client anyway.
	if wantsClient(r) {
		if _, seen := f.oversized.LoadOrStore(name, true); !seen {
			f.log.Warn(fmt.Sprintf("a page is served without the live-reload script, so it will not update by itself: it is %s, over the %s that hotserve reads into memory to insert the script; make it smaller, or reload it by hand",
				humanSize(info.Size()), humanSize(maxInject)), "path", name)
		}
	}
	w.Header().Set("ETag", fileETag(file, info))
	http.ServeContent(w, r, name, info.ModTime(), file)
}

// scanned is what servePage keeps of a page once it has been read: its
// length, where the tag goes (-1: nowhere) and the ETag, not its bytes;
// for a page injected, the hash of its bytes without the tag (page), under
// which they are kept for the tab's baseline (see baselinePath).
type scanned struct {
	size, at   int64
	etag, page string
}

// scan reads the page of size bytes in file, within pageBudget, and finds
// where the tag goes when inject is set. It reads one byte more than size,
// so a page that grew since its stat is seen (errGrew) and never read past
// the cap; one that shrank is taken as it is now.
func (f *fileServer) scan(ctx context.Context, file io.ReaderAt, size int64, inject bool, doc string) (scanned, error) {
	weight := size + 1
	if err := pageBudget.Acquire(ctx, weight); err != nil {
		return scanned{}, err
	}
	defer pageBudget.Release(weight)
	buf := make([]byte, weight)
	n, err := io.ReadFull(io.NewSectionReader(file, 0, weight), buf)
	switch {
	case n == len(buf):
		return scanned{}, errGrew
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF):
		return scanned{}, err
	}
	page := buf[:n]
	p := scanned{size: int64(n), at: -1}
	if inject {
		p.at = int64(injectAt(page, f.tag))
	}
	// One pass over the bytes (SHA-256 is as fast as FNV here, thanks to
	// SHA instructions): their hash is the ETag of the page as a fetch
	// gets it, and names it for the tab's baseline, which must be exactly
	// the document the tab was made from, not whatever a later fetch of
	// its URL finds on disk. The page with the tag in is another
	// representation, whose ETag is that hash with the tag's.
	p.page = pageHash(page)
	p.etag = `"` + p.page + `"`
	if p.at >= 0 {
		p.etag = `"` + pageHash(append([]byte(p.page), f.tag...)) + `"`
	}
	if inject {
		f.kept().keep(p.page, page)
		f.modules().learnImportMap(doc, page)
	} else {
		p.page = ""
	}
	return p, nil
}

// content is the page as sent: the file's first size bytes, with tag at
// at when it goes anywhere.
func (p scanned) content(file io.ReaderAt, tag []byte) io.ReadSeeker {
	if p.at < 0 {
		return io.NewSectionReader(file, 0, p.size)
	}
	return io.NewSectionReader(newSpliced(file, []insert{{p.at, tag}}), 0, p.size+int64(len(tag)))
}
