package main

// The model: one key of etcd is a register holding a value or nothing, plus the store revision as
// far as the operations linearized so far have shown it. Operations on different keys never
// constrain each other's order in this model (the revision checks across keys are in
// revisions.go), so a history is checked one key at a time.
//
// Values are unique per history, so a value names the write that made it, and its mod_revision is
// that write's revision: known when the write answered, or when a get or a compare saw it.
//
// Unknown-outcome writes come in two sorts:
//   - observed: some operation saw their value (a get returned it, a cas-value compared it). They
//     take part in the search like any operation, with no return time: they may be placed anywhere
//     after their invocation; placed after everything else they mean "never happened".
//   - unobserved ("garbage"): nobody ever saw their value. All they can do is replace the value by
//     one nobody reads, which matters only to explain a known-failed compare-and-swap. The search
//     places one lazily, right before a failed cas that needs it (a garbage write placed anywhere
//     else either changes nothing observable or breaks a later get, so that loses nothing), which
//     keeps a burst of timed-out writes after a crash from multiplying the search.

import "fmt"

const (
	valueAbsent  = 0  // the key does not exist
	valueGarbage = -1 // a value written by an unobserved unknown-outcome write
)

// regState is the register after some prefix of a linearization.
type regState struct {
	value int32 // index into partition.valueNames, or valueAbsent / valueGarbage
	// The highest revision any linearized operation has shown (a write's revision, a read's
	// header). A later write must create a higher one; a later read must not see a lower one.
	rev int64
}

// partition is the history of one key, ready for the search.
type partition struct {
	key        string
	ops        []*Op    // unknown-outcome gets are dropped: they constrain nothing
	valueNames []string // index 0: absent
	valueIndex map[string]int32
	revOf      []int64         // value index -> its mod_revision, 0 when not known
	valueAtRev map[int64]int32 // revision -> value index, for the revisions known
	writerOf   []int           // value index -> the op (index into ops) that writes it, -1 if none
	garbage    []bool          // op index -> an unobserved unknown-outcome write
}

func newPartition(key string, ops []*Op) *partition {
	p := &partition{key: key, valueNames: []string{""}, valueIndex: map[string]int32{}, valueAtRev: map[int64]int32{}}
	intern := func(v string) int32 {
		if i, ok := p.valueIndex[v]; ok {
			return i
		}
		i := int32(len(p.valueNames))
		p.valueNames = append(p.valueNames, v)
		p.valueIndex[v] = i
		return i
	}
	for _, op := range ops {
		if op.Kind == kindGet && op.Unknown {
			continue
		}
		p.ops = append(p.ops, op)
		if op.isWrite() {
			intern(op.Value)
		}
		if op.Kind == kindGet && op.Found {
			intern(op.Got)
		}
		if op.Kind == kindCASValue {
			intern(op.Old)
		}
	}
	p.revOf = make([]int64, len(p.valueNames))
	p.writerOf = make([]int, len(p.valueNames))
	for i := range p.writerOf {
		p.writerOf[i] = -1
	}
	learn := func(value int32, rev int64) {
		if rev == 0 || p.revOf[value] != 0 {
			return // conflicting revisions are reported by the revision checks
		}
		p.revOf[value] = rev
		if _, taken := p.valueAtRev[rev]; !taken {
			p.valueAtRev[rev] = value
		}
	}
	observed := make([]bool, len(p.valueNames))
	for i, op := range p.ops {
		switch {
		case op.isWrite():
			v := p.valueIndex[op.Value]
			p.writerOf[v] = i
			if op.wrote() {
				learn(v, op.Rev)
			}
			if op.Kind == kindCASValue {
				observed[p.valueIndex[op.Old]] = true
			}
		case op.Found:
			v := p.valueIndex[op.Got]
			learn(v, op.ModRev)
			observed[v] = true
		}
	}
	// A cas-rev that compared a revision observes the value written at it.
	for _, op := range p.ops {
		if op.Kind == kindCASRev && op.CmpRev != 0 {
			if v, ok := p.valueAtRev[op.CmpRev]; ok {
				observed[v] = true
			}
		}
	}
	p.garbage = make([]bool, len(p.ops))
	for i, op := range p.ops {
		p.garbage[i] = op.Unknown && op.isWrite() && !observed[p.valueIndex[op.Value]]
	}
	return p
}

