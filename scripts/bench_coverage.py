"""Benchmark: the coverage engine against a naive loop, side by side in one run.

Usage::

    python scripts/bench_coverage.py [--repeat 3] [--month]

1. Coverage of Pakistan by 10 LEO orbits, 24 h at 30 s, 0.05 deg grid (32,777
   cells): orbitview's ``compute_coverage`` (propagation included) against a
   straightforward loop over time steps and satellites that computes the
   haversine distance from each sub-satellite point to every cell (given the
   propagation).  Runs alternate; the ratio is the median of the paired
   ratios (target: at least 300x).  The 10 orbits are the 7 bundled LEO
   objects and 3 older sets of PRSS-1, PakTES-1A and PRSC-S1 (other phases).
2. The same with the 2 bundled geostationary objects added (PakSat-MM1 covers
   every cell at every step: the engine's whole-chunk shortcut).
3. Exactness: the engine against a dense brute force (the access rule at every
   cell, satellite and step; metrics by plain loops) on a 0.25 deg grid.
4. Memory: peak resident memory of a 24 h and a 744 h run at 0.05 deg, each in a
   fresh process; with ``--month`` also 744 h at 0.02 deg (205,000 cells).  It must not
   grow with the days: chunks hold one pass matrix (passes x cells), not steps x cells.

Times are CPU time of this process (the machine is shared: CPU time does not count
waiting for other work).  Prints times, ratios and memory; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from paired import paired as paired_runs  # noqa: E402

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 7, tzinfo=UTC)


def satellites():
    """The 9 bundled objects with element sets plus PRSS-1's 2025 set as a tenth orbit."""
    from orbitview.data.catalog import Satellite, load_catalog
    catalog = load_catalog()
    sats = catalog.with_elements()
    prss1 = catalog.resolve("PRSS-1")
    tenth = Satellite(prss1.record, [prss1.elements[0]])    # the 2025 set: another phase
    return sats + [tenth]


def leo_satellites():
    """Ten low orbits: the 7 bundled LEO objects and 3 older sets (other orbital phases)."""
    from orbitview.data.catalog import Satellite, load_catalog
    catalog = load_catalog()
    leo = [s for s in catalog.with_elements() if not s.latest.is_deep_space]
    extra = [Satellite(catalog.resolve(n).record, [catalog.resolve(n).elements[0]])
             for n in ("PRSS-1", "PakTES-1A", "PRSC-S1")]
    return leo + extra


def haversine_baseline(prop, grid, rule):
    """Per time step, per satellite: great-circle distance to every cell vs footprint."""
    from orbitview.access.rules import central_angle_deg
    lat = np.radians(grid.cell_lat)
    lon = np.radians(grid.cell_lon)
    covered = np.zeros((len(prop.t), len(lat)), dtype=bool)
    for k in range(len(prop.t)):
        for i in range(len(prop.names)):
            slat, slon = np.radians(prop.lat_deg[i, k]), np.radians(prop.lon_deg[i, k])
            a = (np.sin((lat - slat) / 2) ** 2
                 + np.cos(lat) * np.cos(slat) * np.sin((lon - slon) / 2) ** 2)
            angle = np.degrees(2 * np.arcsin(np.sqrt(a)))
            covered[k] |= angle <= central_angle_deg(prop.altitude_km[i, k],
                                                     rule.min_elevation_deg)
    return covered.mean(axis=0) * 100


def coverage_case(label, sats, grid, rule, repeat):
    from orbitview.access.coverage import compute_coverage
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    end = START + dt.timedelta(hours=24)
    prop = propagate(sats, time_grid(START, end, 30.0))
    runs, result, baseline = paired_runs(
        lambda: compute_coverage(sats, grid, rule, START, end, 30.0),
        lambda: haversine_baseline(prop, grid, rule), repeat, warm_reference=False)
    print(f"coverage, {label}: {len(sats)} satellites, 2881 steps of 30 s, "
          f"{int(grid.mask.sum()):,} cells of 0.05 deg over Pakistan, median of {repeat}")
    print(f"  orbitview compute_coverage (propagation included) "
          f"{runs.median('ours'):.3f} s; naive haversine loop "
          f"{runs.median('reference'):.1f} s; orbitview / naive 1/{1 / runs.ratio:.0f} "
          "(target: naive at least 300x)")
    print(f"  satellite-time samples near the region: {result.samples_evaluated} of "
          f"{result.samples_total}; mean coverage {result.coverage_percent.mean():.2f}% "
          f"(the naive loop's spherical rule: {baseline.mean():.2f}%)")


def exactness():
    from orbitview.access.coverage import compute_coverage, make_grid
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.regions import REGIONS, pakistan_polygon
    sys.path.insert(0, "tests")
    from test_coverage import brute_force
    sats = leo_satellites()
    grid = make_grid(REGIONS["pakistan"], 0.25, pakistan_polygon())
    rule = VisibilityRule(10.0)
    result = compute_coverage(sats, grid, rule, START, START + dt.timedelta(hours=24), 30.0)
    pct, acc, gmax, gmean = brute_force(sats, grid, rule, START, 24, 30.0)
    same = (np.allclose(result.coverage_percent, pct, rtol=0, atol=1e-9)
            and np.array_equal(result.accesses, acc)
            and np.allclose(result.max_gap_min, gmax, rtol=0, atol=1e-9)
            and np.allclose(result.mean_gap_min, gmean, rtol=0, atol=1e-9))
    print(f"exactness, 10 LEO x 24 h at 30 s, {len(pct)} cells of 0.25 deg: every metric of "
          f"every cell equal to the dense brute force: {'yes' if same else 'NO'}")


RUN = r'''
import datetime as dt, json, resource, sys, time
sys.path.insert(0, "scripts")
from bench_coverage import leo_satellites, START
from orbitview.access.rules import VisibilityRule
from orbitview.data.regions import REGIONS, pakistan_polygon
from orbitview.access.coverage import compute_coverage, make_grid
hours, resolution = float(sys.argv[1]), float(sys.argv[2])
grid = make_grid(REGIONS["pakistan"], resolution, pakistan_polygon())
t0 = time.process_time()
r = compute_coverage(leo_satellites(), grid, VisibilityRule(10), START,
                     START + dt.timedelta(hours=hours), 30.0)
print(json.dumps({"s": time.process_time() - t0, "cells": int(grid.mask.sum()),
                  "steps": r.n_time,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
'''


def memory(month: bool):
    runs = [(24, 0.05), (744, 0.05)] + ([(744, 0.02)] if month else [])
    for hours, resolution in runs:
        out = subprocess.run([sys.executable, "-c", RUN, str(hours), str(resolution)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"memory, 10 LEO x {hours} h at 30 s ({r['steps']:,} steps), "
              f"{r['cells']:,} cells of {resolution} deg: {r['s']:.1f} s, peak resident "
              f"{r['rss'] / 2**30:.2f} GiB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--month", action="store_true",
                        help="also run a month at 0.02 deg (several minutes)")
    args = parser.parse_args()
    from orbitview.orbit.backend import backend_name
    print(f"SGP4 back end: {backend_name()}")
    from orbitview.access.coverage import make_grid
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.regions import REGIONS, pakistan_polygon
    grid = make_grid(REGIONS["pakistan"], 0.05, pakistan_polygon())
    rule = VisibilityRule(10.0)
    coverage_case("10 LEO orbits", leo_satellites(), grid, rule, args.repeat)
    coverage_case("all 9 objects + 1 (2 GEO)", satellites(), grid, rule, args.repeat)
    exactness()
    memory(args.month)
    return 0


if __name__ == "__main__":
    sys.exit(main())
