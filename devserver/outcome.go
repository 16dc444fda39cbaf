package devserver

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// What the tabs did with a live-reload that offered them a morph or a hot
// update, for the update's terminal line:
//
//	about.html → morphed · 1 tab · 12 ms save-to-paint
//	about.html → live-reload (script changed) · 1 tab · 80 ms save-to-paint
//	about.html → morphed in 2, live-reload (script changed) in 1 · 3 tabs · …
//	src/counter.js → hot-update (src/counter.js) · 1 tab · 9 ms save-to-paint
//	src/util.js → live-reload (no module accepts src/util.js) · 1 tab · …
//	src/app.js → hot update failed (SyntaxError: Unexpected token '}') · 1 tab · …

// maxFallbackReasons bounds the distinct outcomes and reasons one update
// keeps: each comes from a page, which could send a new one with every
// ack.
const maxFallbackReasons = 4

// maxReasonLen caps a reason's length in runes; the client's are a few
// words.
const maxReasonLen = 80

// maxBoundariesShown is how many of a hot update's boundaries its line
// names.
const maxBoundariesShown = 3

// count records what one acknowledgement says the tab did.
func (p *pendingUpdate) count(k ack) {
	switch {
	case k.Did == "morphed":
		tally(&p.inPlace, "morphed")
	case k.Did == "hot-update":
		tally(&p.inPlace, "hot-update ("+boundaries(k.Boundaries)+")")
	case k.Did == "hot-failed":
		tally(&p.inPlace, "hot update failed ("+fallbackReason(k.Reason)+")")
	case k.Did == "reloaded" && k.Reason != "":
		tally(&p.fallbacks, fallbackReason(k.Reason))
	}
}

// tally counts one more of what in m, or of "other reasons" once m holds
// maxFallbackReasons kinds.
func tally(m *map[string]int, what string) {
	if *m == nil {
		*m = make(map[string]int)
	}
	if _, ok := (*m)[what]; !ok && len(*m) >= maxFallbackReasons {
		what = "other reasons"
	}
	(*m)[what]++
}

// boundaries names a hot update's boundaries, page text, as folder paths.
func boundaries(paths []string) string {
	var names []string
	for i, p := range paths {
		if i == maxBoundariesShown {
			names = append(names, fmt.Sprintf("%d more", len(paths)-i))
			break
		}
		names = append(names, fallbackReason(strings.TrimPrefix(p, "/")))
	}
	if len(names) == 0 {
		return "no module named"
	}
	return strings.Join(names, ", ")
}

// outcome names what the update became: its type, or what the tabs did
// with the morph or hot update it offered.
func (p *pendingUpdate) outcome() string {
	var parts []string
	kinds := len(p.inPlace)
	if len(p.fallbacks) > 0 {
		kinds++
	}
	for _, what := range slices.Sorted(maps.Keys(p.inPlace)) {
		parts = append(parts, inCount(what, p.inPlace[what], kinds))
	}
	if len(p.fallbacks) > 0 {
		n := 0
		for _, c := range p.fallbacks {
			n += c
		}
		fallback := p.typ + " (" + strings.Join(slices.Sorted(maps.Keys(p.fallbacks)), ", ") + ")"
		parts = append(parts, inCount(fallback, n, kinds))
	}
	if len(parts) == 0 {
		return p.typ
	}
	return strings.Join(parts, ", ")
}

// inCount is what, with the number of tabs that did it when the tabs did
// more than one kind of thing.
func inCount(what string, n, kinds int) string {
	if kinds == 1 {
		return what
	}
	return fmt.Sprintf("%s in %d", what, n)
}

// fallbackReason is a page's reason for not morphing, fit for a terminal
// line: one line of printable text, not too long. The terminal escapes
// what is left anyway; this keeps the line readable.
func fallbackReason(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == maxReasonLen {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	if why := strings.Join(strings.Fields(b.String()), " "); why != "" {
		return why
	}
	return "no reason given"
}
