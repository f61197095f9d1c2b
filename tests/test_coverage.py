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
from conftest import run_cli

import orbitview.access.coverage as cov
from orbitview.access.coverage import CoveragePartial, CoverageProblem, compute_coverage, make_grid
from orbitview.access.rules import (
    HorizonMask,
    ImagingRule,
    RuleBySatellite,
    VisibilityRule,
    sun_unit_itrs,
)
from orbitview.data.regions import REGIONS, pakistan_polygon
from orbitview.data.sites import enu_basis, ground_itrs_km
from orbitview.orbit.propagate import propagate
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


def test_a_grid_asked_again_reuses_its_cells_and_gives_the_same_answer(catalog):
    # The cells' positions, frames and tiles are worked out once per grid; a second run
    # on the same grid (the benchmark's case, a web map's repeated coverage) reuses them.
    sats = catalog.resolve_many(["PRSC-EO1", "PRSS-1"])
    grid = make_grid((69.0, 76.0, 27.5, 34.5), 0.1)
    rule = VisibilityRule(20.0)
    end = START + dt.timedelta(hours=6)
    first = compute_coverage(sats, grid, rule, START, end, 60.0)
    assert grid.geometry(1.5) is grid.geometry(1.5)
    assert cov.tile_deg(0.1, 60.0) == 1.5             # this run's tiles
    with pytest.raises(ValueError, match="read-only"):
        grid.geometry(1.5).itrs_km[0, 0] = 0.0
    again = compute_coverage(sats, grid, rule, START, end, 60.0)
    fresh = compute_coverage(sats, make_grid((69.0, 76.0, 27.5, 34.5), 0.1), rule, START, end, 60.0)
    for name in ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min"):
        assert np.array_equal(getattr(first, name), getattr(again, name)), name
        assert np.array_equal(getattr(first, name), getattr(fresh, name)), name
    assert 0 < first.coverage_percent.mean() < 100


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


# --------------------------------------------------------------------------- refined ends

FINE_S = 0.25
"""Sampling of the refined runs' brute force (s)."""
REFINED_END_TOLERANCE_S = FINE_S + 0.05
"""Refined interval ends against that brute force: its own sampling, plus the engine's
chord across a bracket of refine_s (1 s) on a smooth margin (well under 0.05 s)."""


def fine_brute_force(sats, grid, rule, start, hours, fine_s=FINE_S):
    """(cell x fine step) coverage by the access rule, sampled every ``fine_s``."""
    t = time_grid(start, start + dt.timedelta(hours=hours), fine_s)
    prop = propagate(sats, t)
    lat, lon = grid.cell_lat, grid.cell_lon
    cells, enu = ground_itrs_km(lat, lon, np.zeros(len(lat))), enu_basis(lat, lon)
    sun = sun_unit_itrs(t) if rule.needs_sun else None
    covered = np.zeros((len(lat), len(t)), bool)
    for i, sat in enumerate(sats):
        r = rule.for_satellite(sat)
        for j0 in range(0, len(t), 4096):
            sl = slice(j0, j0 + 4096)
            margin = r.margin_deg_at(prop.itrs_km[:, i, sl][:, None, :], cells[:, :, None],
                                     enu[:, :, :, None],
                                     None if sun is None else sun[:, None, sl])
            covered[:, sl] |= margin >= 0
    return covered


REFINED_CASES = {
    "radio": (["PRSC-EO1", "PRSC-S1", "PRSC-EO3"], VisibilityRule(10.0), 60.0, 65),
    "optical imaging, Sun at the cell": (["PRSC-EO1", "PRSC-S1", "PRSC-EO3"],
                                         ImagingRule(max_off_nadir_deg=30.0,
                                                     min_sun_elevation_deg=20.0), 20.0, 65),
    # A narrow swath: a few degrees off nadir, where the off-nadir test is most sensitive
    # to the interpolated nadir's length (it once dropped and added brief accesses).
    "narrow swath, long steps": (["HS-1", "PRSC-EO1", "PRSC-EO3", "PRSS-1"],
                                 ImagingRule(swath_km=30.0), 120.0, 25),
}


