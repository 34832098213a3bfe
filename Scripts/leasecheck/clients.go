package main

// Clients: one over every endpoint (clientv3 fails over between them by itself) and one pinned to
// each member, for reads that must come from that member.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	"go.uber.org/zap"
)

const (
	dialTimeout = 2 * time.Second
	rpcTimeout  = 5 * time.Second
	// A member just restarted or mid-election may refuse a barrier for a while: retried this long.
	barrierRetryMax = 20 * time.Second
	retryPause      = 200 * time.Millisecond
)

func splitEndpoints(list string) []string {
	var out []string
	for _, e := range strings.Split(list, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func newClient(endpoints []string) (*clientv3.Client, error) {
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	return clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: dialTimeout, LogConfig: &quiet})
}

// memberClients: one client per endpoint, in the order given.
func memberClients(endpoints []string) ([]*clientv3.Client, error) {
	var out []*clientv3.Client
	for _, e := range endpoints {
		c, err := newClient([]string{e})
		if err != nil {
			closeAll(out)
			return nil, fmt.Errorf("connect %s: %v", e, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func closeAll(cs []*clientv3.Client) {
	for _, c := range cs {
		c.Close()
	}
}

func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xff {
			b[i]++
			return string(b[:i+1])
		}
	}
	return "\x00"
}

// barrier makes the member's later serializable reads see every write acknowledged before it: a
// linearizable read through that member waits until the member has applied up to the cluster's
// commit index. Returns the revision it read at.
func barrier(c *clientv3.Client, key string) (int64, error) {
	deadline := time.Now().Add(barrierRetryMax)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
		resp, err := c.Get(ctx, key, clientv3.WithCountOnly())
		cancel()
		if err == nil {
			return resp.Header.Revision, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("linearizable barrier via %s: %v", c.Endpoints()[0], err)
		}
		time.Sleep(retryPause)
	}
}

// keysOn: every key under the prefix as the member itself holds it (serializable), with its lease.
func keysOn(c *clientv3.Client, prefix string, rev int64) (map[string]clientv3.LeaseID, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	options := []clientv3.OpOption{clientv3.WithPrefix(), clientv3.WithSerializable(), clientv3.WithKeysOnly()}
	if rev > 0 {
		options = append(options, clientv3.WithRev(rev))
	}
	resp, err := c.Get(ctx, prefix, options...)
	if err != nil {
		return nil, fmt.Errorf("serializable get %q via %s: %v", prefix, c.Endpoints()[0], err)
	}
	out := make(map[string]clientv3.LeaseID, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		out[string(kv.Key)] = clientv3.LeaseID(kv.Lease)
	}
	return out, nil
}

// leasesOn: the leases the member lists itself (LeaseLeases is answered from the member's own
// lessor, not forwarded to the leader).
func leasesOn(c *clientv3.Client) (map[clientv3.LeaseID]bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	resp, err := c.Leases(ctx)
	if err != nil {
		return nil, fmt.Errorf("lease list via %s: %v", c.Endpoints()[0], err)
	}
	out := make(map[clientv3.LeaseID]bool, len(resp.Leases))
	for _, l := range resp.Leases {
		out[l.ID] = true
	}
	return out, nil
}
