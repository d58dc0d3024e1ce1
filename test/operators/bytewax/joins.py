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
The input, the modes and the printing are test/helpers/bytewax_join_cases.py's.
"""

import sys
from pathlib import Path

import bytewax.operators as op
from bytewax.testing import TestingSink, run_main

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
from bytewax_join_cases import cases_in_every_mode, print_cases, side_and_key, side_streams  # noqa: E402
from bytewax_recording import interleave, lcg  # noqa: E402


def side(s, key, values):
    return [[s, key, v] for v in values]


def generated(count, sides, keys, seed):
    """`count` events from a small linear congruential generator: sides and keys drawn, values numbered."""
    draw = lcg(seed)
    return [[*side_and_key(draw, sides, keys), i] for i in range(count)]


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
    flow, branches = side_streams("join_case", events, sides)
    joined = op.join("join", *branches, insert_mode=insert_mode, emit_mode=emit_mode)
    out = []
    op.output("out", joined, TestingSink(out))
    run_main(flow)
    return [[key, list(row)] for key, row in out]


def main():
    cases = []
    for name, sides, events in SCENARIOS:
        cases += cases_in_every_mode({"name": name, "sides": sides}, events, lambda insert_mode, emit_mode: run(events, sides, insert_mode, emit_mode))
    print_cases(cases)


if __name__ == "__main__":
    main()
