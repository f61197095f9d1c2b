"""CZML read back by CesiumJS itself (its CzmlDataSource, in headless Chromium, offline).

CesiumJS comes from the npm registry via ``scripts/fetch_cesium.py`` (``.ci/run`` runs
it); these tests skip without it on a developer machine and fail without it in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import numpy as np
import pytest
from browser import unavailable
from conftest import REPO, run_cli
from skyfield.api import wgs84

START = "2026-11-21T00:00:00Z"
NAMES = ["PRSS-1", "PRSC-EO1", "PakSat-MM1", "HS-1"]
SAMPLE_ROUNDING_KM = 0.001       # positions are written in metres to 0.1 m
BETWEEN_SAMPLES_KM = 0.05
"""Cesium's degree-5 Lagrange interpolation of 60 s samples: a few metres for these orbits."""


@pytest.fixture(scope="module")
def cesium_js():
    path = Path(os.environ.get("ORBITVIEW_CESIUM_JS", REPO / ".cache" / "cesium" / "Cesium.js"))
    if not path.is_file():
        unavailable(f"CesiumJS is not fetched ({path} is missing)",
                    "run 'python scripts/fetch_cesium.py' (npm, the registry)")
    return path


@pytest.fixture()
def cesium(browser_page, cesium_js, tmp_path):
    page_file = tmp_path / "cesium.html"
    page_file.write_text('<!DOCTYPE html><html><head><meta charset="utf-8">'
                         f'<script src="{cesium_js.resolve().as_uri()}"></script></head>'
                         '<body data-ready="1"></body></html>')
    page = browser_page.open(page_file)
    assert page.evaluate("() => typeof Cesium.CzmlDataSource") == "function"
    yield page
    assert browser_page.errors == [] and browser_page.blocked == []


def export(tmp_path, kind, *extra, names=NAMES, hours="3", step="60"):
    path = tmp_path / f"{kind}.czml"
    status, _, err = run_cli("export", kind, *names, "--start", START, "--hours", hours,
                             "--step", step, *extra, "-o", str(path))
    assert status == 0, err
    return json.loads(path.read_text())


LOAD = """async ([czml, ids, times]) => {
    const ds = await Cesium.CzmlDataSource.load(czml);
    const out = {n: ds.entities.values.length,
                 start: Cesium.JulianDate.toIso8601(ds.clock.startTime, 0),
                 stop: Cesium.JulianDate.toIso8601(ds.clock.stopTime, 0), entities: {}};
    for (const id of ids) {
        const e = ds.entities.getById(id);
        const av = e.availability;
        const rec = {name: e.name,
                     availability: av ? [...Array(av.length).keys()].map(i => [
                         Cesium.JulianDate.toIso8601(av.get(i).start, 0),
                         Cesium.JulianDate.toIso8601(av.get(i).stop, 0)]) : null,
                     positions: [], label: null, lead: null, links: []};
        for (const t of times) {
            const jt = Cesium.JulianDate.fromIso8601(t);
            if (e.position) {
                const p = e.position.getValueInReferenceFrame(jt, Cesium.ReferenceFrame.FIXED);
                rec.positions.push(p ? [p.x, p.y, p.z] : null);
            }
            if (e.polyline && e.polyline.positions) {
                const ps = e.polyline.positions.getValue(jt);
                rec.links.push(ps ? ps.map(p => [p.x, p.y, p.z]) : null);
            }
        }
        if (e.label) rec.label = e.label.text.getValue(Cesium.JulianDate.fromIso8601(times[0]));
        if (e.path && e.path.leadTime) rec.lead = e.path.leadTime.getValue(
            Cesium.JulianDate.fromIso8601(times[0]));
        if (e.rectangle) {
            const r = e.rectangle.coordinates.getValue(Cesium.JulianDate.fromIso8601(times[0]));
            rec.rectangle = [r.west, r.south, r.east, r.north].map(Cesium.Math.toDegrees);
        }
        if (e.polygon) {
            const h = e.polygon.hierarchy.getValue(Cesium.JulianDate.fromIso8601(times[0]));
            rec.polygon_points = h ? h.positions.length : 0;
        }
        out.entities[id] = rec;
    }
    return out;
}"""


def _load(page, czml, ids, times):
    return page.evaluate(LOAD, [czml, ids, times])


