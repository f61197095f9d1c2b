"""The front door beyond the fleet: geo-belt, partners, design walker/sso/sweep.  Each is
checked against the CLI command that calls it (the same rows), its converters, the
argument forms it takes, and the fixes made while moving it (an object without a NORAD
number, a survey before a launch, numpy warnings, the revisit target).

Reference values: data/catalogs/geo.tle (CelesTrak GROUP=geo, newest epoch
2026-05-30T17:52:52Z; PakSat-MM1 at 38.18 E, tests/test_geobelt.py), data/launches.csv
(PakSat-MM1 launched 2024-05-30T12:12Z).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from zoneinfo import ZoneInfo

import pytest
from conftest import run_cli

UTC = dt.timezone.utc
PKT = ZoneInfo("Asia/Karachi")
BELT_AT = dt.datetime(2026, 5, 30, 17, 52, 52, tzinfo=UTC)
"""The newest epoch of the bundled geo.tle: every set there is fresh."""
EPOCH = dt.datetime(2026, 11, 21, tzinfo=UTC)
LON_TOLERANCE_DEG = 0.0005
"""Longitudes are rounded to 0.001 deg in the rows."""



@pytest.fixture(autouse=True)
def close_figures():
    """Figures drawn here are checked and dropped (pyplot keeps every open figure)."""
    yield
    import matplotlib.pyplot as plt
    plt.close("all")

def as_json(result):
    """The rows as the CLI prints them with --format json (datetimes as ISO 8601 Z)."""
    from orbitview.products.text import to_json
    return json.loads(to_json(result.records()))


def cli_json(*args):
    status, out, err = run_cli(*args, "--format", "json")
    assert status == 0, err
    return json.loads(out)


# --------------------------------------------------------------------------- geo-belt

def test_geo_belt_rows_are_the_cli_json():
    import orbitview as ov
    belt = ov.geo_belt("PakSat-MM1", 1.0, BELT_AT)
    assert as_json(belt) == cli_json("geo-belt", "--around", "PakSat-MM1", "--within", "1",
                                     "--at", "2026-05-30T17:52:52Z")
    assert belt.count_text() == "PakSat-MM1 and 4 neighbours"
    assert belt.notes == [] and belt.left_out == []
    # Without a time, the catalogue's newest epoch, as the CLI does.
    default = ov.geo_belt(within_deg=1.0)
    assert default.meta["at"] == BELT_AT and as_json(default) == as_json(belt)


@pytest.mark.parametrize("around", ["PakSat-MM1", 59915, "59915", "2024-104A", "paksat mm1"])
def test_geo_belt_takes_any_identifier_and_zone(around):
    import orbitview as ov
    want = as_json(ov.geo_belt("PakSat-MM1", 1.0, BELT_AT))
    assert as_json(ov.geo_belt(around, 1.0, BELT_AT.astimezone(PKT))) == want
    assert as_json(ov.geo_belt(around, 1.0, "2026-05-30T22:52:52+05:00")) == want


def test_geo_belt_around_a_longitude():
    import orbitview as ov
    by_float = ov.geo_belt(38.2, 0.5, BELT_AT)
    assert as_json(by_float) == as_json(ov.geo_belt("38.2E", 0.5, BELT_AT))
    assert by_float.reference.norad_id is None
    assert by_float.count_text() == str(len(by_float))
    assert all(abs(r["mean_lon_deg"] - 38.2) <= 0.5 + LON_TOLERANCE_DEG for r in by_float)


def test_geo_belt_refuses_naive_times_and_bad_widths():
    import orbitview as ov
    with pytest.raises(ov.UsageError, match="at 2026-05-30 17:52:52 has no time zone"):
        ov.geo_belt("PakSat-MM1", 1.0, dt.datetime(2026, 5, 30, 17, 52, 52))
    with pytest.raises(ov.UsageError, match="within_deg=0 is out of range"):
        ov.geo_belt("PakSat-MM1", 0)


def test_geo_belt_geodataframe_has_each_sub_satellite_point():
    import orbitview as ov
    belt = ov.geo_belt("PakSat-MM1", 1.0, BELT_AT)
    frame = belt.to_geodataframe()
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {"Point"}
    assert frame["geometry"].x.tolist() == pytest.approx([r["mean_lon_deg"] for r in belt])
    assert frame["geometry"].y.tolist() == [0.0] * len(belt)     # the daily mean latitude
    assert frame["status"].tolist() == [r["status"] for r in belt]
    assert frame["separation_km"].tolist() == [r["separation_km"] for r in belt]
    assert str(frame["epoch_utc"].dt.tz) == "UTC"
    assert frame.attrs["within_deg"] == 1.0


def test_geo_belt_figures(tmp_path):
    import orbitview as ov
    belt = ov.geo_belt("PakSat-MM1", 1.0, BELT_AT)
    fig = belt.plot()
    ax = fig.axes[0]
    assert len(ax.collections) >= len(belt)              # one marker per object
    assert ax.get_xlim()[0] < 38.18 - 1.0 and ax.get_xlim()[1] > 38.18 + 1.0
    slot = ov.slot_history("PakSat-MM1", BELT_AT)
    assert isinstance(slot, ov.Figure) and len(slot.figure.axes) == 2
    labels = [t.get_text() for t in slot.figure.axes[0].get_legend().get_texts()]
    assert labels[0].startswith("PakSat-MM1 (59915, ")    # the reference first


def test_geo_belt_object_without_norad_number_is_refused():
    import orbitview as ov
    # Before: "ICUBE-Q (None) has no element set in the GEO catalogue".
    with pytest.raises(ov.UsageError) as e:
        ov.geo_belt("ICUBE-Q")
    text = str(e.value)
    assert text.startswith("ICUBE-Q has no NORAD catalog number, so no element set places "
                           "it on the geostationary arc (ICUBE-Q is in lunar orbit")
    assert "(None)" not in text and "\nFix: give a geostationary object" in text
    status, out, err = run_cli("geo-belt", "--around", "ICUBE-Q")
    assert status == 2 and out == "" and "ICUBE-Q has no NORAD catalog number" in err


def test_geo_belt_before_a_launch_says_so_and_lists_no_such_object():
    import orbitview as ov
    at = dt.datetime(2020, 1, 1, tzinfo=UTC)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)     # nothing leaks from numpy
        belt = ov.geo_belt("PakSat-MM1", 1.0, at)
        early = ov.geo_belt("PakSat-MM1", 1.0, dt.datetime(2000, 1, 1, tzinfo=UTC))
    names = [r["name"] for r in belt]
    # Before: PakSat-MM1 listed as 'station-kept' 4 years before its launch.
    assert "PAKSAT-MM1" not in names and "PAKSAT-1R" in names        # launched 2011
    launch = [n.text for n in belt.notes if n.kind == "launch"]
    assert launch == ["PakSat-MM1 had not launched by 2020-01-01T00:00:00Z: it was launched "
                      "on 2024-05-30T12:12Z; it is not listed, and the survey is centred on "
                      "the slot its later element sets give."]
    assert belt.reference.lon_deg == pytest.approx(38.18, abs=0.02)
    assert len(early) == 0 and early.count_text() == "none"
    assert any("objects within 1 deg had not launched by 2000-01-01T00:00:00Z (by the year "
               "of their COSPAR id)" in n.text for n in early.notes)
    status, out, err = run_cli("geo-belt", "--at", "2020-01-01T00:00Z", "--within", "1",
                               "--format", "json")
    assert status == 0 and "RuntimeWarning" not in err and "geobelt.py" not in err
    assert json.loads(out) == as_json(belt)
    assert f"orbitview: warning: {launch[0]}" in err.splitlines()


# --------------------------------------------------------------------------- partners

PARTNER_WINDOW = dict(days=1.0, step_s=60.0, resolution_deg=0.5)
PARTNER_ARGS = ["--start", "2026-06-01T00:00Z", "--days", "1", "--step", "60",
                "--resolution", "0.5"]


def test_partners_rows_are_the_cli_json():
    import orbitview as ov
    result = ov.partners("GAOFEN-1", "Sindh", "2026-06-01T00:00Z", **PARTNER_WINDOW)
    assert as_json(result) == cli_json("partners", "GAOFEN-1", "--region", "Sindh",
                                       *PARTNER_ARGS)
    assert [(r["region"], r["fleet"]) for r in result] == [
        ("Sindh", "Pakistan (6 imagers)"), ("Sindh", "+ 1 partners (7)")]
    assert [i["name"] for i in result.instruments] == ["GAOFEN-1"]
    assert {e.name for e in result.elements} >= {"GAOFEN-1", "PRSS-1"}
    # The same instant in Pakistan time is the same question.
    pkt = ov.partners(["GAOFEN-1"], "sindh", dt.datetime(2026, 6, 1, 5, tzinfo=PKT),
                      **PARTNER_WINDOW)
    assert as_json(pkt) == as_json(result)


def test_partners_dataframe_and_figure():
    import orbitview as ov
    result = ov.partners("GAOFEN-1", "Sindh", "2026-06-01T00:00Z", **PARTNER_WINDOW)
    frame = result.to_dataframe()
    from orbitview.api.beyond import PARTNER_COLUMNS
    assert list(frame.columns) == PARTNER_COLUMNS
    assert frame["max_revisit_h"].iloc[1] <= frame["max_revisit_h"].iloc[0]
    assert frame.attrs["region"] == "Sindh" and frame.attrs["start"] == "2026-06-01T00:00:00Z"
    fig = result.plot()
    assert fig.axes and "Sindh" in " ".join(t.get_text() for t in fig.texts)


@pytest.mark.parametrize("names,region,message", [
    ("PRSS-1", "pakistan", "PRSS-1 is one of Pakistan's own satellites, not a partner"),
    ("LANDSAT 8", "pakistan", "LANDSAT 8 (39084) has no instrument row"),
    ("GAOFEN-1", "Atlantis", "neither pakistan nor a province"),
])
def test_partners_refusals(names, region, message):
    import orbitview as ov
    with pytest.raises(ov.UsageError, match=re.escape(message)):
        ov.partners(names, region, "2026-06-01T00:00Z", **PARTNER_WINDOW)


# --------------------------------------------------------------------------- designs

def test_walker_rows_are_the_cli_json_and_the_sets_hypothetical(tmp_path):
    import orbitview as ov
    design = ov.walker("53:4/2/1", 550, EPOCH)
    out = tmp_path / "w.json"
    status, stdout, err = run_cli("design", "walker", "53:4/2/1", "--altitude", "550",
                                  "--epoch", "2026-11-21T00:00Z", "-o", str(out),
                                  "--format", "json")
    assert status == 0, err
    assert json.loads(stdout) == as_json(design)
    assert out.read_text() == design.to_json()
    assert all(r["hypothetical"] for r in design) and len(design) == 4
    assert all(e.hypothetical for e in design.elements)
    assert all(es.name.startswith("HYPOTHETICAL") for es in design.element_sets())
    assert [r["epoch_utc"] for r in design] == [EPOCH] * 4
    assert as_json(ov.walker("53:4/2/1", 550, EPOCH.astimezone(PKT))) == as_json(design)
    with pytest.raises(ov.UsageError, match="epoch 2026-11-21 00:00:00 has no time zone"):
        ov.walker("53:4/2/1", 550, dt.datetime(2026, 11, 21))


def test_sun_synchronous_rows_are_the_cli_json():
    import orbitview as ov
    design = ov.sun_synchronous(550, ["10:30", "13:30"], 2, EPOCH)
    status, stdout, err = run_cli("design", "sso", "--altitude", "550", "--ltdn", "10:30",
                                  "--ltdn", "13:30", "--per-plane", "2", "--epoch",
                                  "2026-11-21T00:00Z", "--format", "json")
    assert status == 0, err
    assert json.loads(stdout) == as_json(design)
    assert as_json(ov.sun_synchronous(550, [10.5, 13.5], 2, EPOCH)) == as_json(design)
    assert {round(r["inclination_deg"], 2) for r in design} == {97.62}


def test_a_design_answers_every_question_marked_hypothetical():
    import orbitview as ov
    design = ov.walker("53:2/2/1", 550, EPOCH)
    table = ov.positions(design.element_sets(), EPOCH, hours=0.5, step_s=600)
    assert all(e.hypothetical for e in table.elements)
    assert {r["name"] for r in table.records()} == {r["name"] for r in design}


SWEEP = dict(satellites=[2, 4, 8], planes=[1, 2], start=EPOCH, days=1.0, step_s=120.0,
             resolution_deg=1.0)
SWEEP_ARGS = ["--satellites", "2,4,8", "--planes", "1,2", "--start", "2026-11-21T00:00Z",
              "--days", "1", "--step", "120", "--resolution", "1"]


def test_design_sweep_rows_are_the_cli_csv_and_say_which_meet_the_target():
    import orbitview as ov
    result = ov.design_sweep(**SWEEP, target_revisit_h=23.9)
    status, out, err = run_cli("design", "sweep", *SWEEP_ARGS, "--target-revisit-h", "23.9",
                               "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == result.columns and result.columns[-1] == "meets_target"
    for got, want in zip(rows, result.records(), strict=True):
        assert got["design"] == want["design"] and got["region"] == want["region"]
        assert got["meets_target"] == ("" if want["meets_target"] is None
                                       else str(want["meets_target"]))
    for r in result:                # the rule: every cell imaged, longest wait <= target
        if r["max_revisit_h"] is None:
            assert r["meets_target"] is None
        else:
            assert r["meets_target"] == (not r["never_imaged_pct"]
                                         and r["max_revisit_h"] <= 23.9)
    country = [r for r in result if r["region"] == "Pakistan"]
    meeting = [r for r in country if r["meets_target"]]
    assert meeting, "some design should meet 23.9 h in this window"
    smallest = result.smallest
    assert smallest["satellites"] == min(r["satellites"] for r in meeting)
    line = result.target_text()
    assert line.startswith("Target: every cell imaged at least every 23.9 h")
    assert f"the smallest is {smallest['design']} ({smallest['satellites']} satellites" in line
    assert f"orbitview: note: {line}" in err            # CSV stays on stdout, the line on stderr


def test_design_sweep_table_names_the_smallest_design(monkeypatch):
    import orbitview as ov
    monkeypatch.setenv("COLUMNS", "200")
    result = ov.design_sweep(**SWEEP)                   # the default target: 24 h
    assert result.meta["target_revisit_h"] == 24.0
    status, out, err = run_cli("design", "sweep", *SWEEP_ARGS)
    assert status == 0, err
    assert "meets target" in out
    assert " ".join(result.target_text().split()) in " ".join(out.split())
    nobody = ov.design_sweep(**SWEEP, target_revisit_h=1.0)
    assert nobody.smallest is None and all(not r["meets_target"] for r in nobody
                                           if r["meets_target"] is not None)
    assert "met by none of the 6 designs; the closest is" in nobody.target_text()
    free = ov.design_sweep(**SWEEP, target_revisit_h=None)
    assert free.target_text() == "" and {r["meets_target"] for r in free} == {None}


def test_design_sweep_refusals():
    import orbitview as ov
    with pytest.raises(ov.UsageError, match="divides evenly"):
        ov.design_sweep(satellites=[3], planes=[2], start=EPOCH, days=1.0)
    with pytest.raises(ov.UsageError, match="inclination='abc' is not a number"):
        ov.design_sweep(inclination="abc", start=EPOCH, days=1.0)
    with pytest.raises(ov.UsageError, match="PakSat-MM1 has no imaging instrument"):
        ov.design_sweep(instrument="PakSat-MM1", start=EPOCH, days=1.0)
    with pytest.raises(ov.UsageError, match="target_revisit_h=0 is out of range"):
        ov.design_sweep(target_revisit_h=0, start=EPOCH, days=1.0)
    status, _, err = run_cli("design", "sweep", "--target-revisit-h", "0", "--days", "1")
    assert status == 2 and "--target-revisit-h" in err
