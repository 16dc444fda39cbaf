package monitor

import "github.com/shirou/gopsutil/v4/disk"

// Disk is the space of the file system that holds a folder.
type Disk struct {
	Path  string `json:"path"`
	Free  uint64 `json:"free"`  // bytes an unprivileged program may still write
	Total uint64 `json:"total"` // bytes
}

// Percent is the free share, 0-100.
func (d Disk) Percent() float64 {
	if d.Total == 0 {
		return 0
	}
	return 100 * float64(d.Free) / float64(d.Total)
}

// DiskSpace reads the space of path's file system: statfs on unix,
// GetDiskFreeSpaceEx on Windows.
func DiskSpace(path string) (Disk, error) {
	u, err := disk.Usage(path)
	if err != nil {
		return Disk{Path: path}, err
	}
	return Disk{Path: path, Free: u.Free, Total: u.Total}, nil
}
