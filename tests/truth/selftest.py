#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""selftest.py - the checker's own rules on hand-built inputs, so that a
checker that cannot fail shows: each case must come out as stated.
Prints "PASS live/truth_checker" or "FAIL live/truth_checker: cases"."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from truthlib import Answer, Expect, Truth, cpu_overlaps, dominant, switch_holes  # noqa: E402

FAILS = []


def case(name, got, want):
    if got != want:
        FAILS.append("%s: got %r, want %r" % (name, got, want))


def iv(tid, pid, cpu, start, end, state="running"):
    return {"type": "interval", "tid": tid, "pid": pid, "thread": "t/%d" % tid, "cpu": cpu,
            "start": start, "end": end, "state": state}


def sw(ts, cpu, prev, nxt, next_pid=None):
    return {"kind": "sched_switch", "ts": ts, "cpu": cpu, "tid": prev, "pid": prev, "next_tid": nxt,
            "next_pid": nxt if next_pid is None else next_pid}


def answer(root_line, root, span=(0, 100), text_extra=""):
    a = Answer("q")
    a.text = "why: x\n\n%s\n%s  confidence 1.00\n" % (root_line, text_extra)
    a.json = {"span": {"start": span[0], "end": span[1], "thread": {"tid": 1, "name": "a/1"}},
              "root": root, "confidence": 1.0, "segments": [
                  {"kind": "runnable", "cpu": 1, "ns": 70, "thread": {"tid": 7}},
                  {"kind": "runnable", "cpu": 1, "ns": 10, "thread": {"tid": 8}}]}
    return a


def main():
    # an invented running interval overlaps another thread's on cpu 0
    case("overlap found", len(cpu_overlaps([iv(1, 1, 0, 0, 100), iv(2, 2, 0, 50, 60)])), 1)
    case("overlap inside the workload", cpu_overlaps([iv(1, 1, 0, 0, 100), iv(2, 2, 0, 50, 60)], {1, 2})[0][1], True)
    case("no overlap across cpus", cpu_overlaps([iv(1, 1, 0, 0, 100), iv(2, 2, 1, 50, 60)]), [])
    case("no overlap back to back", cpu_overlaps([iv(1, 1, 0, 0, 50), iv(2, 2, 0, 50, 60)]), [])
    case("runnable is not running", cpu_overlaps([iv(1, 1, 0, 0, 100), iv(2, 2, 0, 50, 60, "runnable")]), [])
    # switch continuity for workload threads (pid 5)
    ok = [sw(1, 0, 0, 5), sw(2, 0, 5, 9, 9), sw(3, 0, 9, 5), sw(4, 0, 5, 0, 0)]
    case("continuous switches", switch_holes(ok, {5}), [])
    hole = [sw(1, 0, 0, 5), sw(2, 0, 9, 0, 0)]
    case("a hole after a switch-in", len(switch_holes(hole, {5})), 1)
    case("out-of-scope holes are not ours", switch_holes([sw(1, 0, 0, 9, 9), sw(2, 0, 8, 0, 0)], {5}), [])
    case("on two cpus", len(switch_holes([sw(1, 0, 0, 5), sw(2, 1, 0, 5)], {5})), 1)
    # 5 preempted by out-of-scope 9; 9 -> 5 lost; 5 preempted again
    lost_in = [sw(1, 0, 0, 5), sw(2, 0, 5, 9, 9), sw(3, 0, 5, 8, 8)]
    case("a lost switch-in", len(switch_holes(lost_in, {5})), 1)
    # judging answers
    holder = Expect("holder", ("lock_holder",), 100, tid=3)
    a = answer("root cause: lock holder's work: x/3 ran while holding the lock (futex 0x1), 90 of 100 (90%)",
               {"kind": "running", "ns": 90, "thread": {"tid": 3, "name": "x/3"}})
    case("kind lock_holder", a.kind, "lock_holder")
    case("holder with 90 % is right", holder.judge(a), None)
    a.json["root"]["ns"] = 79
    case("holder with 79 % is wrong", holder.judge(a) is not None, True)
    a.json["root"]["thread"]["tid"] = 4
    a.json["root"]["ns"] = 90
    case("another task is wrong", holder.judge(a) is not None, True)
    net = answer("root cause: the network: waiting for data from outside, 1 s of 1 s (100.0%)",
                 {"kind": "network", "ns": 100})
    case("kind network", net.kind, "network")
    syn = Expect("syn", ("syn_timeout",), 100, words=(r"\b40612\b",))
    case("network is not a SYN timeout", syn.judge(net) is not None, True)
    good = answer("root cause: SYN retransmission timeout of 127.0.0.1:40612 -> 127.0.0.1:7001, 1 s of 1 s (100.0%)",
                  {"kind": "network", "ns": 100})
    case("kind syn_timeout", good.kind, "syn_timeout")
    case("a SYN timeout naming the port is right", syn.judge(good), None)
    cpu = answer("root cause: CPU contention on cpu 1: runnable 80 of 100 (80%)", {"kind": "runnable", "ns": 80, "cpu": 1})
    case("kind cpu_contention", cpu.kind, "cpu_contention")
    case("contention of tid 7 on cpu 1", Expect("c", ("cpu_contention",), 90, cpu=1, waiting=7).judge(cpu), None)
    case("contention of the wrong thread", Expect("c", ("cpu_contention",), 90, waiting=8).judge(cpu) is not None, True)
    case("contention on the wrong cpu", Expect("c", ("cpu_contention",), 90, cpu=0).judge(cpu) is not None, True)
    disk = answer("root cause: disk I/O on 254:0, 5 ms of 6 ms (83.3%)", {"kind": "disk", "ns": 5, "dev": "254:0"})
    case("disk on 254:0", Expect("d", ("disk",), 5, dev="254:0").judge(disk), None)
    case("disk on another device", Expect("d", ("disk",), 5, dev="8:0").judge(disk) is not None, True)
    unk = answer("root cause: unknown: 5 ms of 6 ms (83%) not explained", {"kind": "unknown", "ns": 5})
    case("unknown is not the disk", Expect("d", ("disk",), 5, dev="254:0").judge(unk) is not None, True)
    # dominant candidates
    e1, e2, e3 = Expect("a", ("x",), 100), Expect("b", ("y",), 85), Expect("c", ("z",), 10)
    case("dominant", [e.label for e in dominant([e1, e2, e3])], ["a", "b"])
    # the truth file
    with tempfile.NamedTemporaryFile("w", suffix=".truth", delete=False) as f:
        f.write("task role=a pid=5 tid=6 comm=x\nspan role=s tid=6 start=1 end=3\n")
    try:
        t = Truth(f.name)
        case("truth one", t.one("task", role="a")["tid"], 6)
        case("truth all", len(t.all("span")), 1)
    finally:
        os.unlink(f.name)
    if FAILS:
        print("FAIL live/truth_checker: %s" % "; ".join(FAILS))
    else:
        print("PASS live/truth_checker")
    return 0


if __name__ == "__main__":
    sys.exit(main())