// tri is a compare's outcome when the model cannot always know it.
type tri int

const (
	no tri = iota
	yes
	maybe
)

// compareHolds: would op's compare succeed with the register in state s?
func (p *partition) compareHolds(s regState, op *Op) tri {
	if op.Kind == kindCASValue {
		if s.value == p.valueIndex[op.Old] {
			return yes
		}
		return no
	}
	// cas-rev: mod_revision 0 is "absent".
	if op.CmpRev == 0 {
		if s.value == valueAbsent {
			return yes
		}
		return no
	}
	if s.value == valueAbsent {
		return no
	}
	if v, ok := p.valueAtRev[op.CmpRev]; ok {
		if v == s.value {
			return yes
		}
		return no
	}
	if s.value > 0 && p.revOf[s.value] != 0 {
		if p.revOf[s.value] == op.CmpRev {
			return yes
		}
		return no
	}
	// The current value's revision is unknown and so is the value at cmpRev: either may be.
	return maybe
}

// writeRevision: the revision a write of value v creates, if known.
func (p *partition) writeRevision(op *Op) int64 { return p.revOf[p.valueIndex[op.Value]] }

// applyWrite moves s to op's value, if its revision (when known) can follow s.
func (p *partition) applyWrite(s regState, op *Op) (regState, bool) {
	rev := p.writeRevision(op)
	if rev != 0 && rev <= s.rev {
		return s, false
	}
	if rev < s.rev {
		rev = s.rev
	}
	return regState{value: p.valueIndex[op.Value], rev: rev}, true
}

// observe: a read or a failed compare saw header revision rev; it may not be older than s.
func observe(s regState, rev int64) (regState, bool) {
	if rev != 0 && rev < s.rev {
		return s, false
	}
	if rev > s.rev {
		s.rev = rev
	}
	return s, true
}

// step linearizes op (not a garbage write) in state s: the next state, or false when op's output
// is impossible there.
func (p *partition) step(s regState, op *Op) (regState, bool) {
	switch op.Kind {
	case kindPut:
		return p.applyWrite(s, op)
	case kindGet:
		want := int32(valueAbsent)
		if op.Found {
			want = p.valueIndex[op.Got]
		}
		if s.value != want {
			return s, false
		}
		return observe(s, op.Rev)
	default: // cas-value, cas-rev
		holds := p.compareHolds(s, op)
		if op.Unknown {
			// Applied here if it can be. Not applied here is the same as placed after everything
			// else (no return time holds it back), which the search reaches too.
			if holds != no {
				return p.applyWrite(s, op)
			}
			return s, true // failed (or never ran): no effect
		}
		if op.OK {
			if holds == no {
				return s, false
			}
			return p.applyWrite(s, op)
		}
		if holds == yes {
			return s, false
		}
		return observe(s, op.Rev)
	}
}

// stepGarbage linearizes an unobserved unknown-outcome write: the value becomes one nobody reads.
func (p *partition) stepGarbage(s regState, op *Op) (regState, bool) {
	if op.Kind != kindPut && p.compareHolds(s, op) == no {
		return s, false
	}
	return regState{value: valueGarbage, rev: s.rev}, true
}

func (p *partition) describeValue(v int32) string {
	switch v {
	case valueAbsent:
		return "nothing (absent)"
	case valueGarbage:
		return "a value written by a timed-out write that nobody read"
	}
	s := quote(p.valueNames[v])
	if p.revOf[v] != 0 {
		s += fmt.Sprintf(" (mod_revision %d)", p.revOf[v])
	}
	return s
}
