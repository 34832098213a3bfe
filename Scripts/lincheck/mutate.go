package main

// mutate: break a recorded history on purpose, to show the checker notices. -stale rewrites one
// completed get so that it returns the value its key had before the one it really read: the
// write of the value it read had returned before the get was invoked, and the earlier write had
// returned before that write was invoked, so no order explains the rewritten read.

import (
	"flag"
	"fmt"
	"math/rand"
	"sort"
)

func mutateCommand(args []string) error {
	fs := flag.NewFlagSet("mutate", flag.ExitOnError)
	stale := fs.Bool("stale", false, "make one completed get return its key's previous value")
	in := fs.String("in", "", "history to read")
	out := fs.String("out", "", "history to write")
	seed := fs.Int64("seed", 1, "chooses the get among the candidates")
	fs.Parse(args)
	if !*stale || *in == "" || *out == "" {
		return fmt.Errorf("usage: lincheck mutate -stale -in FILE -out FILE [-seed N]")
	}
	ops, err := ReadHistoryFile(*in)
	if err != nil {
		return err
	}
	get, previous := staleReadCandidate(ops, rand.New(rand.NewSource(*seed)))
	if get == nil {
		return fmt.Errorf("no completed get whose value's write returned before it, after another write of the key")
	}
	fmt.Printf("mutated %s\n", describeOp(get))
	get.Got, get.ModRev = previous.Value, previous.Rev
	fmt.Printf("     to %s\n", describeOp(get))
	fmt.Printf("(the value it now returns was overwritten before it was invoked: %s)\n", describeOp(previous))
	return WriteHistoryFile(*out, ops)
}

// staleReadCandidate picks a get G and a write P such that G read the value of a write W that
// returned before G's invocation, and P wrote G's key and returned before W's invocation (of those
// the one with the highest revision: the key's value before W's, unless a write concurrent with W
// came between). Nil when the history has none.
func staleReadCandidate(ops []*Op, rng *rand.Rand) (*Op, *Op) {
	writerOf := map[string]*Op{}
	writesOf := map[string][]*Op{}
	for _, op := range ops {
		if op.wrote() {
			writerOf[op.Value] = op
			writesOf[op.Key] = append(writesOf[op.Key], op)
		}
	}
	type pair struct{ get, previous *Op }
	var candidates []pair
	for _, g := range ops {
		if g.Kind != kindGet || g.Unknown || !g.Found {
			continue
		}
		w := writerOf[g.Got]
		if w == nil || w.Return >= g.Call {
			continue
		}
		var previous *Op
		for _, p := range writesOf[g.Key] {
			if p != w && p.Return < w.Call && (previous == nil || p.Rev > previous.Rev) {
				previous = p
			}
		}
		if previous != nil {
			candidates = append(candidates, pair{g, previous})
		}
	}
	if len(candidates) == 0 {
		return nil, nil
	}
	sort.SliceStable(candidates, func(i, j int) bool { return candidates[i].get.Call < candidates[j].get.Call })
	c := candidates[rng.Intn(len(candidates))]
	return c.get, c.previous
}
