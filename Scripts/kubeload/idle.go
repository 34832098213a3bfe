package main

// A watch on a prefix nobody writes, on a stream of its own that never asks for progress: with
// the server's --experimental-watch-progress-notify-interval set, its only messages are the
// periodic progress notifications (what tells an idle apiserver watch cache it is still current).

import (
	"context"

	"go.etcd.io/etcd/clientv3"
)

type idleWatch struct {
	notifications int
	lastRev       int64
}

// startIdleWatch: the metadata of a context without WithRequireLeader differs from the other
// watches', so clientv3 opens a separate stream for it.
func (r *run) startIdleWatch(ctx context.Context, done chan<- idleWatch) {
	prefix := r.cfg.prefix + "idle/"
	ch := r.client.Watch(ctx, prefix, clientv3.WithPrefix(), clientv3.WithProgressNotify())
	go func() {
		var w idleWatch
		for resp := range ch {
			switch {
			case resp.Err() != nil:
				if ctx.Err() == nil {
					r.violation("idle watch %s ended: %v", prefix, resp.Err())
				}
			case len(resp.Events) > 0:
				r.violation("idle watch %s: %d events on a prefix nobody writes", prefix, len(resp.Events))
			case resp.IsProgressNotify():
				if resp.Header.Revision < w.lastRev {
					r.violation("idle watch %s: periodic progress at %d after one at %d", prefix, resp.Header.Revision, w.lastRev)
				}
				w.notifications++
				w.lastRev = resp.Header.Revision
			}
		}
		done <- w
	}()
}
