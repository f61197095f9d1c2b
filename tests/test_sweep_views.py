"""What a user sees: figure captions, local times on the views, SAR footprint bands.

Found by looking at the figures and pages a sweep produced: caption lines cut off at the
right edge of the footprint and coverage maps, the animation clock and the web map
showing PKT whatever --tz said, the web map drawing only the far edge of a radar's
incidence window and calling 147-day-old positions "off by hundreds of km".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from orbitview.access.rules import VisibilityRule
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 21, tzinfo=UTC)
PAKISTAN = (59.0, 80.5, 22.0, 38.5)


def _texts_inside(fig):
    """Every caption text lies within the figure (none cut at an edge) and below every
    axes (the map and its colour bar); returns the texts."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.x1
    lowest_axes = min(a.get_window_extent(renderer).y0 for a in fig.axes)
    out = []
    for t in fig.texts:
        box = t.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, (t.get_text(), box.x1, width)
        assert box.y1 <= lowest_axes, (t.get_text(), box.y1, lowest_axes)
        out.append(t.get_text())
    return out


def test_footprint_caption_lines_fit_the_figure(catalog):
    # Before: the STALE lines' sources ran past the right edge of an 11-inch Pakistan map.
    from orbitview.products.maps import footprint_figure
    from orbitview.products.plotting import pyplot
    sats = catalog.resolve_many(["PakSat-MM1", "PRSS-1", "PRSC-EO1"])
    prop = propagate(sats, time_grid(T0, T0, 60.0))
    fig = footprint_figure(prop, VisibilityRule(10.0), PAKISTAN)
    try:
        texts = _texts_inside(fig)
    finally:
        pyplot().close(fig)
    joined = " ".join(t.strip() for t in texts)
    # Wrapped, not shortened: every source is there in full.
    for name, source in (("PakSat-MM1", "astrion-tech/celestrak-mirror@0630a58a"),
                         ("PRSS-1", "jtmiclat/celestrak-historical@011c609c")):
        assert name in joined and source in joined.replace(" ", ""), joined


def test_coverage_caption_lines_fit_the_figure(catalog):
    from orbitview.access.coverage import compute_coverage, make_grid
    from orbitview.data.regions import pakistan_polygon, province_polygons
    from orbitview.products.maps import coverage_figure
    from orbitview.products.plotting import pyplot
    sats = catalog.resolve_many(["PRSS-1", "PakSat-MM1"])
    rule = VisibilityRule(10.0)
    grid = make_grid(PAKISTAN, 0.5, pakistan_polygon())
    result = compute_coverage(sats, grid, rule, T0, T0 + dt.timedelta(hours=1), 60.0)
    fig = coverage_figure(result, "percent", rule, PAKISTAN, province_polygons())
    try:
        texts = _texts_inside(fig)
    finally:
        pyplot().close(fig)
    assert any("celestrak-historical@011c609c" in t for t in texts), texts


@pytest.mark.parametrize("dpi", [50, 100, 150])
def test_animation_caption_fits_at_its_resolution(catalog, dpi):
    # Before: the first caption line of a Pakistan animation ran past the right edge at
    # 100 dpi (text hinted to whole pixels is up to 7 % wider than its outline).
    from orbitview.products.animate import Animation, frames_for
    sats = catalog.resolve_many(["PRSC-S1", "PRSS-1"])
    movie = Animation(frames_for(sats, T0, 0.25, 30.0), PAKISTAN, dpi=dpi)
    try:
        texts = _texts_inside(movie.fig)
    finally:
        movie.close()
    assert any("arrowheads on the edge point" in t for t in texts)


def test_fit_caption_keeps_every_word_and_colour():
    from orbitview.products.maps import fit_caption
    text = " ".join(f"word{k}" for k in range(200))
    lines = fit_caption([(text, "#b00000"), ("short", "#222222")], 5.0)
    assert len(lines) > 3
    assert " ".join(t.strip() for t, _ in lines[:-1]).split() == text.split()
    assert {c for _, c in lines[:-1]} == {"#b00000"} and lines[-1] == ("short", "#222222")
    assert all(t.startswith("    ") for t, _ in lines[1:-1])


# --------------------------------------------------------------------------- local time

