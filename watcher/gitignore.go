package watcher

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// gitRule is one line of a .gitignore file (gitignore(5)), translated to a
// doublestar glob.
type gitRule struct {
	glob     string
	negate   bool // "!pattern": re-include what an earlier rule excluded
	dirOnly  bool // "pattern/": folders only
	anchored bool // a "/" before the end: relative to the file's folder; else a base name at any depth
}

// parseGitignore reads the rules of one .gitignore file, in order. Lines
// git would take literally but doublestar cannot parse are skipped.
func parseGitignore(data []byte) []gitRule {
	var rules []gitRule
	for line := range bytes.Lines(data) {
		s := strings.TrimRight(string(line), "\r\n")
		if s == "" || s[0] == '#' {
			continue
		}
		// Trailing spaces are dropped unless escaped with a backslash.
		for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, `\ `) {
			s = s[:len(s)-1]
		}
		var r gitRule
		switch {
		case s[0] == '!':
			r.negate, s = true, s[1:]
		case strings.HasPrefix(s, `\!`), strings.HasPrefix(s, `\#`):
			s = s[1:]
		}
		if strings.HasSuffix(s, "/") {
			r.dirOnly, s = true, strings.TrimRight(s, "/")
		}
		r.anchored = strings.Contains(s, "/")
		s = strings.TrimPrefix(s, "/")
		// "dir/**" is everything inside dir but not dir itself, so that
		// "dir/**" followed by "!dir/keep" can re-include keep.
		if strings.HasSuffix(s, "/**") {
			s += "/*"
		}
		if s == "" || !doublestar.ValidatePattern(s) {
			continue
		}
		r.glob = s
		rules = append(rules, r)
	}
	return rules
}

// match reports whether the rule matches a path, given relative to the
// folder holding the rule's file, with its base name.
func (r *gitRule) match(rel, base string, dir bool) bool {
	if r.dirOnly && !dir {
		return false
	}
	if r.anchored {
		return doublestar.MatchUnvalidated(r.glob, rel)
	}
	return doublestar.MatchUnvalidated(r.glob, base)
}

// loadGitignore (re)reads the ignore rules of the folder rel, whose
// absolute path is abs: its .gitignore and, for the root, also
// .git/info/exclude (which .gitignore overrides). It reports whether the
// rules changed.
func (ig *ignorer) loadGitignore(rel, abs string) bool {
	if ig.git == nil {
		return false
	}
	var rules []gitRule
	if rel == "" {
		if data, err := os.ReadFile(filepath.Join(abs, ".git", "info", "exclude")); err == nil {
			rules = parseGitignore(data)
		}
	}
	if data, err := os.ReadFile(filepath.Join(abs, ".gitignore")); err == nil {
		rules = append(rules, parseGitignore(data)...)
	}
	old, had := ig.git[rel]
	if len(rules) == 0 {
		delete(ig.git, rel)
		return had
	}
	ig.git[rel] = rules
	return !had || !slices.Equal(old, rules)
}

// gitIgnored applies the .gitignore rules of every folder from the root
// down to rel's parent; as in git, the last matching rule wins and deeper
// files come later.
func (ig *ignorer) gitIgnored(rel, base string, dir bool) bool {
	if len(ig.git) == 0 {
		return false
	}
	ignored := false
	check := func(folder, sub string) {
		for i := range ig.git[folder] {
			r := &ig.git[folder][i]
			if r.negate == ignored && r.match(sub, base, dir) {
				ignored = !r.negate
			}
		}
	}
	check("", rel)
	for i := 0; i < len(rel); i++ {
		if rel[i] == '/' {
			check(rel[:i], rel[i+1:])
		}
	}
	return ignored
}
