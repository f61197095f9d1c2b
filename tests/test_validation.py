"""Every data-validation message: file, line, the offending text and the fix."""

import pytest
from conftest import run_cli
from sgp4.io import fix_checksum

from orbitview.data.catalog import check_data, read_launches
from orbitview.data.elements import parse_tle_text
from orbitview.util.errors import DataError

PRSS1 = ("PRSS-1                  \n"
         "1 43530U 18056B   26177.97996134  .00000528  00000+0  72992-4 0  9993\n"
         "2 43530  97.7822 245.5786 0001515  75.3640 284.7741 14.82001912429888\n")


def test_good_tle_parses():
    sets, problems = parse_tle_text(PRSS1, "x.tle")
    assert problems == []
    assert sets[0].norad_id == 43530 and sets[0].cospar_id == "2018-056B"
    assert sets[0].epoch.isoformat().startswith("2026-06-26T23:31:08")


def test_corrupted_checksum(data_copy):
    path = data_copy / "tles" / "43530.tle"
    lines = path.read_text().splitlines()
    lines[4] = lines[4][:20] + "2" + lines[4][21:]          # 26177.97... -> 26277.97...
    path.write_text("\n".join(lines) + "\n")
    status, out, err = run_cli("data", "check")
    assert status == 1
    assert f"{path}:5: checksum of TLE line 1 is 3 but its characters tally to 4" in err
    assert lines[4] in err
    assert "Fix: re-fetch the element set" in err
    # Every other command refuses to run on the broken data, with the same message.
    status, out, err = run_cli("tle", "status", "PRSS-1", "--at", "2026-07-01")
    assert status == 1 and f"{path}:5: checksum" in err and "Traceback" not in err


def test_every_problem_is_reported_not_just_the_first(data_copy):
    tle = data_copy / "tles" / "62725.tle"
    text = tle.read_text().splitlines()
    text[2] = fix_checksum(text[2][:3] + "9" + text[2][4:])  # line 2 of the first set
    text[7] = text[7][:40]                                   # truncated line 1 (third set)
    tle.write_text("\n".join(text) + "\n")
    csv = data_copy / "launches.csv"
    rows = csv.read_text().splitlines()
    rows[3] = rows[3].replace("2001-12-10", "2001-13-10")
    csv.write_text("\n".join(rows) + "\n")
    _, problems = check_data(data_copy)
    messages = [p.message() for p in problems]
    assert any(m.startswith(f"{tle}:3: line 1 is for catalog number 62725 but line 2 is for 69725")
               for m in messages), messages
    assert any(m.startswith(f"{tle}:8: TLE line 1 is 40 characters long; it must be 69")
               and "expected: 1 NNNNNC" in m for m in messages), messages
    assert any(m.startswith(f"{csv}:4: launch_utc '2001-13-10' is not an ISO 8601 UTC date")
               for m in messages), messages
    assert len(problems) == 3


def test_name_line_without_pair():
    text = "PRSS-1\nPAKTES 1A\n" + PRSS1.split("\n", 1)[1]
    sets, problems = parse_tle_text(text, "t.tle")
    assert len(sets) == 1
    assert problems[0].message().startswith("t.tle:1: name line without its pair of TLE lines")


def test_line1_without_line2():
    lines = PRSS1.splitlines()
    sets, problems = parse_tle_text("\n".join(lines[:2]) + "\n", "t.tle")
    assert sets == []
    assert problems[0].message().startswith("t.tle:2: TLE line 1 without its line 2")


def test_bad_column_layout_shows_template():
    bad = PRSS1.replace("97.7822", "97,7822").splitlines()
    bad[2] = bad[2][:68] + str(__import__("sgp4.io").io.compute_checksum(bad[2]))
    sets, problems = parse_tle_text("\n".join(bad), "t.tle")
    assert sets == []
    assert "do not match the column format" in problems[0].message()
    assert "NNN.NNNN" in problems[0].message()


def _csv(tmp_path, header, *rows):
    path = tmp_path / "launches.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


HEADER = ("name,aliases,cospar_id,norad_id,launch_utc,launch_vehicle,launch_site,"
          "launch_country,orbit_class,operator,builder,partner_country,purpose,status,"
          "uncertain,notes,source")
