"""Visible passes against an independent brute force of sun and shadow (skyfield, 1 s)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import TESTDATA

from orbitview.access.passes import find_passes
from orbitview.access.rules import VisibilityRule
from orbitview.access.sighting import (
    TWILIGHT_DEG,
    add_visibility,
    apparent_magnitude,
    compass,
    direction,
    load_magnitudes,
)
from orbitview.data.external import read_elements_file
from orbitview.data.sites import parse_site

UTC = dt.timezone.utc
STATIONS = TESTDATA / "catalogs" / "stations.tle"
EDGE_TOLERANCE_S = 2.0
"""Both sample at 1 s, from two different propagation paths: edges agree within 2 s."""


def _de421():
    """JPL DE421 straight from the skyfield-data package (the same file, loaded apart)."""
    import os
    import warnings

    from skyfield.api import load_file
    from skyfield_data import get_skyfield_data_path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return load_file(os.path.join(get_skyfield_data_path(), "de421.bsp"))


@pytest.fixture(scope="module")
def css():
    return next(s for s in read_elements_file(STATIONS) if s.norad_id == 48274)


def _brute_force(css, site, aos, los, limit_deg):
    """skyfield alone: EarthSatellite, is_sunlit and altaz at every second."""
    from skyfield.api import EarthSatellite, load, wgs84
    ts = load.timescale(builtin=True)
    eph = _de421()
    es = css.latest
    sat = EarthSatellite(es.line1, es.line2, es.name, ts)
    place = wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    n = int((los - aos).total_seconds()) + 1
    t = ts.utc(aos.year, aos.month, aos.day, aos.hour, aos.minute,
               aos.second + aos.microsecond / 1e6 + np.arange(n))
    el = (sat - place).at(t).altaz()[0].degrees
    lit = sat.at(t).is_sunlit(eph)
    sun = (eph["earth"] + place).at(t).observe(eph["sun"]).apparent().altaz()[0].degrees
    visible = lit & (sun < limit_deg) & (el >= 10.0 - 0.05)
    idx = np.flatnonzero(visible)
    return (None, None) if not len(idx) else (
        aos + dt.timedelta(seconds=float(idx[0])), aos + dt.timedelta(seconds=float(idx[-1])))


@pytest.mark.parametrize("twilight", ["civil", "nautical"])
def test_visible_parts_match_brute_force(css, twilight):
    site = parse_site("Lahore")
    t0 = dt.datetime(2026, 5, 30, 12, tzinfo=UTC)
    rows = find_passes(css, site, t0, t0 + dt.timedelta(days=2), VisibilityRule(10))
    add_visibility(rows, css, site, twilight)
    assert len(rows) >= 10
    checked = 0
    for row in rows:
        start, end = _brute_force(css, site, row["aos_utc"], row["los_utc"],
                                  TWILIGHT_DEG[twilight])
        assert row["visible"] is (start is not None)
        if start is not None:
            checked += 1
            assert abs((row["visible_start_utc"] - start).total_seconds()) <= EDGE_TOLERANCE_S
            assert abs((row["visible_end_utc"] - end).total_seconds()) <= EDGE_TOLERANCE_S
    assert checked >= 2


def test_shadow_entry_mid_pass(css):
    """2026-05-30 15:39 UTC from Lahore: CSS enters the Earth's shadow at 15:42:43 mid-pass."""
    site = parse_site("Lahore")
    t0 = dt.datetime(2026, 5, 30, 15, 30, tzinfo=UTC)
    [row] = find_passes(css, site, t0, t0 + dt.timedelta(minutes=20), VisibilityRule(10))
    add_visibility([row], css, site)
    assert row["visible"]
    entry = row["shadow_entry_utc"]
    assert row["aos_utc"] < entry < row["los_utc"]
    assert abs((row["visible_end_utc"] - entry).total_seconds()) <= 1.0
    from skyfield.api import EarthSatellite, load
    ts = load.timescale(builtin=True)
    eph = _de421()
    sat = EarthSatellite(css.latest.line1, css.latest.line2, "CSS", ts)
    before = entry - dt.timedelta(seconds=1.5)
    after = entry + dt.timedelta(seconds=0.5)
    assert sat.at(ts.from_datetime(before)).is_sunlit(eph)
    assert not sat.at(ts.from_datetime(after)).is_sunlit(eph)


def test_daylight_and_eclipsed_passes_are_not_visible(css):
    site = parse_site("Lahore")
    t0 = dt.datetime(2026, 5, 31, 9, 40, tzinfo=UTC)          # 14:40 PKT: broad daylight
    rows = find_passes(css, site, t0, t0 + dt.timedelta(minutes=20), VisibilityRule(10))
    add_visibility(rows, css, site)
    assert rows and not any(r["visible"] for r in rows)


def test_magnitude_model():
    # At the standard distance and phase the magnitude is the standard magnitude.
    assert apparent_magnitude(-1.0, 1000.0, 90.0) == pytest.approx(-1.0)
    # Twice as far: 5 log10(2) = 1.505 magnitudes fainter.
    assert apparent_magnitude(-1.0, 2000.0, 90.0) == pytest.approx(-1.0 + 1.50515, abs=1e-4)
    # Full phase (0 deg) of a diffuse sphere is pi times brighter than half phase.
    assert apparent_magnitude(0.0, 1000.0, 0.0) == pytest.approx(-2.5 * np.log10(np.pi))


def test_magnitude_only_with_a_recorded_source(css, tmp_path):
    site = parse_site("Lahore")
    t0 = dt.datetime(2026, 5, 30, 15, 30, tzinfo=UTC)
    rows = find_passes(css, site, t0, t0 + dt.timedelta(minutes=20), VisibilityRule(10))
    add_visibility(rows, css, site, magnitudes={})
    assert rows[0]["magnitude"] is None and rows[0]["magnitude_source"] is None
    table = tmp_path / "magnitudes.csv"
    table.write_text("norad_id,name,standard_magnitude,convention,source\n"
                     "48274,CSS (TIANHE),-1.0,1000 km 90 deg,test value\n")
    mags = load_magnitudes(table)
    add_visibility(rows, css, site, magnitudes=mags)
    assert rows[0]["magnitude_source"] == "test value"
    assert -4.0 < rows[0]["magnitude"] < 0.0          # ~500-900 km away: brighter than -1


def test_compass_directions():
    assert [compass(a) for a in (0, 11.2, 11.3, 90, 200, 359)] == \
        ["N", "N", "NNE", "E", "SSW", "N"]
    assert direction({"aos_azimuth_deg": 225.0, "los_azimuth_deg": 45.0}) == "SW\u2192NE"
    assert direction({"aos_azimuth_deg": None, "los_azimuth_deg": 45.0}) == ""
