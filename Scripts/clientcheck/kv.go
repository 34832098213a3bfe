package main

// Key-value checks: put, get, prefix ranges with limit and sort, count-only and keys-only reads,
// reads at a past revision, deletes, and transactions.

import (
	"context"
	"fmt"
	"strings"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
)

func checkPutGet(ctx context.Context, e *env) error {
	key := e.prefix + "pg/k"
	put, err := e.client.Put(ctx, key, "v1")
	if err != nil {
		return fmt.Errorf("put: %v", err)
	}
	get, err := e.client.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("get: %v", err)
	}
	if len(get.Kvs) != 1 {
		return fmt.Errorf("get %q: want 1 kv, got %d", key, len(get.Kvs))
	}
	kv := get.Kvs[0]
	if string(kv.Value) != "v1" || kv.ModRevision != put.Header.Revision || kv.Version != 1 || kv.CreateRevision != kv.ModRevision {
		return fmt.Errorf("get %q: want value v1, mod=create=%d, version 1; got %q mod %d create %d version %d",
			key, put.Header.Revision, kv.Value, kv.ModRevision, kv.CreateRevision, kv.Version)
	}
	if get.Header.Revision != put.Header.Revision {
		return fmt.Errorf("get header revision %d, want the put's %d (nothing else writes)", get.Header.Revision, put.Header.Revision)
	}
	missing, err := e.client.Get(ctx, e.prefix+"pg/missing")
	if err != nil || len(missing.Kvs) != 0 || missing.Count != 0 {
		return fmt.Errorf("get of a missing key: want no kvs and count 0, got %v, err %v", missing, err)
	}
	if _, err := e.client.Put(ctx, "", "v"); err != rpctypes.ErrEmptyKey {
		return fmt.Errorf("put of an empty key: want %v, got %v", rpctypes.ErrEmptyKey, err)
	}
	return nil
}

func checkPutPrevKV(ctx context.Context, e *env) error {
	key := e.prefix + "pp/k"
	first, err := e.client.Put(ctx, key, "a", clientv3.WithPrevKV())
	if err != nil {
		return err
	}
	if first.PrevKv != nil {
		return fmt.Errorf("first put with prev_kv: want no prev_kv, got %v", first.PrevKv)
	}
	second, err := e.client.Put(ctx, key, "b", clientv3.WithPrevKV())
	if err != nil {
		return err
	}
	if second.PrevKv == nil || string(second.PrevKv.Value) != "a" || second.PrevKv.ModRevision != first.Header.Revision {
		return fmt.Errorf("second put: want prev_kv a at %d, got %v", first.Header.Revision, second.PrevKv)
	}
	get, err := e.client.Get(ctx, key)
	if err != nil || len(get.Kvs) != 1 || get.Kvs[0].Version != 2 || get.Kvs[0].CreateRevision != first.Header.Revision {
		return fmt.Errorf("after two puts: want version 2, create %d; got %v (err %v)", first.Header.Revision, get.Kvs, err)
	}
	return nil
}

// putAll writes keys prefix+name for each name, in the order given; returns the last revision.
func putAll(ctx context.Context, e *env, prefix string, names ...string) (int64, error) {
	var rev int64
	for i, n := range names {
		resp, err := e.client.Put(ctx, prefix+n, fmt.Sprintf("v%d", i))
		if err != nil {
			return 0, fmt.Errorf("put %s: %v", prefix+n, err)
		}
		rev = resp.Header.Revision
	}
	return rev, nil
}

func keysOf(resp *clientv3.GetResponse) string {
	var out []string
	for _, kv := range resp.Kvs {
		out = append(out, string(kv.Key))
	}
	return strings.Join(out, ",")
}

func checkRangePrefix(ctx context.Context, e *env) error {
	p := e.prefix + "rp/"
	// Written out of key order so create-revision order differs from key order.
	if _, err := putAll(ctx, e, p, "c", "a", "e", "b", "d"); err != nil {
		return err
	}
	// A key just past the prefix must not be included.
	if _, err := e.client.Put(ctx, e.prefix+"rp0", "outside"); err != nil {
		return err
	}
	all, err := e.client.Get(ctx, p, clientv3.WithPrefix())
	if err != nil {
		return err
	}
	if got, want := keysOf(all), p+"a,"+p+"b,"+p+"c,"+p+"d,"+p+"e"; got != want || all.Count != 5 || all.More {
		return fmt.Errorf("prefix range: want %s count 5 more false, got %s count %d more %v", want, got, all.Count, all.More)
	}
	limited, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithLimit(2))
	if err != nil {
		return err
	}
	if got, want := keysOf(limited), p+"a,"+p+"b"; got != want || limited.Count != 5 || !limited.More {
		return fmt.Errorf("limit 2: want %s count 5 more true, got %s count %d more %v", want, got, limited.Count, limited.More)
	}
	byKeyDesc, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend), clientv3.WithLimit(3))
	if err != nil {
		return err
	}
	if got, want := keysOf(byKeyDesc), p+"e,"+p+"d,"+p+"c"; got != want || !byKeyDesc.More {
		return fmt.Errorf("sort by key descending, limit 3: want %s more true, got %s more %v", want, got, byKeyDesc.More)
	}
	byCreate, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByCreateRevision, clientv3.SortAscend))
	if err != nil {
		return err
	}
	if got, want := keysOf(byCreate), p+"c,"+p+"a,"+p+"e,"+p+"b,"+p+"d"; got != want {
		return fmt.Errorf("sort by create revision: want %s, got %s", want, got)
	}
	byValueDesc, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByValue, clientv3.SortDescend), clientv3.WithLimit(1))
	if err != nil {
		return err
	}
	if got, want := keysOf(byValueDesc), p+"d"; got != want { // values v0..v4 in write order: d has v4
		return fmt.Errorf("sort by value descending, limit 1: want %s, got %s", want, got)
	}
	fromKey, err := e.client.Get(ctx, p+"c", clientv3.WithRange(p+"e"))
	if err != nil {
		return err
	}
	if got, want := keysOf(fromKey), p+"c,"+p+"d"; got != want {
		return fmt.Errorf("range [c, e): want %s, got %s", want, got)
	}
	return nil
}

