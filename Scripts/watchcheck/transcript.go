package main

// transcript: a fixed, sequential Watch conversation on one raw stream, printed response by
// response with revisions relative to the revision before it began, so the output is the same
// on every run and can be compared byte for byte between servers. After each step it waits for
// the number of responses etcd 3.4 sends for that step (bounded); a server that sends more shows
// them under the next step, one that sends fewer shows "(no response within ...)".

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"go.etcd.io/etcd/clientv3"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/mvcc/mvccpb"
	"go.uber.org/zap"
)

const (
	transcriptWait    = 5 * time.Second // per expected response
	grpcOverheadBytes = 512 * 1024      // etcd's allowance over --max-request-bytes before it fragments
	eventsShownMax    = 8               // a response with more events is summarised
)

type transcript struct {
	kv     *clientv3.Client
	wc     pb.Watch_WatchClient
	base   int64
	prefix string
	recv   chan *pb.WatchResponse
	errs   chan error
}

// open starts a new Watch stream (the old one, if any, is left to the server).
func (t *transcript) open() error {
	wc, err := pb.NewWatchClient(t.kv.ActiveConnection()).Watch(context.Background())
	if err != nil {
		return err
	}
	recv, errs := make(chan *pb.WatchResponse, 100), make(chan error, 1)
	t.wc, t.recv, t.errs = wc, recv, errs
	go func() {
		for {
			r, err := wc.Recv()
			if err != nil {
				errs <- err
				return
			}
			recv <- r
		}
	}()
	return nil
}

func (t *transcript) rel(rev int64) string {
	if rev == 0 {
		return "0"
	}
	return fmt.Sprintf("+%d", rev-t.base)
}

func (t *transcript) key(k []byte) string { return strings.TrimPrefix(string(k), t.prefix) }

func (t *transcript) showKV(kv *mvccpb.KeyValue) string {
	return fmt.Sprintf("%s=%q create=%s mod=%s ver=%d lease=%d", t.key(kv.Key), kv.Value, t.rel(kv.CreateRevision), t.rel(kv.ModRevision), kv.Version, kv.Lease)
}

func (t *transcript) show(r *pb.WatchResponse) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  id=%d header=%s", r.WatchId, t.rel(r.Header.GetRevision()))
	if r.Created {
		b.WriteString(" created")
	}
	if r.Canceled {
		b.WriteString(" canceled")
	}
	if r.CompactRevision != 0 {
		fmt.Fprintf(&b, " compact_revision=%s", t.rel(r.CompactRevision))
	}
	if r.CancelReason != "" {
		fmt.Fprintf(&b, " reason=%q", r.CancelReason)
	}
	if r.Fragment {
		b.WriteString(" fragment")
	}
	events := r.Events
	if len(events) > eventsShownMax {
		fmt.Fprintf(&b, " events=%d (first and last shown)", len(events))
		events = []*mvccpb.Event{events[0], events[len(events)-1]}
	}
	for _, e := range events {
		if len(e.Kv.Value) > 40 {
			e.Kv.Value = []byte(fmt.Sprintf("%c x %d", e.Kv.Value[0], len(e.Kv.Value)))
		}
		fmt.Fprintf(&b, "\n    %s %s", e.Type, t.showKV(e.Kv))
		if e.PrevKv != nil {
			if len(e.PrevKv.Value) > 40 {
				p := *e.PrevKv
				p.Value = []byte(fmt.Sprintf("%c x %d", p.Value[0], len(p.Value)))
				e.PrevKv = &p
			}
			fmt.Fprintf(&b, " prev: %s", t.showKV(e.PrevKv))
		}
	}
	return b.String()
}

// expect prints n responses (waiting for each, bounded), ordered by watch ID: etcd sends one
// revision's responses to different watchers in no fixed order, each watcher's in order.
func (t *transcript) expect(n int) {
	var got []*pb.WatchResponse
	defer func() {
		sort.SliceStable(got, func(i, j int) bool { return got[i].WatchId < got[j].WatchId })
		for _, r := range got {
			fmt.Println(t.show(r))
		}
	}()
	for i := 0; i < n; i++ {
		select {
		case r := <-t.recv:
			got = append(got, r)
		case err := <-t.errs:
			fmt.Printf("  (stream error: %v)\n", err)
			return
		case <-time.After(transcriptWait):
			fmt.Printf("  (%d of %d responses within %v)\n", len(got), n, transcriptWait)
			return
		}
	}
}

