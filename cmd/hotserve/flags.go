package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotserve/hotserve/devserver"
)

// options is what the command line asked for.
type options struct {
	dir        string
	host       string
	port       int
	strictPort bool
	ignore     []string
	debounce   time.Duration
	version    bool
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
}

// errUsage means the command line was wrong and the reason has been printed.
var errUsage = errors.New("usage")

const usageText = `hotserve serves a folder and live-reloads every open browser tab on save.

Usage:
  hotserve [flags] [dir]

Examples:
  hotserve                     serve the current folder on http://127.0.0.1:8080/
  hotserve ./site --port 3000  serve ./site on port 3000
  hotserve --ignore 'dist/**'  do not watch the build output

Flags:
`

// newFlagSet defines every flag, writing into o. The same set serves the
// command line, hotserve.toml (every flag is a key) and `hotserve init`.
func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("hotserve", flag.ContinueOnError)
	// Parse errors are reported in one line by parseFlags, not with the
	// whole usage.
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.host, "host", "127.0.0.1", "address to listen on; anything but loopback exposes the folder to the network")
	fs.IntVar(&o.port, "port", 8080, "port to listen on; when taken, the next free one is used (0 = any free port)")
	fs.BoolVar(&o.strictPort, "strict-port", false, "fail instead of moving to the next free port")
	fs.Var((*listValue)(&o.ignore), "ignore", "do not watch paths matching this glob, e.g. 'dist/**' (repeatable)")
	fs.DurationVar(&o.debounce, "debounce", 25*time.Millisecond, "quiet period that ends a burst of changes")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolVar(&o.open, "open", false, "open the browser at start")
	fs.StringVar(&o.logFormat, "log", "text", "output format: text for people, json for tools and editors (one JSON object per line)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the URL, warnings and errors")
	fs.StringVar(&o.config, "config", "", "read settings from this TOML file (default: hotserve.toml in the served folder, if any)")
	return fs
}

// parseFlags reads args (without the program name). It prints its own
// messages to stderr and returns errUsage for bad usage or flag.ErrHelp.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	o := options{args: args}
	fs := newFlagSet(&o)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usageText)
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			return o, err
		}
		return o, usageError(stderr, "%v", err)
	}
	switch fs.NArg() {
	case 0:
		o.dir = "."
	case 1:
		o.dir = fs.Arg(0)
	default:
		return o, usageError(stderr, "one folder at most, got %d: %s", fs.NArg(), strings.Join(fs.Args(), " "))
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
		return o, usageError(stderr, "--debounce %v must be positive, e.g. 25ms", o.debounce)
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
