"""Well-known objects by name (data/aliases.csv) and the bundled stations group.

Reference values: every NORAD number of data/aliases.csv is checked against the element
file its row cites (data/catalogs/*.tle, exact copies of CelesTrak group files, provenance
in data/catalogs/SOURCES.md); the Chinese space station's set in stations.tle is of
2026-05-30 10:34 UTC.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from conftest import DATA, TESTDATA, run_cli

STATIONS_SHA256 = "5ad63616627bc8068119cf98e64548d5d5e5ced7e681e826893b44dc53c6b49e"
"""data/catalogs/SOURCES.md: CelesTrak GROUP=stations, mirror commit 8c4fbeb."""
TIANGONG_COMMAND = ("passes", "Tiangong", "--site", "Lahore", "--visible")
"""The command of the issue, run offline from the bundled data."""
FRESH_START = "2026-06-01T00:00Z"
"""Two days after the bundled set's epoch: fresh, no staleness warning."""
STALE_START = "2026-09-01T00:00Z"
"""Stale beyond 14 days: the window ends 95 days after the set's epoch."""


# --------------------------------------------------------------------------- the data

def test_stations_catalogue_is_an_exact_copy_with_provenance():
    data = (DATA / "catalogs" / "stations.tle").read_bytes()
    assert hashlib.sha256(data).hexdigest() == STATIONS_SHA256
    assert data == (TESTDATA / "catalogs" / "stations.tle").read_bytes()
    assert STATIONS_SHA256 in (DATA / "catalogs" / "SOURCES.md").read_text()
    assert data.count(b"\r\n") == 75 and b"\n" not in data.replace(b"\r\n", b"")


def test_every_alias_number_is_the_cited_files():
    """No NORAD number is invented: each is the number the cited group file gives the
    row's name."""
    from orbitview.data.aliases import read_aliases
    from orbitview.data.external import read_elements_file
    rows, problems = read_aliases(DATA / "aliases.csv")
    assert problems == [] and len(rows) >= 3
    files = {}
    for row in rows:
        assert row.group in ("stations", "resource"), row
        assert f"catalogs/{row.group}.tle" in row.source, row
        if row.group not in files:
            files[row.group] = {s.norad_id: s for s in
                                read_elements_file(DATA / "catalogs" / f"{row.group}.tle")}
        assert files[row.group][row.norad_id].name == row.name, row
    names = {r.name: r.norad_id for r in rows}
    assert names["CSS (TIANHE)"] == 48274 and names["ISS (ZARYA)"] == 25544


def test_a_bad_alias_row_is_named_with_its_line(tmp_path):
    from orbitview.data.aliases import read_aliases
    path = tmp_path / "aliases.csv"
    path.write_text("name,aliases,norad_id,group,source,note\n"
                    "CSS (TIANHE),Tiangong,48274,stations,x,\n"
                    "HUBBLE,HST,about 20000,,guess,\n"
                    "OTHER,Tiangong,12345,,x,\n", encoding="utf-8")
    rows, problems = read_aliases(path)
    assert [r.name for r in rows] == ["CSS (TIANHE)"]
    assert [p.line for p in problems] == [3, 4]
    assert "norad_id 'about 20000' is not a NORAD number" in problems[0].what
    assert "never a guess" in problems[0].fix
    assert "'Tiangong' also names CSS (TIANHE)" in problems[1].what


# --------------------------------------------------------------------------- lookup

@pytest.mark.parametrize("query,norad", [
    ("Tiangong", 48274), ("tiangong", 48274), ("China Space Station", 48274),
    ("CSS", 48274), ("Tianhe", 48274), ("CSS (TIANHE)", 48274), ("48274", 48274),
    ("2021-035A", 48274), ("ISS", 25544), ("zarya", 25544), ("International Space Station",
                                                              25544),
    ("CSS (WENTIAN)", 53239), ("GF-1", 39150), ("Gaofen-6", 43484), ("GAOFEN-1 02", 43259),
])
def test_well_known_names_resolve(catalog, query, norad):
    from orbitview.data.external import NOT_PAKISTANI, ExternalSatellite
    sat = catalog.resolve(query)
    assert isinstance(sat, ExternalSatellite) and sat.norad_id == norad
    assert "bundled CelesTrak group" in sat.source and NOT_PAKISTANI in sat.label


def test_records_come_first_and_all_is_unchanged(catalog):
    assert catalog.resolve("PRSS-1").norad_id == 43530            # a record, not a group
    assert catalog.resolve("EO-1").norad_id == 62725              # a record's alias
    assert catalog.resolve("Tiangong") is catalog.resolve("48274")   # one object
    every = {s.norad_id for s in catalog.with_elements()}
    assert not every & {48274, 25544, 39150}                      # never part of --all


