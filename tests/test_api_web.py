"""The front door of the views and files: ``ov.tracks``, ``ov.swaths``, ``ov.footprints`` over a
window, ``ov.passes`` over several sites, ``ov.export`` / ``ov.write``, ``ov.web_map`` and
``ov.animation``, against the CLI that calls them (``export``, ``map``, ``animate``).

Files are read back by other libraries: GeoJSON and GeoPackage through GDAL (pyogrio), NetCDF
through xarray (netCDF4), CSV through pandas.  Satellites, window and sites are those of
tests/test_export.py (bundled element sets, data/tles/); every time is given explicitly.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from conftest import run_cli

UTC = dt.timezone.utc
PKT = ZoneInfo("Asia/Karachi")
START = "2026-11-21T00:00:00Z"
START_UTC = dt.datetime(2026, 11, 21, tzinfo=UTC)
NAMES = ["PRSS-1", "PRSC-EO1", "PakSat-MM1", "HS-1"]
IMAGERS = ["PRSS-1", "HS-1"]
SITES = ["Islamabad", "Karachi"]

EXPORTS = {
    # kind: (CLI arguments after the kind, the front-door call)
    "tracks": (["PRSS-1", "HS-1", "--start", START, "--hours", "3"],
               lambda ov: ov.tracks(IMAGERS, START, hours=3)),
    "footprints": (["PRSS-1", "PakSat-MM1", "--start", START, "--hours", "1", "--access",
                    "radio"],
                   lambda ov: ov.footprints(["PRSS-1", "PakSat-MM1"], START, hours=1,
                                            access="radio")),
    "swaths": (["PRSS-1", "PRSC-S1", "--start", START, "--hours", "2"],
               lambda ov: ov.swaths(["PRSS-1", "PRSC-S1"], START, hours=2)),
    "coverage": (["PRSS-1", "HS-1", "--start", START, "--hours", "12", "--region", "Punjab",
                  "--resolution", "0.5"],
                 lambda ov: ov.coverage(IMAGERS, "Punjab", START, hours=12,
                                        resolution_deg=0.5)),
    "passes": (["PRSS-1", "HS-1", "PakSat-MM1", "--start", START, "--hours", "12",
                "--access", "radio", "--site", "Islamabad", "--site", "Karachi"],
               lambda ov: ov.passes(["PRSS-1", "HS-1", "PakSat-MM1"], SITES, START, hours=12,
                                    access="radio")),
    "opportunities": (["PRSS-1", "PRSC-EO1", "--start", START, "--days", "3", "--target",
                       "Sindh"],
                      lambda ov: ov.opportunities(["PRSS-1", "PRSC-EO1"], "Sindh", START,
                                                  days=3)),
}
GEOMETRY = {"tracks": "MultiLineString Z", "footprints": "MultiPolygon",
            "swaths": "MultiPolygon", "coverage": "Polygon", "passes": "MultiLineString Z",
            "opportunities": "Point"}
"""The one geometry type GDAL reports for each kind's GeoJSON (Z: heights in metres)."""
LAYERS = {"tracks": [["tracks", "MultiLineString"], ["samples", "Point"]],
          "footprints": [["footprints", "MultiPolygon"]],
          "swaths": [["swaths", "MultiPolygon"]],
          "coverage": [["coverage_cells", "Polygon"]],
          "passes": [["passes", "MultiLineString"], ["sites", "Point"]],
          "opportunities": [["opportunities", "Point"]]}
ROUNDING = {"coverage_percent": 0.0005, "daylight_share_pct": 0.05}
"""Half the last digit the grid CSV writes (3 decimals, 1 for the daylight share, 2 for the
others: 0.005)."""


@pytest.fixture(scope="module")
def answers():
    import orbitview as ov
    return {kind: call(ov) for kind, (_, call) in EXPORTS.items()}


