"""Paired runs for the benchmark scripts: the two sides alternate, so that whatever else
the shared machine is doing weighs on both, and the ratio is the median of the ratios of
each pair.  Times are CPU time of this process (waiting for other work is not counted)."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from dataclasses import dataclass


@dataclass
class Paired:
    ours: list[float]
    reference: list[float]

    @property
    def ratios(self) -> list[float]:
        return [o / r for o, r in zip(self.ours, self.reference)]

    @property
    def ratio(self) -> float:
        """Median of the paired ratios, ours / reference."""
        return statistics.median(self.ratios)

    def median(self, side: str) -> float:
        return statistics.median(getattr(self, side))


def cpu_seconds(f) -> tuple[float, object]:
    t0 = time.process_time()
    value = f()
    return time.process_time() - t0, value


def paired(ours, reference, repeat: int,
           warm_reference: bool = True) -> tuple[Paired, object, object]:
    """Run ``ours()`` and ``reference()`` alternately ``repeat`` times, after a warm-up
    run (of the reference too unless ``warm_reference`` is false); return the times and
    the last value of each."""
    ours()
    if warm_reference:
        reference()
    result = Paired([], [])
    for _ in range(repeat):
        t, mine = cpu_seconds(ours)
        result.ours.append(t)
        t, theirs = cpu_seconds(reference)
        result.reference.append(t)
    return result, mine, theirs


def child_seconds(cmd: list[str], env: dict) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process running ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall
