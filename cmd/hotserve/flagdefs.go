package main

import (
	"flag"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/watcher"
)

// flagDef declares one setting, once: its name (the flag, and its key in
// hotserve.toml), the group --help lists it in, its help, and where its
// value goes. The flag set, the settings file's keys, `hotserve init`, the
// grouped --help, which changes a new watcher alone applies (the Watching
// group) and which flags need another all come from these declarations.
type flagDef struct {
	group, name, usage string
	value              flag.Value
	// cliOnly flags are not settings: hotserve.toml cannot set them.
	cliOnly bool
	// needs names the flag without which this one does nothing; giving
	// this one alone is an error.
	needs string
	// field is the devserver.Config field the value ends up in, so that a
	// devserver.ConfigError about it names the flag.
	field string
	// risk is what the key can do when someone else wrote its value: a
	// settings file sets a key that is not harmless only once the person
	// trusts the file (trust.go). Declare it with every new key.
	risk risk
}

// risk is what a setting can do to the person running hotserve.
type risk int

const (
	harmless risk = iota
	runs          // runs a command
	loosens       // turns off or widens a default protection
	connects      // makes hotserve connect to an address of the file's choosing
)

// flagDefs declares every flag, writing into o, in the order of --help.
// Adding a flag is one line here plus the field it fills.
//
// https is harmless: it changes how the same pages reach the same
// browsers, not who can reach them, and its authority's key stays in the
// person's data folder. cert and key loosen: a settings file could make
// hotserve present another certificate of the person's (a company's, for
// real names it vouches for), and serve the folder under those names.
//
// The keys that only shape when the user's own backend restarts
// (restart-on, build-on, restart-on-crash, stop-signal, stop-timeout) are
// harmless: without exec they do nothing, and an untrusted file's exec is
// never applied.
func flagDefs(o *options) []flagDef {
	return []flagDef{
		{group: serving, name: "host", risk: loosens, value: stringFlag(&o.host, "localhost"), usage: "address to listen on: localhost is 127.0.0.1 and ::1; 0.0.0.0 or an interface address exposes the folder to your network"},
		{group: serving, name: "port", value: intFlag(&o.port, 8080), usage: "port to listen on; when taken, the next free one is used (0 = any free port)"},
		{group: serving, name: "strict-port", value: boolFlag(&o.strictPort), usage: "fail instead of moving to the next free port"},
		{group: serving, name: "https", value: boolFlag(&o.https.on), usage: "serve HTTPS and HTTP/2 on the same port, with a certificate from hotserve's local authority (see hotserve trust); plain HTTP is redirected"},
		{group: serving, name: "cert", risk: loosens, value: stringFlag(&o.https.cert, ""), usage: "serve HTTPS with this certificate `file` (PEM) instead of one from the local authority, e.g. mkcert's; needs --key"},
		{group: serving, name: "key", risk: loosens, value: stringFlag(&o.https.key, ""), usage: "the private key `file` (PEM) of --cert"},
		{group: serving, name: "open", value: boolFlag(&o.open), usage: "open the browser at start"},
		{group: serving, name: "mount", cliOnly: true, field: "Mounts", value: mountFlag(&o.mounts), usage: "also serve and watch a folder under a URL prefix, as `prefix=folder`, e.g. /vendor=../shared-lib, the folder relative to the current one; it hides the served folder's files under the prefix (repeatable; in hotserve.toml: [mounts])"},
		{group: serving, name: "spa", field: "SPA.File", value: &o.responses.spa, usage: "answer a navigation to a path with no file with the nearest index.html up the path, for a single-page app's routes; --spa=FILE serves that page instead, e.g. --spa=app.html"},
		{group: serving, name: "header", risk: loosens, value: listFlag(&o.responses.header), usage: "set this `header`, written 'Name: value', on every response, e.g. 'Cross-Origin-Opener-Policy: same-origin' (repeatable; by path: [[headers]] in hotserve.toml)"},
		{group: serving, name: "isolate", value: boolFlag(&o.responses.isolate), usage: "make pages cross-origin isolated (COOP same-origin, COEP require-corp on every response), for SharedArrayBuffer and WebAssembly threads"},
		{group: serving, name: "no-hmr", field: "NoHMR", value: boolFlag(&o.noHMR), usage: "reload the tabs for every ES module edit instead of hot-replacing the modules that accept it (import.meta.hot)"},
		{group: serving, name: "no-morph", field: "NoMorph", value: boolFlag(&o.noMorph), usage: "reload the tabs for every page edit instead of morphing the page in place, which keeps form values, focus, scroll and the page's JavaScript state"},

		{group: watching, name: "ignore", value: listFlag(&o.watch.Ignore), usage: "do not watch paths matching this `glob`, e.g. 'dist/**' (repeatable)"},
		{group: watching, name: "no-gitignore", value: boolFlag(&o.watch.NoGitignore), usage: "watch and report what .gitignore files exclude, too"},
		{group: watching, name: "debounce", value: durationFlag(&o.watch.Debounce, watcher.DefaultDebounce), usage: "quiet period that ends a burst of changes (a build's is 100ms, or this if longer); checkouts and files still being written are waited for anyway"},
		{group: watching, name: "poll", value: boolFlag(&o.watch.Poll), usage: "poll the folder for changes instead of having the system report them (chosen by itself on network drives and FUSE file systems)"},

		{group: security, name: "allowed-host", risk: loosens, field: "Security.AllowedHosts", value: listFlag(&o.security.AllowedHosts), usage: "also answer requests for this host `name`, e.g. mybox.lan; others get 403 (repeatable)"},
		{group: security, name: "cors", risk: loosens, field: "Security.CORSOrigins", value: listFlag(&o.security.CORSOrigins), usage: "let pages of this exact `origin` read responses, e.g. http://localhost:3000 (repeatable)"},
		{group: security, name: "dotfiles", risk: loosens, value: boolFlag(&o.security.Dotfiles), usage: "serve and list dotfiles (.env, .git/) and key files (*.pem, *.key, id_rsa)"},
		{group: security, name: "follow-symlinks", risk: loosens, value: boolFlag(&o.security.FollowSymlinks), usage: "follow symbolic links that leave the folder"},

		{group: backends, name: "exec", risk: runs, value: stringFlag(&o.backend.Command, ""), usage: "run the backend with this shell `command`, e.g. 'go run .', and restart it when its files change"},
		{group: backends, name: "build", risk: runs, needs: "exec", value: stringFlag(&o.backend.Build, ""), usage: "shell `command` run before the backend starts, and again when a --build-on file changes"},
		{group: backends, name: "restart-on", needs: "exec", field: "Restart.On", value: listFlag(&o.restart.On), usage: "restart the backend when a file matching this `glob` changes (repeatable; default: " + strings.Join(devserver.DefaultRestartOn, " ") + ")"},
		{group: backends, name: "build-on", needs: "exec", field: "Restart.BuildOn", value: listFlag(&o.restart.BuildOn), usage: "run --build, then restart the backend, when a file matching this `glob` changes, e.g. '*.go' (repeatable)"},
		{group: backends, name: "stop-signal", value: stringFlag(&o.stopSignal, "TERM"), usage: "signal that asks the backend's process group to stop: " + strings.Join(backend.SignalNames(), ", ")},
		{group: backends, name: "stop-timeout", value: durationFlag(&o.backend.StopTimeout, 5*time.Second), usage: "time the backend has to stop after --stop-signal before it is killed"},
		{group: backends, name: "restart-on-crash", needs: "exec", value: boolFlag(&o.backend.RestartOnCrash), usage: "restart a backend that exits at once (with backoff), not on the next change"},
		{group: backends, name: "proxy", risk: connects, field: "Proxy.URL", value: listFlag(&o.proxies), usage: "send requests that are not for a file in the folder to this backend URL, e.g. http://127.0.0.1:3000; or, as /api=URL, everything under /api, files or not (repeatable; a URL with a path replaces the prefix: /api/=http://127.0.0.1:3000/v1/)"},
		{group: backends, name: "proxy-all", risk: connects, needs: "proxy", field: "Proxy.All", value: boolFlag(&o.proxy.All), usage: "send every request to --proxy, files in the folder included"},
		{group: backends, name: "ready", risk: connects, needs: "exec", value: stringFlag(&o.backend.Ready, ""), usage: "URL, host:port or port where a restarted backend answers; tabs reload once it does (default: --proxy)"},

		{group: output, name: "log", value: stringFlag(&o.logFormat, "text"), usage: "output format: text for people, json for tools and editors (one JSON object per line)"},
		{group: output, name: "quiet", value: boolFlag(&o.quiet), usage: "print only the URL, warnings and errors"},
		{group: output, name: "console", field: "Console", value: consoleFlag(&o.browser.console), usage: "the `level` of the pages' console events the terminal shows: errors (uncaught errors, rejections, console.error and console.warn), all (console.log and console.info too) or off"},
		{group: output, name: "no-overlay", value: boolFlag(&o.browser.noOverlay), usage: "do not cover a page with its uncaught errors (the runtime-error overlay); they still reach the terminal"},
		{group: output, name: "monitor-interval", value: durationFlag(&o.monitor.Interval, monitor.DefaultInterval), usage: "how often to sample CPU, memory, disk space and file events for the status page's charts and the warnings of [monitor] (0 = off)"},
		{group: output, name: "config", cliOnly: true, value: stringFlag(&o.config, ""), usage: "read settings from this TOML file (default: hotserve.toml in the served folder, if any)"},
		{group: output, name: "version", cliOnly: true, value: boolFlag(&o.version), usage: "print the version and exit"},
	}
}

// The flag package's own Values, made through a scratch set because their
// types are unexported: they know their bool form (--open without a
// value), their argument's name in --help, and implement flag.Getter.
func stdFlag[T any](define func(*flag.FlagSet, *T, string, T, string), p *T, def T) flag.Value {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	define(fs, p, "v", def, "")
	return fs.Lookup("v").Value
}

func stringFlag(p *string, def string) flag.Value { return stdFlag((*flag.FlagSet).StringVar, p, def) }
func intFlag(p *int, def int) flag.Value          { return stdFlag((*flag.FlagSet).IntVar, p, def) }
func boolFlag(p *bool) flag.Value                 { return stdFlag((*flag.FlagSet).BoolVar, p, false) }
func listFlag(p *[]string) flag.Value             { return (*listValue)(p) }

func durationFlag(p *time.Duration, def time.Duration) flag.Value {
	return stdFlag((*flag.FlagSet).DurationVar, p, def)
}
