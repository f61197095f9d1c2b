"""orbitview tle update against a real HTTP server on 127.0.0.1, and the OMM readers.

The server answers like CelesTrak's gp.php (JSON OMM or TLE) or fails in the
ways the tests ask for.  Every failure must leave the stored data byte for
byte unchanged.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import PAKSAT_MM1_OMM, run_cli

from orbitview.data.elements import parse_omm

UTC = dt.timezone.utc

MM1 = PAKSAT_MM1_OMM
MM1_TLE = ("PAKSAT-MM1              \n"
           "1 59915U 24104A   26250.09835388  .00000136  00000+0  00000+0 0  9997\n"
           "2 59915   0.0370 224.0079 0001995 305.2912 250.4932  1.00269514  8349\n")


def snapshot(directory: Path) -> dict:
    if not directory.exists():
        return {}
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def omm_body(**changes) -> bytes:
    return json.dumps([{**MM1, **changes}]).encode()


def test_update_success_records_history_and_provenance(server, user_dir):
    server.routes[59915] = (200, omm_body(), 0)
    status, out, err = run_cli("tle", "update", "PakSat-MM1")
    assert status == 0, err
    assert server.requests == ["/NORAD/elements/gp.php?CATNR=59915&FORMAT=JSON"]
    [entry] = json.loads((user_dir / "elements" / "59915.json").read_text())
    assert entry["omm"]["EPOCH"] == "2026-09-07T02:21:37.775232"
    prov = entry["provenance"]
    assert prov["url"] == f"{server.url}/NORAD/elements/gp.php?CATNR=59915&FORMAT=JSON"
    assert prov["retrieved_utc"].endswith("Z") and prov["server_date"].endswith("Z")
    assert "updated" in out
    # A new epoch is appended, not overwritten; the rest of orbitview prefers it.
    server.routes[59915] = (200, omm_body(EPOCH="2026-11-20T01:00:00.000000",
                                          MEAN_ANOMALY=10.0), 0)
    status, out, err = run_cli("tle", "update", "PakSat-MM1", "--force")
    assert status == 0, err
    history = json.loads((user_dir / "elements" / "59915.json").read_text())
    assert [h["omm"]["EPOCH"][:10] for h in history] == ["2026-09-07", "2026-11-20"]
    status, out, _ = run_cli("tle", "status", "PakSat-MM1", "--at", "2026-11-21T01:00:00Z",
                             "--format", "json")
    [row] = json.loads(out)
    assert row["newest_epoch_utc"] == "2026-11-20T01:00:00Z" and row["stale"] is False
    assert row["source"].startswith(f"CelesTrak GP API {server.url}/NORAD/elements/gp.php")
    assert row["element_sets"] == 3      # 2 bundled + the new epoch (the 09-07 one is shared)


def test_same_epoch_is_not_stored_twice(server, user_dir):
    server.routes[59915] = (200, omm_body(), 0)
    assert run_cli("tle", "update", "59915")[0] == 0
    status, out, _ = run_cli("tle", "update", "59915", "--force")
    assert status == 0 and "unchanged" in out
    assert len(json.loads((user_dir / "elements" / "59915.json").read_text())) == 1


def test_second_update_within_two_hours_is_skipped(server, user_dir):
    server.routes[59915] = (200, omm_body(), 0)
    assert run_cli("tle", "update", "PakSat-MM1")[0] == 0
    status, out, _ = run_cli("tle", "update", "PakSat-MM1")
    assert status == 0
    assert "skipped" in out and "at least 2 h" in out
    assert len(server.requests) == 1


def test_a_skip_says_why_in_a_narrow_terminal(server, user_dir, monkeypatch):
    # At 80 columns the table leaves its note column out: the reason goes to stderr too,
    # and the store's path (no spaces to break at) is not folded into the centred title.
    monkeypatch.setenv("COLUMNS", "80")
    server.routes[59915] = (200, omm_body(), 0)
    status, out, err = run_cli("tle", "update", "PakSat-MM1")
    assert status == 0 and out.splitlines()[0].strip() == "Element sets fetched from CelesTrak"
    assert f"orbitview: new element sets are stored in {user_dir / 'elements'}\n" in err
    status, out, err = run_cli("tle", "update", "PakSat-MM1")
    assert status == 0 and len(server.requests) == 1
    assert "stored in" not in err                              # nothing new was stored
    assert ("orbitview: note: PakSat-MM1 (59915) skipped: fetched 0 min ago; CelesTrak asks "
            "for at least 2 h between fetches of one object (use --force to override)\n") in err


@pytest.mark.parametrize("status_code,body,message", [
    (404, b"Not Found", "answered HTTP 404"),
    (403, b"Forbidden", "answered HTTP 403"),
    (500, b"oops", "answered HTTP 500"),
    (200, json.dumps([MM1])[:120].encode(), "malformed answer"),
    (200, json.dumps([{**MM1, "NORAD_CAT_ID": 43530}]).encode(),
     "answered with the element sets of 43530 instead of one for 59915"),
    (200, json.dumps([{**MM1, "OBJECT_ID": "2024-104B"}]).encode(),
     "says NORAD 59915 is '2024-104B', but"),
    (200, b"No GP data found", "has no element set for 59915"),
    (200, json.dumps([{**MM1, "ECCENTRICITY": 1.5}]).encode(), "ECCENTRICITY 1.5 is outside"),
])
def test_failures_leave_data_unchanged(server, user_dir, status_code, body, message):
    server.routes[59915] = (200, omm_body(), 0)
    assert run_cli("tle", "update", "PakSat-MM1")[0] == 0
    before = snapshot(user_dir)
    server.routes[59915] = (status_code, body, 0)
    status, out, err = run_cli("tle", "update", "PakSat-MM1", "--force")
    assert status == 1
    assert message in err and "FAILED" in out
    assert "stored data of those objects is unchanged" in err
    assert snapshot(user_dir) == before


def test_timeout(server, user_dir, monkeypatch):
    import orbitview.data.sources as sources
    monkeypatch.setattr(sources, "DEADLINE_S", 0.3)
    server.routes[59915] = (200, omm_body(), 2.0)
    before = snapshot(user_dir)
    status, _, err = run_cli("tle", "update", "PakSat-MM1")
    assert status == 1
    assert "could not fetch" in err and "timed out" in err
    assert snapshot(user_dir) == before


def test_all_updates_every_object_and_reports_failures(server, user_dir, catalog):
    for norad in (37779, 43529, 43530, 59915, 62653, 62725, 65055, 66054, 68835):
        cospar = catalog.resolve(str(norad)).record.cospar_id
        server.routes[norad] = (200, omm_body(NORAD_CAT_ID=norad, OBJECT_NAME=str(norad),
                                              OBJECT_ID=cospar), 0)
    status, out, err = run_cli("tle", "update", "--all")
    # Badr-1, PakSat-1, Badr-B and iCUBE-1 have NORAD numbers but no data here: 404.
    assert status == 1
    assert err.count("answered HTTP 404") == 4
    assert len(list((user_dir / "elements").glob("*.json"))) == 9 + 1   # + fetch_log.json


def test_six_digit_omm_object_propagates(server, user_dir, data_copy):
    # A record launched after July 2026 has a catalog number TLEs cannot carry.
    csv = data_copy / "launches.csv"
    csv.write_text(csv.read_text() + "TEST-SAT,,2026-300A,100123,2026-10-27,Test rocket,"
                   "Jiuquan,China,SSO,,,,test object,active,,made up for a test,test\n")
    server.routes[100123] = (200, omm_body(NORAD_CAT_ID=100123, OBJECT_ID="2026-300A",
                                           OBJECT_NAME="TEST-SAT"), 0)
    status, _, err = run_cli("tle", "update", "TEST-SAT")
    assert status == 0, err
    status, out, err = run_cli("positions", "100123", "PakSat-MM1", "--start",
                               "2026-09-07T03:00:00Z", "--hours", "0", "--format", "json")
    assert status == 0, err
    a, b = json.loads(out)
    assert a["norad_id"] == 100123
    for key in ("lat_deg", "lon_deg", "altitude_km"):
        assert a[key] == pytest.approx(b[key], abs=1e-6)   # same elements, same answer


def test_omm_equals_tle():
    from orbitview.data.elements import parse_tle_text
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    [from_omm], _ = parse_omm(json.dumps([MM1]), "x.json")
    [from_tle], _ = parse_tle_text(MM1_TLE, "x.tle")
    t = time_grid(dt.datetime(2026, 9, 7, tzinfo=UTC), dt.datetime(2026, 9, 9, tzinfo=UTC), 3600)
    p = propagate([[from_omm], [from_tle]], t)
    # The OMM's epoch is given to the microsecond, the TLE's to 1e-8 day (0.9 ms):
    # at 3.07 km/s that is a few metres.
    assert np.abs(p.itrs_km[:, 0] - p.itrs_km[:, 1]).max() < 0.01


OMM_CSV = ("OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,"
           "ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,"
           "ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\n"
           "PAKSAT-MM1,2024-104A,2026-09-07T02:21:37.775232,1.00269514,.0001995,.037,224.0079,"
           "305.2912,250.4932,0,U,59915,999,834,0,.136e-5,0\n")
OMM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<ndm><omm><body><segment>
<metadata><OBJECT_NAME>PAKSAT-MM1</OBJECT_NAME><OBJECT_ID>2024-104A</OBJECT_ID>
<CENTER_NAME>EARTH</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>
<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata>
<data><meanElements><EPOCH>2026-09-07T02:21:37.775232</EPOCH><MEAN_MOTION>1.00269514</MEAN_MOTION>
<ECCENTRICITY>.0001995</ECCENTRICITY><INCLINATION>.037</INCLINATION>
<RA_OF_ASC_NODE>224.0079</RA_OF_ASC_NODE><ARG_OF_PERICENTER>305.2912</ARG_OF_PERICENTER>
<MEAN_ANOMALY>250.4932</MEAN_ANOMALY></meanElements>
<tleParameters><EPHEMERIS_TYPE>0</EPHEMERIS_TYPE><CLASSIFICATION_TYPE>U</CLASSIFICATION_TYPE>
<NORAD_CAT_ID>59915</NORAD_CAT_ID><ELEMENT_SET_NO>999</ELEMENT_SET_NO>
<REV_AT_EPOCH>834</REV_AT_EPOCH><BSTAR>0</BSTAR><MEAN_MOTION_DOT>.136e-5</MEAN_MOTION_DOT>
<MEAN_MOTION_DDOT>0</MEAN_MOTION_DDOT></tleParameters></data></segment></body></omm></ndm>
"""


