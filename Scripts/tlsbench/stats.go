package main

// Latency percentiles and the server's CPU time (information for the benchmark, never a verdict).

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// clockTicksPerSecond: USER_HZ, the unit of utime and stime in /proc/PID/stat; 100 on every Linux
// architecture Go runs on here (sysconf(_SC_CLK_TCK) needs cgo).
const clockTicksPerSecond = 100

func percentileMs(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(p*float64(len(sorted)-1))]) / float64(time.Millisecond)
}

func sortDurations(l []time.Duration) {
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
}

// serverCPU: utime+stime of the process, in seconds; ok false without a pid or when unreadable.
func serverCPU(pid int) (seconds float64, ok bool) {
	if pid <= 0 {
		return 0, false
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
	text := string(raw)
	close := strings.LastIndexByte(text, ')')
	if close < 0 {
		return 0, false
	}
	fields := strings.Fields(text[close+1:])
	// After ")": state is field 3, so utime (14) and stime (15) are at indices 11 and 12.
	if len(fields) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return float64(utime+stime) / clockTicksPerSecond, true
}

// cpuMeter brackets a timed phase.
type cpuMeter struct {
	pid    int
	before float64
	ok     bool
}

func startCPU(pid int) cpuMeter {
	s, ok := serverCPU(pid)
	return cpuMeter{pid: pid, before: s, ok: ok}
}

// perOperation: " server_cpu_s=... cpu_us_per_<unit>=..." or "" without a readable pid.
func (m cpuMeter) perOperation(done int64, unit string) string {
	after, ok := serverCPU(m.pid)
	if !m.ok || !ok || done == 0 {
		return ""
	}
	used := after - m.before
	return fmt.Sprintf(" server_cpu_s=%.2f cpu_us_per_%s=%.0f", used, unit, used*1e6/float64(done))
}
