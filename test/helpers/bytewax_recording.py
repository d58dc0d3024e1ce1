"""
What the scripts that record Bytewax's outputs as test fixtures share, whatever Bytewax version
runs them (test/windows/bytewax/windowEpochs.py runs on 0.11.2; the others on 0.21.1): running a
scenario several times to check Bytewax's own output is deterministic, interleaving lists of
items, and the small random generator of their generated scenarios.

The scripts are run as files (`python test/windows/bytewax/joinWindows.py`), so each puts this
folder on its import path first:

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "helpers"))
"""


def same_every_time(run, what, times=5):
    """
    `run()`'s output, after running it `times` times: exits naming `what` if Bytewax's output varied.

    >>> same_every_time(lambda: [1, 2], "'a case'")
    [1, 2]
    """
    outputs = [run() for _ in range(times)]
    if any(o != outputs[0] for o in outputs):
        raise SystemExit(f"Bytewax gave different outputs for {what}: {outputs}")
    return outputs[0]


def interleave(*lists):
    """
    The lists' items taking turns, in order; a list that runs out is skipped.

    >>> interleave([1, 2, 3], [10])
    [1, 10, 2, 3]
    """
    out = []
    for i in range(max(len(l) for l in lists)):
        for l in lists:
            if i < len(l):
                out.append(l[i])
    return out


def lcg(seed):
    """
    The draws of a small linear congruential generator (the one every generated scenario uses):
    an endless iterator of whole numbers below 2**23.

    >>> draw = lcg(7); next(draw) % 2, next(draw) % 4
    (1, 3)
    """
    state = seed
    while True:
        state = (state * 1103515245 + 12345) % 2**31
        yield state >> 8
