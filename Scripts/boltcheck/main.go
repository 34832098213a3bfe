// Command boltcheck reads and writes bbolt files with the Go bbolt package itself, so that swetcd's
// Swift BoltStore can be checked against the reference implementation of the format in both
// directions: files swetcd wrote must pass bbolt's own consistency check and read back as
// expected, and files Go bbolt wrote must read correctly in BoltStore.
//
// It is built in GOPATH mode against Debian's packaged sources (no module downloads); see
// Scripts/boltcheck.sh, which builds and runs it.
//
//	boltcheck check FILE         bbolt's Tx.Check; summary of page size, txid, buckets, keys
//	boltcheck dump FILE          every bucket and key/value as hex, in order (a canonical text)
//	boltcheck write FILE [SPEC]  apply a text spec (file or stdin) with Go bbolt
//	boltcheck write-nofreelist FILE [SPEC]  the same, with NoFreelistSync (as etcd writes its backend)
//	boltcheck etcd-schema FILE   check the file is laid out as etcd's mvcc backend
//	boltcheck hashkv FILE [REV]  etcd's HashKV algorithm over the file's key bucket
//	boltcheck bench DIR          Go bbolt's side of the BoltStore micro-benchmark (see bench below)
//
// Exit status: 0 success, 1 the file failed a check, 2 usage or I/O error. bbolt itself may crash
// (a Go panic, also exit 2) on a page id far outside the file; any non-zero status means the file
// did not pass.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/mvcc/mvccpb"
)

const (
	exitFailed = 1
	exitUsage  = 2

	// A running etcd (or swetcd) holds an exclusive flock on its db; a read-only open waits for
	// a shared lock. Waiting this long instead of forever turns "server still running" into an error.
	lockTimeout = 2 * time.Second

	// Longest spec line accepted by `write`: a large value in hex (overflow pages) can be long.
	maxSpecLineBytes = 64 << 20
)

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	command, file, rest := os.Args[1], os.Args[2], os.Args[3:]
	var err error
	switch {
	case command == "check" && len(rest) == 0:
		err = check(file)
	case command == "dump" && len(rest) == 0:
		err = dump(file, os.Stdout)
	case command == "write" && len(rest) <= 1:
		err = write(file, rest, false)
	case command == "write-nofreelist" && len(rest) <= 1:
		// As etcd's backend writes on Linux: bbolt's NoFreelistSync, no freelist page on disk.
		err = write(file, rest, true)
	case command == "etcd-schema" && len(rest) == 0:
		err = etcdSchema(file)
	case command == "hashkv" && len(rest) <= 1:
		err = hashKVCommand(file, rest)
	case command == "bench" && len(rest) == 0:
		err = bench(file)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "boltcheck:", err)
		var failed checkFailed
		if errors.As(err, &failed) {
			os.Exit(exitFailed)
		}
		os.Exit(exitUsage)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: boltcheck check|dump|etcd-schema FILE | write[-nofreelist] FILE [SPEC] | hashkv FILE [REV] | bench DIR")
	os.Exit(exitUsage)
}

// checkFailed marks an error as a verdict about the file (exit 1), as opposed to not being able
// to run the check at all (exit 2).
type checkFailed struct{ problems int }

func (c checkFailed) Error() string { return fmt.Sprintf("%d problem(s) found", c.problems) }

func openReadOnly(path string) (*bolt.DB, error) {
	// bolt.Open would create a missing file even read-only; refuse instead.
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0400, &bolt.Options{ReadOnly: true, Timeout: lockTimeout})
	if err == bolt.ErrTimeout {
		return nil, fmt.Errorf("%s is locked by another process (is the server still running?)", path)
	}
	// Errors here are about the file's format (bad magic, version, checksum): a verdict.
	if err != nil {
		return nil, checkFailed{problems: 1}.with(err)
	}
	// Pages past the end of the file would be read through the mmap and kill the process with
	// SIGBUS inside bbolt's Check goroutine, where it cannot be recovered: refuse them first.
	var want int64
	db.View(func(tx *bolt.Tx) error { want = tx.Size(); return nil })
	if info, err := os.Stat(path); err != nil || info.Size() < want {
		db.Close()
		if err == nil {
			err = fmt.Errorf("file is %d bytes but its meta page says %d: truncated", info.Size(), want)
		}
		return nil, checkFailed{problems: 1}.with(err)
	}
	return db, nil
}

