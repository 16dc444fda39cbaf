package devserver

import (
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// badPath reports a request whose path no file name here should match:
// a literal '#' in the request line (illegal there, and servers that pass
// it on have had their deny rules bypassed with "/x#/../.env"), or, once
// decoded, a NUL, a backslash (a separator on Windows: "/..\secret"), or
// invalid UTF-8 (overlong encodings of '.' and '/'). The server has
// already refused malformed escapes ("/%zz") with 400. An escaped "%23" is
// a '#' in a file name and fine.
func badPath(r *http.Request) bool {
	return strings.Contains(r.RequestURI, "#") ||
		strings.ContainsAny(r.URL.Path, "\x00\\") ||
		!utf8.ValidString(r.URL.Path)
}

// keyExts and keyPrefixes name files that hold keys, certificates or
// credentials; like dotfiles, they are never served unless Config.Dotfiles.
// The list follows Vite's default server.fs.deny plus SSH and PuTTY keys.
var (
	keyExts     = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".keystore", ".ppk"}
	keyPrefixes = []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}
)

// private reports whether the slash-separated path p is off limits: any
// component that starts with "." (.env, .env.local, .git/, .npmrc, .ssh/)
// or a key file (*.pem, *.key, id_rsa, …), in any letter case.
func private(p string) bool {
	if hidden(p) {
		return true
	}
	base := strings.ToLower(path.Base(p))
	for _, ext := range keyExts {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	for _, pre := range keyPrefixes {
		if strings.HasPrefix(base, pre) {
			return true
		}
	}
	return false
}

// denied reports whether the cleaned URL path name must be answered 404:
// it is private, or a symbolic link makes it private in the end
// ("config -> .env", "keys -> ../.ssh").
func (f *fileServer) denied(name string) bool {
	if f.dotfiles {
		return false
	}
	if private(name) {
		return true
	}
	final, ok := f.finalPath(name)
	return ok && private(final)
}

// maxLinks bounds how many symbolic links are followed for one path, as
// the kernel does (ELOOP).
const maxLinks = 40

// finalPath returns the path, relative to the root, that the cleaned URL
// path name refers to once every symbolic link in it is followed, the way
// os.Root follows them: ok is false when a link is absolute, leaves the
// root, loops, or the path does not exist (then it cannot be opened
// either). With FollowSymlinks, a path that ends outside the root is
// returned absolute.
func (f *fileServer) finalPath(name string) (final string, ok bool) {
	if f.follow != "" {
		return f.followedPath(name)
	}
	var done []string
	todo := strings.Split(name, "/")
	for links := 0; len(todo) > 0; {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", false
			}
			done = done[:len(done)-1]
			continue
		}
		p := path.Join(append(done, part)...)
		info, err := f.root.Lstat(p)
		if err != nil {
			return "", false
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, part)
			continue
		}
		if links++; links > maxLinks {
			return "", false
		}
		target, err := f.root.Readlink(p)
		if err != nil || filepath.IsAbs(target) {
			return "", false
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	return path.Join(done...), true
}

// followedPath is finalPath when links may leave the root.
func (f *fileServer) followedPath(name string) (string, bool) {
	real, err := filepath.EvalSymlinks(filepath.Join(f.follow, filepath.FromSlash(name)))
	if err != nil {
		return "", false
	}
	if rel, err := filepath.Rel(f.follow, real); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel), true
	}
	return filepath.ToSlash(real), true
}

// tree is what the file server reads through: an *os.Root, which keeps
// every symbolic link inside the root, or, with Config.FollowSymlinks, a
// folder whose links go wherever they point.
type tree interface {
	Open(name string) (*os.File, error)
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Readlink(name string) (string, error)
	Close() error
}

// folder is a tree without containment, for Config.FollowSymlinks. Names
// are cleaned URL paths, so ".." cannot climb out; links can.
type folder string

func (d folder) path(name string) string { return filepath.Join(string(d), filepath.FromSlash(name)) }

func (d folder) Open(name string) (*os.File, error)     { return os.Open(d.path(name)) }
func (d folder) Stat(name string) (fs.FileInfo, error)  { return os.Stat(d.path(name)) }
func (d folder) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(d.path(name)) }
func (d folder) Readlink(name string) (string, error)   { return os.Readlink(d.path(name)) }
func (d folder) Close() error                           { return nil }
