package main

// Checks on revisions across keys. etcd has one revision counter for the whole store: every write
// creates the next one, and every response carries the store's revision in its header. So,
// whatever the keys:
//   - a value (values are unique) has one mod_revision, wherever it is seen;
//   - two writes never create the same revision (each of our txns puts one key);
//   - a get's value cannot be newer than the revision it was read at (mod_revision <= header);
//   - revisions never go backwards in real time: an operation invoked after another returned
//     sees at least that one's revision, and a write invoked after it creates a higher one.
// The per-key search (model.go) adds the order constraint within a linearization.

import (
	"fmt"
	"sort"
)

// Violations of one kind reported before the rest are only counted.
const revisionViolationsPerKindMax = 5

func checkRevisions(ops []*Op) []string {
	var out []string
	counts := map[string]int{}
	report := func(kind, format string, args ...interface{}) {
		counts[kind]++
		if counts[kind] <= revisionViolationsPerKindMax {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}

	type sighting struct {
		rev int64
		op  *Op
	}
	valueRev := map[string]sighting{}
	see := func(value string, rev int64, op *Op) {
		if rev == 0 {
			return
		}
		if first, ok := valueRev[value]; ok && first.rev != rev {
			report("value", "%s has mod_revision %d in %s but %d in %s", quote(value), first.rev, describeOp(first.op), rev, describeOp(op))
			return
		}
		valueRev[value] = sighting{rev, op}
	}
	revWriter := map[int64]*Op{}
	for _, op := range ops {
		if op.wrote() && op.Rev != 0 {
			see(op.Value, op.Rev, op)
			if other, ok := revWriter[op.Rev]; ok {
				report("dup", "revision %d was created twice: by %s and by %s", op.Rev, describeOp(other), describeOp(op))
			}
			revWriter[op.Rev] = op
		}
		if op.Kind == kindGet && !op.Unknown && op.Found {
			see(op.Got, op.ModRev, op)
			if op.Rev != 0 && op.ModRev > op.Rev {
				report("future", "%s read a value newer than its header revision", describeOp(op))
			}
		}
	}

	// Real time: ops by return time, with the running maximum revision and who showed it.
	var done []*Op
	for _, op := range ops {
		if !op.Unknown && op.Rev != 0 {
			done = append(done, op)
		}
	}
	sort.SliceStable(done, func(i, j int) bool { return done[i].Return < done[j].Return })
	maxOp := make([]*Op, len(done))
	for i, op := range done {
		maxOp[i] = op
		if i > 0 && maxOp[i-1].Rev > op.Rev {
			maxOp[i] = maxOp[i-1]
		}
	}
	for _, op := range done {
		// Ops that returned strictly before op was invoked.
		n := sort.Search(len(done), func(i int) bool { return done[i].Return >= op.Call })
		if n == 0 {
			continue
		}
		before := maxOp[n-1]
		if before.Rev > op.Rev || (op.wrote() && before.Rev == op.Rev && before != op) {
			report("backwards", "revision went backwards: %s came after %s", describeOp(op), describeOp(before))
		}
	}
	for kind, n := range counts {
		if n > revisionViolationsPerKindMax {
			out = append(out, fmt.Sprintf("... and %d more of kind %q", n-revisionViolationsPerKindMax, kind))
		}
	}
	return out
}
