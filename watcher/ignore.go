package watcher

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultIgnore is always applied, before Options.Ignore: version-control
// and dependency folders that are large and never edited by hand, and the
// temporary files editors create while saving (watcher.md §5). Coalescing
// would hide most temp files anyway; ignoring them also keeps them out of
// the raw event stream and the stat cache.
var DefaultIgnore = []string{
	".git", ".hg", ".svn", "node_modules",
	// vim's "can I write here" probe: 4913, then 4913+123k while taken
	// (src/bufwrite.c). Only the first few names, because a glob for any
	// digits-only name would also hide folders such as blog/2024/.
	"4913", "5036", "5159", "5282", "5405",
	"*~",                // vim and Emacs backups
	".*.sw?", ".*.sw?x", // vim swap files and their probes
	".#*", "#*#", // Emacs lock links and auto-saves
	"*___jb_tmp___", "*___jb_old___", "*___jb_bak___", // JetBrains safe write
	".subl*.tmp",  // Sublime Text
	"*.vsctmp",    // VS Code atomic writes
	".*.kate-swp", // Kate
	".DS_Store",   // macOS Finder, on shared folders
	// Windows: Office's owner files (~$report.docx) and the temp files
	// Office swaps in with ReplaceFile (~WRD0001.tmp, ~WRL0001.tmp);
	// Explorer's thumbnail cache. Other programs' page.html.tmp needs no
	// rule: renamed over its target, it coalesces into that file's write.
	"~$*", "~*.tmp", "~*.TMP", "Thumbs.db", "desktop.ini",
}

// ignorer decides which paths are invisible. Literal base names (the common
// case) are a map lookup; only real globs pay for matching. It belongs to
// the source's goroutine: .gitignore rules are loaded as folders are walked.
type ignorer struct {
	names     map[string]bool // literal patterns without "/"
	baseGlobs []string        // globs without "/", matched against the base name
	pathGlobs []string        // globs with "/", matched against the relative path
	// git holds the rules of each folder's .gitignore, by the folder's
	// relative path; nil when .gitignore files are not honoured.
	git map[string][]gitRule
}

func newIgnorer(extra []string, gitignore bool) (*ignorer, error) {
	ig := &ignorer{names: make(map[string]bool)}
	if gitignore {
		ig.git = make(map[string][]gitRule)
	}
	for _, p := range append(DefaultIgnore[:len(DefaultIgnore):len(DefaultIgnore)], extra...) {
		if p == "" || !doublestar.ValidatePattern(p) {
			return nil, fmt.Errorf("watcher: ignore pattern %q is not a valid glob; use doublestar syntax such as \"*.log\", \"dist\" or \"build/**\"", p)
		}
		switch {
		case strings.Contains(p, "/"):
			ig.pathGlobs = append(ig.pathGlobs, p)
		case strings.ContainsAny(p, `*?[{\`):
			ig.baseGlobs = append(ig.baseGlobs, p)
		default:
			ig.names[p] = true
		}
	}
	return ig, nil
}

// match reports whether rel, a slash path relative to the root, is ignored;
// dir says whether it is a folder (for .gitignore's "name/" rules). Callers
// never ask about a path below an ignored folder: such folders are not
// walked or watched, so their contents produce no events.
func (ig *ignorer) match(rel string, dir bool) bool {
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	if ig.names[base] {
		return true
	}
	for _, p := range ig.baseGlobs {
		if doublestar.MatchUnvalidated(p, base) {
			return true
		}
	}
	for _, p := range ig.pathGlobs {
		if doublestar.MatchUnvalidated(p, rel) {
			return true
		}
	}
	return ig.gitIgnored(rel, base, dir)
}
