package main

// The linearizability search for one key (Wing & Gong's backtracking, with Lowe's refinements, as
// Porcupine and Knossos do it).
//
// Every operation becomes two entries, its call and its return, in one list ordered by time
// (calls before returns on a tie; an unknown-outcome operation has no return entry). At any moment
// the candidates, the operations that may take effect next, are those whose call entry comes
// before the first return entry: every operation that returned earlier is already linearized.
// The search tries the candidates in turn (ranked by revision, see orderKey; in time order when
// there are no revisions): if the model accepts one in the current register state and the (set of
// linearized operations, state) pair is new, its two entries are lifted out of the list and the
// search goes on with the new candidates. When no candidate fits, the operation of the first
// return entry can no longer be linearized and nothing may go before it: the last linearized
// operation is put back and the search goes on with the candidate after it. The history is
// linearizable once every operation with a return has been linearized (what remains,
// unknown-outcome operations, can be placed after everything: "never happened"); it is not when
// the search backtracks past the first operation.
//
// The cache of visited pairs makes the search polynomial on the histories real clients produce;
// a budget of steps bounds the rest, and running out is its own verdict.

import (
	"fmt"
	"sort"
	"strings"
)

type verdict int

const (
	verdictLinearizable verdict = iota
	verdictViolation
	verdictUndecided // the search budget ran out
)

func (v verdict) String() string {
	switch v {
	case verdictLinearizable:
		return "linearizable"
	case verdictViolation:
		return "NOT linearizable"
	}
	return "unknown (search budget exhausted)"
}

// keyResult is the verdict on one key.
type keyResult struct {
	key         string
	verdict     verdict
	ops         int
	steps       int64
	explanation string // for a violation
}

type entry struct {
	op         int // index into partition.ops
	call       bool
	time       int64
	match      *entry // a call's return entry; nil for unknown outcomes and for returns
	prev, next *entry
}

func (p *partition) buildEntries() *entry {
	var list []*entry
	for i, op := range p.ops {
		if p.garbage[i] {
			continue
		}
		call := &entry{op: i, call: true, time: op.Call}
		list = append(list, call)
		if !op.Unknown {
			ret := &entry{op: i, time: op.Return}
			call.match = ret
			list = append(list, ret)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].time != list[j].time {
			return list[i].time < list[j].time
		}
		return list[i].call && !list[j].call
	})
	head := &entry{op: -1}
	prev := head
	for _, e := range list {
		prev.next, e.prev = e, prev
		prev = e
	}
	return head
}

func unlink(e *entry) {
	e.prev.next = e.next
	if e.next != nil {
		e.next.prev = e.prev
	}
}

func relink(e *entry) {
	e.prev.next = e
	if e.next != nil {
		e.next.prev = e
	}
}

// lift takes a linearized operation's entries out of the list; unlift puts them back (in the
// reverse order, so the neighbours' links are restored exactly).
func lift(call *entry) {
	unlink(call)
	if call.match != nil {
		unlink(call.match)
	}
}

func unlift(call *entry) {
	if call.match != nil {
		relink(call.match)
	}
	relink(call)
}

// visited remembers (linearized set, state) pairs already explored.
type visited struct {
	buckets map[uint64][]visitedEntry
}

type visitedEntry struct {
	bits  []uint64
	state regState
}

func hashOf(bits []uint64, s regState) uint64 {
	h := uint64(14695981039346656037)
	mix := func(x uint64) {
		h ^= x
		h *= 1099511628211
		h ^= h >> 29
	}
	for _, w := range bits {
		mix(w)
	}
	mix(uint64(uint32(s.value)))
	mix(uint64(s.rev))
	return h
}

