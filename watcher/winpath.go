package watcher

import "strings"

// Windows path shapes, for Windows' polling rule (mounts_windows.go) and
// for the advice that goes with it. They are pure string functions, built
// on every OS, so that their tests run everywhere.

// WSLPath reads a path into WSL's Linux file system, \\wsl$\Ubuntu\home\me
// or \\wsl.localhost\Ubuntu\home\me, as the distribution and the Linux
// path; ok is false for any other path.
func WSLPath(path string) (distro, linuxPath string, ok bool) {
	rest, ok := shareRest(path)
	if !ok {
		return "", "", false
	}
	parts := strings.Split(rest, `\`)
	if len(parts) < 2 || parts[1] == "" || !strings.EqualFold(parts[0], "wsl$") && !strings.EqualFold(parts[0], "wsl.localhost") {
		return "", "", false
	}
	return parts[1], "/" + strings.Trim(strings.Join(parts[2:], "/"), "/"), true
}

// shareOf returns the \\server\share part of a path on a network share,
// with ok false for any other path.
func shareOf(path string) (share string, ok bool) {
	rest, ok := shareRest(path)
	if !ok {
		return "", false
	}
	parts := strings.SplitN(rest, `\`, 3)
	if len(parts) < 2 {
		return `\\` + rest, true
	}
	return `\\` + parts[0] + `\` + parts[1], true
}

// shareRest is a share path without its leading \\ (or \\?\UNC\): the
// server, the share and the rest. Device paths (\\?\C:\…, \\.\…) are not
// shares; forward slashes count as backslashes, as in Windows.
func shareRest(path string) (string, bool) {
	path = strings.ReplaceAll(path, "/", `\`)
	if len(path) > 8 && strings.EqualFold(path[:8], `\\?\UNC\`) {
		return path[8:], true
	}
	if strings.HasPrefix(path, `\\`) && !strings.HasPrefix(path, `\\?\`) && !strings.HasPrefix(path, `\\.\`) {
		return path[2:], true
	}
	return "", false
}
