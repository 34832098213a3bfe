package main

// The checker proves itself on hand-made streams: a complete stream rebuilds the store exactly,
// and a missing, duplicated or reordered event, or a missing page, is caught.

import (
	"strings"
	"testing"
)

const p = "/registry/pods/"

func put(key, value string, create, mod, version int64, prev *KV) Event {
	return Event{KV: KV{Key: p + key, Value: value, Create: create, Mod: mod, Version: version}, Prev: prev}
}

func del(key string, rev int64, prev *KV) Event {
	return Event{Delete: true, KV: KV{Key: p + key, Mod: rev}, Prev: prev}
}

// history: list at 10 holds a; then b created, a updated, b deleted, c created (c and a at 14 in
// one transaction).
func history() (list []KV, events []Event, store map[int64][]KV) {
	a10 := KV{Key: p + "a", Value: "a1", Create: 5, Mod: 5, Version: 1}
	b11 := KV{Key: p + "b", Value: "b1", Create: 11, Mod: 11, Version: 1}
	a12 := KV{Key: p + "a", Value: "a2", Create: 5, Mod: 12, Version: 2}
	a14 := KV{Key: p + "a", Value: "a3", Create: 5, Mod: 14, Version: 3}
	c14 := KV{Key: p + "c", Value: "c1", Create: 14, Mod: 14, Version: 1}
	list = []KV{a10}
	events = []Event{
		put("b", "b1", 11, 11, 1, nil),
		put("a", "a2", 5, 12, 2, &a10),
		del("b", 13, &b11),
		put("a", "a3", 5, 14, 3, &a12),
		put("c", "c1", 14, 14, 1, nil),
	}
	store = map[int64][]KV{
		10: {a10},
		11: {a10, b11},
		12: {a12, b11},
		13: {a12},
		14: {a14, c14},
	}
	return
}

func replay(t *testing.T, list []KV, events []Event) (*Model, error) {
	t.Helper()
	m := NewModel(p, 10, list)
	for _, e := range events {
		if err := m.Append(e); err != nil {
			return m, err
		}
	}
	return m, nil
}

func TestCompleteStreamMatchesTheStoreAtEveryRevision(t *testing.T) {
	list, events, store := history()
	m, err := replay(t, list, events)
	if err != nil {
		t.Fatalf("a complete stream was refused: %v", err)
	}
	for rev, kvs := range store {
		state, err := m.StateAt(rev)
		if err != nil {
			t.Fatal(err)
		}
		if d := DiffState(state, kvs); d != "" {
			t.Errorf("revision %d: %s", rev, d)
		}
	}
}

func TestCheckpointsGiveTheSameStates(t *testing.T) {
	m := NewModel(p, 1, nil)
	var prev *KV
	for rev := int64(2); rev < 2+3*checkpointEvents; rev++ {
		e := put("k", "v", 2, rev, rev-1, prev)
		if err := m.Append(e); err != nil {
			t.Fatal(err)
		}
		kv := e.KV
		prev = &kv
	}
	if len(m.checkpoints) < 3 {
		t.Fatalf("want checkpoints after every %d events, have %d", checkpointEvents, len(m.checkpoints))
	}
	for _, rev := range []int64{1, 2, checkpointEvents, checkpointEvents + 1, 2 * checkpointEvents, 3*checkpointEvents + 1} {
		state, _ := m.StateAt(rev)
		if rev == 1 {
			if len(state) != 0 {
				t.Errorf("at the list revision: want empty, got %v", state)
			}
			continue
		}
		if kv := state[p+"k"]; kv.Mod != rev || kv.Version != rev-1 {
			t.Errorf("at %d: got %v", rev, kv)
		}
	}
}

func TestMissingEventIsCaught(t *testing.T) {
	list, events, store := history()
	for skip := range events {
		var stream []Event
		stream = append(stream, events[:skip]...)
		stream = append(stream, events[skip+1:]...)
		m, err := replay(t, list, stream)
		if err != nil {
			continue // caught while appending
		}
		// Not caught by the stream itself (the last event, or prev_kv absent): the comparison
		// with the store at the missing event's revision must catch it.
		rev := events[skip].Rev()
		state, _ := m.StateAt(rev)
		if DiffState(state, store[rev]) == "" {
			t.Errorf("dropping event %d (%v) went unnoticed", skip, events[skip].KV)
		}
	}
}

