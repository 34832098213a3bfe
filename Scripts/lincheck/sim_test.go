package main

import (
	"bytes"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// simulate runs ops operations one after another against an in-memory etcd (one revision counter,
// a register per key), each taking effect at its own instant, then blurs the timeline: every
// operation is given an invocation up to spread before that instant and a return up to spread
// after it, so many overlap. Some writes time out (unknownPct percent): half of those took effect,
// half did not, and their outputs are dropped either way. The result is linearizable by
// construction.
func simulate(rng *rand.Rand, keys, ops int, spread int64, unknownPct int) []*Op {
	type register struct {
		found  bool
		value  string
		modRev int64
		// Some client saw it (its write answered, or a get read it). Clients compare only what
		// they saw: a timed-out write's revision is not known to anyone until it is read.
		seen bool
	}
	state := make([]register, keys)
	seen := make([][]register, keys) // every value each key has held that a client saw
	rev := int64(1)
	var history []*Op
	const stepNs = 1000
	for i := 0; i < ops; i++ {
		k := rng.Intn(keys)
		reg := &state[k]
		at := int64(i+1) * stepNs * 10
		op := &Op{ID: int64(i + 1), Client: rng.Intn(16), Key: fmt.Sprintf("k%d", k)}
		op.Call = at - rng.Int63n(spread+1)
		op.Return = at + rng.Int63n(spread+1)
		value := fmt.Sprintf("v%d", i)
		timedOut := rng.Intn(100) < unknownPct
		applies := !timedOut || rng.Intn(2) == 0
		write := func() {
			rev++
			*reg = register{found: true, value: value, modRev: rev, seen: !timedOut}
			if !timedOut {
				seen[k] = append(seen[k], *reg)
			}
		}
		// A compare against the current value if a client saw it, or (one time in three) an older
		// one; an absent key's mod_revision (0) is known to all.
		old := *reg
		if (old.found && !old.seen) || (len(seen[k]) > 0 && rng.Intn(3) == 0) {
			old = register{}
			if len(seen[k]) > 0 {
				old = seen[k][rng.Intn(len(seen[k]))]
			}
		}
		switch p := rng.Intn(100); {
		case p < 40:
			op.Kind = kindGet
			op.Found, op.Got, op.ModRev, op.Rev = reg.found, reg.value, reg.modRev, rev
			if reg.found && !reg.seen && !timedOut {
				reg.seen = true
				seen[k] = append(seen[k], *reg)
			}
		case p < 65:
			op.Kind, op.Value = kindPut, value
			if applies {
				write()
			}
			op.Rev = rev
		case p < 85 && old.found:
			op.Kind, op.Value, op.Old = kindCASValue, value, old.value
			op.OK = reg.found && reg.value == old.value
			if op.OK && applies {
				write()
			}
			op.Rev = rev
		default:
			op.Kind, op.Value, op.CmpRev = kindCASRev, value, old.modRev
			op.OK = reg.modRev == old.modRev
			if op.OK && applies {
				write()
			}
			op.Rev = rev
		}
		if timedOut {
			unknown(op)
		}
		history = append(history, op)
	}
	return history
}

func TestRandomLinearizableHistoriesPass(t *testing.T) {
	for seed := int64(1); seed <= 300; seed++ {
		rng := rand.New(rand.NewSource(seed))
		ops := simulate(rng, 1+rng.Intn(4), 300, int64(rng.Intn(60_000)), rng.Intn(15))
		for _, withRevisions := range []bool{true, false} {
			r := Check(ops, searchStepsPerKeyDefault, withRevisions)
			if r.Verdict() != verdictLinearizable {
				var text bytes.Buffer
				r.Print(&text)
				t.Fatalf("seed %d (revisions %v): %s\n%s", seed, withRevisions, r.Verdict(), text.String())
			}
		}
	}
}

func TestLargeRandomLinearizableHistoryPassesQuickly(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	// 20,000 operations on 4 keys, each overlapping a few dozen others, 3% timed out.
	ops := simulate(rng, 4, 20_000, 300_000, 3)
	started := time.Now()
	r := Check(ops, searchStepsPerKeyDefault, true)
	var text bytes.Buffer
	r.Print(&text)
	if r.Verdict() != verdictLinearizable {
		t.Fatalf("%s\n%s", r.Verdict(), text.String())
	}
	t.Logf("%s(checked in %v)", text.String(), time.Since(started))

	// The search alone, without the revisions to order it, on a quarter of it.
	started = time.Now()
	if r := Check(ops[:len(ops)/4], searchStepsPerKeyDefault, false); r.Verdict() != verdictLinearizable {
		t.Fatalf("values only: %s", r.Verdict())
	}
	t.Logf("values only: checked in %v", time.Since(started))
}

// With revisions the search tries etcd's own order first, so even dozens of operations
// overlapping on one key cost about one step each (without them this history exhausts any
// reasonable budget: the problem is NP-complete in general).
func TestRevisionsGuideTheSearchThroughHeavyOverlap(t *testing.T) {
	const ops = 5000
	history := simulate(rand.New(rand.NewSource(9)), 1, ops, 300_000, 10) // ~30-60 overlapping
	r := Check(history, searchStepsPerKeyDefault, true)
	if r.Verdict() != verdictLinearizable || r.Keys[0].steps > 2*ops {
		t.Fatalf("%s in %d steps", r.Verdict(), r.Keys[0].steps)
	}
}

// The mutation the e2e script applies to recorded histories: one read made stale. On every
// seed the checker must flag it, by the search alone (revision checks off) as well.
func TestInjectedStaleReadIsCaught(t *testing.T) {
	for seed := int64(1); seed <= 100; seed++ {
		rng := rand.New(rand.NewSource(seed))
		ops := simulate(rng, 3, 400, 20_000, 5)
		get, previous := staleReadCandidate(ops, rng)
		if get == nil {
			t.Fatalf("seed %d: no candidate", seed)
		}
		get.Got, get.ModRev = previous.Value, previous.Rev
		for _, withRevisions := range []bool{true, false} {
			r := Check(ops, searchStepsPerKeyDefault, withRevisions)
			if r.Verdict() != verdictViolation {
				t.Fatalf("seed %d (revisions %v): stale read of %s by op %d not caught: %s", seed, withRevisions, previous.Value, get.ID, r.Verdict())
			}
			if !withRevisions && !strings.Contains(explanation(r), fmt.Sprintf("returned %q", previous.Value)) {
				t.Logf("seed %d: blamed another op:\n%s", seed, explanation(r))
			}
		}
	}
}

func TestHistoryRoundTripsThroughJSONLines(t *testing.T) {
	ops := simulate(rand.New(rand.NewSource(7)), 2, 200, 5000, 10)
	var buf bytes.Buffer
	if err := WriteHistory(&buf, ops); err != nil {
		t.Fatal(err)
	}
	back, err := ReadHistory(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(ops) {
		t.Fatalf("%d ops back, wrote %d", len(back), len(ops))
	}
	byID := map[int64]*Op{}
	for _, op := range ops {
		byID[op.ID] = op
	}
	for _, op := range back {
		if *op != *byID[op.ID] {
			t.Fatalf("op %d: %+v became %+v", op.ID, *byID[op.ID], *op)
		}
	}
}
