"""Fresh data: --refresh, auto_update and CelesTrak groups against a real server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import PAKSAT_MM1_OMM, TESTDATA, run_cli
from gpserver import Server

NOW = "2026-11-21T09:30:00Z"
FRESH_MM1 = {**PAKSAT_MM1_OMM, "EPOCH": "2026-11-20T22:00:00.000000", "MEAN_ANOMALY": 10.0}


@pytest.fixture()
def server(monkeypatch):
    s = Server()
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", s.url)
    monkeypatch.setenv("ORBITVIEW_NOW", NOW)
    yield s
    s.close()


@pytest.fixture()
def user_dir(tmp_path, monkeypatch):
    d = tmp_path / "user"
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(d))
    return d


def snapshot(directory):
    if not directory.exists():
        return {}
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def stations_omm() -> bytes:
    """CelesTrak's stations group (tests/data/catalogs/stations.tle) as OMM JSON records."""
    from orbitview.data.elements import parse_tle_text
    from orbitview.data.sources import _tle_as_omm
    sets, problems = parse_tle_text((TESTDATA / "catalogs" / "stations.tle").read_text(),
                                    "stations.tle")
    assert not problems
    return json.dumps([_tle_as_omm(es) for es in sets]).encode()


# --------------------------------------------------------------------------- --refresh

def test_refresh_fetches_the_stale_set_first(server, user_dir):
    server.routes[59915] = (200, json.dumps([FRESH_MM1]).encode(), 0)
    status, out, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--refresh",
                               "--format", "json")
    assert status == 0, err
    [row] = json.loads(out)
    assert row["epoch_age_days"] == pytest.approx(0.48, abs=0.01)
    assert "refreshed 1 element set from CelesTrak" in err
    assert server.requests == ["/NORAD/elements/gp.php?CATNR=59915&FORMAT=JSON"]
    stored = json.loads((user_dir / "elements" / "59915.json").read_text())
    assert stored[0]["provenance"]["url"].startswith(server.url)
    # The same object is not fetched again within 2 hours (CelesTrak's rule), even on --refresh.
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--refresh")
    assert status == 0 and len(server.requests) == 1


def test_refresh_offline_goes_on_with_stored_sets(server, user_dir, monkeypatch):
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", "http://127.0.0.1:9")
    before = snapshot(user_dir)
    status, out, err = run_cli("passes", "PRSS-1", "--site", "Lahore", "--refresh",
                               "--access", "radio")
    assert status == 0, err
    assert "could not refresh PRSS-1" in err and "using the stored sets" in err
    assert "Traceback" not in err and "PRSS-1" in out
    assert snapshot(user_dir) == before


def test_refresh_against_a_server_that_hangs_stops_at_its_deadline(server, user_dir,
                                                                    monkeypatch):
    import orbitview.data.freshness as freshness
    monkeypatch.setattr(freshness, "REFRESH_DEADLINE_S", 2.0)
    server.routes[59915] = (200, json.dumps([FRESH_MM1]).encode(), 30)   # answers too late
    status, out, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--refresh")
    assert status == 0, err
    assert "could not refresh PakSat-MM1" in err and "timed out" in err
    assert "75.3 days old" in out                                 # the stored set was used


# --------------------------------------------------------------------------- auto_update

def test_auto_update_weekly_fetches_without_being_asked(server, user_dir):
    assert run_cli("config", "set", "auto_update", "weekly")[0] == 0
    server.routes[59915] = (200, json.dumps([FRESH_MM1]).encode(), 0)
    status, out, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--format", "json")
    assert status == 0, err
    assert json.loads(out)[0]["epoch_age_days"] < 1
    assert len(server.requests) == 1


def test_auto_update_offline_notes_once_then_waits_an_hour(server, user_dir, monkeypatch):
    assert run_cli("config", "set", "auto_update", "daily")[0] == 0
    server.routes[59915] = (500, b"down", 0)
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi")
    assert status == 0 and "could not refresh PakSat-MM1" in err
    assert len(server.requests) == 1
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi")
    assert status == 0 and len(server.requests) == 1 and "could not refresh" not in err
    monkeypatch.setenv("ORBITVIEW_NOW", "2026-11-21T10:31:00Z")            # an hour later
    server.routes[59915] = (200, json.dumps([FRESH_MM1]).encode(), 0)
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi")
    assert status == 0 and len(server.requests) == 2 and "refreshed 1 element set" in err


