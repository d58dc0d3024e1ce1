"""Checks that the RxJS peer, the Bytewax peer and reference.py print the same checksums, and writes them.

Usage (from the repo root, after `npm run build` and `bash bench/peers/setup-bytewax.sh`):
  python3 bench/peers/verify.py [N ...]        (default N: 20000 1000000)
Writes bench/peers/checksums.json ({"checksums": {"<N>": {"W1": ..., ...}}}) when all agree; exit 1 otherwise.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "J")
# The RxJS peer has no join (J).
SKIP = {("rxjs", "J")}
COMMANDS: Dict[str, List[str]] = {
    "reference": [sys.executable, "bench/peers/reference.py"],
    "rxjs": ["node", "dist/bench/peers/rxjs.js"],
    "bytewax": ["bench/.venv/bin/python", "bench/peers/bytewax_bench.py"],
}


def run(command: List[str], workload: str, n: int) -> dict:
    done = subprocess.run(command + [workload, str(n)], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, f"{command}: expected one stdout line, got {lines!r}"
    return json.loads(lines[0])


def main(argv: List[str]) -> int:
    sizes = [int(a) for a in argv[1:]] or [20_000, 1_000_000]
    table: Dict[str, Dict[str, int]] = {}
    ok = True
    for n in sizes:
        for w in WORKLOADS:
            results = {name: run(cmd, w, n) for name, cmd in COMMANDS.items() if (name, w) not in SKIP}
            sums = {name: r["checksum"] for name, r in results.items()}
            speed = ", ".join(f"{k} {n / r['seconds']:,.0f}/s" for k, r in results.items() if "seconds" in r)
            agree = len(set(sums.values())) == 1
            ok = ok and agree
            print(f"{w} N={n}: {'OK' if agree else 'MISMATCH'} {sums}  ({speed})", flush=True)
            table.setdefault(str(n), {})[w] = sums["reference"]
    if not ok:
        return 1
    path = ROOT / "bench/peers/checksums.json"
    doc = {"source": "bench/peers/reference.py; equal for bench/peers/rxjs.ts and bytewax_bench.py", "checksums": table}
    path.write_text(json.dumps(doc, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
