package main

// The transcript mode (-transcript FILE): one client runs a seeded, deterministic sequence of the
// same kinds of requests as the load (guarded creates/updates/deletes, some deliberately stale;
// paginated lists; counts; gets with limit 1; reads at older revisions; compactions; leases
// granted, attached and revoked; range filters and sorts; a watch replaying the history) and
// writes one line per answer with everything a client can see except what legitimately differs
// between two clusters (cluster and member IDs, raft terms, lease IDs, which become ordinals).
// Two servers given the same seed must write the same transcript: Scripts/e2e-kube.sh diffs the
// server's against etcd's.

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3rpc/rpctypes"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"google.golang.org/grpc/status"
)

const (
	transcriptKeys        = 12  // per resource: small, so guards collide and lists have pages
	transcriptPageLimit   = 4   //
	transcriptCompactEach = 150 // operations between compactions
	transcriptCompactLag  = 40  // revisions kept behind the current one
	replayTimeout         = 5 * time.Second
)

type transcript struct {
	client *clientv3.Client
	out    *bufio.Writer
	rng    *rand.Rand
	prefix string
	leases map[clientv3.LeaseID]int // lease ID -> ordinal
	live   []clientv3.LeaseID
	known  map[string]int64 // key -> mod revision last seen (0: absent)
	rev    int64            // the newest header revision seen
	start  int64            // the revision before the first request
}

func runTranscript(cfg config, client *clientv3.Client, path string, ops int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t := &transcript{client: client, out: bufio.NewWriter(f), rng: rand.New(rand.NewSource(cfg.seed)),
		prefix: cfg.prefix + "transcript/", leases: map[clientv3.LeaseID]int{}, known: map[string]int64{}}
	ctx, cancel := context.WithTimeout(context.Background(), drainTimeout*10)
	defer cancel()
	resp, err := client.Get(ctx, t.prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return err
	}
	if resp.Count != 0 {
		return fmt.Errorf("transcript needs an empty %s (found %d keys)", t.prefix, resp.Count)
	}
	// Revisions are printed relative to the start, so the two servers need not start equal.
	t.start = resp.Header.Revision
	t.rev = t.start
	for i := 0; i < ops; i++ {
		fmt.Fprintf(t.out, "%04d ", i)
		t.step(ctx, i)
	}
	t.replay(ctx)
	return t.out.Flush()
}

func (t *transcript) printf(format string, args ...interface{}) {
	fmt.Fprintf(t.out, format, args...)
	t.out.WriteString("\n")
}

// r: a revision relative to the start (0 for 0).
func (t *transcript) r(rev int64) int64 {
	if rev == 0 {
		return 0
	}
	return rev - t.start
}

func (t *transcript) lease(id int64) string {
	if id == 0 {
		return "-"
	}
	n, ok := t.leases[clientv3.LeaseID(id)]
	if !ok {
		return "L?"
	}
	return fmt.Sprintf("L%d", n)
}

func (t *transcript) kv(kv *mvccpb.KeyValue) string {
	return fmt.Sprintf("%s=%q c%d m%d v%d %s", strings.TrimPrefix(string(kv.Key), t.prefix), kv.Value,
		t.r(kv.CreateRevision), t.r(kv.ModRevision), kv.Version, t.lease(kv.Lease))
}

