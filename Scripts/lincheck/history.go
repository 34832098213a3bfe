package main

// A history is what concurrent clients saw: one JSON object per line, one line per operation, in
// any order (the checker sorts by time). Times are nanoseconds on one monotonic clock shared by
// every client of a recording (the recorder's process clock), so "A returned before B was
// invoked" is a comparison of two numbers.
//
//	{"id":7,"client":2,"kind":"put","key":"k1","value":"c2-7","call":1200,"return":3400,"rev":12}
//	{"id":8,"client":0,"kind":"get","key":"k1","call":3500,"return":3900,"found":true,"got":"c2-7","modRev":12,"rev":12}
//	{"id":9,"client":1,"kind":"cas-value","key":"k1","old":"c2-7","value":"c1-9","call":4000,"return":4600,"ok":true,"rev":13}
//	{"id":10,"client":3,"kind":"cas-rev","key":"k0","cmpRev":0,"value":"c3-10","call":4100,"unknown":true,"error":"context deadline exceeded"}
//
// Kinds (every written value is unique in a history, so a value names the write that made it):
//
//	put        Put(key, value). Output: rev, the revision it created.
//	get        a linearizable Get(key). Output: found; got and modRev (the key's value and
//	           mod_revision) when found; rev, the response header's revision.
//	cas-value  Txn If(Value(key) == old) Then Put(key, value). Output: ok (succeeded), rev (the
//	           revision created when ok, else the header's current revision). etcd fails a value
//	           compare on a missing key, so "old" always names a present value.
//	cas-rev    Txn If(ModRevision(key) == cmpRev) Then Put(key, value); cmpRev 0 means "the key
//	           does not exist". Output as cas-value.
//
// An operation that errored or timed out has "unknown": true and no output and no return time: it
// may have taken effect at any moment after its invocation, or never. A revision of 0 means "not
// known".

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

const (
	kindPut      = "put"
	kindGet      = "get"
	kindCASValue = "cas-value"
	kindCASRev   = "cas-rev"

	// One history line may not exceed this (values are short; a longer line is a corrupt file).
	historyLineBytesMax = 1 << 20
)

// Op is one operation of a history: its input, its output and when it ran.
type Op struct {
	ID     int64  `json:"id"`
	Client int    `json:"client"`
	Kind   string `json:"kind"`
	Key    string `json:"key"`

	// Input.
	Value  string `json:"value,omitempty"`  // put, cas-*: the value written
	Old    string `json:"old,omitempty"`    // cas-value: the value compared
	CmpRev int64  `json:"cmpRev,omitempty"` // cas-rev: the mod_revision compared (0: absent)

	// When: nanoseconds on the recording's monotonic clock. Return is meaningless when Unknown.
	Call   int64 `json:"call"`
	Return int64 `json:"return,omitempty"`

	// Output.
	Unknown bool   `json:"unknown,omitempty"` // errored or timed out: may or may not have happened
	Error   string `json:"error,omitempty"`   // what the client said, for unknown operations
	Found   bool   `json:"found,omitempty"`   // get: the key existed
	Got     string `json:"got,omitempty"`     // get: its value
	ModRev  int64  `json:"modRev,omitempty"`  // get: its mod_revision
	OK      bool   `json:"ok,omitempty"`      // cas-*: the compare held and the put was applied
	Rev     int64  `json:"rev,omitempty"`     // header revision (for a write that applied: its revision)
}

// isWrite: the operation may change the key.
func (op *Op) isWrite() bool { return op.Kind != kindGet }

// wrote: the operation is known to have changed the key.
func (op *Op) wrote() bool {
	if op.Unknown {
		return false
	}
	return op.Kind == kindPut || ((op.Kind == kindCASValue || op.Kind == kindCASRev) && op.OK)
}

func (op *Op) validate() error {
	switch op.Kind {
	case kindPut, kindCASValue, kindCASRev:
		if op.Value == "" {
			return fmt.Errorf("op %d: %s without a value", op.ID, op.Kind)
		}
	case kindGet:
	default:
		return fmt.Errorf("op %d: unknown kind %q", op.ID, op.Kind)
	}
	if op.Kind == kindCASValue && op.Old == "" {
		return fmt.Errorf("op %d: cas-value without an old value (etcd fails a value compare on a missing key)", op.ID)
	}
	if !op.Unknown && op.Return < op.Call {
		return fmt.Errorf("op %d: returned at %d before it was invoked at %d", op.ID, op.Return, op.Call)
	}
	return nil
}

// ReadHistory reads a JSON-lines history; blank lines are skipped.
func ReadHistory(r io.Reader) ([]*Op, error) {
	var ops []*Op
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 64*1024), historyLineBytesMax)
	line := 0
	for scanner.Scan() {
		line++
		text := scanner.Bytes()
		if len(text) == 0 {
			continue
		}
		op := &Op{}
		if err := json.Unmarshal(text, op); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		if err := op.validate(); err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		ops = append(ops, op)
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	if err := checkUniqueValues(ops); err != nil {
		return nil, err
	}
	return ops, nil
}

// checkUniqueValues: the checker names writes by their values, so a history that writes one value
// twice cannot be checked (a harness error, not a verdict).
func checkUniqueValues(ops []*Op) error {
	writer := map[string]int64{}
	for _, op := range ops {
		if !op.isWrite() {
			continue
		}
		if id, dup := writer[op.Value]; dup {
			return fmt.Errorf("ops %d and %d both write %q: values must be unique", id, op.ID, op.Value)
		}
		writer[op.Value] = op.ID
	}
	return nil
}

func ReadHistoryFile(path string) ([]*Op, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadHistory(f)
}

// WriteHistory writes ops as JSON lines, ordered by invocation time.
func WriteHistory(w io.Writer, ops []*Op) error {
	sorted := append([]*Op(nil), ops...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Call < sorted[j].Call })
	out := bufio.NewWriter(w)
	enc := json.NewEncoder(out)
	for _, op := range sorted {
		if err := enc.Encode(op); err != nil {
			return err
		}
	}
	return out.Flush()
}

func WriteHistoryFile(path string, ops []*Op) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := WriteHistory(f, ops); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
