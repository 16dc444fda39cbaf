// Package client holds the script that hotserve injects into every page.
// It is a real JavaScript file, embedded at build time.
package client

import (
	_ "embed"
	"fmt"
	"hash/fnv"
	"os"
)

//go:embed hotserve.js
var embedded []byte

// embeddedHash is the hash of embedded, taken once: the script cannot
// change while the process runs.
var embeddedHash = hash(embedded)

// DevEnv names an environment variable that, when set to the path of a
// hotserve.js, makes Script read that file on every request instead of the
// embedded copy, so the client can be developed without rebuilding.
const DevEnv = "HOTSERVE_CLIENT"

// Script returns the client script and a strong ETag for it: its Version
// in quotes.
func Script() (body []byte, etag string, err error) {
	body, sum := embedded, embeddedHash
	if p := os.Getenv(DevEnv); p != "" {
		if body, err = os.ReadFile(p); err != nil {
			return nil, "", fmt.Errorf("client: %s=%s: %w", DevEnv, p, err)
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
