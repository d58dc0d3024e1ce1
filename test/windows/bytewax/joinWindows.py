"""
Runs join_window scenarios through Bytewax 0.21.1 itself and writes what it emits to
joinWindows.json (the expected values of test/windows/joinWindowBytewax.test.ts).

Re-run from the repository root, with the benchmark's Bytewax (bash bench/peers/setup-bytewax.sh):

    bench/.venv/bin/python test/windows/bytewax/joinWindows.py > test/windows/bytewax/joinWindows.json

Each scenario is a list of events [side, key, value] whose value is {"t": ms, "v": ...}, read by one
input (TestingSource); a branch per side (filter + map) feeds `join_window` with an EventClock on
`t` (no wait, and a `now` that never moves, so windows close by items and at end of input only)
and tumbling windows aligned to 0. Every key's times never go back, the case where Eddy's window
semantics and Bytewax 0.21's are meant to match (no item is late in either). Each scenario runs in
every insert and emit mode, five times, to check that Bytewax's own output is deterministic. The
output is recorded in Bytewax's order as [key, window id, [v0, v1, ...]] (the `v` of each value,
null for a side without one).
"""

import json
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower
from bytewax.testing import TestingSink, TestingSource, run_main

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
INSERT_MODES = ["first", "last", "product"]
EMIT_MODES = ["complete", "final", "running"]


def ev(side, key, t, v):
    return [side, key, {"t": t, "v": v}]


def generated(count, sides, keys, seed):
    """`count` events with times going up by 0 to 4 s: sides and keys drawn from a small LCG."""
    state = seed
    events = []
    t = 0
    for i in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        s = (state >> 8) % sides
        state = (state * 1103515245 + 12345) % 2**31
        k = "k%d" % ((state >> 8) % keys)
        state = (state * 1103515245 + 12345) % 2**31
        t += ((state >> 8) % 5) * 1000
        events.append(ev(s, k, t, i))
    return events


SCENARIOS = [
    ("two sides, two keys, three windows", 2, 10000, [
        ev(0, "a", 1000, "a1"), ev(1, "a", 2000, "A1"), ev(0, "b", 3000, "b1"), ev(0, "a", 4000, "a2"),
        ev(1, "a", 12000, "A2"), ev(1, "b", 15000, "B1"), ev(0, "a", 19000, "a3"), ev(0, "b", 21000, "b2"),
        ev(1, "a", 25000, "A3"), ev(1, "b", 29999, "B2"),
    ]),
    ("an item on a window's close time opens the next window", 2, 5000, [
        ev(0, "k", 0, 1), ev(1, "k", 4999, 2), ev(0, "k", 5000, 3), ev(1, "k", 5000, 4), ev(0, "k", 10000, 5),
    ]),
    ("three sides, one window each", 3, 60000, [
        ev(2, "x", 100, "z1"), ev(0, "x", 200, "x1"), ev(1, "y", 300, "y1"), ev(1, "x", 400, "y2"),
        ev(0, "x", 500, "x2"), ev(2, "y", 600, "z2"), ev(0, "y", 70000, "x3"), ev(1, "y", 80000, "y3"),
    ]),
    ("generated: 50 events, 2 sides, 3 keys, 10 s windows", 2, 10000, generated(50, 2, 3, 5)),
    ("generated: 40 events, 3 sides, 2 keys, 7 s windows", 3, 7000, generated(40, 3, 2, 9)),
]


def value_of(x):
    return None if x is None else x["v"]


def run(events, sides, length, insert_mode, emit_mode):
    flow = Dataflow("join_window_case")
    stream = op.input("inp", flow, TestingSource([tuple(e) for e in events]))
    branches = []
    for s in range(sides):
        only = op.filter(f"side_{s}", stream, lambda e, s=s: e[0] == s)
        branches.append(op.map(f"pair_{s}", only, lambda e: (e[1], e[2])))
    clock = EventClock(
        ts_getter=lambda v: EPOCH + timedelta(milliseconds=v["t"]),
        wait_for_system_duration=timedelta(0),
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _close: None,
    )
    windower = TumblingWindower(length=timedelta(milliseconds=length), align_to=EPOCH)
    joined = win.join_window("join", clock, windower, *branches, insert_mode=insert_mode, emit_mode=emit_mode)
    out = []
    op.output("out", joined.down, TestingSink(out))
    late = []
    op.output("late", joined.late, TestingSink(late))
    run_main(flow)
    if late:
        raise SystemExit(f"a scenario with late items: {late}")
    return [[key, window_id, [value_of(x) for x in row]] for key, (window_id, row) in out]


def main():
    cases = []
    for name, sides, length, events in SCENARIOS:
        for insert_mode in INSERT_MODES:
            for emit_mode in EMIT_MODES:
                outputs = [run(events, sides, length, insert_mode, emit_mode) for _ in range(5)]
                if any(o != outputs[0] for o in outputs):
                    raise SystemExit(f"Bytewax gave different outputs for {name!r} {insert_mode} {emit_mode}: {outputs}")
                cases.append({"name": name, "sides": sides, "length": length, "insertMode": insert_mode, "emitMode": emit_mode, "events": events, "expected": outputs[0]})
    # One case a line: diffs stay readable, the file small.
    lines = [json.dumps(case, separators=(",", ":")) for case in cases]
    print('{"bytewax": %s, "cases": [\n%s\n]}' % (json.dumps(version("bytewax")), ",\n".join(lines)))


if __name__ == "__main__":
    main()