def _cli_file(tmp_path, kind, fmt, *extra):
    args, _ = EXPORTS[kind]
    path = tmp_path / f"{kind}.{'nc' if fmt == 'netcdf' else fmt}"
    status, out, err = run_cli("export", kind, *args, *extra, "-o", str(path))
    assert status == 0, err
    assert out == "" and f"orbitview: wrote {path}" in err
    return path, err


# --------------------------------------------------------------------------- CLI == API

def _same_ids(data: bytes, fmt: str) -> bytes:
    """KML with simplekml's object ids numbered from 0 in order of appearance: simplekml
    counts ids over a whole process, so a second file written in one process numbers its
    objects on from the first (the files are otherwise byte for byte the same)."""
    if fmt != "kml":
        return data
    import re
    seen: dict = {}

    def number(m):
        return m.group(1) + str(seen.setdefault(m.group(2), len(seen))).encode()
    return re.sub(rb'(id="|#)(\d+)', number, data)


@pytest.mark.parametrize("kind", list(EXPORTS))
@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "czml"])
def test_cli_file_is_the_api_bytes(tmp_path, answers, kind, fmt):
    import orbitview as ov
    path, _ = _cli_file(tmp_path, kind, fmt)
    assert _same_ids(path.read_bytes(), fmt) == _same_ids(ov.export(answers[kind], fmt), fmt)


@pytest.mark.parametrize("kind", ["tracks", "passes"])
def test_cli_points_file_is_the_api_bytes(tmp_path, answers, kind):
    import orbitview as ov
    path, _ = _cli_file(tmp_path, kind, "geojson", "--points")
    assert path.read_bytes() == ov.export(answers[kind], "geojson", points=True)


# --------------------------------------------------------------------------- GeoJSON

@pytest.mark.parametrize("kind", list(EXPORTS))
def test_geojson_holds_one_geometry_type(tmp_path, answers, kind):
    import pyogrio

    import orbitview as ov
    written = ov.write(answers[kind], tmp_path / f"{kind}.geojson")
    info = pyogrio.read_info(written.path)
    assert info["features"] > 0
    assert info["geometry_type"] == GEOMETRY[kind]


@pytest.mark.parametrize("kind", ["tracks", "passes"])
def test_geojson_points_on_request_are_time_stamped(tmp_path, answers, kind):
    import pyogrio

    import orbitview as ov
    written = ov.write(answers[kind], tmp_path / f"{kind}.geojson", points=True)
    info = pyogrio.read_info(written.path)
    assert info["geometry_type"] == "Point Z" and info["features"] > 0
    frame = pyogrio.read_dataframe(written.path)
    assert frame["time_utc"].notna().all()
    if kind == "passes":
        # Each pass's point is the satellite at its culmination (TCA), named with its site;
        # the geostationary satellite always in view has no culmination and no point.
        table = answers["passes"]
        crossing = [r for r in table if r["tca_utc"] is not None]
        assert len(frame) == len(crossing) < len(table)
        assert list(frame["site"]) == [r["site"] for r in crossing]
        assert [t.to_pydatetime() for t in frame["time_utc"]] == \
            [r["tca_utc"] for r in crossing]
    else:
        assert len(frame) == len(answers["tracks"].rows)


# --------------------------------------------------------------------------- GeoPackage

@pytest.mark.parametrize("kind", list(EXPORTS))
def test_geopackage_has_a_layer_per_geometry_type(tmp_path, answers, kind):
    import pyogrio
    path, err = _cli_file(tmp_path, kind, "gpkg")
    assert pyogrio.list_layers(path).tolist() == LAYERS[kind]
    for name, _ in LAYERS[kind]:
        info = pyogrio.read_info(path, layer=name)
        assert info["crs"] == "EPSG:4326" and info["features"] > 0
        meta = json.loads(info["layer_metadata"]["orbitview"])
        assert meta["kind"] == kind and meta["satellites"]


