"""The front door's coverage and imaging questions: ``ov.coverage`` and ``ov.opportunities``.

Each answer is checked against the CLI that calls it (same rows, same cells, same calendar),
its converters against the grid and the rows they come from, its argument forms against
each other, and the slot hold against the dask driver.  Windows and satellites are those
of tests/test_opportunities.py and tests/test_revisit.py (bundled element sets, data/tles/).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from conftest import run_cli

import orbitview as ov

UTC = dt.timezone.utc
PKT = ZoneInfo("Asia/Karachi")
START = "2026-09-06T00:00:00Z"
START_UTC = dt.datetime(2026, 9, 6, tzinfo=UTC)

RADIO = dict(region="pakistan", start="2026-09-06T06:00Z", hours=3, resolution_deg=0.5,
             access="radio")
RADIO_ARGS = ["coverage", "PRSS-1", "PRSC-EO1", "--start", "2026-09-06T06:00:00Z", "--hours",
              "3", "--resolution", "0.5", "--access", "radio"]
IMAGING = dict(region="Punjab", start=START, days=1, resolution_deg=0.5)
IMAGING_ARGS = ["coverage", "PRSC-EO1", "PRSC-S1", "--region", "Punjab", "--start", START,
                "--days", "1", "--resolution", "0.5"]

CELL_EDGE_DEG = 1e-9
"""Float noise allowed on a cell polygon's corners (they are centre +- half the resolution)."""
EARTH_RADIUS_KM = 6371.0
SUBPOINT_KM = 3.0
"""Sub-satellite point to imaged point, against the spherical off-nadir geometry: the
ellipsoid changes the ground distance by < 0.4 % (<= 2 km at 500 km off track); rounding
of off_nadir_deg to 0.01 deg adds < 0.2 km."""


@pytest.fixture(scope="module")
def radio():
    import orbitview as ov
    return ov.coverage(["PRSS-1", "PRSC-EO1"], **RADIO)


@pytest.fixture(scope="module")
def punjab():
    import orbitview as ov
    return ov.coverage(["PRSC-EO1", "PRSC-S1"], **IMAGING)


# --------------------------------------------------------------------------- coverage: CLI

def test_cli_json_and_grid_csv_are_the_api_rows_and_cells(radio, tmp_path):
    cells = tmp_path / "cli.csv"
    status, out, err = run_cli(*RADIO_ARGS, "--format", "json", "--grid-csv", str(cells))
    assert status == 0, err
    assert json.loads(out) == radio.records()
    assert [r["region"] for r in radio.rows][-1] == "Pakistan"
    assert [r["region"] for r in radio.rows][:-1] == list(radio.region.polygons)
    mine = tmp_path / "api.csv"
    assert radio.write_grid_csv(mine) == int(radio.grid.mask.sum())
    assert mine.read_bytes() == cells.read_bytes()


def test_cli_imaging_over_a_province_is_the_api_answer(punjab, tmp_path):
    """'coverage --region Punjab' was refused (only pakistan or W,E,S,N); now a province is
    a region everywhere: masked to its polygon, one row named after it."""
    figure = tmp_path / "p.png"
    status, out, err = run_cli(*IMAGING_ARGS, "--format", "json", "-o", str(figure))
    assert status == 0, err
    assert json.loads(out) == punjab.records()
    assert [r["region"] for r in punjab.rows] == ["Punjab"]
    assert punjab.rows[0]["cells"] == int(punjab.grid.mask.sum())
    assert figure.stat().st_size > 0
    # The notes are what the command said, in its words and order; the assumed
    # instrument values follow the rows (the table puts them in its caption).
    said = [line.removeprefix("orbitview: warning: ") for line in err.splitlines()
            if line.startswith("orbitview: warning: ")]
    assumed = [n.text for n in punjab.notes if n.kind == "assumed"]
    assert assumed and assumed[0].startswith("Assumed instrument values (not published")
    assert said == [n.text for n in punjab.notes if n.kind != "assumed"] + assumed


