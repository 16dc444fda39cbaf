package devserver

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// What the tabs did with a live-reload that offered them a morph, for the
// update's terminal line:
//
//	about.html → morphed · 1 tab · 12 ms save-to-paint
//	about.html → live-reload (script changed) · 1 tab · 80 ms save-to-paint
//	about.html → morphed in 2, live-reload (script changed) in 1 · 3 tabs · …

// maxFallbackReasons bounds the distinct reasons one update keeps: each
// comes from a page, which could send a new one with every ack.
const maxFallbackReasons = 4

// maxReasonLen caps a reason's length in runes; the client's are a few
// words.
const maxReasonLen = 80

// count records what one acknowledgement says the tab did.
func (p *pendingUpdate) count(k ack) {
	switch {
	case k.Did == "morphed":
		p.morphed++
	case k.Did == "reloaded" && k.Reason != "":
		why := fallbackReason(k.Reason)
		if p.fallbacks == nil {
			p.fallbacks = make(map[string]int)
		}
		if _, ok := p.fallbacks[why]; !ok && len(p.fallbacks) >= maxFallbackReasons {
			why = "other reasons"
		}
		p.fallbacks[why]++
	}
}

// outcome names what the update became: its type, or what the tabs did
// with the morph it offered.
func (p *pendingUpdate) outcome() string {
	if len(p.fallbacks) == 0 {
		if p.morphed > 0 {
			return "morphed"
		}
		return p.typ
	}
	n := 0
	for _, c := range p.fallbacks {
		n += c
	}
	fallback := p.typ + " (" + strings.Join(slices.Sorted(maps.Keys(p.fallbacks)), ", ") + ")"
	if p.morphed == 0 {
		return fallback
	}
	return fmt.Sprintf("morphed in %d, %s in %d", p.morphed, fallback, n)
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
