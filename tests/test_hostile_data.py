"""Damaged data files: one bad file affects only the objects it holds.

Each case damages a copy of the bundled data or the user store, then checks that
(1) the objects the file holds fail with the file, the line and a fix, (2) every
other object and command keeps working, (3) ``data check`` lists the problem under
"bundled data" or "user store", and (4) nothing raises a traceback.
"""

from __future__ import annotations

import json

import pytest
from conftest import PAKSAT_MM1_OMM, run_cli
from sgp4.io import fix_checksum

AT = "2026-09-07T03:00:00Z"


def clean(status, err):
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "unexpected" not in err, err


def works(*args):
    status, out, err = run_cli(*args)
    clean(status, err)
    assert status == 0, (args, err)
    return out, err


def fails(*args, status=1):
    got, out, err = run_cli(*args)
    clean(got, err)
    assert got == status, (args, got, err)
    return err


def data_check(scope):
    status, out, err = run_cli("data", "check")
    clean(status, err)
    assert status == 1
    assert f"problem(s) in the {scope}" in err, err
    return err


def set_line(path, lineno, text):
    lines = path.read_text().splitlines()
    lines[lineno - 1] = text
    path.write_text("\n".join(lines) + "\n")


def tle_line(path, lineno):
    return path.read_text().splitlines()[lineno - 1]


# --------------------------------------------------------------------------- bundled data

@pytest.mark.parametrize("edit,message", [
    # mean motion 0 (columns 53-63 of line 2)
    (lambda l1, l2: (l1, fix_checksum(l2[:52] + " 0.00000000" + l2[63:])),
     "MEAN_MOTION 0 rev/day is outside 0.05 to 20"),
    # epoch day 000
    (lambda l1, l2: (fix_checksum(l1[:20] + "000.09835388" + l1[32:]), l2),
     "epoch day of year 000.09835388 is outside 1 to 366.99999999"),
    # inclination 200 deg: the TLE reader applies the OMM reader's range checks
    (lambda l1, l2: (l1, fix_checksum(l2[:8] + "200.0370" + l2[16:])),
     "INCLINATION 200.037 deg is outside 0 to 180"),
    # a tab inside line 1
    (lambda l1, l2: (l1[:11] + "\t" + l1[12:], l2), "holds the character '\\t' at column 12"),
])
def test_impossible_bundled_tle_blocks_only_its_object(data_copy, edit, message):
    path = data_copy / "tles" / "59915.tle"
    l1, l2 = edit(tle_line(path, 5), tle_line(path, 6))
    set_line(path, 5, l1)
    set_line(path, 6, l2)
    err = data_check("bundled data")
    assert f"{path}:5: " in err and message in err and "Fix: re-fetch" in err
    # PakSat-MM1 (this file) says what is wrong; everything else works.
    err = fails("look", "PakSat-MM1", "--site", "Karachi", "--at", AT)
    assert f"{path}:5: " in err and message in err
    works("launches")
    works("positions", "PRSS-1", "--start", AT, "--hours", "0")
    out, err = works("tle", "status", "PRSC-EO1", "--at", AT)
    assert f"data problem in the bundled data: {path}:5" in err


def test_garbage_tle_file_leaves_launches_and_other_objects_working(data_copy):
    path = data_copy / "tles" / "59915.tle"
    path.write_bytes(b"\x00\xffnot a TLE at all\n")
    out, err = works("launches", "--format", "json")
    assert len(json.loads(out)) == 15
    assert f"{path}:1: not plain ASCII text" in err
    works("positions", "PRSS-1", "PakSat-1R", "--start", AT, "--hours", "0")
    assert f"{path}:1" in fails("positions", "PakSat-MM1", "--start", AT, "--hours", "0")
    # --all makes the map of everything it can and says what it left out (exit 1).
    status, out, err = run_cli("positions", "--all", "--start", AT, "--hours", "0",
                               "--format", "json")
    clean(status, err)
    assert status == 1
    assert "--all leaves out PakSat-MM1 (59915)" in err and "left out because of data" in err
    assert {r["name"] for r in json.loads(out)} >= {"PRSS-1", "PakSat-1R", "PRSC-EO1"}
    assert "PakSat-MM1" not in {r["name"] for r in json.loads(out)}