func equalBits(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// add records the pair; false if it was there already.
func (v *visited) add(bits []uint64, s regState) bool {
	h := hashOf(bits, s)
	for _, e := range v.buckets[h] {
		if e.state == s && equalBits(e.bits, bits) {
			return false
		}
	}
	v.buckets[h] = append(v.buckets[h], visitedEntry{append([]uint64(nil), bits...), s})
	return true
}

type frame struct {
	call    *entry
	garbage int // the unobserved write placed just before call's operation, or -1
	prev    regState
	// The candidates when call was chosen, and its position among them: backtracking resumes
	// with the next one.
	candidates []*entry
	chosen     int
}

// Failed attempts kept per operation for the explanation.
const failedStatesPerOpMax = 6

// explainer remembers where the search got furthest, to say why it could go no further.
type explainer struct {
	depth   int   // operations linearized when the deepest block was hit; -1 before any
	blocker int   // the operation whose return blocked there
	prefix  []int // the linearized operations then, in order (garbage writes included)
	failed  map[int][]regState
}

func (x *explainer) fail(op int, s regState) {
	for _, seen := range x.failed[op] {
		if seen == s {
			return
		}
	}
	if len(x.failed[op]) < failedStatesPerOpMax {
		x.failed[op] = append(x.failed[op], s)
	}
}

func (x *explainer) blocked(op int, stack []frame) {
	if len(stack) <= x.depth {
		return
	}
	x.depth, x.blocker = len(stack), op
	x.prefix = x.prefix[:0]
	for _, f := range stack {
		if f.garbage >= 0 {
			x.prefix = append(x.prefix, f.garbage)
		}
		x.prefix = append(x.prefix, f.call.op)
	}
}

// orderKey ranks the operations that may go next, so that the search tries first the order the
// server's revisions suggest: a write at its revision, a read (or failed compare) just after the
// write its header revision names. In etcd's own order, ranked so, the first choice is nearly
// always right; without revisions every key is equal and the list (time) order decides.
func (p *partition) orderKey(op *Op) int64 {
	const last = int64(1<<63 - 1)
	switch {
	case op.wrote() || op.Unknown:
		if rev := p.writeRevision(op); rev != 0 {
			return 2 * rev
		}
		if op.Unknown {
			return last
		}
		return 0
	case op.Rev != 0: // a read or a failed compare
		return 2*op.Rev + 1
	}
	return 0
}

// check searches for a linearization of the key's history within budget steps.
func (p *partition) check(budget int64) keyResult {
	result := keyResult{key: p.key, ops: len(p.ops)}
	head := p.buildEntries()
	var garbageOps []int
	known := 0
	keys := make([]int64, len(p.ops))
	for i, op := range p.ops {
		if p.garbage[i] {
			garbageOps = append(garbageOps, i)
		}
		if !op.Unknown {
			known++
		}
		keys[i] = p.orderKey(op)
	}
	// Without revisions (values only) there is nothing to rank by: keep the list's time order.
	ranked := len(p.valueAtRev) > 0
	sort.SliceStable(garbageOps, func(i, j int) bool { return p.ops[garbageOps[i]].Call < p.ops[garbageOps[j]].Call })
	garbageUsed := make([]bool, len(p.ops))
	bits := make([]uint64, (len(p.ops)+63)/64)
	set := func(i int) { bits[i/64] |= 1 << (uint(i) % 64) }
	clear := func(i int) { bits[i/64] &^= 1 << (uint(i) % 64) }
	cache := visited{buckets: map[uint64][]visitedEntry{}}
	x := &explainer{depth: -1, failed: map[int][]regState{}}

	// candidates: the call entries before the first return entry, best first, and that return
	// entry (nil when only unknown-outcome operations remain).
	candidates := func() ([]*entry, *entry) {
		var list []*entry
		e := head.next
		for ; e != nil && e.call; e = e.next {
			list = append(list, e)
		}
		if ranked {
			sort.SliceStable(list, func(i, j int) bool { return keys[list[i].op] < keys[list[j].op] })
		}
		return list, e
	}
	// reachableGarbage: the first unused unobserved write that may take effect before the first
	// pending return and whose compare (if any) holds in s; -1 if none.
	reachableGarbage := func(firstReturn *entry, s regState) int {
		limit := int64(1<<63 - 1)
		if firstReturn != nil {
			limit = firstReturn.time
		}
		for _, g := range garbageOps {
			if p.ops[g].Call > limit {
				break
			}
			if garbageUsed[g] {
				continue
			}
			if _, ok := p.stepGarbage(s, p.ops[g]); ok {
				return g
			}
		}
		return -1
	}

	var state regState
	var stack []frame
	linearizedKnown := 0
	cands, firstReturn := candidates()
	i := 0
	for linearizedKnown < known {
		if i < len(cands) {
			result.steps++
			if result.steps > budget {
				result.verdict = verdictUndecided
				return result
			}
			e := cands[i]
			op := p.ops[e.op]
			next, ok := p.step(state, op)
			garbage := -1
			if !ok {
				x.fail(e.op, state)
				if !op.Unknown && op.isWrite() && !op.OK && op.Kind != kindPut && len(garbageOps) > 0 {
					if g := reachableGarbage(firstReturn, state); g >= 0 {
						gs, _ := p.stepGarbage(state, p.ops[g])
						if next, ok = p.step(gs, op); ok {
							garbage = g
						}
					}
				}
			}
			if ok {
				set(e.op)
				if garbage >= 0 {
					set(garbage)
				}
				if cache.add(bits, next) {
					stack = append(stack, frame{call: e, garbage: garbage, prev: state, candidates: cands, chosen: i})
					state = next
					if !op.Unknown {
						linearizedKnown++
					}
					if garbage >= 0 {
						garbageUsed[garbage] = true
					}
					lift(e)
					cands, firstReturn = candidates()
					i = 0
					continue
				}
				clear(e.op)
				if garbage >= 0 {
					clear(garbage)
				}
			}
			i++
			continue
		}
		// No candidate fits: the first pending return's operation cannot be linearized from
		// here, and nothing returning later may go before it. Backtrack.
		result.steps++
		x.blocked(firstReturn.op, stack)
		if len(stack) == 0 {
			result.verdict = verdictViolation
			result.explanation = p.explain(x)
			return result
		}
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		state = f.prev
		clear(f.call.op)
		if f.garbage >= 0 {
			clear(f.garbage)
			garbageUsed[f.garbage] = false
		}
		if !p.ops[f.call.op].Unknown {
			linearizedKnown--
		}
		unlift(f.call)
		cands, firstReturn, i = f.candidates, firstReturnAfter(f.call), f.chosen+1
	}
	result.verdict = verdictLinearizable
	return result
}

// firstReturnAfter: the first return entry at or after e in the list.
func firstReturnAfter(e *entry) *entry {
	for ; e != nil && e.call; e = e.next {
	}
	return e
}

// Ops of the longest linearizable prefix shown in an explanation.
const explainPrefixOpsMax = 6

func (p *partition) explain(x *explainer) string {
	var b strings.Builder
	op := p.ops[x.blocker]
	fmt.Fprintf(&b, "key %s: NOT linearizable; no order of its operations makes room for\n  %s\n", quote(p.key), describeOp(op))
	reasons := x.failed[x.blocker]
	if len(reasons) == 0 {
		fmt.Fprintf(&b, "  every order of the operations that must precede it was tried; none leaves room for it.\n")
	} else {
		fmt.Fprintf(&b, "  wherever it can take effect (after all that returned before its invocation, in every order of those):\n")
		said := map[string]bool{}
		for _, s := range reasons {
			if why := p.whyNot(op, s); !said[why] {
				said[why] = true
				fmt.Fprintf(&b, "    - %s\n", why)
			}
		}
	}
	// The writes behind the values involved.
	involved := map[int32]bool{}
	for _, s := range reasons {
		if s.value > 0 {
			involved[s.value] = true
		}
	}
	if op.Kind == kindGet && op.Found {
		involved[p.valueIndex[op.Got]] = true
	}
	if op.Kind == kindCASValue {
		involved[p.valueIndex[op.Old]] = true
	}
	var values []int32
	for v := range involved {
		values = append(values, v)
	}
	sort.Slice(values, func(i, j int) bool { return values[i] < values[j] })
	for _, v := range values {
		if w := p.writerOf[v]; w >= 0 {
			fmt.Fprintf(&b, "  %s was written by %s\n", quote(p.valueNames[v]), describeOp(p.ops[w]))
		} else {
			fmt.Fprintf(&b, "  %s was never written by any operation in the history\n", quote(p.valueNames[v]))
		}
	}
	prefix := x.prefix
	fmt.Fprintf(&b, "  the longest linearizable prefix has %d operation(s)", len(prefix))
	if len(prefix) > explainPrefixOpsMax {
		fmt.Fprintf(&b, "; its last %d:\n", explainPrefixOpsMax)
		prefix = prefix[len(prefix)-explainPrefixOpsMax:]
	} else if len(prefix) > 0 {
		fmt.Fprintf(&b, ":\n")
	} else {
		fmt.Fprintf(&b, "\n")
	}
	for _, i := range prefix {
		fmt.Fprintf(&b, "    %s\n", describeOp(p.ops[i]))
	}
	return strings.TrimRight(b.String(), "\n")
}

// whyNot says why op cannot take effect with the register in state s.
func (p *partition) whyNot(op *Op, s regState) string {
	holds := "the key holds " + p.describeValue(s.value)
	switch op.Kind {
	case kindGet:
		want := int32(valueAbsent)
		if op.Found {
			want = p.valueIndex[op.Got]
		}
		if s.value != want {
			return holds
		}
		return fmt.Sprintf("%s as read, but revision %d was already seen, above the read's header revision %d", holds, s.rev, op.Rev)
	case kindPut:
		return fmt.Sprintf("revision %d was already seen, so a put creating revision %d cannot come now", s.rev, p.writeRevision(op))
	}
	switch holds2 := p.compareHolds(s, op); {
	case op.Unknown:
		return fmt.Sprintf("%s; revision %d was already seen, so its put (revision %d) cannot come now", holds, s.rev, p.writeRevision(op))
	case op.OK && holds2 == no:
		return holds + ", so the compare fails"
	case !op.OK && holds2 == yes:
		return holds + ", so the compare succeeds"
	case op.OK:
		return fmt.Sprintf("%s; revision %d was already seen, so its put (revision %d) cannot come now", holds, s.rev, p.writeRevision(op))
	}
	return fmt.Sprintf("%s; revision %d was already seen, above the failed txn's header revision %d", holds, s.rev, op.Rev)
}

func describeOp(op *Op) string {
	when := fmt.Sprintf("[%s, %s]", seconds(op.Call), seconds(op.Return))
	if op.Unknown {
		when = fmt.Sprintf("[%s, ?]", seconds(op.Call))
	}
	head := fmt.Sprintf("%s #%d (client %d, %s)", op.Kind, op.ID, op.Client, when)
	var out string
	switch {
	case op.Unknown:
		out = "outcome unknown: " + op.Error
	case op.Kind == kindGet && op.Found:
		out = fmt.Sprintf("returned %s mod_revision %d, header revision %d", quote(op.Got), op.ModRev, op.Rev)
	case op.Kind == kindGet:
		out = fmt.Sprintf("returned nothing (absent), header revision %d", op.Rev)
	case op.Kind == kindPut:
		out = fmt.Sprintf("revision %d", op.Rev)
	case op.OK:
		out = fmt.Sprintf("succeeded, revision %d", op.Rev)
	default:
		out = fmt.Sprintf("failed, header revision %d", op.Rev)
	}
	switch op.Kind {
	case kindPut:
		head += " put " + quote(op.Value)
	case kindCASValue:
		head += fmt.Sprintf(" if value == %s then put %s", quote(op.Old), quote(op.Value))
	case kindCASRev:
		head += fmt.Sprintf(" if mod_revision == %d then put %s", op.CmpRev, quote(op.Value))
	}
	return head + ": " + out
}

func seconds(ns int64) string { return fmt.Sprintf("%.6fs", float64(ns)/1e9) }

func quote(s string) string { return fmt.Sprintf("%q", s) }
