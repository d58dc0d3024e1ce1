"""
Runs join_window scenarios over sliding and session windows through Bytewax 0.21.1 itself and
writes what it emitted to joinWindowKinds.json: the expected values of
test/windows/joinWindowKinds.test.ts, which runs the same scenarios through Eddy (so CI needs no
Python for the comparison). test/windows/bytewax/joinWindows.py does the same for tumbling windows.

Re-run from the repository root, with the benchmark's Bytewax 0.21.1
(`bash scripts/install-bench-peers.sh` makes bench/.venv):

    bench/.venv/bin/python test/windows/bytewax21/joinWindowKinds.py > test/windows/bytewax21/joinWindowKinds.json

Each scenario is a list of events [side, key, {"t": ms, "v": ...}] read by one input
(TestingSource, one item per batch); a branch per side (filter + map) feeds `join_window` with an
EventClock on `t` whose system time never moves (`now_getter` returns a fixed instant), so the
watermark is the key's latest event time minus the wait, as Eddy's EventClockConfig gives on a
clock that stands still. Every scenario runs in every insert and emit mode, five times: the script
fails if Bytewax's own output varies, or if any item is late.

- Sliding windows (align_to the epoch): times go forward and the wait is 0, so no item is late and
  Bytewax's default `ordered=True` applies items as they come, as Eddy does.
- Session windows in time order: the same.
- Session windows out of order: the wait (10 s) keeps every item in time, and `ordered=False`
  applies items as they come (Eddy's order), so an item can bridge two sessions and merge them
  (Bytewax's `on_merge`). One scenario gives the two sessions different values of one side, so the
  merged row shows which one each insert mode keeps.

The output is recorded in Bytewax's order as [key, window id, [v0, v1, ...]] (the `v` of each
value, null for a side without one). Rows caused by an item (running, complete) come in the order
of the items; `final` rows in the order windows close, which across windows is Bytewax's hash-map
order: the test compares those as a multiset.
"""

import json
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, SessionWindower, SlidingWindower
from bytewax.testing import TestingSink, TestingSource, run_main

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
INSERT_MODES = ["first", "last", "product"]
EMIT_MODES = ["complete", "final", "running"]


def ev(side, key, t, v):
    return [side, key, {"t": t, "v": v}]


def generated(count, sides, keys, seed, step_ms, back_ms):
    """`count` events whose times go up by 0 to `step_ms` and may then go back by up to `back_ms`."""
    state = seed
    events = []
    t = 20000
    for i in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        s = (state >> 8) % sides
        state = (state * 1103515245 + 12345) % 2**31
        k = "k%d" % ((state >> 8) % keys)
        state = (state * 1103515245 + 12345) % 2**31
        t += (state >> 8) % (step_ms + 1)
        state = (state * 1103515245 + 12345) % 2**31
        back = (state >> 8) % (back_ms + 1) if back_ms > 0 else 0
        events.append(ev(s, k, t - back, i))
    return events


SLIDING = {"type": "sliding", "length": 10000, "offset": 5000}
SESSION = {"type": "session", "gap": 5000}

# (name, sides, window, wait ms, ordered, events)
SCENARIOS = [
    ("sliding: an item in two windows, two keys", 2, SLIDING, 0, True, [
        ev(0, "a", 1000, "a1"), ev(1, "a", 6000, "A1"), ev(0, "b", 7000, "b1"), ev(1, "a", 9000, "A2"),
        ev(0, "a", 12000, "a2"), ev(1, "b", 16000, "B1"), ev(0, "a", 24000, "a3"), ev(1, "a", 25000, "A3"),
    ]),
    ("sliding: generated, 40 events, 2 keys", 2, SLIDING, 0, True, generated(40, 2, 2, 3, 3000, 0)),
    ("session: in time order, gaps over and under 5 s", 2, SESSION, 0, True, [
        ev(0, "a", 0, "a1"), ev(1, "a", 3000, "A1"), ev(0, "b", 4000, "b1"), ev(0, "a", 7000, "a2"),
        ev(1, "a", 13000, "A2"), ev(1, "b", 15000, "B1"), ev(0, "a", 16000, "a3"), ev(1, "b", 30000, "B2"),
    ]),
    ("session: an item bridges two sessions (the earlier one made first)", 2, SESSION, 10000, False, [
        ev(0, "a", 0, "a1"), ev(0, "a", 9000, "a2"), ev(1, "a", 4500, "A1"), ev(1, "a", 30000, "A2"),
    ]),
    ("session: an item bridges two sessions (the later one made first)", 2, SESSION, 10000, False, [
        ev(1, "a", 9000, "A1"), ev(0, "a", 0, "a1"), ev(0, "a", 4500, "a2"), ev(0, "b", 40000, "b1"),
    ]),
    ("session: generated out of order, 50 events, 3 keys", 2, {"type": "session", "gap": 2500}, 10000, False, generated(50, 2, 3, 11, 3000, 3000)),
]


def value_of(x):
    return None if x is None else x["v"]


def windower_of(block):
    if block["type"] == "sliding":
        return SlidingWindower(length=timedelta(milliseconds=block["length"]), offset=timedelta(milliseconds=block["offset"]), align_to=EPOCH)
    return SessionWindower(gap=timedelta(milliseconds=block["gap"]))


def run(events, sides, block, wait, ordered, insert_mode, emit_mode):
    flow = Dataflow("join_window_kinds")
    stream = op.input("inp", flow, TestingSource([tuple(e) for e in events]))
    branches = []
    for s in range(sides):
        only = op.filter(f"side_{s}", stream, lambda e, s=s: e[0] == s)
        branches.append(op.map(f"pair_{s}", only, lambda e: (e[1], e[2])))
    clock = EventClock(
        ts_getter=lambda v: EPOCH + timedelta(milliseconds=v["t"]),
        wait_for_system_duration=timedelta(milliseconds=wait),
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _close: None,
    )
    joined = win.join_window("join", clock, windower_of(block), *branches, insert_mode=insert_mode, emit_mode=emit_mode, ordered=ordered)
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
    for name, sides, block, wait, ordered, events in SCENARIOS:
        for insert_mode in INSERT_MODES:
            for emit_mode in EMIT_MODES:
                outputs = [run(events, sides, block, wait, ordered, insert_mode, emit_mode) for _ in range(5)]
                if any(o != outputs[0] for o in outputs):
                    raise SystemExit(f"Bytewax gave different outputs for {name!r} {insert_mode} {emit_mode}: {outputs}")
                cases.append({"name": name, "sides": sides, "window": block, "wait": wait, "insertMode": insert_mode, "emitMode": emit_mode, "events": events, "expected": outputs[0]})
    # One case a line: diffs stay readable, the file small.
    lines = [json.dumps(case, separators=(",", ":")) for case in cases]
    print('{"bytewax": %s, "cases": [\n%s\n]}' % (json.dumps(version("bytewax")), ",\n".join(lines)))


if __name__ == "__main__":
    main()
