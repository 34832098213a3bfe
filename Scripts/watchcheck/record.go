package main

// The record of one run: every write the load attempted (with what its response said), every
// compaction, and every watcher's received stream, incarnation by incarnation. `run` writes it
// as JSON; `check` and `mutate` read it back. Keys and values are strings: the load only uses
// printable ASCII keys, plus "\x00" as the from-key range end, which JSON escapes.

import (
	"encoding/json"
	"fmt"
	"os"
)

// KV is mvccpb.KeyValue.
type KV struct {
	Key     string `json:"key"`
	Value   string `json:"value,omitempty"`
	Create  int64  `json:"create,omitempty"`
	Mod     int64  `json:"mod"`
	Version int64  `json:"version,omitempty"`
	Lease   int64  `json:"lease,omitempty"`
}

const (
	eventPut    = "PUT"
	eventDelete = "DELETE"
)

// Event is mvccpb.Event.
type Event struct {
	Type string `json:"type"`
	KV   KV     `json:"kv"`
	Prev *KV    `json:"prev,omitempty"`
}

// Response is one WatchResponse as received.
type Response struct {
	Header     int64   `json:"header"`
	WatchID    int64   `json:"id"`
	Created    bool    `json:"created,omitempty"`
	Canceled   bool    `json:"canceled,omitempty"`
	CompactRev int64   `json:"compact,omitempty"`
	Reason     string  `json:"reason,omitempty"`
	Fragment   bool    `json:"fragment,omitempty"`
	Events     []Event `json:"events,omitempty"`
	At         int64   `json:"at,omitempty"` // when it was received, ms into the run (information only)
}

// How an incarnation ended.
const (
	endOpen      = "open"      // still open when the run stopped: must have everything up to the final revision
	endCancelled = "cancelled" // cancelled by the harness; the next incarnation resumes after its last event
	endCompacted = "compacted" // cancelled by the server with compact_revision
	endBroken    = "broken"    // its stream failed (a member died); the next incarnation resumes
	endRefused   = "refused"   // the create was answered with canceled
)

// Incarnation is one watch create and everything the stream delivered to its watch ID.
type Incarnation struct {
	Stream int   `json:"stream"`
	Start  int64 `json:"start"` // requested start_revision (0 = now)
	// Lower: 1 + the highest revision acknowledged to a writer before the create was sent. A
	// start-0 watch cannot begin earlier.
	Lower int64 `json:"lower"`
	// CompactedBefore: the highest compaction acknowledged before the create was sent. A start
	// below it must be cancelled with a compact_revision.
	CompactedBefore int64      `json:"compactedBefore,omitempty"`
	ChosenID        int64      `json:"chosenID,omitempty"` // client-chosen watch_id, 0 = auto
	Responses       []Response `json:"responses"`
	SentAt          int64      `json:"sentAt,omitempty"`   // create sent, ms into the run (information only)
	CancelAt        int64      `json:"cancelAt,omitempty"` // harness cancel sent, ms into the run
	End             string     `json:"end"`
	Err             string     `json:"err,omitempty"` // the stream error for endBroken
}

// Spec is what a watcher watches.
type Spec struct {
	Kind     string `json:"kind"` // key, prefix, range, fromkey, reference
	Key      string `json:"key"`
	RangeEnd string `json:"rangeEnd,omitempty"`
	PrevKV   bool   `json:"prevKV,omitempty"`
	NoPut    bool   `json:"noPut,omitempty"`
	NoDelete bool   `json:"noDelete,omitempty"`
	Fragment bool   `json:"fragment,omitempty"` // large responses may come in fragments, reassembled before the check
	Progress bool   `json:"progress,omitempty"` // progress_notify: idle watchers get empty responses
}

// Watcher is one logical watcher: a spec and its incarnations in order.
type Watcher struct {
	ID           int            `json:"id"`
	Spec         Spec           `json:"spec"`
	Incarnations []*Incarnation `json:"incarnations"`
	// NotCreated: the load ended before this watcher's first create was due, so it never had
	// one (creates that begin after the load would race the settle and the stop).
	NotCreated bool `json:"not_created,omitempty"`
}

// Op is one put or delete of a write.
type Op struct {
	Put   bool   `json:"put,omitempty"`
	Key   string `json:"key"`
	End   string `json:"end,omitempty"` // delete range end ("" = the key only)
	Value string `json:"value,omitempty"`
}

// Cmp is an equality compare: the key's mod revision (0 = absent) or its value.
type Cmp struct {
	Key     string `json:"key"`
	ByValue bool   `json:"byValue,omitempty"`
	Mod     int64  `json:"mod,omitempty"`
	Value   string `json:"value,omitempty"`
}

// Write is one attempted write. Txn false: a plain Put or DeleteRange RPC (Then has one op).
const (
	outcomeOK      = "ok"
	outcomeUnknown = "unknown" // errored: it may or may not have been applied
)

type Write struct {
	ID        int     `json:"id"`
	Txn       bool    `json:"txn,omitempty"`
	Cmps      []Cmp   `json:"cmps,omitempty"`
	Then      []Op    `json:"then"`
	Else      []Op    `json:"else,omitempty"`
	Outcome   string  `json:"outcome"`
	Rev       int64   `json:"rev,omitempty"`       // response header revision
	Succeeded bool    `json:"succeeded,omitempty"` // txn branch taken
	Deleted   []int64 `json:"deleted,omitempty"`   // per op of the branch taken: deleted count (-1 for puts)
	Err       string  `json:"err,omitempty"`
}

// Compaction is one compaction request.
type Compaction struct {
	Rev int64  `json:"rev"`
	OK  bool   `json:"ok"`
	Err string `json:"err,omitempty"`
}

// Record is one run.
type Record struct {
	Seed int64 `json:"seed"`
	// Endpoints: with more than one, a watch may be served by a member that has not yet applied
	// what another acknowledged, so the Lower and CompactedBefore bounds are not checked.
	Endpoints []string `json:"endpoints"`
	// WriteEndpoints: where the writes went when not to Endpoints; a watch member that is not
	// among them may lag behind them in the same way.
	WriteEndpoints []string     `json:"writeEndpoints,omitempty"`
	Prefix         string       `json:"prefix"`
	StartRev       int64        `json:"startRev"` // the revision before the load began
	FinalRev       int64        `json:"finalRev"` // the sentinel write after the load stopped
	Writes         []Write      `json:"writes"`
	Compactions    []Compaction `json:"compactions"`
	Reference      *Watcher     `json:"reference"` // whole prefix from StartRev+1 with prev_kv, never compacted away
	Watchers       []*Watcher   `json:"watchers"`
	Anomalies      []string     `json:"anomalies,omitempty"` // stream-level surprises seen while recording
	// StrictPrevKV: a missing prev_kv above every compaction is a violation (not set by run: etcd
	// 3.4 itself omits one now and then under load; check -strict-prev-kv sets it).
	StrictPrevKV bool `json:"-"`
}

// watchesMayLag: a watch may be served by a member that has not applied every acknowledged write.
func (r *Record) watchesMayLag() bool {
	if len(r.Endpoints) > 1 {
		return true
	}
	for _, ep := range r.WriteEndpoints {
		if len(r.Endpoints) == 0 || ep != r.Endpoints[0] {
			return true
		}
	}
	return false
}

func readRecord(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rec Record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if rec.Reference == nil {
		return nil, fmt.Errorf("%s: no reference watcher", path)
	}
	return &rec, nil
}

func writeRecord(path string, rec *Record) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
