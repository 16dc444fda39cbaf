package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
)

// backendKeys are the keys of a [backend.NAME] table, in the order
// hotserve init and errors list them.
var backendKeys = []string{"exec", "build", "dir", "restart-on", "build-on", "ready", "proxy", "stop-signal", "stop-timeout", "restart-on-crash"}

// tableBackend is one [backend.NAME] table, read.
type tableBackend struct {
	nb devserver.NamedBackend
	// proxy is what its proxy key routes to it: routes, and a bare URL
	// for what is not a file.
	routes []devserver.Route
	rest   string
	text   string // for the status page
}

// backendTable declares [backend.NAME]. Its tables run commands, hence
// its risk.
func backendTable(o *options) tableDef {
	return tableDef{
		name:  "backend",
		usage: "several backends, each in a [backend.NAME] table, restarted alone when its files change; keys: " + strings.Join(backendKeys, ", "),
		example: `[backend.api]
exec = "go run ./cmd/api"
dir = "api"                        # its folder; restart-on defaults to its config files
build-on = ["api/**/*.go"]
proxy = "/api/=http://127.0.0.1:3000/"  # or a table: proxy = { "/api" = "http://127.0.0.1:3000" }
[backend.worker]
exec = "npm run worker"
restart-on = ["worker/**/*.js"]`,
		decode: o.decodeBackends,
		value:  o.backendsText,
		risk:   runs,
	}
}

// decodeBackends reads the [backend.NAME] tables, in the order of their
// names.
func (o *options) decodeBackends(v any) error {
	tables, ok := v.(map[string]any)
	if !ok {
		return errors.New("write each backend as a table of its own: [backend.api]")
	}
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	slices.Sort(names)
	o.tableBackends = nil
	for _, name := range names {
		t, ok := tables[name].(map[string]any)
		if !ok {
			return fmt.Errorf("%s is %s; write it as a table, [backend.%s] with exec = \"…\"", strconv.Quote(name), tomlText(tables[name]), name)
		}
		tb, err := decodeBackend(name, t)
		if err != nil {
			return fmt.Errorf("[backend.%s]: %v", name, err)
		}
		o.tableBackends = append(o.tableBackends, tb)
	}
	return nil
}

// decodeBackend reads one table.
func decodeBackend(name string, t map[string]any) (tableBackend, error) {
	tb := tableBackend{nb: devserver.NamedBackend{Name: name}}
	b := &tb.nb.Backend
	b.StopTimeout = 5 * time.Second
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var err error
	for _, k := range keys {
		v := t[k]
		switch k {
		case "exec":
			b.Command, err = tomlString(v)
		case "build":
			b.Build, err = tomlString(v)
		case "dir":
			b.Dir, err = tomlString(v)
		case "restart-on":
			tb.nb.Restart.On, err = tomlStrings(v)
		case "build-on":
			tb.nb.Restart.BuildOn, err = tomlStrings(v)
		case "ready":
			b.Ready, err = tomlString(v)
			if n, isInt := v.(int64); isInt {
				b.Ready, err = strconv.FormatInt(n, 10), nil
			}
		case "proxy":
			err = tb.decodeProxy(v)
		case "stop-signal":
			err = decodeSignal(b, v)
		case "stop-timeout":
			err = decodeTimeout(b, v)
		case "restart-on-crash":
			b.RestartOnCrash, err = tomlBool(v)
		default:
			return tb, fmt.Errorf("unknown key %q%s; valid keys: %s", k, didYouMean(k, backendKeys), strings.Join(backendKeys, ", "))
		}
		if err != nil {
			return tb, fmt.Errorf("%s = %s: %v", k, tomlText(v), err)
		}
	}
	if b.Command == "" {
		return tb, errors.New(`exec is missing; give the command that runs this backend, e.g. exec = "go run ."`)
	}
	tb.text = "exec=" + strconv.Quote(b.Command)
	return tb, nil
}

// decodeProxy reads a table's proxy: "PREFIX=URL", a bare URL (what is
// not a file), a list of those, or a table of prefix = URL.
func (tb *tableBackend) decodeProxy(v any) error {
	var specs []string
	if m, ok := v.(map[string]any); ok {
		for prefix, target := range m {
			s, err := tomlString(target)
			if err != nil {
				return fmt.Errorf("%s: %v", strconv.Quote(prefix), err)
			}
			specs = append(specs, prefix+"="+s)
		}
		slices.Sort(specs)
	} else {
		var err error
		if specs, err = tomlStrings(v); err != nil {
			return err
		}
	}
	for _, s := range specs {
		r, rest, err := parseProxy(s)
		if err != nil {
			return err
		}
		if rest != "" {
			if tb.rest != "" {
				return errors.New("names two URLs for what is not a file; give one, or routes as \"/prefix=URL\"")
			}
			tb.rest = rest
			continue
		}
		r.Backend = tb.nb.Name
		tb.routes = append(tb.routes, r)
	}
	return nil
}

