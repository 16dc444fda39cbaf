// Package client holds the script that hotserve injects into every page.
// It is real JavaScript, in files named for what they hold, embedded at
// build time and joined into one script.
package client

import (
	"bytes"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"slices"
)

//go:embed *.js
var files embed.FS

// embedded is the script, joined once: it cannot change while the process
// runs.
var embedded = must(join(files))

// embeddedHash is the hash of embedded.
var embeddedHash = hash(embedded)

// DevEnv names an environment variable that, when set to a folder holding
// the client's files (this package's folder), makes Script read them on
// every request instead of the embedded copy, so the client can be
// developed without rebuilding.
const DevEnv = "HOTSERVE_CLIENT"

// main is the file that starts the client. It comes last, so that the
// declarations of every other file exist when it runs.
const main = "hotserve.js"

// join wraps the files of fsys in one function, so that they share their
// declarations and none leaks into the page: every other file in name
// order, then main. A page that has the client twice (it includes it
// itself) runs it once.
func join(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "*.js")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(names, main) {
		return nil, fmt.Errorf("client: no %s", main)
	}
	names = append(slices.DeleteFunc(names, func(n string) bool { return n == main }), main)
	var b bytes.Buffer
	b.WriteString("(() => {\n\"use strict\";\nif (window.__hotserve) return;\n")
	for _, name := range names {
		part, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\n// %s\n", name)
		b.Write(part)
	}
	b.WriteString("})();\n")
	return b.Bytes(), nil
}

// Script returns the client script and a strong ETag for it: its Version
// in quotes.
func Script() (body []byte, etag string, err error) {
	body, sum := embedded, embeddedHash
	if dir := os.Getenv(DevEnv); dir != "" {
		if body, err = join(os.DirFS(dir)); err != nil {
			return nil, "", fmt.Errorf("client: %s=%s: %w", DevEnv, dir, err)
		}
		sum = hash(body)
	}
	return body, `"` + sum + `"`, nil
}

// Version names the embedded script by its content, for a URL that a
// browser may cache for good: another script has another version. It is
// "" while DevEnv is set, since that script changes under the same URL
// and must be revalidated on every load.
func Version() string {
	if os.Getenv(DevEnv) != "" {
		return ""
	}
	return embeddedHash
}

func hash(body []byte) string {
	h := fnv.New64a()
	h.Write(body)
	return fmt.Sprintf("%x", h.Sum64())
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
