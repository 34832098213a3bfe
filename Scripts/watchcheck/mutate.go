package main

// mutate: drop or duplicate one received event in a recorded run, to show the checker is not
// vacuous on that very run. The event is chosen among those the checker has no leniency for:
// not at a compaction revision (where tombstones may be missing), and not in an incarnation the
// server ended with a compaction (whose tail legitimately stops anywhere).

import (
	"flag"
	"fmt"
	"math/rand"
)

type eventRef struct {
	w        *Watcher
	inc, res int
	ev       int
}

func mutableEvents(rec *Record) []eventRef {
	compacted := map[int64]bool{}
	for _, c := range rec.Compactions {
		compacted[c.Rev] = true
	}
	var out []eventRef
	for _, w := range rec.Watchers {
		for i, inc := range w.Incarnations {
			if inc.End == endCompacted || inc.End == endRefused {
				continue
			}
			for ri, r := range inc.Responses {
				for ei, e := range r.Events {
					if !compacted[e.KV.Mod] {
						out = append(out, eventRef{w, i, ri, ei})
					}
				}
			}
		}
	}
	return out
}

// Mutate changes rec in place and describes what it did.
func Mutate(rec *Record, dup bool, seed int64) (string, error) {
	refs := mutableEvents(rec)
	if len(refs) == 0 {
		return "", fmt.Errorf("no received event to mutate (outside compaction revisions and compacted incarnations)")
	}
	ref := refs[rand.New(rand.NewSource(seed)).Intn(len(refs))]
	inc := ref.w.Incarnations[ref.inc]
	r := &inc.Responses[ref.res]
	e := r.Events[ref.ev]
	if dup {
		copyResp := Response{Header: r.Header, WatchID: r.WatchID, Events: []Event{e}}
		rest := append([]Response{copyResp}, inc.Responses[ref.res+1:]...)
		inc.Responses = append(inc.Responses[:ref.res+1], rest...)
		return fmt.Sprintf("duplicated watcher %d incarnation %d response %d event %d (%s) as a new response after it", ref.w.ID, ref.inc, ref.res, ref.ev, showEvent(e)), nil
	}
	r.Events = append(r.Events[:ref.ev:ref.ev], r.Events[ref.ev+1:]...)
	if len(r.Events) == 0 {
		// An empty response would read as a progress notification: drop it whole.
		inc.Responses = append(inc.Responses[:ref.res:ref.res], inc.Responses[ref.res+1:]...)
	}
	return fmt.Sprintf("dropped watcher %d incarnation %d response %d event %d (%s)", ref.w.ID, ref.inc, ref.res, ref.ev, showEvent(e)), nil
}

func mutateCommand(args []string) error {
	fs := flag.NewFlagSet("mutate", flag.ExitOnError)
	drop := fs.Bool("drop", false, "drop one event")
	dup := fs.Bool("dup", false, "duplicate one event")
	in := fs.String("in", "", "record to read")
	out := fs.String("out", "", "record to write")
	seed := fs.Int64("seed", 1, "which event")
	fs.Parse(args)
	if *drop == *dup || *in == "" || *out == "" {
		return fmt.Errorf("need exactly one of -drop, -dup, and -in, -out")
	}
	rec, err := readRecord(*in)
	if err != nil {
		return err
	}
	what, err := Mutate(rec, *dup, *seed)
	if err != nil {
		return err
	}
	fmt.Println(what)
	return writeRecord(*out, rec)
}
