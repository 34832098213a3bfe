package main

// The permission matrix: every RPC, as four callers, against one fixed set of permissions.
//
// Callers (columns): anon (no token), none (a user without roles), user (role mx-r), root.
// Role mx-r holds:
//
//	readwrite [mx/a, mx/f)        a range
//	readwrite mx/k                one key
//	read      [mx/ro/, mx/ro0)    the prefix mx/ro/
//	write     mx/wo               one key, write only
//	read      [mx/z, \x00)        from mx/z on (etcd's "from key" range end)
//	readwrite [mx/p1, mx/p2) and [mx/p2, mx/p3)   two adjacent ranges
//
// Every probe runs for the callers in that order, root last, so a call that succeeds for root
// cannot change what the others saw. A probe that needs a lease or a key makes it as root first.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.etcd.io/etcd/auth/authpb"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
)

const (
	roleName      = "mx-r"
	otherRoleName = "mx-other"
	userName      = "mx-user"
	noneName      = "mx-none"
	matrixPass    = "mx-Pw-3b81"
	leaseTTL      = 60 // seconds: outlives the run
	fromKeyEnd    = "\x00"
	unknownMember = 0x1234abcd // a member ID no server hands out here
	watchWait     = 5 * time.Second
)

var callerNames = []string{"anon", "none", "user", "root"}

type matrix struct {
	c       *conn
	root    as
	callers []as // in callerNames order
	rootPW  string
}

// probe: one row. run makes the call as the caller and returns its outcome word.
type probe struct {
	name        string
	run         func(m *matrix, a as) string
	rootSkipped bool // root's call would break the run (auth disable)
	mutatesAuth bool // root's success bumps the auth revision: tokens are renewed after it
}

func matrixCommand(args []string) int {
	fs := flag.NewFlagSet("matrix", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "one member's client address")
	rootPW := fs.String("root-password", "", "root's password")
	bypasses := fs.String("known-bypasses", "refuse", "refuse: the bypass rows must be refused; report: etcd 3.4.23's own answer there is accepted and reported")
	printGo := fs.Bool("print-go", false, "print the answers as the Go table literal of expected.go (to regenerate it from etcd)")
	fs.Parse(args)
	if *bypasses != "refuse" && *bypasses != "report" {
		return harness("-known-bypasses must be refuse or report")
	}
	c, err := dial(*endpoint)
	if err != nil {
		return harness("%v", err)
	}
	defer c.cc.Close()
	m := &matrix{c: c, rootPW: *rootPW}
	if err := m.setup(); err != nil {
		return harness("setup: %v", err)
	}
	got := map[string][]string{}
	for _, p := range probes() {
		row := make([]string, len(callerNames))
		for i, a := range m.callers {
			if callerNames[i] == "root" && p.rootSkipped {
				row[i] = "-"
				continue
			}
			row[i] = p.run(m, a)
			if callerNames[i] == "root" && p.mutatesAuth {
				if err := m.login(); err != nil {
					return harness("renewing tokens after %s: %v", p.name, err)
				}
			}
		}
		got[p.name] = row
	}
	if *printGo {
		for _, p := range probes() {
			fmt.Printf("\t\t%q: {%q, %q, %q, %q},\n", p.name, got[p.name][0], got[p.name][1], got[p.name][2], got[p.name][3])
		}
		return exitOK
	}
	return compare(os.Stdout, got, *bypasses == "report")
}

// login (re)authenticates every caller; an auth change makes every older token's revision stale.
func (m *matrix) login() error {
	rootToken, err := m.c.authenticate("root", m.rootPW)
	if err != nil {
		return fmt.Errorf("authenticate root: %v", err)
	}
	noneToken, err := m.c.authenticate(noneName, matrixPass)
	if err != nil {
		return fmt.Errorf("authenticate %s: %v", noneName, err)
	}
	userToken, err := m.c.authenticate(userName, matrixPass)
	if err != nil {
		return fmt.Errorf("authenticate %s: %v", userName, err)
	}
	m.root = as{"root", rootToken}
	m.callers = []as{{"anon", ""}, {"none", noneToken}, {"user", userToken}, m.root}
	return nil
}

