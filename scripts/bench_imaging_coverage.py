"""Benchmark: a month of imaging coverage against a naive per-step loop, in one run.

Usage::

    python scripts/bench_imaging_coverage.py [--repeat 3] [--sample-hours 2]

The case: the six low-orbit imagers with element sets (PRSS-1, PakTES-1A,
PRSC-EO1, PRSC-S1, HS-1, PRSC-EO3) over Pakistan, 0.05 deg cells, 10 s steps,
each under its own imaging rule from ``data/sensors.csv`` (field of regard, Sun
at the target for the optical ones, incidence window for the radar).

1. Paired runs on a subsample (``--sample-hours`` from 04:30 UTC on the first day, when
   PRSC-EO3 and PRSC-EO1 pass over Pakistan, so the engine has work to do):
   orbitview's ``compute_coverage`` (propagation included) against a naive loop
   over time steps and satellites that evaluates the same rule at every cell
   (propagation and Sun given) and keeps the (cell x step) matrix.  Runs
   alternate; the ratio is the median of the paired ratios.  Both give the
   same opportunities and first-image steps (checked).
2. The month: ``compute_revisit`` (the engine, plus its rerun without the Sun
   limit for the daylight share) for 1, 7 and 30 days, each in a fresh process:
   CPU time and peak resident memory.  Memory must not grow with the steps.
   The naive loop's month is extrapolated from its measured time per step; its
   matrix alone would need cells x steps bytes.

Times are CPU time of the process (the machine is shared).  Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time

import numpy as np

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 6, tzinfo=UTC)
SAMPLE_START = dt.datetime(2026, 9, 6, 4, 30, tzinfo=UTC)
STEP_S = 10.0
RESOLUTION_DEG = 0.05
IMAGERS = ("PRSS-1", "PakTES-1A", "PRSC-EO1", "PRSC-S1", "HS-1", "PRSC-EO3")


def fleet():
    """(satellites, fleet rule) of the six LEO imagers."""
    from orbitview.access.rules import RuleBySatellite
    from orbitview.data.catalog import load_catalog
    from orbitview.data.sensors import load_sensors
    catalog = load_catalog()
    sensors = load_sensors(catalog)
    sats = catalog.resolve_many(IMAGERS)
    return sats, RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})


def pakistan_grid(resolution_deg=RESOLUTION_DEG):
    from orbitview.data.regions import REGIONS, pakistan_polygon
    from orbitview.access.coverage import make_grid
    return make_grid(REGIONS["pakistan"], resolution_deg, pakistan_polygon())


def naive_loop(sats, rule, grid, prop, sun):
    """Per time step, per satellite: the rule at every cell; the (cell x step) matrix."""
    from orbitview.data.sites import enu_basis, ground_itrs_km
    lat, lon = grid.cell_lat, grid.cell_lon
    cells, enu = ground_itrs_km(lat, lon, np.zeros(len(lat))), enu_basis(lat, lon)
    rules = [rule.for_satellite(s) for s in sats]
    covered = np.zeros((len(lat), len(prop.t)), bool)
    for k in range(len(prop.t)):
        for i, r in enumerate(rules):
            m = r.margin_deg_at(prop.itrs_km[:, i, k][:, None], cells, enu,
                                sun[:, k][:, None] if r.needs_sun else None)
            covered[:, k] |= m >= 0
    starts = np.diff(np.c_[np.zeros(len(lat), bool), covered].astype(np.int8), axis=1) == 1
    first = np.where(covered.any(axis=1), covered.argmax(axis=1), -1)
    return starts.sum(axis=1), first, covered.nbytes


def paired(sats, rule, grid, hours, repeat):
    from orbitview.access.rules import sun_unit_itrs
    from orbitview.access.coverage import compute_coverage
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    end = SAMPLE_START + dt.timedelta(hours=hours)
    ours, naive, ratios = [], [], []
    for _ in range(repeat):
        t0 = time.process_time()
        result = compute_coverage(sats, grid, rule, SAMPLE_START, end, STEP_S)
        ours.append(time.process_time() - t0)
        t = time_grid(SAMPLE_START, end, STEP_S)
        prop, sun = propagate(sats, t), sun_unit_itrs(t)
        t0 = time.process_time()
        opportunities, first, matrix_bytes = naive_loop(sats, rule, grid, prop, sun)
        naive.append(time.process_time() - t0)
        ratios.append(naive[-1] / ours[-1])
    same = (np.array_equal(result.partial.accesses, opportunities)
            and np.array_equal(result.partial.first, first))
    n_steps = result.n_time
    print(f"subsample: {len(sats)} imagers, {hours:g} h from {SAMPLE_START:%H:%M} UTC = "
          f"{n_steps:,} steps of {STEP_S:g} s, "
          f"{int(grid.mask.sum()):,} cells of {RESOLUTION_DEG} deg over Pakistan; "
          f"median of {repeat} paired runs")
    print(f"  orbitview compute_coverage (propagation included) {statistics.median(ours):.2f} s;"
          f" naive per-step loop (propagation and Sun given) {statistics.median(naive):.1f} s;"
          f" naive / orbitview {statistics.median(ratios):.0f}x")
    print(f"  same opportunities and first-image step in every cell: {'yes' if same else 'NO'};"
          f" the naive loop's matrix: {matrix_bytes / 2**20:.0f} MiB for {n_steps:,} steps")
    return statistics.median(naive) / n_steps, int(grid.mask.sum())


RUN = r'''
import datetime as dt, json, resource, sys, time
sys.path.insert(0, "scripts")
from bench_imaging_coverage import START, STEP_S, fleet, pakistan_grid
from orbitview.access.revisit import compute_revisit
days = float(sys.argv[1])
sats, rule = fleet()
grid = pakistan_grid()
t0 = time.process_time()
rev = compute_revisit(sats, grid, rule, START, START + dt.timedelta(days=days), STEP_S)
print(json.dumps({"s": time.process_time() - t0, "steps": rev.coverage.n_time,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "mean_opportunities": float(rev.opportunities.mean()),
                  "max_revisit_h": float(rev.max_revisit_h.max())}))
'''


def month(naive_s_per_step: float, n_cell: int):
    for days in (1, 7, 30):
        out = subprocess.run([sys.executable, "-c", RUN, str(days)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        naive = naive_s_per_step * r["steps"]
        print(f"month run, {days:g} d = {r['steps']:,} steps (engine twice: with and without "
              f"the Sun limit): {r['s']:.1f} s CPU, peak resident {r['rss'] / 2**30:.2f} GiB;"
              f" naive loop extrapolated {naive / 60:.0f} min (x{naive / r['s']:.0f}), its "
              f"matrix {n_cell * r['steps'] / 2**30:.1f} GiB; mean opportunities per cell "
              f"{r['mean_opportunities']:.1f}, longest wait {r['max_revisit_h']:.1f} h")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-hours", type=float, default=2.0)
    args = parser.parse_args()
    sats, rule = fleet()
    per_step, n_cell = paired(sats, rule, pakistan_grid(), args.sample_hours, args.repeat)
    month(per_step, n_cell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
