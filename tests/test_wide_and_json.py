"""--wide wherever a table may leave columns out, --format json (or --report json) wherever
a table is printed.

Audit (every command of ``orbitview --help``): tables with --format json and --wide:
launches, tle status, positions, passes, now, coverage, opportunities, geo-belt, design
walker/sso/sweep, partners, config show; tle update prints its report with --report
json|csv and --wide (its --format names what is fetched).  look, info and data check print
text with --format json; history, track, sky, footprint and tle history draw figures.
"""

from __future__ import annotations

import json

import pytest
from conftest import PAKSAT_MM1_OMM, run_cli

NOW = "2026-06-01T06:00:00Z"
NARROW = "30"
"""Columns of a terminal too narrow for any of these tables."""

TABLES = [
    ("tle", "status"),
    ("positions", "PRSS-1", "--hours", "0.1", "--format", "table"),
    ("now", "--site", "Lahore"),
    ("coverage", "PRSS-1", "--hours", "2", "--resolution", "1", "--access", "radio"),
    ("design", "sso", "--altitude", "550", "--ltdn", "10:30"),
    ("design", "walker", "53:4/2/1", "--altitude", "550"),
    ("config", "show"),
    ("launches",),
    ("passes", "PRSS-1", "--site", "Lahore", "--access", "radio"),
    ("geo-belt",),
]


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("ORBITVIEW_NOW", NOW)
    monkeypatch.setenv("COLUMNS", NARROW)


@pytest.mark.parametrize("args", TABLES, ids=[" ".join(a[:2]) for a in TABLES])
def test_wide_keeps_every_column(args, monkeypatch):
    width = "20" if args == ("config", "show") else NARROW      # three short columns
    monkeypatch.setenv("COLUMNS", width)
    status, narrow, err = run_cli(*args)
    assert status == 0, err
    flat = " ".join(narrow.split())
    assert f"Left out to fit {width} columns" in flat and "(--wide, a wider terminal" in flat
    status, wide, err = run_cli(*args, "--wide")
    assert status == 0, err
    assert "Left out to fit" not in wide
    assert max(len(line) for line in wide.splitlines()) > int(width)


@pytest.mark.parametrize("args", [a for a in TABLES if a[0] != "config"] +
                         [("config", "show")], ids=lambda a: " ".join(a[:2]))
def test_json_wherever_a_table_is_printed(args):
    status, out, err = run_cli(*args, "--format", "json")
    assert status == 0, err
    assert isinstance(json.loads(out), list)


def test_tle_update_reports_as_json(server, user_dir):
    server.routes[59915] = (200, json.dumps([PAKSAT_MM1_OMM]).encode(), 0)
    status, out, err = run_cli("tle", "update", "PakSat-MM1", "--report", "json")
    assert status == 0, err
    [row] = json.loads(out)
    assert row["norad_id"] == 59915 and row["status"] in ("updated", "unchanged")
    assert set(row) == {"norad_id", "name", "status", "epoch_utc", "note"}
    status, out, err = run_cli("tle", "update", "PakSat-MM1", "--report", "csv")
    assert status == 0 and out.splitlines()[0] == "norad_id,name,status,epoch_utc,note"