func (m *matrix) setup() error {
	rootToken, err := m.c.authenticate("root", m.rootPW)
	if err != nil {
		return fmt.Errorf("authenticate root: %v", err)
	}
	m.root = as{"root", rootToken}
	ctx, cancel := m.root.ctx()
	defer cancel()
	a := m.c.auth
	perm := func(t authpb.Permission_Type, key, end string) *authpb.Permission {
		p := &authpb.Permission{PermType: t, Key: []byte(key)}
		if end != "" {
			p.RangeEnd = []byte(end)
		}
		return p
	}
	perms := []*authpb.Permission{
		perm(authpb.READWRITE, "mx/a", "mx/f"),
		perm(authpb.READWRITE, "mx/k", ""),
		perm(authpb.READ, "mx/ro/", "mx/ro0"),
		perm(authpb.WRITE, "mx/wo", ""),
		perm(authpb.READ, "mx/z", fromKeyEnd),
		perm(authpb.READWRITE, "mx/p1", "mx/p2"),
		perm(authpb.READWRITE, "mx/p2", "mx/p3"),
	}
	steps := []func() error{
		func() error { _, err := a.RoleAdd(ctx, &pb.AuthRoleAddRequest{Name: roleName}); return err },
		func() error { _, err := a.RoleAdd(ctx, &pb.AuthRoleAddRequest{Name: otherRoleName}); return err },
		func() error {
			for _, p := range perms {
				if _, err := a.RoleGrantPermission(ctx, &pb.AuthRoleGrantPermissionRequest{Name: roleName, Perm: p}); err != nil {
					return err
				}
			}
			return nil
		},
		func() error {
			_, err := a.UserAdd(ctx, &pb.AuthUserAddRequest{Name: userName, Password: matrixPass})
			return err
		},
		func() error {
			_, err := a.UserAdd(ctx, &pb.AuthUserAddRequest{Name: noneName, Password: matrixPass})
			return err
		},
		func() error {
			_, err := a.UserGrantRole(ctx, &pb.AuthUserGrantRoleRequest{User: userName, Role: roleName})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("step %d: %v", i+1, err)
		}
	}
	// Auth changes above made the root token's revision stale: everyone logs in afresh.
	if err := m.login(); err != nil {
		return err
	}
	for _, k := range []string{"mx/b", "mx/k", "mx/ro/x", "mx/wo", "mx/zz", "mx/q", "mx/p1x", "mx/p2x"} {
		if err := m.rootPut(k, 0); err != nil {
			return fmt.Errorf("put %s: %v", k, err)
		}
	}
	return nil
}

func (m *matrix) rootPut(key string, lease int64) error {
	ctx, cancel := m.root.ctx()
	defer cancel()
	_, err := m.c.kv.Put(ctx, &pb.PutRequest{Key: []byte(key), Value: []byte("v"), Lease: lease})
	return err
}

// rootLease: a lease granted by root with KEYS attached (0 when that failed).
func (m *matrix) rootLease(keys ...string) int64 {
	ctx, cancel := m.root.ctx()
	defer cancel()
	resp, err := m.c.lease.LeaseGrant(ctx, &pb.LeaseGrantRequest{TTL: leaseTTL})
	if err != nil {
		return 0
	}
	for _, k := range keys {
		if m.rootPut(k, resp.ID) != nil {
			return 0
		}
	}
	return resp.ID
}

func (m *matrix) rootRevision() int64 {
	ctx, cancel := m.root.ctx()
	defer cancel()
	resp, err := m.c.kv.Put(ctx, &pb.PutRequest{Key: []byte("mx/b"), Value: []byte("bump")})
	if err != nil {
		return 0
	}
	return resp.Header.Revision
}

func (m *matrix) memberID() uint64 {
	ctx, cancel := m.root.ctx()
	defer cancel()
	resp, err := m.c.maint.Status(ctx, &pb.StatusRequest{})
	if err != nil {
		return 0
	}
	return resp.Header.MemberId
}

// ---------------------------------------------------------------------------------------------
// Request shapes

func rangeReq(key, end string) *pb.RangeRequest {
	r := &pb.RangeRequest{Key: []byte(key)}
	if end != "" {
		r.RangeEnd = []byte(end)
	}
	return r
}

func putReq(key string) *pb.PutRequest { return &pb.PutRequest{Key: []byte(key), Value: []byte("x")} }

