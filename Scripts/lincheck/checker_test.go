package main

import (
	"strings"
	"testing"
)

const msNs = 1_000_000

// builder writes small histories by hand. Times are in milliseconds; revisions as etcd
// would number them (a fresh store is at revision 1).
type builder struct {
	ops  []*Op
	next int64
}

func (b *builder) add(op *Op) *Op {
	b.next++
	op.ID = b.next
	if op.Key == "" {
		op.Key = "k"
	}
	op.Call *= msNs
	op.Return *= msNs
	b.ops = append(b.ops, op)
	return op
}

func (b *builder) put(client int, value string, call, ret, rev int64) *Op {
	return b.add(&Op{Client: client, Kind: kindPut, Value: value, Call: call, Return: ret, Rev: rev})
}

// get: value "" means the key was absent.
func (b *builder) get(client int, value string, call, ret, modRev, rev int64) *Op {
	return b.add(&Op{Client: client, Kind: kindGet, Found: value != "", Got: value, ModRev: modRev, Call: call, Return: ret, Rev: rev})
}

func (b *builder) casValue(client int, old, value string, call, ret int64, ok bool, rev int64) *Op {
	return b.add(&Op{Client: client, Kind: kindCASValue, Old: old, Value: value, Call: call, Return: ret, OK: ok, Rev: rev})
}

func (b *builder) casRev(client int, cmpRev int64, value string, call, ret int64, ok bool, rev int64) *Op {
	return b.add(&Op{Client: client, Kind: kindCASRev, CmpRev: cmpRev, Value: value, Call: call, Return: ret, OK: ok, Rev: rev})
}

// unknown: the op errored; its outputs are dropped.
func unknown(op *Op) *Op {
	op.Unknown, op.Error, op.Return = true, "context deadline exceeded", 0
	op.Found, op.Got, op.ModRev, op.OK, op.Rev = false, "", 0, false, 0
	return op
}

// check runs both the full check and the value-only one; both must agree with want, so every
// hand-built violation is caught by the search itself, not only by the revision checks.
func check(t *testing.T, ops []*Op, want verdict) *Report {
	t.Helper()
	if err := checkUniqueValues(ops); err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if err := op.validate(); err != nil {
			t.Fatal(err)
		}
	}
	full := Check(ops, searchStepsPerKeyDefault, true)
	valuesOnly := Check(ops, searchStepsPerKeyDefault, false)
	var text strings.Builder
	full.Print(&text)
	if full.Verdict() != want || valuesOnly.Verdict() != want {
		var v strings.Builder
		valuesOnly.Print(&v)
		t.Fatalf("want %s; with revisions: %s; values only: %s\n%s\n%s", want, full.Verdict(), valuesOnly.Verdict(), text.String(), v.String())
	}
	t.Logf("\n%s", text.String())
	return full
}

func explanation(r *Report) string {
	for _, k := range r.Keys {
		if k.explanation != "" {
			return k.explanation
		}
	}
	return ""
}

func TestSequentialHistoryIsLinearizable(t *testing.T) {
	b := &builder{}
	b.get(0, "", 0, 10, 0, 1)
	b.put(0, "a", 20, 30, 2)
	b.get(1, "a", 40, 50, 2, 2)
	b.casValue(1, "a", "b", 60, 70, true, 3)
	b.casRev(0, 2, "c0", 80, 90, false, 3)
	b.casRev(0, 3, "c", 100, 110, true, 4)
	b.get(1, "c", 120, 130, 4, 4)
	check(t, b.ops, verdictLinearizable)
}

func TestStaleReadIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.put(1, "b", 20, 30, 3)
	b.get(2, "a", 40, 50, 2, 3) // b was acknowledged before this get began
	r := check(t, b.ops, verdictViolation)
	why := explanation(r)
	for _, want := range []string{`get #3`, `returned "a"`, `the key holds "b"`, `"b" was written by put #2`} {
		if !strings.Contains(why, want) {
			t.Errorf("explanation lacks %q:\n%s", want, why)
		}
	}
}

func TestLostWriteIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.get(1, "", 20, 30, 0, 2) // the acknowledged put is gone
	r := check(t, b.ops, verdictViolation)
	if why := explanation(r); !strings.Contains(why, `returned nothing`) || !strings.Contains(why, `the key holds "a"`) {
		t.Errorf("explanation:\n%s", why)
	}
}

func TestCASAgainstOverwrittenValueIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.put(1, "b", 20, 30, 3)
	b.casValue(2, "a", "c", 40, 50, true, 4) // "a" had been overwritten before it began
	r := check(t, b.ops, verdictViolation)
	if why := explanation(r); !strings.Contains(why, `so the compare fails`) {
		t.Errorf("explanation:\n%s", why)
	}
}

func TestCASOnModRevisionOfOverwrittenValueIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.put(1, "b", 20, 30, 3)
	b.casRev(2, 2, "c", 40, 50, true, 4)
	// Without revisions a mod_revision compare says nothing: only the full check applies.
	if r := Check(b.ops, searchStepsPerKeyDefault, true); r.Verdict() != verdictViolation || !strings.Contains(explanation(r), "so the compare fails") {
		t.Fatalf("%s: %s", r.Verdict(), explanation(r))
	}
}

func TestFailedCASThatShouldHaveSucceededIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.casValue(1, "a", "b", 20, 30, false, 2) // nothing else wrote: the compare held
	r := check(t, b.ops, verdictViolation)
	if why := explanation(r); !strings.Contains(why, `so the compare succeeds`) {
		t.Errorf("explanation:\n%s", why)
	}
}

func TestOverlappingOperationsMayTakeEffectInEitherOrder(t *testing.T) {
	b := &builder{}
	// Two puts overlap everything; the reads fix the order b, a.
	b.put(0, "a", 0, 100, 3)
	b.put(1, "b", 10, 90, 2)
	b.get(2, "b", 20, 30, 2, 2)
	b.get(2, "a", 40, 50, 3, 3)
	b.casValue(3, "a", "c", 35, 95, true, 4)
	b.get(4, "c", 96, 99, 4, 4)
	check(t, b.ops, verdictLinearizable)
}

func TestLinearizationMustFollowRevisions(t *testing.T) {
	// As above, but the revisions say a came first: the reads' order b, a contradicts them.
	b := &builder{}
	b.put(0, "a", 0, 100, 2)
	b.put(1, "b", 10, 90, 3)
	b.get(2, "b", 20, 30, 3, 3)
	b.get(2, "a", 40, 50, 2, 3)
	r := Check(b.ops, searchStepsPerKeyDefault, true)
	if r.Verdict() != verdictViolation {
		t.Fatalf("revisions ignored: %s", r.Verdict())
	}
	if Check(b.ops, searchStepsPerKeyDefault, false).Verdict() != verdictLinearizable {
		t.Fatalf("values alone are linearizable")
	}
}

func TestUnknownOutcomeMayHaveTakenEffect(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	unknown(b.put(1, "b", 20, 30, 3)) // timed out, but a later read shows it happened
	b.get(2, "b", 40, 50, 3, 3)
	b.get(2, "b", 60, 70, 3, 3)
	check(t, b.ops, verdictLinearizable)
}

func TestUnknownOutcomeMayNeverHaveTakenEffect(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	unknown(b.put(1, "b", 20, 30, 0))
	unknown(b.casValue(1, "a", "x", 21, 31, false, 0))
	unknown(b.get(3, "", 22, 32, 0, 0))
	b.get(2, "a", 40, 50, 2, 2)
	b.get(2, "a", 60, 70, 2, 2)
	check(t, b.ops, verdictLinearizable)
}

func TestUnknownOutcomeTakesEffectOnlyOnce(t *testing.T) {
	// b appeared, then a was read again: b took effect, and nothing rewrote a.
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	unknown(b.put(1, "b", 20, 30, 0))
	b.get(2, "b", 40, 50, 3, 3)
	b.get(2, "a", 60, 70, 2, 3)
	check(t, b.ops, verdictViolation)
}

func TestUnreadUnknownWriteExplainsFailedCAS(t *testing.T) {
	// Only the timed-out put of "u" (which nobody read) can have made the compare fail.
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	unknown(b.put(1, "u", 15, 16, 0))
	b.casValue(2, "a", "c", 20, 30, false, 3)
	b.put(0, "d", 40, 50, 4)
	b.get(1, "d", 60, 70, 4, 4)
	check(t, b.ops, verdictLinearizable)

	// Without it, the same history is not linearizable.
	without := &builder{}
	without.put(0, "a", 0, 10, 2)
	without.casValue(2, "a", "c", 20, 30, false, 3)
	without.put(0, "d", 40, 50, 4)
	without.get(1, "d", 60, 70, 4, 4)
	check(t, without.ops, verdictViolation)

	// And it cannot act before it was invoked.
	late := &builder{}
	late.put(0, "a", 0, 10, 2)
	late.casValue(2, "a", "c", 20, 30, false, 3)
	unknown(late.put(1, "u", 35, 36, 0))
	late.put(0, "d", 40, 50, 4)
	late.get(1, "d", 60, 70, 4, 4)
	check(t, late.ops, verdictViolation)
}

func TestRevisionGoingBackwardsAcrossKeysIsCaught(t *testing.T) {
	b := &builder{}
	b.add(&Op{Kind: kindPut, Key: "x", Value: "a", Call: 0, Return: 10, Rev: 5})
	b.add(&Op{Kind: kindGet, Key: "y", Call: 20, Return: 30, Rev: 4})
	r := Check(b.ops, searchStepsPerKeyDefault, true)
	if r.Verdict() != verdictViolation || len(r.Revisions) != 1 || !strings.Contains(r.Revisions[0], "went backwards") {
		t.Fatalf("%s %q", r.Verdict(), r.Revisions)
	}
}

func TestSameValueAtTwoRevisionsIsCaught(t *testing.T) {
	b := &builder{}
	b.put(0, "a", 0, 10, 2)
	b.get(1, "a", 20, 30, 3, 3)
	r := Check(b.ops, searchStepsPerKeyDefault, true)
	if len(r.Revisions) == 0 {
		t.Fatalf("not caught: %s", r.Verdict())
	}
}

func TestBudgetExhaustedIsUnknownNotAVerdict(t *testing.T) {
	b := &builder{}
	for i := 0; i < 20; i++ {
		b.put(i, string(rune('a'+i)), 0, 100, 0)
	}
	b.get(0, "nope", 200, 210, 0, 0)
	r := Check(b.ops, 1000, false)
	if r.Verdict() != verdictUndecided {
		t.Fatalf("got %s", r.Verdict())
	}
}