@pytest.mark.parametrize("text", [json.dumps([MM1]), OMM_CSV, OMM_XML],
                         ids=["json", "csv", "xml"])
def test_omm_formats_agree(text):
    [es], problems = parse_omm(text, "x")
    assert problems == []
    assert es.norad_id == 59915 and es.cospar_id == "2024-104A"
    assert es.epoch == dt.datetime(2026, 9, 7, 2, 21, 37, 775232, tzinfo=UTC)
    assert es.mean_motion_rev_per_day == pytest.approx(1.00269514, rel=1e-12)


def test_alpha5_tle():
    from sgp4.io import fix_checksum

    from orbitview.data.elements import parse_tle_text
    lines = MM1_TLE.splitlines()
    l1 = fix_checksum(lines[1][:2] + "A0123" + lines[1][7:])
    l2 = fix_checksum(lines[2][:2] + "A0123" + lines[2][7:])
    [es], problems = parse_tle_text(f"{l1}\n{l2}\n", "a5.tle")
    assert problems == [] and es.norad_id == 100123


def test_tle_history_figure(tmp_path):
    from orbitview.data.catalog import load_catalog
    from orbitview.products.history_plot import element_history, plot_element_history
    sat = load_catalog().resolve("PakSat-1R")
    rows = element_history(sat)
    # facts.md 2.4 / SOURCES.md: inclination 0.02 deg (2025-08) -> 0.64 deg (2026-05).
    assert rows[0]["inclination_deg"] == pytest.approx(0.0224, abs=0.001)
    assert rows[-1]["inclination_deg"] == pytest.approx(0.6433, abs=0.0001)
    assert rows[-1]["longitude_deg"] == pytest.approx(37.9, abs=0.05)
    assert rows[-1]["manoeuvre"] == ""           # natural drift, not a burn
    fig = plot_element_history(sat, rows)
    assert [a.get_ylabel() for a in fig.axes] == ["altitude (km)", "inclination (deg)",
                                                  "sub-satellite longitude (deg E)"]
    caption = " ".join(t.get_text().strip() for t in fig.texts)
    assert "natural drift of a GEO satellite" in caption
    s1 = element_history(load_catalog().resolve("PRSC-S1"))
    # PRSC-S1 lost about 6 km of perigee in a year (SOURCES.md element sets).
    assert s1[0]["perigee_km"] - s1[-1]["perigee_km"] == pytest.approx(5.7, abs=0.5)
    status, out, err = run_cli("tle", "history", "PakSat-1R", "-o", str(tmp_path / "h.png"))
    assert status == 0, err


def test_manoeuvre_flagged():
    from orbitview.data.catalog import Satellite, load_catalog
    from orbitview.products.history_plot import element_history
    sat = load_catalog().resolve("PRSC-S1")
    raised = dict(MM1, NORAD_CAT_ID=65055, MEAN_MOTION=14.9, INCLINATION=41.13,
                  EPOCH="2026-09-10T00:00:00.000000")
    [es], _ = parse_omm(json.dumps([raised]), "x")
    rows = element_history(Satellite(sat.record, [*sat.elements, es]))
    assert rows[-1]["manoeuvre"].startswith("likely manoeuvre: mean altitude rose")


def test_only_update_touches_the_network(monkeypatch, tmp_path):
    import socket
    def no_network(*args, **kwargs):
        raise AssertionError("network used")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for args in (("launches",), ("tle", "status", "--at", "2026-09-07"), ("info",),
                 ("positions", "PRSS-1", "--start", "2026-09-07", "--hours", "0.1"),
                 ("track", "PRSS-1", "--at", "2026-09-07T00:00:00Z", "-o",
                  str(tmp_path / "t.png"))):
        assert run_cli(*args)[0] == 0, args
