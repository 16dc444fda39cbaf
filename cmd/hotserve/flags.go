package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/watcher"
)

// options is what the command line and the settings file asked for. Most
// values go straight into the structs of the packages they configure, as
// each flag's declaration in flagDefs says.
type options struct {
	dir        string
	host       string
	port       int
	strictPort bool
	open       bool
	noMorph    bool
	noHMR      bool
	https      httpsOptions
	// watch is the watcher's options but for Root and Progress.
	watch    watcher.Options
	security devserver.Security
	proxy    devserver.Proxy
	// proxies are the --proxy values, read into proxy and routes.
	proxies []string
	routes  []devserver.Route
	// tableBackends are the [backend.NAME] tables.
	tableBackends []tableBackend
	// backend is the backend's configuration, used when Command is set;
	// its StopSignal comes from stopSignal, the name given.
	backend    backend.Config
	stopSignal string
	restart    devserver.Restart
	mounts     []mountSpec     // --mount and [mounts], in the order given
	responses  responseOptions // --spa, --header, [[headers]], --isolate
	version    bool
	// config is the settings file read, if any: --config, else
	// hotserve.toml in the served folder when there is one.
	config string
	// fileSet are the keys the settings file set, for the banner to say
	// where a weakening came from.
	fileSet []fileKey
	// pending is the settings file's ask for what it was not given,
	// because the person has not trusted it as it is; nil when nothing
	// was withheld.
	pending   *untrusted
	logFormat string
	quiet     bool
	browser   browserOptions // --console, --no-overlay
	// monitor is the monitor's interval and thresholds, without Sampled.
	monitor monitor.Config
	// args is the command line, kept to read the settings again when the
	// settings file changes.
	args []string
	// settings are the effective values of every setting, for the status
	// page.
	settings []devserver.Setting
	// flags is the set o was read with, whose declarations word what is
	// wrong with o.
	flags *flagSet
}

// errUsage means the command line was wrong and the reason has been printed.
var errUsage = errors.New("usage")

const usageText = `hotserve serves a folder and live-reloads every open browser tab on save.

Usage:
  hotserve [flags] [dir]   serve dir (default: the current folder)
  hotserve init [dir]      write a commented hotserve.toml with every setting
  hotserve doctor [dir]    check this machine for what breaks dev servers
  hotserve trust-config [file]
                           let a settings file run its commands and loosen
                           defaults, after showing what it asks for
  hotserve untrust-config [file]
                           take that back (default file: ./hotserve.toml)
  hotserve ca              show the local certificate authority of --https:
                           where it is, its fingerprint, who trusts it
  hotserve trust           make this machine's browsers trust that authority
                           (system store, keychain, NSS databases)
  hotserve untrust         take that back

Examples:
  hotserve                     serve the current folder on http://127.0.0.1:8080/
  hotserve ./site --port 3000  serve ./site on port 3000
  hotserve --ignore 'dist/**'  do not watch the build output
  hotserve trust && hotserve --https --host 0.0.0.0
                               HTTPS with no warning here, and on a phone
                               once it scans the QR code
  hotserve --exec 'go run .' --proxy http://127.0.0.1:3000
                               run the backend, restart it when its config
                               changes, and serve its pages live-reloaded

Every flag can also be set in hotserve.toml in the served folder; flags win.
The keys that run a command or loosen a default apply from a file only once
you trust it as it is: any edit asks again.
`

// The groups of --help, in the order it shows them.
const (
	serving  = "Serving"
	watching = "Watching" // the settings a new watcher alone applies
	security = "Security (see SECURITY.md)"
	backends = "Backend"
	output   = "Output"
)

// printUsage prints the synopsis, examples and every flag, grouped.
func printUsage(w io.Writer, fs *flagSet) {
	fmt.Fprint(w, usageText)
	title := ""
	for _, d := range fs.defs {
		if d.group != title {
			title = d.group
			fmt.Fprintf(w, "\n%s:\n", title)
		}
		f := fs.Lookup(d.name)
		arg, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s\n      %s", strings.TrimSpace(f.Name+" "+arg), usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	}
}

// flagSet is the flag set of every setting, with the declarations it was
// made from.
type flagSet struct {
	*flag.FlagSet
	defs   []flagDef
	tables []tableDef
}

// newFlagSet defines every flag of flagDefs, writing into o. The same set
// serves the command line, hotserve.toml (every flag is a key) and
// `hotserve init`.
func newFlagSet(o *options) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet("hotserve", flag.ContinueOnError), defs: flagDefs(o), tables: tableDefs(o)}
	// Parse errors are reported in one line by parseFlags, not with the
	// whole usage.
	fs.SetOutput(io.Discard)
	for _, d := range fs.defs {
		fs.Var(d.value, d.name, d.usage)
	}
	return fs
}

// def is the declaration of the flag name.
func (fs *flagSet) def(name string) (flagDef, bool) {
	i := slices.IndexFunc(fs.defs, func(d flagDef) bool { return d.name == name })
	if i < 0 {
		return flagDef{}, false
	}
	return fs.defs[i], true
}

