package monitor

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeDisks is a Disk query over made-up file systems, by folder: what a
// file system behind the interface looks like to the sampler.
type fakeDisks map[string]Disk

func (f fakeDisks) query(path string) (Disk, error) {
	d, ok := f[path]
	if !ok {
		return Disk{}, errors.New("no such folder")
	}
	d.Path = path
	return d, nil
}

// Folders on one file system are one figure, named by all of them; a
// mount on a file system of its own is another; a folder that cannot be
// read is left out.
func TestDisksOnePerFileSystem(t *testing.T) {
	q := fakeDisks{
		"/home/u/site":       {Device: "1", Free: 200e9, Total: 500e9},
		"/home/u/site/node":  {Device: "1", Free: 200e9, Total: 500e9},
		"/mnt/usb/shared":    {Device: "2", Free: 3e9, Total: 16e9},
		"/mnt/usb/more":      {Device: "2", Free: 3e9, Total: 16e9},
		"/elsewhere/unknown": {Free: 1e9, Total: 2e9}, // no identity: a file system of its own
	}
	folders := []Folder{{"/home/u/site", "/home/u/site"}, {"/vendor", "/mnt/usb/shared"}, {"/node", "/home/u/site/node"},
		{"/gone", "/no/such"}, {"/more", "/mnt/usb/more"}, {"/x", "/elsewhere/unknown"}}
	var have []string
	for _, d := range readDisks(q.query, folders) {
		have = append(have, d.Label()+" @ "+d.Path)
	}
	want := []string{"/home/u/site, /node @ /home/u/site", "/vendor, /more @ /mnt/usb/shared", "/x @ /elsewhere/unknown"}
	if !slices.Equal(have, want) {
		t.Errorf("have %q\nwant %q", have, want)
	}
}

// Each file system warns in its own episodes, named by its folder and,
// for a mount, its path on disk; the chart has a line per file system.
func TestDiskLowPerFileSystem(t *testing.T) {
	q := fakeDisks{"/srv/site": {Device: "1", Free: 200e9, Total: 500e9}, "/mnt/shared-lib": {Device: "2", Free: 800e6, Total: 30e9}}
	warnings := make(chan Warning, 8)
	s := Start(Config{Interval: time.Hour, Warn: func(w Warning) { warnings <- w }},
		Sources{Root: "/srv/site", Mounts: []Folder{{"/vendor", "/mnt/shared-lib"}}, Disk: q.query})
	defer s.Close()
	want := "disk │ 800 MB free of 30 GB (2.7 %) on the file system of /vendor (/mnt/shared-lib) — builds and saves may fail; free some space"
	if w := <-warnings; !strings.HasPrefix(w.Text, want) || w.Subject != "/vendor" {
		t.Errorf("have %q (subject %q)\nwant it to start %q", w.Text, w.Subject, want)
	}
	s.Sample()
	q["/srv/site"] = Disk{Device: "1", Free: 4e9, Total: 500e9} // the root's runs low too
	s.Sample()
	if len(warnings) != 1 {
		t.Fatalf("have %d warnings, want one for the served folder's file system alone", len(warnings))
	}
	if w := <-warnings; !strings.Contains(w.Text, "4 GB free of 500 GB (0.8 %) on the file system of /srv/site — ") {
		t.Errorf("have %q", w.Text)
	}
	disk := s.Charts()[4]
	var labels []string
	for _, l := range disk.Lines {
		labels = append(labels, l.Label)
	}
	if disk.ID != "disk" || !slices.Equal(labels, []string{"/srv/site", "/vendor"}) || disk.Max != 500e9 {
		t.Errorf("the disk chart is %q with lines %q, top %g; want a line per file system, topped by the largest", disk.ID, labels, disk.Max)
	}
	if l := disk.Lines[0]; l.V[len(l.V)-1] != 4e9 {
		t.Errorf("the served folder's line is %v, want it to end at 4 GB", l.V)
	}
}

// Two real folders on one file system are one figure; DiskSpace tells
// them apart from the file system of a folder elsewhere by its identity.
func TestDiskSpaceSameFileSystem(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "lib")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	ds := readDisks(DiskSpace, []Folder{{root, root}, {"/lib", sub}})
	if len(ds) != 1 || ds[0].Label() != root+", /lib" || ds[0].Total == 0 {
		t.Fatalf("two folders on one file system: have %+v, want one figure", ds)
	}
	if d, _ := DiskSpace(root); d.Device == "" {
		t.Logf("%s: no file system identity on this OS; every folder counts as its own", root)
	}
}