// parseProxy reads one --proxy value: "PREFIX=URL" is a route, a URL
// alone is the backend of whatever is not a file (rest).
func parseProxy(s string) (r devserver.Route, rest string, err error) {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || !strings.Contains(s, "=") {
		return r, s, nil
	}
	prefix, target, _ := strings.Cut(s, "=")
	if !strings.HasPrefix(prefix, "/") {
		return r, "", fmt.Errorf("%q: a route's prefix starts with /, e.g. /api=http://127.0.0.1:3000", s)
	}
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") {
		return r, "", fmt.Errorf("%q: a route's target is an http:// or https:// URL, e.g. /api=http://127.0.0.1:3000", s)
	}
	return devserver.Route{Prefix: prefix, Target: target}, "", nil
}

// readProxies turns the --proxy values and the tables' proxy keys into
// Proxy.URL and the routes; one URL at most serves what is not a file.
func (o *options) readProxies() error {
	o.routes = nil
	for _, s := range o.proxies {
		r, rest, err := parseProxy(s)
		if err != nil {
			return fmt.Errorf("--proxy %v", err)
		}
		if rest != "" && o.proxy.URL != "" {
			return fmt.Errorf("--proxy is given two URLs for what is not a file (%s, %s); give one, and routes as --proxy /api=URL", o.proxy.URL, rest)
		}
		if rest != "" {
			o.proxy.URL = rest
			continue
		}
		o.routes = append(o.routes, r)
	}
	if o.proxy.All && o.proxy.URL == "" && len(o.routes) > 0 {
		return errors.New("--proxy-all sends everything to --proxy URL, and every --proxy is a route; give one URL alone")
	}
	for _, tb := range o.tableBackends {
		if tb.rest != "" && o.proxy.URL != "" {
			return fmt.Errorf("[backend.%s] proxy = %q and --proxy %s both take what is not a file; keep one", tb.nb.Name, tb.rest, o.proxy.URL)
		}
		if tb.rest != "" {
			o.proxy.URL, o.proxy.Backend = tb.rest, tb.nb.Name
		}
		o.routes = append(o.routes, tb.routes...)
	}
	if len(o.tableBackends) > 0 && o.backend.Command != "" {
		return fmt.Errorf("--exec %q and [backend.%s] both define backends; move --exec into a [backend.NAME] table of its own, or leave the tables out", o.backend.Command, o.tableBackends[0].nb.Name)
	}
	return nil
}

// backendsText is the tables' value on the status page.
func (o *options) backendsText() string {
	var parts []string
	for _, tb := range o.tableBackends {
		parts = append(parts, tb.nb.Name+": "+tb.text)
	}
	return strings.Join(parts, "; ")
}

// namedBackends are the tables' backends, each printing behind its name.
func (o options) namedBackends(out *term) []devserver.NamedBackend {
	width := 0
	for _, tb := range o.tableBackends {
		width = max(width, len(tb.nb.Name))
	}
	var nbs []devserver.NamedBackend
	for i, tb := range o.tableBackends {
		nb := tb.nb
		nb.Backend.Output = out.namedOutput(nb.Name, width, i)
		nbs = append(nbs, nb)
	}
	return nbs
}

// decodeSignal and decodeTimeout read the stop keys as the flags do.
func decodeSignal(b *backend.Config, v any) error {
	s, err := tomlString(v)
	if err != nil {
		return err
	}
	if b.StopSignal, err = backend.ParseSignal(s); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "backend: "))
	}
	return nil
}

func decodeTimeout(b *backend.Config, v any) error {
	s, err := tomlString(v)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return errors.New(`want a positive duration in quotes, e.g. "5s"`)
	}
	b.StopTimeout = d
	return nil
}

// tomlString, tomlStrings and tomlBool take a table's value in the shape
// a key wants; a list key takes a single string too.
func tomlString(v any) (string, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	return "", errors.New("want a string in quotes")
}

func tomlStrings(v any) ([]string, error) {
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, errors.New(`want a list of strings, e.g. ["a", "b"]`)
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, errors.New(`want a list of strings, e.g. ["a", "b"]`)
		}
		out[i] = s
	}
	return out, nil
}

func tomlBool(v any) (bool, error) {
	if b, ok := v.(bool); ok {
		return b, nil
	}
	return false, errors.New("want true or false")
}

// fieldKeys name, in the words of a settings file, the fields of a
// devserver.NamedBackend and a devserver.Route.
var fieldKeys = map[string]string{
	"Restart.On": "restart-on", "Restart.BuildOn": "build-on", "Name": "name",
	"Prefix": "prefix", "Target": "target", "Backend": "backend",
}

// backendsField words a devserver.ConfigError's field of Backends or
// Routes as the person wrote it: "a [backend.NAME] table's restart-on", "a
// proxy route's prefix".
func backendsField(field string) (string, bool) {
	var where string
	switch {
	case strings.HasPrefix(field, "Backends["):
		where = "a [backend.NAME] table's "
	case strings.HasPrefix(field, "Routes["):
		where = "a proxy route's "
	default:
		return "", false
	}
	_, sub, _ := strings.Cut(field, "].")
	if k, ok := fieldKeys[sub]; ok {
		return where + k, true
	}
	return strings.TrimSuffix(where, "'s "), true
}
