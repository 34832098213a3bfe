package main

import (
	"strings"
	"testing"
)

// A small hand-made run: start revision 10, writes at 11..14, final 14.
//
//	11 put a=1        12 txn: put b=2, delete a        13 put a=3        14 delete-range [a, c)
func handRecord() *Record {
	rec := &Record{Prefix: "", StartRev: 10, FinalRev: 14}
	rec.Writes = []Write{
		{Then: []Op{{Put: true, Key: "a", Value: "1"}}, Outcome: outcomeOK, Rev: 11, Deleted: []int64{-1}},
		{Txn: true, Cmps: []Cmp{{Key: "a", ByValue: true, Value: "1"}}, Then: []Op{{Put: true, Key: "b", Value: "2"}, {Key: "a"}},
			Outcome: outcomeOK, Rev: 12, Succeeded: true, Deleted: []int64{-1, 1}},
		{Then: []Op{{Put: true, Key: "a", Value: "3"}}, Outcome: outcomeOK, Rev: 13, Deleted: []int64{-1}},
		{Then: []Op{{Key: "a", End: "c"}}, Outcome: outcomeOK, Rev: 14, Deleted: []int64{2}},
	}
	rec.Reference = &Watcher{ID: 0, Spec: Spec{Kind: "reference", Key: "\x00", RangeEnd: "\x00", PrevKV: true}}
	h, problems := BuildHistory(rec)
	if len(problems) > 0 {
		panic(problems)
	}
	rec.Reference.Incarnations = []*Incarnation{incarnation(11, endOpen, h, rec.Reference.Spec, 11, 12, 13, 14)}
	return rec
}

func history(rec *Record) *History {
	h, _ := BuildHistory(rec)
	return h
}

// incarnation: one from start whose responses carry the history's events of the given
// revisions, one response per revision.
func incarnation(start int64, end string, h *History, s Spec, revs ...int64) *Incarnation {
	inc := &Incarnation{Start: start, End: end, Responses: []Response{{Header: start - 1, Created: true}}}
	for _, rev := range revs {
		var evs []Event
		for _, g := range expectedGroups(h, s, rev) {
			if g.rev == rev {
				evs = g.events
			}
		}
		inc.Responses = append(inc.Responses, Response{Header: rev, Events: evs})
	}
	return inc
}

func withWatcher(rec *Record, s Spec, incs ...*Incarnation) *Record {
	rec.Watchers = append(rec.Watchers, &Watcher{ID: 1, Spec: s, Incarnations: incs})
	return rec
}

func mustPass(t *testing.T, rec *Record) {
	t.Helper()
	if r := Check(rec); len(r.Violations) > 0 {
		t.Fatalf("want no violations, got %v", r.Violations)
	}
}

func mustFail(t *testing.T, rec *Record, want string) {
	t.Helper()
	r := Check(rec)
	if len(r.Violations) == 0 {
		t.Fatalf("want a violation containing %q, got none", want)
	}
	if !strings.Contains(r.Violations[0].String(), want) {
		t.Fatalf("want a violation containing %q, got %v", want, r.Violations)
	}
}

var rangeAB = Spec{Kind: "range", Key: "a", RangeEnd: "c", PrevKV: true}

func TestHistoryReplay(t *testing.T) {
	h := history(handRecord())
	got := showEvents(h.Events[14])
	want := `[DELETE {key="a" value="" create=0 mod=14 version=0 lease=0} prev={key="a" value="3" create=13 mod=13 version=1 lease=0}, ` +
		`DELETE {key="b" value="" create=0 mod=14 version=0 lease=0} prev={key="b" value="2" create=12 mod=12 version=1 lease=0}]`
	if got != want {
		t.Fatalf("revision 14:\n got %s\nwant %s", got, want)
	}
}

func TestHistoryContradictedDeleteCount(t *testing.T) {
	rec := handRecord()
	rec.Writes[3].Deleted = []int64{1}
	if _, problems := BuildHistory(rec); len(problems) == 0 || !strings.Contains(problems[0], "deleted counts") {
		t.Fatalf("want a deleted-count problem, got %v", problems)
	}
}

func TestHistoryPlacesUnknownWriteFromReference(t *testing.T) {
	rec := handRecord()
	rec.Writes[2].Outcome, rec.Writes[2].Rev, rec.Writes[2].Deleted = outcomeUnknown, 0, nil
	h, problems := BuildHistory(rec)
	if len(problems) > 0 || len(h.Events[13]) != 1 || h.Events[13][0].KV.Value != "3" {
		t.Fatalf("unknown write not placed at 13: %v %v", problems, h.Events[13])
	}
	rec.Reference.Incarnations[0].Responses[3].Events[0].KV.Value = "other"
	if _, problems := BuildHistory(rec); len(problems) == 0 {
		t.Fatal("a reference event no write explains must be a problem")
	}
}