@pytest.mark.parametrize("case", REFINED_CASES)
def test_refined_ends_equal_a_fine_brute_force(catalog, case):
    """With refine_s every access, also one shorter than a step, is found and its ends are
    where the rule's margin crosses zero, to within a fraction of a second."""
    names, rule, step, least = REFINED_CASES[case]
    sats = catalog.resolve_many(names)
    grid = make_grid((66.0, 68.0, 24.0, 26.0), 0.25)
    hours = 12
    start = dt.datetime(2026, 9, 6, tzinfo=UTC)
    result = compute_coverage(sats, grid, rule, start, start + dt.timedelta(hours=hours), step,
                              refine_s=1.0)
    part = result.partial
    covered = fine_brute_force(sats, grid, rule, start, hours)
    edges = np.diff(np.c_[np.zeros(len(covered), np.int8), covered.astype(np.int8),
                          np.zeros(len(covered), np.int8)], axis=1)
    n_access = (edges == 1).sum(axis=1)
    np.testing.assert_array_equal(part.accesses, n_access)
    assert n_access.sum() >= least                 # the case sees real accesses
    for c in range(len(covered)):
        starts = np.flatnonzero(edges[c] == 1) * FINE_S
        ends = (np.flatnonzero(edges[c] == -1) - 1) * FINE_S
        if not len(starts):
            assert part.first[c] == -1
            continue
        # The brute force's first covered sample follows the true entry by < FINE_S.
        assert abs(part.first[c] - starts[0]) <= REFINED_END_TOLERANCE_S
        assert abs(part.last[c] - ends[-1]) <= REFINED_END_TOLERANCE_S
        assert abs(part.covered[c] - (ends - starts).sum()) <= \
            2 * REFINED_END_TOLERANCE_S * len(starts)
    # The metrics are in seconds: percent of the window's length.
    np.testing.assert_allclose(result.coverage_percent,
                               part.covered / (hours * 3600.0) * 100.0)


CHUNK_BORDER_TOLERANCE_S = 0.01
"""Refined ends near a chunk border come from a cubic through other samples (the chunk's
last four instead of the four around the end): they move by well under a millisecond."""


def test_refined_chunks_merge_to_the_same_seconds(catalog, monkeypatch):
    """Chunk borders cut refined intervals at the border step; merged, they are whole."""
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PakSat-MM1"])
    grid = make_grid((60.0, 80.0, 20.0, 40.0), 0.5)
    rule = VisibilityRule(40.0)
    end = START + dt.timedelta(hours=12)
    whole = compute_coverage(sats, grid, rule, START, end, 60.0, refine_s=1.0)
    monkeypatch.setattr(cov, "MAX_CHUNK_STEPS", 37)
    parts = compute_coverage(sats, grid, rule, START, end, 60.0, refine_s=1.0)
    np.testing.assert_array_equal(whole.accesses, parts.accesses)
    np.testing.assert_allclose(whole.coverage_percent, parts.coverage_percent, rtol=0,
                               atol=CHUNK_BORDER_TOLERANCE_S / (12 * 3600.0) * 100.0)
    for name in ("max_gap_min", "mean_gap_min"):
        np.testing.assert_allclose(getattr(whole, name), getattr(parts, name), rtol=0,
                                   atol=CHUNK_BORDER_TOLERANCE_S / 60.0)
    assert 0 < (whole.coverage_percent == 100).mean() < 1


def test_refined_partial_merge_by_hand():
    # One cell over 0..100 s in two partials: covered 20-40 | 40-50 and 80-90 s: one access
    # across the border (it ends where the next partial starts), then a gap of 30 s.
    a = CoveragePartial(0, 4, np.array([20.0]), np.array([1], np.int32), np.array([20.0]),
                        np.array([40.0]), np.array([0], np.int32), np.array([0.0]),
                        span_s=(0.0, 40.0))
    b = CoveragePartial(4, 11, np.array([20.0]), np.array([2], np.int32), np.array([40.0]),
                        np.array([90.0]), np.array([1], np.int32), np.array([30.0]),
                        span_s=(40.0, 100.0))
    m = a.merge(b).metrics(step_s=10.0)
    assert m["accesses"][0] == 2
    assert m["coverage_percent"][0] == pytest.approx(40.0)
    assert m["max_gap_min"][0] == pytest.approx(30.0 / 60)     # 50-80 s
    assert m["mean_gap_min"][0] == pytest.approx(60.0 / 3 / 60)  # 0-20, 50-80, 90-100 s


