package main

import (
	"math/rand"
	"os"
	"path/filepath"
	"testing"
)

// The exit statuses scripts rely on: 0 linearizable, 1 not, 2 unknown or unreadable.
func TestCheckCommandExitStatus(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, ops []*Op) string {
		path := filepath.Join(dir, name)
		if err := WriteHistoryFile(path, ops); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := simulate(rand.New(rand.NewSource(3)), 2, 500, 20_000, 5)
	goodPath := write("good.jsonl", good)

	stale := &builder{}
	stale.put(0, "a", 0, 10, 2)
	stale.put(1, "b", 20, 30, 3)
	stale.get(2, "a", 40, 50, 2, 3)
	stalePath := write("stale.jsonl", stale.ops)

	hard := &builder{}
	for i := 0; i < 20; i++ {
		hard.put(i, string(rune('a'+i)), 0, 100, 0)
	}
	hard.get(0, "nope", 200, 210, 0, 0)
	hardPath := write("hard.jsonl", hard.ops)

	garbled := filepath.Join(dir, "garbled.jsonl")
	if err := os.WriteFile(garbled, []byte("{\"kind\":\"put\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	stdout := os.Stdout
	os.Stdout = devnull
	defer func() { os.Stdout = stdout }()
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{goodPath}, exitLinearizable},
		{[]string{stalePath}, exitViolation},
		{[]string{"-no-revisions", stalePath}, exitViolation},
		{[]string{"-budget", "1000", hardPath}, exitUnknown},
		{[]string{garbled}, exitUnknown},
		{[]string{filepath.Join(dir, "missing.jsonl")}, exitUnknown},
	} {
		if got := checkCommand(c.args); got != c.want {
			t.Errorf("lincheck check %v: exit %d, want %d", c.args, got, c.want)
		}
	}
}
