"""The chunked coverage engine against a dense brute force, and its partial results.

The brute force evaluates the access rule for every cell, satellite and time step
(no tiles, no chunks, no shortcuts) and computes the metrics with plain loops over
time; the engine must agree exactly, for radio and imaging rules, a horizon mask,
a geostationary satellite whose 10-degree edge crosses the grid, and any chunking.
"""

import datetime as dt
import json
import tracemalloc

import numpy as np
import pytest

import orbitview.access.coverage as cov
from conftest import run_cli
from orbitview.access.rules import (HorizonMask, ImagingRule, RuleBySatellite, VisibilityRule,
                              sun_unit_itrs)
from orbitview.data.regions import REGIONS, pakistan_polygon
from orbitview.access.coverage import CoveragePartial, CoverageProblem, compute_coverage, make_grid
from orbitview.orbit.propagate import propagate
from orbitview.data.sites import enu_basis, ground_itrs_km
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 6, 6, tzinfo=UTC)


def brute_force(sats, grid, rule, start, hours, step_s):
    """(coverage %, accesses, max gap min, mean gap min) per cell, by plain loops."""
    t = time_grid(start, start + dt.timedelta(hours=hours), step_s)
    prop = propagate(sats, t)
    lat, lon = grid.cell_lat, grid.cell_lon
    cells, enu = ground_itrs_km(lat, lon, np.zeros(len(lat))), enu_basis(lat, lon)
    sun = sun_unit_itrs(t) if rule.needs_sun else None
    covered = np.zeros((len(lat), len(t)), bool)
    for i, sat in enumerate(sats):
        for j in range(len(t)):
            margin = rule.for_satellite(sat).margin_deg_at(
                prop.itrs_km[:, i, j][:, None], cells, enu,
                None if sun is None else sun[:, j][:, None])
            covered[:, j] |= margin >= 0
    out = []
    for row in covered:
        runs, gaps, current = 0, [], 0
        for k, v in enumerate(row):
            runs += bool(v and (k == 0 or not row[k - 1]))
            current = 0 if v else current + 1
            if current and (k == len(row) - 1 or row[k + 1]):
                gaps.append(current)
        out.append((row.mean() * 100, runs, max(gaps, default=0) * step_s / 60,
                    np.mean(gaps) * step_s / 60 if gaps else 0.0))
    return np.array(out).T


def assert_same(result, expected):
    pct, acc, gmax, gmean = expected
    assert np.allclose(result.coverage_percent, pct, rtol=0, atol=1e-9)
    assert np.array_equal(result.accesses, acc)
    assert np.allclose(result.max_gap_min, gmax, rtol=0, atol=1e-9)
    assert np.allclose(result.mean_gap_min, gmean, rtol=0, atol=1e-9)


CASES = {
    "radio over Pakistan": (["PRSC-EO1", "PRSC-S1", "PRSC-EO3"], "pakistan", 0.25,
                            VisibilityRule(10.0), 12, 60.0),
    "horizon mask": (["PRSC-EO1", "HS-1"], "pakistan", 0.25,
                     VisibilityRule(5.0, HorizonMask(np.array([0.0, 90, 180, 270]),
                                                     np.array([30.0, 5, 20, 12]), "m")),
                     12, 60.0),
    "optical imaging, Sun at the cell": (["PRSC-EO1", "PRSC-S1"], "pakistan", 0.25,
                                         ImagingRule(max_off_nadir_deg=30.0,
                                                     min_sun_elevation_deg=20.0), 24, 60.0),
    "geostationary edge": (["PakSat-MM1", "PRSC-S1"], (20.0, 100.0, -20.0, 60.0), 2.0,
                           VisibilityRule(10.0), 6, 120.0),
    "a fleet, one rule each": (["PRSC-EO1", "PRSC-S1", "HS-1"], "pakistan", 0.25,
                               RuleBySatellite({62725: ImagingRule(max_off_nadir_deg=30.0),
                                                65055: ImagingRule(swath_km=300.0)},
                                               default=VisibilityRule(20.0)), 12, 60.0),
}


