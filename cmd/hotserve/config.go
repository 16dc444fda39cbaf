package main

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// configName is the settings file hotserve reads from the served folder.
const configName = "hotserve.toml"

// readConfig applies the settings file named by --config, else the served
// folder's hotserve.toml when there is one, and records which file it read
// in o.config. The keys that run a command or loosen a default apply only
// when the person trusts the file as it is now (trust.go); otherwise
// o.pending says what was left out.
func readConfig(fs *flagSet, o *options) error {
	name := o.config
	if name == "" {
		name = filepath.Join(o.dir, configName)
	}
	data, err := os.ReadFile(name)
	switch {
	case o.config == "" && (errors.Is(err, os.ErrNotExist) || !isDir(o.dir)):
		return nil // no settings file (or no folder, which run reports): flags and defaults only
	case err != nil:
		return fmt.Errorf("cannot read the settings file: %v", err)
	}
	o.config = name
	path, err := filepath.Abs(name)
	if err != nil {
		return fmt.Errorf("cannot read the settings file: %v", err)
	}
	var storeErr error
	trusted := func() bool {
		ok, err := isTrusted(path, data)
		storeErr = err
		return ok
	}
	got, err := applyConfig(fs, name, data, trusted)
	if err != nil {
		return err
	}
	o.fileSet = got.set
	if len(got.withheld) > 0 {
		o.pending = &untrusted{name: name, path: path, data: data, asks: got.withheld, storeErr: storeErr}
	}
	return nil
}

// isDir reports whether dir is a folder. Reading a file under a file
// fails with ENOTDIR on Unix and ERROR_PATH_NOT_FOUND on Windows; asking
// the folder itself is the same question on both.
func isDir(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// fileKey is one key a settings file sets, as the file wrote it.
type fileKey struct {
	key, value string
	risk       risk
}

// fromFile is what a settings file set, and what it asked for but did not
// get.
type fromFile struct {
	set []fileKey
	// withheld are the keys that are not harmless, left out because the
	// file is not trusted.
	withheld []fileKey
}

// applyConfig sets, from the TOML text data (read from name), every flag
// that the command line did not set: flags given by hand win over the file.
// Every key is a flag name; errors name the file, the line and what is
// valid. Keys that are not harmless apply only if trusted() says so, which
// is asked only when the file has such keys; otherwise they are withheld,
// and so are the keys that need one that is, since they would do nothing.
func applyConfig(fs *flagSet, name string, data []byte, trusted func() bool) (fromFile, error) {
	values, keys, err := decodeConfig(fs, name, data)
	if err != nil {
		return fromFile{}, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	var got fromFile
	withheld := map[string]bool{}
	for _, key := range keys {
		if r := fs.keyRisk(key); r != harmless && !set[key] {
			withheld[key] = true
			got.withheld = append(got.withheld, fileKey{key, tomlText(values[key]), r})
		}
	}
	if len(withheld) > 0 && trusted() {
		clear(withheld)
		got.withheld = nil
	}
	for _, key := range keys {
		d, _ := fs.def(key)
		if set[key] || withheld[key] || withheld[d.needs] {
			continue
		}
		if t, ok := fs.table(key); ok {
			if err := t.decode(values[key]); err != nil {
				return fromFile{}, fmt.Errorf("%s:%d: [%s]: %v", name, tableLine(data, key), key, err)
			}
		} else if err := setKey(fs, key, values[key]); err != nil {
			return fromFile{}, fmt.Errorf("%s:%d: %s = %v: want %s", name, keyLine(data, key), key, tomlText(values[key]), describe(fs.Lookup(key)))
		}
		got.set = append(got.set, fileKey{key, tomlText(values[key]), fs.keyRisk(key)})
	}
	return got, nil
}

// keyRisk is what the settings file's key can do, whether a flag or a
// table.
func (fs *flagSet) keyRisk(key string) risk {
	if t, ok := fs.table(key); ok {
		return t.risk
	}
	d, _ := fs.def(key)
	return d.risk
}

// decodeConfig parses a settings file, checks that every key is a
// setting, and returns its values with their keys in order.
func decodeConfig(fs *flagSet, name string, data []byte) (map[string]any, []string, error) {
	var values map[string]any
	if _, err := toml.Decode(string(data), &values); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, nil, fmt.Errorf("%s:%d: %s", name, perr.Position.Line, perr.Message)
		}
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if _, ok := fs.table(key); ok {
			if !isTable(values[key]) {
				return nil, nil, fmt.Errorf("%s:%d: %s = %v: %s is a table; write it as [%s]", name, keyLine(data, key), key, tomlText(values[key]), key, key)
			}
			continue
		}
		if d, ok := fs.def(key); !ok || d.cliOnly {
			return nil, nil, fmt.Errorf("%s:%d: unknown key %q%s; valid keys: %s", name, keyLine(data, key), key, didYouMean(key, configKeys(fs)), strings.Join(configKeys(fs), ", "))
		}
	}
	return values, keys, nil
}

// setKey sets the flag key from its TOML value, which must have the
// flag's shape.
func setKey(fs *flagSet, key string, v any) error {
	texts, err := flagTexts(v)
	_, isArray := v.([]any)
	_, isString := v.(string)
	if list := flagKind(fs.Lookup(key)) == "list"; list && !isArray && !isString || !list && isArray {
		return errors.New("wrong shape")
	}
	if err != nil {
		return err
	}
	for _, s := range texts {
		if err := fs.Set(key, s); err != nil {
			return err
		}
	}
	return nil
}

