package main

import (
	"errors"
	"flag"
	"fmt"
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
// in o.config.
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
	return applyConfig(fs, name, data)
}

// isDir reports whether dir is a folder. Reading a file under a file
// fails with ENOTDIR on Unix and ERROR_PATH_NOT_FOUND on Windows; asking
// the folder itself is the same question on both.
func isDir(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// applyConfig sets, from the TOML text data (read from name), every flag
// that the command line did not set: flags given by hand win over the file.
// Every key is a flag name; errors name the file, the line and what is
// valid.
func applyConfig(fs *flagSet, name string, data []byte) error {
	var values map[string]any
	if _, err := toml.Decode(string(data), &values); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return fmt.Errorf("%s:%d: %s", name, perr.Position.Line, perr.Message)
		}
		return fmt.Errorf("%s: %v", name, err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })

	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		at := fmt.Sprintf("%s:%d", name, keyLine(data, key))
		f := fs.Lookup(key)
		if d, ok := fs.def(key); !ok || d.cliOnly {
			return fmt.Errorf("%s: unknown key %q%s; valid keys: %s", at, key, didYouMean(key, configKeys(fs)), strings.Join(configKeys(fs), ", "))
		}
		if set[key] {
			continue
		}
		texts, err := flagTexts(values[key])
		_, isArray := values[key].([]any)
		_, isString := values[key].(string)
		if list := flagKind(f) == "list"; list && !isArray && !isString || !list && isArray {
			err = errors.New("wrong shape")
		}
		if err == nil {
			for _, s := range texts {
				if err = fs.Set(key, s); err != nil {
					break
				}
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %s = %v: want %s", at, key, tomlText(values[key]), describe(f))
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

// tomlText shows a value back to the person as they would have written it.
func tomlText(v any) string {
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	if m, ok := v.(map[string]any); ok && m != nil {
		return "a table"
	}
	return fmt.Sprint(v)
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

// configKeys lists the keys a settings file may use.
func configKeys(fs *flagSet) []string {
	var keys []string
	fs.VisitAll(func(f *flag.Flag) {
		if d, _ := fs.def(f.Name); !d.cliOnly {
			keys = append(keys, f.Name)
		}
	})
	return keys
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

// starterConfig is what `hotserve init` writes: every key, commented out,
// with its default and what it does, so the file documents itself.
func starterConfig(fs *flagSet) []byte {
	var sb strings.Builder
	sb.WriteString("# Settings for hotserve in this folder. Every command-line flag is a key;\n")
	sb.WriteString("# a flag given on the command line wins. Uncomment a line to change it.\n")
	fs.VisitAll(func(f *flag.Flag) {
		if d, _ := fs.def(f.Name); d.cliOnly {
			return
		}
		_, usage := flag.UnquoteUsage(f) // without the `name` quotes --help uses
		fmt.Fprintf(&sb, "\n# %s\n# %s = %s\n", usage, f.Name, defaultText(f))
	})
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
