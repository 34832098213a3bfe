package main

// The apiserver's storage health check (a read of one key) and Status of every endpoint, every
// few seconds: every member names the same leader, and a member's revision and raft index never
// go back.

import (
	"time"
)

func (r *run) health() {
	lastRev := map[string]int64{}
	lastIndex := map[string]uint64{}
	for !r.over() {
		ctx, cancel := r.rpcContext()
		start := time.Now()
		_, err := r.client.Get(ctx, r.cfg.prefix+"health")
		r.stats.Observe("health", time.Since(start))
		if err != nil {
			r.noteWriteError("health", err)
		}
		leaders := map[uint64]string{}
		for _, ep := range r.cfg.endpoints {
			start := time.Now()
			st, err := r.client.Status(ctx, ep)
			r.stats.Observe("status", time.Since(start))
			if err != nil {
				r.noteWriteError("status", err)
				continue
			}
			if st.Leader == 0 {
				r.violation("status of %s: no leader", ep)
			}
			leaders[st.Leader] = ep
			if st.Header.Revision < lastRev[ep] || st.RaftIndex < lastIndex[ep] {
				r.violation("status of %s went back: revision %d after %d, raft index %d after %d", ep, st.Header.Revision, lastRev[ep], st.RaftIndex, lastIndex[ep])
			}
			lastRev[ep], lastIndex[ep] = st.Header.Revision, st.RaftIndex
			r.check("status")
		}
		cancel()
		if len(leaders) > 1 {
			r.violation("members name different leaders (no election was provoked): %v", leaders)
		}
		wake := time.Now().Add(r.cfg.healthInterval)
		for time.Now().Before(wake) && !r.over() {
			time.Sleep(50 * time.Millisecond)
		}
	}
}