func (t *transcript) kvs(kvs []*mvccpb.KeyValue) string {
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = t.kv(kv)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func (t *transcript) header(rev int64) string {
	if rev > t.rev {
		t.rev = rev
	}
	return fmt.Sprintf("@%d", t.r(rev))
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	code := status.Code(err)
	if e, ok := err.(rpctypes.EtcdError); ok {
		code = e.Code()
	}
	return fmt.Sprintf("error %v %s", code, rpctypes.ErrorDesc(err))
}

func (t *transcript) key() string {
	resources := []string{"pods/", "configmaps/"}
	return fmt.Sprintf("%s%sk%02d", t.prefix, resources[t.rng.Intn(2)], t.rng.Intn(transcriptKeys))
}

func (t *transcript) short(key string) string { return strings.TrimPrefix(key, t.prefix) }

func (t *transcript) step(ctx context.Context, i int) {
	if i > 0 && i%transcriptCompactEach == 0 {
		target := t.rev - transcriptCompactLag
		_, err := t.client.Compact(ctx, target)
		t.printf("compact %d: %s", t.r(target), errText(err))
		return
	}
	switch n := t.rng.Intn(100); {
	case n < 25:
		t.guarded(ctx, "create", t.key(), 0)
	case n < 45:
		key := t.key()
		rev := t.known[key]
		if t.rng.Intn(5) == 0 && rev > 0 {
			rev-- // deliberately stale: the guard must fail and the Else answer
		}
		t.guarded(ctx, "update", key, rev)
	case n < 53:
		key := t.key()
		t.guarded(ctx, "delete", key, t.known[key])
	case n < 60:
		t.list(ctx)
	case n < 65:
		p := t.prefix + []string{"pods/", "configmaps/"}[t.rng.Intn(2)]
		resp, err := t.client.Get(ctx, p, clientv3.WithPrefix(), clientv3.WithCountOnly())
		if err != nil {
			t.printf("count %s: %s", t.short(p), errText(err))
			return
		}
		t.printf("count %s: %s count %d kvs %d more %v", t.short(p), t.header(resp.Header.Revision), resp.Count, len(resp.Kvs), resp.More)
	case n < 70:
		p := t.prefix + []string{"pods/", "configmaps/"}[t.rng.Intn(2)]
		t.get(ctx, "get-limit1 "+t.short(p), p, clientv3.WithPrefix(), clientv3.WithLimit(1))
	case n < 76:
		back := int64(t.rng.Intn(3 * transcriptCompactLag))
		at := t.rev - back
		if at <= t.start {
			at = t.start + 1 // before the transcript the two servers' histories differ
		}
		t.get(ctx, fmt.Sprintf("old-read %d", t.r(at)), t.prefix, clientv3.WithPrefix(), clientv3.WithRev(at))
	case n < 80:
		t.filtered(ctx)
	case n < 86:
		t.leaseStep(ctx)
	case n < 90:
		key := t.key()
		resp, err := t.client.Put(ctx, key, fmt.Sprintf("p%d", i), clientv3.WithPrevKV())
		if err != nil {
			t.printf("put %s: %s", t.short(key), errText(err))
			return
		}
		t.known[key] = resp.Header.Revision
		prev := "-"
		if resp.PrevKv != nil {
			prev = t.kv(resp.PrevKv)
		}
		t.printf("put %s: %s prev %s", t.short(key), t.header(resp.Header.Revision), prev)
	case n < 92:
		t.multiCompare(ctx)
	case n < 93:
		t.refused(ctx)
	case n < 95:
		p := t.prefix + []string{"pods/", "configmaps/"}[t.rng.Intn(2)]
		from := fmt.Sprintf("%sk%02d", p, t.rng.Intn(transcriptKeys))
		resp, err := t.client.Delete(ctx, from, clientv3.WithRange(prefixEnd(p)), clientv3.WithPrevKV())
		if err != nil {
			t.printf("delete-range %s..: %s", t.short(from), errText(err))
			return
		}
		for _, kv := range resp.PrevKvs {
			t.known[string(kv.Key)] = 0
		}
		t.printf("delete-range %s..: %s deleted %d prev %s", t.short(from), t.header(resp.Header.Revision), resp.Deleted, t.kvs(resp.PrevKvs))
	default:
		// A txn whose failure branch writes: revisions must advance the same way.
		key, other := t.key(), t.key()
		resp, err := t.client.Txn(ctx).If(clientv3.Compare(clientv3.Value(key), ">", "p5")).
			Then(clientv3.OpGet(key)).Else(clientv3.OpPut(other, "else"), clientv3.OpGet(t.prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())).Commit()
		if err != nil {
			t.printf("txn-else-write %s %s: %s", t.short(key), t.short(other), errText(err))
			return
		}
		if !resp.Succeeded {
			t.known[other] = resp.Header.Revision
		}
		t.printf("txn-else-write %s %s: %s succeeded %v responses %d", t.short(key), t.short(other), t.header(resp.Header.Revision), resp.Succeeded, len(resp.Responses))
	}
}

func (t *transcript) guarded(ctx context.Context, op, key string, rev int64) {
	var then clientv3.Op
	switch op {
	case "create":
		then = clientv3.OpPut(key, "created")
	case "update":
		then = clientv3.OpPut(key, fmt.Sprintf("u%d", t.rng.Intn(10)))
	default:
		then = clientv3.OpDelete(key)
	}
	resp, err := t.client.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(key), "=", rev)).Then(then).Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		t.printf("%s %s if mod=%d: %s", op, t.short(key), t.r(rev), errText(err))
		return
	}
	line := fmt.Sprintf("%s %s if mod=%d: %s succeeded %v", op, t.short(key), t.r(rev), t.header(resp.Header.Revision), resp.Succeeded)
	switch {
	case resp.Succeeded && op == "delete":
		t.known[key] = 0
		line += fmt.Sprintf(" deleted %d", resp.Responses[0].GetResponseDeleteRange().Deleted)
	case resp.Succeeded:
		t.known[key] = resp.Header.Revision
	default:
		kvs := resp.Responses[0].GetResponseRange().Kvs
		t.known[key] = 0
		if len(kvs) == 1 {
			t.known[key] = kvs[0].ModRevision
		}
		line += " else " + t.kvs(kvs)
	}
	t.printf("%s", line)
}

