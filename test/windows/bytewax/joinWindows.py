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
null for a side without one). The input, the clock, the modes and the printing are
test/helpers/bytewax_join_cases.py's.
"""

import sys
from datetime import timedelta
from pathlib import Path

import bytewax.operators.windowing as win
from bytewax.operators.windowing import TumblingWindower

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
from bytewax_join_cases import EPOCH, cases_in_every_mode, ev, join_window_rows, print_cases, side_and_key, side_streams, standing_event_clock  # noqa: E402
from bytewax_recording import lcg  # noqa: E402


def generated(count, sides, keys, seed):
    """`count` events with times going up by 0 to 4 s: sides and keys drawn from a small LCG."""
    draw = lcg(seed)
    events = []
    t = 0
    for i in range(count):
        s, k = side_and_key(draw, sides, keys)
        t += (next(draw) % 5) * 1000
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


def run(events, sides, length, insert_mode, emit_mode):
    flow, branches = side_streams("join_window_case", events, sides)
    windower = TumblingWindower(length=timedelta(milliseconds=length), align_to=EPOCH)
    joined = win.join_window("join", standing_event_clock(0), windower, *branches, insert_mode=insert_mode, emit_mode=emit_mode)
    return join_window_rows(flow, joined)


def main():
    cases = []
    for name, sides, length, events in SCENARIOS:
        cases += cases_in_every_mode({"name": name, "sides": sides, "length": length}, events, lambda insert_mode, emit_mode: run(events, sides, length, insert_mode, emit_mode))
    print_cases(cases)


if __name__ == "__main__":
    main()
