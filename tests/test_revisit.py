"""Imaging revisit over a region: the chunked engine against a brute-force loop, the map,
the command."""

import datetime as dt
import json

import numpy as np
import pytest
from conftest import run_cli

from orbitview.access.coverage import make_grid
from orbitview.access.imaging import imaging_rule
from orbitview.access.revisit import compute_revisit
from orbitview.access.rules import RuleBySatellite, sun_unit_itrs
from orbitview.data.sensors import load_sensors
from orbitview.data.sites import enu_basis, ground_itrs_km
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 6, tzinfo=UTC)
STEP_S = 10.0


@pytest.fixture(scope="module")
def fleet(catalog):
    sensors = load_sensors(catalog)
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PRSC-EO3"])
    return sats, RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})


def _dense(sats, rule, grid, start, end, step_s):
    """Brute force: every step, every satellite, every cell through margin_deg_at."""
    t = time_grid(start, end, step_s)
    prop = propagate(sats, t)
    sun = sun_unit_itrs(t)
    lat, lon = grid.cell_lat, grid.cell_lon
    cells, enu = ground_itrs_km(lat, lon, np.zeros(len(lat))), enu_basis(lat, lon)
    covered = np.zeros((len(lat), len(t)), bool)
    for j in range(len(t)):
        for i, sat in enumerate(sats):
            r = rule.for_satellite(sat)
            m = r.margin_deg_at(prop.itrs_km[:, i, j][:, None], cells, enu,
                                sun[:, j][:, None] if r.needs_sun else None)
            covered[:, j] |= m >= 0
    return covered


def _runs(row):
    edges = np.diff(np.r_[0, row.astype(np.int8), 0])
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)     # start, end (excl.)


def test_small_region_equals_brute_force(fleet):
    sats, rule = fleet
    grid = make_grid((66.8, 67.4, 24.6, 25.2), 0.1)                   # Karachi, 36 cells
    end = START + dt.timedelta(days=2)
    rev = compute_revisit(sats, grid, rule, START, end, STEP_S)
    covered = _dense(sats, rule, grid, START, end, STEP_S)
    n = covered.shape[1]
    assert rev.coverage.n_time == n
    hours = STEP_S / 3600
    for c in range(covered.shape[0]):
        starts, ends = _runs(covered[c])
        assert rev.opportunities[c] == len(starts)
        if not len(starts):
            assert np.isnan(rev.first_image_h[c]) and rev.max_revisit_h[c] == n * hours
            continue
        assert rev.first_image_h[c] == pytest.approx(starts[0] * hours)
        gaps = starts[1:] - ends[:-1]
        if len(gaps):
            assert rev.mean_revisit_h[c] == pytest.approx(gaps.mean() * hours)
        else:
            assert np.isnan(rev.mean_revisit_h[c])
        longest = max([starts[0], n - ends[-1], *gaps])
        assert rev.max_revisit_h[c] == pytest.approx(longest * hours)
    assert rev.opportunities.sum() > 36                # the test sees real opportunities
    # Daylight share: the same fleet without the Sun limit, brute force too.
    dark = _dense(sats, rule.geometric(), grid, START, end, STEP_S)
    geo = np.array([len(_runs(row)[0]) for row in dark])
    np.testing.assert_allclose(rev.daylight_share_pct, 100 * rev.opportunities / geo)
    assert 0 < rev.daylight_share_pct.min() < 100


def test_chunk_borders_carry_the_gaps(fleet, monkeypatch):
    """The same window in many small chunks gives the same metrics."""
    import orbitview.access.coverage as cov
    sats, rule = fleet
    grid = make_grid((66.8, 67.4, 24.6, 25.2), 0.2)
    end = START + dt.timedelta(days=2)
    whole = compute_revisit(sats, grid, rule, START, end, STEP_S, daylight=False)
    monkeypatch.setattr(cov, "MAX_CHUNK_STEPS", 997)                # ~2.8 h chunks
    parts = compute_revisit(sats, grid, rule, START, end, STEP_S, daylight=False)
    for name in ("opportunities", "first_image_h", "max_revisit_h"):
        np.testing.assert_array_equal(getattr(whole, name), getattr(parts, name))
    np.testing.assert_allclose(whole.mean_revisit_h, parts.mean_revisit_h, equal_nan=True)


