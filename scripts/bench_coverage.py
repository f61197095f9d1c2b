"""Benchmark: coverage grid, side by side in one run.

Usage::

    python scripts/bench_coverage.py [--repeat 3]

1. Coverage of Pakistan for 10 satellites, 24 h at 30 s, 0.05 deg grid:
   orbitview's ``compute_coverage`` (wall time; target under 1 s) against a
   straightforward loop over time steps that computes the haversine distance
   from each sub-satellite point to every cell (target: at least 20x faster).
   The 10 satellites are the 9 bundled objects with element sets plus PRSS-1's
   2025 set as a tenth orbit.
(The pass search has its own benchmark, ``scripts/bench_passes.py``.)

Prints times and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

import numpy as np

UTC = dt.timezone.utc


def satellites():
    from orbitview.catalog import Satellite, load_catalog
    catalog = load_catalog()
    sats = catalog.with_elements()
    prss1 = catalog.resolve("PRSS-1")
    tenth = Satellite(prss1.record, [prss1.elements[0]])    # the 2025 set: another phase
    return sats + [tenth]


def leo_satellites():
    """Ten low orbits: the 7 bundled LEO objects and 3 older sets (other orbital phases)."""
    from orbitview.catalog import Satellite, load_catalog
    catalog = load_catalog()
    leo = [s for s in catalog.with_elements() if not s.latest.is_deep_space]
    extra = [Satellite(catalog.resolve(n).record, [catalog.resolve(n).elements[0]])
             for n in ("PRSS-1", "PakTES-1A", "PRSC-S1")]
    return leo + extra


def haversine_baseline(prop, grid, rule):
    """Per time step, per satellite: great-circle distance to every cell vs footprint."""
    from orbitview.access import central_angle_deg
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from orbitview.basemap import REGIONS, pakistan_polygon
    from orbitview.coverage import compute_coverage, make_grid
    from orbitview.access import VisibilityRule
    from orbitview.propagate import propagate
    from orbitview.timeutil import time_grid
    start = dt.datetime(2026, 9, 7, tzinfo=UTC)
    t = time_grid(start, start + dt.timedelta(hours=24), 30.0)
    rule = VisibilityRule(10.0)
    grid = make_grid(REGIONS["pakistan"], 0.05, pakistan_polygon())
    for label, sats in (("all 9 objects + 1 (2 GEO)", satellites()),
                        ("10 LEO orbits, no GEO", leo_satellites())):
        t0 = time.perf_counter()
        prop = propagate(sats, t)
        t_prop = time.perf_counter() - t0
        ours = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = compute_coverage(prop, grid, rule)
            ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        baseline = haversine_baseline(prop, grid, rule)
        t_base = time.perf_counter() - t0
        ours_s = statistics.median(ours)
        print(f"coverage, {label}: {len(sats)} satellites, {len(t)} steps of 30 s, "
              f"{int(grid.mask.sum())} cells of 0.05 deg over Pakistan")
        print(f"  propagation {t_prop:.3f} s; orbitview coverage {ours_s:.3f} s (target < 1 s);"
              f" haversine loop {t_base:.2f} s; ratio {t_base / ours_s:.0f}x (target >= 20x)")
        print(f"  samples evaluated against cells: {result.samples_evaluated} of "
              f"{result.samples_total}; mean coverage {result.coverage_percent.mean():.2f}% "
              f"(baseline's spherical rule: {baseline.mean():.2f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