func TestCompleteStreamPasses(t *testing.T) {
	rec := handRecord()
	mustPass(t, withWatcher(rec, rangeAB, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)))
}

func TestBatchedRevisionsInOneResponsePass(t *testing.T) {
	rec := handRecord()
	inc := incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	inc.Responses[1].Events = append(inc.Responses[1].Events, inc.Responses[2].Events...)
	inc.Responses[1].Header = 12
	inc.Responses = append(inc.Responses[:2], inc.Responses[3:]...)
	mustPass(t, withWatcher(rec, rangeAB, inc))
}

func TestGapFails(t *testing.T) {
	rec := handRecord()
	mustFail(t, withWatcher(rec, rangeAB, incarnation(11, endOpen, history(rec), rangeAB, 11, 13, 14)), "gap: revision 12")
}

func TestMissingTailFails(t *testing.T) {
	rec := handRecord()
	mustFail(t, withWatcher(rec, rangeAB, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13)), "missing events at the end")
}

func TestDuplicateFails(t *testing.T) {
	rec := handRecord()
	mustFail(t, withWatcher(rec, rangeAB, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 12, 13, 14)), "delivered in two responses")
	rec = handRecord()
	mustFail(t, withWatcher(rec, rangeAB, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 12, 14)), "out of order or duplicate")
}

func TestSplitRevisionFails(t *testing.T) {
	rec := handRecord()
	inc := incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	whole := inc.Responses[2] // revision 12: put b, delete a
	first, second := whole, whole
	first.Events, second.Events = whole.Events[:1], whole.Events[1:]
	inc.Responses = append(inc.Responses[:2], append([]Response{first, second}, inc.Responses[3:]...)...)
	mustFail(t, withWatcher(rec, rangeAB, inc), "revision 12 incomplete (1 of its 2 events)")
}

func TestWrongPrevKVFails(t *testing.T) {
	rec := handRecord()
	inc := incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	inc.Responses[4].Events[0].Prev.Value = "2"
	mustFail(t, withWatcher(rec, rangeAB, inc), "revision 14")
	// A missing prev_kv is counted, and a violation only when asked (etcd 3.4 omits one now and then).
	rec = handRecord()
	inc = incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	inc.Responses[4].Events[0].Prev = nil
	withWatcher(rec, rangeAB, inc)
	if r := Check(rec); len(r.Violations) != 0 || r.PrevMissing != 1 {
		t.Fatalf("want a tolerated missing prev_kv, got %v, %d missing", r.Violations, r.PrevMissing)
	}
	rec.StrictPrevKV = true
	mustFail(t, rec, "revision 14")
	rec = handRecord()
	noPrev := rangeAB
	noPrev.PrevKV = false
	mustFail(t, withWatcher(rec, noPrev, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)), "revision 12") // prev_kv not asked for
}

func TestFilterFails(t *testing.T) {
	rec := handRecord()
	noDelete := rangeAB
	noDelete.NoDelete = true
	mustPass(t, withWatcher(rec, noDelete, incarnation(11, endOpen, history(rec), noDelete, 11, 12, 13)))
	rec = handRecord()
	mustFail(t, withWatcher(rec, noDelete, incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)), "revision 12")
}

func TestEventBeforeStartFails(t *testing.T) {
	rec := handRecord()
	mustFail(t, withWatcher(rec, rangeAB, incarnation(12, endOpen, history(rec), rangeAB, 11, 12, 13, 14)), "before the watch's start revision 12")
}

func TestStartNowUsesCreatedHeader(t *testing.T) {
	rec := handRecord()
	inc := incarnation(0, endOpen, history(rec), rangeAB, 13, 14)
	inc.Responses[0].Header = 12
	mustPass(t, withWatcher(rec, rangeAB, inc))
	rec = handRecord()
	inc = incarnation(0, endOpen, history(rec), rangeAB, 12, 13, 14)
	inc.Responses[0].Header = 12 // says "now is 12" but then sends revision 12
	mustFail(t, withWatcher(rec, rangeAB, inc), "before the watch's start revision 13")
}

func TestResumeAfterCancel(t *testing.T) {
	rec := handRecord()
	h := history(rec)
	first := incarnation(11, endCancelled, h, rangeAB, 11, 12)
	first.Responses = append(first.Responses, Response{Header: 12, Canceled: true})
	mustPass(t, withWatcher(rec, rangeAB, first, incarnation(13, endOpen, h, rangeAB, 13, 14)))
	// Resuming one revision too late hides a lost event: caught by the continuity check.
	rec = handRecord()
	first = incarnation(11, endCancelled, h, rangeAB, 11)
	first.Responses = append(first.Responses, Response{Header: 12, Canceled: true})
	mustFail(t, withWatcher(rec, rangeAB, first, incarnation(13, endOpen, h, rangeAB, 13, 14)), "should resume at revision 12")
}