DST_END_NEW_YORK = dt.datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
"""US daylight saving ended at 02:00 EDT on 2026-11-01 (first Sunday of November): 06:00 UTC."""


def test_animation_clock_follows_tz(catalog, monkeypatch, tmp_path):
    # Before: the clock always read PKT, whatever --tz or the config file said.
    from conftest import run_cli

    import orbitview.products.animate as animate
    seen = {}

    def capture(movie, path, fps, progress=None):
        seen["movie"] = movie
        frames = {k: (movie._update(k), movie.clock.get_text())[1] for k in (0, len(movie) - 1)}
        seen["clock"] = frames
        path.write_bytes(b"GIF89a")
    monkeypatch.setattr(animate, "write_gif", capture)
    status, out, err = run_cli("animate", "PRSS-1", "--start", "2026-11-01T05:00:00Z",
                               "--hours", "2", "--step", "600", "--tz", "America/New_York",
                               "-o", str(tmp_path / "a.gif"))
    assert status == 0, err
    first, last = seen["clock"][0], seen["clock"][len(seen["movie"]) - 1]
    assert first == "2026-11-01 05:00:00 UTC\n2026-11-01 01:00:00 EDT", first
    assert last == "2026-11-01 07:00:00 UTC\n2026-11-01 02:00:00 EST", last


def test_animation_clock_defaults_to_pakistan(catalog):
    from orbitview.products.animate import Animation, frames_for
    movie = Animation(frames_for([catalog.resolve("PRSS-1")], T0, 0.1, 60.0), None)
    try:
        movie._update(0)
        assert movie.clock.get_text() == "2026-11-21 00:00:00 UTC\n2026-11-21 05:00:00 PKT"
    finally:
        movie.close()


def _payload(path):
    import json
    import re
    text = path.read_text(encoding="utf-8")
    m = re.search(r'<script[^>]*id="orbitview-data"[^>]*>(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("extra, zone, why, abbrs", [
    ((), "Asia/Karachi", "Pakistan's zone by default", ["PKT"]),
    (("--site", "Lahore"), "Asia/Karachi", "the zone of Lahore", ["PKT"]),
    (("--tz", "America/New_York"), "America/New_York", "from --tz", ["EDT", "EST"]),
])
def test_map_clock_follows_tz(extra, zone, why, abbrs, tmp_path):
    from conftest import run_cli
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", "2026-11-01T05:00:00Z", "--hours", "2",
                             "--no-footprints", *extra, "-o", str(out))
    assert status == 0, err
    clock = _payload(out)["clock"]
    assert clock["zone"] == zone and why in clock["why"], clock
    assert [c["abbr"] for c in clock["changes"]] == abbrs
    if len(abbrs) == 2:
        assert clock["changes"][1]["from_ms"] == DST_END_NEW_YORK.timestamp() * 1000
        assert [c["offset_ms"] for c in clock["changes"]] == [-4 * 3600_000, -5 * 3600_000]


def test_map_page_shows_the_chosen_zone_across_a_dst_change(browser_page, tmp_path):
    from conftest import run_cli
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", "2026-11-01T05:00:00Z", "--hours", "2",
                             "--tz", "America/New_York", "-o", str(out))
    assert status == 0, err
    page = browser_page.open(out)
    for seconds, text in ((0, "2026-11-01 01:00:00 EDT"), (3599, "2026-11-01 01:59:59 EDT"),
                          (3600, "2026-11-01 01:00:00 EST"), (7200, "2026-11-01 02:00:00 EST")):
        page.locator("#slider").evaluate(
            "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', "
            "{bubbles: true})); }", seconds)
        assert page.locator("#clock-local").inner_text() == text
    assert "America/New_York (EDT, UTC-04:00), from --tz" in page.locator("body").inner_text()
    assert browser_page.errors == [] and browser_page.blocked == []


# --------------------------------------------------------------------------- radar band

SAR = "PRSC-S1"
"""A radar in data/sensors.csv: incidence 20-45 deg (assumed values, named as such)."""
EDGE_TOLERANCE_DEG = 0.1
"""Edges are solved to 500 m along the ground: at these ranges under 0.1 deg of elevation."""


