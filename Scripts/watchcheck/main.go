// Command watchcheck checks etcd v3 Watch end to end: many concurrent watchers with random
// ranges, filters and start revisions (some below a compaction), cancelled and re-created
// now and then, against a random write load with compactions; each watcher's received stream
// is then compared with the events the write history implies.
//
//	watchcheck run -endpoints A,B,C [-watchers N] [-keys K] [-writes W] [-seconds S] [-seed X]
//	               [-compact-every C] [-writers N] [-settle S] [-out record.json]
//	watchcheck check record.json
//	watchcheck transcript -endpoint A   (a fixed Watch conversation, printed for byte-for-byte comparison)
//	watchcheck mutate -drop|-dup -in record.json -out mutated.json [-seed X]
//	watchcheck hold -endpoint A [-watchers N] [-prefix-watchers P] [-streams S]   (scale benchmark's watchers)
//
// `run` records (record.go), then checks (history.go rebuilds the history from the writes,
// check.go checks every watcher). Built in GOPATH mode against Debian's packaged etcd client,
// like Scripts/lincheck:
//
//	cd Scripts/watchcheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 every stream is right, 1 a violation (the first few are printed precisely),
// 2 a usage or harness error.
package main

import (
	"flag"
	"fmt"
	"os"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitHarness   = 2

	violationsShown = 5 // by run, and by check unless -max says otherwise
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	switch command {
	case "run":
		os.Exit(runCommand(args))
	case "transcript":
		os.Exit(transcriptCommand(args))
	case "check":
		os.Exit(checkCommand(args))
	case "hold":
		os.Exit(holdCommand(args))
	case "victims":
		os.Exit(victimsCommand(args))
	case "mutate":
		if err := mutateCommand(args); err != nil {
			fmt.Fprintf(os.Stderr, "watchcheck mutate: %v\n", err)
			os.Exit(exitHarness)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: watchcheck run|check|mutate|transcript|hold ... (see main.go)")
	os.Exit(exitHarness)
}

func verdict(rec *Record, shown int) int {
	report := Check(rec)
	printLatencies(os.Stdout, rec)
	report.Print(os.Stdout, shown)
	if len(report.Violations) > 0 {
		return exitViolation
	}
	return exitOK
}

func checkCommand(args []string) int {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	strict := fs.Bool("strict-prev-kv", false, "a missing prev_kv above every compaction is a violation")
	shown := fs.Int("max", violationsShown, "violations to print")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	rec, err := readRecord(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "watchcheck check: %v\n", err)
		return exitHarness
	}
	rec.StrictPrevKV = *strict
	return verdict(rec, *shown)
}
