"""
Runs join scenarios through Bytewax 0.21.1 itself and writes what it emits to joins.json (the
expected values of test/operators/joinBytewax.test.ts).

Re-run from the repository root, with the benchmark's Bytewax (bash bench/peers/setup-bytewax.sh):

    bench/.venv/bin/python test/operators/bytewax/joins.py > test/operators/bytewax/joins.json

Each scenario is a list of events [side, key, value] read by one input (TestingSource, one item per
batch); a branch per side (filter + map) feeds `op.join`, so the join sees the events in the
input's order. Every scenario runs in every insert mode and emit mode, five times each, to check
that Bytewax's own output is deterministic (the script fails otherwise). Outputs are recorded in
the order Bytewax emitted them, as [key, [v0, v1, ...]] with null for a side without a value.
"""

import json
from importlib.metadata import version

import bytewax.operators as op
from bytewax.dataflow import Dataflow
from bytewax.testing import TestingSink, TestingSource, run_main

INSERT_MODES = ["first", "last", "product"]
EMIT_MODES = ["complete", "final", "running"]


def interleave(*lists):
    out = []
    for i in range(max(len(l) for l in lists)):
        for l in lists:
            if i < len(l):
                out.append(l[i])
    return out


def side(s, key, values):
    return [[s, key, v] for v in values]


def generated(count, sides, keys, seed):
    """`count` events from a small linear congruential generator: sides and keys drawn, values numbered."""
    state = seed
    events = []
    for i in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        s = (state >> 8) % sides
        state = (state * 1103515245 + 12345) % 2**31
        k = "k%d" % ((state >> 8) % keys)
        events.append([s, k, i])
    return events


SCENARIOS = [
    ("ordered: every value of side 0, then side 1", 2, side(0, "a", [1, 2]) + side(0, "b", [3]) + side(1, "a", [10, 20]) + side(1, "c", [30])),
    ("interleaved: the sides take turns", 2, interleave(side(0, "a", [1, 2, 3]), side(1, "a", [10, 20, 30]))),
    ("interleaved keys, completed and opened again", 2, [
        [0, "a", 1], [1, "a", 10], [0, "b", 2], [1, "a", 20], [0, "a", 3],
        [1, "b", 30], [0, "z", 9], [1, "a", 40], [0, "b", 4], [1, "b", 50],
    ]),
    ("one side only: no key is ever complete", 2, side(1, "x", [1, 2]) + side(1, "y", [3])),
    ("three sides, values of any JSON kind", 3, [
        [2, "k", {"deep": [1]}], [0, "k", None], [1, "j", True], [1, "k", "x"],
        [2, "k", 7], [0, "j", 0], [2, "j", "last"], [1, "k", "y"], [0, "k", 1.5],
    ]),
    ("a join of one side", 1, side(0, "a", [1, 2]) + side(0, "b", [3]) + side(0, "a", [4])),
    ("generated: 60 events, 2 sides, 4 keys", 2, generated(60, 2, 4, 7)),
    ("generated: 40 events, 3 sides, 3 keys", 3, generated(40, 3, 3, 11)),
]


def run(events, sides, insert_mode, emit_mode):
    flow = Dataflow("join_case")
    stream = op.input("inp", flow, TestingSource([tuple(e) for e in events]))
    branches = []
    for s in range(sides):
        only = op.filter(f"side_{s}", stream, lambda e, s=s: e[0] == s)
        branches.append(op.map(f"pair_{s}", only, lambda e: (e[1], e[2])))
    joined = op.join("join", *branches, insert_mode=insert_mode, emit_mode=emit_mode)
    out = []
    op.output("out", joined, TestingSink(out))
    run_main(flow)
    return [[key, list(row)] for key, row in out]


def main():
    cases = []
    for name, sides, events in SCENARIOS:
        for insert_mode in INSERT_MODES:
            for emit_mode in EMIT_MODES:
                outputs = [run(events, sides, insert_mode, emit_mode) for _ in range(5)]
                if any(o != outputs[0] for o in outputs):
                    raise SystemExit(f"Bytewax gave different outputs for {name!r} {insert_mode} {emit_mode}: {outputs}")
                cases.append({"name": name, "sides": sides, "insertMode": insert_mode, "emitMode": emit_mode, "events": events, "expected": outputs[0]})
    # One case a line: diffs stay readable, the file small.
    lines = [json.dumps(case, separators=(",", ":")) for case in cases]
    print('{"bytewax": %s, "cases": [\n%s\n]}' % (json.dumps(version("bytewax")), ",\n".join(lines)))


if __name__ == "__main__":
    main()