def test_geopackage_tracks_and_samples_equal_the_answer(tmp_path, answers):
    import pyogrio

    import orbitview as ov
    tracks = answers["tracks"]
    path = ov.write(tracks, tmp_path / "t.gpkg").path
    lines = pyogrio.read_dataframe(path, layer="tracks")
    samples = pyogrio.read_dataframe(path, layer="samples")
    assert list(lines["name"]) == IMAGERS
    assert len(samples) == len(tracks.rows) == 2 * 181
    assert np.allclose(samples.geometry.x, [r["lon_deg"] for r in tracks.rows])
    assert np.allclose(samples.geometry.y, [r["lat_deg"] for r in tracks.rows])
    assert str(samples["time_utc"].dt.tz) == "UTC"
    # A low orbit crosses the antimeridian in 3 hours: the line is cut there, not drawn across.
    for geom in lines.geometry:
        assert geom.geom_type == "MultiLineString" and len(geom.geoms) >= 2
        for part in geom.geoms:
            x = np.array(part.coords)[:, 0]
            assert np.all(np.abs(np.diff(x)) <= 180.0)


def test_geopackage_coverage_cells_carry_their_metrics(tmp_path, answers):
    import pyogrio

    import orbitview as ov
    grid = answers["coverage"]
    path = ov.write(grid, tmp_path / "c.gpkg").path
    cells = pyogrio.read_dataframe(path, layer="coverage_cells")
    want = grid.to_dataframe()
    assert len(cells) == len(want) > 50
    for c in grid.cell_columns:
        assert np.allclose(cells[c], want[c], equal_nan=True)


@pytest.mark.parametrize("fmt, module", [("gpkg", "pyogrio"), ("gpkg", "geopandas"),
                                         ("netcdf", "netCDF4")])
def test_binary_formats_name_the_extra_they_need(tmp_path, monkeypatch, fmt, module):
    monkeypatch.setitem(__import__("sys").modules, module, None)     # as if not installed
    out = tmp_path / f"c.{'nc' if fmt == 'netcdf' else fmt}"
    status, _, err = run_cli("export", "coverage", "PRSS-1", "--start", START, "--hours", "1",
                             "--resolution", "1", "-o", str(out))
    assert status == 2
    assert f"needs {module}, which is not installed" in err
    assert 'Fix: pip install "orbitview[analysis]"' in err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- NetCDF

def test_netcdf_round_trip_equals_the_cli_csv(tmp_path, answers):
    import pandas as pd
    import xarray as xr
    grid = answers["coverage"]
    nc, _ = _cli_file(tmp_path, "coverage", "netcdf")
    csv_path, _ = _cli_file(tmp_path, "coverage", "csv")
    table = pd.read_csv(csv_path)
    with xr.open_dataset(nc) as ds:
        assert ds.attrs["Conventions"] == "CF-1.8"
        assert ds.attrs["title"] == "imaging revisit of Punjab"
        assert ds.attrs["history"].startswith("orbitview ")
        assert ds.attrs["access_rule"].startswith("imaging access: PRSS-1: off-nadir <= 35")
        elements = json.loads(ds.attrs["elements"])
        assert [e["name"] for e in elements] == IMAGERS and elements[0]["epoch_utc"]
        assert ds["lat"].attrs["standard_name"] == "latitude"
        assert ds["lat"].attrs["units"] == "degrees_north"
        assert ds["lon"].attrs["standard_name"] == "longitude"
        assert ds["lon"].attrs["units"] == "degrees_east"
        for c in grid.cell_columns:
            assert ds[c].attrs["units"] and ds[c].attrs["long_name"]
            assert ds[c].encoding["_FillValue"] != ds[c].encoding["_FillValue"]   # NaN
        inside = ds["in_region"].values.astype(bool)
        assert inside.sum() == len(table)
        assert np.isnan(ds["max_revisit_h"].values[~inside]).all()
        for _, row in table.iterrows():
            cell = ds.sel(lat=row["lat_deg"], lon=row["lon_deg"], method="nearest")
            assert abs(float(cell["lat"]) - row["lat_deg"]) < 1e-4
            for c in grid.cell_columns:
                got, want = float(cell[c]), row[c]
                if np.isnan(want):
                    assert np.isnan(got)
                else:
                    assert got == pytest.approx(want, abs=ROUNDING.get(c, 0.005) + 0.0005)


