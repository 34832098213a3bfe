package main

import (
	"fmt"
	"testing"

	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/mvcc/mvccpb"
)

// The masking must hide what differs between two correct servers and nothing else: the same
// scenario on two servers with other lease IDs and base revisions prints the same lines, and a
// different revision, value or owner still shows.
func TestMaskingHidesIDsAndKeepsWhatMatters(t *testing.T) {
	print := func(base, l1, l2, server int64, value string, rev int64) string {
		tr := NewTranscript(base)
		tr.Granted(l1)
		tr.Granted(l2)
		kv := &mvccpb.KeyValue{Key: []byte("e/" + hex(l2)), Value: []byte(value), CreateRevision: base + 2,
			ModRevision: base + rev, Version: 1, Lease: l2}
		tr.Printf("%s %s", tr.Header(&pb.ResponseHeader{ClusterId: 9, MemberId: 8, RaftTerm: 2, Revision: base + rev}), tr.KV(kv))
		tr.Printf("%s %s", tr.Key([]byte("e/"+hex(server))), tr.Lease(server))
		return tr.String()
	}
	etcd := print(100, 0x694d7a3bc1d2e0f5, 0x694d7a3bc1d2e0f7, 0x694d7a3bc1d2e0f9, "v", 3)
	want := "rev=+3 kv{key=\"e/<L2>\" value=\"v\" create=+2 mod=+3 version=1 lease=L2}\n\"e/<S1>\" S1\n"
	if etcd != want {
		t.Fatalf("got %q, want %q", etcd, want)
	}
	if other := print(7, 0x10, 0x11, 0x12, "v", 3); other != etcd {
		t.Errorf("other IDs and base: got %q, want %q", other, etcd)
	}
	if other := print(7, 0x10, 0x11, 0x12, "w", 3); other == etcd {
		t.Error("a different value is masked")
	}
	if other := print(7, 0x10, 0x11, 0x12, "v", 4); other == etcd {
		t.Error("a different revision is masked")
	}
}

func TestHeaderNamesMissingIDsAndKeyKeepsNonLeaseSuffixes(t *testing.T) {
	tr := NewTranscript(10)
	if got := tr.Header(&pb.ResponseHeader{Revision: 12, MemberId: 1}); got != "rev=+2 missing=cluster_id,raft_term" {
		t.Errorf("header: %q", got)
	}
	if got := tr.Header(nil); got != "header=nil" {
		t.Errorf("nil header: %q", got)
	}
	// Not a lease in Go's %x: left as it is.
	for _, key := range []string{"e/missing", "e/", "plain", "e/00ab"} {
		if got := tr.Key([]byte(key)); got != `"`+key+`"` {
			t.Errorf("key %q masked as %s", key, got)
		}
	}
	if got := tr.Rev(0); got != "0" {
		t.Errorf("no revision: %q", got)
	}
}

func hex(id int64) string { return fmt.Sprintf("%x", id) }
