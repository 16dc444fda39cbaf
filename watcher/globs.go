package watcher

import (
	"fmt"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Globs is a set of doublestar patterns matched against slash paths
// relative to a root, with .gitignore's rule for where a pattern applies:
// one without "/" matches a base name at any depth ("*.log", "dist"), one
// with "/" the whole relative path ("build/**"). Literal names, the common
// case, are a map lookup; only real globs pay for matching. Options.Ignore
// is one; the server's restart and build rules are others.
type Globs struct {
	names map[string]bool // literal patterns without "/"
	base  []string        // globs without "/", matched against the base name
	full  []string        // globs with "/", matched against the relative path
}

// BadGlobError is a pattern that is not valid doublestar syntax.
type BadGlobError struct{ Pattern string }

func (e *BadGlobError) Error() string {
	return fmt.Sprintf("%q is not a valid glob; use doublestar syntax such as \"*.log\", \"dist\" or \"build/**\"", e.Pattern)
}

// NewGlobs checks every pattern, returning a *BadGlobError for the first
// that is not valid.
func NewGlobs(patterns ...string) (Globs, error) {
	g := Globs{names: make(map[string]bool)}
	for _, p := range patterns {
		if p == "" || !doublestar.ValidatePattern(p) {
			return Globs{}, &BadGlobError{p}
		}
		switch {
		case strings.Contains(p, "/"):
			g.full = append(g.full, p)
		case strings.ContainsAny(p, `*?[{\`):
			g.base = append(g.base, p)
		default:
			g.names[p] = true
		}
	}
	return g, nil
}

// Match reports whether the slash path rel (relative to the root, not
// empty) matches one of the patterns.
func (g Globs) Match(rel string) bool {
	if rel == "" {
		return false
	}
	base := rel[strings.LastIndexByte(rel, '/')+1:]
	if g.names[base] {
		return true
	}
	for _, p := range g.base {
		if doublestar.MatchUnvalidated(p, base) {
			return true
		}
	}
	for _, p := range g.full {
		if doublestar.MatchUnvalidated(p, rel) {
			return true
		}
	}
	return false
}
