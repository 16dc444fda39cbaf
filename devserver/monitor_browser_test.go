package devserver_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
	"github.com/hotserve/hotserve/internal/testenv"
)

// TestBrowserMonitorCharts opens the status page at a phone's width, with
// a history that holds still, and checks that every chart has its points,
// its current value and axis labels, that the values are the status
// JSON's, that nothing is wider than the phone, and that the dark scheme
// is dark. Screenshots of both go to the test's artefacts.
func TestBrowserMonitorCharts(t *testing.T) {
	dir := newSiteDir(t)
	s := startSite(t, dir, "127.0.0.1:0", func(c *devserver.Config) { c.Monitor = &monitor.Config{Interval: time.Hour} })
	page := newTab(t)
	navigate(t, page, s.URL)
	for i := range 4 { // updates the page paints, for the latency chart
		writeFile(t, filepath.Join(dir, "style.css"), fmt.Sprintf("h1 { margin: %dpx }\n", i))
		testenv.WaitJS(t, page, fmt.Sprintf(`getComputedStyle(document.querySelector("h1")).marginTop === "%dpx"`, i), 10*time.Second)
		waitFor(t, func() bool { return devserver.PendingPaints(s.srv) > 0 }, "acknowledgement of the update")
		devserver.SampleNow(s.srv)
	}

	status := newTab(t)
	if err := chromedp.Do(status, chromedp.EmulateViewport(375, 800, chromedp.EmulateScale(2)),
		chromedp.Navigate(s.URL+"__hotserve/")); err != nil {
		t.Fatal(err)
	}
	want := statusJSON(t, s)
	testenv.WaitJS(t, status, fmt.Sprintf(`document.querySelectorAll("#charts polyline[data-n='%d']").length >= 2`, len(want.Charts[0].Lines[0].T)), 10*time.Second)
	for _, c := range want.Charts {
		for _, l := range c.Lines {
			sel := fmt.Sprintf("#chart-%s polyline[data-label=%q]", c.ID, l.Label)
			if n := evalJS[string](t, status, fmt.Sprintf(`document.querySelector(%q)?.dataset.n ?? "none"`, sel)); n != fmt.Sprint(len(l.T)) {
				t.Errorf("%s: the page draws %s points, the JSON has %d", sel, n, len(l.T))
			}
			if len(l.V) == 0 {
				continue
			}
			legend := fmt.Sprintf("#chart-%s .legend li[data-label=%q]", c.ID, l.Label)
			if v := evalJS[float64](t, status, fmt.Sprintf(`Number(document.querySelector(%q).dataset.v)`, legend)); v != l.V[len(l.V)-1] {
				t.Errorf("%s: the page shows %v, the JSON's last value is %v", legend, v, l.V[len(l.V)-1])
			}
		}
		labels := evalJS[int](t, status, fmt.Sprintf(`document.querySelectorAll("#chart-%s svg text").length`, c.ID))
		value := evalJS[string](t, status, fmt.Sprintf(`document.querySelector("#chart-%s .value").textContent`, c.ID))
		if labels < 5 || value == "" || value == "—" {
			t.Errorf("chart %s: %d axis labels, current value %q; want 3 values and 2 times, and a value", c.ID, labels, value)
		}
	}
	if w := evalJS[int](t, status, `document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the page is %d px wide on a 375 px phone", w)
	}
	shoot(t, status, "monitor-light.png")
	dark := chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
		return err
	})
	if err := chromedp.Do(status, dark); err != nil {
		t.Fatal(err)
	}
	testenv.WaitJS(t, status, `getComputedStyle(document.querySelector("#charts-card")).backgroundColor === "rgb(22, 27, 34)"`, 5*time.Second)
	if fg := evalJS[string](t, status, `getComputedStyle(document.querySelector("#chart-cpu svg text")).fill`); fg != "rgb(145, 152, 161)" {
		t.Errorf("axis labels in the dark scheme are %s, want the light grey rgb(145, 152, 161)", fg)
	}
	shoot(t, status, "monitor-dark.png")
}

// shoot writes a screenshot of the whole page to the test's artefacts.
func shoot(t *testing.T, tab context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.ArtifactDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// waitFor polls cond until it holds, or fails the test after 10 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10s", what)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}