def test_netcdf_is_for_grids(tmp_path):
    status, _, err = run_cli("export", "tracks", "PRSS-1", "--start", START, "-o",
                             str(tmp_path / "t.nc"))
    assert status == 2 and "NetCDF holds grids" in err and "Fix:" in err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- CSV

@pytest.mark.parametrize("kind, numbers", [
    ("tracks", ["lat_deg", "lon_deg", "altitude_km", "x_km", "epoch_age_days"]),
    ("coverage", ["lat_deg", "lon_deg", "opportunities", "first_image_h", "max_revisit_h",
                  "resolution_deg"]),
    ("passes", ["site_lat_deg", "max_elevation_deg", "duration_s", "epoch_age_days"]),
    ("opportunities", ["off_nadir_deg", "point_lat_deg", "point_lon_deg"]),
])
def test_pandas_reads_the_csv_as_numbers_and_the_metadata_is_beside_it(tmp_path, kind,
                                                                        numbers):
    import pandas as pd
    path, err = _cli_file(tmp_path, kind, "csv")
    side = path.with_name(path.name + ".json")
    assert f"and its metadata {side}" in err
    frame = pd.read_csv(path)
    for c in numbers:
        assert pd.api.types.is_numeric_dtype(frame[c]), (c, frame[c].dtype)
    meta = json.loads(side.read_text(encoding="utf-8"))
    assert meta["kind"] == kind and meta["start_utc"] == START and meta["satellites"]


def test_grid_csv_of_coverage_is_numbers_and_the_map_reads_old_and_new(tmp_path):
    """'coverage --grid-csv' writes numbers only and its note in cells.csv.json; the map
    reads that, and an older file whose first line is the '#' note, the same way."""
    import pandas as pd
    grid = tmp_path / "cells.csv"
    status, _, err = run_cli("coverage", *IMAGERS, "--start", START, "--hours", "12",
                             "--resolution", "1", "--grid-csv", str(grid), "--format", "json")
    assert status == 0, err
    assert f"and its metadata {grid}.json" in err
    frame = pd.read_csv(grid)
    assert all(pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns)
    note = json.loads((tmp_path / "cells.csv.json").read_text(encoding="utf-8"))["assumed"]
    assert note.startswith("Assumed instrument values")
    old = tmp_path / "old" / "cells.csv"
    old.parent.mkdir()
    old.write_text(f"# {note}\n" + grid.read_text(encoding="utf-8"), encoding="utf-8")
    payloads = []
    for path in (grid, old):
        out = tmp_path / f"m-{path.parent.name}.html"
        status, _, err = run_cli("map", "PRSS-1", "--start", START, "--hours", "1",
                                 "--coverage", str(path), "-o", str(out))
        assert status == 0, err
        payloads.append(_payload(out)["coverage"])
    new, older = payloads
    assert new["note"] == older["note"] == note
    assert new["metrics"] == older["metrics"]
    assert new["rule"].startswith("PRSS-1: off-nadir <= 35")      # from cells.csv.json


# --------------------------------------------------------------------------- stdout

@pytest.mark.parametrize("fmt", ["csv", "geojson", "kml", "czml"])
def test_dash_writes_text_formats_to_stdout(tmp_path, answers, fmt):
    import orbitview as ov
    args, _ = EXPORTS["tracks"]
    status, out, err = run_cli("export", "tracks", *args, "--format", fmt, "-o", "-")
    assert status == 0, err
    assert _same_ids(out.encode("utf-8"), fmt) == _same_ids(ov.export(answers["tracks"], fmt),
                                                           fmt)
    assert "to standard output: tracks of PRSS-1, HS-1 as " + fmt in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--format", "gpkg"], "--format gpkg is a binary file and does not go to standard output"),
    ([], "-o - writes to standard output, which has no file name"),
])
def test_dash_refuses_binary_formats_with_a_fix(args, message):
    status, out, err = run_cli("export", "tracks", "PRSS-1", "--start", START, *args, "-o", "-")
    assert status == 2 and message in err and "Fix:" in err and out == ""


