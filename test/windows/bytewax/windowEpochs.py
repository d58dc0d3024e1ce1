"""
Runs window flows through Bytewax 0.11.2 itself and writes what it emits, epoch by epoch, to
windowEpochs.json (the expected values of test/windows/bytewaxEpochs.test.ts).

Re-run from the repository root (Bytewax 0.11 has wheels for Python 3.10 only):

    python3.10 -m venv .bw11 && .bw11/bin/pip install bytewax==0.11.2
    .bw11/bin/python test/windows/bytewax/windowEpochs.py > test/windows/bytewax/windowEpochs.json

Times are milliseconds after BASE; every case runs with one worker (run_main), and each case is run
five times to check that Bytewax's own output is deterministic (the script fails otherwise:
test/helpers/bytewax_recording.py).
"""

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bytewax.dataflow import Dataflow
from bytewax.execution import PeriodicEpochConfig, TestingEpochConfig, run_main
from bytewax.inputs import TestingInputConfig
from bytewax.outputs import TestingEpochOutputConfig
from bytewax.window import TestingClockConfig, TumblingWindowConfig

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
from bytewax_recording import interleave, same_every_time  # noqa: E402

BASE = datetime(2022, 1, 1)


def ms(n):
    return timedelta(milliseconds=n)


def case(name, items, item_incr, clock_start, length, window_start, op="fold", epochs="testing"):
    return {
        "name": name,
        "items": items,
        "itemIncr": item_incr,
        "clockStartAt": clock_start,
        "length": length,
        "windowStartAt": window_start,
        "op": op,
        "epochs": epochs,
    }


def keyed(key, values):
    return [[key, v] for v in values]


CASES = [
    case("issue 10: three items 5 s apart, 10 s windows", keyed("k", [1, 2, 3]), 5000, 0, 10000, 0),
    case("one item", keyed("k", [1]), 5000, 0, 10000, 0),
    case("seven items 5 s apart", keyed("k", list(range(1, 8))), 5000, 0, 10000, 0),
    case("items 7 s apart (a window closes after the item that passes its close)", keyed("k", list(range(1, 7))), 7000, 0, 10000, 0),
    case("items 3 s apart", keyed("k", list(range(1, 11))), 3000, 0, 10000, 0),
    case("items exactly one window apart", keyed("k", list(range(1, 6))), 10000, 0, 10000, 0),
    case("items 2.5 windows apart (every window closes at once)", keyed("k", list(range(1, 6))), 25000, 0, 10000, 0),
    case("itemIncr 0: time never moves", keyed("k", list(range(1, 6))), 0, 0, 10000, 0),
    case("milliseconds: items 7 ms apart, 10 ms windows", keyed("k", list(range(1, 7))), 7, 0, 10, 0),
    case("clock starts 3 s after the windows", keyed("k", list(range(1, 9))), 4000, 3000, 10000, 0),
    case("clock starts 4 s before the windows (window 0 takes negative times)", keyed("k", list(range(1, 9))), 4000, 0, 10000, 4000),
    case("reduce_window sums, 4 s apart", keyed("k", list(range(1, 9))), 4000, 0, 10000, 0, op="reduce"),
    case(
        "two keys interleaved, each with its own clock",
        interleave(keyed("a", [1, 2, 3, 4, 5]), keyed("b", [10, 20, 30, 40, 50, 60, 70])),
        4000, 0, 10000, 0,
    ),
    case(
        "three keys, uneven",
        interleave(keyed("a", [1, 2]), keyed("b", [10, 20, 30, 40, 50, 60]), keyed("c", [100, 200, 300, 400])),
        6000, 0, 10000, 0, op="reduce",
    ),
    case("one key after another", keyed("a", [1, 2, 3, 4]) + keyed("b", [5, 6, 7, 8]), 5000, 0, 10000, 0),
    case("periodic epochs, all in epoch 0", keyed("k", list(range(1, 8))), 5000, 0, 10000, 0, epochs="periodic"),
    case(
        "periodic epochs, two keys",
        interleave(keyed("a", [1, 2, 3, 4, 5]), keyed("b", [10, 20, 30])),
        4000, 0, 10000, 0, op="reduce", epochs="periodic",
    ),
]


def run(c):
    flow = Dataflow()
    flow.input("inp", TestingInputConfig([tuple(item) for item in c["items"]]))
    clock = TestingClockConfig(item_incr=ms(c["itemIncr"]), start_at=BASE + ms(c["clockStartAt"]))
    window = TumblingWindowConfig(length=ms(c["length"]), start_at=BASE + ms(c["windowStartAt"]))
    if c["op"] == "fold":
        flow.fold_window("win", clock, window, list, lambda acc, v: acc + [v])
    else:
        flow.reduce_window("win", clock, window, lambda a, b: a + b)
    out = []
    flow.capture(TestingEpochOutputConfig(out))
    epoch_config = TestingEpochConfig() if c["epochs"] == "testing" else PeriodicEpochConfig(timedelta(seconds=100))
    run_main(flow, epoch_config=epoch_config)
    # Within an epoch Bytewax's order across keys and windows is hash-map order: sort it.
    return sorted([[epoch, [key, acc]] for epoch, (key, acc) in out], key=lambda e: (e[0], json.dumps(e[1])))


def main():
    results = [{**c, "expected": same_every_time(lambda: run(c), repr(c["name"]))} for c in CASES]
    print(json.dumps({"bytewax": "0.11.2", "base": BASE.isoformat() + "Z", "cases": results}, indent=1))


if __name__ == "__main__":
    main()
