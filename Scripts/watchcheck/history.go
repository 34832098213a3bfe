package main

// The event history of a run, revision by revision, rebuilt from the writes' responses by
// replaying them on a model of the keyspace. A write that errored (unknown outcome, e.g. during
// a leader kill) is placed where the reference watcher saw a revision no acknowledged write
// explains, if replaying it there produces exactly what the reference saw.

import (
	"fmt"
	"reflect"
	"sort"
)

// History maps each revision in (StartRev, FinalRev] to its events, in the order etcd emits
// them (op order; a range delete in key order).
type History struct {
	Start, Final int64
	Events       map[int64][]Event
}

// model is the keyspace (only the prefix the load writes).
type model map[string]KV

func inRange(key, start, end string) bool {
	switch end {
	case "":
		return key == start
	case "\x00":
		return key >= start
	}
	return key >= start && key < end
}

func (m model) cmp(c Cmp) bool {
	kv, ok := m[c.Key]
	if c.ByValue {
		return ok && kv.Value == c.Value
	}
	if !ok {
		return c.Mod == 0
	}
	return kv.Mod == c.Mod
}

// apply runs w's branch at revision rev and returns the events, the branch and the deleted
// counts per op (-1 for puts). The model is changed only if events is not empty.
func (m model) apply(w *Write, rev int64) ([]Event, bool, []int64) {
	succeeded := true
	for _, c := range w.Cmps {
		succeeded = succeeded && m.cmp(c)
	}
	ops := w.Then
	if !succeeded {
		ops = w.Else
	}
	var events []Event
	deleted := make([]int64, len(ops))
	next := model{}
	for k, v := range m {
		next[k] = v
	}
	for i, op := range ops {
		if op.Put {
			deleted[i] = -1
			kv := KV{Key: op.Key, Value: op.Value, Create: rev, Mod: rev, Version: 1}
			ev := Event{Type: eventPut}
			if prev, ok := next[op.Key]; ok {
				kv.Create, kv.Version = prev.Create, prev.Version+1
				p := prev
				ev.Prev = &p
			}
			ev.KV = kv
			next[op.Key] = kv
			events = append(events, ev)
			continue
		}
		var keys []string
		for k := range next {
			if inRange(k, op.Key, op.End) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		deleted[i] = int64(len(keys))
		for _, k := range keys {
			p := next[k]
			events = append(events, Event{Type: eventDelete, KV: KV{Key: k, Mod: rev}, Prev: &p})
			delete(next, k)
		}
	}
	if len(events) > 0 {
		for k := range m {
			delete(m, k)
		}
		for k, v := range next {
			m[k] = v
		}
	}
	return events, succeeded, deleted
}

// changed reports whether an acknowledged write created a revision, from its response alone.
func (w *Write) changed() bool {
	for _, d := range w.Deleted {
		if d != 0 {
			return true
		}
	}
	return false
}

// referenceEvents groups the reference watcher's events by revision.
func referenceEvents(ref *Watcher) map[int64][]Event {
	byRev := map[int64][]Event{}
	for _, inc := range ref.Incarnations {
		for _, r := range inc.Responses {
			for _, e := range r.Events {
				byRev[e.KV.Mod] = append(byRev[e.KV.Mod], e)
			}
		}
	}
	return byRev
}

func stripPrev(events []Event) []Event {
	out := make([]Event, len(events))
	for i, e := range events {
		e.Prev = nil
		out[i] = e
	}
	return out
}

// BuildHistory replays the writes in revision order. Problems are violations of the write
// path itself (a response that the replay contradicts, a revision nobody explains).
func BuildHistory(rec *Record) (*History, []string) {
	var problems []string
	byRev := map[int64]*Write{}
	for i := range rec.Writes {
		w := &rec.Writes[i]
		if w.Outcome != outcomeOK || !w.changed() {
			continue
		}
		if other, ok := byRev[w.Rev]; ok {
			problems = append(problems, fmt.Sprintf("writes %d and %d both changed the keyspace at revision %d", other.ID, w.ID, w.Rev))
			continue
		}
		byRev[w.Rev] = w
	}
	ref := referenceEvents(rec.Reference)
	used := map[int]bool{}
	h := &History{Start: rec.StartRev, Final: rec.FinalRev, Events: map[int64][]Event{}}
	m := model{}
	for rev := rec.StartRev + 1; rev <= rec.FinalRev; rev++ {
		if w, ok := byRev[rev]; ok {
			events, succeeded, deleted := m.apply(w, rev)
			if w.Txn && succeeded != w.Succeeded {
				problems = append(problems, fmt.Sprintf("write %d at revision %d: the server took the %v branch, the replay the %v branch", w.ID, rev, w.Succeeded, succeeded))
			} else if !reflect.DeepEqual(deleted, w.Deleted) {
				problems = append(problems, fmt.Sprintf("write %d at revision %d: deleted counts %v, the replay %v", w.ID, rev, w.Deleted, deleted))
			}
			h.Events[rev] = events
			continue
		}
		seen := ref[rev]
		if len(seen) == 0 {
			problems = append(problems, fmt.Sprintf("revision %d: no acknowledged write created it and the reference watcher saw no event at it", rev))
			continue
		}
		placed := false
		for i := range rec.Writes {
			w := &rec.Writes[i]
			if w.Outcome != outcomeUnknown || used[w.ID] {
				continue
			}
			trial := model{}
			for k, v := range m {
				trial[k] = v
			}
			events, _, _ := trial.apply(w, rev)
			if len(events) > 0 && reflect.DeepEqual(stripPrev(events), stripPrev(seen)) {
				m.apply(w, rev)
				used[w.ID] = true
				h.Events[rev] = events
				placed = true
				break
			}
		}
		if !placed {
			problems = append(problems, fmt.Sprintf("revision %d: the reference watcher saw %s, which no write with an unknown outcome explains", rev, showEvents(seen)))
			// Keep the model going with what the server says happened.
			for _, e := range seen {
				if e.Type == eventPut {
					m[e.KV.Key] = e.KV
				} else {
					delete(m, e.KV.Key)
				}
			}
			h.Events[rev] = seen
		}
	}
	// No-op acknowledged writes: their response revision must already exist.
	for i := range rec.Writes {
		w := &rec.Writes[i]
		if w.Outcome == outcomeOK && !w.changed() && w.Rev > rec.FinalRev {
			problems = append(problems, fmt.Sprintf("write %d changed nothing but answered revision %d, after the final revision %d", w.ID, w.Rev, rec.FinalRev))
		}
	}
	return h, problems
}

func showKV(kv *KV) string {
	if kv == nil {
		return "none"
	}
	return fmt.Sprintf("{key=%q value=%q create=%d mod=%d version=%d lease=%d}", kv.Key, kv.Value, kv.Create, kv.Mod, kv.Version, kv.Lease)
}

func showEvent(e Event) string {
	s := e.Type + " " + showKV(&e.KV)
	if e.Prev != nil {
		s += " prev=" + showKV(e.Prev)
	}
	return s
}

func showEvents(events []Event) string {
	s := "["
	for i, e := range events {
		if i > 0 {
			s += ", "
		}
		s += showEvent(e)
	}
	return s + "]"
}