func delReq(key, end string, prevKV bool) *pb.DeleteRangeRequest {
	r := &pb.DeleteRangeRequest{Key: []byte(key), PrevKv: prevKV}
	if end != "" {
		r.RangeEnd = []byte(end)
	}
	return r
}

func opRange(r *pb.RangeRequest) *pb.RequestOp {
	return &pb.RequestOp{Request: &pb.RequestOp_RequestRange{RequestRange: r}}
}
func opPut(r *pb.PutRequest) *pb.RequestOp {
	return &pb.RequestOp{Request: &pb.RequestOp_RequestPut{RequestPut: r}}
}
func opDel(r *pb.DeleteRangeRequest) *pb.RequestOp {
	return &pb.RequestOp{Request: &pb.RequestOp_RequestDeleteRange{RequestDeleteRange: r}}
}
func opTxn(r *pb.TxnRequest) *pb.RequestOp {
	return &pb.RequestOp{Request: &pb.RequestOp_RequestTxn{RequestTxn: r}}
}

// versionAbove0: a compare that holds for an existing key (end "" = the key alone).
func versionAbove0(key, end string) *pb.Compare {
	c := &pb.Compare{Key: []byte(key), Target: pb.Compare_VERSION, Result: pb.Compare_GREATER,
		TargetUnion: &pb.Compare_Version{Version: 0}}
	if end != "" {
		c.RangeEnd = []byte(end)
	}
	return c
}

func callRange(r *pb.RangeRequest) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := m.c.kv.Range(ctx, r)
		return outcome(err)
	}
}

func callPut(r *pb.PutRequest) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := m.c.kv.Put(ctx, r)
		return outcome(err)
	}
}

func callDel(r *pb.DeleteRangeRequest) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := m.c.kv.DeleteRange(ctx, r)
		return outcome(err)
	}
}

func callTxn(r *pb.TxnRequest) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := m.c.kv.Txn(ctx, r)
		return outcome(err)
	}
}

// callWatch: "ok" when the watch is created and not cancelled; "canceled(denied)" when the server
// answers created+canceled with watch ID -1 and etcd 3.4's reason for a permission refusal (the
// whole gRPC error text: "rpc error: code = PermissionDenied desc = etcdserver: permission
// denied"); "canceled(REASON)" for another reason with that shape; the raw answer otherwise.
func callWatch(key, end string) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		stream, err := m.c.watch.Watch(ctx)
		if err != nil {
			return outcome(err)
		}
		create := &pb.WatchCreateRequest{Key: []byte(key)}
		if end != "" {
			create.RangeEnd = []byte(end)
		}
		if err := stream.Send(&pb.WatchRequest{RequestUnion: &pb.WatchRequest_CreateRequest{CreateRequest: create}}); err != nil {
			return outcome(err)
		}
		type answer struct {
			resp *pb.WatchResponse
			err  error
		}
		answers := make(chan answer, 1)
		go func() { r, err := stream.Recv(); answers <- answer{r, err} }()
		select {
		case got := <-answers:
			if got.err != nil {
				return outcome(got.err)
			}
			r := got.resp
			switch {
			case r.Created && !r.Canceled:
				return "ok"
			case r.Created && r.Canceled && r.WatchId == -1 && r.CancelReason == watchDeniedReason:
				return "canceled(denied)"
			case r.Created && r.Canceled && r.WatchId == -1:
				return "canceled(" + r.CancelReason + ")"
			default:
				return fmt.Sprintf("created=%v canceled=%v id=%d reason=%q", r.Created, r.Canceled, r.WatchId, r.CancelReason)
			}
		case <-time.After(watchWait):
			return "no answer"
		}
	}
}