def test_province_cells_lie_in_the_province(punjab):
    import shapely

    from orbitview.data.regions import province_polygons
    poly = province_polygons()["Punjab"]
    assert shapely.contains_xy(poly, punjab.grid.cell_lon, punjab.grid.cell_lat).all()
    assert punjab.region.name == "Punjab" and punjab.region.polygon is poly
    figure = punjab.plot("first-image")
    assert figure.axes[0].get_title(loc="left").startswith("Time to first image over Punjab")


def test_abbreviation_and_unknown_region_names():
    from orbitview.api.inputs import region
    assert region("KP").name == "Khyber Pakhtunkhwa"
    status, _, err = run_cli("coverage", "PRSS-1", "--region", "Panjab", "--start", START)
    assert status == 2
    assert "region 'Panjab' is not world, pakistan, a province or W,E,S,N. Did you mean " \
        "Punjab?" in err
    status, _, err = run_cli("coverage", "PRSS-1", "--region", "world", "--start", START)
    assert status == 2 and "coverage needs a bounded region, not the whole world." in err


# --------------------------------------------------------------------------- coverage: converters

def test_to_xarray_dims_coords_units_and_mask(radio, punjab):
    for result in (radio, punjab):
        ds = result.to_xarray()
        grid = result.grid
        assert set(ds.dims) == {"lat", "lon"}
        assert ds.sizes == {"lat": len(grid.lat_deg), "lon": len(grid.lon_deg)}
        assert ds["lat"].attrs["units"] == "degrees_north"
        assert ds["lon"].attrs["units"] == "degrees_east"
        assert np.array_equal(ds["in_region"].values, grid.mask)
        for column in result.cell_columns:
            var = ds[column]
            assert var.dims == ("lat", "lon") and var.attrs["long_name"]
            values = var.values
            assert np.isnan(values[~grid.mask]).all()          # NaN outside the region
            assert np.array_equal(values[grid.mask], result.cells()[column], equal_nan=True)
        assert json.loads(ds.attrs["elements"])[0]["name"] in result.meta["satellites"]
        assert ds.attrs["rule"] == result.meta["rule"]
        assert ds.attrs["start"] == result.meta["start"].strftime("%Y-%m-%dT%H:%M:%SZ")
    units = {k: radio.to_xarray()[k].attrs["units"] for k in radio.cell_columns}
    assert units == {"coverage_percent": "percent", "accesses": "1", "max_gap_min": "min",
                     "mean_gap_min": "min"}
    units = {k: punjab.to_xarray()[k].attrs["units"] for k in punjab.cell_columns}
    assert units == {"opportunities": "1", "first_image_h": "h", "mean_revisit_h": "h",
                     "max_revisit_h": "h", "daylight_share_pct": "percent"}
    ds = radio.to_xarray()
    assert float(ds["coverage_percent"].max()) <= 100.0
    assert float(ds["coverage_percent"].min()) >= 0.0


def test_to_geodataframe_one_polygon_per_cell(radio):
    gdf = radio.to_geodataframe()
    half = radio.grid.resolution_deg / 2
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == int(radio.grid.mask.sum())
    assert set(gdf.geometry.geom_type) == {"Polygon"}
    bounds = gdf.geometry.bounds
    assert np.allclose(bounds["minx"], gdf["lon_deg"] - half, atol=CELL_EDGE_DEG)
    assert np.allclose(bounds["maxy"], gdf["lat_deg"] + half, atol=CELL_EDGE_DEG)
    assert list(gdf.columns[:6]) == ["lat_deg", "lon_deg", *radio.cell_columns]
    assert gdf.attrs["rule"] == "elevation >= 10\u00b0"
    frame = radio.summary_dataframe()
    assert list(frame.columns) == radio.columns and len(frame) == len(radio.rows)


# --------------------------------------------------------------------------- coverage: arguments