// with keeps the message of the underlying error while classifying it as a failed check.
func (c checkFailed) with(err error) error { return fmt.Errorf("%w: %v", c, err) }

// ---------------------------------------------------------------------------------------------
// check

func check(path string) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		problems := 0
		for err := range tx.Check() {
			fmt.Println("error:", err)
			problems++
		}
		if problems > 0 {
			return checkFailed{problems: problems}
		}
		fmt.Printf("ok %s\n", path)
		fmt.Printf("page size: %d\n", db.Info().PageSize)
		fmt.Printf("txid: %d\n", tx.ID())
		fmt.Printf("size: %d\n", tx.Size())
		buckets, keys := 0, 0
		err := walk(tx, func(path [][]byte, b *bolt.Bucket) error {
			buckets++
			n := 0
			// Nested buckets appear in ForEach with a nil value; count only key/values.
			if err := b.ForEach(func(k, v []byte) error {
				if v != nil {
					n++
				}
				return nil
			}); err != nil {
				return err
			}
			keys += n
			fmt.Printf("bucket %s: %d keys\n", displayPath(path), n)
			return nil
		})
		fmt.Printf("buckets: %d\nkeys: %d\n", buckets, keys)
		return err
	})
}

// walk visits every bucket, nested ones after their parent, in key order (depth first).
func walk(tx *bolt.Tx, visit func(path [][]byte, b *bolt.Bucket) error) error {
	var descend func(path [][]byte, b *bolt.Bucket) error
	descend = func(path [][]byte, b *bolt.Bucket) error {
		if err := visit(path, b); err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			if v != nil {
				return nil
			}
			return descend(appendPath(path, k), b.Bucket(k))
		})
	}
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		return descend(appendPath(nil, name), b)
	})
}

// appendPath copies: bbolt's key slices point into the mmap and are valid only during the tx.
func appendPath(path [][]byte, name []byte) [][]byte {
	out := make([][]byte, len(path), len(path)+1)
	copy(out, path)
	return append(out, append([]byte(nil), name...))
}

// displayPath shows printable names as text (etcd's buckets are "key", "meta", ...) and anything
// else as hex, for the human-readable summaries only; dump and write always use hex.
func displayPath(path [][]byte) string {
	parts := make([]string, len(path))
	for i, name := range path {
		parts[i] = hex.EncodeToString(name)
		if isPrintable(name) {
			parts[i] = string(name)
		}
	}
	return strings.Join(parts, "/")
}

func isPrintable(name []byte) bool {
	for _, c := range name {
		if c <= ' ' || c > '~' || c == '/' {
			return false
		}
	}
	return len(name) > 0
}

// ---------------------------------------------------------------------------------------------
// dump and write share one text format, so a dump is itself a valid spec:
//
//	bucket PATH                  a bucket (PATH: hex names joined by '/', parents first)
//	put PATH KEYHEX VALUEHEX     a key/value in that bucket ('-' is the empty value)
//
// write also accepts:
//
//	nested PARENT CHILD          same as `bucket PARENT/CHILD`
//	delete PATH KEYHEX           delete a key
//	delete-bucket PATH           delete a bucket and everything in it
//	commit                       commit the transaction so far and start a new one
//	# ...                        comment; blank lines are ignored
//
// dump prints buckets depth first in key order, each `bucket` line followed by its keys in key
// order; a nested bucket is printed where its name sorts among its parent's keys.

func dump(path string, out io.Writer) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(out)
	err = db.View(func(tx *bolt.Tx) error {
		var descend func(path [][]byte, b *bolt.Bucket) error
		descend = func(path [][]byte, b *bolt.Bucket) error {
			name := hexPath(path)
			fmt.Fprintf(w, "bucket %s\n", name)
			return b.ForEach(func(k, v []byte) error {
				if v == nil {
					return descend(appendPath(path, k), b.Bucket(k))
				}
				fmt.Fprintf(w, "put %s %s %s\n", name, hex.EncodeToString(k), hexValue(v))
				return nil
			})
		}
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return descend(appendPath(nil, name), b)
		})
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

func hexPath(path [][]byte) string {
	parts := make([]string, len(path))
	for i, name := range path {
		parts[i] = hex.EncodeToString(name)
	}
	return strings.Join(parts, "/")
}