func probes() []probe {
	in := func(name string, run func(m *matrix, a as) string) probe { return probe{name: name, run: run} }
	authOp := func(name string, run func(m *matrix, a as) string) probe {
		return probe{name: name, run: run, mutatesAuth: true}
	}
	ps := []probe{
		// Range: the whole requested interval must be readable.
		in("range key in range", callRange(rangeReq("mx/b", ""))),
		in("range key granted as a key", callRange(rangeReq("mx/k", ""))),
		in("range key outside", callRange(rangeReq("mx/q", ""))),
		in("range key write-only", callRange(rangeReq("mx/wo", ""))),
		in("range exactly the granted range", callRange(rangeReq("mx/a", "mx/f"))),
		in("range inside the granted range", callRange(rangeReq("mx/b", "mx/c"))),
		in("range end beyond the granted range", callRange(rangeReq("mx/a", "mx/g"))),
		in("range start before the granted range", callRange(rangeReq("mx/0", "mx/c"))),
		in("range over two adjacent grants", callRange(rangeReq("mx/p1", "mx/p3"))),
		in("range prefix granted", callRange(rangeReq("mx/ro/", "mx/ro0"))),
		in("range prefix wider than granted", callRange(rangeReq("mx/", "mx0"))),
		in("range key under granted prefix", callRange(rangeReq("mx/ro/x", ""))),
		in("range key \\x00 under granted prefix", callRange(rangeReq("mx/ro/\x00", ""))),
		in("range key just before granted prefix", callRange(rangeReq("mx/ro", ""))),
		in("range key+\\x00 past a key grant", callRange(rangeReq("mx/k\x00", ""))),
		in("range [k, k+\\x00) of a key grant", callRange(rangeReq("mx/k", "mx/k\x00"))),
		in("range [k, k+\\x00\\x00) of a key grant", callRange(rangeReq("mx/k", "mx/k\x00\x00"))),
		in("range from-key granted (end \\x00)", callRange(rangeReq("mx/z", fromKeyEnd))),
		in("range from-key inside from-key grant", callRange(rangeReq("mx/zz", fromKeyEnd))),
		in("range from-key below the grant", callRange(rangeReq("mx/a", fromKeyEnd))),
		in("range all keys (\\x00, \\x00)", callRange(rangeReq("\x00", fromKeyEnd))),
		in("range end below key (empty interval)", callRange(rangeReq("mx/q", "mx/a"))),
		in("range count-only outside", callRange(&pb.RangeRequest{Key: []byte("mx/q"), CountOnly: true})),
		in("range serializable outside", callRange(&pb.RangeRequest{Key: []byte("mx/q"), Serializable: true})),
		in("range serializable granted", callRange(&pb.RangeRequest{Key: []byte("mx/b"), Serializable: true})),
		// Put
		in("put key in range", callPut(putReq("mx/b"))),
		in("put key granted as a key", callPut(putReq("mx/k"))),
		in("put write-only key", callPut(putReq("mx/wo"))),
		in("put read-only key", callPut(putReq("mx/ro/x"))),
		in("put key outside", callPut(putReq("mx/q"))),
		in("put key+\\x00 past a key grant", callPut(putReq("mx/k\x00"))),
		in("put prev_kv readwrite key", callPut(&pb.PutRequest{Key: []byte("mx/k"), Value: []byte("x"), PrevKv: true})),
		in("put prev_kv write-only key", callPut(&pb.PutRequest{Key: []byte("mx/wo"), Value: []byte("x"), PrevKv: true})),
		in("put with a lease holding a key not writable", func(m *matrix, a as) string {
			id := m.rootLease("mx/ro/leased-put")
			return callPut(&pb.PutRequest{Key: []byte("mx/k"), Value: []byte("x"), Lease: id})(m, a)
		}),
		in("put with a lease holding writable keys", func(m *matrix, a as) string {
			id := m.rootLease("mx/c")
			return callPut(&pb.PutRequest{Key: []byte("mx/k"), Value: []byte("x"), Lease: id})(m, a)
		}),
		// DeleteRange: write on all of it; prev_kv needs read on all of it as well.
		in("delete key in range", callDel(delReq("mx/b", "", false))),
		in("delete granted range", callDel(delReq("mx/a", "mx/f", false))),
		in("delete range end beyond", callDel(delReq("mx/a", "mx/g", false))),
		in("delete write-only key", callDel(delReq("mx/wo", "", false))),
		in("delete write-only key prev_kv", callDel(delReq("mx/wo", "", true))),
		in("delete readwrite range prev_kv", callDel(delReq("mx/a", "mx/f", true))),
		in("delete read-only prefix", callDel(delReq("mx/ro/", "mx/ro0", false))),
		in("delete from-key below the grant", callDel(delReq("mx/a", fromKeyEnd, false))),
		in("delete from-key read-only grant", callDel(delReq("mx/z", fromKeyEnd, false))),
		// Txn: compares need read; every op of both branches is checked, whichever runs.
		in("txn compare+put granted", callTxn(&pb.TxnRequest{Compare: []*pb.Compare{versionAbove0("mx/k", "")},
			Success: []*pb.RequestOp{opPut(putReq("mx/k"))}})),
		in("txn compare on write-only key", callTxn(&pb.TxnRequest{Compare: []*pb.Compare{versionAbove0("mx/wo", "")}})),
		in("txn compare with range end beyond", callTxn(&pb.TxnRequest{Compare: []*pb.Compare{versionAbove0("mx/b", "mx/z")}})),
		in("txn forbidden put in failure branch (not taken)", callTxn(&pb.TxnRequest{Compare: []*pb.Compare{versionAbove0("mx/k", "")},
			Success: []*pb.RequestOp{opPut(putReq("mx/k"))}, Failure: []*pb.RequestOp{opPut(putReq("mx/ro/x"))}})),
		in("txn forbidden range in success branch (not taken)", callTxn(&pb.TxnRequest{
			Compare: []*pb.Compare{{Key: []byte("mx/k"), Target: pb.Compare_VERSION, Result: pb.Compare_LESS, TargetUnion: &pb.Compare_Version{Version: 0}}},
			Success: []*pb.RequestOp{opRange(rangeReq("mx/q", ""))}, Failure: []*pb.RequestOp{opRange(rangeReq("mx/k", ""))}})),
		in("txn read-only with granted range", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opRange(rangeReq("mx/a", "mx/f"))}})),
		in("txn read-only with range end beyond", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opRange(rangeReq("mx/a", "mx/g"))}})),
		in("txn put prev_kv write-only key", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opPut(
			&pb.PutRequest{Key: []byte("mx/wo"), Value: []byte("x"), PrevKv: true})}})),
		in("txn put with a lease holding a key not writable", func(m *matrix, a as) string {
			id := m.rootLease("mx/ro/leased-txn")
			return callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opPut(
				&pb.PutRequest{Key: []byte("mx/k"), Value: []byte("x"), Lease: id})}})(m, a)
		}),
		in("txn delete prev_kv write-only key", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opDel(delReq("mx/wo", "", true))}})),
		in("txn nested txn all granted", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opTxn(&pb.TxnRequest{
			Success: []*pb.RequestOp{opPut(putReq("mx/k")), opRange(rangeReq("mx/b", ""))}})}})),
		in("txn nested put outside permission", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opTxn(&pb.TxnRequest{
			Success: []*pb.RequestOp{opPut(putReq("mx/q"))}})}})),
		in("txn nested range outside permission", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opTxn(&pb.TxnRequest{
			Success: []*pb.RequestOp{opRange(rangeReq("mx/q", ""))}})}})),
		in("txn nested delete outside permission", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opTxn(&pb.TxnRequest{
			Success: []*pb.RequestOp{opDel(delReq("mx/q", "", false))}})}})),
		in("txn nested compare outside permission", callTxn(&pb.TxnRequest{Success: []*pb.RequestOp{opTxn(&pb.TxnRequest{
			Compare: []*pb.Compare{versionAbove0("mx/q", "")}})}})),
		// Compaction
		in("compact", func(m *matrix, a as) string {
			rev := m.rootRevision()
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.kv.Compact(ctx, &pb.CompactionRequest{Revision: rev})
			return outcome(err)
		}),
		// Watch: creating one needs read on its whole range.
		in("watch key granted", callWatch("mx/k", "")),
		in("watch key outside", callWatch("mx/q", "")),
		in("watch write-only key", callWatch("mx/wo", "")),
		in("watch granted range", callWatch("mx/a", "mx/f")),
		in("watch range end beyond", callWatch("mx/a", "mx/g")),
		in("watch granted prefix", callWatch("mx/ro/", "mx/ro0")),
		in("watch from-key granted (end \\x00)", callWatch("mx/z", fromKeyEnd)),
		in("watch from-key at a key grant (end \\x00)", callWatch("mx/k", fromKeyEnd)),
		in("watch from-key at a range grant (end \\x00)", callWatch("mx/b", fromKeyEnd)),
		// Leases
		in("lease grant", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.lease.LeaseGrant(ctx, &pb.LeaseGrantRequest{TTL: leaseTTL})
			return outcome(err)
		}),
		in("lease revoke, no keys", leaseRevoke()),
		in("lease revoke, writable keys", leaseRevoke("mx/d", "mx/k")),
		in("lease revoke, a key not writable", leaseRevoke("mx/d2", "mx/ro/leased")),
		in("lease timetolive with keys", func(m *matrix, a as) string {
			id := m.rootLease("mx/ro/ttl")
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.lease.LeaseTimeToLive(ctx, &pb.LeaseTimeToLiveRequest{ID: id, Keys: true})
			return outcome(err)
		}),
		in("lease leases", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.lease.LeaseLeases(ctx, &pb.LeaseLeasesRequest{})
			return outcome(err)
		}),
		in("lease keepalive", func(m *matrix, a as) string {
			id := m.rootLease()
			ctx, cancel := a.ctx()
			defer cancel()
			stream, err := m.c.lease.LeaseKeepAlive(ctx)
			if err != nil {
				return outcome(err)
			}
			if err := stream.Send(&pb.LeaseKeepAliveRequest{ID: id}); err != nil {
				return outcome(err)
			}
			resp, err := stream.Recv()
			if err == nil && resp.TTL <= 0 {
				return fmt.Sprintf("ttl %d", resp.TTL)
			}
			return outcome(err)
		}),
		// Maintenance and cluster
		in("status", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.Status(ctx, &pb.StatusRequest{})
			return outcome(err)
		}),
		in("alarm get", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.Alarm(ctx, &pb.AlarmRequest{Action: pb.AlarmRequest_GET})
			return outcome(err)
		}),
		in("defragment", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.Defragment(ctx, &pb.DefragmentRequest{})
			return outcome(err)
		}),
		in("hash", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.Hash(ctx, &pb.HashRequest{})
			return outcome(err)
		}),
		in("hashkv", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.HashKV(ctx, &pb.HashKVRequest{})
			return outcome(err)
		}),
		in("snapshot", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			stream, err := m.c.maint.Snapshot(ctx, &pb.SnapshotRequest{})
			if err != nil {
				return outcome(err)
			}
			for {
				if _, err := stream.Recv(); err != nil {
					if err == io.EOF {
						return "ok"
					}
					return outcome(err)
				}
			}
		}),
		in("move leader to an unknown member", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.maint.MoveLeader(ctx, &pb.MoveLeaderRequest{TargetID: unknownMember})
			return outcome(err)
		}),
		in("member list", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.cluster.MemberList(ctx, &pb.MemberListRequest{})
			return outcome(err)
		}),
		in("member add learner (root removes it)", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			resp, err := m.c.cluster.MemberAdd(ctx, &pb.MemberAddRequest{PeerURLs: []string{"http://127.0.0.1:45649"}, IsLearner: true})
			if err == nil && resp.Member != nil {
				rctx, rcancel := m.root.ctx()
				defer rcancel()
				if _, rerr := m.c.cluster.MemberRemove(rctx, &pb.MemberRemoveRequest{ID: resp.Member.ID}); rerr != nil {
					return "ok, but root could not remove it: " + outcome(rerr)
				}
			}
			return outcome(err)
		}),
		in("member remove unknown", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.cluster.MemberRemove(ctx, &pb.MemberRemoveRequest{ID: unknownMember})
			return outcome(err)
		}),
		in("member update unknown", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.cluster.MemberUpdate(ctx, &pb.MemberUpdateRequest{ID: unknownMember, PeerURLs: []string{"http://127.0.0.1:45648"}})
			return outcome(err)
		}),
		in("member promote unknown", func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := m.c.cluster.MemberPromote(ctx, &pb.MemberPromoteRequest{ID: unknownMember})
			return outcome(err)
		}),
	}
	// Auth: admin only, except a user reading itself and the roles it holds.
	auth := func(f func(ctx context.Context, c pb.AuthClient, a as) error) func(m *matrix, a as) string {
		return func(m *matrix, a as) string {
			ctx, cancel := a.ctx()
			defer cancel()
			return outcome(f(ctx, m.c.auth, a))
		}
	}
	ps = append(ps,
		in("auth enable (already enabled)", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.AuthEnable(ctx, &pb.AuthEnableRequest{})
			return err
		})),
		probe{name: "auth disable (root not run)", rootSkipped: true, run: auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.AuthDisable(ctx, &pb.AuthDisableRequest{})
			return err
		})},
		authOp("user add", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserAdd(ctx, &pb.AuthUserAddRequest{Name: "mx-new-" + a.name, Password: matrixPass})
			return err
		})),
		in("user get self", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			name := map[string]string{"anon": "", "none": noneName, "user": userName, "root": "root"}[a.name]
			_, err := c.UserGet(ctx, &pb.AuthUserGetRequest{Name: name})
			return err
		})),
		in("user get another user", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserGet(ctx, &pb.AuthUserGetRequest{Name: "mx-new-root"})
			return err
		})),
		in("user get unknown", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserGet(ctx, &pb.AuthUserGetRequest{Name: "mx-nobody"})
			return err
		})),
		in("user list", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserList(ctx, &pb.AuthUserListRequest{})
			return err
		})),
		authOp("user change password of mx-new-root", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserChangePassword(ctx, &pb.AuthUserChangePasswordRequest{Name: "mx-new-root", Password: matrixPass + "2"})
			return err
		})),
		authOp("user grant role", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserGrantRole(ctx, &pb.AuthUserGrantRoleRequest{User: "mx-new-root", Role: otherRoleName})
			return err
		})),
		authOp("user revoke role", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserRevokeRole(ctx, &pb.AuthUserRevokeRoleRequest{Name: "mx-new-root", Role: otherRoleName})
			return err
		})),
		authOp("user delete", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.UserDelete(ctx, &pb.AuthUserDeleteRequest{Name: "mx-new-root"})
			return err
		})),
		authOp("role add", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleAdd(ctx, &pb.AuthRoleAddRequest{Name: "mx-role-" + a.name})
			return err
		})),
		in("role get own role", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleGet(ctx, &pb.AuthRoleGetRequest{Role: roleName})
			return err
		})),
		in("role get a role not held", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleGet(ctx, &pb.AuthRoleGetRequest{Role: otherRoleName})
			return err
		})),
		in("role list", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleList(ctx, &pb.AuthRoleListRequest{})
			return err
		})),
		authOp("role grant permission", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleGrantPermission(ctx, &pb.AuthRoleGrantPermissionRequest{Name: otherRoleName,
				Perm: &authpb.Permission{PermType: authpb.READ, Key: []byte("mx/other")}})
			return err
		})),
		authOp("role revoke permission", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleRevokePermission(ctx, &pb.AuthRoleRevokePermissionRequest{Role: otherRoleName, Key: []byte("mx/other")})
			return err
		})),
		authOp("role delete", auth(func(ctx context.Context, c pb.AuthClient, a as) error {
			_, err := c.RoleDelete(ctx, &pb.AuthRoleDeleteRequest{Role: "mx-role-root"})
			return err
		})),
	)
	return ps
}

