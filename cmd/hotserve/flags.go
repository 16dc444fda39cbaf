package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/backend"
	"github.com/hotserve/hotserve/watcher"
)

// options is what the command line asked for.
type options struct {
	dir         string
	host        string
	port        int
	strictPort  bool
	ignore      []string
	debounce    time.Duration
	poll        bool
	noGitignore bool
	version     bool
	// config is the settings file read, if any: --config, else
	// hotserve.toml in the served folder when there is one.
	config    string
	open      bool
	logFormat string
	quiet     bool
	// args is the command line, kept to read the settings again when the
	// settings file changes.
	args []string
	// settings are the effective values of every setting, for the status
	// page.
	settings []devserver.Setting
	// The backend (see devserver.Config).
	exec, build        string
	restartOn, buildOn []string
	stopSignal         string
	stopTimeout        time.Duration
	restartOnCrash     bool
	proxy              string
	proxyAll           bool
	ready              string
	// Security (see SECURITY.md and devserver.Config).
	allowedHosts, cors       []string
	dotfiles, followSymlinks bool
}

// errUsage means the command line was wrong and the reason has been printed.
var errUsage = errors.New("usage")

const usageText = `hotserve serves a folder and live-reloads every open browser tab on save.

Usage:
  hotserve [flags] [dir]   serve dir (default: the current folder)
  hotserve init [dir]      write a commented hotserve.toml with every setting
  hotserve doctor [dir]    check this machine for what breaks dev servers

Examples:
  hotserve                     serve the current folder on http://127.0.0.1:8080/
  hotserve ./site --port 3000  serve ./site on port 3000
  hotserve --ignore 'dist/**'  do not watch the build output
  hotserve --exec 'go run .' --proxy http://127.0.0.1:3000
                               run the backend, restart it when its config
                               changes, and serve its pages live-reloaded

Every flag can also be set in hotserve.toml in the served folder; flags win.
`

// flagGroups orders the help by what a person is looking for.
var flagGroups = []struct {
	title string
	names []string
}{
	{"Serving", []string{"host", "port", "strict-port", "open"}},
	{"Watching", []string{"ignore", "no-gitignore", "debounce", "poll"}},
	{"Security (see SECURITY.md)", []string{"allowed-host", "cors", "dotfiles", "follow-symlinks"}},
	{"Backend", []string{"exec", "build", "restart-on", "build-on", "stop-signal", "stop-timeout", "restart-on-crash", "proxy", "proxy-all", "ready"}},
	{"Output", []string{"log", "quiet", "config", "version"}},
}

// printUsage prints the synopsis, examples and every flag, grouped.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, usageText)
	grouped := map[string]bool{}
	group := func(title string, names []string) {
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, name := range names {
			f := fs.Lookup(name)
			if f == nil {
				continue
			}
			grouped[name] = true
			arg, usage := flag.UnquoteUsage(f)
			fmt.Fprintf(w, "  --%s\n      %s", strings.TrimSpace(f.Name+" "+arg), usage)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(w)
		}
	}
	for _, g := range flagGroups {
		group(g.title, g.names)
	}
	var rest []string
	fs.VisitAll(func(f *flag.Flag) {
		if !grouped[f.Name] {
			rest = append(rest, f.Name)
		}
	})
	if len(rest) > 0 {
		group("Other", rest)
	}
}