def _elevation_deg(lat_deg, lon_deg, sat_km):
    """Elevation of ``sat_km`` (ITRS) from ground points, from the WGS84 normal (skyfield)."""
    from skyfield.api import wgs84
    ground = wgs84.latlon(lat_deg, lon_deg).itrs_xyz.km
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    look = sat_km[:, None] - ground
    look /= np.linalg.norm(look, axis=0)
    return np.degrees(np.arcsin(np.sum(up * look, axis=0)))


@pytest.fixture(scope="module")
def sar_footprints(catalog):
    from orbitview.api.rules import choose
    from orbitview.data.sensors import load_sensors
    from orbitview.products.export.records import footprint_series
    sat = catalog.resolve(SAR)
    prop = propagate([sat], time_grid(T0, T0 + dt.timedelta(minutes=4), 120.0))
    rule = choose([sat], load_sensors(catalog), "imaging").rule
    return prop, footprint_series(prop, rule)[0]


def test_radar_footprint_is_the_band_between_its_incidence_edges(sar_footprints):
    # Before: only one edge was solved (a bisection that happened to land on the far edge).
    prop, fs = sar_footprints
    assert fs.inner_lon_deg is not None and fs.inner_lon_deg.shape == fs.ring_lon_deg.shape
    for k in range(len(fs.times_utc)):
        sat = prop.itrs_km[:, 0, k]
        far = _elevation_deg(fs.ring_lat_deg[k], fs.ring_lon_deg[k], sat)
        near = _elevation_deg(fs.inner_lat_deg[k], fs.inner_lon_deg[k], sat)
        assert np.allclose(far, 90.0 - 45.0, atol=EDGE_TOLERANCE_DEG), far
        assert np.allclose(near, 90.0 - 20.0, atol=EDGE_TOLERANCE_DEG), near


def test_radar_footprint_exports_leave_nadir_out(sar_footprints):
    import json

    from shapely.geometry import Point, shape

    from orbitview.products.export import geojson
    _, fs = sar_footprints
    meta = {"title": "t", "kind": "footprints", "generator": "orbitview", "start_utc": T0,
            "end_utc": T0, "step_s": 120.0, "access": "", "assumed": "", "satellites": [],
            "warnings": []}
    features = json.loads(geojson.footprints([fs], meta))["features"]
    for k, f in enumerate(features):
        band = shape(f["geometry"])
        assert f["geometry"]["type"] == "Polygon" and len(f["geometry"]["coordinates"]) == 2
        assert not band.contains(Point(fs.sub_lon_deg[k], fs.sub_lat_deg[k]))
        # Halfway between the edges (about 30 deg of incidence) lies inside.
        mid = Point((fs.ring_lon_deg[k][0] + fs.inner_lon_deg[k][0]) / 2,
                    (fs.ring_lat_deg[k][0] + fs.inner_lat_deg[k][0]) / 2)
        assert band.contains(mid)
    assert shape(features[0]["geometry"]).symmetric_difference(fs.shape(0)).area < 1e-6


def test_map_draws_the_radar_band_and_honest_bounds(browser_page, tmp_path):
    from conftest import run_cli
    out = tmp_path / "sar.html"
    status, _, err = run_cli("map", SAR, "PRSS-1", "--start", "2026-11-21T00:00:00Z",
                             "--hours", "1", "-o", str(out))
    assert status == 0, err
    page = browser_page.open(out)
    rings = page.evaluate("""() => window.orbitview.satellites.map(s => {
        const ll = s.footprint ? s.footprint.getLatLngs() : [];
        return {name: s.name, copies: ll.length, rings: ll.map(p => p.length)}; })""")
    by_name = {r["name"]: r for r in rings}
    assert set(by_name[SAR]["rings"]) == {2}, by_name        # outer edge and the hole
    assert set(by_name["PRSS-1"]["rings"]) == {1}, by_name   # an optical field of regard
    panel = page.locator("body").inner_text()
    assert "hundreds of km" not in panel
    # PRSS-1's 147-day-old set: orbitview.orbit.accuracy gives +-7,900 km (as 'positions' says).
    assert "\u00b17,900 km" in panel, panel
    assert browser_page.errors == [] and browser_page.blocked == []
