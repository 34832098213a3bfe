package main

// Watch checks: a watch from a past revision with prev_kv replays history in order; a progress
// request is answered on a watch channel.

import (
	"context"
	"fmt"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"go.uber.org/zap"
	"google.golang.org/grpc/connectivity"
)

type wantEvent struct {
	typ     mvccpb.Event_EventType
	key     string
	value   string
	prevVal string // "" means no prev_kv expected
}

func checkWatch(ctx context.Context, e *env) error {
	p := e.prefix + "w/"
	start, err := e.client.Put(ctx, p+"a", "1")
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error { _, err := e.client.Put(ctx, p+"a", "2"); return err },
		func() error { _, err := e.client.Put(ctx, p+"b", "1"); return err },
		func() error { _, err := e.client.Delete(ctx, p+"a"); return err },
		func() error { _, err := e.client.Put(ctx, e.prefix+"w-outside", "x"); return err },
		func() error { _, err := e.client.Put(ctx, p+"b", "2"); return err },
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	want := []wantEvent{
		{mvccpb.PUT, p + "a", "1", ""},
		{mvccpb.PUT, p + "a", "2", "1"},
		{mvccpb.PUT, p + "b", "1", ""},
		{mvccpb.DELETE, p + "a", "", "2"},
		{mvccpb.PUT, p + "b", "2", "1"},
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := e.client.Watch(wctx, p, clientv3.WithPrefix(), clientv3.WithRev(start.Header.Revision), clientv3.WithPrevKV())
	var got []*clientv3.Event
	lastRev := int64(0)
	for len(got) < len(want) {
		resp, ok := <-ch
		if !ok {
			return fmt.Errorf("watch closed after %d of %d events (ctx err %v)", len(got), len(want), ctx.Err())
		}
		if err := resp.Err(); err != nil {
			return fmt.Errorf("watch: %v", err)
		}
		for _, ev := range resp.Events {
			if ev.Kv.ModRevision <= lastRev {
				return fmt.Errorf("watch event revisions not increasing: %d after %d", ev.Kv.ModRevision, lastRev)
			}
			lastRev = ev.Kv.ModRevision
			got = append(got, ev)
		}
	}
	if len(got) != len(want) {
		return fmt.Errorf("watch: want %d events, got %d", len(want), len(got))
	}
	for i, w := range want {
		g := got[i]
		if g.Type != w.typ || string(g.Kv.Key) != w.key || string(g.Kv.Value) != w.value {
			return fmt.Errorf("event %d: want %v %s=%q, got %v %s=%q", i, w.typ, w.key, w.value, g.Type, g.Kv.Key, g.Kv.Value)
		}
		if w.prevVal == "" && g.PrevKv != nil {
			return fmt.Errorf("event %d (%s): want no prev_kv, got %v", i, w.key, g.PrevKv)
		}
		if w.prevVal != "" && (g.PrevKv == nil || string(g.PrevKv.Value) != w.prevVal) {
			return fmt.Errorf("event %d (%s): want prev_kv value %q, got %v", i, w.key, w.prevVal, g.PrevKv)
		}
	}
	if got[0].Kv.ModRevision != start.Header.Revision {
		return fmt.Errorf("first event at %d, want the start revision %d", got[0].Kv.ModRevision, start.Header.Revision)
	}
	return nil
}

func checkWatchProgress(ctx context.Context, e *env) error {
	p := e.prefix + "wp/"
	put, err := e.client.Put(ctx, e.prefix+"wp-outside", "x")
	if err != nil {
		return err
	}
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	ch := e.client.Watch(wctx, p, clientv3.WithPrefix(), clientv3.WithProgressNotify(), clientv3.WithCreatedNotify())
	created := <-ch
	if !created.Created {
		return fmt.Errorf("with created notify: want a created response first, got %+v", created)
	}
	if err := e.client.RequestProgress(wctx); err != nil {
		return fmt.Errorf("request progress: %v", err)
	}
	resp, ok := <-ch
	if !ok {
		return fmt.Errorf("watch closed before the progress notification")
	}
	if !resp.IsProgressNotify() {
		return fmt.Errorf("after RequestProgress: want a progress notification (no events), got %+v", resp)
	}
	if resp.Header.Revision < put.Header.Revision {
		return fmt.Errorf("progress notification at revision %d, before the last write %d", resp.Header.Revision, put.Header.Revision)
	}
	return nil
}

// Client keep-alive pings (kube-apiserver dials with a 30 s keep-alive time; 10 s here, grpc-go's
// minimum, above etcd's 5 s --grpc-keepalive-min-time so no ping counts against the client): a
// watch held across a ping still delivers, and the connection still answers. A server that did
// not answer the ping within 2 s would have the client drop the connection and the watch.
const (
	pingEvery = 10 * time.Second
	pingHold  = 13 * time.Second // one ping
)

func checkKeepAlivePings(ctx context.Context, e *env) error {
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{e.endpoint}, DialTimeout: dialTimeout,
		DialKeepAliveTime: pingEvery, DialKeepAliveTimeout: 2 * time.Second, LogConfig: &quiet})
	if err != nil {
		return err
	}
	defer c.Close()
	key := e.prefix + "ping/k"
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := c.Watch(wctx, key, clientv3.WithCreatedNotify())
	if created := <-ch; !created.Created {
		return fmt.Errorf("want the created response first, got %+v", created)
	}
	// clientv3 would reconnect and resume the watch silently, so the connection itself is
	// watched: it must stay READY across the ping.
	conn := c.ActiveConnection()
	if state := conn.GetState(); state != connectivity.Ready {
		return fmt.Errorf("connection %v right after the watch was created", state)
	}
	hold, release := context.WithTimeout(ctx, pingHold)
	changed := conn.WaitForStateChange(hold, connectivity.Ready)
	release()
	if changed {
		return fmt.Errorf("connection left READY (now %v) within %v of keep-alive pings every %v", conn.GetState(), pingHold, pingEvery)
	}
	select {
	case resp := <-ch:
		return fmt.Errorf("watch answered %+v (err %v) while idle", resp, resp.Err())
	default:
	}
	put, err := c.Put(ctx, key, "after-pings")
	if err != nil {
		return fmt.Errorf("put after %v of pings: %v", pingHold, err)
	}
	select {
	case resp := <-ch:
		if len(resp.Events) != 1 || resp.Events[0].Kv.ModRevision != put.Header.Revision {
			return fmt.Errorf("watch after %v of pings: want the put at %d, got %+v (err %v)", pingHold, put.Header.Revision, resp, resp.Err())
		}
	case <-time.After(5 * time.Second):
		return fmt.Errorf("watch held across pings did not deliver the put at %d", put.Header.Revision)
	}
	return nil
}