func (t *transcript) get(ctx context.Context, label, key string, opts ...clientv3.OpOption) {
	resp, err := t.client.Get(ctx, key, opts...)
	if err != nil {
		t.printf("%s: %s", label, errText(err))
		return
	}
	t.printf("%s: %s count %d more %v %s", label, t.header(resp.Header.Revision), resp.Count, resp.More, t.kvs(resp.Kvs))
}

func (t *transcript) list(ctx context.Context) {
	p := t.prefix + []string{"pods/", "configmaps/", ""}[t.rng.Intn(3)]
	end := prefixEnd(p)
	next, rev := p, int64(0)
	for page := 0; ; page++ {
		opts := []clientv3.OpOption{clientv3.WithRange(end), clientv3.WithLimit(transcriptPageLimit)}
		if rev != 0 {
			opts = append(opts, clientv3.WithRev(rev))
		}
		resp, err := t.client.Get(ctx, next, opts...)
		if err != nil {
			t.printf("list %s page %d: %s", t.short(p), page, errText(err))
			return
		}
		if rev == 0 {
			rev = resp.Header.Revision
		}
		fmt.Fprintf(t.out, "list %s page %d at %d: %s count %d more %v %s; ", t.short(p), page, t.r(rev), t.header(resp.Header.Revision), resp.Count, resp.More, t.kvs(resp.Kvs))
		if !resp.More || len(resp.Kvs) == 0 {
			break
		}
		next = string(resp.Kvs[len(resp.Kvs)-1].Key) + "\x00"
	}
	t.printf("")
}

// filtered: sorts and the revision filters of a range (clients beyond kube use them).
func (t *transcript) filtered(ctx context.Context) {
	p := t.prefix + "pods/"
	switch t.rng.Intn(4) {
	case 0:
		t.get(ctx, "sort-mod-desc", p, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByModRevision, clientv3.SortDescend), clientv3.WithLimit(3))
	case 1:
		t.get(ctx, "sort-version-asc", p, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByVersion, clientv3.SortAscend))
	case 2:
		t.get(ctx, "min-mod-rev", p, clientv3.WithPrefix(), clientv3.WithMinModRev(t.rev-20), clientv3.WithKeysOnly())
	default:
		t.get(ctx, "max-create-rev", p+"k05", clientv3.WithRange(prefixEnd(t.prefix)), clientv3.WithMaxCreateRev(t.rev-10), clientv3.WithLimit(5))
	}
}

func (t *transcript) leaseStep(ctx context.Context) {
	switch n := t.rng.Intn(3); {
	case n == 0 || len(t.live) == 0:
		resp, err := t.client.Grant(ctx, 600)
		if err != nil {
			t.printf("grant: %s", errText(err))
			return
		}
		t.leases[resp.ID] = len(t.leases) + 1
		t.live = append(t.live, resp.ID)
		t.printf("grant: %s %s ttl %d", t.header(resp.ResponseHeader.Revision), t.lease(int64(resp.ID)), resp.TTL)
	case n == 1:
		id := t.live[t.rng.Intn(len(t.live))]
		key := t.key()
		resp, err := t.client.Put(ctx, key, "leased", clientv3.WithLease(id))
		if err != nil {
			t.printf("put %s on %s: %s", t.short(key), t.lease(int64(id)), errText(err))
			return
		}
		t.known[key] = resp.Header.Revision
		t.printf("put %s on %s: %s", t.short(key), t.lease(int64(id)), t.header(resp.Header.Revision))
	default:
		i := t.rng.Intn(len(t.live))
		id := t.live[i]
		t.live = append(t.live[:i], t.live[i+1:]...)
		ttl, err := t.client.TimeToLive(ctx, id, clientv3.WithAttachedKeys())
		keys := "?"
		if err == nil {
			var names []string
			for _, k := range ttl.Keys {
				names = append(names, t.short(string(k)))
			}
			// etcd lists attached keys in map order: sorted here.
			sort.Strings(names)
			keys = strings.Join(names, ",")
		}
		resp, err := t.client.Revoke(ctx, id)
		if err != nil {
			t.printf("revoke %s: %s", t.lease(int64(id)), errText(err))
			return
		}
		t.printf("revoke %s (keys %s): %s", t.lease(int64(id)), keys, t.header(resp.Header.Revision))
	}
}

