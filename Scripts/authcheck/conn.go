package main

// Raw connections: one gRPC connection per run, a token per user put into the outgoing metadata
// by hand (etcd's key is "token"), and answers reduced to one comparable word or text.

import (
	"context"
	"fmt"
	"strings"
	"time"

	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const (
	dialTimeout = 3 * time.Second
	rpcTimeout  = 5 * time.Second
	tokenKey    = "token" // the metadata key etcd reads the auth token from

	permissionDeniedText = "etcdserver: permission denied"
	// etcd 3.4 puts the whole gRPC error text into a refused watch's cancel_reason.
	watchDeniedReason = "rpc error: code = PermissionDenied desc = etcdserver: permission denied"
)

type conn struct {
	cc      *grpc.ClientConn
	kv      pb.KVClient
	watch   pb.WatchClient
	lease   pb.LeaseClient
	cluster pb.ClusterClient
	maint   pb.MaintenanceClient
	auth    pb.AuthClient
}

func dial(endpoint string) (*conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	cc, err := grpc.DialContext(ctx, endpoint, grpc.WithInsecure(), grpc.WithBlock())
	if err != nil {
		return nil, fmt.Errorf("dial %s: %v", endpoint, err)
	}
	return &conn{cc: cc, kv: pb.NewKVClient(cc), watch: pb.NewWatchClient(cc), lease: pb.NewLeaseClient(cc),
		cluster: pb.NewClusterClient(cc), maint: pb.NewMaintenanceClient(cc), auth: pb.NewAuthClient(cc)}, nil
}

// as is a caller: a name for the table and the token it sends ("" sends none).
type as struct {
	name  string
	token string
}

func (c *conn) authenticate(name, password string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	defer cancel()
	resp, err := c.auth.Authenticate(ctx, &pb.AuthenticateRequest{Name: name, Password: password})
	if err != nil {
		return "", err
	}
	return resp.Token, nil
}

// ctx: a bounded context carrying the caller's token.
func (a as) ctx() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
	if a.token != "" {
		ctx = metadata.NewOutgoingContext(ctx, metadata.Pairs(tokenKey, a.token))
	}
	return ctx, cancel
}

// outcome: "ok", "denied" (PermissionDenied with etcd's text), or "<Code>: <message>".
func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	s, isStatus := status.FromError(err)
	if !isStatus {
		return "error: " + err.Error()
	}
	if s.Code().String() == "PermissionDenied" && s.Message() == permissionDeniedText {
		return "denied"
	}
	return s.Code().String() + ": " + s.Message()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " | ") }