func hexValue(v []byte) string {
	if len(v) == 0 {
		return "-"
	}
	return hex.EncodeToString(v)
}

func write(path string, args []string, noFreelistSync bool) error {
	in := io.Reader(os.Stdin)
	if len(args) == 1 && args[0] != "-" {
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	// An existing file is opened and extended: that is how Go bbolt gets to modify a file
	// BoltStore wrote (and vice versa), not only create fresh ones.
	db, err := bolt.Open(path, 0600, &bolt.Options{Timeout: lockTimeout, NoFreelistSync: noFreelistSync})
	if err != nil {
		return err
	}
	tx, err := db.Begin(true)
	if err != nil {
		db.Close()
		return err
	}
	pending := false
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 64<<10), maxSpecLineBytes)
	line := 0
	for scanner.Scan() {
		line++
		fields := strings.Fields(scanner.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if fields[0] == "commit" && len(fields) == 1 {
			if err = tx.Commit(); err == nil {
				tx, err = db.Begin(true)
			}
			pending = false
		} else {
			err = apply(tx, fields)
			pending = true
		}
		if err != nil {
			err = fmt.Errorf("spec line %d: %v", line, err)
			break
		}
	}
	if err == nil {
		err = scanner.Err()
	}
	// The last transaction commits at the end of the spec; an error discards it.
	if err == nil && pending {
		err = tx.Commit()
	} else {
		tx.Rollback()
	}
	if closeErr := db.Close(); err == nil {
		err = closeErr
	}
	return err
}

func apply(tx *bolt.Tx, f []string) error {
	switch {
	case f[0] == "bucket" && len(f) == 2:
		return createBucket(tx, f[1])
	case f[0] == "nested" && len(f) == 3:
		return createBucket(tx, f[1]+"/"+f[2])
	case f[0] == "put" && len(f) == 4:
		b, key, err := bucketAndKey(tx, f[1], f[2])
		if err != nil {
			return err
		}
		value := []byte{}
		if f[3] != "-" {
			if value, err = hex.DecodeString(f[3]); err != nil {
				return err
			}
		}
		return b.Put(key, value)
	case f[0] == "delete" && len(f) == 3:
		b, key, err := bucketAndKey(tx, f[1], f[2])
		if err != nil {
			return err
		}
		return b.Delete(key)
	case f[0] == "delete-bucket" && len(f) == 2:
		names, err := parsePath(f[1])
		if err != nil {
			return err
		}
		if len(names) == 1 {
			return tx.DeleteBucket(names[0])
		}
		parent, err := bucketAt(tx, names[:len(names)-1])
		if err != nil {
			return err
		}
		return parent.DeleteBucket(names[len(names)-1])
	}
	return fmt.Errorf("cannot parse %q", strings.Join(f, " "))
}

func createBucket(tx *bolt.Tx, spec string) error {
	names, err := parsePath(spec)
	if err != nil {
		return err
	}
	if len(names) == 1 {
		_, err = tx.CreateBucket(names[0])
		return err
	}
	parent, err := bucketAt(tx, names[:len(names)-1])
	if err != nil {
		return err
	}
	_, err = parent.CreateBucket(names[len(names)-1])
	return err
}

func bucketAndKey(tx *bolt.Tx, pathSpec, keyHex string) (*bolt.Bucket, []byte, error) {
	names, err := parsePath(pathSpec)
	if err != nil {
		return nil, nil, err
	}
	b, err := bucketAt(tx, names)
	if err != nil {
		return nil, nil, err
	}
	key, err := hex.DecodeString(keyHex)
	return b, key, err
}

func parsePath(spec string) ([][]byte, error) {
	var names [][]byte
	for _, part := range strings.Split(spec, "/") {
		name, err := hex.DecodeString(part)
		if err != nil || len(name) == 0 {
			return nil, fmt.Errorf("bad bucket path %q (hex names joined by '/')", spec)
		}
		names = append(names, name)
	}
	return names, nil
}

func bucketAt(tx *bolt.Tx, names [][]byte) (*bolt.Bucket, error) {
	b := tx.Bucket(names[0])
	for _, name := range names[1:] {
		if b == nil {
			break
		}
		b = b.Bucket(name)
	}
	if b == nil {
		return nil, fmt.Errorf("no bucket %s", hexPath(names))
	}
	return b, nil
}