def test_a_pakistan_time_is_the_same_instant_in_utc(radio):
    import orbitview as ov
    pkt = ov.coverage(["PRSS-1", "PRSC-EO1"], **{**RADIO, "start": dt.datetime(
        2026, 9, 6, 11, 0, tzinfo=PKT)})
    assert pkt.meta["start"] == radio.meta["start"] == dt.datetime(2026, 9, 6, 6, tzinfo=UTC)
    assert pkt.rows == radio.rows
    with pytest.raises(ov.UsageError, match="has no time zone") as e:
        ov.coverage("PRSS-1", **{**RADIO, "start": dt.datetime(2026, 9, 6, 6)})
    assert "tzinfo=ZoneInfo('Asia/Karachi')" in str(e.value)


def test_metric_of_the_other_access_kind_is_refused():
    import orbitview as ov
    from orbitview.api.coverage import MetricError, metric_name
    with pytest.raises(MetricError, match="metric 'max-revisit' is an imaging metric but the "
                                          "access is radio"):
        ov.coverage("PRSS-1", **RADIO, metric="max-revisit")
    assert metric_name("max_gap_min", "radio") == "max-gap"
    assert metric_name(None, "imaging") == "max-revisit"


# --------------------------------------------------------------------------- hold on dask

GEO = dict(region="pakistan", start="2026-12-01T00:00Z", hours=6, step_s=600.0,
           resolution_deg=0.5, access="radio", min_elevation_deg=35.0)
"""PakSat-MM1 (38.2 deg E) on 2026-12-01, 85 days after its newest bundled set (of
2026-09-07, data/tles/59915.tle): held at its slot, or drifting on raw SGP4.  At 35 deg of
elevation the edge of its reach crosses Pakistan, so the two differ cell by cell."""


@pytest.fixture(scope="module")
def cluster():
    pytest.importorskip("distributed")
    from orbitview.access.distributed import cluster_client
    with cluster_client(workers=2) as client:
        yield client


def test_hold_reaches_the_dask_workers(cluster):
    import orbitview as ov
    held = ov.coverage("PakSat-MM1", **GEO)
    raw = ov.coverage("PakSat-MM1", **GEO, hold=False)
    assert held.elements[0].held_slot_lon_deg == 38.2 and raw.elements[0].held_slot_lon_deg \
        is None
    assert not np.array_equal(held.run.coverage_percent, raw.run.coverage_percent)
    for local, hold in ((held, True), (raw, False)):
        done: list = []
        there = ov.coverage("PakSat-MM1", **GEO, hold=hold, client=cluster,
                            progress=lambda n, total, done=done: done.append((n, total)))
        for column in local.cell_columns:
            assert np.array_equal(getattr(there.run, column), getattr(local.run, column))
        assert there.rows == local.rows
        assert done[-1][0] == done[-1][1] == local.run.n_time


def test_cli_dask_no_hold_equals_no_hold():
    pytest.importorskip("distributed")
    args = ["coverage", "PakSat-MM1", "--start", "2026-12-01T00:00Z", "--hours", "6", "--step",
            "600", "--resolution", "0.5", "--access", "radio", "--min-elevation", "35",
            "--format", "json"]
    status, held, err = run_cli(*args)
    assert status == 0, err
    status, raw, err = run_cli(*args, "--no-hold")
    assert status == 0, err
    status, raw_dask, err = run_cli(*args, "--no-hold", "--dask", "--workers", "2")
    assert status == 0, err
    assert "running on dask, 2 workers" in err
    assert json.loads(raw_dask) == json.loads(raw) != json.loads(held)


# --------------------------------------------------------------------------- opportunities

IMAGERS = ["PRSS-1", "PRSC-EO1"]
WEEK = "2026-06-27T00:00:00Z"
"""A week from a day after PRSS-1's newest bundled set (2026-06-26, data/tles/43530.tle)."""


@pytest.fixture(scope="module")
def gwadar():
    import orbitview as ov
    return ov.opportunities(IMAGERS, "Gwadar", WEEK, days=7)


