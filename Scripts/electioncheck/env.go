package main

// What every scenario works with: the stubs on a plain gRPC connection (no clientv3 retry
// interceptors between the scenario and the server), clientv3 for leases and reads, the
// transcript, and bounded waits.

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/etcdserver/api/v3election/v3electionpb"
	"go.etcd.io/etcd/etcdserver/api/v3lock/v3lockpb"
	"go.uber.org/zap"
	"google.golang.org/grpc"
)

const (
	dialTimeout = 3 * time.Second
	rpcTimeout  = 10 * time.Second // one call that should answer at once
	waitMax     = 15 * time.Second // a waiter that should be let through, or keys that should appear
	pollPause   = 50 * time.Millisecond
	// A deadline a lock waiter is given and runs out of (no verdict rests on when).
	waiterDeadline = 1 * time.Second
)

type env struct {
	t     *Transcript
	cli   *clientv3.Client
	lock  v3lockpb.LockClient
	elect v3electionpb.ElectionClient
	name  string // the scenario's name, used as its lock or election name
}

func runScenario(endpoint, name string, run func(*env) error) error {
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet})
	if err != nil {
		return err
	}
	defer cli.Close()
	dctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	conn, err := grpc.DialContext(dctx, endpoint, grpc.WithInsecure(), grpc.WithBlock())
	cancel()
	if err != nil {
		return fmt.Errorf("dial %s: %v", endpoint, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	start, err := cli.Get(ctx, "electioncheck-start")
	cancel()
	if err != nil {
		return fmt.Errorf("starting revision: %v", err)
	}
	e := &env{t: NewTranscript(start.Header.Revision), cli: cli, lock: v3lockpb.NewLockClient(conn),
		elect: v3electionpb.NewElectionClient(conn), name: name}
	err = run(e)
	os.Stdout.WriteString(e.t.String())
	return err
}

func callCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), rpcTimeout)
}

// grant a lease of ttl seconds, labelled in the transcript.
func (e *env) grant(ttl int64) (int64, error) {
	ctx, cancel := callCtx()
	defer cancel()
	resp, err := e.cli.Grant(ctx, ttl)
	if err != nil {
		return 0, fmt.Errorf("grant: %v", err)
	}
	e.t.Granted(int64(resp.ID))
	return int64(resp.ID), nil
}

// keys prints every key under the scenario's prefix, oldest first.
func (e *env) keys() {
	resp, err := e.prefix()
	if err != nil {
		e.t.Printf("keys: %s", Err(err))
		return
	}
	e.t.Printf("keys under %q: %d", e.name+"/", len(resp.Kvs))
	for _, kv := range resp.Kvs {
		e.t.Printf("  %s", e.t.KV(kv))
	}
}

func (e *env) prefix() (*clientv3.GetResponse, error) {
	ctx, cancel := callCtx()
	defer cancel()
	return e.cli.Get(ctx, e.name+"/", clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByCreateRevision, clientv3.SortAscend))
}

// awaitKeys polls until exactly n keys are under the prefix (bounded); says so if they never are.
func (e *env) awaitKeys(n int) bool {
	deadline := time.Now().Add(waitMax)
	for {
		resp, err := e.prefix()
		if err == nil && len(resp.Kvs) == n {
			return true
		}
		if time.Now().After(deadline) {
			e.t.Printf("gave up waiting for %d keys under %q", n, e.name+"/")
			return false
		}
		time.Sleep(pollPause)
	}
}

// pending is a call running in the background; its answer is printed by the scenario, in the
// scenario's order, when it looks.
type pending struct {
	who    string
	done   chan struct{}
	result string
	cancel context.CancelFunc
}

// async starts call with a context the scenario may cancel.
func (e *env) async(who string, call func(ctx context.Context) string) *pending {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pending{who: who, done: make(chan struct{}), cancel: cancel}
	go func() {
		p.result = call(ctx)
		close(p.done)
	}()
	return p
}

// still prints whether p is still waiting, without waiting for it.
func (e *env) still(p *pending) {
	select {
	case <-p.done:
		e.t.Printf("%s answered too early: %s", p.who, p.result)
	default:
		e.t.Printf("%s still waiting", p.who)
	}
}

// await waits (bounded) for p's answer and prints it.
func (e *env) await(p *pending) {
	select {
	case <-p.done:
		e.t.Printf("%s: %s", p.who, p.result)
	case <-time.After(waitMax):
		e.t.Printf("%s: no answer", p.who)
	}
	p.cancel()
}

// observer reads an Observe stream in the background.
type observer struct {
	cancel context.CancelFunc
	msgs   chan string
}

func (e *env) observe() (*observer, error) {
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := e.elect.Observe(ctx, &v3electionpb.LeaderRequest{Name: []byte(e.name)})
	if err != nil {
		cancel()
		return nil, fmt.Errorf("observe: %v", err)
	}
	o := &observer{cancel: cancel, msgs: make(chan string, 64)}
	go func() {
		defer close(o.msgs)
		for {
			resp, err := stream.Recv()
			if err == io.EOF {
				o.msgs <- "ended: OK"
				return
			}
			if err != nil {
				if ctx.Err() == nil {
					o.msgs <- "ended: " + Err(err)
				}
				return
			}
			o.msgs <- e.t.Header(resp.Header) + " " + e.t.KV(resp.Kv)
		}
	}()
	return o, nil
}

// next prints the stream's next message (bounded wait).
func (e *env) next(o *observer) {
	select {
	case msg, ok := <-o.msgs:
		if !ok {
			msg = "closed"
		}
		e.t.Printf("observe: %s", msg)
	case <-time.After(waitMax):
		e.t.Printf("observe: nothing")
	}
}

// newAuthEnv: the same scenario as user (a token on every call of its own connection).
func newAuthEnv(e *env, user, password string) (*env, error) {
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	endpoint := e.cli.Endpoints()[0]
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet,
		Username: user, Password: password})
	if err != nil {
		return nil, fmt.Errorf("connect as %s: %v", user, err)
	}
	conn := cli.ActiveConnection()
	return &env{t: e.t, cli: cli, lock: v3lockpb.NewLockClient(conn), elect: v3electionpb.NewElectionClient(conn), name: e.name}, nil
}

func (e *env) close() { e.cli.Close() }

// disableAuth undoes authDenied's setup as root, so later scenarios run without auth.
func disableAuth(e *env) {
	root, err := newAuthEnv(e, "root", "rootpw")
	if err != nil {
		e.t.Printf("auth teardown: %v", err)
		return
	}
	defer root.close()
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	if _, err := root.cli.AuthDisable(ctx); err != nil {
		e.t.Printf("auth teardown: %v", err)
		return
	}
	e.cli.UserDelete(ctx, "u")
	e.cli.UserDelete(ctx, "root")
	e.cli.RoleDelete(ctx, "elsewhere")
}
