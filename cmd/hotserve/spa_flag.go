package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/hotserve/hotserve/devserver"
)

// spaValue is --spa, a flag that is a switch and may name a file: --spa
// alone (spa = true) serves the nearest index.html up the path, and
// --spa=app.html (spa = "app.html") that page. As a switch it takes no
// separate argument: `--spa app.html` would serve the folder app.html, so
// a file is given with "=".
type spaValue devserver.SPA

// IsBoolFlag lets --spa stand alone.
func (v *spaValue) IsBoolFlag() bool { return true }

func (v *spaValue) String() string {
	switch {
	case v == nil || !v.On && v.File == "":
		return "false"
	case v.File != "":
		return v.File
	}
	return "true"
}

// Get is a bool until a file is named, so that hotserve init writes
// spa = false, and the settings file takes spa = true.
func (v *spaValue) Get() any {
	if v.File != "" {
		return v.File
	}
	return v.On
}

func (v *spaValue) Set(s string) error {
	if on, err := strconv.ParseBool(s); err == nil {
		*v = spaValue{On: on}
		return nil
	}
	if s == "" {
		return errors.New(`give true, false or a page such as --spa=app.html`)
	}
	*v = spaValue{On: true, File: s}
	return nil
}

// spaPageAsFolder reports whether the argument the flag parser stopped at
// (left[0], the folder to serve) is a page written after a bare --spa, as
// in `hotserve --spa app.html`: --spa stands alone, so its page needs an
// "=", and an .html file is never the folder meant.
func spaPageAsFolder(parsed, left []string) (string, bool) {
	i := len(parsed) - len(left)
	if i < 1 || !strings.HasSuffix(strings.ToLower(left[0]), ".html") {
		return "", false
	}
	switch parsed[i-1] {
	case "--spa", "-spa":
		return left[0], true
	}
	return "", false
}
