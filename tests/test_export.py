"""Exports read back by other libraries: GeoJSON with json + shapely, KML with lxml and
fastkml, CSV with csv + shapely's WKT reader; coordinates equal orbitview's own output
(``positions``, ``passes``, ``opportunities``, ``coverage --grid-csv``).  CZML is read back
by CesiumJS itself in tests/test_export_czml.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pytest
from conftest import run_cli
from shapely.geometry import Point, shape

START = "2026-11-21T00:00:00Z"
NAMES = ["PRSS-1", "PRSC-EO1", "PakSat-MM1", "HS-1"]
WINDOW = ["--start", START, "--hours", "3", "--step", "60"]
ROUNDING_DEG = 1e-5          # 'orbitview positions' prints 5 decimals
ROUNDING_KM = 1e-3
KML = {"k": "http://www.opengis.net/kml/2.2", "gx": "http://www.google.com/kml/ext/2.2"}


def export(tmp_path_factory, kind, fmt, *extra, names=NAMES):
    path = tmp_path_factory.mktemp(f"{kind}-{fmt}") / f"{kind}.{fmt}"
    status, out, err = run_cli("export", kind, *names, *WINDOW, *extra, "-o", str(path))
    assert status == 0, err
    assert f"orbitview: wrote {path}" in err and out == ""   # stdout carries no status
    return path


def positions(names=NAMES, start=START, hours="3", step="60"):
    status, out, err = run_cli("positions", *names, "--start", start, "--hours", hours,
                               "--step", step, "--format", "json")
    assert status == 0, err
    return {(r["norad_id"], r["time_utc"]): r for r in json.loads(out)}


def _utc(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


# --------------------------------------------------------------------------- GeoJSON

@pytest.fixture(scope="module")
def tracks_geojson(tmp_path_factory):
    return json.loads(export(tmp_path_factory, "tracks", "geojson").read_text())


@pytest.fixture(scope="module")
def points_geojson(tmp_path_factory):
    return json.loads(export(tmp_path_factory, "tracks", "geojson", "--points").read_text())


def test_geojson_tracks_are_rfc7946_and_equal_positions(points_geojson, tracks_geojson):
    doc = points_geojson
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    truth = positions()
    points = doc["features"]
    assert {f["properties"]["feature"] for f in points} == {"position"}   # one kind a file
    assert {f["properties"]["feature"] for f in tracks_geojson["features"]} == {"track"}
    assert len(points) == len(truth) == 4 * 181
    for f in points:
        p = f["properties"]
        lon, lat, height_m = f["geometry"]["coordinates"]          # longitude first
        r = truth[(p["norad_id"], p["time_utc"])]
        assert lon == pytest.approx(r["lon_deg"], abs=ROUNDING_DEG)
        assert lat == pytest.approx(r["lat_deg"], abs=ROUNDING_DEG)
        assert height_m / 1000 == pytest.approx(r["altitude_km"], abs=ROUNDING_KM)
        assert p["epoch_age_days"] == pytest.approx(r["epoch_age_days"], abs=1e-3)


def test_geojson_track_lines_are_cut_at_the_antimeridian(tracks_geojson):
    truth = positions()
    lines = [f for f in tracks_geojson["features"] if f["properties"]["feature"] == "track"]
    assert [f["properties"]["name"] for f in lines] == NAMES
    for f in lines:
        geom = shape(f["geometry"])
        assert f["geometry"]["type"] == "MultiLineString" and geom.is_valid
        parts = f["geometry"]["coordinates"]
        times = f["properties"]["coordinate_times_utc"]
        assert [len(p) for p in parts] == [len(t) for t in times]
        for part, part_times in zip(parts, times):
            lon = np.array([c[0] for c in part])
            assert np.all(np.abs(lon) <= 180.0) and np.all(np.abs(np.diff(lon)) <= 180.0)
            for c, when in zip(part, part_times):
                key = (f["properties"]["norad_id"], when)
                if key in truth:                  # sample, not an interpolated crossing
                    assert c[0] == pytest.approx(truth[key]["lon_deg"], abs=ROUNDING_DEG)
                    assert c[1] == pytest.approx(truth[key]["lat_deg"], abs=ROUNDING_DEG)
                else:
                    assert abs(c[0]) == 180.0
        sets = f["properties"]["element_sets"]
        assert sets and sets[-1]["source"] and sets[-1]["epoch_utc"].endswith("Z")
    prss1 = lines[0]["geometry"]["coordinates"]
    assert len(prss1) >= 2                         # a low orbit crosses 180 E in 3 hours


def test_geojson_footprints_are_valid_polygons_around_their_subpoints(tmp_path_factory):
    doc = json.loads(export(tmp_path_factory, "footprints", "geojson", "--access",
                            "radio").read_text())
    feats = doc["features"]
    assert len(feats) == 4 * 181
    poles = 0
    for f in feats:
        geom = shape(f["geometry"])
        assert geom.is_valid and not geom.is_empty
        polys = list(getattr(geom, "geoms", [geom]))
        assert all(p.exterior.is_ccw for p in polys)
        minx, miny, maxx, maxy = geom.bounds
        assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
        p = f["properties"]
        assert geom.buffer(1e-9).contains(Point(p["sub_lon_deg"], p["sub_lat_deg"]))
        poles += maxy == 90.0 or miny == -90.0
    assert poles > 0            # PRSS-1 near 82 deg latitude: its 10 deg circle holds the pole
    assert doc["orbitview"]["access"] == "radio access: elevation >= 10\u00b0"


def test_geojson_coverage_cells_equal_the_grid_csv(tmp_path_factory, tmp_path):
    doc = json.loads(export(tmp_path_factory, "coverage", "geojson", "--resolution", "0.5",
                            "--access", "radio", names=["PRSS-1", "HS-1"]).read_text())
    grid = tmp_path / "grid.csv"
    status, _, err = run_cli("coverage", "PRSS-1", "HS-1", *WINDOW, "--resolution", "0.5",
                             "--access", "radio", "--grid-csv", str(grid))
    assert status == 0, err
    rows = list(csv.DictReader(grid.open()))
    assert len(doc["features"]) == len(rows) > 100
    for f, r in zip(doc["features"], rows):
        cell = shape(f["geometry"])
        assert cell.area == pytest.approx(0.25)
        assert cell.centroid.x == pytest.approx(float(r["lon_deg"]))
        assert cell.centroid.y == pytest.approx(float(r["lat_deg"]))
        for m in ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min"):
            assert f["properties"][m] == pytest.approx(float(r[m]), abs=0.01)


def test_geojson_passes_equal_the_pass_table(tmp_path_factory):
    path = tmp_path_factory.mktemp("passes") / "passes.geojson"
    status, _, err = run_cli("export", "passes", *NAMES, "--start", START, "--hours", "12",
                             "--site", "Islamabad", "--site", "Karachi", "--access", "radio",
                             "-o", str(path))
    assert status == 0, err
    doc = json.loads(path.read_text())
    # One geometry type a file: the pass tracks; each names its site and where it is.
    assert {f["properties"]["feature"] for f in doc["features"]} == {"pass"}
    assert {f["properties"]["site"] for f in doc["features"]} == {"Islamabad", "Karachi"}
    isb = next(f["properties"] for f in doc["features"]
               if f["properties"]["site"] == "Islamabad")
    assert (isb["site_lon_deg"], isb["site_lat_deg"]) == (73.0479, 33.6844)
    got = [f["properties"] for f in doc["features"] if f["properties"]["feature"] == "pass"]
    want = []
    for site in ("Islamabad", "Karachi"):
        status, out, err = run_cli("passes", *NAMES, "--site", site, "--start", START,
                                   "--days", "0.5", "--access", "radio", "--format", "json")
        want += [r for r in json.loads(out) if r["tca_utc"] is not None]
    assert got and len(want) == len(got)
    key = lambda r: (r["aos_utc"], r["name"])          # noqa: E731
    assert [(r["name"], r["aos_utc"], r["los_utc"], r["max_elevation_deg"])
            for r in sorted(got, key=key)] == \
        [(r["name"], r["aos_utc"], r["los_utc"], r["max_elevation_deg"])
         for r in sorted(want, key=key)]


def test_geojson_opportunities_equal_the_opportunity_table(tmp_path_factory):
    names = ["PRSS-1", "PRSC-EO1", "HS-1"]
    path = tmp_path_factory.mktemp("opp") / "opp.geojson"
    status, _, err = run_cli("export", "opportunities", *names, "--start", START, "--days",
                             "3", "--target", "Sindh", "-o", str(path))
    assert status == 0, err
    feats = json.loads(path.read_text())["features"]
    status, out, err = run_cli("opportunities", *names, "--target", "Sindh", "--start", START,
                               "--days", "3", "--format", "json")
    rows = json.loads(out)
    assert len(feats) == len(rows) > 0
    for f, r in zip(feats, rows):
        assert f["geometry"]["coordinates"] == [r["point_lon_deg"], r["point_lat_deg"]]
        for k in ("name", "time_utc", "time_local", "off_nadir_deg", "gsd_m", "assumed"):
            assert f["properties"][k] == r[k]


def test_geojson_swaths_hold_the_track_they_follow(tmp_path_factory):
    doc = json.loads(export(tmp_path_factory, "swaths", "geojson",
                            names=["PRSS-1", "PRSC-S1"]).read_text())
    truth = positions(["PRSS-1", "PRSC-S1"])
    bands = {(f["properties"]["name"], f["properties"]["band"]) for f in doc["features"]}
    assert bands == {("PRSS-1", "field_of_regard"), ("PRSS-1", "nadir_swath"),
                     ("PRSC-S1", "field_of_regard_left"), ("PRSC-S1", "field_of_regard_right")}
    for f in doc["features"]:
        geom = shape(f["geometry"])
        assert geom.is_valid and geom.bounds[0] >= -180 and geom.bounds[2] <= 180
        p = f["properties"]
        mid = _utc(p["start_utc"]) + (_utc(p["end_utc"]) - _utc(p["start_utc"])) / 2
        r = truth.get((p["norad_id"], mid.strftime("%Y-%m-%dT%H:%M:%SZ")))
        if r is None or p["name"] != "PRSS-1":
            continue
        # The optical band is centred on the track: the sub-point lies inside it.
        assert geom.buffer(1e-6).contains(Point(r["lon_deg"], r["lat_deg"]))
    assert "PRSS-1 max off-nadir 35" in doc["orbitview"]["assumed"]


# --------------------------------------------------------------------------- KML

@pytest.fixture(scope="module")
def tracks_kml(tmp_path_factory):
    return export(tmp_path_factory, "tracks", "kml").read_bytes()


def test_kml_gx_tracks_equal_positions(tracks_kml):
    from lxml import etree
    root = etree.fromstring(tracks_kml)
    truth = positions()
    tracks = root.findall(".//gx:Track", KML)
    assert len(tracks) == 4
    for placemark in root.iterfind(".//k:Placemark", KML):
        track = placemark.find("gx:Track", KML)
        if track is None:
            continue
        norad = int(placemark.findtext("k:name", namespaces=KML).split("(")[1].rstrip(")"))
        whens = track.findall("k:when", KML)
        coords = track.findall("gx:coord", KML)
        assert len(whens) == len(coords) == 181
        assert track.findtext("k:altitudeMode", namespaces=KML) == "absolute"
        for w, c in zip(whens, coords):
            lon, lat, h = map(float, c.text.split())
            r = truth[(norad, w.text)]
            assert lon == pytest.approx(r["lon_deg"], abs=ROUNDING_DEG)
            assert lat == pytest.approx(r["lat_deg"], abs=ROUNDING_DEG)
            assert h / 1000 == pytest.approx(r["altitude_km"], abs=ROUNDING_KM)


def test_kml_reads_in_fastkml_with_legend_and_a_style_per_satellite(tracks_kml):
    from fastkml import kml
    doc = kml.KML.from_string(tracks_kml).features[0]
    folders = {f.name: f for f in doc.features}
    assert list(folders) == ["Legend", *NAMES]
    legend = [p.name for p in folders["Legend"].features]
    assert legend == ["PRSS-1 (43530)", "PRSC-EO1 (62725)", "PakSat-MM1 (59915)",
                      "HS-1 (66054)"]
    track = next(f for f in folders["PRSS-1"].features if type(f).__name__ == "Placemark")
    items = track.kml_geometry.track_items
    assert len(items) == 181 and items[0].when.dt == dt.datetime(2026, 11, 21,
                                                                  tzinfo=dt.timezone.utc)
    from lxml import etree
    root = etree.fromstring(tracks_kml)
    colours = {s.findtext("k:LineStyle/k:color", namespaces=KML)
               for s in root.iterfind(".//k:Style", KML)}
    assert len(colours) == 4                     # one colour per satellite


def test_kml_footprints_carry_time_spans(tmp_path_factory):
    from lxml import etree
    root = etree.fromstring(export(tmp_path_factory, "footprints", "kml", "--access", "radio",
                                   names=["PRSS-1"]).read_bytes())
    spans = root.findall(".//k:Placemark/k:TimeSpan", KML)
    assert len(spans) == 181
    begins = [_utc(s.findtext("k:begin", namespaces=KML)) for s in spans]
    assert begins == sorted(begins) and begins[0] == _utc(START)
    ends = [_utc(s.findtext("k:end", namespaces=KML)) for s in spans]
    assert all(e - b == dt.timedelta(minutes=1) for b, e in zip(begins[:-1], ends[:-1]))


def test_kml_passes_span_aos_to_los(tmp_path_factory):
    from fastkml import kml
    path = export(tmp_path_factory, "passes", "kml", "--site", "Islamabad", "--access", "radio")
    doc = kml.KML.from_string(path.read_bytes()).features[0]
    site = next(f for f in doc.features if f.name == "passes over Islamabad")
    passes = [f for f in site.features if type(f).__name__ == "Folder"]
    status, out, _ = run_cli("passes", *NAMES, "--site", "Islamabad", "--start", START,
                             "--days", "0.125", "--access", "radio", "--format", "json")
    rows = [r for r in json.loads(out) if r["tca_utc"] is not None]
    assert sorted(p.name for p in passes) == sorted(f"{r['name']} {r['aos_utc']}" for r in rows)
    for folder in passes:
        line = folder.features[0]
        assert line.times.begin.dt.strftime("%Y-%m-%dT%H:%M:%SZ") in folder.name


def test_kml_coverage_legend_has_the_classes(tmp_path_factory):
    from lxml import etree
    root = etree.fromstring(export(tmp_path_factory, "coverage", "kml", "--resolution", "1",
                                   "--access", "radio", "--metric", "max-gap",
                                   names=["PRSS-1"]).read_bytes())
    legend = root.find(".//k:Folder[k:name='Legend']", KML)
    names = [p.findtext("k:name", namespaces=KML) for p in legend.iterfind("k:Placemark", KML)]
    assert len(names) == 8          # a radio grid has a value in every cell: no 'no value' class
    assert all(n.endswith(" minutes: longest revisit gap (max_gap_min)") for n in names)
    cells = root.find(".//k:Folder[k:name='coverage cells (max_gap_min)']", KML)
    assert len(cells.findall("k:Placemark", KML)) > 50


# --------------------------------------------------------------------------- CSV

def test_csv_tracks_equal_positions(tmp_path_factory):
    rows = list(csv.DictReader(io.StringIO(export(tmp_path_factory, "tracks",
                                                  "csv").read_text())))
    truth = positions()
    assert len(rows) == len(truth)
    for r in rows:
        t = truth[(int(r["norad_id"]), r["time_utc"])]
        assert float(r["lat_deg"]) == pytest.approx(t["lat_deg"], abs=ROUNDING_DEG)
        assert float(r["lon_deg"]) == pytest.approx(t["lon_deg"], abs=ROUNDING_DEG)
        assert float(r["altitude_km"]) == pytest.approx(t["altitude_km"], abs=ROUNDING_KM)
        assert r["element_source"]


def test_csv_footprints_carry_wkt_polygons(tmp_path_factory):
    from shapely import wkt
    rows = list(csv.DictReader(io.StringIO(export(tmp_path_factory, "footprints", "csv",
                                                  names=["HS-1"]).read_text())))
    assert len(rows) == 181
    for r in rows:
        geom = wkt.loads(r["wkt"])
        assert geom.is_valid and geom.geom_type in ("Polygon", "MultiPolygon")
        assert r["access"] == "imaging" and "off-nadir <= 30" in r["rule"]


# --------------------------------------------------------------------------- errors

@pytest.mark.parametrize("args, status, message", [
    (["tracks", "PRSS-1", "-o", "x.txt"], 2, "cannot tell the format"),
    (["tracks", "PRSS-1", "--format", "kml", "-o", "x.geojson"], 2, "--format kml but"),
    (["passes", "PRSS-1", "-o", "x.kml"], 2, "needs at least one --site"),
    (["opportunities", "PRSS-1", "-o", "x.kml"], 2, "needs --target"),
    (["coverage", "PRSS-1", "--region", "world", "-o", "x.kml"], 2, "bounded --region"),
    (["swaths", "PakSat-MM1", "-o", "x.kml"], 2, "none of the satellites asked for can image"),
    (["tracks", "PRSS-1", "--step", "0.01", "--hours", "168", "-o", "x.kml"], 2,
     "is 60,480,001 samples, more than the 2,000,000 an export holds"),
    (["tracks", "PRSS-1", "--step", "nan", "-o", "x.kml"], 2, "'nan' is not a finite number"),
    (["shapes", "PRSS-1", "-o", "x.kml"], 2, "Invalid value for '{tracks|footprints"),
])
def test_export_errors(tmp_path, monkeypatch, args, status, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("export", *args, "--start", START)
    assert code == status and message in err, err
    assert list(tmp_path.iterdir()) == []
