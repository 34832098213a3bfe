package main

// The watch cache: what kube-apiserver's cacher holds for one resource prefix, rebuilt from one
// list at a revision plus every watch event after it. Pure: no client, no clock, so the tests can
// feed it hand-made streams.
//
// Appending an event checks it against the cache first, so a stream with a missing, duplicated
// or reordered event is caught at the event that gives it away (a DELETE of a key the cache does
// not hold, a PUT whose version does not follow, a revision going backwards). StateAt rebuilds the
// cache as of any revision since the list, for comparison with what the store answers at that
// revision.

import (
	"fmt"
	"sort"
	"strings"
)

// KV is one key as a Range or a watch event reports it.
type KV struct {
	Key     string
	Value   string
	Create  int64
	Mod     int64
	Version int64
	Lease   int64
}

func (kv KV) String() string {
	value := kv.Value
	if len(value) > 24 {
		value = value[:24] + "…"
	}
	return fmt.Sprintf("{%s=%q create %d mod %d version %d lease %x}", kv.Key, value, kv.Create, kv.Mod, kv.Version, kv.Lease)
}

// Event is one watch event. A DELETE's KV carries the key and the deletion's revision only.
type Event struct {
	Delete bool
	KV     KV
	Prev   *KV // nil when the server sent no prev_kv
}

func (e Event) Rev() int64 { return e.KV.Mod }

// Checkpoints keep StateAt from replaying the whole history: a copy of the cache every this many
// events (at a revision boundary).
const checkpointEvents = 500

type checkpoint struct {
	rev   int64 // every event at or below rev is in state
	next  int   // index of the first event after rev
	state map[string]KV
}

// Model is the watch cache of one prefix.
type Model struct {
	Prefix  string
	BaseRev int64 // the list's revision: events start after it

	events      []Event
	current     map[string]KV // the cache after every appended event
	lastRev     int64
	keysAtLast  map[string]bool // keys with an event at lastRev (one event per key per revision)
	checkpoints []checkpoint

	// MissingPrevKV counts PUT and DELETE events of a cached key that came without prev_kv (legal
	// when the previous version was compacted away before the server read it).
	MissingPrevKV int
}

// NewModel starts the cache from a list of the prefix at rev.
func NewModel(prefix string, rev int64, kvs []KV) *Model {
	base := make(map[string]KV, len(kvs))
	for _, kv := range kvs {
		base[kv.Key] = kv
	}
	m := &Model{Prefix: prefix, BaseRev: rev, current: copyState(base), lastRev: rev, keysAtLast: map[string]bool{}}
	m.checkpoints = []checkpoint{{rev: rev, next: 0, state: base}}
	return m
}

func copyState(s map[string]KV) map[string]KV {
	out := make(map[string]KV, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

// LastRev is the revision of the newest event appended (the list's revision before any).
func (m *Model) LastRev() int64 { return m.lastRev }

// Events is the number of events appended.
func (m *Model) Events() int { return len(m.events) }

// Append adds the next event of the watch stream, after checking it follows from the cache.
func (m *Model) Append(e Event) error {
	rev, key := e.Rev(), e.KV.Key
	switch {
	case !strings.HasPrefix(key, m.Prefix):
		return fmt.Errorf("watch %s: event for %q outside the prefix", m.Prefix, key)
	case rev <= m.BaseRev:
		return fmt.Errorf("watch %s: event %s at revision %d, not after the list's revision %d", m.Prefix, key, rev, m.BaseRev)
	case rev < m.lastRev:
		return fmt.Errorf("watch %s: event %s at revision %d after an event at %d (reordered or duplicated)", m.Prefix, key, rev, m.lastRev)
	case rev == m.lastRev && m.keysAtLast[key]:
		return fmt.Errorf("watch %s: second event for %s at revision %d (duplicated)", m.Prefix, key, rev)
	}
	prev, cached := m.current[key]
	if e.Prev != nil && (!cached || *e.Prev != prev) {
		return fmt.Errorf("watch %s: event %s at %d has prev_kv %v, the cache holds %v (present %v): an event was missed", m.Prefix, key, rev, *e.Prev, prev, cached)
	}
	if cached && e.Prev == nil {
		m.MissingPrevKV++
	}
	if e.Delete {
		if !cached {
			return fmt.Errorf("watch %s: DELETE of %s at %d, which the cache does not hold: its PUT was missed", m.Prefix, key, rev)
		}
	} else {
		kv := e.KV
		if cached && (kv.Create != prev.Create || kv.Version != prev.Version+1) {
			return fmt.Errorf("watch %s: PUT %v at %d does not follow the cached %v (create revision kept, version +1): an event was missed", m.Prefix, kv, rev, prev)
		}
		if !cached && (kv.Create != rev || kv.Version != 1) {
			return fmt.Errorf("watch %s: PUT %v at %d of a key the cache does not hold is not a creation: an event was missed", m.Prefix, kv, rev)
		}
	}
	if rev > m.lastRev {
		if len(m.events)-m.checkpoints[len(m.checkpoints)-1].next >= checkpointEvents {
			m.checkpoints = append(m.checkpoints, checkpoint{rev: m.lastRev, next: len(m.events), state: copyState(m.current)})
		}
		m.lastRev = rev
		m.keysAtLast = map[string]bool{}
	}
	m.keysAtLast[key] = true
	if e.Delete {
		delete(m.current, key)
	} else {
		m.current[key] = e.KV
	}
	m.events = append(m.events, e)
	return nil
}

// StateAt is the cache as of rev (BaseRev <= rev): every event at or below rev applied.
func (m *Model) StateAt(rev int64) (map[string]KV, error) {
	if rev < m.BaseRev {
		return nil, fmt.Errorf("watch %s: revision %d is before the list's %d", m.Prefix, rev, m.BaseRev)
	}
	i := sort.Search(len(m.checkpoints), func(i int) bool { return m.checkpoints[i].rev > rev }) - 1
	cp := m.checkpoints[i]
	state := copyState(cp.state)
	for _, e := range m.events[cp.next:] {
		if e.Rev() > rev {
			break
		}
		if e.Delete {
			delete(state, e.KV.Key)
		} else {
			state[e.KV.Key] = e.KV
		}
	}
	return state, nil
}

// sortedKeys: the state's keys in the store's (byte) order.
func sortedKeys(state map[string]KV) []string {
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// maxDiffLines bounds how many differing keys a report names.
const maxDiffLines = 5

// DiffState compares the cache's state with what the store returned for the whole prefix (in key
// order); "" when they are equal, otherwise the first few differences.
func DiffState(cache map[string]KV, store []KV) string {
	var lines []string
	seen := make(map[string]bool, len(store))
	for i, kv := range store {
		if i > 0 && store[i-1].Key >= kv.Key {
			lines = append(lines, fmt.Sprintf("store returned %s after %s (not in key order)", kv.Key, store[i-1].Key))
		}
		seen[kv.Key] = true
		c, ok := cache[kv.Key]
		switch {
		case !ok:
			lines = append(lines, fmt.Sprintf("store has %v, the watch cache does not", kv))
		case c != kv:
			lines = append(lines, fmt.Sprintf("store has %v, the watch cache %v", kv, c))
		}
	}
	for _, k := range sortedKeys(cache) {
		if !seen[k] {
			lines = append(lines, fmt.Sprintf("the watch cache has %v, the store does not", cache[k]))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	more := ""
	if len(lines) > maxDiffLines {
		more = fmt.Sprintf("; and %d more", len(lines)-maxDiffLines)
		lines = lines[:maxDiffLines]
	}
	return strings.Join(lines, "; ") + more
}
