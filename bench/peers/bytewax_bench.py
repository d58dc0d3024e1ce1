"""Bytewax 0.21 peer of the benchmark: workloads W1-W5 and J of bench/WORKLOADS.md with the operator API.

Usage: bench/.venv/bin/python bench/peers/bytewax_bench.py <W1|W2|W3|W4|W5|J> <N>   (setup: setup-bytewax.sh)
Prints one JSON line: workload, contender, items, seconds (flow build + run_main only), checksum,
maxRssKb, version. Items are computed from their index inside a DynamicSource, in batches, so input
generation is part of the measured time; a DynamicSink folds the outputs into the checksum.
"""

import json
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from typing import Any, Callable, Dict, List, Optional, Tuple

import bytewax.operators as op
from bytewax.dataflow import Dataflow, Stream
from bytewax.inputs import DynamicSource, StatelessSourcePartition
from bytewax.operators.windowing import EventClock, SessionWindower, TumblingWindower, count_window
from bytewax.outputs import DynamicSink, StatelessSinkPartition
from bytewax.testing import run_main

BATCH = 1000  # items per source batch
W5_GAP_MS = 23_000  # bench/workloads.ts
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def mix(i: int) -> int:
    h = (i * 2654435761) & 0xFFFFFFFF
    return h ^ (h >> 16)


def item_w1(i: int) -> int:
    return mix(i) % 1000


def item_w2(i: int) -> Tuple[str, int]:
    m = mix(i)
    return ("k" + str(m % 10000), m % 100)  # a 2-tuple (key, value) is already a KeyedStream item


def item_w3(i: int) -> Dict[str, Any]:
    return {"word": "w" + str(mix(i) % 1000), "t": i}


def item_w5(i: int) -> Tuple[str, int]:
    return ("k" + str(mix(i) % 10000), i)


def item_w4(i: int) -> str:
    return json.dumps({"word": "w" + str(mix(i) % 1000), "t": i}, separators=(",", ":"))


JOIN_KEYS = 10000


def item_join_left(j: int) -> Tuple[str, int]:
    return ("k" + str(j % JOIN_KEYS), mix(j) % 100)


