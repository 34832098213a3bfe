package main

// Cluster and maintenance checks: member list, status, compaction, snapshot (checked with
// `etcdctl snapshot status`).

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

func checkMemberList(ctx context.Context, e *env) error {
	resp, err := e.client.MemberList(ctx)
	if err != nil {
		return err
	}
	if len(resp.Members) != 1 {
		return fmt.Errorf("single member: want 1 member, got %d", len(resp.Members))
	}
	m := resp.Members[0]
	if m.ID == 0 || m.Name == "" || len(m.PeerURLs) == 0 || len(m.ClientURLs) == 0 || m.IsLearner {
		return fmt.Errorf("member: want an ID, a name, peer and client URLs, not a learner; got %+v", m)
	}
	if resp.Header.MemberId != m.ID || resp.Header.ClusterId == 0 {
		return fmt.Errorf("header member %x cluster %x; the only member is %x", resp.Header.MemberId, resp.Header.ClusterId, m.ID)
	}
	return nil
}

func checkStatus(ctx context.Context, e *env) error {
	put, err := e.client.Put(ctx, e.prefix+"status", "x")
	if err != nil {
		return err
	}
	st, err := e.client.Status(ctx, e.endpoint)
	if err != nil {
		return err
	}
	if st.Leader == 0 || st.Leader != st.Header.MemberId {
		return fmt.Errorf("single member: want itself (%x) as leader, got %x", st.Header.MemberId, st.Leader)
	}
	if st.Version == "" || st.DbSize <= 0 || st.DbSizeInUse <= 0 || st.DbSizeInUse > st.DbSize || st.RaftIndex == 0 || st.RaftTerm == 0 || st.RaftAppliedIndex == 0 || st.IsLearner {
		return fmt.Errorf("status: want version, 0 < dbSizeInUse <= dbSize, raft index/term/applied set, not a learner; got %+v", st)
	}
	if st.Header.Revision < put.Header.Revision {
		return fmt.Errorf("status revision %d behind the last put's %d", st.Header.Revision, put.Header.Revision)
	}
	return nil
}

func checkCompact(ctx context.Context, e *env) error {
	key := e.prefix + "compact/k"
	first, err := e.client.Put(ctx, key, "1")
	if err != nil {
		return err
	}
	second, err := e.client.Put(ctx, key, "2")
	if err != nil {
		return err
	}
	if _, err := e.client.Compact(ctx, second.Header.Revision, clientv3.WithCompactPhysical()); err != nil {
		return fmt.Errorf("compact %d: %v", second.Header.Revision, err)
	}
	if _, err := e.client.Get(ctx, key, clientv3.WithRev(first.Header.Revision)); err != rpctypes.ErrCompacted {
		return fmt.Errorf("get below the compaction: want %v, got %v", rpctypes.ErrCompacted, err)
	}
	at, err := e.client.Get(ctx, key, clientv3.WithRev(second.Header.Revision))
	if err != nil || len(at.Kvs) != 1 || string(at.Kvs[0].Value) != "2" {
		return fmt.Errorf("get at the compaction revision: want 2, got %v (err %v)", at, err)
	}
	if _, err := e.client.Compact(ctx, first.Header.Revision); err != rpctypes.ErrCompacted {
		return fmt.Errorf("compact below the last compaction: want %v, got %v", rpctypes.ErrCompacted, err)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resp := <-e.client.Watch(wctx, key, clientv3.WithRev(first.Header.Revision))
	if resp.CompactRevision != second.Header.Revision || resp.Err() != rpctypes.ErrCompacted {
		return fmt.Errorf("watch below the compaction: want compact revision %d and %v, got %d and %v",
			second.Header.Revision, rpctypes.ErrCompacted, resp.CompactRevision, resp.Err())
	}
	return nil
}

// snapshotStatus is `etcdctl snapshot status -w json`.
type snapshotStatus struct {
	Hash      uint32 `json:"hash"`
	Revision  int64  `json:"revision"`
	TotalKey  int    `json:"totalKey"`
	TotalSize int64  `json:"totalSize"`
}

func checkSnapshot(ctx context.Context, e *env) error {
	put, err := e.client.Put(ctx, e.prefix+"snapshot/k", "v")
	if err != nil {
		return err
	}
	rc, err := e.client.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("snapshot: %v", err)
	}
	defer rc.Close()
	path := filepath.Join(e.work, "clientcheck.snapshot.db")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, rc)
	f.Close()
	if err != nil {
		return fmt.Errorf("reading the snapshot stream after %d bytes: %v", n, err)
	}
	out, err := exec.CommandContext(ctx, e.etcdctl, "snapshot", "status", path, "-w", "json").CombinedOutput()
	if err != nil {
		return fmt.Errorf("etcdctl snapshot status %s: %v: %s", path, err, out)
	}
	var st snapshotStatus
	if err := json.Unmarshal(out, &st); err != nil {
		return fmt.Errorf("etcdctl snapshot status output %q: %v", out, err)
	}
	// The stream is the bolt file followed by its SHA-256 (which `snapshot restore` verifies).
	if st.Revision < put.Header.Revision || st.TotalKey == 0 || st.TotalSize != n-sha256.Size {
		return fmt.Errorf("snapshot status: want revision >= %d, keys > 0, size %d (stream minus its hash); got %+v", put.Header.Revision, n-sha256.Size, st)
	}
	os.Remove(path)
	return nil
}

// Operators' calls (kubeadm, etcd-manager, backups): alarms, defragmentation, the KV hash.
func checkAlarmsDefragHash(ctx context.Context, e *env) error {
	alarms, err := e.client.AlarmList(ctx)
	if err != nil || len(alarms.Alarms) != 0 {
		return fmt.Errorf("alarm list: want none, got %v (err %v)", alarms, err)
	}
	put, err := e.client.Put(ctx, e.prefix+"hash/k", "v")
	if err != nil {
		return err
	}
	first, err := e.client.HashKV(ctx, e.endpoint, put.Header.Revision)
	if err != nil {
		return fmt.Errorf("hashkv at %d: %v", put.Header.Revision, err)
	}
	if _, err := e.client.Defragment(ctx, e.endpoint); err != nil {
		return fmt.Errorf("defragment: %v", err)
	}
	if _, err := e.client.Put(ctx, e.prefix+"hash/later", "v"); err != nil {
		return err
	}
	again, err := e.client.HashKV(ctx, e.endpoint, put.Header.Revision)
	if err != nil {
		return err
	}
	if first.Hash != again.Hash || first.CompactRevision != again.CompactRevision {
		return fmt.Errorf("hashkv at %d before and after a defragment and a later write: %d (compact %d), then %d (compact %d)",
			put.Header.Revision, first.Hash, first.CompactRevision, again.Hash, again.CompactRevision)
	}
	latest, err := e.client.HashKV(ctx, e.endpoint, 0)
	if err != nil || latest.Hash == first.Hash || latest.Header.Revision <= put.Header.Revision {
		return fmt.Errorf("hashkv at the latest revision: want a different hash at a later revision, got %+v (err %v)", latest, err)
	}
	return nil
}
