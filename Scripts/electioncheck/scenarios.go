package main

// The scenarios. Each uses its own name as the lock or election name, so they can run one after
// another on one server. Server errors are transcript lines, not harness errors.

import (
	"context"
	"fmt"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3election/v3electionpb"
	"go.etcd.io/etcd/etcdserver/api/v3lock/v3lockpb"
	"google.golang.org/grpc"
)

const unknownLease = 0x1234abcd // a lease no server hands out in these runs

var scenarios = map[string]func(*env) error{
	"lock-uncontended":          lockUncontended,
	"lock-relock":               lockRelock,
	"lock-order":                lockOrder,
	"lock-cancel-waiter":        lockCancelWaiter,
	"lock-lease-revoked":        lockLeaseRevoked,
	"lock-unknown-lease":        lockUnknownLease,
	"lock-lease-zero":           lockLeaseZero,
	"unlock-missing-key":        unlockMissingKey,
	"campaign-leader":           campaignLeader,
	"campaign-wait-resign":      campaignWaitResign,
	"campaign-again":            campaignAgain,
	"campaign-cancel":           campaignCancel,
	"campaign-lease-zero":       campaignLeaseZero,
	"proclaim-observe":          proclaimObserve,
	"observe-next-leader":       observeNextLeader,
	"observe-empty":             observeEmpty,
	"leader-empty":              leaderEmpty,
	"stale-leader":              staleLeader,
	"lock-deadline-waiter":      lockDeadlineWaiter,
	"campaign-unknown-lease":    campaignUnknownLease,
	"proclaim-unknown-lease":    proclaimUnknownLease,
	"campaign-lease-revoked":    campaignLeaseRevoked,
	"auth-denied":               authDenied,
	"waiter-disconnect":         waiterDisconnect,
	"lock-waiter-lease-revoked": lockWaiterLeaseRevoked,
	"lock-then-campaign":        lockThenCampaign,
}

// --- calls, each printed as one line ---

func (e *env) lockCall(ctx context.Context, lease int64) (string, *v3lockpb.LockResponse) {
	resp, err := e.lock.Lock(ctx, &v3lockpb.LockRequest{Name: []byte(e.name), Lease: lease})
	if err != nil {
		return Err(err), nil
	}
	return fmt.Sprintf("locked %s key=%s", e.t.Header(resp.Header), e.t.Key(resp.Key)), resp
}

func (e *env) lockNow(who string, lease int64) *v3lockpb.LockResponse {
	ctx, cancel := callCtx()
	defer cancel()
	line, resp := e.lockCall(ctx, lease)
	e.t.Printf("lock %s: %s", who, line)
	return resp
}

func (e *env) lockLater(who string, lease int64) *pending {
	return e.async("lock "+who, func(ctx context.Context) string {
		line, _ := e.lockCall(ctx, lease)
		return line
	})
}

func (e *env) unlock(who string, key []byte) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.lock.Unlock(ctx, &v3lockpb.UnlockRequest{Key: key})
	if err != nil {
		e.t.Printf("unlock %s: %s", who, Err(err))
		return
	}
	e.t.Printf("unlock %s: %s", who, e.t.Header(resp.Header))
}

func (e *env) leaderKey(l *v3electionpb.LeaderKey) string {
	if l == nil {
		return "leader=nil"
	}
	return fmt.Sprintf("leader{name=%q key=%s rev=%s lease=%s}", l.Name, e.t.Key(l.Key), e.t.Rev(l.Rev), e.t.Lease(l.Lease))
}

func (e *env) campaignCall(ctx context.Context, lease int64, value string) (string, *v3electionpb.CampaignResponse) {
	resp, err := e.elect.Campaign(ctx, &v3electionpb.CampaignRequest{Name: []byte(e.name), Lease: lease, Value: []byte(value)})
	if err != nil {
		return Err(err), nil
	}
	return fmt.Sprintf("elected %s %s", e.t.Header(resp.Header), e.leaderKey(resp.Leader)), resp
}

func (e *env) campaignNow(who string, lease int64, value string) *v3electionpb.LeaderKey {
	ctx, cancel := callCtx()
	defer cancel()
	line, resp := e.campaignCall(ctx, lease, value)
	e.t.Printf("campaign %s: %s", who, line)
	if resp == nil {
		return nil
	}
	return resp.Leader
}

func (e *env) campaignLater(who string, lease int64, value string) *pending {
	return e.async("campaign "+who, func(ctx context.Context) string {
		line, _ := e.campaignCall(ctx, lease, value)
		return line
	})
}

