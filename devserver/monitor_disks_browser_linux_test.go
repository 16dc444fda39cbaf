package devserver_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/internal/testenv"
)

// TestBrowserMonitorDiskPerFileSystem serves a folder with a mount on a
// small tmpfs and checks, in Chromium, that the disk chart draws a line
// for each file system, labelled by the served folder and by the mount's
// prefix, each with the status JSON's points and last value.
func TestBrowserMonitorDiskPerFileSystem(t *testing.T) {
	lib := smallFileSystem(t, 4<<20)
	dir := newSiteDir(t)
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) {
		c.Monitor = &monitor.Config{Interval: time.Hour}
		c.Mounts = []devserver.Mount{{Prefix: "/vendor", Dir: lib}}
	})
	devserver.SampleNow(s.srv)
	page := newTab(t)
	if err := chromedp.Do(page, chromedp.EmulateViewport(375, 800), chromedp.Navigate(s.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	var disk monitor.Chart
	for _, c := range statusJSON(t, s).Charts {
		if c.ID == "disk" {
			disk = c
		}
	}
	if len(disk.Lines) != 2 || disk.Lines[0].Label != dir || disk.Lines[1].Label != "/vendor" {
		t.Fatalf("the status JSON's disk chart is %+v, want a line for %s and one for /vendor", disk.Lines, dir)
	}
	testenv.WaitJS(t, page, `document.querySelectorAll("#chart-disk polyline").length === 2`, 10*time.Second)
	for _, l := range disk.Lines {
		line := fmt.Sprintf("#chart-disk polyline[data-label=%q]", l.Label)
		if n := evalJS[string](t, page, fmt.Sprintf(`document.querySelector(%q)?.dataset.n ?? "none"`, line)); n != fmt.Sprint(len(l.T)) {
			t.Errorf("%s: the page draws %s points, the JSON has %d", line, n, len(l.T))
		}
		legend := fmt.Sprintf("#chart-disk .legend li[data-label=%q]", l.Label)
		if v := evalJS[float64](t, page, fmt.Sprintf(`Number(document.querySelector(%q)?.dataset.v)`, legend)); v != l.V[len(l.V)-1] {
			t.Errorf("%s: the page shows %v, the JSON's last value is %v", legend, v, l.V[len(l.V)-1])
		}
	}
	if text := evalJS[string](t, page, `document.querySelector("#chart-disk .legend").textContent`); !regexp.MustCompile(`/vendor \d+(\.\d+)? MB`).MatchString(text) {
		t.Errorf("the legend reads %q, want /vendor with the tmpfs's few MB", text)
	}
	if w := evalJS[int](t, page, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the page is %d px wide on a 375 px phone, with the folder's path in the legend", w)
	}
	shoot(t, page, "monitor-disks.png")
}