# --------------------------------------------------------------------------- options alike

def test_days_on_export_opportunities(tmp_path):
    days, _ = _cli_file(tmp_path, "opportunities", "csv")
    hours = tmp_path / "hours.csv"
    args = [a for a in EXPORTS["opportunities"][0] if a not in ("--days", "3")]
    status, _, err = run_cli("export", "opportunities", *args, "--hours", "72", "-o", str(hours))
    assert status == 0, err
    assert days.read_bytes() == hours.read_bytes()
    assert len(days.read_text().splitlines()) > 1


def test_export_coverage_takes_a_province(tmp_path, answers):
    import pandas as pd
    path, _ = _cli_file(tmp_path, "coverage", "csv")
    frame = pd.read_csv(path)
    grid = answers["coverage"]
    assert grid.region.name == "Punjab"
    assert len(frame) == int(grid.grid.mask.sum()) > 50
    # Every cell centre lies inside Punjab (masked to the province, not its box).
    from shapely import points
    assert grid.region.polygon.buffer(1e-9).contains(
        points(frame["lon_deg"], frame["lat_deg"])).all()


def test_map_and_animate_take_a_province(tmp_path):
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "--start", START, "--hours", "1", "--region",
                             "Sindh", "-o", str(out))
    assert status == 0, err
    from orbitview.api.inputs import region
    assert _payload(out)["region"] == pytest.approx(list(region("Sindh").extent))
    status, _, err = run_cli("animate", "PRSS-1", "--start", START, "--hours", "0.1", "--dpi",
                             "30", "--region", "KP", "-o", str(tmp_path / "a.gif"))
    assert status == 0, err


def test_wrote_line_names_only_what_was_written(tmp_path):
    out = tmp_path / "sw.geojson"
    status, _, err = run_cli("export", "swaths", "PRSS-1", "PakSat-MM1", "--start", START,
                             "--hours", "1", "-o", str(out))
    assert status == 0, err
    assert "excluded from imaging: PakSat-MM1" in err
    wrote = next(line for line in err.splitlines() if "wrote" in line)
    assert wrote.endswith(": swaths of PRSS-1 as geojson")


def test_names_beyond_five_are_counted():
    from orbitview.api.filemeta import names_text
    assert names_text(["a", "b"]) == "a, b"
    assert names_text([f"s{k}" for k in range(409)]) == "409 satellites"
    assert names_text([]) == "no satellite"


# --------------------------------------------------------------------------- converters

def test_tracks_lines_and_points(answers):
    tracks = answers["tracks"]
    lines = tracks.to_geodataframe()
    assert lines.crs.to_epsg() == 4326
    assert list(lines["name"]) == IMAGERS
    assert set(lines.geom_type) == {"MultiLineString"}
    assert str(lines["start_utc"].dt.tz) == "UTC"
    assert (lines["points"] == 181).all()
    points = tracks.to_geodataframe(points=True)
    assert set(points.geom_type) == {"Point"} and len(points) == 2 * 181
    frame = tracks.to_dataframe()
    assert str(frame["time_utc"].dt.tz) == "UTC"
    assert list(frame.columns)[:6] == ["time_utc", "norad_id", "name", "lat_deg", "lon_deg",
                                       "altitude_km"]
    ds = tracks.to_xarray()
    assert ds["lat_deg"].dims == ("satellite", "time") and ds["lat_deg"].shape == (2, 181)
    assert ds["lat_deg"].attrs["units"] == "degrees_north"


def test_tracks_equal_positions():
    """ov.tracks and ov.positions give the same sub-points (the CSV rounds to 1e-6 deg)."""
    import orbitview as ov
    t = ov.tracks("PRSS-1", START, hours=1, step_s=300)
    p = ov.positions("PRSS-1", START, hours=1, step_s=300)
    assert [r["time_utc"] for r in t.rows] == [r["time_utc"] for r in p.rows]
    for a, b in zip(t.rows, p.rows):
        assert a["lat_deg"] == pytest.approx(b["lat_deg"], abs=1e-5)
        assert a["lon_deg"] == pytest.approx(b["lon_deg"], abs=1e-5)


