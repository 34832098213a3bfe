package main

// Latency summaries (information for the benchmark, never a verdict).

import (
	"fmt"
	"sort"
	"time"
)

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(p*float64(len(sorted)-1))]
}

func summarize(l []time.Duration) string {
	sorted := append([]time.Duration(nil), l...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return fmt.Sprintf("p50 %.1f ms p99 %.1f ms max %.1f ms (%d puts)",
		ms(percentile(sorted, 0.5)), ms(percentile(sorted, 0.99)), ms(percentile(sorted, 1)), len(sorted))
}