def test_empty_tle_file_missing_tles_dir_and_missing_provenance(data_copy):
    (data_copy / "tles" / "68835.tle").write_text("")
    err = data_check("bundled data")
    assert f"{data_copy / 'tles' / '68835.tle'}: no element sets in the file" in err
    (data_copy / "tles" / "provenance.csv").unlink()
    err = data_check("bundled data")
    assert f"{data_copy / 'tles' / 'provenance.csv'}: file not found" in err
    works("positions", "PRSS-1", "--start", AT, "--hours", "0")
    out, _ = works("tle", "status", "PRSS-1", "--at", AT, "--format", "json")
    assert json.loads(out)[0]["source"].startswith("unknown (provenance.csv unreadable")
    import shutil
    shutil.rmtree(data_copy / "tles")
    err = data_check("bundled data")
    assert f"{data_copy / 'tles'}: element-set directory not found" in err
    works("launches")


@pytest.mark.parametrize("damage,message", [
    (lambda rows: rows[:5] + ["4353O" + rows[5][5:]] + rows[6:],
     "provenance.csv:6: norad_id '4353O' is not a catalog number"),
    (lambda rows: [rows[0].replace(",epoch_tle,", ",epoch,")] + rows[1:],
     "provenance.csv:1: missing column(s): epoch_tle"),
    (lambda rows: rows[:3] + [rows[3].replace("CelesTrak", "Celes\udcffTrak")] + rows[4:],
     "provenance.csv:4: bytes that are not UTF-8 text (first: 0xff)"),
    # The evidence shows the byte as written (\xff), not Python's surrogate for it.
    (lambda rows: rows[:3] + [rows[3].replace("CelesTrak", "Celes\udcffTrak")] + rows[4:],
     "Celes\\xffTrak"),
])
def test_damaged_provenance_csv(data_copy, damage, message):
    path = data_copy / "tles" / "provenance.csv"
    rows = path.read_text().splitlines()
    path.write_bytes("\n".join(damage(rows)).encode("utf-8", "surrogateescape") + b"\n")
    err = data_check("bundled data")
    assert message in err
    works("launches")
    works("positions", "PakSat-MM1", "--start", AT, "--hours", "0")


def test_launches_csv_bad_bytes_and_huge_field_leave_only_that_row_out(data_copy):
    path = data_copy / "launches.csv"
    rows = path.read_bytes().split(b"\n")
    prss1 = next(i for i, r in enumerate(rows) if r.startswith(b"PRSS-1,"))
    rows[prss1] = rows[prss1].replace(b"Jiuquan", b"Jiuq\xffuan")
    eo1 = next(i for i, r in enumerate(rows) if r.startswith(b"PRSC-EO1,"))
    rows[eo1] = rows[eo1].replace(b"SSO,", b"SSO,\"" + b"x" * 131072 + b"\"", 1)
    path.write_bytes(b"\n".join(rows))
    err = data_check("bundled data")
    assert f"launches.csv:{prss1 + 1}: bytes that are not UTF-8 text (first: 0xff)" in err
    assert f"launches.csv:{eo1 + 1}: not valid CSV (field larger than field limit" in err
    # The others are listed; the rows left out are named, and the exit status says the
    # list is incomplete (before: exit status 0, as if the list were whole).
    status, out, err = run_cli("launches", "--format", "json")
    clean(status, err)
    assert status == 1, err
    names = {r["name"] for r in json.loads(out)}
    assert len(names) == 13 and "PRSS-1" not in names and "PakSat-MM1" in names
    assert f"launches.csv:{prss1 + 1}" in err        # the row left out is named, not dropped
    assert (f"2 object(s) left out because of data problems (PRSS-1, "
            f"launches.csv:{eo1 + 1}); exit status 1.") in err
    works("positions", "PakSat-MM1", "--start", AT, "--hours", "0")