// leaseRevoke: root grants a lease with KEYS attached; the caller revokes it.
func leaseRevoke(keys ...string) func(m *matrix, a as) string {
	return func(m *matrix, a as) string {
		id := m.rootLease(keys...)
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := m.c.lease.LeaseRevoke(ctx, &pb.LeaseRevokeRequest{ID: id})
		return outcome(err)
	}
}

// compare prints the table (with a mark on every cell that differs) and returns the exit status.
func compare(w io.Writer, got map[string][]string, reportBypasses bool) int {
	expected := expectedTable()
	fmt.Fprintf(w, "%-52s | %s\n", "probe", strings.Join(callerNames, " | "))
	status := exitOK
	for _, p := range probes() {
		row := got[p.name]
		want, known := expected[p.name]
		marks := make([]string, len(row))
		for i, cell := range row {
			marks[i] = cell
			if !known {
				marks[i] += " (NEW: not in the table)"
				status = exitViolation
				continue
			}
			if cell == want[i] {
				continue
			}
			key := p.name + "/" + callerNames[i]
			if etcdAnswer, isBypass := knownBypasses[key]; isBypass && reportBypasses && cell == etcdAnswer {
				marks[i] += " (KNOWN BYPASS in etcd 3.4.23: must be " + want[i] + ")"
				continue
			}
			marks[i] += " (EXPECTED " + want[i] + ")"
			status = exitViolation
		}
		fmt.Fprintf(w, "%-52s | %s\n", p.name, strings.Join(marks, " | "))
	}
	if status == exitOK {
		fmt.Fprintln(w, "matrix: every answer as expected")
	} else {
		fmt.Fprintln(w, "matrix: MISMATCH (see the cells marked EXPECTED or NEW)")
	}
	return status
}
