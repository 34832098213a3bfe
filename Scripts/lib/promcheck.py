#!/usr/bin/env python3
"""Reads a /metrics answer (Prometheus text format) with prometheus_client's own parser, the one
scrapers' Python tooling uses (Debian python3-prometheus-client).

    promcheck.py require FILE NAME[:TYPE]...
        Exits 0 when FILE parses and has every family NAME (of TYPE when given: counter, gauge,
        histogram, summary, untyped). Otherwise prints one line (the parse error, or the missing
        and mistyped families) and exits 1. A counter NAME may be given with its `_total`
        suffix, as it appears in the text (the parser drops the suffix from the family name).
    promcheck.py value FILE SAMPLE [LABEL=VALUE]...
        Prints the sum of the samples named SAMPLE whose labels include every LABEL=VALUE given
        (e.g. `grpc_server_handled_total grpc_method=Put grpc_code=OK`); exits 1 and prints
        nothing when no sample matches.
"""
import sys

from prometheus_client.parser import text_string_to_metric_families


def families(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return list(text_string_to_metric_families(f.read()))


def find(parsed, name):
    for family in parsed:
        if family.name == name:
            return family
        if family.type == "counter" and family.name + "_total" == name:
            return family
    return None


def require(path, specs):
    try:
        parsed = families(path)
    except OSError:
        print("no /metrics answer")
        return 1
    except Exception as error:  # the parser raises ValueError and friends on any malformed line
        print("parse error: %s: %s" % (type(error).__name__, error))
        return 1
    problems = []
    for spec in specs:
        name, _, wanted = spec.partition(":")
        family = find(parsed, name)
        if family is None:
            problems.append("missing " + name)
        elif wanted and family.type != wanted:
            problems.append("%s is a %s, not a %s" % (name, family.type, wanted))
    if problems:
        print(", ".join(problems))
        return 1
    return 0


def value(path, sample_name, selectors):
    wanted = dict(s.split("=", 1) for s in selectors)
    total, found = 0.0, False
    try:
        parsed = families(path)
    except Exception:  # no answer or not parseable: no sample (metrics-parse says why)
        return 1
    for family in parsed:
        for sample in family.samples:
            if sample.name != sample_name:
                continue
            if all(sample.labels.get(k) == v for k, v in wanted.items()):
                total += sample.value
                found = True
    if not found:
        return 1
    print(repr(total))
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "require":
        return require(argv[1], argv[2:])
    if len(argv) >= 3 and argv[0] == "value":
        return value(argv[1], argv[2], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