def test_swaths_and_footprints_are_multipolygons(answers):
    swaths = answers["swaths"].to_geodataframe()
    assert set(swaths.geom_type) == {"MultiPolygon"} and swaths.crs.to_epsg() == 4326
    assert {(r["name"], r["band"]) for r in answers["swaths"]} == {
        ("PRSS-1", "field_of_regard"), ("PRSS-1", "nadir_swath"),
        ("PRSC-S1", "field_of_regard_left"), ("PRSC-S1", "field_of_regard_right")}
    fp = answers["footprints"]
    assert len(fp) == 2 * 61
    assert [r["time_utc"] for r in fp.rows[:2]] == [START_UTC, START_UTC + dt.timedelta(minutes=1)]
    frame = fp.to_geodataframe()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    for (_, row), shape in zip(frame.iterrows(), frame.geometry):
        from shapely.geometry import Point
        assert shape.buffer(1e-9).contains(Point(row["sub_lon_deg"], row["sub_lat_deg"]))


def test_footprints_over_a_window_refuse_a_map(answers):
    import orbitview as ov
    with pytest.raises(ov.UsageError, match="plot\\(\\) draws one instant"):
        answers["footprints"].plot()


def test_passes_over_several_sites(answers):
    import orbitview as ov
    table = answers["passes"]
    assert table.columns[:4] == ["site", "site_lat_deg", "site_lon_deg", "site_height_m"]
    assert {r["site"] for r in table} == set(SITES)
    assert [r["aos_utc"] for r in table] == sorted(r["aos_utc"] for r in table)
    for site in SITES:
        one = ov.passes(["PRSS-1", "HS-1", "PakSat-MM1"], site, START, hours=12,
                        access="radio")
        assert [(r["name"], r["aos_utc"], r["max_elevation_deg"]) for r in one] == \
            [(r["name"], r["aos_utc"], r["max_elevation_deg"]) for r in table
             if r["site"] == site]
    assert "Islamabad, Karachi" in repr(table)


# --------------------------------------------------------------------------- argument forms

def test_a_pakistan_time_is_the_same_instant_as_utc():
    import orbitview as ov
    utc = ov.tracks("PRSS-1", START_UTC, hours=1, step_s=600)
    pkt = ov.tracks("PRSS-1", START_UTC.astimezone(PKT), hours=1, step_s=600)
    assert ov.export(utc, "csv") == ov.export(pkt, "csv")
    by_name = ov.swaths("PRSS-1", START, hours=1)
    by_norad = ov.swaths(43530, START, hours=1)
    by_cospar = ov.swaths("2018-056B", START, hours=1)
    assert ov.export(by_name, "geojson") == ov.export(by_norad, "geojson") == \
        ov.export(by_cospar, "geojson")


@pytest.mark.parametrize("call", [
    lambda ov, t: ov.tracks("PRSS-1", t, hours=1),
    lambda ov, t: ov.swaths("PRSS-1", t, hours=1),
    lambda ov, t: ov.web_map("PRSS-1", t, hours=1),
])
def test_naive_datetimes_are_refused_with_the_fix(call):
    import orbitview as ov
    with pytest.raises(ov.UsageError, match="has no time zone") as e:
        call(ov, dt.datetime(2026, 11, 21, 5, 0))
    assert "tzinfo=ZoneInfo('Asia/Karachi')" in str(e.value)


