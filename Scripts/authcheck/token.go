package main

// Token behaviour with etcd's default simple tokens. Each check prints one line:
//
//	check NAME ok: ANSWER
//	check NAME FAIL: expected WANT, got ANSWER
//
// where ANSWER is outcome()'s word or text. The expected answers are etcd 3.4.23's.

import (
	"flag"
	"fmt"
	"regexp"

	"go.etcd.io/etcd/auth/authpb"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
)

const (
	tokenUser      = "tk-user"
	tokenRole      = "tk-role"
	tokenPass      = "tk-Pw-93c2"
	tokenKey1      = "tk/a"
	otherRoleName2 = "tk-other"
)

// etcd's simple token: 16 random letters, a dot, and the raft index it was issued at.
var simpleTokenShape = regexp.MustCompile(`^[a-zA-Z]{16}\.[0-9]+$`)

func tokenCommand(args []string) int {
	fs := flag.NewFlagSet("token", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "one member's client address")
	rootPW := fs.String("root-password", "", "root's password")
	fs.Parse(args)
	c, err := dial(*endpoint)
	if err != nil {
		return harness("%v", err)
	}
	defer c.cc.Close()
	status := exitOK
	check := func(name, want, got string) {
		if want == got {
			fmt.Printf("check %s ok: %s\n", name, got)
		} else {
			fmt.Printf("check %s FAIL: expected %s, got %s\n", name, want, oneLine(got))
			status = exitViolation
		}
	}
	rootLogin := func() (as, error) {
		t, err := c.authenticate("root", *rootPW)
		return as{"root", t}, err
	}
	root, err := rootLogin()
	if err != nil {
		return harness("authenticate root: %v", err)
	}
	rootDo := func(what string, f func(a as) error) bool {
		if err := f(root); err != nil {
			fmt.Printf("check setup FAIL: %s: %s\n", what, outcome(err))
			status = exitViolation
			return false
		}
		return true
	}
	grant := func(role, key string) func(a as) error {
		return func(a as) error {
			ctx, cancel := a.ctx()
			defer cancel()
			_, err := c.auth.RoleGrantPermission(ctx, &pb.AuthRoleGrantPermissionRequest{Name: role,
				Perm: &authpb.Permission{PermType: authpb.READWRITE, Key: []byte(key)}})
			return err
		}
	}
	ok := rootDo("role add", func(a as) error {
		ctx, cancel := a.ctx()
		defer cancel()
		if _, err := c.auth.RoleAdd(ctx, &pb.AuthRoleAddRequest{Name: tokenRole}); err != nil {
			return err
		}
		if _, err := c.auth.RoleAdd(ctx, &pb.AuthRoleAddRequest{Name: otherRoleName2}); err != nil {
			return err
		}
		if _, err := c.auth.UserAdd(ctx, &pb.AuthUserAddRequest{Name: tokenUser, Password: tokenPass}); err != nil {
			return err
		}
		_, err := c.auth.UserGrantRole(ctx, &pb.AuthUserGrantRoleRequest{User: tokenUser, Role: tokenRole})
		return err
	}) && rootDo("grant", func(a as) error {
		if root, err = rootLogin(); err != nil {
			return err
		}
		return grant(tokenRole, tokenKey1)(root)
	})
	if !ok {
		return status
	}
	if root, err = rootLogin(); err != nil {
		return harness("authenticate root: %v", err)
	}
	get := func(a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := c.kv.Range(ctx, &pb.RangeRequest{Key: []byte(tokenKey1)})
		return outcome(err)
	}
	put := func(a as) string {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := c.kv.Put(ctx, &pb.PutRequest{Key: []byte(tokenKey1), Value: []byte("v")})
		return outcome(err)
	}
	watch := func(a as) string { return callWatch(tokenKey1, "")(&matrix{c: c}, a) }

	tok, err := c.authenticate(tokenUser, tokenPass)
	check("authenticate", "ok", outcome(err))
	shape := "a simple token (16 letters, '.', an index)"
	if !simpleTokenShape.MatchString(tok) {
		check("simple-token-shape", shape, fmt.Sprintf("%q", tok))
	} else {
		check("simple-token-shape", shape, shape)
	}
	user := as{"user", tok}
	check("metadata-read", "ok", get(user))
	check("metadata-write", "ok", put(user))
	check("metadata-watch", "ok", watch(user))
	_, err = c.authenticate(tokenUser, "wrong")
	check("wrong-password", "InvalidArgument: etcdserver: authentication failed, invalid user ID or password", outcome(err))
	_, err = c.authenticate("tk-nobody", tokenPass)
	check("unknown-user", "InvalidArgument: etcdserver: authentication failed, invalid user ID or password", outcome(err))
	bogus := as{"bogus", "bogus.1"}
	check("invalid-token-read", "Unauthenticated: etcdserver: invalid auth token", get(bogus))
	check("invalid-token-write", "Unauthenticated: etcdserver: invalid auth token", put(bogus))
	check("invalid-token-watch", "canceled(rpc error: code = Unauthenticated desc = etcdserver: invalid auth token)", watch(bogus))
	anon := as{"anon", ""}
	check("no-token-read", "InvalidArgument: etcdserver: user name is empty", get(anon))
	check("no-token-write", "InvalidArgument: etcdserver: user name is empty", put(anon))
	check("no-token-watch", "canceled(rpc error: code = InvalidArgument desc = etcdserver: user name is empty)", watch(anon))

	// An auth change elsewhere (a grant to a role the user does not hold) moves the auth revision.
	// A simple token is looked up at the current revision, so the token from before it still works
	// (etcd's "revision of auth store is old" is for JWTs and for a race inside one request).
	if !rootDo("grant to another role", grant(otherRoleName2, "tk/other")) {
		return status
	}
	check("earlier-token-read", "ok", get(user))
	check("earlier-token-write", "ok", put(user))
	check("earlier-token-watch", "ok", watch(user))
	tok2, err := c.authenticate(tokenUser, tokenPass)
	user2 := as{"user", tok2}
	check("fresh-token-read", "ok", get(user2))

	// Revoking the user's own permission: the earlier token and a fresh one are denied alike.
	if root, err = rootLogin(); err != nil {
		return harness("authenticate root: %v", err)
	}
	if !rootDo("revoke", func(a as) error {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := c.auth.RoleRevokePermission(ctx, &pb.AuthRoleRevokePermissionRequest{Role: tokenRole, Key: []byte(tokenKey1)})
		return err
	}) {
		return status
	}
	check("revoked-earlier-token-read", "denied", get(user2))
	tok3, err := c.authenticate(tokenUser, tokenPass)
	user3 := as{"user", tok3}
	check("revoked-fresh-token-read", "denied", get(user3))
	check("revoked-fresh-token-write", "denied", put(user3))

	// A deleted user's token.
	if root, err = rootLogin(); err != nil {
		return harness("authenticate root: %v", err)
	}
	if !rootDo("user delete", func(a as) error {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := c.auth.UserDelete(ctx, &pb.AuthUserDeleteRequest{Name: tokenUser})
		return err
	}) {
		return status
	}
	check("deleted-user-token-read", "Unauthenticated: etcdserver: invalid auth token", get(user3))

	// Auth disabled: Authenticate is refused; a request without a token is served, but a token is
	// still looked up, and every token died with the disable.
	if root, err = rootLogin(); err != nil {
		return harness("authenticate root: %v", err)
	}
	if !rootDo("auth disable", func(a as) error {
		ctx, cancel := a.ctx()
		defer cancel()
		_, err := c.auth.AuthDisable(ctx, &pb.AuthDisableRequest{})
		return err
	}) {
		return status
	}
	_, err = c.authenticate("root", *rootPW)
	check("disabled-authenticate", "FailedPrecondition: etcdserver: authentication is not enabled", outcome(err))
	check("disabled-no-token-read", "ok", get(anon))
	check("disabled-earlier-token-read", "Unauthenticated: etcdserver: invalid auth token", get(root))
	check("disabled-bogus-token-read", "Unauthenticated: etcdserver: invalid auth token", get(bogus))
	ctx, cancel := anon.ctx()
	_, err = c.auth.AuthEnable(ctx, &pb.AuthEnableRequest{})
	cancel()
	check("reenable-without-token", "ok", outcome(err))
	_, err = c.authenticate("root", *rootPW)
	check("reenabled-authenticate", "ok", outcome(err))
	return status
}