// flagTexts turns a TOML value into the text(s) a flag parses; an array
// sets a repeatable flag once per element.
func flagTexts(v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case int64:
		return []string{strconv.FormatInt(v, 10)}, nil
	case bool:
		return []string{strconv.FormatBool(v)}, nil
	case []any:
		var out []string
		for _, e := range v {
			if _, nested := e.([]any); nested {
				return nil, errors.New("nested array")
			}
			s, err := flagTexts(e)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%T", v)
}

// tomlText shows a value back to the person as they would have written
// it, tables inline, so that what a table asks for (a backend's commands)
// can be read before trusting it. Strings and keys are quoted with Go's
// escapes where needed, so that no control character of a file reaches the
// terminal.
func tomlText(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case []any:
		return "[" + joinTexts(len(v), func(i int) string { return tomlText(v[i]) }) + "]"
	case []map[string]any:
		return "[" + joinTexts(len(v), func(i int) string { return tomlText(v[i]) }) + "]"
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		return "{" + joinTexts(len(keys), func(i int) string { return tomlKey(keys[i]) + " = " + tomlText(v[keys[i]]) }) + "}"
	}
	return fmt.Sprint(v)
}

func joinTexts(n int, text func(int) string) string {
	texts := make([]string, n)
	for i := range texts {
		texts[i] = text(i)
	}
	return strings.Join(texts, ", ")
}

// tomlKey writes a key bare when TOML allows it, else quoted.
func tomlKey(k string) string {
	if k != "" && strings.Trim(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == "" {
		return k
	}
	return strconv.Quote(k)
}

// describe says what a flag accepts, in the words of a settings file.
func describe(f *flag.Flag) string {
	switch flagKind(f) {
	case "bool":
		return "true or false"
	case "int":
		return "a whole number, e.g. " + f.DefValue
	case "duration":
		return `a duration in quotes, e.g. "` + f.DefValue + `"`
	case "list":
		return `a list of strings, e.g. ["a", "b"]`
	}
	return "a string in quotes"
}

// flagKind names the type of a flag's value.
func flagKind(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return "string"
	}
	switch g.Get().(type) {
	case bool:
		return "bool"
	case int, uint, int64, uint64:
		return "int"
	case time.Duration:
		return "duration"
	case []string:
		return "list"
	}
	return "string"
}

// configKeys lists the keys a settings file may use: every flag that is
// a setting, then every table.
func configKeys(fs *flagSet) []string {
	var keys []string
	fs.VisitAll(func(f *flag.Flag) {
		if d, _ := fs.def(f.Name); !d.cliOnly {
			keys = append(keys, f.Name)
		}
	})
	for _, t := range fs.tables {
		keys = append(keys, t.name)
	}
	return keys
}

// isTable reports whether a TOML value is a table, [name] or [name.sub],
// or an array of tables, [[name]].
func isTable(v any) bool {
	switch v.(type) {
	case map[string]any, []map[string]any:
		return true
	}
	return false
}

// tableLine finds the line that opens the table key, [key], [[key]] or
// [key.sub], for error messages.
func tableLine(data []byte, key string) int {
	re := regexp.MustCompile(`^\s*\[\[?\s*["']?` + regexp.QuoteMeta(key) + `["']?\s*[\].]`)
	for i, line := range strings.Split(string(data), "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return keyLine(data, key)
}

// keyLine finds the line on which key is assigned, for error messages
// (the TOML decoder keeps no positions for keys).
func keyLine(data []byte, key string) int {
	re := regexp.MustCompile(`^\s*["']?` + regexp.QuoteMeta(key) + `["']?\s*=`)
	for i, line := range strings.Split(string(data), "\n") {
		if re.MatchString(line) {
			return i + 1
		}
	}
	return 1
}

// tablesHeading opens the tables in hotserve init's file, after every key:
// a key below a table's heading belongs to that table.
const tablesHeading = "# Tables: settings that a flag cannot hold. They come after the keys above.\n"

// starterConfig is what `hotserve init` writes: every key, commented out,
// with its default and what it does, so the file documents itself.
func starterConfig(fs *flagSet) []byte {
	var sb strings.Builder
	sb.WriteString("# Settings for hotserve in this folder. Every command-line flag is a key;\n")
	sb.WriteString("# a flag given on the command line wins. Uncomment a line to change it.\n")
	sb.WriteString("# Keys that run a command or loosen a default (marked \"needs trust\") apply\n")
	sb.WriteString("# only once you trust this file as it is: hotserve trust-config.\n")
	fs.VisitAll(func(f *flag.Flag) {
		if d, _ := fs.def(f.Name); d.cliOnly {
			return
		}
		_, usage := flag.UnquoteUsage(f) // without the `name` quotes --help uses
		if d, _ := fs.def(f.Name); d.risk != harmless {
			usage += "; needs trust: " + riskText[d.risk]
		}
		fmt.Fprintf(&sb, "\n# %s\n# %s = %s\n", usage, f.Name, defaultText(f))
	})
	if len(fs.tables) > 0 {
		sb.WriteString("\n" + tablesHeading)
	}
	for _, t := range fs.tables {
		usage := t.usage
		if t.risk != harmless {
			usage += "; needs trust: " + riskText[t.risk]
		}
		fmt.Fprintf(&sb, "\n# %s\n", usage)
		for _, line := range strings.Split(strings.TrimSpace(t.example), "\n") {
			fmt.Fprintf(&sb, "# %s\n", line)
		}
	}
	return []byte(sb.String())
}

func defaultText(f *flag.Flag) string {
	switch flagKind(f) {
	case "bool", "int":
		return f.DefValue
	case "list":
		return "[]"
	}
	return strconv.Quote(f.DefValue)
}

// didYouMean suggests the valid key nearest to a misspelt one.
func didYouMean(key string, valid []string) string {
	best, bestDist := "", 3 // further than two edits is no suggestion
	for _, v := range valid {
		if d := editDistance(key, v); d < bestDist {
			best, bestDist = v, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
