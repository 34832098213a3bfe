package main

// The transcript: what a scenario saw, with everything that differs between two correct servers
// (lease IDs, cluster and member IDs, absolute revisions) masked.

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"google.golang.org/grpc/status"
)

// Transcript collects lines from the scenario and its goroutines, in the order they happen.
type Transcript struct {
	mu     sync.Mutex
	lines  []string
	base   int64            // the store's revision when the scenario started
	leases map[int64]string // lease ID -> its label
	mine   int              // leases the scenario granted (L1, L2, ...)
	theirs int              // leases the server granted (S1, S2, ...)
}

func NewTranscript(base int64) *Transcript {
	return &Transcript{base: base, leases: map[int64]string{}}
}

// Printf adds one line.
func (t *Transcript) Printf(format string, args ...interface{}) {
	line := fmt.Sprintf(format, args...)
	t.mu.Lock()
	t.lines = append(t.lines, line)
	t.mu.Unlock()
}

func (t *Transcript) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n") + "\n"
}

// Granted names a lease the scenario granted: L1, L2, ...
func (t *Transcript) Granted(id int64) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if label, ok := t.leases[id]; ok {
		return label
	}
	t.mine++
	t.leases[id] = "L" + strconv.Itoa(t.mine)
	return t.leases[id]
}

// Lease names any lease: a known label, 0 for none, else the next server-granted label S1, S2, ...
func (t *Transcript) Lease(id int64) string {
	if id == 0 {
		return "0"
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if label, ok := t.leases[id]; ok {
		return label
	}
	t.theirs++
	t.leases[id] = "S" + strconv.Itoa(t.theirs)
	return t.leases[id]
}

// Key masks a recipe key "name/<lease hex>": the hex part becomes its lease's label.
func (t *Transcript) Key(key []byte) string {
	k := string(key)
	slash := strings.LastIndexByte(k, '/')
	if slash < 0 || slash == len(k)-1 {
		return strconv.Quote(k)
	}
	id, err := strconv.ParseInt(k[slash+1:], 16, 64)
	if err != nil || strconv.FormatInt(id, 16) != k[slash+1:] {
		return strconv.Quote(k)
	}
	return strconv.Quote(k[:slash+1] + "<" + t.Lease(id) + ">")
}

// Rev is a revision relative to the scenario's start; 0 stays 0 (none).
func (t *Transcript) Rev(rev int64) string {
	if rev == 0 {
		return "0"
	}
	return fmt.Sprintf("+%d", rev-t.base)
}

// Header: the revision, and which of the IDs every header carries are missing.
func (t *Transcript) Header(h *pb.ResponseHeader) string {
	if h == nil {
		return "header=nil"
	}
	out := "rev=" + t.Rev(h.Revision)
	var missing []string
	if h.ClusterId == 0 {
		missing = append(missing, "cluster_id")
	}
	if h.MemberId == 0 {
		missing = append(missing, "member_id")
	}
	if h.RaftTerm == 0 {
		missing = append(missing, "raft_term")
	}
	if len(missing) > 0 {
		out += " missing=" + strings.Join(missing, ",")
	}
	return out
}

// KV: every field, masked.
func (t *Transcript) KV(kv *mvccpb.KeyValue) string {
	if kv == nil {
		return "kv=nil"
	}
	return fmt.Sprintf("kv{key=%s value=%q create=%s mod=%s version=%d lease=%s}",
		t.Key(kv.Key), kv.Value, t.Rev(kv.CreateRevision), t.Rev(kv.ModRevision), kv.Version, t.Lease(kv.Lease))
}

// Err: the gRPC code and message a call failed with.
func Err(err error) string {
	s, _ := status.FromError(err)
	return fmt.Sprintf("error code=%s desc=%q", s.Code(), s.Message())
}
