"""The HTML map without a browser: vendored Leaflet, a self-contained page, option errors."""

from __future__ import annotations

import hashlib
import json
import re

import numpy as np
import pytest
from conftest import run_cli

from orbitview.products.webmap.page import VENDOR

START = "2026-11-21T00:00:00Z"


def test_vendored_leaflet_matches_its_record():
    record = json.loads((VENDOR / "VENDOR.json").read_text())
    assert record["name"] == "leaflet" and record["license"] == "BSD-2-Clause"
    for name, entry in record["files"].items():
        data = (VENDOR / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
    js = (VENDOR / "leaflet.js").read_text()
    assert f't.version="{record["version"]}"' in js
    assert "sourceMappingURL" not in js
    css = (VENDOR / "leaflet.css").read_text()
    assert "url(images/" not in css and "data:image/png;base64," in css
    assert (VENDOR / "LICENSE").read_text().startswith("BSD 2-Clause License")
    assert record["npm_integrity"].startswith("sha512-")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "map.html"
    status, out, err = run_cli("map", "PRSS-1", "PakSat-MM1", "--start", START, "--hours", "3",
                               "--site", "Islamabad", "-o", str(path))
    assert status == 0, err
    assert f"orbitview: wrote {path}" in err and out == ""
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="orbitview-data">(.*?)'
                                r'</script>', text, re.S).group(1))
    return text, data


def test_page_inlines_everything(page):
    text, data = page
    assert not re.search(r"<script[^>]+src=", text)
    assert not re.search(r"<link[^>]+href=", text)
    assert "@import" not in text
    assert "Leaflet 1.9.4 (BSD-2-Clause)" in text
    assert data["generator"].startswith("orbitview ")
    assert set(data["basemap"]) == {"land", "lakes", "coastline", "borders", "provinces"}
    names = {f["properties"]["name"] for f in data["basemap"]["provinces"]["features"]}
    assert {"Punjab", "Sindh", "Balochistan", "Khyber Pakhtunkhwa"} <= names


def test_embedded_samples_are_orbitview_positions(page, catalog):
    import datetime as dt

    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    _, data = page
    sat = data["satellites"][0]
    assert (sat["name"], sat["norad_id"], sat["step_s"], sat["n"]) == ("PRSS-1", 43530, 60.0, 181)
    t0 = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)
    prop = propagate([catalog.resolve("PRSS-1")], time_grid(t0, t0 + dt.timedelta(hours=3), 60))
    xyz = np.array(sat["xyz_km"]).reshape(-1, 3)
    # Rounded to 1 m; the page's positions may come from the other SGP4 back end (astroz for
    # large calls, sgp4 for small ones: they agree within 1 m, tests/test_sgp4_backend.py).
    assert np.abs(xyz - prop.itrs_km[:, 0, :].T).max() <= 0.0005 + 0.001
    assert sat["elements"][0]["epoch_utc"] == "2026-06-26T23:31:08Z"
    epoch = dt.datetime(2026, 6, 26, 23, 31, 8, tzinfo=dt.timezone.utc)   # data/tles/43530.tle
    age = (t0 + dt.timedelta(hours=3) - epoch).total_seconds() / 86400
    assert sat["max_age_days"] == pytest.approx(age, abs=0.01)


def test_embedded_tracks_are_split_at_the_antimeridian(page):
    _, data = page
    pieces = data["satellites"][0]["track"]
    assert len(pieces) >= 2
    for piece in pieces:
        lon = np.array([p[1] for p in piece])
        assert np.abs(np.diff(lon)).max() <= 180.0
    ends = [piece[-1][1] for piece in pieces[:-1]]
    assert all(abs(e) == 180.0 for e in ends)


def test_geostationary_satellite_is_flagged_and_its_passes_become_a_note(page):
    _, data = page
    geo = data["satellites"][1]
    assert geo["name"] == "PakSat-MM1" and geo["geo"] and not data["satellites"][0]["geo"]
    site = data["sites"][0]
    assert site["name"] == "Islamabad"
    assert any("PakSat-MM1 (59915) is continuously visible from Islamabad" in n
               for n in site["notes"])
    assert all(p["name"] == "PRSS-1" for p in site["passes"])