// ---------------------------------------------------------------------------------------------
// etcd's backend layout (go.etcd.io/etcd/mvcc: revision.go, kvstore.go, kvstore_txn.go)

var (
	keyBucket  = []byte("key")
	metaBucket = []byte("meta")
)

const (
	// A revision key: 8-byte big-endian main revision, '_', 8-byte big-endian sub revision.
	revisionBytes = 8 + 1 + 8
	// A deletion appends this mark, making the key one byte longer.
	tombstoneMark = 't'
)

type revision struct{ main, sub int64 }

func parseRevision(b []byte) (rev revision, tombstone bool, err error) {
	switch {
	case len(b) == revisionBytes+1 && b[revisionBytes] == tombstoneMark:
		tombstone = true
	case len(b) != revisionBytes:
		return rev, false, fmt.Errorf("length %d, want %d or %d with mark 't'", len(b), revisionBytes, revisionBytes+1)
	}
	if b[8] != '_' {
		return rev, false, fmt.Errorf("byte 8 is %#x, want '_'", b[8])
	}
	rev = revision{int64(binary.BigEndian.Uint64(b[:8])), int64(binary.BigEndian.Uint64(b[9:17]))}
	if rev.main <= 0 || rev.sub < 0 {
		return rev, false, fmt.Errorf("revision %d_%d out of range", rev.main, rev.sub)
	}
	return rev, tombstone, nil
}

