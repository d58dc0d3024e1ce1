"""
Runs sliding, session and tumbling window scenarios through Bytewax 0.21.1 itself and writes what
it emitted to windowScenarios.json: the expected values of test/windows/bytewax21.test.ts, which
runs the same scenarios through Eddy (so CI needs no Python for the comparison).

Re-run from the repository root, with the benchmark's Bytewax 0.21.1
(`bash scripts/install-bench-peers.sh` makes bench/.venv):

    bench/.venv/bin/python test/windows/bytewax21/windowScenarios.py > test/windows/bytewax21/windowScenarios.json

Every scenario uses an EventClock on the values' `t` (milliseconds after BASE) whose system time
never moves (`now_getter` returns a fixed instant), so the watermark is the latest event time
seen for the key minus the wait, as Eddy's EventClockConfig gives on a clock that stands still.
Each runs with one worker (run_main), five times: the script fails if Bytewax's own output varies.

What is recorded per scenario:
- `down`: each window's result joined with its metadata, [key, [start, end, value]] in ms after
  BASE (sessions: first and last item time; sliding and tumbling: [open, close)), which is what
  Eddy's `withWindow: true` emits;
- `late`: the late items, [key, value], once each (Bytewax emits a late sliding item once per
  window it would have been in; Eddy emits it once).
Bytewax's order across keys and windows is hash-map order: both lists are sorted (by JSON text).

The scenarios keep to where Eddy means to match Bytewax 0.21: Eddy's tumbling windows are Bytewax
0.11's (they close when the watermark passes their end, not when it reaches it, and keep an item
behind the watermark whose window is still open), so the tumbling and sliding scenarios have no
item behind the watermark in a window still open; `fold_window` runs with `ordered=False` (Eddy
folds in arrival order, as 0.11 did); `collect_window` keeps Bytewax's default (time order, which
Eddy's collect_window gives too).
"""

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSink, TestingSource, run_main

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
from bytewax_recording import same_every_time  # noqa: E402

BASE = datetime(2022, 1, 1, tzinfo=timezone.utc)
FROZEN_NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)


def ms(n):
    return timedelta(milliseconds=n)


def since_base(dt):
    return round((dt - BASE) / ms(1))


def scenario(name, windower, op_name, items, wait=0):
    """items: (key, t, v) triples, in the order they arrive."""
    return {"name": name, "window": windower, "op": op_name, "wait": wait, "items": [[k, {"t": t, "v": v}] for k, t, v in items]}


def sliding(length, offset, start_at=0):
    return {"type": "sliding", "length": length, "offset": offset, "startAt": start_at}


def session(gap):
    return {"type": "session", "gap": gap}


def tumbling(length, start_at=0):
    return {"type": "tumbling", "length": length, "startAt": start_at}


SCENARIOS = [
    # Sliding windows.
    scenario("sliding 10/5, in order, collect", sliding(10, 5), "collect",
             [("k", 0, 1), ("j", 1, 2), ("k", 3, 3), ("k", 7, 4), ("j", 11, 5), ("k", 12, 6), ("k", 18, 7)]),
    scenario("sliding 10/5, out of order within the wait, collect", sliding(10, 5), "collect",
             [("k", 0, 1), ("k", 12, 2), ("k", 6, 3), ("k", 20, 4), ("k", 14, 5)], wait=10),
    scenario("sliding 10/5, an item behind every open window is late, count", sliding(10, 5), "count",
             [("k", 3, 1), ("k", 14, 2), ("k", 2, 3), ("k", 16, 4), ("j", 1, 5)]),
    scenario("sliding with offset equal to length, count", sliding(10, 10), "count",
             [("k", 0, 1), ("k", 5, 2), ("k", 10, 3), ("k", 27, 4), ("j", 9, 5), ("j", 30, 6)]),
    scenario("sliding 10/3 (offset does not divide length), reduce", sliding(10, 3), "reduce",
             [("k", 1, 1), ("k", 4, 2), ("k", 9, 4), ("k", 13, 8), ("k", 22, 16)]),
    scenario("sliding 10/5 starting at 2, fold (arrival order)", sliding(10, 5, 2), "fold_list",
             [("k", 2, 1), ("k", 6, 2), ("k", 8, 3), ("k", 15, 4)]),
    # Session windows.
    scenario("session gap 10, in order, collect, two keys", session(10), "collect",
             [("a", 0, 1), ("b", 2, 2), ("a", 5, 3), ("a", 15, 4), ("b", 30, 5), ("a", 26, 6), ("b", 35, 7)]),
    scenario("session: an out-of-order item bridges two sessions, reduce", session(10), "reduce",
             [("u", 0, 1), ("u", 18, 2), ("u", 9, 4)], wait=20),
    scenario("session: an out-of-order item extends a session backwards, collect", session(10), "collect",
             [("u", 20, 1), ("u", 12, 2), ("u", 40, 3)], wait=10),
    scenario("session: a session closes before the bridging item, which is late, collect", session(10), "collect",
             [("u", 0, 1), ("u", 18, 2), ("u", 9, 4)]),
    scenario("session: chains of merges, count", session(15), "count",
             [("u", 0, 1), ("u", 30, 2), ("u", 60, 3), ("u", 15, 4), ("u", 45, 5), ("u", 100, 6), ("w", 7, 7)], wait=50),
    scenario("session: merges with a merger, fold (sum)", session(15), "fold_sum",
             [("u", 0, 1), ("u", 30, 2), ("u", 60, 4), ("u", 45, 8), ("u", 15, 16), ("u", 200, 32)], wait=50),
    scenario("session: merges, collect in time order", session(15), "collect",
             [("u", 0, 1), ("u", 30, 2), ("u", 60, 4), ("u", 45, 8), ("u", 15, 16), ("u", 62, 32)], wait=50),
    scenario("session gap 0: items of one time", session(0), "count",
             [("u", 5, 1), ("u", 5, 2), ("u", 6, 3), ("u", 6, 4), ("u", 9, 5)]),
    scenario("session: late items behind the watermark, many keys", session(5), "count",
             [("a", 10, 1), ("b", 10, 2), ("a", 30, 3), ("a", 29, 4), ("b", 9, 5), ("a", 26, 6), ("b", 40, 7)], wait=2),
    # Tumbling windows, where Eddy's (Bytewax 0.11's) and Bytewax 0.21's agree.
    scenario("tumbling 10, in order, count", tumbling(10), "count",
             [("k", 0, 1), ("k", 4, 2), ("k", 13, 3), ("j", 15, 4), ("k", 31, 5), ("j", 38, 6)]),
    scenario("tumbling 10, a late item, collect", tumbling(10), "collect",
             [("k", 1, 1), ("k", 25, 2), ("k", 3, 3), ("k", 27, 4)]),
]


