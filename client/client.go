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

// DevEnv names an environment variable that, when set to the path of a
// hotserve.js, makes Script read that file on every request instead of the
// embedded copy, so the client can be developed without rebuilding.
const DevEnv = "HOTSERVE_CLIENT"

// Script returns the client script and a strong ETag for it.
func Script() (body []byte, etag string, err error) {
	body = embedded
	if p := os.Getenv(DevEnv); p != "" {
		if body, err = os.ReadFile(p); err != nil {
			return nil, "", fmt.Errorf("client: %s=%s: %w", DevEnv, p, err)
		}
	}
	h := fnv.New64a()
	h.Write(body)
	return body, fmt.Sprintf(`"%x"`, h.Sum64()), nil
}
