"""
What the scripts that record Bytewax 0.21.1's joins share (test/operators/bytewax/joins.py,
test/windows/bytewax/joinWindows.py, test/windows/bytewax21/joinWindowKinds.py): a scenario is a
list of events [side, key, value] read by one input (TestingSource, one item per batch) and split
into a branch per side (filter + map) that feeds the join, so the join sees the events in the
input's order; it runs in every insert mode and emit mode (bytewax_recording.py checks Bytewax's
output is the same every time), and the cases are printed one a line, so diffs stay readable.

For `join_window`: events' values are {"t": ms after EPOCH, "v": ...}, the clock is an EventClock
on `t` whose system time never moves (`standing_event_clock`), and a row is recorded as
[key, window id, [v0, v1, ...]] (null for a side without a value).
"""

import json
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock
from bytewax.testing import TestingSink, TestingSource, run_main

from bytewax_recording import same_every_time

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
INSERT_MODES = ["first", "last", "product"]
EMIT_MODES = ["complete", "final", "running"]


def ev(side, key, t, v):
    """
    A join_window event: `v` on `side` for `key` at `t` ms after EPOCH.

    >>> ev(1, "a", 2000, "A1")
    [1, 'a', {'t': 2000, 'v': 'A1'}]
    """
    return [side, key, {"t": t, "v": v}]


def side_and_key(draw, sides, keys):
    """
    A generated event's side and key, drawn from `draw` (bytewax_recording.lcg), side first.

    >>> from bytewax_recording import lcg
    >>> side_and_key(lcg(7), 2, 4)
    (1, 'k3')
    """
    return next(draw) % sides, "k%d" % (next(draw) % keys)


def side_streams(flow_name, events, sides):
    """A dataflow reading `events` and its streams of (key, value), one a side, in side order."""
    flow = Dataflow(flow_name)
    stream = op.input("inp", flow, TestingSource([tuple(e) for e in events]))
    branches = []
    for s in range(sides):
        only = op.filter(f"side_{s}", stream, lambda e, s=s: e[0] == s)
        branches.append(op.map(f"pair_{s}", only, lambda e: (e[1], e[2])))
    return flow, branches


def standing_event_clock(wait_ms):
    """An EventClock on the values' `t` whose system time stands at EPOCH: the watermark moves with items only."""
    return EventClock(
        ts_getter=lambda v: EPOCH + timedelta(milliseconds=v["t"]),
        wait_for_system_duration=timedelta(milliseconds=wait_ms),
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _close: None,
    )


def join_window_rows(flow, joined):
    """Runs `flow` and returns the rows `joined` (a join_window's output) emitted; exits if an item was late."""
    out = []
    op.output("out", joined.down, TestingSink(out))
    late = []
    op.output("late", joined.late, TestingSink(late))
    run_main(flow)
    if late:
        raise SystemExit(f"a scenario with late items: {late}")
    return [[key, window_id, [None if x is None else x["v"] for x in row]] for key, (window_id, row) in out]


def cases_in_every_mode(fields, events, run):
    """
    The cases of one scenario: `run(insert_mode, emit_mode)`'s output in every mode, each case
    recorded as `fields` (the scenario's name first), the modes, the events and what was expected.
    """
    cases = []
    for insert_mode in INSERT_MODES:
        for emit_mode in EMIT_MODES:
            expected = same_every_time(lambda: run(insert_mode, emit_mode), f"{fields['name']!r} {insert_mode} {emit_mode}")
            cases.append({**fields, "insertMode": insert_mode, "emitMode": emit_mode, "events": events, "expected": expected})
    return cases


def print_cases(cases):
    """Prints the fixture: Bytewax's version and the cases, one a line."""
    lines = [json.dumps(case, separators=(",", ":")) for case in cases]
    print('{"bytewax": %s, "cases": [\n%s\n]}' % (json.dumps(version("bytewax")), ",\n".join(lines)))
