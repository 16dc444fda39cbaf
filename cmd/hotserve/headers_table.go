package main

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/hotserve/hotserve/devserver"
)

// responseOptions are the settings that shape responses: --spa,
// --header, the [[headers]] tables and --isolate.
//
// Headers need trust from a settings file (their risk is loosens): a
// header reaches more than this folder's pages, since cookies and HSTS are
// per host, not per port, so a cloned repository's Set-Cookie,
// Strict-Transport-Security or Clear-Site-Data would reach every other
// server on localhost. --isolate sets two fixed headers and is harmless.
type responseOptions struct {
	spa     spaValue
	header  []string               // --header, as given: "Name: value"
	headers []devserver.HeaderRule // the [[headers]] tables, in order
	isolate bool
}

// apply puts the response settings into cfg. The [[headers]] tables come
// first and --header last, for every path, so that the command line wins.
func (r *responseOptions) apply(cfg *devserver.Config) error {
	cfg.SPA = devserver.SPA(r.spa)
	cfg.Isolate = r.isolate
	cfg.Headers = slices.Clone(r.headers)
	for _, h := range r.header {
		name, value, ok := strings.Cut(h, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok {
			return fmt.Errorf("--header %q is not a header; write it as 'Name: value', e.g. --header 'Cross-Origin-Opener-Policy: same-origin'", h)
		}
		if err := devserver.CheckHeader(name, value); err != nil {
			return fmt.Errorf("--header %q: %v", h, err)
		}
		cfg.Headers = append(cfg.Headers, devserver.HeaderRule{Header: http.Header{name: {value}}})
	}
	return nil
}

// headersExample is the [[headers]] table in hotserve init's file.
const headersExample = `
[[headers]]
for = "/**/*.wasm"
Cross-Origin-Embedder-Policy = "require-corp"
Cache-Control = "no-store"`

// decodeHeaders reads the [[headers]] tables: each has a "for" glob on the
// URL path (default: every path) and Name = "value" pairs.
func (r *responseOptions) decodeHeaders(v any) error {
	tables, ok := v.([]map[string]any)
	if !ok {
		return errors.New("headers is a list of tables; write each as [[headers]] with for = \"/**/*.wasm\" and Name = \"value\" lines")
	}
	r.headers = nil
	for i, t := range tables {
		rule, err := headerRule(t)
		if err != nil {
			return fmt.Errorf("entry %d: %v", i+1, err)
		}
		r.headers = append(r.headers, rule)
	}
	return nil
}

// headerRule reads one [[headers]] table.
func headerRule(t map[string]any) (devserver.HeaderRule, error) {
	rule := devserver.HeaderRule{Header: http.Header{}}
	names := make([]string, 0, len(t))
	for k := range t {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		value, ok := t[name].(string)
		switch {
		case name == "for" && (!ok || !strings.HasPrefix(value, "/") || !doublestar.ValidatePattern(value)):
			return rule, fmt.Errorf("for = %s is not a glob on the URL path; give one in quotes that starts with /, such as \"/**/*.wasm\" or \"/api/**\"", tomlText(t[name]))
		case name == "for":
			rule.For = value
		case !ok:
			return rule, fmt.Errorf("%s = %s: a header's value is a string in quotes", strconv.Quote(name), tomlText(t[name]))
		default:
			if err := devserver.CheckHeader(name, value); err != nil {
				return rule, err
			}
			rule.Header.Set(name, value)
		}
	}
	if len(rule.Header) == 0 {
		return rule, errors.New(`it sets no header; add Name = "value" lines after for`)
	}
	return rule, nil
}

// headersText is the [[headers]] tables as the status page shows them,
// one "for glob: Name: value, …" per table.
func (r *responseOptions) headersText() string {
	parts := make([]string, 0, len(r.headers))
	for _, rule := range r.headers {
		var hs []string
		for name, values := range rule.Header {
			hs = append(hs, name+": "+strings.Join(values, ", "))
		}
		slices.Sort(hs)
		parts = append(parts, fmt.Sprintf("for %s: %s", cmp.Or(rule.For, "/**"), strings.Join(hs, "; ")))
	}
	return strings.Join(parts, " | ")
}
