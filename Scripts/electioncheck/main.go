// Command electioncheck drives etcd's Lock and Election services (v3lockpb, v3electionpb) through
// their real gRPC stubs in fixed scenarios and prints a normalized transcript of what the server
// answered, so that the same scenario run on etcd and on swetcd can be compared line by line.
//
//	electioncheck list                                  (the scenario names, one a line)
//	electioncheck run -endpoint HOST:PORT -scenario NAME
//
// Normalization (transcript.go): lease IDs become L1, L2, ... in the order the scenario grants
// them (S1, S2, ... for leases the server grants itself); revisions are printed relative to the
// store's revision when the scenario starts (+N); cluster and member IDs and the raft term are
// only checked for presence. Every wait is bounded; nothing is judged on timing: a waiter that
// must not have acquired yet is looked at only after an event that would have let a wrong server
// grant it.
//
// Built in GOPATH mode against Debian's packaged etcd, like Scripts/watchcheck:
//
//	cd Scripts/electioncheck && GO111MODULE=off GOPATH=/usr/share/gocode go build
//
// Exit status: 0 the scenario ran (its transcript is the verdict), 2 a usage or harness error.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
)

const (
	exitOK      = 0
	exitHarness = 2
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "list":
		var names []string
		for name := range scenarios {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Println(name)
		}
	case "run":
		fs := flag.NewFlagSet("run", flag.ExitOnError)
		endpoint := fs.String("endpoint", "127.0.0.1:2379", "client URL host:port")
		name := fs.String("scenario", "", "scenario to run (see list)")
		fs.Parse(os.Args[2:])
		scenario, ok := scenarios[*name]
		if !ok {
			fmt.Fprintf(os.Stderr, "electioncheck: unknown scenario %q\n", *name)
			os.Exit(exitHarness)
		}
		if err := runScenario(*endpoint, *name, scenario); err != nil {
			fmt.Fprintf(os.Stderr, "electioncheck: %s: %v\n", *name, err)
			os.Exit(exitHarness)
		}
	default:
		usage()
	}
	os.Exit(exitOK)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: electioncheck list | run -endpoint HOST:PORT -scenario NAME")
	os.Exit(exitHarness)
}
