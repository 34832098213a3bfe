package main

// The watcher check: each incarnation's stream, taken response by response, must be exactly the
// history's events for its range and filters from its start revision on, in order, each
// revision once and whole in one response; an incarnation that the harness cancelled or whose
// stream broke may stop early (the next one resumes right after its last event, which is checked),
// the last one must reach the final revision; a start below a compaction is cancelled with a
// compact_revision the load really requested.
//
// One leniency, etcd's own: events AT a compaction revision C can be read back after the
// compaction, which removes the tombstones at C (so deletes at C may be missing) and the
// versions below C (so prev_kv of events at revisions <= C may be missing).

import (
	"fmt"
	"io"
	"reflect"
	"sort"
)

// Violation is one finding, attributed to a watcher (-1 = the write history).
type Violation struct {
	Watcher int
	Text    string
}

func (v Violation) String() string {
	if v.Watcher < 0 {
		return "history: " + v.Text
	}
	return fmt.Sprintf("watcher %d: %s", v.Watcher, v.Text)
}

// Report is the outcome of Check.
type Report struct {
	Violations  []Violation
	Watchers    int
	Incarns     int
	Events      int // events received by watchers and checked
	Revisions   int
	Compactions int
	Ends        map[string]int // incarnations by how they ended
	Starts      map[string]int // incarnations by start kind: now, past, below-compaction, resume
	Lenient     int            // revision groups accepted only under the compaction leniency
	PrevMissing int            // events above every compaction delivered without the prev_kv they should have
}

func (r *Report) Print(out io.Writer, max int) {
	for i, v := range r.Violations {
		if i == max {
			fmt.Fprintf(out, "... and %d more violations\n", len(r.Violations)-max)
			break
		}
		fmt.Fprintln(out, "VIOLATION", v)
	}
	verdict := "ok"
	if len(r.Violations) > 0 {
		verdict = fmt.Sprintf("%d violations", len(r.Violations))
	}
	fmt.Fprintf(out, "incarnations by end %v, by start %v; %d revisions accepted under the compaction leniency\n", r.Ends, r.Starts, r.Lenient)
	if r.PrevMissing > 0 {
		fmt.Fprintf(out, "NOTE %d events above every compaction came without their prev_kv (tolerated unless -strict-prev-kv)\n", r.PrevMissing)
	}
	fmt.Fprintf(out, "checked %d watchers (%d incarnations, %d events) against %d revisions and %d compactions: %s\n",
		r.Watchers, r.Incarns, r.Events, r.Revisions, r.Compactions, verdict)
}

func matches(s Spec, e Event) bool {
	if s.NoPut && e.Type == eventPut || s.NoDelete && e.Type == eventDelete {
		return false
	}
	return inRange(e.KV.Key, s.Key, s.RangeEnd)
}

// group is the events of one revision.
type group struct {
	rev    int64
	events []Event
}

// expectedGroups: the history's events for s from revision from on, prev_kv kept only if asked.
func expectedGroups(h *History, s Spec, from int64) []group {
	var out []group
	for rev := from; rev <= h.Final; rev++ {
		var g []Event
		for _, e := range h.Events[rev] {
			if matches(s, e) {
				if !s.PrevKV {
					e.Prev = nil
				}
				g = append(g, e)
			}
		}
		if len(g) > 0 {
			out = append(out, group{rev, g})
		}
	}
	return out
}

type checker struct {
	rec         *Record
	h           *History
	compacted   map[int64]bool // every requested compaction revision
	violations  []Violation
	events      int
	incarns     int
	ends        map[string]int
	starts      map[string]int
	lenient     int
	prevMissing int
}

func (c *checker) fail(w int, format string, args ...interface{}) {
	c.violations = append(c.violations, Violation{w, fmt.Sprintf(format, args...)})
}

