package main

// Per-operation latency and counts, reported as JSON and as a table.

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Operation names, in report order.
var opNames = []string{
	"create", "update", "delete", "list-page", "list-full", "get", "get-limit1", "count",
	"old-read", "progress-read", "lease-grant", "compact", "health", "status",
}

type opStats struct {
	latencies []time.Duration
	conflicts int // a txn whose compare failed (optimistic concurrency lost)
	errors    int
	firstErr  string
}

// Stats collects every operation's latency; safe for concurrent use.
type Stats struct {
	mu  sync.Mutex
	ops map[string]*opStats
}

func newStats() *Stats { return &Stats{ops: map[string]*opStats{}} }

func (s *Stats) get(op string) *opStats {
	o := s.ops[op]
	if o == nil {
		o = &opStats{}
		s.ops[op] = o
	}
	return o
}

// Observe records one completed operation (whatever its outcome).
func (s *Stats) Observe(op string, d time.Duration) {
	s.mu.Lock()
	s.get(op).latencies = append(s.get(op).latencies, d)
	s.mu.Unlock()
}

func (s *Stats) Conflict(op string) {
	s.mu.Lock()
	s.get(op).conflicts++
	s.mu.Unlock()
}

// Error records an RPC that failed where it should not have.
func (s *Stats) Error(op string, err error) {
	s.mu.Lock()
	o := s.get(op)
	o.errors++
	if o.firstErr == "" {
		o.firstErr = err.Error()
	}
	s.mu.Unlock()
}

// Errors: the total of unexpected RPC errors and the first one of each operation.
func (s *Stats) Errors() (int, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	total, first := 0, []string{}
	var names []string
	for name := range s.ops {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if o := s.ops[name]; o.errors > 0 {
			total += o.errors
			first = append(first, fmt.Sprintf("%s: %d errors, first: %s", name, o.errors, o.firstErr))
		}
	}
	return total, first
}

// OpReport is one operation's line of the report.
type OpReport struct {
	Count     int     `json:"count"`
	PerSecond float64 `json:"per_second"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	Conflicts int     `json:"conflicts,omitempty"`
	Errors    int     `json:"errors,omitempty"`
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Report summarises every operation over the run's elapsed time.
func (s *Stats) Report(elapsed time.Duration) map[string]OpReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]OpReport{}
	for name, o := range s.ops {
		sorted := append([]time.Duration(nil), o.latencies...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		r := OpReport{Count: len(sorted), Conflicts: o.conflicts, Errors: o.errors}
		if elapsed > 0 {
			r.PerSecond = float64(len(sorted)) / elapsed.Seconds()
		}
		r.P50Ms, r.P99Ms = ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.99))
		if len(sorted) > 0 {
			r.MaxMs = ms(sorted[len(sorted)-1])
		}
		out[name] = r
	}
	return out
}

// Result is the JSON report of one run.
type Result struct {
	Endpoints  []string            `json:"endpoints"`
	Seconds    float64             `json:"seconds"`
	Ops        map[string]OpReport `json:"ops"`
	Checks     map[string]int      `json:"checks"`
	Violations []string            `json:"violations"`
	Errors     []string            `json:"errors"`
}

func writeJSON(w io.Writer, r Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func writeTable(w io.Writer, r Result) {
	fmt.Fprintf(w, "%-14s %8s %9s %9s %9s %9s %9s\n", "op", "count", "per_s", "p50_ms", "p99_ms", "max_ms", "conflicts")
	for _, name := range opNames {
		o, ok := r.Ops[name]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%-14s %8d %9.1f %9.2f %9.2f %9.2f %9d\n", name, o.Count, o.PerSecond, o.P50Ms, o.P99Ms, o.MaxMs, o.Conflicts)
	}
	var names []string
	for name := range r.Checks {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "check %-24s %d\n", name, r.Checks[name])
	}
}