@pytest.mark.parametrize("args, message", [
    (["--step", "0"], "0 is outside the supported range (at least 1 and at most 120 s)"),
    (["--step", "nan"], "'nan' is not a finite number"),
    (["--step", "300"], "300 is outside the supported range (at least 1 and at most 120 s)"),
    (["--hours", "inf"], "'inf' is not a finite number"),
    (["--hours", "-1"], "-1 is outside the supported range (more than 0 and at most 168 h)"),
    (["--hours", "0.01"], "--hours 0.01 is shorter than one --step of 60 s"),
    (["--site", "Lahor"], "unknown site 'Lahor'. Did you mean Lahore?"),
    (["--region", "pak"], "region 'pak' is not world, pakistan, a province or W,E,S,N"),
    (["--region", "Punjabb"], "Did you mean Punjab?"),
    (["--hours", "5", "--days", "1"], "give --hours or --days, not both"),
    (["--min-elevation", "95"], "95 is outside the supported range (at least -5 and at most 90"),
    (["--start", "2026-13-01"], "--start"),
    (["--coverage", "no/such/cells.csv"], "--grid-csv"),
])
def test_bad_values_are_usage_errors_with_the_fix(tmp_path, args, message):
    status, out, err = run_cli("map", "PRSS-1", "--start", START, *args,
                               "-o", str(tmp_path / "m.html"))
    assert status == 2
    assert message in err and "Fix:" in err
    assert not (tmp_path / "m.html").exists()


def test_output_name_and_satellite_are_checked(tmp_path):
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "-o", str(tmp_path / "m.png"))
    assert status == 2 and "cannot tell the format from the file name" in err and ".html" in err
    status, _, err = run_cli("map", "PRSS-1", "--start", START,
                             "-o", str(tmp_path / "nowhere" / "m.html"))
    assert status == 2 and "nowhere" in err and "Fix:" in err
    status, _, err = run_cli("map", "NOSUCHSAT", "--start", START, "-o", str(tmp_path / "m.html"))
    assert status == 1 and "unknown satellite 'NOSUCHSAT'" in err


def test_coverage_grid_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "cells.csv"
    bad.write_text("lat_deg,lon_deg,coverage_percent,accesses,max_gap_min,mean_gap_min\n"
                   "30.0,70.0,12.5,3,90,40\n"
                   "30.0,seventy,12.5,3,90,40\n"
                   "95.0,70.0,12.5,3,90,40\n")
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(bad),
                             "-o", str(tmp_path / "m.html"))
    assert status == 1
    assert f"{bad}:3: a value is not a number" in err
    assert f"{bad}:4: latitude/longitude out of range" in err
    assert "Fix: write it again with 'orbitview coverage" in err
    (tmp_path / "cols.csv").write_text("lat,lon\n1,2\n")
    status, _, err = run_cli("map", "PRSS-1", "--start", START,
                             "--coverage", str(tmp_path / "cols.csv"),
                             "-o", str(tmp_path / "m.html"))
    assert status == 1 and "missing lat_deg, lon_deg" in err
    assert not (tmp_path / "m.html").exists()


def _payload(path):
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="orbitview-data">(.*?)'
                                r'</script>', text, re.S).group(1))


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    """Grid CSVs written by 'orbitview coverage' itself: imaging (PRSS-1 and HS-1 are
    imagers, so imaging is its default) and radio access, a day at 1 deg."""
    d = tmp_path_factory.mktemp("grids")
    for access in ("imaging", "radio"):
        status, _, err = run_cli("coverage", "PRSS-1", "HS-1", "--start", START, "--days", "1",
                                 "--resolution", "1", "--access", access,
                                 "--grid-csv", str(d / f"{access}.csv"))
        assert status == 0, err
    return d