func TestMissingEventWithoutPrevKVIsCaughtByTheComparison(t *testing.T) {
	list, events, store := history()
	for i := range events {
		events[i].Prev = nil
	}
	// Drop a's update at 12: the next PUT of a (version 3 after version 1) gives it away.
	stream := append(append([]Event{}, events[:1]...), events[2:]...)
	if _, err := replay(t, list, stream); err == nil || !strings.Contains(err.Error(), "missed") {
		t.Errorf("want a missed-event error, got %v", err)
	}
	// Drop the last creation: only the comparison can tell.
	m, err := replay(t, list, events[:4])
	if err != nil {
		t.Fatal(err)
	}
	state, _ := m.StateAt(14)
	if d := DiffState(state, store[14]); !strings.Contains(d, "the watch cache does not") {
		t.Errorf("want the store's extra key named, got %q", d)
	}
}

func TestDuplicatedEventIsCaught(t *testing.T) {
	list, events, _ := history()
	for dup := range events {
		var stream []Event
		stream = append(stream, events[:dup+1]...)
		stream = append(stream, events[dup:]...)
		if _, err := replay(t, list, stream); err == nil {
			t.Errorf("duplicating event %d (%v) went unnoticed", dup, events[dup].KV)
		}
	}
}

func TestReorderedEventIsCaught(t *testing.T) {
	list, events, _ := history()
	events[1], events[2] = events[2], events[1]
	if _, err := replay(t, list, events); err == nil {
		t.Error("events out of revision order went unnoticed")
	}
}

func TestWrongPrevKVIsCaught(t *testing.T) {
	list, events, _ := history()
	wrong := KV{Key: p + "a", Value: "other", Create: 5, Mod: 5, Version: 1}
	events[1].Prev = &wrong
	if _, err := replay(t, list, events); err == nil {
		t.Error("a prev_kv that is not the cached value went unnoticed")
	}
}

func TestDiffStateNamesEveryKindOfDifference(t *testing.T) {
	cache := map[string]KV{p + "a": {Key: p + "a", Value: "1", Mod: 3}, p + "b": {Key: p + "b", Value: "1", Mod: 4}}
	store := []KV{{Key: p + "a", Value: "2", Mod: 5}, {Key: p + "c", Value: "1", Mod: 6}}
	d := DiffState(cache, store)
	for _, want := range []string{"store has {" + p + "a", p + "c", "the watch cache has {" + p + "b"} {
		if !strings.Contains(d, want) {
			t.Errorf("diff %q does not mention %q", d, want)
		}
	}
	if DiffState(cache, []KV{cache[p+"a"], cache[p+"b"]}) != "" {
		t.Error("equal states reported different")
	}
}

func pagesOf(kvs []KV, limit int) []Page {
	var pages []Page
	for i := 0; i < len(kvs); i += limit {
		end := i + limit
		if end > len(kvs) {
			end = len(kvs)
		}
		pages = append(pages, Page{KVs: kvs[i:end], Count: int64(len(kvs) - i), More: end < len(kvs)})
	}
	return pages
}

func keys(n int) []KV {
	var out []KV
	for i := 0; i < n; i++ {
		out = append(out, KV{Key: p + string(rune('a'+i)), Value: "v", Create: int64(i + 1), Mod: int64(i + 1), Version: 1})
	}
	return out
}

func TestPagesOfTheUnpaginatedReadPass(t *testing.T) {
	full := keys(7)
	if err := CheckPages(pagesOf(full, 3), 3, full); err != nil {
		t.Errorf("7 keys in pages of 3: %v", err)
	}
	if err := CheckPages(pagesOf(full, 7), 7, full); err != nil {
		t.Errorf("one full page: %v", err)
	}
	if err := CheckPages([]Page{{Count: 0}}, 3, nil); err != nil {
		t.Errorf("an empty list: %v", err)
	}
}

func TestMissingPageIsCaught(t *testing.T) {
	full := keys(7)
	pages := pagesOf(full, 3)
	withoutMiddle := []Page{pages[0], pages[2]}
	if err := CheckPages(withoutMiddle, 3, full); err == nil {
		t.Error("a missing middle page went unnoticed")
	}
	withoutLast := pages[:2]
	if err := CheckPages(withoutLast, 3, full); err == nil {
		t.Error("a missing last page went unnoticed")
	}
}

func TestPageDifferencesAreCaught(t *testing.T) {
	full := keys(6)
	cases := map[string]func([]Page){
		"a changed value":          func(ps []Page) { ps[1].KVs = append([]KV{}, ps[1].KVs...); ps[1].KVs[0].Value = "x" },
		"a wrong continuing count": func(ps []Page) { ps[1].Count = 6 },
		"more on the last page":    func(ps []Page) { ps[1].More = true },
		"a short middle page":      func(ps []Page) { ps[0].KVs = ps[0].KVs[:2] },
	}
	for name, mutate := range cases {
		pages := pagesOf(full, 3)
		mutate(pages)
		if err := CheckPages(pages, 3, full); err == nil {
			t.Errorf("%s went unnoticed", name)
		}
	}
}
