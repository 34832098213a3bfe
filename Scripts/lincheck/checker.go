package main

// Check: the whole history's verdict. Linearizability is compositional (a history is
// linearizable iff each object's sub-history is), so each key is searched on its own; the store
// revision is shared by all keys, and the checks across keys are in revisions.go.

import (
	"fmt"
	"io"
	"sort"
	"time"
)

// The default search budget per key, in steps (one step tries one entry of the list); a history
// a real run records is linearized in about as many steps as it has operations, so this leaves
// room for heavy backtracking and still stops within seconds.
const searchStepsPerKeyDefault = 20_000_000

// Report is the verdict on a history.
type Report struct {
	Ops        int
	Keys       []keyResult
	Revisions  []string // violations of the revision checks
	RevChecked bool
	Elapsed    time.Duration
}

// Check runs the revision checks (when withRevisions) and the per-key search.
func Check(ops []*Op, budget int64, withRevisions bool) *Report {
	started := time.Now()
	report := &Report{Ops: len(ops), RevChecked: withRevisions}
	if withRevisions {
		report.Revisions = checkRevisions(ops)
	}
	byKey := map[string][]*Op{}
	for _, op := range ops {
		o := op
		if !withRevisions {
			o = withoutRevisions(op)
		}
		byKey[op.Key] = append(byKey[op.Key], o)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		report.Keys = append(report.Keys, newPartition(k, byKey[k]).check(budget))
	}
	report.Elapsed = time.Since(started)
	return report
}

// withoutRevisions: the op as the register model sees it when revisions are not trusted.
func withoutRevisions(op *Op) *Op {
	c := *op
	c.Rev, c.ModRev = 0, 0
	if c.Kind == kindCASRev && c.CmpRev != 0 {
		// Without revisions a mod_revision compare cannot be evaluated; it only says "some value".
		c.CmpRev = -1
	}
	return &c
}

func (r *Report) Verdict() verdict {
	v := verdictLinearizable
	if len(r.Revisions) > 0 {
		return verdictViolation
	}
	for _, k := range r.Keys {
		if k.verdict == verdictViolation {
			return verdictViolation
		}
		if k.verdict == verdictUndecided {
			v = verdictUndecided
		}
	}
	return v
}

func (r *Report) Print(w io.Writer) {
	for _, k := range r.Keys {
		fmt.Fprintf(w, "key %s: %d ops, %d search steps: %s\n", quote(k.key), k.ops, k.steps, k.verdict)
	}
	for _, k := range r.Keys {
		if k.explanation != "" {
			fmt.Fprintln(w, k.explanation)
		}
	}
	for _, v := range r.Revisions {
		fmt.Fprintln(w, "revision check:", v)
	}
	revs := "revision checks passed"
	if !r.RevChecked {
		revs = "revision checks off"
	} else if len(r.Revisions) > 0 {
		revs = fmt.Sprintf("%d revision violations", len(r.Revisions))
	}
	fmt.Fprintf(w, "%d ops on %d keys, %s; %s (%d ms)\n", r.Ops, len(r.Keys), revs, r.Verdict(), r.Elapsed.Milliseconds())
}
