#!/usr/bin/env python3
"""Compares two recorded HTTP answers field by field: the oracle's (A, real etcd) and the server's
under test (B).

    jsoncompare.py [options] A_PREFIX B_PREFIX

Each prefix names three files written by the caller's curl: PREFIX.code (the status, as curl's
%{http_code}), PREFIX.head (the header block(s), curl -D) and PREFIX.body. Prints nothing and
exits 0 when the answers match; otherwise prints one line listing the differences (field path,
A's value, B's value) and exits 1.

Matching rules:
  - status codes must be equal (and equal to --status when given, so a check also documents what
    etcd answers);
  - Content-Type must be equal unless --no-content-type, and so must every --header NAME;
  - bodies are parsed as JSON (--lines: one JSON value per non-empty line, as the gateway's
    streams send them) and compared value by value: same keys, same types, same values. Fields
    that etcd omits (defaults) must be omitted by B too;
  - a body that is not JSON on both sides is compared as bytes (--no-body: not compared).

Field patterns (--any, --skip, --unordered) are dot-separated paths; list elements are numbered
from 0; `*` matches one step, `**` any number of steps (zero included). Lines of a --lines body
are steps too ("0.result.header...").
  --any P        present on both sides with the same JSON type; the value may differ (IDs, terms,
                 sizes). header.cluster_id, header.member_id and header.raft_term anywhere are
                 --any by default (--strict-header turns that off)
  --skip P       not compared at all, not even for presence
  --unordered P  a list compared as a multiset (etcd lists some things in Go map order)

    jsoncompare.py --self-test
checks that the comparison catches what it must (a changed revision, an emitted default, an int64
sent as a number, a missing --any field, a status, a Content-Type, a missing stream line) and lets
through what it must (cluster IDs, --any values, --unordered lists).
"""
import json
import sys

DEFAULT_ANY = ["**.header.cluster_id", "**.header.member_id", "**.header.raft_term"]
MAX_DIFFS_SHOWN = 12
MAX_VALUE_CHARS = 160