func etcdSchema(path string) error {
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	problems := 0
	report := func(format string, args ...interface{}) {
		problems++
		fmt.Printf("error: "+format+"\n", args...)
	}
	err = db.View(func(tx *bolt.Tx) error {
		meta, keys := tx.Bucket(metaBucket), tx.Bucket(keyBucket)
		if meta == nil {
			report("no %q bucket", metaBucket)
		}
		if keys == nil {
			report("no %q bucket", keyBucket)
			return nil
		}

		compacted := int64(0)
		if meta != nil {
			compacted = checkMeta(meta, report)
		}

		var revisions, tombstones int
		var current revision
		// Per user key: how many revisions at or below the finished compaction remain. Compaction
		// keeps at most the newest one of each key, and none if that one is a deletion.
		belowCompaction := map[string]int{}
		distinct := map[string]bool{}
		err := keys.ForEach(func(k, v []byte) error {
			rev, tombstone, err := parseRevision(k)
			if err != nil {
				report("key bucket key %x: %v", k, err)
				return nil
			}
			revisions++
			current = rev
			var kv mvccpb.KeyValue
			if err := kv.Unmarshal(v); err != nil {
				report("revision %d_%d: value is not an mvccpb.KeyValue: %v", rev.main, rev.sub, err)
				return nil
			}
			if len(kv.Key) == 0 {
				report("revision %d_%d: empty key", rev.main, rev.sub)
			}
			distinct[string(kv.Key)] = !tombstone
			if tombstone {
				tombstones++
				// A deletion stores only the key (kvstore_txn.go, delete).
				if kv.ModRevision != 0 || kv.CreateRevision != 0 || kv.Version != 0 || len(kv.Value) != 0 {
					report("revision %d_%d: tombstone carries more than the key", rev.main, rev.sub)
				}
			} else if kv.ModRevision != rev.main || kv.CreateRevision <= 0 || kv.CreateRevision > rev.main || kv.Version <= 0 {
				report("revision %d_%d: KeyValue mod=%d create=%d version=%d disagree with its revision",
					rev.main, rev.sub, kv.ModRevision, kv.CreateRevision, kv.Version)
			}
			if rev.main <= compacted {
				belowCompaction[string(kv.Key)]++
				if tombstone || belowCompaction[string(kv.Key)] > 1 {
					report("revision %d_%d of %q should have been removed by the compaction at %d",
						rev.main, rev.sub, kv.Key, compacted)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		live := 0
		for _, alive := range distinct {
			if alive {
				live++
			}
		}
		fmt.Printf("revisions: %d (%d tombstones)\n", revisions, tombstones)
		fmt.Printf("keys: %d distinct, %d live\n", len(distinct), live)
		fmt.Printf("current revision: %d\n", current.main)
		fmt.Printf("hashkv: %d\n", hashKV(keys, 0))
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if !bytes.Equal(name, keyBucket) && !bytes.Equal(name, metaBucket) {
				fmt.Printf("bucket %s: %d entries\n", displayPath([][]byte{name}), b.Stats().KeyN)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if problems > 0 {
		return checkFailed{problems: problems}
	}
	fmt.Printf("ok %s\n", path)
	return nil
}

// checkMeta checks the meta bucket's mvcc entries and returns the finished compaction revision.
func checkMeta(meta *bolt.Bucket, report func(string, ...interface{})) int64 {
	if v := meta.Get([]byte("consistent_index")); v != nil {
		if len(v) != 8 {
			report("consistent_index is %d bytes, want 8 (big-endian uint64)", len(v))
		} else {
			fmt.Printf("consistent index: %d\n", binary.BigEndian.Uint64(v))
		}
	}
	compaction := func(name string) int64 {
		v := meta.Get([]byte(name))
		if v == nil {
			return 0
		}
		rev, tombstone, err := parseRevision(v)
		if err != nil || tombstone || rev.sub != 0 {
			report("%s %x is not a revision with sub 0", name, v)
			return 0
		}
		fmt.Printf("%s: %d\n", name, rev.main)
		return rev.main
	}
	scheduled, finished := compaction("scheduledCompactRev"), compaction("finishedCompactRev")
	if finished > scheduled {
		report("finishedCompactRev %d is after scheduledCompactRev %d", finished, scheduled)
	}
	// A compaction interrupted between the two (scheduled > finished) is legal: etcd resumes it.
	return finished
}

// hashKV follows etcd's HashByRev (mvcc/kvstore.go): CRC-32C of the bucket name, then every key
// and value of revisions up to rev (0: all). etcd also skips revisions that a pending compaction
// will remove; a file's hash therefore equals the server's HashKV only when no revision at or
// below rev has been superseded since the last compaction (for instance, nothing compacted yet).
func hashKV(keys *bolt.Bucket, rev int64) uint32 {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	h.Write(keyBucket)
	keys.ForEach(func(k, v []byte) error {
		if len(k) >= 8 && (rev == 0 || int64(binary.BigEndian.Uint64(k[:8])) <= rev) {
			h.Write(k)
			h.Write(v)
		}
		return nil
	})
	return h.Sum32()
}

func hashKVCommand(path string, args []string) error {
	rev := int64(0)
	if len(args) == 1 {
		var err error
		if rev, err = strconv.ParseInt(args[0], 10, 64); err != nil || rev < 0 {
			return fmt.Errorf("bad revision %q", args[0])
		}
	}
	db, err := openReadOnly(path)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		keys := tx.Bucket(keyBucket)
		if keys == nil {
			return checkFailed{problems: 1}.with(errors.New("no key bucket"))
		}
		fmt.Println(hashKV(keys, rev))
		return nil
	})
}

// ---------------------------------------------------------------------------------------------
// bench
//
// Go bbolt's side of the BoltStore micro-benchmark; the Swift side is Scripts/boltbench, and
// Scripts/bench-bolt.sh runs both interleaved. The two must stay workload-for-workload
// identical (keys, value, seeds, transaction boundaries, output lines):
//
//	seq_put   keys 0..99,999 as 8-byte big-endian, 1,000 puts per durable (fdatasync) commit
//	rand_put  100,000 SplitMix64 keys (seed 1) into a fresh file, same batching
//	get       100,000 point gets of random existing keys (picks from seed 2), one read tx
//	scan      100 scans of 10,000 keys from a seek (starts from seed 3), one read tx each;
//	          ops are keys visited
//
// Output lines: "result NAME ops=N ns=N", "file NAME bytes=N", "rss peak_kib=N".

const (
	benchKeyCount            = 100000
	benchPutsPerTx           = 1000
	benchValueBytes          = 100
	benchGetCount            = 100000
	benchScanKeys            = 10000
	benchScanRepeats         = 100
	benchRandomKeySeed       = 1
	benchGetPickSeed         = 2
	benchScanStartSeed       = 3
	benchBucketName          = "bench"
	benchDatabasePermissions = 0600
)

// splitMix64 is the same generator as the Swift side's, so both draw the same keys.
type splitMix64 struct{ state uint64 }

func (s *splitMix64) next() uint64 {
	s.state += 0x9E3779B97F4A7C15
	z := s.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func benchOpenFresh(path string) (*bolt.DB, error) {
	db, err := bolt.Open(path, benchDatabasePermissions, nil)
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucket([]byte(benchBucketName))
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// benchPutAll puts keys in order with the shared value, benchPutsPerTx per durable commit.
// bbolt copies the key on Put, so one key buffer serves every put (as the Swift side does).
func benchPutAll(db *bolt.DB, keys []uint64, value []byte) error {
	key := make([]byte, 8)
	for next := 0; next < len(keys); next += benchPutsPerTx {
		end := next + benchPutsPerTx
		if end > len(keys) {
			end = len(keys)
		}
		err := db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte(benchBucketName))
			for _, k := range keys[next:end] {
				binary.BigEndian.PutUint64(key, k)
				if err := b.Put(key, value); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func benchReport(name string, ops int, start time.Time) {
	fmt.Printf("result %s ops=%d ns=%d\n", name, ops, time.Since(start).Nanoseconds())
}

func bench(dir string) error {
	value := make([]byte, benchValueBytes)
	for i := range value {
		value[i] = byte(i*7 + 1)
	}
	sequentialKeys := make([]uint64, benchKeyCount)
	randomKeys := make([]uint64, benchKeyCount)
	random := splitMix64{benchRandomKeySeed}
	for i := range sequentialKeys {
		sequentialKeys[i] = uint64(i)
		randomKeys[i] = random.next()
	}
	checksum := 0

	// seq_put
	sequentialPath := filepath.Join(dir, "seq.db")
	sequential, err := benchOpenFresh(sequentialPath)
	if err != nil {
		return err
	}
	defer sequential.Close()
	start := time.Now()
	if err := benchPutAll(sequential, sequentialKeys, value); err != nil {
		return err
	}
	benchReport("seq_put", benchKeyCount, start)

	// rand_put
	randomPath := filepath.Join(dir, "rand.db")
	randomDB, err := benchOpenFresh(randomPath)
	if err != nil {
		return err
	}
	defer randomDB.Close()
	start = time.Now()
	if err := benchPutAll(randomDB, randomKeys, value); err != nil {
		return err
	}
	benchReport("rand_put", benchKeyCount, start)

	// get
	picks := splitMix64{benchGetPickSeed}
	start = time.Now()
	err = randomDB.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(benchBucketName))
		key := make([]byte, 8)
		for i := 0; i < benchGetCount; i++ {
			binary.BigEndian.PutUint64(key, randomKeys[picks.next()%benchKeyCount])
			v := b.Get(key)
			if v == nil {
				return fmt.Errorf("key %x missing", key)
			}
			checksum += len(v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	benchReport("get", benchGetCount, start)

	// scan
	starts := splitMix64{benchScanStartSeed}
	start = time.Now()
	for r := 0; r < benchScanRepeats; r++ {
		err = sequential.View(func(tx *bolt.Tx) error {
			c := tx.Bucket([]byte(benchBucketName)).Cursor()
			key := make([]byte, 8)
			binary.BigEndian.PutUint64(key, starts.next()%(benchKeyCount-benchScanKeys))
			visited := 0
			for k, v := c.Seek(key); k != nil && visited < benchScanKeys; k, v = c.Next() {
				checksum += len(v)
				visited++
			}
			if visited != benchScanKeys {
				return fmt.Errorf("scan visited %d keys", visited)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	benchReport("scan", benchScanKeys*benchScanRepeats, start)

	if err := sequential.Close(); err != nil {
		return err
	}
	if err := randomDB.Close(); err != nil {
		return err
	}
	if expected := (benchGetCount + benchScanKeys*benchScanRepeats) * benchValueBytes; checksum != expected {
		return fmt.Errorf("read %d value bytes, expected %d", checksum, expected)
	}
	for _, f := range []struct{ name, path string }{{"seq", sequentialPath}, {"rand", randomPath}} {
		info, err := os.Stat(f.path)
		if err != nil {
			return err
		}
		fmt.Printf("file %s bytes=%d\n", f.name, info.Size())
	}
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		return err
	}
	fmt.Printf("rss peak_kib=%d\n", usage.Maxrss)
	return nil
}
