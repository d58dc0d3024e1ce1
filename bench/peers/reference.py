"""Reference checksums for the benchmark workloads (bench/WORKLOADS.md), computed by plain Python loops.

Usage: python3 bench/peers/reference.py <W1|W2|W3|W4|W5|J> <N>
Prints {"workload":..., "contender":"python-reference", "items":N, "checksum":...} on one line.
Used to check that RxJS, Bytewax and the JS hand loop agree; no dependencies.
"""

import json
import sys
from typing import Callable, Dict, Tuple

WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "J")
W5_GAP_MS = 23_000


def mix(i: int) -> int:
    h = (i * 2654435761) & 0xFFFFFFFF
    return h ^ (h >> 16)


def w1(n: int) -> int:
    total = 0
    for i in range(n):
        x = (mix(i) % 1000) * 3
        if x % 2 == 0:
            total += x + 1
    return total


def w2(n: int) -> int:
    sums: Dict[str, int] = {}
    total = 0
    for i in range(n):
        m = mix(i)
        key = "k" + str(m % 10000)
        s = sums.get(key, 0) + m % 100
        sums[key] = s
        total += s
    return total


def window_counts(n: int) -> Dict[Tuple[str, int], int]:
    counts: Dict[Tuple[str, int], int] = {}
    for i in range(n):
        wk = ("w" + str(mix(i) % 1000), i // 1000)  # (word, 1 s tumbling window of t = i ms)
        counts[wk] = counts.get(wk, 0) + 1
    return counts


def w3(n: int) -> int:
    return sum(c * c for c in window_counts(n).values())


def w4(n: int) -> int:
    # Same windows as W3; each output is JSON.stringify({word, count}) (compact separators).
    return sum(
        c * c + len(json.dumps({"word": word, "count": c}, separators=(",", ":")))
        for (word, _win), c in window_counts(n).items()
    )


def w5(n: int) -> int:
    # Per key "k<mix(i) % 10000>", sessions of items (t = i ms) at most W5_GAP_MS apart;
    # each adds count * count + (last - first).
    sessions: Dict[str, list] = {}
    total = 0
    for i in range(n):
        key = "k" + str(mix(i) % 10000)
        s = sessions.get(key)
        if s is None:
            sessions[key] = [1, i, i]
        elif i - s[2] <= W5_GAP_MS:
            s[0] += 1
            s[2] = i
        else:
            total += s[0] * s[0] + s[2] - s[1]
            sessions[key] = [1, i, i]
    return total + sum(c * c + last - first for c, first, last in sessions.values())


def j(n: int) -> int:
    # Item i is side i % 2, its index on that side i // 2; each updates its key's latest value of
    # its side and emits the key's row (left, right), None for a side without a value yet.
    rows: Dict[str, list] = {}
    total = 0
    for i in range(n):
        k, m = i // 2, mix(i // 2)
        if i % 2 == 0:
            row = rows.setdefault("k" + str(k % 10000), [None, None])
            row[0] = m % 100
        else:
            row = rows.setdefault("k" + str((k + 5000) % 10000), [None, None])
            row[1] = (m >> 8) % 100
        left, right = row
        total += (0 if left is None else left + 1) * 101 + (0 if right is None else right + 1)
    return total


def main(argv: list[str]) -> int:
    runs: Dict[str, Callable[[int], int]] = {"W1": w1, "W2": w2, "W3": w3, "W4": w4, "W5": w5, "J": j}
    if len(argv) != 3 or argv[1] not in runs or not argv[2].isdigit():
        print(f"usage: {argv[0]} <{'|'.join(WORKLOADS)}> <N>", file=sys.stderr)
        return 2
    w, n = argv[1], int(argv[2])
    out = {"workload": w, "contender": "python-reference", "items": n, "checksum": runs[w](n)}
    print(json.dumps(out, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
