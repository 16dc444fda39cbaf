package devserver

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
)

// listingPage renders a folder without an index.html. html/template escapes
// names in text and attributes; hrefs are also percent-escaped beforehand
// (see listing), so a name like "a?b#c" or "x:y" links to itself.
var listingPage = template.Must(template.New("listing").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Index of {{.Path}}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:48rem;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.2rem;font-weight:600;word-break:break-all}
table{border-collapse:collapse;width:100%}
td{padding:.3rem .5rem;border-bottom:1px solid #eee;word-break:break-all}
td.size{text-align:right;color:#666;white-space:nowrap;font-variant-numeric:tabular-nums}
a{color:#0550ae;text-decoration:none}
a:hover{text-decoration:underline}
@media (prefers-color-scheme:dark){body{background:#161616;color:#ddd}td{border-color:#333}a{color:#6cb6ff}}
</style>
</head>
<body>
<h1>Index of {{.Path}}</h1>
<table>
{{- if .Parent}}
<tr><td><a href="../">../</a></td><td class="size"></td></tr>
{{- end}}
{{- range .Entries}}
<tr><td><a href="{{.Href}}">{{.Name}}</a></td><td class="size">{{.Size}}</td></tr>
{{- else}}
<tr><td>This folder is empty.</td><td class="size"></td></tr>
{{- end}}
</table>
</body>
</html>
`))

// entry is one line of a listing.
type entry struct {
	Name string // as shown: folders end in "/"
	Href string // percent-escaped, relative to the folder
	Size string // empty for folders
	dir  bool
}

// listing renders the folder rel (URL path name) as HTML. Denied names
// (dotfiles, key files, links to them) are left out, and so are symbolic links that cannot be followed inside the
// root, since asking for them would only give 404. A mount whose prefix
// is an entry of the folder shows as a folder, in place of what the
// folder itself has by that name, which the mount hides.
func (f *fileServer) listing(name, rel string) ([]byte, error) {
	dir, err := f.root.Open(rel)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	des, err := dir.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	dirURL := strings.TrimSuffix(f.url(name), "/") + "/"
	entries := f.mountEntries(dirURL)
	mounted := len(entries)
	for _, de := range des {
		if f.denied(path.Join(name, de.Name())) || slices.ContainsFunc(entries[:mounted], func(e entry) bool { return e.Name == de.Name()+"/" }) {
			continue
		}
		info, err := de.Info()
		if err == nil && de.Type()&fs.ModeSymlink != 0 {
			info, err = f.root.Stat(path.Join(rel, de.Name()))
		}
		if err != nil {
			continue // gone since ReadDir, or a link out of the root
		}
		e := entry{Name: de.Name(), dir: info.IsDir()}
		if e.dir {
			e.Name += "/"
		} else {
			e.Size = humanSize(info.Size())
		}
		// url.URL escapes '?', '#' and '%', and writes "x:y" as "./x:y" so
		// that it is not read as a scheme.
		e.Href = (&url.URL{Path: e.Name}).String()
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	var page bytes.Buffer
	err = listingPage.Execute(&page, struct {
		Path    string
		Parent  bool
		Entries []entry
	}{dirURL, dirURL != "/", entries})
	return page.Bytes(), err
}

// humanSize formats n bytes for people: "512 B", "2.0 KiB", "1.5 MiB".
func humanSize(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/1024, 0
	for v >= 1024 && unit < 5 {
		v /= 1024
		unit++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTPE"[unit])
}