def match(pattern, path):
    if not pattern:
        return not path
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(match(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    return (head == "*" or head == path[0]) and match(rest, path[1:])


def matches_any(patterns, path):
    return any(match(p, path) for p in patterns)


def short(value):
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "..."


def kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


class Comparer:
    def __init__(self, names, any_, skip, unordered):
        self.names = names
        self.any = [p.split(".") for p in any_]
        self.skip = [p.split(".") for p in skip]
        self.unordered = [p.split(".") for p in unordered]
        self.diffs = []

    def diff(self, path, message):
        self.diffs.append("%s: %s" % (".".join(path) or "(body)", message))

    def compare(self, a, b, path):
        if matches_any(self.skip, path):
            return
        if kind(a) != kind(b):
            self.diff(path, "%s=%s %s=%s" % (self.names[0], short(a), self.names[1], short(b)))
            return
        if matches_any(self.any, path):
            return
        if isinstance(a, dict):
            for key in sorted(set(a) | set(b)):
                step = path + [key]
                if matches_any(self.skip, step):
                    continue
                if key not in b:
                    self.diff(step, "only %s has it (%s)" % (self.names[0], short(a[key])))
                elif key not in a:
                    self.diff(step, "only %s has it (%s)" % (self.names[1], short(b[key])))
                else:
                    self.compare(a[key], b[key], step)
        elif isinstance(a, list):
            if matches_any(self.unordered, path):
                a = sorted(a, key=lambda v: json.dumps(v, sort_keys=True))
                b = sorted(b, key=lambda v: json.dumps(v, sort_keys=True))
            if len(a) != len(b):
                self.diff(path, "%d elements in %s, %d in %s: %s=%s %s=%s" % (
                    len(a), self.names[0], len(b), self.names[1],
                    self.names[0], short(a), self.names[1], short(b)))
                return
            for i, (x, y) in enumerate(zip(a, b)):
                self.compare(x, y, path + [str(i)])
        elif a != b:
            self.diff(path, "%s=%s %s=%s" % (self.names[0], short(a), self.names[1], short(b)))


def read(path, binary=False):
    try:
        with open(path, "rb" if binary else "r", errors=None if binary else "replace") as f:
            return f.read()
    except OSError:
        return b"" if binary else ""


def header(head, name):
    # curl -D writes every header block it saw (a 100 Continue first, trailers last); the answer's
    # own headers are the last block that starts with a status line.
    found = None
    prefix = name.lower() + ":"
    for line in head.splitlines():
        if line.startswith("HTTP/"):
            found = None
        elif line.lower().startswith(prefix):
            found = line.split(":", 1)[1].strip()
    return found


def parse_body(raw, lines):
    text = raw.decode("utf-8", errors="replace")
    if lines:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return json.loads(text)


SELF_TEST_CASES = [
    # (expected to match, options, (code, content type, body) of A, the same of B)
    (True, [], ("200", "application/json", '{"header":{"cluster_id":"1","revision":"2"}}'),
               ("200", "application/json", '{"header":{"cluster_id":"9","revision":"2"}}')),
    (False, [], ("200", "application/json", '{"header":{"revision":"2"}}'),
                ("200", "application/json", '{"header":{"revision":"3"}}')),
    (False, [], ("200", "application/json", '{"count":"1"}'),
                ("200", "application/json", '{"count":"1","more":false}')),
    (False, [], ("200", "application/json", '{"count":"1"}'),
                ("200", "application/json", '{"count":1}')),
    (True, ["--any", "ID"], ("200", "application/json", '{"ID":"5"}'), ("200", "application/json", '{"ID":"7"}')),
    (False, ["--any", "ID"], ("200", "application/json", '{"ID":"5"}'), ("200", "application/json", '{}')),
    (False, [], ("400", "application/json", '{"code":3}'), ("500", "application/json", '{"code":3}')),
    (False, [], ("200", "application/json", '{}'), ("200", "text/plain", '{}')),
    (True, ["--no-content-type"], ("200", "application/json", '{}'), ("200", "text/plain", '{}')),
    (False, ["--lines"], ("200", "application/json", '{"result":{}}\n{"result":{"x":1}}\n'),
                         ("200", "application/json", '{"result":{}}\n')),
    (True, ["--unordered", "leases"], ("200", "application/json", '{"leases":[{"ID":"1"},{"ID":"2"}]}'),
                                      ("200", "application/json", '{"leases":[{"ID":"2"},{"ID":"1"}]}')),
    (False, [], ("200", "application/json", '{"leases":[{"ID":"1"},{"ID":"2"}]}'),
                ("200", "application/json", '{"leases":[{"ID":"2"},{"ID":"1"}]}')),
    (False, [], ("404", "text/plain", "404 page not found\n"), ("404", "text/plain", "not found\n")),
]


def self_test():
    import os
    import tempfile
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        for number, (want, options, a, b) in enumerate(SELF_TEST_CASES):
            prefixes = []
            for side, (code, ctype, body) in (("a", a), ("b", b)):
                prefix = os.path.join(work, "%s%d" % (side, number))
                for suffix, text in ((".code", code), (".head", "HTTP/1.1 %s X\r\nContent-Type: %s\r\n" % (code, ctype)), (".body", body)):
                    with open(prefix + suffix, "w") as f:
                        f.write(text)
                prefixes.append(prefix)
            saved, sys.stdout = sys.stdout, open(os.devnull, "w")
            try:
                got = main(options + prefixes) == 0
            finally:
                sys.stdout.close()
                sys.stdout = saved
            if got != want:
                failures += 1
                print("self-test case %d: expected %s, got %s" % (number, "match" if want else "difference", "match" if got else "difference"))
    return 1 if failures else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    names, any_, skip, unordered = ["A", "B"], list(DEFAULT_ANY), [], []
    status, lines, check_ct, check_body, headers = None, False, True, True, []
    args = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--any", "--skip", "--unordered", "--names", "--status", "--header"):
            value = argv[i + 1]
            i += 2
            if arg == "--any":
                any_.append(value)
            elif arg == "--skip":
                skip.append(value)
            elif arg == "--unordered":
                unordered.append(value)
            elif arg == "--header":
                headers.append(value)
            elif arg == "--names":
                names = value.split(",")
            else:
                status = value
            continue
        if arg == "--lines":
            lines = True
        elif arg == "--no-content-type":
            check_ct = False
        elif arg == "--no-body":
            check_body = False
        elif arg == "--strict-header":
            any_ = [p for p in any_ if p not in DEFAULT_ANY]
        else:
            args.append(arg)
        i += 1
    if len(args) != 2:
        print("usage: jsoncompare.py [options] A_PREFIX B_PREFIX", file=sys.stderr)
        return 2
    a_prefix, b_prefix = args
    problems = []
    a_code, b_code = read(a_prefix + ".code").strip(), read(b_prefix + ".code").strip()
    if status is not None and a_code != status:
        problems.append("status: %s answered %s, the check expects %s (the oracle changed?)" % (names[0], a_code, status))
    if a_code != b_code:
        problems.append("status: %s=%s %s=%s" % (names[0], a_code, names[1], b_code))
    for name in (["Content-Type"] if check_ct else []) + headers:
        a_value, b_value = header(read(a_prefix + ".head"), name), header(read(b_prefix + ".head"), name)
        if a_value != b_value:
            problems.append("%s: %s=%r %s=%r" % (name, names[0], a_value, names[1], b_value))
    if check_body:
        a_raw, b_raw = read(a_prefix + ".body", True), read(b_prefix + ".body", True)
        try:
            a_val = parse_body(a_raw, lines)
        except ValueError:
            a_val = None
        try:
            b_val = parse_body(b_raw, lines)
        except ValueError:
            b_val = None
        if a_val is None or b_val is None:
            if a_val is not None or b_val is not None or a_raw != b_raw:
                problems.append("body: %s=%r %s=%r" % (names[0], a_raw[:MAX_VALUE_CHARS], names[1], b_raw[:MAX_VALUE_CHARS]))
        else:
            comparer = Comparer(names, any_, skip, unordered)
            comparer.compare(a_val, b_val, [])
            shown = comparer.diffs[:MAX_DIFFS_SHOWN]
            if len(comparer.diffs) > len(shown):
                shown.append("... %d more" % (len(comparer.diffs) - len(shown)))
            problems.extend(shown)
    if problems:
        print("; ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