@pytest.mark.parametrize("access, columns, first", [
    ("imaging", ["opportunities", "first_image_h", "mean_revisit_h", "max_revisit_h",
                 "daylight_share_pct"], "max_revisit_h"),
    ("radio", ["coverage_percent", "accesses", "max_gap_min", "mean_gap_min"],
     "coverage_percent"),
])
def test_map_takes_every_grid_coverage_writes(tmp_path, grids, access, columns, first):
    import csv
    grid = grids / f"{access}.csv"
    lines = grid.read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--hours", "1", "--region",
                             "pakistan", "--coverage", str(grid), "-o", str(out))
    assert status == 0, err
    cov = _payload(out)["coverage"]
    assert cov["access"] == access and cov["metric"] == first      # coverage's default metric
    assert list(cov["metrics"]) == columns
    assert cov["resolution_deg"] == 1.0 and len(cov["lat"]) == len(rows) > 50
    for column in columns:
        m = cov["metrics"][column]
        want = [None if r[column] == "" else round(float(r[column]), 2) for r in rows]
        assert m["values"] == want
        assert m["empty"] == want.count(None)
        assert [c is None for c in m["colours"]] == [v is None for v in want]
    if access == "imaging":
        assert cov["note"].startswith("Assumed instrument values (not published; see "
                                      "data/sensors.csv): PRSS-1 max off-nadir 35\u00b0")
        assert cov["metrics"]["first_image_h"]["blank"] == "never imaged"
        assert cov["metrics"]["first_image_h"]["empty"] > 0    # 1 day: some cells never imaged
        assert cov["metrics"]["max_revisit_h"]["label"] == "longest wait for an image (hours)"
    else:
        assert cov["note"] == "" and cov["metrics"]["coverage_percent"]["units"] == "% of time"


@pytest.mark.parametrize("metric, access, column", [
    ("first-image", "imaging", "first_image_h"), ("daylight-share", "imaging",
                                                  "daylight_share_pct"),
    ("opportunities", "imaging", "opportunities"), ("mean-gap", "radio", "mean_gap_min"),
])
def test_coverage_metric_chooses_the_metric_shown_first(tmp_path, grids, metric, access,
                                                         column):
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--hours", "1", "--coverage",
                             str(grids / f"{access}.csv"), "--coverage-metric", metric,
                             "-o", str(out))
    assert status == 0, err
    assert _payload(out)["coverage"]["metric"] == column


def test_coverage_metric_of_the_other_access_kind_is_a_usage_error(tmp_path, grids):
    grid = grids / "imaging.csv"
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(grid),
                             "--coverage-metric", "percent", "-o", str(tmp_path / "m.html"))
    assert status == 2
    assert (f"--coverage-metric percent is a radio-access metric, but {grid} is a grid of "
            "imaging access.") in err
    assert "Fix: give one of opportunities, first-image, mean-revisit, max-revisit, " \
           "daylight-share, or a grid written by 'orbitview coverage --access radio" in err
    assert not (tmp_path / "m.html").exists()


def test_export_coverage_csv_is_a_coverage_layer_too(tmp_path):
    """The CSV of 'export coverage' carries the rule, which the legend then names."""
    cells = tmp_path / "cells.csv"
    status, _, err = run_cli("export", "coverage", "PRSS-1", "--start", START, "--hours", "6",
                             "--resolution", "1", "-o", str(cells))
    assert status == 0, err
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(cells),
                             "-o", str(out))
    assert status == 0, err
    cov = _payload(out)["coverage"]
    assert cov["access"] == "imaging" and cov["resolution_deg"] == 1.0
    assert cov["rule"] == "PRSS-1: off-nadir <= 35\u00b0, sun >= 10\u00b0"   # data/sensors.csv