// refused: requests every server must refuse, with etcd's code and message.
func (t *transcript) refused(ctx context.Context) {
	key := t.key()
	var err error
	var what string
	switch t.rng.Intn(5) {
	case 0:
		what = "future-revision read"
		_, err = t.client.Get(ctx, key, clientv3.WithRev(t.rev+1000))
	case 1:
		what = "put on an unknown lease"
		_, err = t.client.Put(ctx, key, "v", clientv3.WithLease(0x7e57))
	case 2:
		what = "put with ignore_lease on " + t.short(key)
		_, err = t.client.Put(ctx, key, "v", clientv3.WithIgnoreLease())
	case 3:
		what = "txn putting one key twice"
		_, err = t.client.Txn(ctx).Then(clientv3.OpPut(key, "a"), clientv3.OpPut(key, "b")).Commit()
	default:
		what = "put of an empty key"
		_, err = t.client.Put(ctx, "", "v")
	}
	if err == nil {
		// ignore_lease on a key that exists is accepted: the revision moved.
		if resp, gerr := t.client.Get(ctx, key); gerr == nil && len(resp.Kvs) == 1 {
			t.known[key] = resp.Kvs[0].ModRevision
			t.printf("%s: accepted, %s", what, t.kv(resp.Kvs[0]))
			return
		}
	}
	t.printf("%s: %s", what, errText(err))
}

func (t *transcript) multiCompare(ctx context.Context) {
	key := t.key()
	resp, err := t.client.Txn(ctx).If(
		clientv3.Compare(clientv3.Version(key), ">", 1),
		clientv3.Compare(clientv3.CreateRevision(key), "<", t.rev),
		clientv3.Compare(clientv3.LeaseValue(key), "=", clientv3.NoLease),
	).Then(clientv3.OpPut(key, "multi"), clientv3.OpGet(key)).Else(clientv3.OpGet(key)).Commit()
	if err != nil {
		t.printf("multi-compare %s: %s", t.short(key), errText(err))
		return
	}
	if resp.Succeeded {
		t.known[key] = resp.Header.Revision
	}
	last := resp.Responses[len(resp.Responses)-1].GetResponseRange()
	t.printf("multi-compare %s: %s succeeded %v get %s", t.short(key), t.header(resp.Header.Revision), resp.Succeeded, t.kvs(last.Kvs))
}

// replay: a watch from before the last compaction is refused; one from the oldest revision kept
// replays every event since, with prev_kv.
func (t *transcript) replay(ctx context.Context) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first := <-t.client.Watch(wctx, t.prefix, clientv3.WithPrefix(), clientv3.WithRev(t.start+1))
	t.printf("watch from %d: compact revision %d %s", 1, t.r(first.CompactRevision), errText(first.Err()))
	from := first.CompactRevision
	if from == 0 {
		from = t.start + 1
	}
	ch := t.client.Watch(wctx, t.prefix, clientv3.WithPrefix(), clientv3.WithRev(from), clientv3.WithPrevKV())
	for seen := from - 1; seen < t.rev; {
		var resp clientv3.WatchResponse
		select {
		case resp = <-ch:
		case <-time.After(replayTimeout):
			t.printf("watch from %d: stalled after revision %d, before %d", t.r(from), t.r(seen), t.r(t.rev))
			return
		}
		if resp.Err() != nil {
			t.printf("watch from %d: %s", t.r(from), errText(resp.Err()))
			return
		}
		for _, ev := range resp.Events {
			prev := "-"
			if ev.PrevKv != nil {
				prev = t.kv(ev.PrevKv)
			}
			t.printf("event %s %s prev %s", ev.Type, t.kv(ev.Kv), prev)
			seen = ev.Kv.ModRevision
		}
	}
}
