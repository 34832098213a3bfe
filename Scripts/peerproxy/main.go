// Command peerproxy is a TCP proxy for etcd peer traffic that can cut members off from each
// other, to test network partitions on loopback without root (no iptables, no namespaces).
//
//	peerproxy -control HOST:PORT -front LISTEN=TARGET [-front LISTEN=TARGET ...]
//
// Every front listens on LISTEN and forwards each connection to TARGET. A member is started with
// its real peer listener on TARGET and LISTEN as its advertised peer URL (in
// --initial-advertise-peer-urls and in every member's --initial-cluster), so all peer traffic to
// it passes through its front.
//
// How etcd's peer traffic flows (rafthttp), and so what cutting member X off takes:
//   - member A receives B's raft messages over a long-lived stream that A dials to B's advertised
//     URL: GET /raft/stream/{message,msgappv2}/<A's id> with the header X-Server-From: <A's id>;
//   - pipeline and snapshot POSTs from A go to B's advertised URL, with X-Server-From: <A's id>.
//
// So X is isolated when (a) X's front drops every connection and (b) every front drops the
// connections whose first request head carries X-Server-From: X. Both rules apply to existing
// connections (closed at once) and new ones (closed after accept, or after their head is read).
// A connection's head is read, and held back from the target, until it is complete; one that
// sends no complete head within headWaitMax is forwarded unclassified (only front rules apply).
//
// Control: plain HTTP on -control (any method), answers "ok" or an error with status 400:
//
//	/block?front=LISTEN   drop every connection through that front
//	/block?from=ID        drop, on every front, connections whose X-Server-From is ID (the
//	                      member ID in hex, as etcd writes it; leading zeros and case ignored)
//	/heal                 remove every rule; /heal?front=LISTEN or /heal?from=ID removes one
//	/status               the rules and, per front, connections accepted, dropped and open
//
// "peerproxy ready" is printed on stdout once every listener and the control port are up. The
// proxy runs until killed. Built like the other Go tools here (standard library only):
//
//	cd Scripts/peerproxy && GO111MODULE=off GOPATH=/usr/share/gocode go build
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// A peer request head (method line plus a handful of headers) is well under this.
	headBytesMax = 16 << 10
	// A client that has not sent a complete head by then is not classified (etcd sends its head
	// at once).
	headWaitMax = 2 * time.Second
	// Dialing the member behind a front.
	targetDialTimeout = 2 * time.Second
	// The header etcd's rafthttp puts on every peer request.
	serverFromHeader = "x-server-from"
)

type front struct {
	listen, target string
	accepted       int
	dropped        int
}

// link is one proxied connection. from is the sender's member ID, 0 when unknown.
type link struct {
	front  *front
	from   uint64
	client net.Conn
	server net.Conn // nil until dialed
	closed bool
}

type proxy struct {
	mu            sync.Mutex
	fronts        map[string]*front
	blockedFronts map[string]bool
	blockedFrom   map[uint64]bool
	links         map[*link]struct{}
}

func main() {
	control := flag.String("control", "", "HOST:PORT of the control HTTP server")
	var fronts frontFlags
	flag.Var(&fronts, "front", "LISTEN=TARGET (repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: peerproxy -control HOST:PORT -front LISTEN=TARGET [-front ...]  (see main.go)")
	}
	flag.Parse()
	if *control == "" || len(fronts) == 0 || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	p, err := newProxy(fronts)
	if err != nil {
		fatal("%v", err)
	}
	cl, err := net.Listen("tcp", *control)
	if err != nil {
		fatal("%v", err)
	}
	fmt.Println("peerproxy ready")
	fatal("control: %v", http.Serve(cl, http.HandlerFunc(p.control)))
}

// newProxy listens on every front and serves them in the background. A front's listen address
// becomes the address it really listens on (so port 0 picks a free port, for tests).
func newProxy(fronts []*front) (*proxy, error) {
	p := &proxy{fronts: map[string]*front{}, blockedFronts: map[string]bool{}, blockedFrom: map[uint64]bool{}, links: map[*link]struct{}{}}
	for _, f := range fronts {
		l, err := net.Listen("tcp", f.listen)
		if err != nil {
			return nil, err
		}
		f.listen = l.Addr().String()
		if _, dup := p.fronts[f.listen]; dup {
			return nil, fmt.Errorf("front %s given twice", f.listen)
		}
		p.fronts[f.listen] = f
		go p.serve(l, f)
	}
	return p, nil
}

func fatal(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "peerproxy: "+format+"\n", args...)
	os.Exit(2)
}

type frontFlags []*front

func (f *frontFlags) String() string { return "" }

func (f *frontFlags) Set(s string) error {
	parts := strings.SplitN(s, "=", 2)
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return errors.New("want LISTEN=TARGET")
	}
	*f = append(*f, &front{listen: parts[0], target: parts[1]})
	return nil
}

// parseID reads a member ID as etcd prints it (hex, no prefix).
func parseID(s string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimSpace(s), 16, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("not a member ID (hex): %q", s)
	}
	return id, nil
}

// ---------------------------------------------------------------------------------------------
// Data path

func (p *proxy) serve(l net.Listener, f *front) {
	for {
		c, err := l.Accept()
		if err != nil {
			fatal("accept on %s: %v", f.listen, err)
		}
		go p.handle(c, f)
	}
}

