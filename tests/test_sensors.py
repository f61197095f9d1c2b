"""sensors.csv: the bundled values, their provenance, and every validation message."""

import csv

import pytest
from conftest import DATA, run_cli

from orbitview.access.imaging import imaging_rule
from orbitview.data.catalog import check_data
from orbitview.data.sensors import load_sensors


@pytest.fixture(scope="module")
def sensors(catalog):
    return load_sensors(catalog)


def test_bundled_values_and_their_basis(sensors):
    """The values and bases written in shared/reference/pakistan/sensors.md."""
    prss1 = sensors[43530]
    assert prss1.kind.value == "optical" and prss1.kind.basis == "published"
    assert prss1.values["swath_km"].value == 60.0
    assert prss1.values["swath_km"].basis == "published"           # Xinhua/PTI 2018
    assert prss1.values["max_off_nadir_deg"].value == 35.0
    assert prss1.values["max_off_nadir_deg"].basis == "assumed"    # Gaofen-1 analogue
    assert "Gaofen-1" in prss1.values["max_off_nadir_deg"].source
    s1 = sensors[65055]
    assert (s1.kind.value, s1.kind.basis) == ("SAR", "assumed")      # "round-the-clock"
    assert (s1["incidence_min_deg"], s1["incidence_max_deg"]) == (20.0, 45.0)
    assert s1["min_sun_elevation_deg"] is None
    assert sensors[66054].kind.value == "hyperspectral"
    assert sensors[66054]["gsd_m"] is None                           # not published
    # PRSC-EO2 has no confirmed NORAD number: keyed by name.
    assert sensors["PRSC-EO2"].norad_id is None
    # Nothing but PRSS-1's swath and GSD is published among the numbers.
    published = {(s.name, c) for s in sensors.values() for c, v in s.values.items()
                 if v.basis == "published"}
    assert published == {("PRSS-1", "swath_km"), ("PRSS-1", "gsd_m")}


def test_every_assumed_value_reaches_the_rule(sensors):
    rule = imaging_rule(sensors[43530])
    assert rule.max_off_nadir_deg == 35.0 and rule.min_sun_elevation_deg == 10.0
    assert rule.assumptions == ("PRSS-1 max off-nadir 35\u00b0",
                                "PRSS-1 min sun elevation 10\u00b0")
    sar = imaging_rule(sensors[65055])
    assert sar.incidence_deg == (20.0, 45.0) and not sar.needs_sun
    assert "PRSC-S1 instrument kind SAR" in sar.assumptions
    # A value the user gives is no longer an assumption.
    given = imaging_rule(sensors[43530], max_off_nadir_deg=20.0, min_sun_deg=15.0)
    assert given.max_off_nadir_deg == 20.0 and given.assumptions == ()


def _edit(path, line, column, value):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    rows[line - 1][header.index(column)] = value
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("column,value,message", [
    ("max_off_nadir_deg", "thirty", "max_off_nadir_deg 'thirty' is not a finite number"),
    ("max_off_nadir_deg", "nan", "max_off_nadir_deg 'nan' is not a finite number"),
    ("max_off_nadir_deg", "95", "max_off_nadir_deg 95 is outside 0 to 70"),
    ("max_off_nadir_deg_basis", "guessed",
     "max_off_nadir_deg_basis 'guessed' for max_off_nadir_deg 35 is not one of published, "
     "derived, assumed"),
    ("max_off_nadir_deg_source", "", "max_off_nadir_deg_source is empty for max_off_nadir_deg 35"),
    ("kind", "camera", "unknown kind 'camera'"),
    ("name", "PRSS-2", "satellite 'PRSS-2' is not in launches.csv (did you mean PRSS-1"),
    ("gsd_m_basis", "", "gsd_m_basis '' for gsd_m 1.0 is not one of"),
])
def test_bad_value_names_file_line_and_fix(data_copy, column, value, message):
    path = data_copy / "sensors.csv"
    _edit(path, 2, column, value)                      # line 2: PRSS-1
    status, out, err = run_cli("data", "check")
    assert status == 1
    assert f"{path}:2: {message}" in err, err
    assert "Fix: " in err
    # Imaging with PRSS-1 is refused with the same message; the other rows still work.
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", "Gwadar", "--start",
                             "2026-09-06", "--days", "1")
    if column == "name":        # the row names no satellite: PRSS-1 has no instrument row
        assert status == 2 and "PRSS-1 has no imaging instrument" in err
    else:
        assert status == 1 and f"{path}:2: {message}" in err and "Traceback" not in err
    status, _, err = run_cli("opportunities", "PRSC-EO1", "--target", "Gwadar", "--start",
                             "2026-09-06", "--days", "1")
    assert status == 0, err
    status, _, err = run_cli("opportunities", "--all", "--target", "Gwadar", "--start",
                             "2026-09-06", "--days", "1")
    if column != "name":
        assert f"PRSS-1 ({path}:2: {message}" in err, err
        assert status == 1 and "left out because of data problems (PRSS-1)" in err


