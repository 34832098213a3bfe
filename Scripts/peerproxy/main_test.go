package main

// The proxy's rules, on loopback: a fake member behind one front answers every request head with
// 200 and then echoes, so a test can tell an open link (echo comes back) from a dropped one.

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	testIO = 2 * time.Second
	okHead = "HTTP/1.1 200 OK\r\n\r\n"
)

// fakeMember accepts connections, answers the first request head with 200, then echoes.
func fakeMember(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						break
					}
				}
				io.WriteString(c, okHead)
				io.Copy(c, r)
			}()
		}
	}()
	return l.Addr().String()
}

func startProxy(t *testing.T, targets ...string) (*proxy, []string) {
	var fronts []*front
	for _, target := range targets {
		fronts = append(fronts, &front{listen: "127.0.0.1:0", target: target})
	}
	p, err := newProxy(fronts)
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, f := range fronts {
		addrs = append(addrs, f.listen)
	}
	return p, addrs
}

// peerConn dials addr and sends a stream request head as member `from` would (no header if
// from is empty); nil if the proxy dropped it before the member answered.
func peerConn(t *testing.T, addr, from string) net.Conn {
	c, err := net.DialTimeout("tcp", addr, testIO)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	head := "GET /raft/stream/message/1 HTTP/1.1\r\nHost: x\r\n"
	if from != "" {
		head += "X-Server-From: " + from + "\r\n"
	}
	io.WriteString(c, head+"\r\n")
	c.SetReadDeadline(time.Now().Add(testIO))
	answer := make([]byte, len(okHead))
	if _, err := io.ReadFull(c, answer); err != nil {
		return nil
	}
	if string(answer) != okHead {
		t.Fatalf("unexpected answer %q", answer)
	}
	return c
}

// open says whether c still carries bytes both ways.
func open(c net.Conn) bool {
	if c == nil {
		return false
	}
	c.SetDeadline(time.Now().Add(testIO))
	if _, err := io.WriteString(c, "ping"); err != nil {
		return false
	}
	buf := make([]byte, 4)
	_, err := io.ReadFull(c, buf)
	return err == nil && string(buf) == "ping"
}

func command(t *testing.T, p *proxy, path string) (int, string) {
	w := httptest.NewRecorder()
	p.control(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w.Code, w.Body.String()
}

func mustCommand(t *testing.T, p *proxy, path string) {
	if code, body := command(t, p, path); code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, code, body)
	}
}

func TestBlockFromDropsThatSendersLinksOnly(t *testing.T) {
	p, fronts := startProxy(t, fakeMember(t))
	a, b, anon := peerConn(t, fronts[0], "1a"), peerConn(t, fronts[0], "2b"), peerConn(t, fronts[0], "")
	if !open(a) || !open(b) || !open(anon) {
		t.Fatal("links do not work before any rule")
	}
	mustCommand(t, p, "/block?from=1A")
	if open(a) {
		t.Error("an existing link from 1a survived block from=1a")
	}
	if !open(b) || !open(anon) {
		t.Error("block from=1a dropped links from others")
	}
	if peerConn(t, fronts[0], "001a") != nil {
		t.Error("a new link from 1a (written with leading zeros) was let through")
	}
	if !open(peerConn(t, fronts[0], "2b")) {
		t.Error("a new link from 2b was dropped")
	}
	mustCommand(t, p, "/heal?from=1a")
	if !open(peerConn(t, fronts[0], "1a")) {
		t.Error("a new link from 1a was dropped after healing")
	}
}

func TestBlockFrontDropsEverythingOnThatFrontOnly(t *testing.T) {
	member := fakeMember(t)
	p, fronts := startProxy(t, member, member)
	a, other := peerConn(t, fronts[0], "1a"), peerConn(t, fronts[1], "1a")
	mustCommand(t, p, "/block?front="+fronts[0])
	if open(a) {
		t.Error("an existing link survived blocking its front")
	}
	if peerConn(t, fronts[0], "") != nil || peerConn(t, fronts[0], "2b") != nil {
		t.Error("a new link through a blocked front was let through")
	}
	if !open(other) || !open(peerConn(t, fronts[1], "2b")) {
		t.Error("blocking one front dropped links through another")
	}
	if _, status := command(t, p, "/status"); !strings.Contains(status, fmt.Sprintf("front %s -> %s: blocked true", fronts[0], member)) {
		t.Errorf("status does not show the blocked front:\n%s", status)
	}
	mustCommand(t, p, "/heal")
	if !open(peerConn(t, fronts[0], "2b")) {
		t.Error("a new link was dropped after healing everything")
	}
}

func TestControlRejectsBadRules(t *testing.T) {
	p, fronts := startProxy(t, fakeMember(t))
	for _, path := range []string{"/block", "/block?from=xyz", "/block?from=0", "/block?front=127.0.0.1:1", "/block?front=" + fronts[0] + "&from=1a", "/nonsense"} {
		if code, _ := command(t, p, path); code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, code)
		}
	}
}