// blocks says whether a rule drops this link; p.mu must be held.
func (p *proxy) blocks(k *link) bool {
	return p.blockedFronts[k.front.listen] || (k.from != 0 && p.blockedFrom[k.from])
}

// admit registers the link unless a rule drops it; false means it was dropped.
func (p *proxy) admit(k *link) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.blocks(k) {
		k.front.dropped++
		return false
	}
	p.links[k] = struct{}{}
	return true
}

func (p *proxy) forget(k *link) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.links, k)
	k.closed = true
}

func (p *proxy) handle(c net.Conn, f *front) {
	k := &link{front: f, client: c}
	// A connection to a blocked front is dropped before anything is read from it; otherwise it
	// is checked again once its head (and so its sender) is known, before anything is forwarded.
	p.mu.Lock()
	f.accepted++
	blocked := p.blocks(k)
	if blocked {
		f.dropped++
	}
	p.mu.Unlock()
	if blocked {
		c.Close()
		return
	}
	head := readHead(c)
	k.from = senderOf(head)
	if !p.admit(k) {
		c.Close()
		return
	}
	defer func() {
		p.forget(k)
		c.Close()
	}()
	s, err := net.DialTimeout("tcp", f.target, targetDialTimeout)
	if err != nil {
		return
	}
	defer s.Close()
	p.mu.Lock()
	if k.closed || p.blocks(k) {
		// A rule came in while dialing.
		p.mu.Unlock()
		return
	}
	k.server = s
	p.mu.Unlock()
	if _, err := s.Write(head); err != nil {
		return
	}
	done := make(chan struct{}, 2)
	go func() { io.Copy(s, c); done <- struct{}{} }()
	go func() { io.Copy(c, s); done <- struct{}{} }()
	<-done // either direction ending ends the link: the deferred closes stop the other copy
}

// readHead reads from c until the end of an HTTP request head, headBytesMax bytes, headWaitMax
// or an error, and returns what it read (to be forwarded as is).
func readHead(c net.Conn) []byte {
	var buf []byte
	chunk := make([]byte, 4096)
	c.SetReadDeadline(time.Now().Add(headWaitMax))
	defer c.SetReadDeadline(time.Time{})
	for len(buf) < headBytesMax && !bytes.Contains(buf, []byte("\r\n\r\n")) {
		n, err := c.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			break
		}
	}
	return buf
}

// senderOf returns the member ID in the head's X-Server-From header, 0 if there is none.
func senderOf(head []byte) uint64 {
	end := bytes.Index(head, []byte("\r\n\r\n"))
	if end < 0 {
		return 0
	}
	lines := strings.Split(string(head[:end]), "\r\n")
	for _, line := range lines[1:] {
		colon := strings.IndexByte(line, ':')
		if colon < 0 || strings.ToLower(strings.TrimSpace(line[:colon])) != serverFromHeader {
			continue
		}
		if id, err := parseID(line[colon+1:]); err == nil {
			return id
		}
	}
	return 0
}

// dropMatching closes every open link a rule now drops; p.mu must be held.
func (p *proxy) dropMatching() {
	for k := range p.links {
		if p.blocks(k) {
			k.front.dropped++
			k.closed = true
			k.client.Close()
			if k.server != nil {
				k.server.Close()
			}
			delete(p.links, k)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Control

func (p *proxy) control(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	switch r.URL.Path {
	case "/block":
		err = p.rule(q.Get("front"), q.Get("from"), true)
		p.dropMatching()
	case "/heal":
		if q.Get("front") == "" && q.Get("from") == "" {
			p.blockedFronts, p.blockedFrom = map[string]bool{}, map[uint64]bool{}
		} else {
			err = p.rule(q.Get("front"), q.Get("from"), false)
		}
	case "/status":
		fmt.Fprint(w, p.status())
		return
	default:
		err = fmt.Errorf("unknown command %s (want /block, /heal or /status)", r.URL.Path)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintln(w, "ok")
}

// rule sets or clears one rule: exactly one of front and from is given. p.mu must be held.
func (p *proxy) rule(frontAddr, from string, on bool) error {
	switch {
	case frontAddr != "" && from != "":
		return errors.New("give front or from, not both")
	case frontAddr != "":
		if p.fronts[frontAddr] == nil {
			return fmt.Errorf("no front listens on %s", frontAddr)
		}
		if on {
			p.blockedFronts[frontAddr] = true
		} else {
			delete(p.blockedFronts, frontAddr)
		}
	case from != "":
		id, err := parseID(from)
		if err != nil {
			return err
		}
		if on {
			p.blockedFrom[id] = true
		} else {
			delete(p.blockedFrom, id)
		}
	default:
		return errors.New("give front=LISTEN or from=ID")
	}
	return nil
}

func (p *proxy) status() string {
	var b strings.Builder
	var names []string
	for name := range p.fronts {
		names = append(names, name)
	}
	sort.Strings(names)
	open := map[*front]int{}
	for k := range p.links {
		open[k.front]++
	}
	for _, name := range names {
		f := p.fronts[name]
		fmt.Fprintf(&b, "front %s -> %s: blocked %v, accepted %d, dropped %d, open %d\n", f.listen, f.target, p.blockedFronts[name], f.accepted, f.dropped, open[f])
	}
	var from []string
	for id := range p.blockedFrom {
		from = append(from, strconv.FormatUint(id, 16))
	}
	sort.Strings(from)
	fmt.Fprintf(&b, "blocked from: %s\n", strings.Join(from, " "))
	return b.String()
}