def test_hold_keeps_a_stale_geostationary_satellite_at_its_slot():
    """PakSat-MM1's elements (2026-09-07) are 75 days old at START: held at its 38.2 E slot
    it stays there; raw SGP4 lets it drift (data/tles/59915.tle)."""
    import orbitview as ov
    held = ov.tracks("PakSat-MM1", START, hours=6, step_s=600)
    raw = ov.tracks("PakSat-MM1", START, hours=6, step_s=600, hold=False)
    lon_held = np.array([r["lon_deg"] for r in held.rows])
    lon_raw = np.array([r["lon_deg"] for r in raw.rows])
    assert np.abs(lon_held - 38.2).max() < 0.5
    assert np.abs(lon_raw - lon_held).max() > 0.5
    assert held.elements[0].held_slot_lon_deg == pytest.approx(38.2, abs=0.05)


def test_unknown_results_and_formats_are_refused():
    import orbitview as ov
    table = ov.launches()
    with pytest.raises(ov.UsageError, match="not one of the answers orbitview writes"):
        ov.export(table, "geojson")
    tracks = ov.tracks("PRSS-1", START, hours=1, step_s=600)
    with pytest.raises(ov.UsageError, match="format 'shp' is not one orbitview writes"):
        ov.export(tracks, "shp")
    with pytest.raises(ov.UsageError, match="points=True"):
        ov.export(tracks, "kml", points=True)
    with pytest.raises(ov.UsageError, match="NetCDF holds grids"):
        ov.export(tracks, "netcdf")


# --------------------------------------------------------------------------- web map, animation

def _payload(path):
    import re
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="orbitview-data">(.*?)'
                                r'</script>', text, re.S).group(1))


def test_map_file_is_the_web_map_page(tmp_path):
    import orbitview as ov
    out = tmp_path / "m.html"
    status, _, err = run_cli("map", "PRSS-1", "PakSat-MM1", "--start", START, "--hours", "3",
                             "--site", "Islamabad", "--access", "radio", "-o", str(out))
    assert status == 0, err
    page = ov.web_map(["PRSS-1", "PakSat-MM1"], START, hours=3, sites=["Islamabad"],
                      access="radio")
    assert out.read_text(encoding="utf-8") == page.html
    assert bytes(page) == out.read_bytes()
    assert f"{page.meta['passes']} passes" in err and page.meta["times"] == 181
    saved = page.save(tmp_path / "again.html")
    assert saved.read_bytes() == out.read_bytes()
    data = _payload(out)
    # The geostationary satellite's note is the page's, under its site.
    assert data["sites"][0]["notes"][0].startswith("PakSat-MM1 (59915) is continuously visible")


def test_web_map_takes_a_coverage_answer(answers):
    import orbitview as ov
    grid = answers["coverage"]
    page = ov.web_map("PRSS-1", START, hours=1, region="Punjab", coverage=grid,
                      coverage_metric="first-image")
    import re
    data = json.loads(re.search(r'id="orbitview-data">(.*?)</script>', page.html, re.S).group(1))
    cov = data["coverage"]
    assert cov["metric"] == "first_image_h" and cov["access"] == "imaging"
    assert len(cov["lat"]) == int(grid.grid.mask.sum())
    assert cov["note"].startswith("Assumed instrument values")
    with pytest.raises(ov.UsageError, match="radio-access metric"):
        ov.web_map("PRSS-1", START, hours=1, coverage=grid, coverage_metric="percent")


def test_animation_file_is_the_cli_file(tmp_path):
    import orbitview as ov
    out = tmp_path / "cli.gif"
    status, _, err = run_cli("animate", "PRSS-1", "--start", START, "--hours", "0.2", "--dpi",
                             "30", "-o", str(out))
    assert status == 0, err
    done = ov.animation("PRSS-1", tmp_path / "api.gif", START, hours=0.2, dpi=30)
    assert f"{done.frames} frames of {done.size_px[0]}x{done.size_px[1]} px at 12 fps" in err
    assert done.frames == 13                         # 0.2 h every 60 s on the world map
    assert done.path.read_bytes() == out.read_bytes()
    assert any("PRSS-1" in n.text for n in done.notes)        # its elements are stale
    with pytest.raises(ov.UsageError, match="cannot tell the format"):
        ov.animation("PRSS-1", tmp_path / "a.avi", START, hours=0.2)
