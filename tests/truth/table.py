#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""table.py ANSWERS RESULTS - the tables `make truth` prints (run.sh).

ANSWERS: lines "MODE RUN {TRUTH json}" (check.py's TRUTH lines);
RESULTS: lines "MODE RUN PASS|FAIL|SKIP live/truth_NAME[: reasons]".
Prints every `why` answer, each scenario's pass count, the right count of
each question, and the calibration table.  Exit 1 unless every run passed.
"""
import json
import re
import sys

BINS = [(0.9, 1.01, ">= 0.90"), (0.8, 0.9, "0.80-0.89"), (0.5, 0.8, "0.50-0.79"), (0.0, 0.5, "< 0.50")]


def read(path, parse):
    out = []
    with open(path) as f:
        for line in f:
            mode, run, rest = line.rstrip("\n").split(" ", 2)
            out.append((mode, int(run), parse(rest)))
    return out


def main():
    answers = read(sys.argv[1], json.loads)
    results = read(sys.argv[2], lambda s: s)
    print("\n%-7s %-8s %-38s %-6s %-5s %s" % ("SCENARIO", "RUN", "QUESTION", "ANSWER", "CONF", "ROOT CAUSE"))
    for mode, run, a in answers:
        conf = "%.2f" % a["confidence"] if a.get("confidence") is not None else "-"
        print("%-7s %-8s %-38s %-6s %-5s %s" % (a["scenario"], "%s %d" % (mode, run), a["question"][:38],
                                                 "right" if a["right"] else "WRONG", conf, a["root"][:150]))

    print("\nscenario results (every check of every run):")
    names = []
    for _, _, r in results:
        m = re.match(r"(\S+) live/truth_(\S+?)(:|$)", r)
        if m and m.group(2) not in names:
            names.append(m.group(2))
    all_pass = True
    for n in names:
        cells = []
        for mode in ("quiet", "hog"):
            rs = [r for md, _, r in results if md == mode and re.match(r"\S+ live/truth_%s(:|$)" % re.escape(n), r)]
            ok = sum(r.startswith("PASS") for r in rs)
            skip = sum(r.startswith("SKIP") for r in rs)
            all_pass &= ok == len(rs)
            cells.append("%s %d/%d%s" % (mode, ok, len(rs), " (%d skipped)" % skip if skip else ""))
        print("  %-8s %-14s %-14s" % (n, cells[0], cells[1]))

    print("\nright answers per question:")
    qs = []
    for _, _, a in answers:
        if (a["scenario"], a["question"]) not in qs:
            qs.append((a["scenario"], a["question"]))
    for sc, q in qs:
        cells = []
        for mode in ("quiet", "hog"):
            xs = [a for md, _, a in answers if md == mode and a["scenario"] == sc and a["question"] == q]
            cells.append("%s %d/%d" % (mode, sum(a["right"] for a in xs), len(xs)))
        print("  %-7s %-40s %-12s %-12s" % (sc, q, cells[0], cells[1]))

    print("\ncalibration (every why answer; issue 10: no wrong answer at confidence >= 0.90):")
    print("  %-12s %8s %6s %6s" % ("confidence", "answers", "right", "wrong"))
    for lo, hi, label in BINS:
        xs = [a for _, _, a in answers if a.get("confidence") is not None and lo <= a["confidence"] < hi]
        wrong = sum(not a["right"] for a in xs)
        print("  %-12s %8d %6d %6d%s" % (label, len(xs), len(xs) - wrong, wrong,
                                         "   <- must be 0" if lo >= 0.9 and wrong else ""))
    xs = [a for _, _, a in answers if a.get("confidence") is None]
    print("  %-12s %8d %6d %6d   (not implemented or failed: no confidence printed)" % (
        "no answer", len(xs), sum(a["right"] for a in xs), sum(not a["right"] for a in xs)))
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
