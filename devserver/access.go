package devserver

import (
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
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
// credentials; like dotfiles, they are never served unless Security.Dotfiles.
// The list follows Vite's default server.fs.deny plus SSH and PuTTY keys.
var (
	keyExts     = []string{".pem", ".key", ".crt", ".cer", ".der", ".p12", ".pfx", ".jks", ".keystore", ".ppk"}
	keyPrefixes = []string{"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"}
)

// private reports whether the slash-separated path p is off limits: any
// component that starts with "." (.env, .env.local, .git/, .npmrc, .ssh/)
// or a key file (*.pem, *.key, id_rsa, …), in any letter case. Names are
// compared as a file system that folds them would (see foldName), so
// "ID_RSA", ".GIT" and "id_r\u017fa" are caught where they open id_rsa.
func private(p string) bool {
	var base string
	for part := range strings.SplitSeq(p, "/") {
		if part == "" {
			continue
		}
		if !ascii(part) {
			part = foldName(part)
		}
		if strings.HasPrefix(part, ".") {
			return true
		}
		base = part
	}
	base = strings.ToLower(base)
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

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldName returns the name s in lower case the way the file systems that
// fold names compare it, as far as the deny rules care: the characters
// whose case folding is ASCII (Unicode's simple and full folding, and the
// Turkic dotless i that NTFS's upper-case table maps to I) become those
// letters, and the characters HFS+ ignores in names are dropped, so
// "\u200c.env" is ".env" there (git's CVE-2014-9390). Where a file system
// folds further, the exact-name check (see exactName) still holds.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x200c && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x206a && r <= 0x206f, r == 0xfeff:
		case asciiFolds[r] != "":
			b.WriteString(asciiFolds[r])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// asciiFolds maps the non-ASCII characters whose case folding is all
// ASCII and that unicode.ToLower leaves alone (it turns the Kelvin sign
// into k itself).
var asciiFolds = map[rune]string{
	'\u0130': "i", '\u0131': "i", '\u017f': "s", '\u00df': "ss", '\u1e9e': "ss",
	'\ufb00': "ff", '\ufb01': "fi", '\ufb02': "fl", '\ufb03': "ffi", '\ufb04': "ffl", '\ufb05': "st", '\ufb06': "st",
}

// aliasName reports whether a segment of the cleaned URL path name may
// open something other than the file of that name on Windows, or on a FAT,
// NTFS or SMB file system mounted anywhere, which would walk around the
// deny rules (they read names):
//
//   - a ':': an NTFS stream ("index.html::$DATA", ".git::$INDEX_ALLOCATION",
//     "key.pem:x") or a drive ("C:", "c:foo");
//   - a trailing '.' or ' ', which Win32 strips: ".env." and "key.pem "
//     open ".env" and "key.pem";
//   - a reserved device name: CON, PRN, AUX, NUL, CONIN$, CONOUT$,
//     COM0-COM9, LPT0-LPT9 (and COM¹²³, LPT¹²³), in any case, also with an
//     extension or spaces before it ("aux.html", "Nul .txt");
//   - the shape of an 8.3 short name, which opens the long name it stands
//     for: at most 8 characters, then at most a dot and 3, with a '~' that
//     is not the first character ("GIT~1" is .git, "INDEX~1.HTM", Wine's
//     "_GIT~IBP"). "file~name.txt", "report~2024.txt", "~user" and "a.b.c"
//     are not that shape and are served;
//   - where the OS has them, characters it forbids in names (see
//     forbiddenChar).
//
// All but the last are refused on every OS, whatever Security.Dotfiles says:
// no page needs such a name, most of them cannot be checked out on Windows,
// and one rule everywhere keeps a site behaving the same on every machine
// and shuts out FAT and NTFS drives on Linux and macOS too. The short-name
// rule may hide a real file such as "a~b.js"; rename it.
func aliasName(name string) bool {
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" {
			continue
		}
		if strings.ContainsRune(seg, ':') || strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") ||
			deviceName(seg) || shortName(seg) || forbiddenChar(seg) {
			return true
		}
	}
	return false
}

// deviceName reports whether Windows reads the name seg as a device: its
// part before the first dot, trailing spaces removed, is a reserved name.
func deviceName(seg string) bool {
	base, _, _ := strings.Cut(seg, ".")
	base = strings.TrimRight(base, " ")
	for _, dev := range []string{"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} {
		if strings.EqualFold(base, dev) {
			return true
		}
	}
	if len(base) < 4 || !strings.EqualFold(base[:3], "COM") && !strings.EqualFold(base[:3], "LPT") {
		return false
	}
	switch n := base[3:]; n {
	case "\u00b9", "\u00b2", "\u00b3":
		return true
	default:
		return len(n) == 1 && '0' <= n[0] && n[0] <= '9'
	}
}

