"""The front door's record answers: launches, history, tle status/history/update, info,
data check.  Each is checked against the CLI command that calls it (the same rows), its
converters, the argument forms it takes, and the data problems it reports.

Reference values: data/launches.csv (PRSS-1 launched 2018-07-09T03:56Z on a Long March 2C;
15 records on 14 launches) and data/tles/SOURCES.md (PRSS-1's newest epoch
2026-06-26T23:31:08Z, PakSat-MM1's 2026-09-07T02:21:37Z).
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from conftest import PAKSAT_MM1_OMM, run_cli

UTC = dt.timezone.utc
PKT = ZoneInfo("Asia/Karachi")
AT = dt.datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
"""After every bundled set: PRSS-1 stale, PakSat-MM1 stale and held at its slot."""
AGE_TOLERANCE_DAYS = 0.005
"""Ages are rounded to 0.01 day in the rows."""



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


# --------------------------------------------------------------------------- launches

def test_launches_rows_are_the_cli_json():
    import orbitview as ov
    result = ov.launches()
    assert as_json(result) == cli_json("launches")
    assert result.columns == list(cli_json("launches")[0])
    assert len(result) == 15 and result.left_out == [] and result.notes == []
    assert result.summary() == "15 satellites on 14 launches"
    filtered = ov.launches(since=2018, country="china", orbit="sso")
    assert as_json(filtered) == cli_json("launches", "--since", "2018", "--country", "china",
                                         "--orbit", "sso")
    assert [r["name"] for r in filtered] == ["PRSS-1", "PakTES-1A", "PRSC-EO1", "HS-1",
                                             "PRSC-EO2"]


@pytest.mark.parametrize("since,until", [
    (2024, 2024), ("2024", "2024"), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-01-01", "2024-12-31"),
    (dt.datetime(2024, 1, 1, 5, 0, tzinfo=PKT), dt.datetime(2025, 1, 1, 4, 59, tzinfo=PKT)),
    (dt.datetime(2024, 1, 1, tzinfo=UTC), dt.datetime(2024, 12, 31, 23, 59, tzinfo=UTC)),
])
def test_launches_take_years_dates_and_aware_datetimes(since, until):
    import orbitview as ov
    # launches.csv: PakSat-MM1 2024-05-30, PAUSAT-1 (its ride) and ICUBE-Q 2024-05-03.
    names = [r["name"] for r in ov.launches(since=since, until=until)]
    assert names == [r["name"] for r in cli_json("launches", "--since", "2024",
                                                 "--until", "2024")]
    assert "PakSat-MM1" in names and "PRSS-1" not in names


def test_launches_refuse_naive_times_and_unknown_orbits():
    import orbitview as ov
    with pytest.raises(ov.UsageError) as e:
        ov.launches(since=dt.datetime(2018, 1, 1))
    assert "has no time zone" in str(e.value) and "tzinfo=ZoneInfo('Asia/Karachi')" in \
        str(e.value)
    with pytest.raises(ov.UsageError) as e:
        ov.launches(orbit="polar")
    assert "Fix: give one of LEO, SSO, MEO, HEO, GTO, GEO, lunar" in str(e.value)
    with pytest.raises(ov.UsageError, match="since 2020-01-01T00:00:00Z is after until"):
        ov.launches(since=2020, until=2010)
    assert [r["name"] for r in ov.launches(orbit="geo", site="xichang")] == \
        ["PakSat-1R", "PakSat-MM1"]


def test_launches_dataframe_has_the_columns_and_aware_launch_times():
    import orbitview as ov
    frame = ov.launches().to_dataframe()
    from orbitview.api.records import LAUNCH_COLUMNS
    at = LAUNCH_COLUMNS.index("launch_utc") + 1
    assert list(frame.columns) == (LAUNCH_COLUMNS[:at] + ["launch_time_utc",
                                                          "launch_time_known"]
                                   + LAUNCH_COLUMNS[at:])
    assert str(frame["launch_time_utc"].dt.tz) == "UTC"
    prss1 = frame.set_index("name").loc["PRSS-1"]
    assert prss1["launch_time_utc"].to_pydatetime() == dt.datetime(2018, 7, 9, 3, 56,
                                                                    tzinfo=UTC)
    assert bool(prss1["launch_time_known"]) is True
    badr1 = frame.set_index("name").loc["Badr-1"]                 # a date only: 1990-07-16
    assert badr1["launch_utc"] == "1990-07-16" and not badr1["launch_time_known"]


def _damage_prss1_row(data_copy):
    path = data_copy / "launches.csv"
    rows = path.read_bytes().split(b"\n")
    line = next(i for i, r in enumerate(rows) if r.startswith(b"PRSS-1,"))
    rows[line] = rows[line].replace(b"2018-07-09T03:56Z", b"2018-07-32")
    path.write_bytes(b"\n".join(rows))
    return path, line + 1


def test_a_malformed_row_lists_the_others_and_exits_1(data_copy):
    import orbitview as ov
    path, line = _damage_prss1_row(data_copy)
    result = ov.launches()
    assert len(result) == 14 and "PRSS-1" not in [r["name"] for r in result]
    assert result.left_out == ["PRSS-1"]
    assert any(f"{path}:{line}: launch_utc '2018-07-32' is not an ISO 8601 UTC date" in n.text
               for n in result.notes)
    status, out, err = run_cli("launches", "--format", "json")
    assert status == 1                         # before: 0, as if the list were whole
    assert [r["name"] for r in json.loads(out)] == [r["name"] for r in result]
    assert f"{path}:{line}: launch_utc '2018-07-32'" in err
    assert err.rstrip().endswith("1 object(s) left out because of data problems (PRSS-1); "
                                 "exit status 1.")


def test_launches_wide_keeps_every_table_column(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    status, out, _ = run_cli("launches")
    assert status == 0 and "Left out to fit 80 columns" in out
    assert "(--wide, a wider terminal or --format csv/json shows them)" in " ".join(out.split())
    status, out, _ = run_cli("launches", "--wide")
    assert status == 0 and "Left out" not in out
    header = next(line for line in out.splitlines() if "launch_vehicle" in line)
    for column in ("launch_country", "cospar_id", "norad_id", "orbit_class", "status"):
        assert column in header


def test_history_figure_and_the_plot_of_a_selection():
    import orbitview as ov
    today = dt.datetime(2026, 11, 21, tzinfo=UTC)
    fig = ov.history_figure(today)
    timeline = fig.figure.axes[0]
    assert len(timeline.collections) == 15            # one marker per launch
    chinese = ov.launches(country="china")
    part = chinese.plot(today).figure.axes[0]
    assert len(part.collections) == len(chinese) == 11
    # The same instant in Pakistan time draws the same figure.
    same = ov.history_figure(today.astimezone(PKT)).figure.axes[2]
    assert [t.get_text() for t in same.texts] == [t.get_text() for t in fig.figure.axes[2].texts]


# --------------------------------------------------------------------------- tle status

def test_element_status_rows_are_the_cli_json():
    import orbitview as ov
    names = ["PRSS-1", "PakSat-MM1", "ICUBE-Q"]
    result = ov.element_status(names, AT)
    assert as_json(result) == cli_json("tle", "status", *names, "--at", "2026-11-21T06:00:00Z")
    every = ov.element_status(at=AT)
    assert as_json(every) == cli_json("tle", "status", "--at", "2026-11-21T06:00:00Z")
    assert len(every) == 15


def test_element_status_bound_comes_from_the_one_helper():
    import orbitview as ov
    from orbitview.api.records import bound_of
    result = ov.element_status(["PRSS-1", "PakSat-MM1"], AT)
    rows = {r["name"]: r for r in result}
    catalog = ov.load_catalog()
    for sat in (catalog.resolve("PRSS-1"), catalog.resolve("PakSat-MM1")):
        bound, held = bound_of(sat, AT)
        row = rows[sat.name]
        assert row["error_bound_90"] == bound.km_text() + (" (slot held)" if held else "")
        assert row["error_bound_km"] == pytest.approx(bound.position_km, abs=0.05)
        assert row["slot_held"] is (held is not None)
    assert rows["PakSat-MM1"]["slot_held"] is True and rows["PRSS-1"]["slot_held"] is False
    # PRSS-1's newest epoch 2026-06-26T23:31:08Z (SOURCES.md): 147.27 days before AT.
    assert rows["PRSS-1"]["epoch_age_days"] == pytest.approx(147.27, abs=AGE_TOLERANCE_DAYS)
    info = {e.name: e for e in result.elements}
    assert info["PakSat-MM1"].held_slot_lon_deg == pytest.approx(38.2, abs=0.1)
    assert info["PRSS-1"].epoch_utc.replace(microsecond=0) == \
        dt.datetime(2026, 6, 26, 23, 31, 8, tzinfo=UTC)
    assert info["PRSS-1"].bound is result.bounds[0]


def test_element_status_hold_off_is_raw_sgp4():
    import orbitview as ov
    held = {r["name"]: r for r in ov.element_status("PakSat-MM1", AT)}["PakSat-MM1"]
    raw = {r["name"]: r for r in ov.element_status("PakSat-MM1", AT, hold=False)}["PakSat-MM1"]
    assert held["slot_held"] is True and raw["slot_held"] is False
    assert held["error_bound_90"].endswith(" (slot held)")
    assert "(slot held)" not in raw["error_bound_90"]
    assert raw["error_bound_km"] > held["error_bound_km"]       # drift, not a held box
    status, out, _ = run_cli("tle", "status", "PakSat-MM1", "--at", "2026-11-21T06:00:00Z",
                             "--no-hold", "--format", "json")
    assert json.loads(out)[0]["error_bound_90"] == raw["error_bound_90"]


@pytest.mark.parametrize("who", ["PRSS-1", 43530, "2018-056B", "prss 1"])
def test_element_status_by_any_identifier_and_zone(who):
    import orbitview as ov
    utc = as_json(ov.element_status(who, AT))
    assert utc == as_json(ov.element_status(["PRSS-1"], AT.astimezone(PKT)))
    assert utc == as_json(ov.element_status("PRSS-1", "2026-11-21T11:00+05:00"))


def test_element_status_refuses_a_naive_time():
    import orbitview as ov
    with pytest.raises(ov.UsageError) as e:
        ov.element_status("PRSS-1", dt.datetime(2026, 11, 21, 6, 0))
    assert "at 2026-11-21 06:00:00 has no time zone" in str(e.value)
    assert "Fix: give the datetime a zone" in str(e.value)


def test_element_status_names_a_damaged_object_in_left_out(data_copy):
    import orbitview as ov
    (data_copy / "tles" / "59915.tle").write_bytes(b"\x00\xffnot a TLE at all\n")
    result = ov.element_status(["PRSS-1", "PakSat-MM1"], AT)
    assert result.left_out == ["PakSat-MM1"]
    row = {r["name"]: r for r in result}["PakSat-MM1"]
    assert row["note"].startswith("DATA PROBLEM (bundled data)") and row["stale"] is None
    status, out, _ = run_cli("tle", "status", "PRSS-1", "PakSat-MM1", "--at",
                             "2026-11-21T06:00:00Z", "--format", "json")
    assert status == 1 and json.loads(out) == as_json(result)


def test_element_status_dataframe_keeps_times_aware():
    import orbitview as ov
    frame = ov.element_status(["PRSS-1", "ICUBE-Q"], AT).to_dataframe()
    from orbitview.api.records import STATUS_COLUMNS
    assert list(frame.columns) == STATUS_COLUMNS
    assert str(frame["newest_epoch_utc"].dt.tz) == "UTC"
    assert frame["newest_epoch_utc"].isna().tolist() == [False, True]
    assert frame.attrs["at"] == "2026-11-21T06:00:00Z"


# --------------------------------------------------------------------------- tle history

def test_element_history_rows_notes_and_figure(tmp_path):
    import orbitview as ov
    result = ov.element_history("PakSat-1R")
    sat = ov.load_catalog().resolve("PakSat-1R")
    assert len(result) == len(sat.elements) >= 2
    assert [r["epoch_utc"] for r in result] == [es.epoch for es in sat.elements]
    geo = [r["longitude_deg"] for r in result]
    assert all(g == pytest.approx(38.0, abs=0.5) for g in geo)   # PakSat-1R at 38 E
    figure = result.plot()
    assert len(figure.figure.axes) == 3                       # altitude, inclination, lon
    png = tmp_path / "h.png"
    status, out, err = run_cli("tle", "history", "PakSat-1R", "-o", str(png))
    assert status == 0 and png.stat().st_size > 10_000
    said = [line.removeprefix("orbitview: warning: ") for line in err.splitlines()
            if line.startswith("orbitview: warning: ")]
    assert said == result.warnings
    assert ov.element_history(37779).rows == ov.element_history("2011-042A").rows
    with pytest.raises(ov.NoElementsError):
        ov.element_history("ICUBE-Q")


# --------------------------------------------------------------------------- tle update

def test_update_elements_fetches_into_the_store(server, user_dir):
    import orbitview as ov
    server.routes[59915] = (200, json.dumps([PAKSAT_MM1_OMM]).encode(), 0)
    calls = []
    result = ov.update_elements("PakSat-MM1", progress=lambda: calls.append(1))
    assert [(r["norad_id"], r["name"], r["status"]) for r in result] == \
        [(59915, "PakSat-MM1", "updated")]
    assert calls == [1] and result.failures == []
    assert (user_dir / "elements" / "59915.json").is_file()
    again = ov.update_elements(["59915"])            # within two hours: skipped, said
    assert again.rows[0]["status"] == "skipped"
    assert again.notes[0].text.startswith("PakSat-MM1 (59915) skipped: fetched 0 min ago")
    failed = ov.update_elements("PRSS-1")            # the server knows only 59915
    assert failed.rows[0]["status"] == "FAILED" and failed.failures[0].startswith(
        "PRSS-1 (43530): ")
    with pytest.raises(ov.UsageError, match="ICUBE-Q has no NORAD catalog number"):
        ov.update_elements("ICUBE-Q")


# --------------------------------------------------------------------------- info

def test_info_json_is_the_api_and_the_table_its_rows():
    import orbitview as ov
    result = ov.info()
    data = cli_json("info")
    want = json.loads(json.dumps(result.as_dict(), default=lambda v: v.strftime(
        "%Y-%m-%dT%H:%M:%SZ")))
    assert data == want
    assert data["launch_records"] == 15 and data["launches"] == 14
    assert data["element_epochs"] == {"first_utc": "2025-08-02T06:27:00Z",
                                      "last_utc": "2026-09-07T02:21:37Z"}
    assert data["not_loaded_unconfirmed"] == ["2026-027C_67748.tle"]
    assert "ICUBE-Q" in data["without_element_sets"]
    assert set(data["versions"]) >= {"skyfield", "sgp4", "numpy", "cartopy"}
    status, out, _ = run_cli("info")
    lines = [line.split("  ", 1)[0].strip() for line in out.splitlines()]
    assert lines == [r["item"] for r in result]


# --------------------------------------------------------------------------- data check

def test_check_data_clean():
    import orbitview as ov
    check = ov.check_data()
    assert check.ok and len(check) == 0
    data = cli_json("data", "check")
    assert data["ok"] is True and data["problems"] == []
    assert data["launch_records"] == 15 and data["problems_by_scope"] == {
        "bundled data": 0, "user store": 0, "your config file": 0}


def test_check_data_lists_every_problem_with_file_line_and_fix(data_copy):
    import orbitview as ov
    path, line = _damage_prss1_row(data_copy)
    tle = data_copy / "tles" / "68835.tle"
    tle.write_text("")
    check = ov.check_data()
    assert not check.ok
    found = [(p["file"], p["line"]) for p in check]
    # The row, then what it takes with it (PRSS-1's instrument row and element sets have no
    # launch record now), and the empty element file.
    assert found[0] == (str(path), line) and (str(tle), None) in found
    assert (str(data_copy / "sensors.csv"), 2) in found
    assert (str(data_copy / "tles" / "43530.tle"), None) in found
    assert {p["scope"] for p in check} == {"bundled data"} and len(found) == 4
    first = check.rows[0]
    assert set(first) == {"file", "line", "what", "evidence", "fix", "scope"}
    assert first["what"] == "launch_utc '2018-07-32' is not an ISO 8601 UTC date"
    assert first["evidence"].startswith("PRSS-1,") and first["fix"].startswith("write YYYY-MM-DD")
    status, out, err = run_cli("data", "check", "--format", "json")
    assert status == 1                               # the exit status of the text form
    data = json.loads(out)
    assert data["ok"] is False and data["problems"] == check.records()
    assert data["problems_by_scope"]["bundled data"] == 4
    assert "4 problem(s): 4 in the bundled data. Everything else is usable." in err
    status, out, err = run_cli("data", "check")     # the text form is unchanged
    assert status == 1 and out == ""
    assert f"== 4 problem(s) in the bundled data ({data_copy}) ==" in err
    assert f"{path}:{line}: launch_utc '2018-07-32'" in err
