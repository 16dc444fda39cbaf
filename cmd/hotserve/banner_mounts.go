package main

// bannerMount is one mount as the banner shows it: its prefix and its
// folder as given (by --mount or [mounts]), which is shorter than the
// absolute path and is what the person wrote.
type bannerMount struct {
	Prefix string `json:"prefix"`
	Dir    string `json:"dir"`
}

// bannerMounts are o's mounts in the order they are served.
func bannerMounts(o options) []bannerMount {
	out := []bannerMount{} // [] in --log json, not null
	for _, m := range o.effectiveMounts() {
		out = append(out, bannerMount{Prefix: m.prefix, Dir: m.dir})
	}
	return out
}

// mountRows are the banner's lines for the mounts, one each, escaped:
// a prefix or folder name may hold anything a file name can.
func mountRows(ms []bannerMount, row func(label, value string)) {
	for _, m := range ms {
		row("Mount:", escapeText(m.Prefix)+" → "+escapeText(m.Dir))
	}
}
