package devserver

import (
	"io"
	"net/http"
	"path"
	"strings"
)

// contentTypes is the Content-Type of every file hotserve serves, by its
// lower-case extension. It is hotserve's own table, not the machine's:
// mime.TypeByExtension reads /etc/mime.types, and on Windows the registry,
// where an installed program may have made .js "text/plain" (golang/go
// #32350), and with nosniff a browser then runs no script and applies no
// stylesheet. The same folder is served with the same types on every OS.
//
// .ts and .tsx are left out on purpose: the name is TypeScript to a web
// developer and an MPEG transport stream to mime.types; a browser runs
// neither, so they get what their bytes say (see contentType), which for
// source code is text/plain.
var contentTypes = map[string]string{
	// Pages, scripts, styles and data.
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".xhtml":       "application/xhtml+xml",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".cjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json", // source maps
	".jsonld":      "application/ld+json",
	".webmanifest": "application/manifest+json",
	".wasm":        "application/wasm",
	".xml":         "text/xml; charset=utf-8",
	".rss":         "application/rss+xml",
	".atom":        "application/atom+xml",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".vtt":         "text/vtt; charset=utf-8",
	".pdf":         "application/pdf",
	".zip":         "application/zip",
	".gz":          "application/gzip",
	// Images.
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".apng": "image/apng",
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".gif":  "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".jxl":  "image/jxl",
	".ico":  "image/x-icon",
	".bmp":  "image/bmp",
	// Fonts.
	".woff":  "font/woff",
	".woff2": "font/woff2",
	".ttf":   "font/ttf",
	".otf":   "font/otf",
	// Audio, video and 3D models.
	".mp3":  "audio/mpeg",
	".m4a":  "audio/mp4",
	".ogg":  "audio/ogg",
	".opus": "audio/ogg",
	".wav":  "audio/wav",
	".flac": "audio/flac",
	".mp4":  "video/mp4",
	".webm": "video/webm",
	".ogv":  "video/ogg",
	".glb":  "model/gltf-binary",
	".gltf": "model/gltf+json",
}

// knownType returns the Content-Type of the file name by its extension,
// or "" for an extension hotserve has no type for.
func knownType(name string) string {
	return contentTypes[strings.ToLower(path.Ext(name))]
}

// contentType is the Content-Type to serve the file name with: its
// extension's, or, for an extension not in contentTypes, what its first
// 512 bytes look like, as http.ServeContent would sniff them, but without
// consulting the machine's table first. It leaves file where it was.
func contentType(name string, file io.ReadSeeker) string {
	if ct := knownType(name); ct != "" {
		return ct
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(file, head)
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return "application/octet-stream" // ServeContent will report the seek
	}
	return http.DetectContentType(head[:n])
}