def test_imaging_grid_errors_name_file_line_and_column(tmp_path):
    bad = tmp_path / "cells.csv"
    bad.write_text("# Assumed instrument values: PRSS-1 max off-nadir 35\u00b0.\n"
                   "lat_deg,lon_deg,opportunities,first_image_h,mean_revisit_h,max_revisit_h,"
                   "daylight_share_pct\n"
                   "30.0,70.0,2,3.5,10.2,12.0,100.0\n"
                   "30.0,71.0,0,,,24.0,\n"
                   "30.0,72.0,,,,24.0,\n"
                   "30.0,73.0,1,2.0,,-4,50\n"
                   "30.0,74.0,1,two,,24.0,50\n", encoding="utf-8")
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(bad),
                             "-o", str(tmp_path / "m.html"))
    assert status == 1
    assert (f"{bad}:5: opportunities is empty; 'orbitview coverage' writes it for every "
            "cell") in err
    assert f"{bad}:6: max_revisit_h -4 is not a number of hours from 0 to inf" in err
    assert f"{bad}:7: a value is not a number" in err
    assert f"{bad}:3:" not in err and f"{bad}:4:" not in err   # blanks where no value exists
    radio = tmp_path / "radio.csv"
    radio.write_text("lat_deg,lon_deg,coverage_percent,accesses,max_gap_min,mean_gap_min\n"
                     "30.0,70.0,120,3,90,40\n30.0,71.0,12,3,,40\n", encoding="utf-8")
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(radio),
                             "-o", str(tmp_path / "m.html"))
    assert status == 1
    assert f"{radio}:2: coverage_percent 120 is not a number of % of time from 0 to 100" in err
    assert (f"{radio}:3: max_gap_min is empty; 'orbitview coverage' writes it for every "
            "cell") in err
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("lat_deg,lon_deg,opportunities,max_revisit_h\n30,70,1,2\n")
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--coverage", str(mixed),
                             "-o", str(tmp_path / "m.html"))
    assert status == 1
    assert (f"{mixed}:1: a coverage grid needs the columns lat_deg, lon_deg and those of radio "
            "access (coverage_percent, accesses, max_gap_min, mean_gap_min) or of imaging "
            "access (opportunities, first_image_h, mean_revisit_h, max_revisit_h, "
            "daylight_share_pct); missing first_image_h, mean_revisit_h, "
            "daylight_share_pct") in err
    assert not (tmp_path / "m.html").exists()


def test_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    from browser import unavailable
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run every test"):
        unavailable("Debian's chromium browser is not installed")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        unavailable("Debian's chromium browser is not installed")


def _pytest(test_id: str, **env) -> tuple[int, str]:
    """Run one test in a child pytest, as .ci/run would, with ``env`` changed."""
    import os
    import subprocess
    import sys

    from conftest import REPO
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-ra", "-p", "no:cacheprovider",
                          test_id], cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={**os.environ, **env})
    return run.returncode, run.stdout + run.stderr


@pytest.mark.parametrize("test_id, env, reason", [
    ("tests/test_webmap_browser.py::test_online_tiles_are_off_until_chosen",
     {"ORBITVIEW_CHROMIUM": "/nonexistent/chromium"},
     "ORBITVIEW_CHROMIUM=/nonexistent/chromium is not a file"),
    ("tests/test_export_czml.py::test_cesium_shows_pass_links_between_aos_and_los",
     {"ORBITVIEW_CESIUM_JS": "/nonexistent/Cesium.js"},
     "CesiumJS is not fetched (/nonexistent/Cesium.js is missing)"),
])
def test_browser_tests_fail_in_ci_when_a_piece_is_missing(test_id, env, reason):
    """With CI=true (as CI runs .ci/run) a browser test whose browser or CesiumJS is
    missing is an error, never a skip; on a developer machine it is a skip that says why."""
    status, out = _pytest(test_id, CI="true", **env)
    assert status == 1 and "1 error" in out and "skipped" not in out, out
    assert f"{reason}; CI must run every test" in out
    status, out = _pytest(test_id, CI="", **env)
    assert status == 0 and "1 skipped" in out and reason in out, out
