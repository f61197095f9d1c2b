"""Coverage on dask: 1 worker against 2 workers, and what a big run would cost.

    python scripts/bench_distributed.py [--days 4] [--resolution 0.05] [--repeat 3]

1. A what-if fleet (Walker 53:12/3/1 at 550 km, each satellite with PRSC-EO1's
   imager as data/sensors.csv describes it) over Pakistan: the coverage engine's
   imaging run on a LocalCluster of 1 worker and of 2 workers, alternately
   (paired runs, wall time, as the work happens in the worker processes), with
   the results checked equal.  The ratio is the median of the paired ratios.
2. The engine's CPU cost per chunk at 0.02 deg, measured in this process on a
   short window, scaled to 100 satellites over a year at 10 s steps: the
   estimate the README gives (CPU hours, and wall hours on N workers at the
   measured 2-worker efficiency).

The machine is shared: the ratios are the numbers to read, not the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from paired import cpu_seconds  # noqa: E402

START = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)


def fleet(total: int = 12, planes: int = 3):
    from orbitview.access.imaging import imaging_rule
    from orbitview.access.rules import RuleBySatellite
    from orbitview.data.catalog import load_catalog
    from orbitview.data.external import satellites_from_sets
    from orbitview.data.sensors import load_sensors
    from orbitview.orbit.design import WalkerSpec, to_sets, walker
    catalog = load_catalog()
    sensor = load_sensors(catalog)[catalog.resolve("PRSC-EO1").norad_id]
    sats = satellites_from_sets(to_sets(walker(WalkerSpec(53.0, total, planes, 1), 550.0,
                                               START)), "benchmark design")
    return sats, RuleBySatellite({s.norad_id: imaging_rule(sensor) for s in sats})


def problem(resolution: float, hours: float, step_s: float = 10.0, total: int = 12):
    from orbitview.access import coverage
    from orbitview.data.regions import REGIONS, pakistan_polygon
    sats, rule = fleet(total, 3 if total % 3 == 0 else 1)
    grid = coverage.make_grid(REGIONS["pakistan"], resolution, pakistan_polygon())
    n = coverage.steps_between(START, START + dt.timedelta(hours=hours), step_s)
    return coverage.CoverageProblem(sats, grid, rule, START, step_s, n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=float, default=4.0)
    ap.add_argument("--resolution", type=float, default=0.05)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--estimate-hours", type=float, default=6.0,
                    help="window measured at 0.02 deg for the estimate")
    args = ap.parse_args()
    from orbitview.access import distributed

    p = problem(args.resolution, args.days * 24.0)
    chunks = p.chunks()
    print(f"scaling case: 12 satellites (imaging), Pakistan at {args.resolution:g} deg "
          f"({p.n_cell} cells), {args.days:g} days at 10 s ({p.n_steps} steps, "
          f"{len(chunks)} chunks)")
    with distributed.cluster_client(workers=1) as one, \
            distributed.cluster_client(workers=2) as two:
        for client in (one, two):                     # warm-up: imports, scatter
            distributed.compute(p, client)
        times = {1: [], 2: []}
        results = {}
        for _ in range(args.repeat):
            for n, client in ((1, one), (2, two)):
                t0 = time.perf_counter()
                results[n] = distributed.compute(p, client)
                times[n].append(time.perf_counter() - t0)
    same = all(np.array_equal(getattr(results[1], k), getattr(results[2], k))
               for k in ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min"))
    ratios = [a / b for a, b in zip(times[1], times[2])]
    speedup = statistics.median(ratios)
    print(f"  1 worker : median {statistics.median(times[1]):6.1f} s wall   "
          f"runs {', '.join(f'{t:.1f}' for t in times[1])}")
    print(f"  2 workers: median {statistics.median(times[2]):6.1f} s wall   "
          f"runs {', '.join(f'{t:.1f}' for t in times[2])}")
    print(f"  speed-up 2 vs 1 worker (median of paired ratios): {speedup:.2f}x, "
          f"efficiency {speedup / 2:.0%}; results equal: {same}")

    q = problem(0.02, args.estimate_hours)
    cpu, _ = cpu_seconds(lambda: q.reduce(q.chunks()))
    n_chunks = len(q.chunks())
    per_chunk = cpu / n_chunks
    steps_per_chunk = q.chunks()[0][1] - q.chunks()[0][0]
    year_steps = int(365 * 86400 / 10) + 1
    year_chunks = -(-year_steps // steps_per_chunk)
    per_chunk_100 = per_chunk * 100 / 12           # cost grows with the satellites near
    total_cpu_h = per_chunk_100 * year_chunks / 3600.0
    print(f"estimate: 0.02 deg over Pakistan ({q.n_cell} cells), chunks of {steps_per_chunk} "
          f"steps: {per_chunk:.3f} CPU s per chunk for 12 satellites (measured over "
          f"{n_chunks} chunks, {args.estimate_hours:g} h)")
    print(f"  100 satellites x 365 days at 10 s = {year_chunks} chunks x "
          f"{per_chunk_100:.2f} s = {total_cpu_h:.1f} CPU hours per coverage pass "
          f"(an optical imaging run makes two: with and without the Sun limit)")
    for workers in (2, 16, 64):
        eff = min(1.0, speedup / 2)
        print(f"  on {workers:3d} workers at {eff:.0%} efficiency: "
              f"{total_cpu_h / (workers * eff):.1f} h per pass")


if __name__ == "__main__":
    main()