@pytest.mark.parametrize("refine_s", [None, 1.0])
def test_chunks_with_too_many_passes_are_halved(catalog, monkeypatch, refine_s):
    """A chunk whose pass matrices would pass SLOT_BYTES is reduced in halves: the same
    numbers."""
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PRSC-EO3"])
    grid = make_grid((66.0, 70.0, 24.0, 28.0), 0.5)
    rule = VisibilityRule(10.0)
    end = START + dt.timedelta(hours=6)
    whole = compute_coverage(sats, grid, rule, START, end, 60.0, refine_s=refine_s)
    halves = []
    original = CoverageProblem.partial

    def counting(self, a, b):
        halves.append((a, b))
        return original(self, a, b)

    monkeypatch.setattr(CoverageProblem, "partial", counting)
    monkeypatch.setattr(cov, "SLOT_BYTES", 1)
    split = compute_coverage(sats, grid, rule, START, end, 60.0, refine_s=refine_s)
    assert len(halves) > 2 * len(CoverageProblem(sats, grid, rule, START, 60.0, 361).chunks())
    np.testing.assert_array_equal(whole.accesses, split.accesses)
    for name in ("coverage_percent", "max_gap_min", "mean_gap_min"):
        np.testing.assert_allclose(getattr(whole, name), getattr(split, name), rtol=0,
                                   atol=0 if refine_s is None else CHUNK_BORDER_TOLERANCE_S)
    assert whole.accesses.sum() > 0


def test_tiles_are_sized_by_resolution_and_step():
    # 15 cells a side, at least 1.0 deg for steps under 10 s and 1.5 deg for longer ones,
    # at most 2.5 deg (the fastest sides measured; docs/benchmarks.md).
    assert cov.tile_deg(0.05, 30.0) == 1.5
    assert cov.tile_deg(0.05, 10.0) == 1.5
    assert cov.tile_deg(0.05, 1.0) == 1.0
    assert cov.tile_deg(0.02, 5.0) == 1.0
    assert cov.tile_deg(0.1, 1.0) == 1.5
    assert cov.tile_deg(0.14, 60.0) == pytest.approx(2.1)
    assert cov.tile_deg(0.25, 30.0) == 2.5
    assert cov.tile_deg(1.0, 30.0) == 2.5


@pytest.mark.parametrize("kind", ["radio", "imaging-sun-refined"])
def test_the_answer_does_not_depend_on_the_tile_size(catalog, monkeypatch, kind):
    # Tiles only decide which cells are worked out where: every metric of every cell is
    # the same, bit for bit, with tiles of 0.5, 1.0 or 2.5 deg and the default.
    sats = catalog.resolve_many(["PRSC-EO1", "PRSS-1", "PakTES-1A"])
    end = START + dt.timedelta(hours=12)
    if kind == "radio":
        rule, refine = VisibilityRule(10.0), None
    else:
        rule, refine = ImagingRule(max_off_nadir_deg=30.0, min_sun_elevation_deg=10.0), 1.0
    results = []
    # The cells' cosines are summed by BLAS below DOT3_BLAS_MAX entries and by einsum above
    # (different last bits): every product one way, then the other, must not matter.
    for side, blas_max in ((None, None), (0.5, None), (1.0, -1), (2.5, None), (2.5, 10**12)):
        if side is not None:
            monkeypatch.setattr(cov, "TILE_DEG", (side, side, side))
        if blas_max is not None:
            monkeypatch.setattr(cov, "DOT3_BLAS_MAX", blas_max)
        grid = make_grid((66.0, 72.0, 24.0, 30.0), 0.1)
        results.append(compute_coverage(sats, grid, rule, START, end, 30.0, refine_s=refine))
    assert results[0].accesses.sum() > 0
    for other in results[1:]:
        for name in ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min"):
            assert np.array_equal(getattr(other, name), getattr(results[0], name),
                                  equal_nan=True), name


@pytest.mark.parametrize("dtype", [np.int16, np.int32])
def test_first_and_last_steps_per_group_of_rows_are_reduceats(dtype):
    # first_last takes one step per row of the longest group where reduceat would work
    # many (group, column) pairs: the same values, dtype and shape as the reduceats, with
    # groups of one row, rows with no access, columns with none, and wide matrices.
    rng = np.random.default_rng(7)
    none = np.iinfo(dtype).max
    for n_col in (1, 5, 400, 3000):
        sizes = rng.integers(1, 9, size=rng.integers(1, 30))
        steps = np.sort(rng.choice(30_000, sizes.sum(), replace=False)).astype(dtype)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        ok = rng.random((sizes.sum(), n_col)) < 0.4
        ok[:, 0] = False
        first, last = cov.first_last(ok, steps, starts, none)
        s = steps[:, None]
        want_first = np.minimum.reduceat(np.where(ok, s, none), starts, axis=0)
        want_last = np.maximum.reduceat(np.where(ok, s, -1), starts, axis=0)
        assert first.dtype == last.dtype == dtype
        assert np.array_equal(first, want_first) and np.array_equal(last, want_last)
        assert (first[:, 0] == none).all() and (last[:, 0] == -1).all()