func TestCompactionCancel(t *testing.T) {
	compacted := func() *Record {
		rec := handRecord()
		rec.Compactions = []Compaction{{Rev: 13, OK: true}}
		return rec
	}
	rec := compacted()
	h := history(rec)
	first := &Incarnation{Start: 11, CompactedBefore: 13, End: endCompacted,
		Responses: []Response{{Header: 14, Created: true}, {Header: 14, Canceled: true, CompactRev: 13}}}
	mustPass(t, withWatcher(rec, rangeAB, first, incarnation(13, endOpen, h, rangeAB, 13, 14)))

	rec = compacted()
	bad := *first
	bad.Responses = []Response{{Header: 14, Created: true}, {Header: 14, Canceled: true, CompactRev: 12}}
	mustFail(t, withWatcher(rec, rangeAB, &bad, incarnation(12, endOpen, h, rangeAB, 12, 13, 14)), "never requested")

	rec = compacted()
	served := incarnation(11, endOpen, h, rangeAB, 11, 12, 13, 14)
	served.CompactedBefore = 13
	mustFail(t, withWatcher(rec, rangeAB, served), "below compaction 13")
}

func TestTombstoneAtCompactionRevisionMayBeMissing(t *testing.T) {
	rec := handRecord()
	rec.Compactions = []Compaction{{Rev: 14, OK: true}}
	h := history(rec)
	// From revision 14 after compacting at 14: the deletes at 14 are gone, nothing to deliver.
	mustPass(t, withWatcher(rec, rangeAB, incarnation(14, endOpen, h, rangeAB)))
	// But not a put.
	rec = handRecord()
	rec.Compactions = []Compaction{{Rev: 13, OK: true}}
	mustFail(t, withWatcher(rec, rangeAB, incarnation(13, endOpen, history(rec), rangeAB, 14)), "gap: revision 13")
}

func TestAnomalyFails(t *testing.T) {
	rec := handRecord()
	rec.Anomalies = []string{"stream 1: response for watch id 7, which is not open"}
	mustFail(t, rec, "not open")
}

func TestMutateIsCaught(t *testing.T) {
	for _, dup := range []bool{false, true} {
		for seed := int64(0); seed < 8; seed++ {
			rec := handRecord()
			h := history(rec)
			first := incarnation(11, endCancelled, h, rangeAB, 11, 12)
			first.Responses = append(first.Responses, Response{Header: 12, Canceled: true})
			withWatcher(rec, rangeAB, first, incarnation(13, endOpen, h, rangeAB, 13, 14))
			mustPass(t, rec)
			what, err := Mutate(rec, dup, seed)
			if err != nil {
				t.Fatal(err)
			}
			if r := Check(rec); len(r.Violations) == 0 {
				t.Fatalf("mutation not caught: %s", what)
			}
		}
	}
}

func TestFragmentsAreReassembled(t *testing.T) {
	rec := handRecord()
	inc := incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	whole := inc.Responses[2] // revision 12: put b, delete a, in two fragments
	first, second := whole, whole
	first.Events, second.Events = whole.Events[:1], whole.Events[1:]
	first.Fragment = true
	inc.Responses = append(inc.Responses[:2], append([]Response{first, second}, inc.Responses[3:]...)...)
	mustPass(t, withWatcher(rec, rangeAB, inc))
	// A fragment whose continuation never comes.
	rec = handRecord()
	inc = incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	inc.Responses[4].Fragment = true
	mustFail(t, withWatcher(rec, rangeAB, inc), "continuation never came")
}

func TestProgressNotificationMustBeTruthful(t *testing.T) {
	rec := handRecord()
	inc := incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	progress := Response{Header: 12}
	withProgress := append(append([]Response{}, inc.Responses[:3]...), progress)
	inc.Responses = append(withProgress, inc.Responses[3:]...)
	mustPass(t, withWatcher(rec, rangeAB, inc))
	rec = handRecord()
	inc = incarnation(11, endOpen, history(rec), rangeAB, 11, 12, 13, 14)
	progress = Response{Header: 13} // says "up to 13" before 13 was delivered
	withProgress = append(append([]Response{}, inc.Responses[:3]...), progress)
	inc.Responses = append(withProgress, inc.Responses[3:]...)
	mustFail(t, withWatcher(rec, rangeAB, inc), "progress notification at revision 13, but revision 13 is not delivered")
}