func (t *transcript) step(title string, req *pb.WatchRequest, responses int) {
	if title != "" {
		fmt.Println(title)
	}
	if err := t.wc.Send(req); err != nil {
		fmt.Printf("  (send error: %v)\n", err)
	}
	t.expect(responses)
}

func (t *transcript) create(title string, c *pb.WatchCreateRequest, responses int) {
	c.Key = []byte(t.prefix + string(c.Key))
	if string(c.RangeEnd) == "*" {
		c.RangeEnd = []byte(prefixEnd(t.prefix))
	} else if len(c.RangeEnd) > 0 && string(c.RangeEnd) != "\x00" {
		c.RangeEnd = []byte(t.prefix + string(c.RangeEnd))
	}
	t.step(title, &pb.WatchRequest{RequestUnion: &pb.WatchRequest_CreateRequest{CreateRequest: c}}, responses)
}

func (t *transcript) write(title string, responses int, ops ...clientv3.Op) {
	if title != "" {
		fmt.Println(title)
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if _, err := t.kv.Txn(ctx).Then(ops...).Commit(); err != nil {
		fmt.Printf("  (write error: %v)\n", err)
	}
	t.expect(responses)
}

func transcriptCommand(args []string) int {
	fs := flag.NewFlagSet("transcript", flag.ExitOnError)
	endpoint := fs.String("endpoint", "127.0.0.1:2379", "one client endpoint")
	prefix := fs.String("prefix", fmt.Sprintf("transcript/%d/", time.Now().UnixNano()%1_000_000), "key prefix (must be empty; not printed)")
	fragmentBytes := fs.Int("fragment-bytes", 0, "the server's --max-request-bytes, if set small (e.g. 4096): adds the fragment steps")
	progressNotify := fs.Bool("progress-notify", false, "the server runs with a short --experimental-watch-progress-notify-interval (<= 2s): adds the progress_notify step")
	fs.Parse(args)
	quiet := zap.NewProductionConfig()
	quiet.Level = zap.NewAtomicLevelAt(zap.FatalLevel)
	kv, err := clientv3.New(clientv3.Config{Endpoints: []string{*endpoint}, DialTimeout: dialTimeout, LogConfig: &quiet})
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck transcript: %v\n", err)
		return exitHarness
	}
	defer kv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	resp, err := kv.Get(ctx, "transcript-base")
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck transcript: %v\n", err)
		return exitHarness
	}
	t := &transcript{kv: kv, base: resp.Header.Revision, prefix: *prefix}
	if err := t.open(); err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck transcript: %v\n", err)
		return exitHarness
	}
	put := func(k, v string) clientv3.Op { return clientv3.OpPut(*prefix+k, v) }
	del := func(k string) clientv3.Op { return clientv3.OpDelete(*prefix + k) }
	progress := &pb.WatchRequest{RequestUnion: &pb.WatchRequest_ProgressRequest{ProgressRequest: &pb.WatchProgressRequest{}}}
	cancelReq := func(id int64) *pb.WatchRequest {
		return &pb.WatchRequest{RequestUnion: &pb.WatchRequest_CancelRequest{CancelRequest: &pb.WatchCancelRequest{WatchId: id}}}
	}

	t.write("put a=1 (+1)", 0, put("a", "1"))
	t.write("put b=2 (+2)", 0, put("b", "2"))
	t.write("txn: put a=3, delete b, put c=4 (+3)", 0, put("a", "3"), del("b"), put("c", "4"))
	t.write("delete a (+4)", 0, del("a"))
	t.create("create prefix \"\" from +1 with prev_kv (history in one response)", &pb.WatchCreateRequest{Key: []byte(""), RangeEnd: []byte("*"), StartRevision: t.base + 1, PrevKv: true}, 2)
	t.create("create key c from now", &pb.WatchCreateRequest{Key: []byte("c")}, 1)
	t.create("create range [a, c) from +2, NOPUT", &pb.WatchCreateRequest{Key: []byte("a"), RangeEnd: []byte("c"), StartRevision: t.base + 2, Filters: []pb.WatchCreateRequest_FilterType{pb.WatchCreateRequest_NOPUT}}, 2)
	t.create("create from-key b from +3 with watch_id 7, NODELETE", &pb.WatchCreateRequest{Key: []byte("b"), RangeEnd: []byte("\x00"), StartRevision: t.base + 3, WatchId: 7, Filters: []pb.WatchCreateRequest_FilterType{pb.WatchCreateRequest_NODELETE}}, 2)
	t.create("create with watch_id 7 again (duplicate)", &pb.WatchCreateRequest{Key: []byte("x"), WatchId: 7}, 1)
	t.create("create with an empty range [c, a)", &pb.WatchCreateRequest{Key: []byte("c"), RangeEnd: []byte("a")}, 1)
	t.create("create key c from a future revision +6", &pb.WatchCreateRequest{Key: []byte("c"), StartRevision: t.base + 6}, 1)
	t.write("put c=5 (+5): prefix, key c, from-key see it", 3, put("c", "5"))
	t.write("txn: put b=6, delete c (+6): prefix, key c, from-key (put only), future +6", 4, put("b", "6"), del("c"))
	t.step("progress request", progress, 1)
	t.step("cancel watch 1 (key c)", cancelReq(1), 1)
	t.step("cancel watch 42 (does not exist), then a progress request", cancelReq(42), 0)
	t.step("", progress, 1)
	ctx, cancel = context.WithTimeout(context.Background(), writeTimeout)
	_, err = kv.Compact(ctx, t.base+5)
	cancel()
	fmt.Printf("compact at +5 (error: %v)\n", err)
	t.create("create prefix from +4 (below the compaction)", &pb.WatchCreateRequest{Key: []byte(""), RangeEnd: []byte("*"), StartRevision: t.base + 4}, 2)
	t.create("create prefix from +5 (the compaction revision) with prev_kv", &pb.WatchCreateRequest{Key: []byte(""), RangeEnd: []byte("*"), StartRevision: t.base + 5, PrevKv: true}, 2)
	t.step("progress request", progress, 1)
	if *fragmentBytes > 0 || *progressNotify {
		fmt.Println("new stream")
		if err := t.open(); err != nil {
			fmt.Printf("  (cannot open: %v)\n", err)
		}
	}
	if *fragmentBytes > 0 {
		// etcd fragments above --max-request-bytes plus its 512 KiB gRPC allowance.
		limit := *fragmentBytes + grpcOverheadBytes
		valueBytes := *fragmentBytes * 3 / 4
		n := 2*limit/valueBytes + 1
		fmt.Printf("put f/0000 .. f/%04d, %d bytes each (+7 .. +%d; twice the fragment limit in all)\n", n-1, valueBytes, 6+n)
		for i := 0; i < n; i++ {
			t.write("", 0, put(fmt.Sprintf("f/%04d", i), strings.Repeat(string(rune('a'+i%26)), valueBytes)))
		}
		t.create("create prefix f/ from +7 with fragment (history over the limit: fragments)", &pb.WatchCreateRequest{Key: []byte("f/"), RangeEnd: []byte("f0"), StartRevision: t.base + 7, Fragment: true}, 4)
		t.create("create prefix f/ from now with fragment and prev_kv", &pb.WatchCreateRequest{Key: []byte("f/"), RangeEnd: []byte("f0"), Fragment: true, PrevKv: true}, 1)
		t.write(fmt.Sprintf("delete prefix f/ (+%d): one revision, over the limit with prev_kv: fragments for the second watch only", 7+n), 4, clientv3.OpDelete(*prefix+"f/", clientv3.WithPrefix()))
		t.create("create prefix f/ from +7 without fragment (one response over the limit)", &pb.WatchCreateRequest{Key: []byte("f/"), RangeEnd: []byte("f0"), StartRevision: t.base + 7}, 2)
		t.step("cancel watches 0, 1, 2", cancelReq(0), 1)
		t.step("", cancelReq(1), 1)
		t.step("", cancelReq(2), 1)
	}
	if *progressNotify {
		t.create("create key p with progress_notify (idle: a progress notification comes)", &pb.WatchCreateRequest{Key: []byte("p"), ProgressNotify: true, WatchId: 9}, 2)
		t.step("cancel it", cancelReq(9), 1)
	}
	fmt.Println("close")
	t.wc.CloseSend()
	select {
	case r := <-t.recv:
		fmt.Println("  unexpected response after close:", t.show(r))
	case err := <-t.errs:
		fmt.Printf("  stream ended: %v\n", err)
	case <-time.After(transcriptWait):
		fmt.Println("  (stream still open)")
	}
	return exitOK
}