def windower_of(w):
    if w["type"] == "sliding":
        return win.SlidingWindower(length=ms(w["length"]), offset=ms(w["offset"]), align_to=BASE + ms(w["startAt"]))
    if w["type"] == "session":
        return win.SessionWindower(gap=ms(w["gap"]))
    return win.TumblingWindower(length=ms(w["length"]), align_to=BASE + ms(w["startAt"]))


def clock_of(wait, getter):
    return win.EventClock(ts_getter=lambda v: BASE + ms(getter(v)["t"]), wait_for_system_duration=ms(wait), now_getter=lambda: FROZEN_NOW)


def run(s):
    flow = Dataflow("scenario")
    items = [(k, v) for k, v in s["items"]]
    up = op.input("inp", flow, TestingSource(items))
    windower = windower_of(s["window"])
    name = s["op"]
    if name == "count":
        # Bytewax's count_window keys the items itself: the clock sees the whole (key, value) item.
        out = win.count_window("w", up, clock_of(s["wait"], lambda x: x[1]), windower, lambda x: x[0])
    else:
        clock = clock_of(s["wait"], lambda v: v)
        if name == "collect":
            out = win.collect_window("w", up, clock, windower)
        elif name == "reduce":
            out = win.reduce_window("w", up, clock, windower, lambda a, b: {"t": min(a["t"], b["t"]), "v": a["v"] + b["v"]})
        elif name == "fold_sum":
            out = win.fold_window("w", up, clock, windower, lambda: 0, lambda acc, v: acc + v["v"], lambda a, b: a + b, ordered=False)
        elif name == "fold_list":
            out = win.fold_window("w", up, clock, windower, list, lambda acc, v: acc + [v["v"]], lambda a, b: a + b, ordered=False)
        else:
            raise SystemExit(f"unknown op {name}")
    down, late, meta = [], [], []
    op.output("down", out.down, TestingSink(down))
    op.output("late", out.late, TestingSink(late))
    op.output("meta", out.meta, TestingSink(meta))
    run_main(flow)

    bounds = {(key, wid): (since_base(m.open_time), since_base(m.close_time)) for key, (wid, m) in meta}
    joined = [[key, [*bounds[(key, wid)], value]] for key, (wid, value) in down]
    late_items = []
    for key, (_wid, value) in late:
        # count_window's late values are the whole (key, value) items.
        item = [key, value[1] if name == "count" else value]
        if item not in late_items:
            late_items.append(item)
    by_text = lambda entry: json.dumps(entry, sort_keys=True)
    return {"down": sorted(joined, key=by_text), "late": sorted(late_items, key=by_text)}


def main():
    results = [{**s, "expected": same_every_time(lambda: run(s), repr(s["name"]))} for s in SCENARIOS]
    print(json.dumps({"bytewax": "0.21.1", "base": BASE.isoformat().replace("+00:00", "Z"), "scenarios": results}, indent=1))


if __name__ == "__main__":
    main()