def _instant(text):
    """A CSV/JSON time ('...Z' or '...+05:00', whole seconds) as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_opportunities_cli_json_is_the_api_rows(gwadar):
    status, out, err = run_cli("opportunities", *IMAGERS, "--target", "Gwadar", "--start",
                               WEEK, "--days", "7", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert gwadar.rows and len(rows) == len(gwadar.rows)
    for cli_row, row in zip(rows, gwadar.records(), strict=True):
        assert list(cli_row) == gwadar.columns
        for c in gwadar.columns:
            if isinstance(row[c], dt.datetime):       # the CLI writes whole seconds
                assert 0 <= (row[c] - _instant(cli_row[c])).total_seconds() < 1, c
            else:
                assert cli_row[c] == row[c], c
    assert err.rstrip().endswith(f"orbitview: warning: {gwadar.assumptions}")
    assert [n.kind for n in gwadar.notes] == ["assumed"]


def test_opportunities_calendar_is_the_clis(gwadar):
    from icalendar import Calendar
    status, out, err = run_cli("opportunities", *IMAGERS, "--target", "Gwadar", "--start",
                               WEEK, "--days", "7", "--format", "ics")
    assert status == 0, err
    keys = ("uid", "summary", "description", "location")
    cli = [tuple(str(e[k]) for k in keys) for e in Calendar.from_ical(out).walk("VEVENT")]
    stamp = dt.datetime(2026, 9, 1, tzinfo=UTC)
    ours = Calendar.from_ical(gwadar.to_ics(stamp))
    assert cli == [tuple(str(e[k]) for k in keys) for e in ours.walk("VEVENT")]
    assert {e.decoded("dtstamp") for e in ours.walk("VEVENT")} == {stamp}
    assert [e.decoded("dtstart") for e in ours.walk("VEVENT")] == \
        [r["start_utc"].replace(microsecond=0) for r in gwadar.rows]


def test_opportunities_converters(gwadar):
    from pyproj import Geod
    frame = gwadar.to_dataframe()
    assert str(frame["time_utc"].dt.tz) == "UTC"
    assert str(frame["time_local"].dt.tz) == "Asia/Karachi"
    assert (frame["time_local"] == frame["time_utc"]).all()           # the same instants
    gdf = gwadar.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326 and set(gdf.geometry.geom_type) == {"Point"}
    # Each sub-satellite point lies where the off-nadir angle says: the Earth central
    # angle between nadir and a target seen eta off nadir from radius r is
    # asin(r / R sin eta) - eta (spherical Earth).
    geod = Geod(ellps="WGS84")
    for point, r in zip(gdf.geometry, gwadar.rows, strict=True):
        _, _, metres = geod.inv(point.x, point.y, r["point_lon_deg"], r["point_lat_deg"])
        eta = math.radians(r["off_nadir_deg"])
        ratio = (EARTH_RADIUS_KM + r["altitude_km"]) / EARTH_RADIUS_KM
        expected_km = (math.asin(ratio * math.sin(eta)) - eta) * EARTH_RADIUS_KM
        assert metres / 1000 == pytest.approx(expected_km, abs=SUBPOINT_KM + 0.004 *
                                              expected_km)


def test_opportunities_argument_forms_agree(gwadar):
    import orbitview as ov
    from orbitview.data.sites import load_sites
    site = load_sites()["gwadar"]
    start_pkt = dt.datetime(2026, 6, 27, 5, 0, tzinfo=PKT)
    for satellites, target in (([43530, 62725], "Gwadar"),     # NORAD numbers
                               (["2018-056B", "2025-012A"],    # COSPAR ids
                                (site.lat_deg, site.lon_deg)),
                               (IMAGERS, site)):
        other = ov.opportunities(satellites, target, start_pkt, days=7)
        assert [r["time_utc"] for r in other] == [r["time_utc"] for r in gwadar]
        assert [r["off_nadir_deg"] for r in other] == [r["off_nadir_deg"] for r in gwadar]
    with pytest.raises(ov.UsageError, match="PakSat-MM1 has no imaging instrument"):
        ov.opportunities("PakSat-MM1", "Karachi", START, days=1)
    with pytest.raises(ov.UsageError, match="has no time zone"):
        ov.opportunities("PRSC-EO1", "Gwadar", dt.datetime(2026, 9, 6))


def test_opportunities_over_an_area_say_when_all_was_seen():
    import orbitview as ov
    result = ov.opportunities(["PRSC-EO1", "PRSC-S1"], "Sindh", START, days=3)
    assert result.target.kind == "area" and result.target.name == "Sindh"
    seen = result.seen
    assert seen["share_seen_pct"] == 100.0 and seen["fully_seen_utc"] is not None
    cumulative = [r["cumulative_share_pct"] for r in result]
    assert cumulative == sorted(cumulative) and cumulative[-1] == 100.0
    assert "PRSC-S1 instrument kind SAR" in result.assumptions
    assert "opportunities on Sindh" in repr(result)


def test_opportunities_notes_are_what_the_cli_says():
    """PRSS-1's newest bundled set is of 2026-06-26: a week from 2026-09-01 its opportunities
    rest on elements more than 60 days old; the note names the oldest and its bound."""
    import orbitview as ov
    result = ov.opportunities("PRSS-1", "Gwadar", "2026-09-01T00:00Z", days=7)
    assert [n.kind for n in result.notes] == ["stale", "assumed"]
    oldest = max(abs(r["epoch_age_days"]) for r in result)
    assert f"PRSS-1 (up to {oldest:.0f} days, timing " in result.notes[0].text
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", "Gwadar", "--start",
                             "2026-09-01T00:00:00Z", "--days", "7", "--format", "csv")
    assert status == 0, err
    said = [line.removeprefix("orbitview: warning: ") for line in err.splitlines()
            if line.startswith("orbitview: warning: ")]
    assert said == result.warnings


def test_refined_ends_are_one_answer_through_the_cli_and_python():
    # 'coverage --refine 1' and ov.coverage(refine_s=1): interval ends between the 30 s
    # steps; the revisit metrics agree with the 10 s steps to a few hundredths of an hour
    # (computed from the same elements and rule; values of 2026-12-05).
    args = dict(region="Punjab", start="2026-09-06T00:00Z", days=3, resolution_deg=0.25)
    refined = ov.coverage(["PRSC-EO1", "PRSS-1"], step_s=30, refine_s=1, **args)
    stepped = ov.coverage(["PRSC-EO1", "PRSS-1"], **args)
    assert refined.meta["refine_s"] == 1.0 and stepped.meta["refine_s"] is None
    [r], [s] = refined.rows, stepped.rows
    assert r["max_revisit_h"] == pytest.approx(s["max_revisit_h"], abs=0.05)
    assert r["mean_revisit_h"] == pytest.approx(s["mean_revisit_h"], abs=0.05)
    status, out, err = run_cli("coverage", "PRSC-EO1", "PRSS-1", "--region", "Punjab",
                               "--start", "2026-09-06T00:00Z", "--days", "3", "--resolution",
                               "0.25", "--step", "30", "--refine", "1", "--format", "json")
    assert status == 0, err
    [cli] = json.loads(out)
    assert cli["mean_revisit_h"] == pytest.approx(r["mean_revisit_h"], abs=0.005)
    assert cli["max_revisit_h"] == pytest.approx(r["max_revisit_h"], abs=0.005)


def test_refining_beyond_the_step_is_refused_with_the_fix():
    with pytest.raises(ov.UsageError) as e:
        ov.coverage("PRSS-1", "Punjab", "2026-09-06T00:00Z", hours=6, access="radio",
                    step_s=30, refine_s=60, resolution_deg=0.5)
    assert str(e.value) == ("refine_s 60 s is longer than the step, 30 s: there is nothing "
                            "between the steps to refine to it.\nFix: give --refine 1 "
                            "(refine_s=) or a longer --step.")