func (e *env) leader() {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.elect.Leader(ctx, &v3electionpb.LeaderRequest{Name: []byte(e.name)})
	if err != nil {
		e.t.Printf("leader: %s", Err(err))
		return
	}
	e.t.Printf("leader: %s %s", e.t.Header(resp.Header), e.t.KV(resp.Kv))
}

func (e *env) proclaim(who string, l *v3electionpb.LeaderKey, value string) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.elect.Proclaim(ctx, &v3electionpb.ProclaimRequest{Leader: l, Value: []byte(value)})
	if err != nil {
		e.t.Printf("proclaim %s %q: %s", who, value, Err(err))
		return
	}
	e.t.Printf("proclaim %s %q: %s", who, value, e.t.Header(resp.Header))
}

func (e *env) resign(who string, l *v3electionpb.LeaderKey) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.elect.Resign(ctx, &v3electionpb.ResignRequest{Leader: l})
	if err != nil {
		e.t.Printf("resign %s: %s", who, Err(err))
		return
	}
	e.t.Printf("resign %s: %s", who, e.t.Header(resp.Header))
}

func (e *env) revoke(who string, lease int64) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.cli.Revoke(ctx, clientv3.LeaseID(lease))
	if err != nil {
		e.t.Printf("revoke %s: %s", who, Err(err))
		return
	}
	e.t.Printf("revoke %s: %s", who, e.t.Header(resp.Header))
}

// sessionLease prints what the server granted for a call made without a lease.
func (e *env) sessionLease(lease int64) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.cli.TimeToLive(ctx, clientv3.LeaseID(lease))
	if err != nil {
		e.t.Printf("timetolive %s: %s", e.t.Lease(lease), Err(err))
		return
	}
	alive := resp.TTL > 0 && resp.TTL <= resp.GrantedTTL
	e.t.Printf("timetolive %s: granted_ttl=%d alive=%v", e.t.Lease(lease), resp.GrantedTTL, alive)
}

