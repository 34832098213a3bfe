package main

// Control-response latencies of a run (information, never a verdict): how long creates waited
// for their created response and harness cancels for their canceled response.

import (
	"fmt"
	"io"
	"sort"
)

func percentile(sorted []int64, p float64) int64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[int(p*float64(len(sorted)-1))]
}

func printLatencies(out io.Writer, rec *Record) {
	var created, canceled []int64
	for _, w := range append([]*Watcher{rec.Reference}, rec.Watchers...) {
		for _, inc := range w.Incarnations {
			if len(inc.Responses) > 0 && inc.Responses[0].Created && inc.SentAt > 0 {
				created = append(created, inc.Responses[0].At-inc.SentAt)
			}
			if n := len(inc.Responses); inc.End == endCancelled && inc.CancelAt > 0 && n > 0 {
				canceled = append(canceled, inc.Responses[n-1].At-inc.CancelAt)
			}
		}
	}
	for _, l := range [][]int64{created, canceled} {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	}
	fmt.Fprintf(out, "latency ms: create->created p50 %d p99 %d max %d (%d); cancel->canceled p50 %d p99 %d max %d (%d)\n",
		percentile(created, 0.5), percentile(created, 0.99), percentile(created, 1), len(created),
		percentile(canceled, 0.5), percentile(canceled, 0.99), percentile(canceled, 1), len(canceled))
}
