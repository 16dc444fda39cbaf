package monitor

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// formatBytes says a size as people read it: 812 MB, 1.8 GB (powers of
// 1000, as disks and task managers on macOS count).
func formatBytes(n uint64) string {
	const unit = 1000
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	v, i := float64(n), -1
	for v >= unit && i < 4 {
		v /= unit
		i++
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f %cB", v, "kMGTP"[i])
	}
	return fmt.Sprintf("%.3g %cB", v, "kMGTP"[i])
}

// formatSpan says a duration the way the warnings do: 45 s, 10 min, 2 h.
func formatSpan(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%.2g s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0f min", d.Minutes())
	}
	return fmt.Sprintf("%.1f h", d.Hours())
}

func itoa(n int) string { return strconv.Itoa(n) }

// round3 keeps three significant digits, which is what a chart can show,
// and makes the status frames smaller.
func round3(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	mag := math.Pow(10, 3-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*mag) / mag
}