// lenientEqual: got equals want, or want with the leniency at a compaction revision.
func (c *checker) lenientEqual(rev int64, got, want []Event) bool {
	if reflect.DeepEqual(got, want) {
		return true
	}
	compacted := c.atOrBelowCompaction(rev)
	i, prevMissing := 0, 0
	for _, w := range want {
		if i < len(got) && got[i].Type == w.Type && got[i].KV == w.KV &&
			(got[i].Prev == nil || w.Prev != nil && *got[i].Prev == *w.Prev) {
			if got[i].Prev == nil && w.Prev != nil {
				prevMissing++
			}
			i++
			continue
		}
		if w.Type == eventDelete && c.compacted[rev] {
			continue // the tombstone at the compaction revision is gone
		}
		return false
	}
	if i != len(got) {
		return false
	}
	if compacted {
		c.lenient++
		return true
	}
	// Above every compaction only a missing prev_kv remains to explain. etcd 3.4 reads it at
	// mod_revision-1 when it sends the event and omits it if that read fails; the load above
	// has seen it do so (rarely) with no compaction at or above that revision.
	c.prevMissing += prevMissing
	return prevMissing > 0 && !c.rec.StrictPrevKV
}

func (c *checker) atOrBelowCompaction(rev int64) bool {
	for r := range c.compacted {
		if rev <= r {
			return true
		}
	}
	return false
}

// skippable: an expected group that may be missing entirely (only deletes at a compaction revision).
func (c *checker) skippable(g group) bool {
	if !c.compacted[g.rev] {
		return false
	}
	for _, e := range g.events {
		if e.Type != eventDelete {
			return false
		}
	}
	return true
}

// Check runs the history rebuild and every watcher's check.
func Check(rec *Record) *Report {
	h, problems := BuildHistory(rec)
	c := &checker{rec: rec, h: h, compacted: map[int64]bool{}, ends: map[string]int{}, starts: map[string]int{}}
	for _, p := range problems {
		c.fail(-1, "%s", p)
	}
	for _, a := range rec.Anomalies {
		c.fail(-1, "stream: %s", a)
	}
	for _, cp := range rec.Compactions {
		c.compacted[cp.Rev] = true
	}
	watchers := append([]*Watcher{rec.Reference}, rec.Watchers...)
	for _, w := range watchers {
		c.checkWatcher(w)
	}
	return &Report{Violations: c.violations, Watchers: len(watchers), Incarns: c.incarns, Events: c.events,
		Revisions: int(h.Final - h.Start), Compactions: len(rec.Compactions), Ends: c.ends, Starts: c.starts, Lenient: c.lenient, PrevMissing: c.prevMissing}
}

func (c *checker) checkWatcher(w *Watcher) {
	for i, inc := range w.Incarnations {
		c.incarns++
		c.ends[inc.End]++
		switch {
		case i > 0:
			c.starts["resume"]++
		case inc.Start == 0:
			c.starts["now"]++
		case inc.Start < inc.CompactedBefore:
			c.starts["below-compaction"]++
		default:
			c.starts["past"]++
		}
		next, ok := c.checkIncarnation(w, i, inc)
		if !ok || i+1 == len(w.Incarnations) {
			if ok && inc.End != endOpen {
				c.fail(w.ID, "incarnation %d ended %s but is the last one (the harness stopped re-creating)", i, inc.End)
			}
			return
		}
		if got := w.Incarnations[i+1].Start; got != next {
			c.fail(w.ID, "incarnation %d should resume at revision %d but was created at %d (events lost before the resume)", i+1, next, got)
			return
		}
	}
}