def test_bad_sites_row_is_listed_by_data_check(data_copy):
    path = data_copy / "sites.csv"
    path.write_text(path.read_text().replace("Gilgit,35.9208", "Gilgit,133"))
    err = data_check("bundled data")
    assert f"{path}:9: latitude 133 is outside -90 to 90 degrees" in err
    works("look", "PakSat-MM1", "--site", "Karachi", "--at", AT)
    assert f"{path}:9" in fails("look", "PakSat-MM1", "--site", "Gilgit", "--at", AT)


# --------------------------------------------------------------------------- user store

def write_store(user, text: str, name="59915.json"):
    d = user / "elements"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)
    return d / name


@pytest.fixture()
def user(user_dir):
    return user_dir


GOOD_ENTRY = {"omm": PAKSAT_MM1_OMM, "provenance": {
    "url": "https://celestrak.org/NORAD/elements/gp.php?CATNR=59915&FORMAT=JSON",
    "retrieved_utc": "2026-09-07T03:00:00Z", "server_date": None, "format": "omm"}}


@pytest.mark.parametrize("text,message", [
    (json.dumps([{**GOOD_ENTRY, "provenance": "CelesTrak"}], indent=1),
     "59915.json:2: entry 1 has no provenance"),
    (json.dumps([{**GOOD_ENTRY, "provenance": None}], indent=1),
     "59915.json:2: entry 1 has no provenance"),
    ("[" * 200_000, "59915.json:1: JSON nested too deeply to read"),
    (json.dumps([{**GOOD_ENTRY, "omm": {**PAKSAT_MM1_OMM, "REV_AT_EPOCH": "X"}}])
     .replace('"X"', "9" * 5000), "JSON value cannot be read (Exceeds the limit"),
    (json.dumps([{**GOOD_ENTRY, "omm": {**PAKSAT_MM1_OMM, "OBJECT_ID": "2024-104B"}}],
                indent=1), "59915.json:2: NORAD 59915 is 2024-104A in"),
    (json.dumps({"not": "a list"}), "59915.json:1: history file is not a JSON list"),
    (json.dumps([{**GOOD_ENTRY, "omm": {**PAKSAT_MM1_OMM, "NORAD_CAT_ID": 43530}}], indent=1),
     "59915.json:2: entry 1 is for NORAD 43530, not 59915"),
])
def test_damaged_user_store_file_affects_only_its_object(user, text, message):
    path = write_store(user, text)
    before = path.read_bytes()
    err = data_check("user store")
    assert message in err and "Fix: " in err, err
    # Other objects and commands work; the affected one names the file.
    works("launches")
    works("positions", "PRSS-1", "--start", AT, "--hours", "0")
    err = fails("positions", "PakSat-MM1", "--start", AT, "--hours", "0")
    assert "59915.json" in err
    # An update refuses to touch the damaged file (or names the mismatch), byte for byte.
    assert path.read_bytes() == before


@pytest.mark.parametrize("log", ["[1, 2]", "{not json", '{"59915": 5}',
                                 '{"59915": "yesterday"}', "\udcff"])
def test_malformed_fetch_log_is_ignored_reported_and_replaced(user, log, monkeypatch):
    from gpserver import Server
    d = user / "elements"
    d.mkdir(parents=True)
    (d / "fetch_log.json").write_bytes(log.encode("utf-8", "surrogateescape"))
    works("positions", "PakSat-MM1", "--start", AT, "--hours", "0")
    err = data_check("user store")
    assert "fetch_log.json" in err and "Fix: delete it" in err
    server = Server()
    try:
        monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", server.url)
        server.routes[59915] = (200, json.dumps([PAKSAT_MM1_OMM]).encode(), 0)
        works("tle", "update", "PakSat-MM1")
    finally:
        server.close()
    assert list(json.loads((d / "fetch_log.json").read_text())) == ["59915"]
    works("data", "check")


