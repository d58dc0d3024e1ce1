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
order: the test compares those as a multiset. The input, the clock, the modes and the printing
are test/helpers/bytewax_join_cases.py's.
"""

import sys
from datetime import timedelta
from pathlib import Path

import bytewax.operators.windowing as win
from bytewax.operators.windowing import SessionWindower, SlidingWindower

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
from bytewax_join_cases import EPOCH, cases_in_every_mode, ev, join_window_rows, print_cases, side_and_key, side_streams, standing_event_clock  # noqa: E402
from bytewax_recording import lcg  # noqa: E402


def generated(count, sides, keys, seed, step_ms, back_ms):
    """`count` events whose times go up by 0 to `step_ms` and may then go back by up to `back_ms`."""
    draw = lcg(seed)
    events = []
    t = 20000
    for i in range(count):
        s, k = side_and_key(draw, sides, keys)
        t += next(draw) % (step_ms + 1)
        back = next(draw) % (back_ms + 1)
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


def windower_of(block):
    if block["type"] == "sliding":
        return SlidingWindower(length=timedelta(milliseconds=block["length"]), offset=timedelta(milliseconds=block["offset"]), align_to=EPOCH)
    return SessionWindower(gap=timedelta(milliseconds=block["gap"]))


def run(events, sides, block, wait, ordered, insert_mode, emit_mode):
    flow, branches = side_streams("join_window_kinds", events, sides)
    joined = win.join_window("join", standing_event_clock(wait), windower_of(block), *branches, insert_mode=insert_mode, emit_mode=emit_mode, ordered=ordered)
    return join_window_rows(flow, joined)


def main():
    cases = []
    for name, sides, block, wait, ordered, events in SCENARIOS:
        fields = {"name": name, "sides": sides, "window": block, "wait": wait}
        cases += cases_in_every_mode(fields, events, lambda insert_mode, emit_mode: run(events, sides, block, wait, ordered, insert_mode, emit_mode))
    print_cases(cases)


if __name__ == "__main__":
    main()