// checkIncarnation returns the revision the next incarnation must start at.
func (c *checker) checkIncarnation(w *Watcher, i int, inc *Incarnation) (int64, bool) {
	id := w.ID
	if len(inc.Responses) == 0 {
		if inc.End == endBroken {
			return inc.Start, true // never created: resume at the same place
		}
		c.fail(id, "incarnation %d (start %d): no created response (ended %s)", i, inc.Start, inc.End)
		return 0, false
	}
	created := inc.Responses[0]
	if !created.Created {
		c.fail(id, "incarnation %d (start %d): first response is not a created response: %+v", i, inc.Start, created)
		return 0, false
	}
	if created.Canceled {
		c.fail(id, "incarnation %d (start %d): create refused: %q", i, inc.Start, created.Reason)
		return 0, false
	}
	if inc.ChosenID != 0 && created.WatchID != inc.ChosenID {
		c.fail(id, "incarnation %d: asked for watch_id %d, created response has %d", i, inc.ChosenID, created.WatchID)
	}
	start := inc.Start
	if start == 0 {
		// etcd 3.4 starts a start-0 watch right after the revision its created header reports.
		start = created.Header + 1
		if start < inc.Lower && !c.rec.watchesMayLag() {
			c.fail(id, "incarnation %d (start 0): created header revision %d is below revision %d, which was acknowledged before the create", i, created.Header, inc.Lower-1)
		}
	}
	want := expectedGroups(c.h, w.Spec, start)
	k := 0             // next expected group
	last := start - 1  // last revision delivered
	lastResponse := -1 // response index of revision last
	mustCancel := inc.Start != 0 && inc.Start < inc.CompactedBefore && !c.rec.watchesMayLag()
	responses, problem := reassemble(inc.Responses)
	if problem != "" {
		c.fail(id, "incarnation %d: %s", i, problem)
		return 0, false
	}
	for ri, r := range responses[1:] {
		ri++
		if r.Created {
			c.fail(id, "incarnation %d: a second created response (response %d)", i, ri)
			return 0, false
		}
		for _, e := range r.Events {
			_ = e
			c.events++
		}
		if len(r.Events) > 0 && mustCancel {
			c.fail(id, "incarnation %d: start revision %d is below compaction %d (done before the create) but it got events instead of a compaction cancel: first %s",
				i, inc.Start, inc.CompactedBefore, showEvent(r.Events[0]))
			return 0, false
		}
		// Split the response into revision groups.
		for j := 0; j < len(r.Events); {
			rev := r.Events[j].KV.Mod
			end := j
			for end < len(r.Events) && r.Events[end].KV.Mod == rev {
				end++
			}
			got := r.Events[j:end]
			j = end
			if rev > r.Header {
				c.fail(id, "incarnation %d response %d: event at revision %d but header revision %d", i, ri, rev, r.Header)
			}
			if rev <= last {
				switch {
				case rev < start:
					c.fail(id, "incarnation %d response %d: event at revision %d, before the watch's start revision %d: %s", i, ri, rev, start, showEvents(got))
				case rev == last && lastResponse != ri:
					c.fail(id, "incarnation %d: revision %d delivered in two responses (%d and %d): not atomic, or a duplicate: %s", i, rev, lastResponse, ri, showEvents(got))
				case rev == last:
					c.fail(id, "incarnation %d response %d: revision %d appears twice in one response", i, ri, rev)
				default:
					c.fail(id, "incarnation %d response %d: revision %d after revision %d: out of order or duplicate: %s", i, ri, rev, last, showEvents(got))
				}
				return 0, false
			}
			for k < len(want) && want[k].rev < rev && c.skippable(want[k]) {
				k++
			}
			if k < len(want) && want[k].rev < rev {
				c.fail(id, "incarnation %d response %d: gap: revision %d expected %s, next delivered was revision %d", i, ri, want[k].rev, showEvents(want[k].events), rev)
				return 0, false
			}
			if k == len(want) || want[k].rev > rev {
				c.fail(id, "incarnation %d response %d: unexpected events at revision %d (none expected for this watcher): %s", i, ri, rev, showEvents(got))
				return 0, false
			}
			if !c.lenientEqual(rev, got, want[k].events) {
				if w := want[k].events; len(got) < len(w) && reflect.DeepEqual(got, w[:len(got)]) {
					c.fail(id, "incarnation %d response %d: revision %d incomplete (%d of its %d events): split across responses or events lost; missing %s",
						i, ri, rev, len(got), len(w), showEvents(w[len(got):]))
					return 0, false
				}
				c.fail(id, "incarnation %d response %d: revision %d\n    got  %s\n    want %s", i, ri, rev, showEvents(got), showEvents(want[k].events))
				return 0, false
			}
			k++
			last, lastResponse = rev, ri
		}
		if len(r.Events) == 0 && !r.Canceled {
			// A progress notification: etcd sends one only to a synced watcher, so everything
			// up to its header revision has been delivered.
			for k < len(want) && want[k].rev <= r.Header && c.skippable(want[k]) {
				k++
			}
			if k < len(want) && want[k].rev <= r.Header {
				c.fail(id, "incarnation %d response %d: progress notification at revision %d, but revision %d is not delivered yet: %s",
					i, ri, r.Header, want[k].rev, showEvents(want[k].events))
				return 0, false
			}
		}
		if r.Canceled {
			if ri != len(responses)-1 {
				c.fail(id, "incarnation %d: responses after the cancel (response %d of %d)", i, ri, len(responses))
				return 0, false
			}
			if r.CompactRev == 0 {
				if inc.End != endCancelled {
					c.fail(id, "incarnation %d: cancelled by the server without compact_revision: reason %q", i, r.Reason)
					return 0, false
				}
				return last + 1, true
			}
			if !c.compacted[r.CompactRev] {
				c.fail(id, "incarnation %d: compact_revision %d was never requested by the load (requested: %v)", i, r.CompactRev, sortedKeys(c.compacted))
				return 0, false
			}
			if r.CompactRev <= last+1 {
				c.fail(id, "incarnation %d: cancelled with compact_revision %d although it needed revision %d, which is not compacted", i, r.CompactRev, last+1)
				return 0, false
			}
			if mustCancel && r.CompactRev < inc.CompactedBefore {
				c.fail(id, "incarnation %d: compact_revision %d is below compaction %d, done before the create", i, r.CompactRev, inc.CompactedBefore)
			}
			return r.CompactRev, true
		}
	}
	switch inc.End {
	case endCancelled, endBroken:
		if mustCancel && inc.End == endCancelled {
			c.fail(id, "incarnation %d: start revision %d is below compaction %d (done before the create) but no compaction cancel came before ours", i, inc.Start, inc.CompactedBefore)
		}
		return last + 1, true
	case endOpen:
		if mustCancel {
			c.fail(id, "incarnation %d: start revision %d is below compaction %d (done before the create) but the watch was never cancelled", i, inc.Start, inc.CompactedBefore)
			return 0, false
		}
		for k < len(want) && c.skippable(want[k]) {
			k++
		}
		if k < len(want) {
			c.fail(id, "incarnation %d: missing events at the end: %d expected revisions not delivered by the final revision %d, first %d: %s",
				i, len(want)-k, c.h.Final, want[k].rev, showEvents(want[k].events))
			return 0, false
		}
		return last + 1, true
	}
	c.fail(id, "incarnation %d ended %s without a cancel response", i, inc.End)
	return 0, false
}

// reassemble joins fragments: a response with fragment set continues in the next one, which
// must be for the same watch and carry the same header; the numbering of responses in messages is
// that of the reassembled list.
func reassemble(in []Response) ([]Response, string) {
	var out []Response
	open := false
	for i, r := range in {
		if open {
			last := &out[len(out)-1]
			if r.WatchID != last.WatchID || r.Header != last.Header || r.Created || r.Canceled {
				return nil, fmt.Sprintf("response %d does not continue the fragmented response before it (id %d header %d after id %d header %d)", i, r.WatchID, r.Header, last.WatchID, last.Header)
			}
			last.Events = append(append([]Event(nil), last.Events...), r.Events...)
			open = r.Fragment
			continue
		}
		out = append(out, r)
		open = r.Fragment
	}
	if open {
		return nil, "the last response is a fragment whose continuation never came"
	}
	return out, ""
}

func sortedKeys(m map[int64]bool) []int64 {
	var out []int64
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