def item_join_right(j: int) -> Tuple[str, int]:
    return ("k" + str((j + JOIN_KEYS // 2) % JOIN_KEYS), (mix(j) >> 8) % 100)


def join_contribution(row: Tuple[Optional[int], Optional[int]]) -> int:
    left, right = row
    return (0 if left is None else left + 1) * 101 + (0 if right is None else right + 1)


class _IndexPartition(StatelessSourcePartition[Any]):
    """Worker `w` of `n` emits make(i) for i = w, w+n, w+2n, ... < N, BATCH items at a time."""

    def __init__(self, make: Callable[[int], Any], start: int, step: int, end: int) -> None:
        self._make, self._next, self._step, self._end = make, start, step, end

    def next_batch(self) -> List[Any]:
        if self._next >= self._end:
            raise StopIteration()
        stop = min(self._end, self._next + BATCH * self._step)
        batch = [self._make(i) for i in range(self._next, stop, self._step)]
        self._next = stop
        return batch


class IndexSource(DynamicSource[Any]):
    def __init__(self, make: Callable[[int], Any], n: int) -> None:
        self._make, self._n = make, n

    def build(self, step_id: str, worker_index: int, worker_count: int) -> _IndexPartition:
        return _IndexPartition(self._make, worker_index, worker_count, self._n)


class _ChecksumPartition(StatelessSinkPartition[Any]):
    def __init__(self, sink: "ChecksumSink") -> None:
        self._sink = sink

    def write_batch(self, items: List[Any]) -> None:
        self._sink.total += self._sink.fold(items)


class ChecksumSink(DynamicSink[Any]):
    """Adds fold(batch) of every output batch into `total` (run_main: one worker, same thread)."""

    def __init__(self, fold: Callable[[List[Any]], int]) -> None:
        self.fold, self.total = fold, 0

    def build(self, step_id: str, worker_index: int, worker_count: int) -> _ChecksumPartition:
        return _ChecksumPartition(self)


class _AddPartition(StatelessSinkPartition[Any]):
    def __init__(self, target: ChecksumSink, fold: Callable[[List[Any]], int]) -> None:
        self._target, self._fold = target, fold

    def write_batch(self, items: List[Any]) -> None:
        self._target.total += self._fold(items)


class AddSink(DynamicSink[Any]):
    """Adds fold(batch) of every output batch into another ChecksumSink's total (run_main: same thread)."""

    def __init__(self, target: ChecksumSink, fold: Callable[[List[Any]], int]) -> None:
        self._target, self._fold = target, fold

    def build(self, step_id: str, worker_index: int, worker_count: int) -> _AddPartition:
        return _AddPartition(self._target, self._fold)


def running_sum(state: Optional[int], value: int) -> Tuple[int, int]:
    total = (state or 0) + value
    return (total, total)  # (new state, emitted value): emits (key, running sum)


def windowed_counts(words: Stream[Dict[str, Any]]) -> Stream[Tuple[str, Tuple[int, int]]]:
    """(word, (window_id, count)) per word and 1 s event-time tumbling window aligned to 0."""
    clock = EventClock(
        ts_getter=lambda item: EPOCH + timedelta(milliseconds=item["t"]),
        wait_for_system_duration=timedelta(0),
        # Pure event time: the default now_getter adds the wall time elapsed since the newest item to
        # the watermark, which marks some in-order items late when event time (1 ms per item) and
        # wall time advance at similar rates. A constant "now" and no wake-ups make windows close on
        # the key's next window or at end of input, deterministically.
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _close: None,
    )
    windower = TumblingWindower(length=timedelta(seconds=1), align_to=EPOCH)
    return count_window("count", words, clock, windower, lambda item: item["word"]).down


def session_counts(clicks: Stream[Tuple[str, int]]):
    """count_window per key over session windows of event time t = i ms (clock as in windowed_counts)."""
    clock = EventClock(
        ts_getter=lambda item: EPOCH + timedelta(milliseconds=item[1]),
        wait_for_system_duration=timedelta(0),
        now_getter=lambda: EPOCH,
        to_system_utc=lambda _close: None,
    )
    return count_window("count", clicks, clock, SessionWindower(gap=timedelta(milliseconds=W5_GAP_MS)), lambda item: item[0])


def build(workload: str, n: int, sink: ChecksumSink) -> Dataflow:
    flow = Dataflow(f"bench_{workload}")
    if workload == "W1":
        xs = op.input("inp", flow, IndexSource(item_w1, n))
        xs = op.map("triple", xs, lambda x: x * 3)
        xs = op.filter("even", xs, lambda x: x % 2 == 0)
        xs = op.map("inc", xs, lambda x: x + 1)
        sink.fold = sum
        op.output("out", xs, sink)
    elif workload == "W2":
        kvs = op.input("inp", flow, IndexSource(item_w2, n))
        sums = op.stateful_map("running_sum", kvs, running_sum)
        sink.fold = lambda batch: sum(s for _k, s in batch)
        op.output("out", sums, sink)
    elif workload == "W3":
        counts = windowed_counts(op.input("inp", flow, IndexSource(item_w3, n)))
        sink.fold = lambda batch: sum(c * c for _k, (_w, c) in batch)
        op.output("out", counts, sink)
    elif workload == "W5":
        out = session_counts(op.input("inp", flow, IndexSource(item_w5, n)))
        # Each session adds count * count (from the results) + (last - first) in ms (from the
        # metadata of the same session, emitted once it closes): two sinks into one checksum.
        one_ms = timedelta(milliseconds=1)
        sink.fold = lambda batch: sum(c * c for _k, (_w, c) in batch)
        op.output("out", out.down, sink)
        op.output("spans", out.meta, AddSink(sink, lambda batch: sum((m.close_time - m.open_time) // one_ms for _k, (_w, m) in batch)))
    elif workload == "J":
        left = op.input("left", flow, IndexSource(item_join_left, (n + 1) // 2))
        right = op.input("right", flow, IndexSource(item_join_right, n // 2))
        rows = op.join("join", left, right, insert_mode="last", emit_mode="running")
        sink.fold = lambda batch: sum(join_contribution(row) for _k, row in batch)
        op.output("out", rows, sink)
    else:
        lines = op.input("inp", flow, IndexSource(item_w4, n))
        counts = windowed_counts(op.map("parse", lines, json.loads))
        out = op.map("serialize", counts, lambda kv: json.dumps({"word": kv[0], "count": kv[1][1]}, separators=(",", ":")))
        # The count is read back from the serialized string ('{"word":"w1","count":7}').
        sink.fold = lambda batch: sum(int(s[s.rindex(":") + 1 : -1]) ** 2 + len(s) for s in batch)
        op.output("out", out, sink)
    return flow


def main(argv: List[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("W1", "W2", "W3", "W4", "W5", "J") or not argv[2].isdigit():
        print(f"usage: {argv[0]} <W1|W2|W3|W4|W5|J> <N>", file=sys.stderr)
        return 2
    workload, n = argv[1], int(argv[2])
    sink = ChecksumSink(sum)
    start = time.perf_counter()
    run_main(build(workload, n, sink))
    seconds = time.perf_counter() - start
    out = {
        "workload": workload,
        "contender": "bytewax",
        "items": n,
        "seconds": round(seconds, 6),
        "checksum": sink.total,
        "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "version": version("bytewax"),
    }
    print(json.dumps(out, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
