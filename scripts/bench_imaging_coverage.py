"""Benchmark: imaging coverage against TAT-C and against a naive per-step loop, in one run.

Usage::

    pip install -e ".[bench]"          # TAT-C (and ".[fast]" for the fast SGP4 back end)
    python scripts/bench_imaging_coverage.py [--repeat 3] [--sample-hours 2] [--skip-month]
        [--skip-tatc] [--tatc-repeat 2]

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

3. TAT-C (``tatc``, the ``bench`` extra): the same six imagers (each with the element set
   nearest the start, as TAT-C takes one), one off-nadir rule for all (30 deg: TAT-C's
   field of regard of 60 deg; geodetic nadir in both), the 1,308 points of a 0.25 deg grid
   over Pakistan, 7 days, without and with a Sun limit (10 deg at the point: TAT-C's
   ``min_target_solar_elevation``).  TAT-C: ``collect_observations`` (its vectorised
   search, refined to a millisecond) + ``aggregate_observations`` + ``reduce_observations``.
   orbitview: ``compute_coverage`` with ``refine_s=1`` (interval ends resolved to 1 s or
   better; 30 s steps screen).  Paired runs, CPU time (target: orbitview / TAT-C <= 0.01);
   per point, the access counts (target: equal in >= 99.5 % of points) and, where they
   are equal, the first start, the last end and the mean access against TAT-C's.  With a
   Sun limit TAT-C keeps or drops a whole observation by the Sun at its midpoint where
   orbitview cuts the access where the Sun crosses the limit: counts may differ there.

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
    from orbitview.access.imaging import imaging_rule
    from orbitview.access.rules import RuleBySatellite
    from orbitview.data.catalog import load_catalog
    from orbitview.data.sensors import load_sensors
    catalog = load_catalog()
    sensors = load_sensors(catalog)
    sats = catalog.resolve_many(IMAGERS)
    return sats, RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})


def pakistan_grid(resolution_deg=RESOLUTION_DEG):
    from orbitview.access.coverage import make_grid
    from orbitview.data.regions import REGIONS, pakistan_polygon
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
    from orbitview.access.coverage import compute_coverage
    from orbitview.access.rules import sun_unit_itrs
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


TATC_START = dt.datetime(2026, 9, 6, tzinfo=UTC)
TATC_DAYS = 7
TATC_STEP_S = 30.0
TATC_RESOLUTION_DEG = 0.25
OFF_NADIR_DEG = 30.0
SUN_DEG = 10.0


def tatc_case(sun_deg, repeat):
    """orbitview (refine_s=1) against TAT-C on the same points, satellites and rule."""
    import warnings

    import shapely
    from tatc.analysis import aggregate_observations, collect_observations, reduce_observations
    from tatc.schemas import Instrument, TwoLineElements
    from tatc.schemas import Satellite as TatcSatellite

    from orbitview.access.coverage import compute_coverage
    from orbitview.access.rules import ImagingRule
    from orbitview.data.catalog import Satellite, load_catalog
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from paired import paired as paired_runs
    catalog = load_catalog()
    grid = pakistan_grid(TATC_RESOLUTION_DEG)
    lat, lon = grid.cell_lat, grid.cell_lon
    points = [shapely.Point(x, y) for y, x in zip(lat, lon)]
    sats, tatc_sats = [], []
    for name in IMAGERS:
        s = catalog.resolve(name)
        es = min(s.elements, key=lambda e: abs(e.age_days(TATC_START)))
        sats.append(Satellite(s.record, [es]))
        tatc_sats.append(TatcSatellite(
            name=name, orbit=TwoLineElements(tle=[es.line1, es.line2]),
            instruments=[Instrument(name="imager", field_of_regard=2 * OFF_NADIR_DEG,
                                    min_target_solar_elevation=sun_deg)]))
    rule = ImagingRule(max_off_nadir_deg=OFF_NADIR_DEG, min_sun_elevation_deg=sun_deg)
    end = TATC_START + dt.timedelta(days=TATC_DAYS)

    def ours():
        return compute_coverage(sats, grid, rule, TATC_START, end, TATC_STEP_S, refine_s=1.0)

    def tatc():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")          # TAT-C warns of drag far from epochs
            obs = collect_observations(points, tatc_sats, TATC_START, end)
            agg = aggregate_observations(obs)
            return agg, reduce_observations(agg)

    runs, result, (agg, red) = paired_runs(ours, tatc, repeat)
    # TAT-C's points back to cells (by coordinates).
    cell = {(round(x, 6), round(y, 6)): i for i, (y, x) in enumerate(zip(lat, lon))}
    index = np.array([cell[(round(g.x, 6), round(g.y, 6))] for g in agg.geometry])
    t0 = np.datetime64(TATC_START.replace(tzinfo=None), "ns")
    start = (agg["start"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy() - t0) \
        / np.timedelta64(1, "s")
    stop = (agg["end"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy() - t0) \
        / np.timedelta64(1, "s")
    n = len(lat)
    counts = np.bincount(index, minlength=n)
    first = np.full(n, np.nan)
    last = np.full(n, np.nan)
    np.fmin.at(first, index, start)
    np.fmax.at(last, index, stop)
    duration = np.bincount(index, weights=stop - start, minlength=n)
    part = result.partial
    same = part.accesses == counts
    both = same & (counts > 0)
    d_first = np.abs(part.first[both] - first[both])
    d_last = np.abs(part.last[both] - last[both])
    d_mean = np.abs(part.covered[both] / counts[both] - duration[both] / counts[both])
    label = "no Sun limit" if sun_deg is None else f"Sun >= {sun_deg:g} deg at the point"
    print(f"imaging coverage vs TAT-C {getattr(__import__('tatc'), '__version__', '?')}, "
          f"{label}: {len(sats)} imagers (off-nadir <= {OFF_NADIR_DEG:g} deg), {n:,} points "
          f"of {TATC_RESOLUTION_DEG} deg over Pakistan, {TATC_DAYS} days; median of {repeat} "
          "paired runs (CPU)")
    print(f"  orbitview compute_coverage(refine_s=1, {TATC_STEP_S:g} s steps) "
          f"{runs.median('ours'):.3f} s; TAT-C collect+aggregate+reduce "
          f"{runs.median('reference'):.2f} s; orbitview / TAT-C {runs.ratio:.4f} "
          f"(target <= 0.01)")
    print(f"  access counts equal in {100 * same.mean():.2f} % of points (target >= 99.5 %): "
          f"orbitview {int(part.accesses.sum()):,}, TAT-C {int(counts.sum()):,} merged "
          f"periods; differing points {int((~same).sum())}")
    print("  where equal, |orbitview - TAT-C| over points: first start max "
          f"{d_first.max():.3f} s (99th pct {np.percentile(d_first, 99):.3f}), last end max "
          f"{d_last.max():.3f} s (99th pct {np.percentile(d_last, 99):.3f}), mean access "
          f"max {d_mean.max():.3f} s (target: ends resolved to 1 s or better)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-hours", type=float, default=2.0)
    parser.add_argument("--skip-month", action="store_true")
    parser.add_argument("--skip-tatc", action="store_true")
    parser.add_argument("--tatc-repeat", type=int, default=2)
    args = parser.parse_args()
    from orbitview.orbit.backend import backend_name
    print(f"SGP4 back end: {backend_name()}")
    if not args.skip_tatc:
        for sun in (None, SUN_DEG):
            tatc_case(sun, args.tatc_repeat)
    sats, rule = fleet()
    per_step, n_cell = paired(sats, rule, pakistan_grid(), args.sample_hours, args.repeat)
    if not args.skip_month:
        month(per_step, n_cell)
    return 0


if __name__ == "__main__":
    sys.exit(main())
