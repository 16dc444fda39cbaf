package devserver

import (
	"fmt"
	"path"
	"strings"

	"github.com/hotserve/hotserve/watcher"
)

// update is what one batch means to the open tabs.
type update struct {
	msg message
	// all is set when the change could reach any tab by a way hotserve
	// cannot see: a new, removed or renamed file, a folder, a script (it
	// may be imported, cached by a worker, or run by a backend), or a file
	// a backend might read. Every tab gets msg then; otherwise only the
	// tabs that loaded one of msg.Paths (see deps).
	all bool
	// hot, when set, makes msg a hot update (see offerHot): scans are
	// its changed modules' as they are on disk now, and its tabs are
	// those whose page used a path in msg.Paths or reach.
	hot   *hotChange
	scans map[string]diskScan
	reach []string
}

// urls are the URL paths whose pages up concerns.
func (up update) urls() map[string]bool {
	urls := changedURLs(up.msg.Paths)
	for _, p := range up.reach {
		urls[p] = true
	}
	return urls
}

// reloadMessage decides what a batch means to an open page: stylesheet
// edits are swapped in place (css-update), image edits refreshed in place
// (img-update, to every tab: the favicon is fetched without a referrer, so
// hotserve cannot tell who shows it, and a tab that does not is untouched),
// and any other change a browser could see reloads the page (live-reload).
// A batch of stylesheets and images is one css-update carrying both; the
// client refreshes each path by its kind. Changes the server would never
// serve (see private; all are served with Security.Dotfiles) mean nothing;
// ok is false then.
func reloadMessage(b watcher.Batch, dotfiles bool) (u update, ok bool) {
	var paths []string
	css, img := 0, 0
	for _, e := range b.Events {
		if !dotfiles && private(e.Path) && (e.Op != watcher.Rename || private(e.From)) {
			continue
		}
		paths = append(paths, "/"+e.Path)
		inPlace := !e.Dir && (e.Op == watcher.Write || e.Op == watcher.Create)
		switch kind := fileKind(e.Path); {
		case inPlace && kind == kindStyle:
			css++
		case inPlace && kind == kindImage:
			img++
		case e.Dir || e.Op != watcher.Write || kind == kindOther:
			u.all = true
		}
	}
	switch {
	case len(paths) == 0:
		return update{}, false
	case css+img < len(paths):
		u.msg = message{Type: msgLiveReload, Paths: paths, Reason: reason(paths)}
	case css == 0:
		u.msg, u.all = message{Type: msgImgUpdate, Paths: paths}, true
	default:
		u.msg = message{Type: msgCSSUpdate, Paths: paths}
	}
	return u, true
}

// morphMessage is reloadMessage for a server that morphs pages: a
// live-reload for page edits alone (and stylesheets and images edited with
// them) offers the tabs a morph, which they turn down (reload) where a
// morph could not keep the page's own state (README: "HTML edits applied
// in place"). A new or removed page, a font, media or anything else still
// reloads.
func morphMessage(b watcher.Batch, dotfiles, morph bool) (update, bool) {
	u, ok := reloadMessage(b, dotfiles)
	if !ok || !morph || u.all || u.msg.Type != msgLiveReload {
		return u, ok
	}
	pages := 0
	for _, p := range u.msg.Paths {
		switch ext := strings.ToLower(path.Ext(p)); {
		case ext == ".html" || ext == ".htm":
			pages++
		case fileKind(p) == kindPage:
			return u, ok // a font or media: only a reload loads it again
		}
	}
	u.msg.Morph = pages > 0
	return u, ok
}

// Kinds of file, by what can make a browser load them.
const (
	// kindOther may be read by a script or a backend as well as by the
	// browser, so a change to it could matter to any tab.
	kindOther = iota
	// kindPage, kindStyle and kindImage reach a page only through a
	// request hotserve answers, with the page (or a stylesheet) as referrer.
	kindPage
	kindStyle
	kindImage
)

// browserOnly maps the extensions of files that only a browser loads to
// their kind. Fonts and media count as pages: a change reloads the tabs
// that loaded them.
var browserOnly = map[string]int{
	".html": kindPage, ".htm": kindPage,
	".woff": kindPage, ".woff2": kindPage, ".ttf": kindPage, ".otf": kindPage,
	".mp4": kindPage, ".webm": kindPage, ".mp3": kindPage, ".ogg": kindPage, ".wav": kindPage,
	".css": kindStyle,
	".png": kindImage, ".jpg": kindImage, ".jpeg": kindImage, ".gif": kindImage,
	".svg": kindImage, ".webp": kindImage, ".avif": kindImage, ".ico": kindImage, ".bmp": kindImage,
}

// fileKind returns the kind of the file name by its extension.
func fileKind(name string) int {
	return browserOnly[strings.ToLower(path.Ext(name))]
}

// reason says in a few words what changed, for the browser console.
func reason(paths []string) string { return summary(paths) + " changed" }

// summary names one changed path, or counts many and names the folder
// they share: "42 files in src/".
func summary(paths []string) string {
	if len(paths) == 1 {
		return strings.TrimPrefix(paths[0], "/")
	}
	dir := path.Dir(strings.TrimPrefix(paths[0], "/"))
	for _, p := range paths[1:] {
		for dir != "." && !strings.HasPrefix(strings.TrimPrefix(p, "/"), dir+"/") {
			dir = path.Dir(dir)
		}
	}
	if dir == "." {
		return fmt.Sprintf("%d files", len(paths))
	}
	return fmt.Sprintf("%d files in %s/", len(paths), dir)
}