def test_store_that_is_a_file_is_reported(user):
    user.mkdir(parents=True)
    (user / "elements").write_text("oops")
    err = data_check("user store")
    assert "the element store is not a directory" in err
    works("positions", "PakSat-MM1", "--start", AT, "--hours", "0")


def test_user_dir_that_is_a_file_is_reported(user):
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text("oops")
    err = data_check("user store")
    assert f"{user}: the user directory is not a directory" in err
    works("positions", "PakSat-MM1", "--start", AT, "--hours", "0")
    err = fails("tle", "update", "PakSat-MM1")
    assert "cannot create the element store" in err or "could not fetch" in err


def test_large_history_loads_every_set_once(user):
    # 3,000 epochs of one object (the store used to re-sort on every add: quadratic).
    import datetime as dt
    base = dt.datetime(2026, 1, 1)
    entries = [{**GOOD_ENTRY, "omm": {**PAKSAT_MM1_OMM, "EPOCH": (
        base + dt.timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%S.%f")}} for k in range(3000)]
    entries.append(entries[10])                     # the same epoch twice: stored once
    write_store(user, json.dumps(entries[::-1]))
    from orbitview.data.catalog import load_catalog
    sat = load_catalog().resolve("PakSat-MM1")
    epochs = [es.epoch for es in sat.elements]
    assert epochs == sorted(set(epochs))
    assert len(epochs) == 3000 + 2                   # + the two bundled sets


def test_stored_omm_keeps_received_types(user, monkeypatch):
    from gpserver import Server
    server = Server()
    try:
        monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", server.url)
        record = {**PAKSAT_MM1_OMM, "REV_AT_EPOCH": None}
        server.routes[59915] = (200, json.dumps([record]).encode(), 0)
        works("tle", "update", "PakSat-MM1")
    finally:
        server.close()
    [entry] = json.loads((user / "elements" / "59915.json").read_text())
    assert entry["omm"] == record                    # numbers stay numbers, null stays null
    assert isinstance(entry["omm"]["MEAN_MOTION"], float)
    assert entry["omm"]["REV_AT_EPOCH"] is None


# --------------------------------------------------------------------------- names

@pytest.fixture()
def urdu_alias(data_copy):
    path = data_copy / "launches.csv"
    # An Urdu-script alias, as a user might add one (made up for this test).
    path.write_text(path.read_text().replace("PAKSAT-MM1; PakSat-MM1R;",
                                             "PAKSAT-MM1; PakSat-MM1R; \u067e\u0627\u06a9 "
                                             "\u0633\u06cc\u0679;"))
    return path


@pytest.mark.parametrize("query,status,message", [
    ("???", 2, "satellite name '???' has no letter or digit to look up"),
    ("", 2, "satellite name '' has no letter or digit to look up"),
    ("---", 2, "has no letter or digit"),
    ("\u067e\u0627\u06a9\u0633\u062a\u0627\u0646", 1, "unknown satellite"),   # 'Pakistan'
    ("\u06f4\u06f3\u06f5\u06f3\u06f0", 0, "PRSS-1 (43530)"),   # 43530 in Urdu digits
    ("\u067e\u0627\u06a9 \u0633\u06cc\u0679", 0, "PakSat-MM1 (59915)"),
    ("\uff30\uff32\uff33\uff33\uff0d\uff11", 0, "PRSS-1 (43530)"),       # fullwidth PRSS-1
    ("Pr\u00e9ss 1", 1, "unknown satellite"),
])
def test_lookup_never_matches_silently(urdu_alias, query, status, message):
    got, out, err = run_cli("look", "--site", "Karachi", "--at", AT, "--", query)
    clean(got, err)
    assert got == status, (query, got, err)
    assert message in (out if status == 0 else err)