// shortName reports whether seg has the shape of an 8.3 short name with a
// generated '~' in it (see aliasName).
func shortName(seg string) bool {
	base, ext, _ := strings.Cut(seg, ".")
	return strings.IndexByte(base, '~') > 0 && !strings.Contains(ext, ".") &&
		utf8.RuneCountInString(base) <= 8 && utf8.RuneCountInString(ext) <= 3
}

// denied reports whether the cleaned URL path name must be answered 404:
// it is an alias (see aliasName), private, or a symbolic link makes it
// private in the end ("config -> .env", "keys -> ../.ssh").
func (f *fileServer) denied(name string) bool {
	final, ok := "", false
	if !aliasName(name) && !f.dotfiles && !private(name) {
		final, ok = f.finalPath(name) // a link may make it private
	}
	return f.deniedAt(name, final, ok)
}

// deniedAt is denied for name, whose symbolic links lead to final when ok.
func (f *fileServer) deniedAt(name, final string, ok bool) bool {
	if aliasName(name) {
		return true
	}
	return !f.dotfiles && (private(name) || ok && private(final))
}

// exactName returns an error matching fs.ErrNotExist unless every segment
// of the cleaned URL path name is spelled exactly as its entry on disk, so
// that where the file system folds names (APFS, NTFS, a FAT drive, WSL's
// /mnt/c) "/Index.HTML" is not index.html, "/.GIT/config" is not
// .git/config and "/GIT~1" is not .git: a file is served only by its real
// name, as a case-sensitive production server would. It reads each folder
// on the way (see hasEntry), so it runs only where names may fold
// (fileServer.exact).
func (f *fileServer) exactName(name string) error {
	dir := "."
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" {
			continue
		}
		ok, err := f.hasEntry(dir, seg)
		if err != nil {
			return err
		}
		if !ok {
			return &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		dir = path.Join(dir, seg)
	}
	return nil
}

// foldsNames reports whether the file system of the folder t folds letter
// case: a name of its own in the other case, which the folder does not
// hold, opens something all the same. (Not os.SameFile: a FUSE file system
// such as fusefat gives each name its own inode.) It decides, once at
// start, whether exactName runs on an OS whose file systems usually do not
// fold: a vfat or NTFS drive on Linux, a casefold folder, WSL's /mnt/c. A
// folder that holds no name with a letter at start cannot tell, and is
// taken as not folding.
func foldsNames(t tree) bool {
	d, err := t.Open(".")
	if err != nil {
		return false
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, n := range names {
		other := swapCase(n)
		if other == n || slices.Contains(names, other) {
			continue
		}
		_, err := t.Lstat(other)
		return err == nil
	}
	return false
}

// swapCase turns the ASCII letters of s to the other case.
func swapCase(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
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
	final, _, ok = f.resolve(name)
	return final, ok
}

// resolve is finalPath, which also returns what Lstat said of the final
// path: what Stat would say, read on the way (nil for the root, and with
// FollowSymlinks).
func (f *fileServer) resolve(name string) (final string, info fs.FileInfo, ok bool) {
	if f.follow != "" {
		final, ok = f.followedPath(name)
		return final, nil, ok
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
				return "", nil, false
			}
			done, info = done[:len(done)-1], nil // not the folder it leads back to
			continue
		}
		p := path.Join(append(done, part)...)
		var err error
		if info, err = f.root.Lstat(p); err != nil {
			return "", nil, false
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, part)
			continue
		}
		if links++; links > maxLinks {
			return "", nil, false
		}
		target, err := f.root.Readlink(p)
		if err != nil || target == "" || filepath.IsAbs(target) || filepath.VolumeName(target) != "" || os.IsPathSeparator(target[0]) {
			return "", nil, false // os.Root follows none of these; on Windows "\x" and "C:x" are not relative
		}
		todo = append(strings.Split(filepath.ToSlash(target), "/"), todo...)
	}
	return path.Join(done...), info, true
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

// largeRoot is an *os.Root whose files open with largeFile.
type largeRoot struct{ *os.Root }

func (r largeRoot) Open(name string) (*os.File, error) {
	return r.Root.OpenFile(name, os.O_RDONLY|largeFile, 0)
}

// tree is what the file server reads through: an *os.Root, which keeps
// every symbolic link inside the root, or, with Security.FollowSymlinks, a
// folder whose links go wherever they point.
type tree interface {
	Open(name string) (*os.File, error)
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Readlink(name string) (string, error)
	Close() error
}

// folder is a tree without containment, for Security.FollowSymlinks. Names
// are cleaned URL paths, so ".." cannot climb out; links can.
type folder string

func (d folder) path(name string) string { return filepath.Join(string(d), filepath.FromSlash(name)) }

func (d folder) Open(name string) (*os.File, error)     { return os.Open(d.path(name)) }
func (d folder) Stat(name string) (fs.FileInfo, error)  { return os.Stat(d.path(name)) }
func (d folder) Lstat(name string) (fs.FileInfo, error) { return os.Lstat(d.path(name)) }
func (d folder) Readlink(name string) (string, error)   { return os.Readlink(d.path(name)) }
func (d folder) Close() error                           { return nil }
