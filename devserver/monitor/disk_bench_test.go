package monitor

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/shirou/gopsutil/v4/disk"
)

// BenchmarkDiskUsage is the statfs alone, what a sample read of the
// served folder's disk before mounts were read: the base of the two below.
func BenchmarkDiskUsage(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := disk.Usage(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiskSpace is one folder's space and file system identity.
func BenchmarkDiskSpace(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		if _, err := DiskSpace(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadDisksFourFolders is a sample's disks with the served
// folder and three mounts, two of them on its file system.
func BenchmarkReadDisksFourFolders(b *testing.B) {
	root := b.TempDir()
	folders := []Folder{{root, root}}
	for _, name := range []string{"a", "b", "c"} {
		dir := filepath.Join(root, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		folders = append(folders, Folder{"/" + name, dir})
	}
	if shm, err := os.MkdirTemp("/dev/shm", "hotserve-bench"); err == nil {
		b.Cleanup(func() { os.RemoveAll(shm) })
		folders[3].Path = shm
	}
	for b.Loop() {
		readDisks(DiskSpace, folders)
	}
}