func checkRangeCountKeysOnly(ctx context.Context, e *env) error {
	p := e.prefix + "rc/"
	if _, err := putAll(ctx, e, p, "a", "b", "c"); err != nil {
		return err
	}
	count, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return err
	}
	if count.Count != 3 || len(count.Kvs) != 0 {
		return fmt.Errorf("count only: want count 3 and no kvs, got count %d and %d kvs", count.Count, len(count.Kvs))
	}
	keys, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithKeysOnly())
	if err != nil {
		return err
	}
	if len(keys.Kvs) != 3 || len(keys.Kvs[0].Value) != 0 || keys.Kvs[0].ModRevision == 0 {
		return fmt.Errorf("keys only: want 3 kvs without values but with revisions, got %v", keys.Kvs)
	}
	return nil
}

func checkRangeAtRevision(ctx context.Context, e *env) error {
	key := e.prefix + "rv/k"
	first, err := e.client.Put(ctx, key, "old")
	if err != nil {
		return err
	}
	if _, err := e.client.Put(ctx, key, "new"); err != nil {
		return err
	}
	old, err := e.client.Get(ctx, key, clientv3.WithRev(first.Header.Revision))
	if err != nil {
		return err
	}
	if len(old.Kvs) != 1 || string(old.Kvs[0].Value) != "old" {
		return fmt.Errorf("get at revision %d: want old, got %v", first.Header.Revision, old.Kvs)
	}
	before, err := e.client.Get(ctx, key, clientv3.WithRev(first.Header.Revision-1))
	if err != nil || len(before.Kvs) != 0 {
		return fmt.Errorf("get before the key existed: want nothing, got %v (err %v)", before.Kvs, err)
	}
	if _, err := e.client.Get(ctx, key, clientv3.WithRev(first.Header.Revision+1000000)); err != rpctypes.ErrFutureRev {
		return fmt.Errorf("get at a future revision: want %v, got %v", rpctypes.ErrFutureRev, err)
	}
	return nil
}

func checkDelete(ctx context.Context, e *env) error {
	p := e.prefix + "del/"
	if _, err := putAll(ctx, e, p, "a", "b", "c"); err != nil {
		return err
	}
	one, err := e.client.Delete(ctx, p+"a")
	if err != nil || one.Deleted != 1 {
		return fmt.Errorf("delete one key: want deleted 1, got %v (err %v)", one, err)
	}
	none, err := e.client.Delete(ctx, p+"a")
	if err != nil || none.Deleted != 0 {
		return fmt.Errorf("delete a missing key: want deleted 0, got %v (err %v)", none, err)
	}
	rest, err := e.client.Delete(ctx, p, clientv3.WithPrefix(), clientv3.WithPrevKV())
	if err != nil {
		return err
	}
	if rest.Deleted != 2 || len(rest.PrevKvs) != 2 || string(rest.PrevKvs[0].Key) != p+"b" || string(rest.PrevKvs[1].Value) != "v2" {
		return fmt.Errorf("delete prefix with prev_kv: want deleted 2, prev kvs b and c (v2), got %v", rest)
	}
	after, err := e.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil || after.Count != 0 {
		return fmt.Errorf("after deleting the prefix: want count 0, got %v (err %v)", after, err)
	}
	return nil
}

