package monitor

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/shirou/gopsutil/v4/disk"
)

// Disk is the space of one file system, and the folders hotserve serves
// from it.
type Disk struct {
	// Folders name the folders on this file system, as Folder.Name does:
	// the served folder first, then mounts in their order.
	Folders []string `json:"folders"`
	Path    string   `json:"path"`  // the first folder's path on disk
	Free    uint64   `json:"free"`  // bytes an unprivileged program may still write
	Total   uint64   `json:"total"` // bytes
	// Device tells file systems apart: folders whose Device is the same,
	// and not "", are on one file system and make one Disk. DiskSpace
	// sets it to the st_dev on unix and the volume's serial on Windows.
	Device string `json:"-"`
}

// Folder is one folder whose file system's space is read.
type Folder struct {
	// Name is what the status page and the warnings call it: the served
	// folder's path, or a mount's URL prefix ("/vendor").
	Name string
	Path string // the folder on disk
}

// Percent is the free share, 0-100.
func (d Disk) Percent() float64 {
	if d.Total == 0 {
		return 0
	}
	return 100 * float64(d.Free) / float64(d.Total)
}

// Label names the file system by its folders: its chart line's label.
func (d Disk) Label() string { return strings.Join(d.Folders, ", ") }

// where names the file system in a warning: by its folders, and by the
// path on disk where the first is a mount's prefix.
func (d Disk) where() string {
	if len(d.Folders) == 0 || d.Folders[0] == d.Path {
		return cmp.Or(d.Label(), d.Path)
	}
	return d.Label() + " (" + d.Path + ")"
}

// DiskSpace reads the space of path's file system: statfs on unix,
// GetDiskFreeSpaceEx on Windows, with the file system's identity.
func DiskSpace(path string) (Disk, error) {
	u, err := disk.Usage(path)
	if err != nil {
		return Disk{Path: path}, err
	}
	d := Disk{Path: path, Free: u.Free, Total: u.Total}
	if id, ok := device(path); ok {
		d.Device = strconv.FormatUint(id, 16)
	}
	return d, nil
}

// readDisks reads the space of every distinct file system among folders,
// once each, in the folders' order; a folder that cannot be read (gone
// meanwhile) is left out of this sample.
func readDisks(query func(string) (Disk, error), folders []Folder) []Disk {
	var out []Disk
	for _, f := range folders {
		d, err := query(f.Path)
		if err != nil {
			continue
		}
		if i := slices.IndexFunc(out, func(o Disk) bool { return d.Device != "" && o.Device == d.Device }); i >= 0 {
			out[i].Folders = append(out[i].Folders, f.Name)
			continue
		}
		d.Path, d.Folders = f.Path, []string{f.Name}
		out = append(out, d)
	}
	return out
}