def test_a_name_several_station_modules_share_is_refused(tmp_path):
    """Without the alias row, 'CSS' is three modules of the stations group: refused, listed."""
    from orbitview.data.aliases import WellKnown
    from orbitview.util.errors import UsageError
    (tmp_path / "catalogs").mkdir()
    shutil.copyfile(DATA / "catalogs" / "stations.tle", tmp_path / "catalogs" / "stations.tle")
    with pytest.raises(UsageError) as e:
        WellKnown(tmp_path).resolve("CSS")
    text = str(e.value)
    assert text.startswith("'CSS' names 3 different objects:")
    assert "CSS (MENGTIAN) (NORAD 54216, 2022-143A)" in text
    assert text.endswith("Fix: ask by NORAD number (e.g. 48274, 53239, 54216) to choose one.")
    assert WellKnown(tmp_path).resolve("nauka").norad_id == 49044
    assert WellKnown(tmp_path).resolve("Hubble") is None


def test_unknown_names_suggest_well_known_ones_only_when_no_record_is_close(catalog):
    from orbitview.util.errors import UnknownSatelliteError
    with pytest.raises(UnknownSatelliteError) as e:
        catalog.resolve("Tiangog")
    assert "Did you mean 'Tiangong'" in str(e.value)
    with pytest.raises(UnknownSatelliteError) as e:
        catalog.resolve("PRSS-9")
    assert "Tiangong" not in str(e.value) and "PRSS-1" in str(e.value)


# --------------------------------------------------------------------------- the command

def test_tiangong_from_lahore_works_offline():
    status, out, err = run_cli(*TIANGONG_COMMAND, "--start", FRESH_START)
    assert status == 0, err
    text = " ".join(out.split())
    assert "Visible passes over Lahore" in text and "CSS (TIANHE)" in text
    assert ("CSS (TIANHE) (48274): from bundled CelesTrak group stations of 2026-05-30 "
            "(catalogs/stations.tle), not a Pakistani record.") in text
    assert "stale" not in err
    status, out, err = run_cli(*TIANGONG_COMMAND, "--start", FRESH_START, "--format", "json")
    rows = json.loads(out)
    assert status == 0 and rows and {r["norad_id"] for r in rows} == {48274}
    assert all(r["visible"] for r in rows)


def test_tiangong_says_its_bundled_set_is_stale():
    status, out, err = run_cli(*TIANGONG_COMMAND, "--start", STALE_START)
    assert status == 0, err
    assert ("orbitview: warning: CSS (TIANHE) (48274): element set epoch 2026-05-30T10:34:16Z "
            "is 95 days from the times asked for (stale beyond 14 days)") in err
    assert "'orbitview tle update --group NAME' (e.g. stations)" in err
    # --refresh would not fetch it (it fetches records): the note does not promise that.
    assert "--refresh fetches current ones" not in err


def test_an_element_file_that_holds_the_object_comes_first(tmp_path):
    mine = tmp_path / "mystations.tle"
    shutil.copyfile(TESTDATA / "catalogs" / "stations.tle", mine)
    status, out, err = run_cli("look", "Tiangong", "--site", "Lahore", "--at", FRESH_START,
                               "--elements", str(mine), "--format", "json")
    assert status == 0, err
    [row] = json.loads(out)
    assert row["norad_id"] == 48274 and row["source"] == "elements file mystations.tle"
    # The file's names still decide what its names mean: CSS is three modules there.
    status, _, err = run_cli("look", "CSS", "--site", "Lahore", "--elements", str(mine))
    assert status == 2 and "'CSS' names 3 different objects" in err


def test_without_a_held_set_the_error_says_how_to_get_one(data_copy):
    (data_copy / "catalogs" / "stations.tle").unlink()
    status, out, err = run_cli("look", "Tiangong", "--site", "Lahore", "--at", FRESH_START)
    assert status == 1 and out == ""
    assert ("orbitview: error: 'Tiangong' is CSS (TIANHE) (NORAD 48274; aliases.csv:2), not "
            "a Pakistani record, and no element set of it is held here.\n"
            "Fix: fetch its CelesTrak group once when online, 'orbitview tle update --group "
            "stations', or give a file of its element sets with --elements FILE") in err
    status, out, err = run_cli("look", "Tiangong", "--site", "Lahore", "--at", FRESH_START,
                               "--elements", str(TESTDATA / "catalogs" / "stations.tle"))
    assert status == 0, err
    status, out, err = run_cli("look", "CSS (TIANHE)", "--site", "Lahore")
    assert status == 1 and ("orbitview: error: CSS (TIANHE) (NORAD 48274; aliases.csv:2) is not "
                            "a Pakistani record, and no element set of it is held here.") in err


def test_tle_update_refuses_a_groups_object_with_the_group_fix():
    status, out, err = run_cli("tle", "update", "Tiangong")
    assert status == 2 and out == ""
    assert "CSS (TIANHE) (48274) is not a Pakistani record" in err
    assert "Fix: fetch its CelesTrak group once when online, 'orbitview tle update --group " \
           "stations'" in err


def test_the_front_door_knows_them_too():
    import orbitview as ov
    table = ov.passes("Tiangong", "Lahore", FRESH_START, visible=True, days=1)
    assert table.rows and {r["norad_id"] for r in table.rows} == {48274}