def test_notify_only_says_so(server, user_dir):
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi")
    assert status == 0 and server.requests == []
    assert "older than 14 days today; --refresh fetches current ones" in err


def test_notify_is_quiet_where_no_element_set_is_used(server, user_dir):
    # launches and history draw no orbit; tle update is the fetch the note suggests.
    for args in (["launches"], ["history", "-o", str(user_dir.parent / "h.png")],
                 ["tle", "update", "PRSS-1"]):
        status, _, err = run_cli(*args)
        assert "older than 14 days" not in err, args
    assert run_cli("tle", "status", "PRSS-1")[2].startswith(
        "orbitview: note: 1 of the objects used has an element set older than 14 days today; "
        "--refresh fetches current ones")


def test_refresh_names_the_objects_it_leaves_as_stored(server, user_dir):
    stations = str(TESTDATA / "catalogs" / "stations.tle")
    status, out, err = run_cli("look", "CSS (TIANHE)", "--elements", stations, "--site",
                               "Lahore", "--refresh")
    assert status == 0, err
    assert server.requests == []             # CelesTrak is not asked for an object of a file
    assert ("orbitview: note: --refresh fetches the sets of orbitview's own records, not of "
            "element files or stored groups: CSS (TIANHE) (elements file stations.tle) is used "
            "as stored. Fix: when online, use a current copy of the file, or 'orbitview tle "
            "update --group NAME'\n") in err


# --------------------------------------------------------------------------- groups

def test_group_is_stored_with_provenance_and_resolves_like_catalog_objects(server, user_dir):
    server.routes[0] = (200, stations_omm(), 0)
    status, out, err = run_cli("tle", "update", "--group", "stations")
    assert status == 0, err
    assert server.requests == ["/NORAD/elements/gp.php?GROUP=stations&FORMAT=JSON"]
    stored = json.loads((user_dir / "groups" / "stations.json").read_text())
    assert stored["provenance"]["group"] == "stations" and stored["provenance"]["objects"] == 25
    assert stored["provenance"]["url"].startswith(server.url)
    # By name, NORAD number or COSPAR id, with no --elements, marked as not Pakistani.
    for query in ("CSS (TIANHE)", "48274", "2021-035A"):
        status, out, err = run_cli("look", query, "--site", "Lahore", "--format", "json")
        assert status == 0, err
        [row] = json.loads(out)
        assert row["norad_id"] == 48274 and "CelesTrak group stations" in row["source"]
    status, out, err = run_cli("passes", "CSS (TIANHE)", "--site", "Lahore", "--visible",
                               "--start", "tonight")
    assert status == 0, err
    assert "CelesTrak group stations" in " ".join(out.split())
    assert "not a Pakistani record" in " ".join(out.split())
    # A second fetch within two hours is skipped.
    status, out, _ = run_cli("tle", "update", "--group", "stations")
    assert status == 0 and "skipped" in out and len(server.requests) == 1


@pytest.mark.parametrize("status_code,body,fragment", [
    (500, b"oops", "answered HTTP 500"),
    (200, b"[{\"OBJECT_NAME\": \"X\"}]", "malformed record"),
    (200, b"Invalid query: GROUP=nosuch", "has no group"),
    (200, b"[1, 2", "malformed JSON"),
])
def test_group_failures_change_nothing(server, user_dir, status_code, body, fragment):
    server.routes[0] = (200, stations_omm(), 0)
    assert run_cli("tle", "update", "--group", "stations")[0] == 0
    before = snapshot(user_dir)
    server.routes[0] = (status_code, body, 0)
    status, _, err = run_cli("tle", "update", "--group", "stations", "--force")
    assert status == 1 and fragment in err
    assert snapshot(user_dir) == before


def test_group_name_is_checked_before_any_fetch(server, user_dir):
    status, _, err = run_cli("tle", "update", "--group", "../etc")
    assert status == 2 and "is not a CelesTrak group name" in err
    assert server.requests == []
    status, _, err = run_cli("tle", "update", "--group", "stations", "PRSS-1")
    assert status == 2 and "without satellite names" in err