def test_revisit_map_fits_the_colour_bar_and_names_what_is_left_out(catalog, fleet):
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.products.maps import revisit_figure
    sats, rule = fleet
    grid = make_grid(REGIONS["pakistan"], 0.5, pakistan_polygon())
    rev = compute_revisit(sats, grid, rule, START, START + dt.timedelta(days=3), 30.0)
    excluded = [(catalog.resolve("PakSat-MM1"), "communications; no imaging instrument")]
    fig = revisit_figure(rev, "max-revisit", REGIONS["pakistan"], province_polygons(),
                         excluded=excluded)
    from matplotlib.collections import QuadMesh
    values = rev.max_revisit_h
    clim = next(c for c in fig.axes[0].collections if isinstance(c, QuadMesh)).get_clim()
    # From zero, so that an hour's spread in a day's wait looks like one; the top is the
    # longest wait rounded up to a tick of the bar.
    assert clim[0] == 0.0 and values.max() <= clim[1] < 1.5 * values.max()
    assert clim[1] in fig.axes[1].get_yticks()
    assert fig.axes[1].get_ylabel() == "longest wait for an image (hours)"
    text = " ".join(t.get_text() for t in fig.texts)
    assert "Left out of the imaging metrics: PakSat-MM1 (communications" in text
    assert "Assumed instrument values (not published" in text
    assert "PRSC-S1 incidence 20-45\u00b0" in text
    assert fig.axes[0].get_title(loc="left").startswith(
        "Longest wait for an image over Pakistan, 3 days, imaging access")


def test_coverage_cli_imaging(tmp_path):
    out, grid = tmp_path / "r.png", tmp_path / "cells.csv"
    status, stdout, err = run_cli(
        "coverage", "PRSC-EO1", "PRSC-S1", "PakSat-MM1", "--access", "imaging", "--start",
        "2026-09-06", "--days", "1", "--resolution", "0.5", "--metric", "first-image",
        "-o", str(out), "--grid-csv", str(grid), "--format", "json")
    assert status == 0, err
    assert "excluded from imaging: PakSat-MM1 (geostationary, communications" in err
    assert "Assumed instrument values (not published" in err
    rows = {r["region"]: r for r in json.loads(stdout)}
    assert set(rows["Pakistan"]) == {"region", "cells", "opportunities", "first_image_h",
                                     "worst_first_image_h", "mean_revisit_h", "max_revisit_h",
                                     "never_imaged_pct", "daylight_share_pct"}
    assert 0 < rows["Pakistan"]["opportunities"]
    lines = grid.read_text().splitlines()
    # Numbers only in the CSV; what they rest on in cells.csv.json beside it.
    side = json.loads((tmp_path / "cells.csv.json").read_text(encoding="utf-8"))
    assert side["assumed"].startswith("Assumed instrument values (not published")
    assert lines[0] == ("lat_deg,lon_deg,opportunities,first_image_h,mean_revisit_h,"
                        "max_revisit_h,daylight_share_pct")
    assert len(lines) == rows["Pakistan"]["cells"] + 1


@pytest.mark.parametrize("args,message", [
    (["--hours", "5", "--days", "1"], "give --hours or --days, not both"),
    (["--access", "radio", "--metric", "max-revisit"],
     "--metric max-revisit is an imaging metric but the access is radio"),
    (["--days", "400"], "400 is outside the supported range"),
])
def test_coverage_cli_usage_errors(args, message):
    status, _, err = run_cli("coverage", "PRSC-EO1", "--start", "2026-09-06", *args)
    assert status == 2 and message in err, err


def test_default_access_follows_the_instruments():
    """Imagers only: imaging; a comms satellite among them: radio for all, said so."""
    status, out, err = run_cli("coverage", "PRSC-EO1", "--start", "2026-09-06", "--hours", "2",
                               "--resolution", "1", "--format", "json")
    assert status == 0 and "opportunities" in json.loads(out)[0]
    status, out, err = run_cli("coverage", "PRSC-EO1", "PakSat-MM1", "--start", "2026-09-06",
                               "--hours", "2", "--resolution", "1", "--format", "json")
    assert status == 0 and "coverage_percent" in json.loads(out)[0]


def test_refined_revisit_reads_seconds(fleet):
    """With refine_s the revisit metrics come from interval ends in seconds."""
    sats, rule = fleet
    grid = make_grid((66.8, 67.4, 24.6, 25.2), 0.2)
    end = START + dt.timedelta(days=1)
    rev = compute_revisit(sats, grid, rule, START, end, 30.0, refine_s=1.0)
    part = rev.coverage.partial
    assert part.span_s == (0.0, 86400.0)
    has = part.first >= 0
    assert has.any()
    np.testing.assert_allclose(rev.first_image_h[has], part.first[has] / 3600.0)
    lead, trail = part.first[has] / 3600.0, (86400.0 - part.last[has]) / 3600.0
    assert np.all(rev.max_revisit_h[has] >= np.maximum(lead, trail))
    steps = compute_revisit(sats, grid, rule, START, end, 30.0)
    # Whole steps against seconds: the first image differs by less than a step.
    both = has & ~np.isnan(steps.first_image_h)
    assert np.all(np.abs(rev.first_image_h[both] - steps.first_image_h[both]) < 30.0 / 3600)
    assert np.all((rev.daylight_share_pct[has] >= 0) & (rev.daylight_share_pct[has] <= 100))