@pytest.mark.parametrize("case", CASES)
def test_engine_equals_brute_force(catalog, case):
    names, region, resolution, rule, hours, step = CASES[case]
    sats = catalog.resolve_many(names)
    extent = REGIONS[region] if region == "pakistan" else region
    grid = make_grid(extent, resolution, pakistan_polygon() if region == "pakistan" else None)
    result = compute_coverage(sats, grid, rule, START, START + dt.timedelta(hours=hours), step)
    expected = brute_force(sats, grid, rule, START, hours, step)
    assert_same(result, expected)
    assert 0 < expected[0].mean() < 100         # a case where coverage varies


def test_chunking_and_merge_order_do_not_change_results(catalog, monkeypatch):
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PakSat-MM1"])
    grid = make_grid((60.0, 80.0, 20.0, 40.0), 0.5)
    rule = VisibilityRule(40.0)                   # PakSat-MM1's 40-degree edge crosses it
    end = START + dt.timedelta(hours=12)
    whole = compute_coverage(sats, grid, rule, START, end, 60.0)
    monkeypatch.setattr(cov, "CHUNK_BYTES", 1)    # one time step per chunk
    problem = CoverageProblem(sats, grid, rule, START, 60.0, 721)
    assert len(problem.chunks()) == 721
    parts = [problem.partial(a, b) for a, b in ((0, 250), (250, 251), (251, 600), (600, 721))]
    left = parts[0].merge(parts[1]).merge(parts[2].merge(parts[3]))
    right = parts[0].merge(parts[1].merge(parts[2])).merge(parts[3])
    for total in (left, right):
        result = problem.result(total)
        for name in ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min"):
            assert np.array_equal(getattr(result, name), getattr(whole, name)), name
    assert 0 < (whole.coverage_percent == 100).mean() < 1
    with pytest.raises(ValueError, match="not neighbours"):
        parts[0].merge(parts[2])


def test_partial_merge_by_hand():
    # One cell over 10 steps: covered at 2-3 | 4 and 8: accesses 2 (2-4 joins across the
    # border), gaps 0-1, 5-7, 9.
    a = CoveragePartial(0, 4, *(np.array([v], np.int32) for v in (2, 1, 2, 3, 0, 0)))
    b = CoveragePartial(4, 10, *(np.array([v], np.int32) for v in (2, 2, 4, 8, 1, 3)))
    m = a.merge(b).metrics(step_s=60.0)
    assert m["coverage_percent"][0] == pytest.approx(40.0)
    assert m["accesses"][0] == 2
    assert m["max_gap_min"][0] == 3.0
    assert m["mean_gap_min"][0] == pytest.approx(6 / 3)


def test_peak_memory_does_not_grow_with_time_steps(catalog, monkeypatch):
    # A window 8 times longer runs in about the same memory: chunks of the same size
    # (made small here, so that both windows take many).
    monkeypatch.setattr(cov, "CHUNK_BYTES", 2**21)
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1"])
    grid = make_grid(REGIONS["pakistan"], 0.1, pakistan_polygon())
    peaks = []
    for hours in (3, 24):
        tracemalloc.start()
        compute_coverage(sats, grid, VisibilityRule(), START, START + dt.timedelta(hours=hours),
                         10.0)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.3 * peaks[0]


def test_too_fine_a_grid_is_refused_with_the_figure_and_a_coarser_step():
    status, _, err = run_cli("coverage", "PRSC-EO1", "--start", "2026-09-06",
                             "--resolution", "0.001")
    assert status == 2
    assert "a 0.001 deg grid over 59 to 80.5 E, 22 to 38.5 N" in err and "GiB of memory" in err
    assert "Fix: give --resolution 0.00" in err


def test_grid_csv_streams_every_cell(tmp_path):
    out = tmp_path / "g.csv"
    status, stdout, err = run_cli("coverage", "PRSC-EO1", "PRSC-S1", "--start",
                                  "2026-09-06T06:00:00Z", "--hours", "3", "--resolution", "0.5",
                                  "--access", "radio", "--grid-csv", str(out), "--format", "json")
    assert status == 0, err
    lines = out.read_text().splitlines()
    pakistan = [r for r in json.loads(stdout) if r["region"] == "Pakistan"][0]
    assert len(lines) == pakistan["cells"] + 1
    lat, lon, pct = (float(v) for v in lines[1].split(",")[:3])
    assert 23 < lat < 38 and 60 < lon < 78 and 0 <= pct <= 100