def test_sar_row_rules(data_copy):
    path = data_copy / "sensors.csv"
    _edit(path, 5, "incidence_max_deg", "")            # line 5: PRSC-S1
    _edit(path, 5, "min_sun_elevation_deg", "10")
    _edit(path, 5, "min_sun_elevation_deg_basis", "assumed")
    _, problems = check_data(data_copy)
    messages = [p.message() for p in problems]
    assert any(m.startswith(f"{path}:5: give both incidence_min_deg and incidence_max_deg")
               for m in messages), messages
    assert any(m.startswith(f"{path}:5: a SAR row has a min_sun_elevation_deg") for m in messages)


def test_duplicate_row_and_field_count(data_copy):
    path = data_copy / "sensors.csv"
    lines = path.read_text().splitlines()
    lines.append(lines[1])                              # PRSS-1 again
    lines.append("HS-1,optical")
    path.write_text("\n".join(lines) + "\n")
    _, problems = check_data(data_copy)
    messages = [p.message() for p in problems]
    n = len(lines)
    assert any(m.startswith(f"{path}:{n - 1}: PRSS-1 already has a row ({path}:2)")
               for m in messages), messages
    assert any(m.startswith(f"{path}:{n}: row has 2 fields but the header has 24")
               for m in messages), messages


def test_bundled_file_is_clean():
    _, problems = check_data(DATA)
    assert problems == []


def test_bytes_that_are_not_utf8_are_located(data_copy):
    path = data_copy / "sensors.csv"
    data = path.read_bytes().splitlines(keepends=True)
    data[3] = data[3].replace(b"PRSC-EO1", b"PRSC-EO\xff1")      # line 4
    path.write_bytes(b"".join(data))
    _, problems = check_data(data_copy)
    messages = [p.message() for p in problems]
    assert any(m.startswith(f"{path}:4: bytes that are not UTF-8 text (first: 0xff)")
               for m in messages), messages
    assert len(problems) == 1                    # the other rows still read


def test_captions_name_the_sensors_file_actually_used(tmp_path, monkeypatch):
    """--sensors FILE replaces PRSS-1's bundled row (off-nadir 35 -> 30, still assumed): the
    figure caption and the table note name FILE, not data/sensors.csv; with a bundled row
    beside it (HS-1), both files."""
    import xml.etree.ElementTree as ET

    import matplotlib
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")   # text stays text
    rows = list(csv.reader((DATA / "sensors.csv").open(encoding="utf-8")))
    header, prss1 = rows[0], next(r for r in rows if r[0] == "PRSS-1")
    assert prss1[header.index("max_off_nadir_deg")] == "35"
    prss1[header.index("max_off_nadir_deg")] = "30"
    monkeypatch.chdir(tmp_path)              # the file as the user names it: my_sensors.csv
    mine = "my_sensors.csv"
    with open(mine, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, prss1])

    def caption(*names):
        out = tmp_path / "fp.svg"
        status, _, err = run_cli("footprint", *names, "--at", "2026-11-21T09:30Z", "--region",
                                 "pakistan", "--sensors", mine, "-o", str(out))
        assert status == 0, err
        texts = ["".join(e.itertext())
                 for e in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
        return next(t for t in texts if t.startswith("Assumed instrument values"))

    assert caption("PRSS-1") == (f"Assumed instrument values (not published; see {mine}): "
                                 "PRSS-1 max off-nadir 30°, PRSS-1 min sun elevation 10°.")
    assert caption("PRSS-1", "HS-1").startswith(
        f"Assumed instrument values (not published; see data/sensors.csv, {mine}): "
        "PRSS-1 max off-nadir 30°")
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", "Lahore", "--start",
                             "2026-11-21T00:00Z", "--days", "1", "--sensors", mine,
                             "--format", "csv")
    assert status == 0, err
    assert (f"Assumed instrument values (not published; see {mine}): PRSS-1 max off-nadir "
            "30°") in err
