package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// WaitJS evaluates expr in the Chromium tab until it is true, across page
// reloads, or fails the test at the deadline.
func WaitJS(t testing.TB, tab context.Context, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tab, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(10 * time.Millisecond) // poll interval
	}
	t.Fatalf("still false after %v: %s (last error: %v)", timeout, expr, last)
}