def test_cesium_plays_the_tracks_at_orbitviews_positions(cesium, tmp_path, catalog):
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    czml = export(tmp_path, "tracks")
    t0 = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)
    grid = time_grid(t0, t0 + dt.timedelta(hours=3), 15.0)          # samples and between
    prop = propagate(catalog.resolve_many(NAMES), grid)
    times = [t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in prop.times_utc]
    ids = [f"sat-{n}" for n in prop.norad_ids]
    got = _load(cesium, czml, ids, times)
    assert got["start"] == START and got["stop"] == "2026-11-21T03:00:00Z"
    assert got["n"] == 4
    for i, sid in enumerate(ids):
        e = got["entities"][sid]
        assert e["name"] == e["label"] == NAMES[i]
        assert e["availability"] == [[START, "2026-11-21T03:00:00Z"]]
        xyz_km = np.array(e["positions"]) / 1000.0                    # (n_time, 3)
        miss = np.linalg.norm(xyz_km - prop.itrs_km[:, i, :].T, axis=1)
        assert miss[::4].max() < SAMPLE_ROUNDING_KM                  # on the 60 s samples
        assert miss.max() < BETWEEN_SAMPLES_KM, (NAMES[i], miss.max())
    # One orbit ahead: PRSS-1's mean motion is 14.82001912 rev/day (data/tles/43530.tle).
    assert got["entities"]["sat-43530"]["lead"] == pytest.approx(86400 / 14.82001912, rel=0.005)
    assert got["entities"]["sat-59915"]["lead"] is None              # GEO: no orbit path


def test_cesium_shows_pass_links_between_aos_and_los(cesium, tmp_path):
    czml = export(tmp_path, "passes", "--site", "Islamabad", "--access", "radio", hours="6")
    status, out, _ = run_cli("passes", *NAMES, "--site", "Islamabad", "--start", START,
                             "--days", "0.25", "--access", "radio", "--format", "json")
    rows = [r for r in json.loads(out) if r["tca_utc"] is not None]
    assert rows
    ids = [p["id"] for p in czml if p["id"].startswith("pass-")]
    got = _load(cesium, czml, ids, [r["tca_utc"] for r in rows])
    site = wgs84.latlon(33.6844, 73.0479, 507.0).itrs_xyz.km
    for k, (pid, r) in enumerate(zip(sorted(ids, key=lambda i: next(
            p["availability"] for p in czml if p["id"] == i)), rows)):
        e = got["entities"][pid]
        assert e["availability"] == [[r["aos_utc"], r["los_utc"]]]
        a, b = np.array(e["links"][k]) / 1000.0                       # at this pass's TCA
        assert np.linalg.norm(a - site) < 0.001                       # from the site ...
        assert 600 < np.linalg.norm(b - a) < 3000                     # ... to the satellite


def test_cesium_reads_footprints_swaths_coverage_and_opportunities(cesium, tmp_path):
    fp = export(tmp_path, "footprints", "--access", "radio", names=["PRSS-1"], hours="1")
    got = _load(cesium, fp, ["footprints-43530-0"], [START])
    assert got["n"] == 1 + 61
    e = got["entities"]["footprints-43530-0"]
    assert e["availability"] == [[START, "2026-11-21T00:01:00Z"]]
    assert e["polygon_points"] == 48
    cov = export(tmp_path, "coverage", "--resolution", "1", names=["PRSS-1"], hours="2")
    cells = [p for p in cov if p["id"].startswith("cell-")]
    got = _load(cesium, cov, [cells[0]["id"]], [START])
    assert got["n"] == len(cells)
    w, s, e_, n = cells[0]["rectangle"]["coordinates"]["wsenDegrees"]
    assert got["entities"][cells[0]["id"]]["rectangle"] == pytest.approx([w, s, e_, n])
    sw = export(tmp_path, "swaths", names=["PRSS-1"], hours="1")
    got = _load(cesium, sw, [], [START])
    assert got["n"] == len(sw) - 1
    op = export(tmp_path, "opportunities", "--target", "Sindh", names=["PRSC-EO1"],
                hours="72", step="120")
    got = _load(cesium, op, ["opportunity-0"], [START])
    assert got["n"] == len(op) - 1 >= 1
