// Command lincheck records what concurrent etcd v3 clients see and checks that it is
// linearizable: every operation appears to take effect at one instant between its invocation
// and its return, in an order that a single register per key would explain.
//
//	lincheck record -endpoints A,B,C -clients N -keys K -seconds S -out history.jsonl [-seed N]
//	lincheck check  [-budget STEPS] [-no-revisions] history.jsonl
//	lincheck mutate -stale -in history.jsonl -out stale.jsonl [-seed N]
//
// The history format is in history.go, the model in model.go, the search in search.go, the
// revision checks in revisions.go. Built in GOPATH mode against Debian's packaged etcd client,
// like Scripts/crashcheck:
//
//	cd Scripts/lincheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 linearizable (or the command did its job), 1 not linearizable, 2 unknown (the
// search budget ran out) or a usage or harness error.
package main

import (
	"flag"
	"fmt"
	"os"
)

const (
	exitLinearizable = 0
	exitViolation    = 1
	exitUnknown      = 2
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	command, args := os.Args[1], os.Args[2:]
	var err error
	switch command {
	case "record":
		err = recordCommand(args)
	case "check":
		os.Exit(checkCommand(args))
	case "mutate":
		err = mutateCommand(args)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "lincheck %s: %v\n", command, err)
		os.Exit(exitUnknown)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: lincheck record|check|mutate ... (see main.go)")
	os.Exit(exitUnknown)
}

func checkCommand(args []string) int {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	budget := fs.Int64("budget", searchStepsPerKeyDefault, "search steps per key before giving up")
	noRevisions := fs.Bool("no-revisions", false, "check values only, not the revisions servers return")
	fs.Parse(args)
	if fs.NArg() != 1 {
		usage()
	}
	ops, err := ReadHistoryFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "lincheck check: %v\n", err)
		return exitUnknown
	}
	report := Check(ops, *budget, !*noRevisions)
	report.Print(os.Stdout)
	switch report.Verdict() {
	case verdictLinearizable:
		return exitLinearizable
	case verdictViolation:
		return exitViolation
	}
	return exitUnknown
}