// leases grants n leases of 60 s.
func (e *env) leases(n int) ([]int64, error) {
	var out []int64
	for i := 0; i < n; i++ {
		id, err := e.grant(60)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// --- Lock ---

func lockUncontended(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	held := e.lockNow("c1", l[0])
	e.keys()
	if held != nil {
		e.unlock("c1", held.Key)
	}
	e.keys()
	return nil
}

func lockRelock(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	e.lockNow("c1", l[0])
	e.lockNow("c1 again", l[0]) // keeps its key and place: answered at once
	w := e.lockLater("c2", l[1])
	e.awaitKeys(2)
	e.lockNow("c1 once more", l[0])
	e.still(w)
	e.keys()
	e.revoke("L1", l[0])
	e.await(w)
	return nil
}

func lockOrder(e *env) error {
	l, err := e.leases(3)
	if err != nil {
		return err
	}
	held := e.lockNow("c1", l[0])
	if held == nil {
		return nil
	}
	c2 := e.lockLater("c2", l[1])
	e.awaitKeys(2)
	c3 := e.lockLater("c3", l[2])
	e.awaitKeys(3)
	e.keys()
	e.still(c2)
	e.still(c3)
	e.unlock("c1", held.Key)
	e.await(c2)
	e.still(c3)
	e.unlock("c2", []byte(fmt.Sprintf("%s/%x", e.name, l[1])))
	e.await(c3)
	e.keys()
	e.unlock("c3", []byte(fmt.Sprintf("%s/%x", e.name, l[2])))
	e.keys()
	return nil
}

func lockCancelWaiter(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	held := e.lockNow("c1", l[0])
	w := e.lockLater("c2", l[1])
	e.awaitKeys(2)
	w.cancel()
	e.await(w) // the client's own cancellation
	e.awaitKeys(1)
	e.keys()
	if held != nil {
		e.unlock("c1", held.Key)
	}
	e.keys()
	return nil
}

func lockLeaseRevoked(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	e.lockNow("c1", l[0])
	w := e.lockLater("c2", l[1])
	e.awaitKeys(2)
	e.still(w)
	e.revoke("L1", l[0])
	e.await(w)
	e.keys()
	return nil
}

func lockUnknownLease(e *env) error {
	e.lockNow("c1", unknownLease)
	e.keys()
	return nil
}

func lockLeaseZero(e *env) error {
	held := e.lockNow("c1", 0)
	e.keys()
	if held == nil {
		return nil
	}
	resp, err := e.prefix()
	if err == nil && len(resp.Kvs) == 1 {
		e.sessionLease(resp.Kvs[0].Lease)
	}
	e.unlock("c1", held.Key)
	return nil
}

func unlockMissingKey(e *env) error {
	e.unlock("nobody", []byte(e.name+"/missing"))
	e.unlock("empty key", nil)
	return nil
}

// --- Election ---

func campaignLeader(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	e.campaignNow("c1", l[0], "v1")
	e.leader()
	e.keys()
	return nil
}

func campaignWaitResign(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	first := e.campaignNow("c1", l[0], "v1")
	c2 := e.campaignLater("c2", l[1], "v2")
	e.awaitKeys(2)
	e.leader()
	e.still(c2)
	e.resign("c1", first)
	e.await(c2)
	e.leader()
	e.keys()
	return nil
}

func campaignAgain(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	e.campaignNow("c1", l[0], "v1")
	e.campaignNow("c1 same value", l[0], "v1")
	e.leader()
	e.campaignNow("c1 new value", l[0], "v2") // proclaims v2 and keeps its revision
	e.leader()
	return nil
}

func campaignCancel(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	e.campaignNow("c1", l[0], "v1")
	w := e.campaignLater("c2", l[1], "v2")
	e.awaitKeys(2)
	w.cancel()
	e.await(w)
	e.awaitKeys(1)
	e.keys()
	return nil
}

func campaignLeaseZero(e *env) error {
	won := e.campaignNow("c1", 0, "v")
	if won == nil {
		return nil
	}
	e.sessionLease(won.Lease)
	e.keys()
	e.resign("c1", won)
	e.keys()
	return nil
}

func proclaimObserve(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	won := e.campaignNow("c1", l[0], "v1")
	o, err := e.observe()
	if err != nil {
		return err
	}
	defer o.cancel()
	e.next(o)
	e.proclaim("c1", won, "v2")
	e.next(o)
	e.leader()
	e.proclaim("c1 same value", won, "v2")
	e.next(o)
	return nil
}

func observeNextLeader(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	first := e.campaignNow("c1", l[0], "v1")
	c2 := e.campaignLater("c2", l[1], "v2")
	e.awaitKeys(2)
	o, err := e.observe()
	if err != nil {
		return err
	}
	defer o.cancel()
	e.next(o)
	e.proclaim("c1", first, "v1b")
	e.next(o)
	e.resign("c1", first)
	e.await(c2)
	e.next(o)
	return nil
}

func observeEmpty(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	o, err := e.observe()
	if err != nil {
		return err
	}
	defer o.cancel()
	// No leader: nothing is sent until the first campaign puts its key. The stream's start cannot
	// be seen from here, so the campaign may come before or after its first read; both give the
	// same message.
	won := e.campaignNow("c1", l[0], "v1")
	e.next(o)
	e.resign("c1", won)
	e.campaignNow("c1 again", l[0], "v2")
	e.next(o)
	return nil
}

func leaderEmpty(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	e.leader()
	won := e.campaignNow("c1", l[0], "v1")
	e.resign("c1", won)
	e.leader()
	return nil
}

func staleLeader(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	old := e.campaignNow("c1", l[0], "v1")
	if old == nil {
		return nil
	}
	e.resign("c1", old)
	e.resign("c1 again", old) // gone: a no-op, no error
	e.proclaim("c1 after resign", old, "x")
	e.proclaim("no leader field", nil, "x")
	e.resign("no leader field", nil)
	e.campaignNow("c1 again", l[0], "v2")
	e.proclaim("c1 stale rev", old, "x")
	e.resign("c1 stale rev", old)
	e.leader()
	wrong := *old
	wrong.Lease = unknownLease
	wrong.Rev = 0
	e.proclaim("unknown lease", &wrong, "y")
	e.keys()
	return nil
}

func lockDeadlineWaiter(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	held := e.lockNow("c1", l[0])
	// The waiter's deadline travels as grpc-timeout: the server gives up and takes its key back.
	ctx, cancel := context.WithTimeout(context.Background(), waiterDeadline)
	defer cancel()
	line, _ := e.lockCall(ctx, l[1])
	e.t.Printf("lock c2 with a deadline: %s", line)
	e.awaitKeys(1)
	e.keys()
	if held != nil {
		e.unlock("c1", held.Key)
	}
	return nil
}

func campaignUnknownLease(e *env) error {
	e.campaignNow("c1", unknownLease, "v")
	e.keys()
	return nil
}

func proclaimUnknownLease(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	won := e.campaignNow("c1", l[0], "v1")
	if won == nil {
		return nil
	}
	// The right key and revision, a lease that does not exist: the put fails, not the compare.
	wrong := *won
	wrong.Lease = unknownLease
	e.proclaim("c1 unknown lease", &wrong, "v2")
	e.leader()
	return nil
}

func campaignLeaseRevoked(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	e.campaignNow("c1", l[0], "v1")
	c2 := e.campaignLater("c2", l[1], "v2")
	e.awaitKeys(2)
	o, err := e.observe()
	if err != nil {
		return err
	}
	defer o.cancel()
	e.next(o)
	e.still(c2)
	e.revoke("L1", l[0])
	e.await(c2)
	e.next(o)
	e.leader()
	return nil
}

// authDenied: the recipes run with the caller's permissions. A user allowed nothing under the
// scenario's name is refused by Leader, Lock and Campaign; an Observe whose first read is refused
// ends (etcd's Observe returns when its leader channel closes). Auth is enabled for the
// scenario only and disabled again before it returns.
func authDenied(e *env) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*rpcTimeout)
	defer cancel()
	steps := []func() error{
		func() error { _, err := e.cli.UserAdd(ctx, "root", "rootpw"); return err },
		func() error { _, err := e.cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := e.cli.RoleAdd(ctx, "elsewhere"); return err },
		func() error {
			_, err := e.cli.RoleGrantPermission(ctx, "elsewhere", "other/", clientv3.GetPrefixRangeEnd("other/"), clientv3.PermissionType(clientv3.PermReadWrite))
			return err
		},
		func() error { _, err := e.cli.UserAdd(ctx, "u", "upw"); return err },
		func() error { _, err := e.cli.UserGrantRole(ctx, "u", "elsewhere"); return err },
		func() error { _, err := e.cli.AuthEnable(ctx); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("auth setup: %v", err)
		}
	}
	defer disableAuth(e)
	user, err := newAuthEnv(e, "u", "upw")
	if err != nil {
		return err
	}
	defer user.close()
	lease, err := user.grant(60)
	if err != nil {
		return err
	}
	user.leader()
	user.lockNow("u", lease)
	user.campaignNow("u", lease, "v")
	o, err := user.observe()
	if err != nil {
		return err
	}
	defer o.cancel()
	user.next(o)
	user.next(o)
	return nil
}

