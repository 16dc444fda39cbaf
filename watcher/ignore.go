package watcher

import (
	"fmt"
	"strings"
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

// ignorer decides which paths are invisible: DefaultIgnore and
// Options.Ignore, then the .gitignore rules. It belongs to the source's
// goroutine: .gitignore rules are loaded as folders are walked.
type ignorer struct {
	globs Globs
	// git holds the rules of each folder's .gitignore, by the folder's
	// relative path; nil when .gitignore files are not honoured.
	git map[string][]gitRule
}

func newIgnorer(extra []string, gitignore bool) (*ignorer, error) {
	g, err := NewGlobs(append(DefaultIgnore[:len(DefaultIgnore):len(DefaultIgnore)], extra...)...)
	if err != nil {
		return nil, fmt.Errorf("watcher: ignore pattern %w", err)
	}
	ig := &ignorer{globs: g}
	if gitignore {
		ig.git = make(map[string][]gitRule)
	}
	return ig, nil
}

// match reports whether rel (a folder when dir is set) is ignored.
func (ig *ignorer) match(rel string, dir bool) bool {
	return ig.globs.Match(rel) || ig.gitIgnored(rel, rel[strings.LastIndexByte(rel, '/')+1:], dir)
}