// table is the declaration of the settings file's table name.
func (fs *flagSet) table(name string) (tableDef, bool) {
	i := slices.IndexFunc(fs.tables, func(d tableDef) bool { return d.name == name })
	if i < 0 {
		return tableDef{}, false
	}
	return fs.tables[i], true
}

// needsText says what is missing when a flag is given without the one it
// needs, by the name of the one needed.
var needsText = map[string]string{
	"exec":  "applies to a backend, and --exec is empty; give the command that runs it (--exec 'go run .')",
	"proxy": "needs --proxy, the backend's URL (--proxy http://127.0.0.1:3000)",
}

// needsError says which flag is set to no effect because the one it needs
// is not, in the order of --help; nil when none is.
func (fs *flagSet) needsError() error {
	for _, d := range fs.defs {
		f := fs.Lookup(d.name)
		if d.needs != "" && f.Value.String() != f.DefValue && fs.Lookup(d.needs).Value.String() == "" {
			return fmt.Errorf("--%s %s", d.name, needsText[d.needs])
		}
	}
	return nil
}

// explain words an error of devserver.New for the terminal: a
// devserver.ConfigError is told with the flag that set its field.
func (fs *flagSet) explain(err error) error {
	ce, ok := errors.AsType[*devserver.ConfigError](err)
	if !ok {
		return err
	}
	for _, d := range fs.defs {
		if d.field == ce.Field {
			return fmt.Errorf("--%s %s %s", d.name, ce.Value, ce.Problem)
		}
	}
	if where, ok := backendsField(ce.Field); ok {
		return fmt.Errorf("%s %s %s", where, ce.Value, ce.Problem)
	}
	return err
}

// parseFlags reads args (without the program name). It prints its own
// messages to stderr and returns errUsage for bad usage or flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{args: args}
	fs := newFlagSet(&o)
	o.flags = fs
	// Flags may come before or after the folder, as in
	// `hotserve ./site --port 3000`: parse, take a folder, parse the rest.
	var dirs []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printUsage(stderr, fs)
				return o, err
			}
			return o, usageError(stderr, "%v", err)
		}
		if fs.NArg() == 0 {
			break
		}
		if page, ok := spaPageAsFolder(rest, fs.Args()); ok {
			return o, usageError(stderr, "--spa takes its page after an =: --spa=%s (%s was read as the folder to serve)", page, page)
		}
		dirs = append(dirs, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	switch len(dirs) {
	case 0:
		o.dir = "."
	case 1:
		o.dir = dirs[0]
	default:
		return o, usageError(stderr, "one folder at most, got %d: %s", len(dirs), strings.Join(dirs, " "))
	}
	if err := readConfig(fs, &o); err != nil {
		fmt.Fprintf(stderr, "hotserve: %s\n", escapeText(err.Error()))
		return o, errUsage
	}
	for _, key := range configKeys(fs) {
		value := func() string { return fs.Lookup(key).Value.String() }
		if t, ok := fs.table(key); ok {
			value = t.value
		}
		o.settings = append(o.settings, devserver.Setting{Key: key, Value: value()})
	}
	if o.port < 0 || o.port > 65535 {
		return o, usageError(stderr, "--port %d is not a port; use 1-65535, or 0 for any free port", o.port)
	}
	if o.monitor.Interval < 0 || o.monitor.Interval > 0 && o.monitor.Interval < minMonitorInterval {
		return o, usageError(stderr, "--monitor-interval %s is too short; use %s or more, or 0 to turn the monitor off", o.monitor.Interval, minMonitorInterval)
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return o, usageError(stderr, "--log %q is not a format; use text or json", o.logFormat)
	}
	if o.watch.Debounce <= 0 {
		return o, usageError(stderr, "--debounce %v must be positive, e.g. 10ms", o.watch.Debounce)
	}
	if err := o.readProxies(); err != nil {
		return o, usageError(stderr, "%v", err)
	}
	sig, err := backend.ParseSignal(o.stopSignal)
	if err != nil {
		// The backend knows which signals this OS can send.
		return o, usageError(stderr, "--stop-signal: %s", strings.TrimPrefix(err.Error(), "backend: "))
	}
	o.backend.StopSignal = sig
	if o.backend.StopTimeout <= 0 {
		return o, usageError(stderr, "--stop-timeout %v must be positive, e.g. 5s", o.backend.StopTimeout)
	}
	return o, nil
}

// usageError prints the reason for a bad command line and where to look.
func usageError(stderr io.Writer, format string, a ...any) error {
	fmt.Fprintf(stderr, "hotserve: %s (see hotserve --help)\n", escapeText(fmt.Sprintf(format, a...)))
	return errUsage
}

// listValue is a repeatable flag: each use adds one value. In hotserve.toml
// it is written as an array.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ", ") }

func (l *listValue) Get() any { return []string(*l) }

func (l *listValue) Set(s string) error {
	*l = append(*l, s)
	return nil
}