// waiterDisconnect: a lock waiter and a candidate on their own connection, which is closed
// under them (no RST_STREAM first): the server takes both keys back, as for a cancelled call.
func waiterDisconnect(e *env) error {
	l, err := e.leases(3)
	if err != nil {
		return err
	}
	// The lock and the election share the name; use two names under it.
	lockEnv, electEnv := *e, *e
	lockEnv.name, electEnv.name = e.name+"/lock", e.name+"/elect"
	lockEnv.lockNow("c1", l[0])
	electEnv.campaignNow("c1", l[0], "v1")
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	conn, err := grpc.DialContext(ctx, e.cli.Endpoints()[0], grpc.WithInsecure(), grpc.WithBlock())
	cancel()
	if err != nil {
		return fmt.Errorf("dial: %v", err)
	}
	gone := lockEnv
	gone.lock, gone.elect = v3lockpb.NewLockClient(conn), v3electionpb.NewElectionClient(conn)
	w1 := gone.lockLater("c2", l[1])
	goneElect := gone
	goneElect.name = electEnv.name
	w2 := goneElect.campaignLater("c2", l[2], "v2")
	lockEnv.awaitKeys(2)
	electEnv.awaitKeys(2)
	conn.Close()
	e.await(w1)
	e.await(w2)
	lockEnv.awaitKeys(1)
	electEnv.awaitKeys(1)
	lockEnv.keys()
	electEnv.keys()
	return nil
}

// lockWaiterLeaseRevoked: a waiter's own lease is revoked while it waits. Its key goes, but
// Mutex.Lock only waits for older keys, so it is still answered "locked" once the holder unlocks
// (with a key that no longer exists): etcd's behaviour, reproduced as it is.
func lockWaiterLeaseRevoked(e *env) error {
	l, err := e.leases(2)
	if err != nil {
		return err
	}
	held := e.lockNow("c1", l[0])
	w := e.lockLater("c2", l[1])
	e.awaitKeys(2)
	e.revoke("L2", l[1])
	e.awaitKeys(1)
	e.still(w)
	if held != nil {
		e.unlock("c1", held.Key)
	}
	e.await(w)
	e.keys()
	return nil
}

// lockThenCampaign: Lock and Campaign on one name and lease share the key: the campaign finds
// the lock's key (empty value), proclaims its own value and leads.
func lockThenCampaign(e *env) error {
	l, err := e.leases(1)
	if err != nil {
		return err
	}
	e.lockNow("c1", l[0])
	e.campaignNow("c1", l[0], "v")
	e.leader()
	e.lockNow("c1 again", l[0])
	e.keys()
	return nil
}