func checkTxnCAS(ctx context.Context, e *env) error {
	key := e.prefix + "cas/k"
	put, err := e.client.Put(ctx, key, "1")
	if err != nil {
		return err
	}
	won, err := e.client.Txn(ctx).
		If(clientv3.Compare(clientv3.ModRevision(key), "=", put.Header.Revision)).
		Then(clientv3.OpPut(key, "2")).
		Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		return err
	}
	if !won.Succeeded || won.Responses[0].GetResponsePut() == nil {
		return fmt.Errorf("CAS on the current mod revision: want success with a put response, got %v", won)
	}
	lost, err := e.client.Txn(ctx).
		If(clientv3.Compare(clientv3.ModRevision(key), "=", put.Header.Revision)).
		Then(clientv3.OpPut(key, "3")).
		Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		return err
	}
	if lost.Succeeded {
		return fmt.Errorf("CAS on a stale mod revision succeeded")
	}
	rng := lost.Responses[0].GetResponseRange()
	if rng == nil || len(rng.Kvs) != 1 || string(rng.Kvs[0].Value) != "2" || rng.Kvs[0].ModRevision != won.Header.Revision {
		return fmt.Errorf("failed CAS: want the else get to return value 2 at %d, got %v", won.Header.Revision, lost.Responses)
	}
	if lost.Header.Revision != won.Header.Revision {
		return fmt.Errorf("failed CAS changed the revision: %d, then %d", won.Header.Revision, lost.Header.Revision)
	}
	// Value and version comparisons, and several compares at once.
	multi, err := e.client.Txn(ctx).
		If(clientv3.Compare(clientv3.Value(key), "=", "2"), clientv3.Compare(clientv3.Version(key), ">", 1)).
		Then(clientv3.OpDelete(key)).Commit()
	if err != nil || !multi.Succeeded || multi.Responses[0].GetResponseDeleteRange().Deleted != 1 {
		return fmt.Errorf("value=2 and version>1 then delete: want success deleting 1, got %v (err %v)", multi, err)
	}
	if _, err := e.client.Txn(ctx).Then(clientv3.OpPut(key, "a"), clientv3.OpPut(key, "b")).Commit(); err != rpctypes.ErrDuplicateKey {
		return fmt.Errorf("txn putting one key twice: want %v, got %v", rpctypes.ErrDuplicateKey, err)
	}
	return nil
}

func checkTxnCreate(ctx context.Context, e *env) error {
	key := e.prefix + "create/k"
	create := func(value string) (*clientv3.TxnResponse, error) {
		return e.client.Txn(ctx).
			If(clientv3.Compare(clientv3.ModRevision(key), "=", 0)).
			Then(clientv3.OpPut(key, value)).
			Else(clientv3.OpGet(key)).Commit()
	}
	first, err := create("first")
	if err != nil || !first.Succeeded {
		return fmt.Errorf("create of an absent key: want success, got %v (err %v)", first, err)
	}
	second, err := create("second")
	if err != nil || second.Succeeded {
		return fmt.Errorf("create of a present key: want failure, got %v (err %v)", second, err)
	}
	kvs := second.Responses[0].GetResponseRange().Kvs
	if len(kvs) != 1 || string(kvs[0].Value) != "first" {
		return fmt.Errorf("create of a present key: want the else get to return first, got %v", kvs)
	}
	return nil
}

// Request and response sizes kube-apiserver runs into: objects up to etcd's default
// --max-request-bytes (1.5 MiB), a larger one refused with "request is too large" (the client
// still sends it: its own limit is 2 MiB), and an unpaginated list of several MiB.
const (
	mib           = 1 << 20
	bigValueBytes = mib            // fits in a request
	tooBigBytes   = mib + 600*1024 // over etcd's 1.5 MiB request limit, under the client's 2 MiB
	bigListValues = 6              // one range answering 6 MiB
)

func checkLargeValues(ctx context.Context, e *env) error {
	p := e.prefix + "big/"
	value := strings.Repeat("v", bigValueBytes)
	for i := 0; i < bigListValues; i++ {
		if _, err := e.client.Put(ctx, fmt.Sprintf("%s%d", p, i), value); err != nil {
			return fmt.Errorf("put of a %d-byte value: %v", bigValueBytes, err)
		}
	}
	all, err := e.client.Get(ctx, p, clientv3.WithPrefix())
	if err != nil {
		return fmt.Errorf("range answering %d MiB: %v", bigListValues, err)
	}
	if len(all.Kvs) != bigListValues || string(all.Kvs[bigListValues-1].Value) != value {
		return fmt.Errorf("range answering %d MiB: want %d values of %d bytes, got %d kvs", bigListValues, bigListValues, bigValueBytes, len(all.Kvs))
	}
	if _, err := e.client.Put(ctx, p+"too-big", strings.Repeat("v", tooBigBytes)); err != rpctypes.ErrRequestTooLarge {
		return fmt.Errorf("put of a %d-byte value: want %v, got %v", tooBigBytes, rpctypes.ErrRequestTooLarge, err)
	}
	if _, err := e.client.Delete(ctx, p, clientv3.WithPrefix()); err != nil {
		return err
	}
	ops := make([]clientv3.Op, 129)
	for i := range ops {
		ops[i] = clientv3.OpPut(fmt.Sprintf("%sop%d", p, i), "v")
	}
	if _, err := e.client.Txn(ctx).Then(ops...).Commit(); err != rpctypes.ErrTooManyOps {
		return fmt.Errorf("txn of 129 puts (limit 128): want %v, got %v", rpctypes.ErrTooManyOps, err)
	}
	return nil
}