// newFlagSet defines every flag, writing into o. The same set serves the
// command line, hotserve.toml (every flag is a key) and `hotserve init`.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("hotserve", flag.ContinueOnError)
	// Parse errors are reported in one line by parseFlags, not with the
	// whole usage.
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.host, "host", "localhost", "address to listen on: localhost is 127.0.0.1 and ::1; 0.0.0.0 or an interface address exposes the folder to your network")
	fs.IntVar(&o.port, "port", 8080, "port to listen on; when taken, the next free one is used (0 = any free port)")
	fs.BoolVar(&o.strictPort, "strict-port", false, "fail instead of moving to the next free port")
	fs.Var((*listValue)(&o.ignore), "ignore", "do not watch paths matching this `glob`, e.g. 'dist/**' (repeatable)")
	fs.DurationVar(&o.debounce, "debounce", watcher.DefaultDebounce, "quiet period that ends a burst of changes; checkouts and files still being written are waited for anyway")
	fs.BoolVar(&o.poll, "poll", false, "poll the folder for changes instead of having the system report them (chosen by itself on network drives and FUSE file systems)")
	fs.BoolVar(&o.noGitignore, "no-gitignore", false, "watch and report what .gitignore files exclude, too")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.Var((*listValue)(&o.allowedHosts), "allowed-host", "also answer requests for this host `name`, e.g. mybox.lan; others get 403 (repeatable)")
	fs.Var((*listValue)(&o.cors), "cors", "let pages of this exact `origin` read responses, e.g. http://localhost:3000 (repeatable)")
	fs.BoolVar(&o.dotfiles, "dotfiles", false, "serve and list dotfiles (.env, .git/) and key files (*.pem, *.key, id_rsa)")
	fs.BoolVar(&o.followSymlinks, "follow-symlinks", false, "follow symbolic links that leave the folder")
	fs.BoolVar(&o.open, "open", false, "open the browser at start")
	fs.StringVar(&o.logFormat, "log", "text", "output format: text for people, json for tools and editors (one JSON object per line)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the URL, warnings and errors")
	fs.StringVar(&o.config, "config", "", "read settings from this TOML file (default: hotserve.toml in the served folder, if any)")
	fs.StringVar(&o.exec, "exec", "", "run the backend with this shell `command`, e.g. 'go run .', and restart it when its files change")
	fs.StringVar(&o.build, "build", "", "shell `command` run before the backend starts, and again when a --build-on file changes")
	fs.Var((*listValue)(&o.restartOn), "restart-on", "restart the backend when a file matching this `glob` changes (repeatable; default: "+strings.Join(devserver.DefaultRestartOn, " ")+")")
	fs.Var((*listValue)(&o.buildOn), "build-on", "run --build, then restart the backend, when a file matching this `glob` changes, e.g. '*.go' (repeatable)")
	fs.StringVar(&o.stopSignal, "stop-signal", "TERM", "signal that asks the backend's process group to stop: "+strings.Join(backend.SignalNames(), ", "))
	fs.DurationVar(&o.stopTimeout, "stop-timeout", 5*time.Second, "time the backend has to stop after --stop-signal before it is killed")
	fs.BoolVar(&o.restartOnCrash, "restart-on-crash", false, "restart a backend that exits at once (with backoff), not on the next change")
	fs.StringVar(&o.proxy, "proxy", "", "send requests that are not for a file in the folder to this backend URL, e.g. http://127.0.0.1:3000")
	fs.BoolVar(&o.proxyAll, "proxy-all", false, "send every request to --proxy, files in the folder included")
	fs.StringVar(&o.ready, "ready", "", "URL, host:port or port where a restarted backend answers; tabs reload once it does (default: --proxy)")
	return fs
}

// parseFlags reads args (without the program name). It prints its own
// messages to stderr and returns errUsage for bad usage or flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{args: args}
	fs := newFlagSet(&o)
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
		fmt.Fprintf(stderr, "hotserve: %v\n", err)
		return o, errUsage
	}
	for _, key := range configKeys(fs) {
		o.settings = append(o.settings, devserver.Setting{Key: key, Value: fs.Lookup(key).Value.String()})
	}
	if o.port < 0 || o.port > 65535 {
		return o, usageError(stderr, "--port %d is not a port; use 1-65535, or 0 for any free port", o.port)
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return o, usageError(stderr, "--log %q is not a format; use text or json", o.logFormat)
	}
	if o.debounce <= 0 {
		return o, usageError(stderr, "--debounce %v must be positive, e.g. 10ms", o.debounce)
	}
	if _, err := backend.ParseSignal(o.stopSignal); err != nil {
		// The backend knows which signals this OS can send.
		return o, usageError(stderr, "--stop-signal: %s", strings.TrimPrefix(err.Error(), "backend: "))
	}
	if o.stopTimeout <= 0 {
		return o, usageError(stderr, "--stop-timeout %v must be positive, e.g. 5s", o.stopTimeout)
	}
	return o, nil
}

// usageError prints the reason for a bad command line and where to look.
func usageError(stderr io.Writer, format string, a ...any) error {
	fmt.Fprintf(stderr, "hotserve: "+format+" (see hotserve --help)\n", a...)
	return errUsage
}

// listValue is a repeatable flag: each use adds one value. In hotserve.toml
// it is written as an array.
type listValue []string

func (l *listValue) String() string { return strings.Join(*l, ", ") }

func (l *listValue) Set(s string) error {
	*l = append(*l, s)
	return nil
}