ROW = "PRSS-1,,2018-056B,43530,2018-07-09T03:56Z,Long March 2C,Jiuquan,China,SSO,,,,,active,,,"


@pytest.mark.parametrize("row,expected", [
    (ROW.replace("SSO", "Polar"), "unknown orbit_class 'Polar'"),
    (ROW.replace("2018-07-09T03:56Z", "9 July 2018"), "launch_utc '9 July 2018' is not an ISO"),
    (ROW.replace("43530", "4353O"), "norad_id '4353O' is not a positive whole number"),
    (ROW.replace("2018-056B", "2019-056B"), "cospar_id 2019-056B is from 2019 but launch_utc"),
    (ROW.replace("2018-056B", "18056B"), "cospar_id '18056B' is not of the form"),
    (ROW + ",extra", "row has 18 fields but the header has 17"),
    (ROW.replace(",active,,", ",active,launch_date,"), "'uncertain' names 'launch_date'"),
])
def test_csv_row_errors(tmp_path, row, expected):
    path = _csv(tmp_path, HEADER, row)
    records, problems = read_launches(path)
    assert records == []
    assert len(problems) == 1
    message = problems[0].message()
    assert message.startswith(f"{path}:2: {expected}"), message
    assert row in message and "Fix: " in message


def test_csv_unknown_and_missing_columns(tmp_path):
    path = _csv(tmp_path, HEADER.replace("orbit_class", "orbit").replace(",notes", ""), "")
    _, problems = read_launches(path)
    text = "\n".join(p.message() for p in problems)
    assert f"{path}:1: unknown column(s): orbit" in text
    assert f"{path}:1: missing column(s): orbit_class, notes" in text


def test_csv_duplicates_and_ambiguous_names(tmp_path):
    other = ROW.replace("PRSS-1,", "PRSS-1B,").replace("2018-056B", "2018-056C")
    alias = ROW.replace("PRSS-1,,", "Other,prss 1,").replace("43530", "43531") \
        .replace("2018-056B", "2018-056D")
    path = _csv(tmp_path, HEADER, ROW, other, alias)
    _, problems = read_launches(path)
    text = "\n".join(p.message() for p in problems)
    assert f"{path}:3: duplicate norad_id 43530: also used by PRSS-1 at {path}:2" in text
    assert f"{path}:4: name or alias 'prss 1' of Other also names PRSS-1" in text


def test_norad_disagreeing_with_cospar(data_copy):
    csv = data_copy / "launches.csv"
    csv.write_text(csv.read_text().replace("2018-056A,43529", "2018-056A,43530")
                   .replace("2018-056B,43530", "2018-056B,43529"))
    _, problems = check_data(data_copy)
    text = "\n".join(p.message() for p in problems)
    assert "NORAD 43530 is 2018-056A in" in text and "element set says 2018-056B" in text


def test_tle_without_launch_record(data_copy):
    (data_copy / "tles" / "67748.tle").write_text(
        (data_copy / "tles" / "unconfirmed" / "2026-027C_67748.tle").read_text())
    _, problems = check_data(data_copy)
    assert sorted(p.what for p in problems) == [
        "element set for 67748 at epoch 26177.89705103 has no row in provenance.csv",
        "element sets for NORAD 67748 (2026-027C) have no launch record"]


def test_load_catalog_strict_raises_data_error(data_copy):
    from orbitview.data.catalog import load_catalog
    (data_copy / "tles" / "43530.tle").write_text("garbage\n")
    with pytest.raises(DataError) as info:
        load_catalog(data_copy, strict=True)
    assert "name line without its pair" in str(info.value)
    assert isinstance(info.value, ValueError)
    # Without strict, the bad file affects only the object it holds.
    catalog = load_catalog(data_copy)
    prss1 = catalog.resolve("PRSS-1")
    assert [p.what for p in prss1.problems] == ["name line without its pair of TLE lines"]
    with pytest.raises(DataError, match="43530.tle:1: name line without its pair"):
        prss1.require_elements()
    assert catalog.resolve("PRSC-EO1").require_elements()
    assert "PRSS-1" not in {s.name for s in catalog.with_elements()}


def test_data_check_ok_on_bundled_data():
    status, out, err = run_cli("data", "check")
    assert status == 0, err
    assert out.startswith("ok: 15 launch records, 19 element sets for 9 objects")
