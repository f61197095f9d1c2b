"""Partner satellites: user instrument records (--sensors) and the revisit comparison."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from conftest import DATA, run_cli

RESOURCE_SHA256 = "d49d53f44c2fc4614139d5d314f988cd63216556899717c323474d032716f6c7"
"""shared/reference/catalogs/SOURCES.md: CelesTrak GROUP=resource, mirror commit 8c4fbeb."""
WINDOW = ["--start", "2026-06-01", "--days", "3", "--step", "30", "--resolution", "0.25"]


def test_bundled_resource_catalogue_is_exact():
    raw = (DATA / "catalogs" / "resource.tle").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == RESOURCE_SHA256
    assert raw.count(b"\r\n") == 3 * 167
    assert RESOURCE_SHA256 in (DATA / "catalogs" / "SOURCES.md").read_text()


def test_partner_sensors_are_valid_and_name_catalogue_objects():
    from orbitview.data.external import read_elements_file
    from orbitview.data.sensors import read_sensors
    sensors, problems = read_sensors(DATA / "partner_sensors.csv", None)
    assert problems == [] and len(sensors) == 6
    names = {e.name for e in read_elements_file(DATA / "catalogs" / "resource.tle")}
    assert {s.name for s in sensors} <= names
    for s in sensors:              # every value that is given has a basis and a source
        for v in s.values.values():
            if v.value is not None:
                assert v.basis in ("published", "derived", "assumed") and v.source


def test_basis_text_and_compact_assumptions():
    from orbitview.access.imaging import compact_assumptions
    from orbitview.data.sensors import read_sensors
    from orbitview.studies.partners import basis_text
    sensors = {s.name: s for s in read_sensors(DATA / "partner_sensors.csv", None)[0]}
    assert basis_text(sensors["GAOFEN-1"]) == \
        "published: kind, swath, off-nadir, GSD; assumed: min sun"
    assert basis_text(sensors["GAOFEN-2"]) == \
        "published: kind, swath, GSD; assumed: off-nadir, min sun"
    items = ["PRSS-1 min sun elevation 10°", "GAOFEN-1 02 min sun elevation 10°",
             "GAOFEN-1 02 max off-nadir 35°"]
    assert compact_assumptions(items, ["PRSS-1", "GAOFEN-1", "GAOFEN-1 02"]) == \
        "min sun elevation 10° (PRSS-1, GAOFEN-1 02); max off-nadir 35° (GAOFEN-1 02)"


def test_partners_never_make_a_wait_longer():
    """Fleet + partners holds every opportunity of the fleet alone, so in every province the
    longest wait cannot grow and the opportunities cannot fall; with six Gaofens they
    improve."""
    status, out, err = run_cli("partners", *WINDOW, "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    alone = {r["region"]: r for r in rows if r["fleet"].startswith("Pakistan")}
    more = {r["region"]: r for r in rows if r["fleet"].startswith("+ 6 partners")}
    assert set(alone) == set(more) and "Sindh" in alone and len(alone) == 8
    for region, a in alone.items():
        b = more[region]
        if a["cells"] == 0:
            continue
        assert b["max_revisit_h"] <= a["max_revisit_h"]
        assert b["opportunities_per_day"] >= a["opportunities_per_day"]
    assert more["Pakistan"]["opportunities_per_day"] > 1.3 * alone["Pakistan"][
        "opportunities_per_day"]


def test_partners_for_sindh_with_figure(tmp_path, monkeypatch):
    png = tmp_path / "sindh.png"
    status, out, err = run_cli("partners", "GAOFEN-1", "GAOFEN-6", "--region", "sindh",
                               *WINDOW, "-o", str(png), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["region"], r["fleet"]) for r in rows] == [
        ("Sindh", "Pakistan (6 imagers)"), ("Sindh", "+ 2 partners (8)")]
    assert png.read_bytes()[:4] == b"\x89PNG"
    monkeypatch.setenv("COLUMNS", "200")
    status, out, err = run_cli("partners", "GAOFEN-1", "--region", "Sindh", *WINDOW)
    assert status == 0, err
    table = " ".join(out.split())
    assert "published: kind, swath, off-nadir, GSD; assumed: min sun" in table
    assert "partner_sensors.csv:2" in table
    assert "Left out" not in out
    # A narrow table names what it left out and offers --wide, which the command takes.
    monkeypatch.setenv("COLUMNS", "60")
    status, out, err = run_cli("partners", "GAOFEN-1", "--region", "Sindh", *WINDOW)
    assert status == 0, err
    text = " ".join(out.split())
    assert "Left out to fit 60 columns: never_imaged_pct, first_image_h," in text
    assert "(--wide, a wider terminal or --format csv/json shows them)." in text
    status, out, err = run_cli("partners", "GAOFEN-1", "--region", "Sindh", *WINDOW, "--wide")
    assert status == 0, err
    assert "never_imaged_pct" in out.splitlines()[2]
    assert "Left out to fit 60 columns: never_imaged_pct" not in out


@pytest.mark.parametrize("args,message", [
    (["PRSS-1"], "PRSS-1 is one of Pakistan's own satellites, not a partner"),
    (["LANDSAT 8"], "LANDSAT 8 (39084) has no instrument row"),
    (["--region", "Atlantis"], "neither pakistan nor a province"),
    (["NOSUCHSAT"], "unknown satellite 'NOSUCHSAT'"),
])
def test_partners_errors(args, message):
    status, _, err = run_cli("partners", *args, *WINDOW)
    assert status in (1, 2) and message in err


def test_sensors_option_gives_any_object_an_imager(tmp_path):
    """--sensors with --elements: opportunities for a partner satellite, with its rule."""
    status, out, err = run_cli("opportunities", "GAOFEN-1", "--elements",
                               str(DATA / "catalogs" / "resource.tle"), "--sensors",
                               str(DATA / "partner_sensors.csv"), "--target", "Karachi",
                               "--start", "2026-06-01", "--days", "3", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert rows and all(r["name"] == "GAOFEN-1" and r["norad_id"] == 39150 for r in rows)
    assert all(r["off_nadir_deg"] <= 35.0 + 1e-6 for r in rows)


def test_bad_user_sensors_file_names_file_and_line(tmp_path):
    bad = tmp_path / "mine.csv"
    text = (DATA / "partner_sensors.csv").read_text().splitlines()
    text[2] = text[2].replace(",60,published,", ",sixty,published,", 1)
    bad.write_text("\n".join(text) + "\n")
    status, _, err = run_cli("opportunities", "GAOFEN-1", "--elements",
                             str(DATA / "catalogs" / "resource.tle"), "--sensors", str(bad),
                             "--target", "Karachi", "--start", "2026-06-01", "--days", "1")
    assert status == 1
    assert f"{bad}:3" in err and "not a finite number" in err


def test_partners_say_how_old_their_elements_are(monkeypatch):
    """The comparison rests on element sets weeks from the window: its caption gives each
    satellite's epoch, largest age in the window and orbitview.orbit.accuracy's 90 % bound."""
    import datetime as dt

    from orbitview.data.external import read_elements_file
    from orbitview.orbit.accuracy import error_bound
    monkeypatch.setenv("COLUMNS", "400")
    status, out, err = run_cli("partners", "GAOFEN-1", "--region", "Sindh", *WINDOW)
    assert status == 0, err
    text = " ".join(out.split())
    assert "Element sets (epoch, largest age in the window, 90 % error bound at that age): " \
        in text
    gaofen = next(s for s in read_elements_file(DATA / "catalogs" / "resource.tle")
                  if s.name == "GAOFEN-1")
    es = gaofen.elements[-1]             # resource.tle holds one set per object
    end = dt.datetime(2026, 6, 4, tzinfo=dt.timezone.utc)   # WINDOW: 2026-06-01 + 3 days
    age = (end - es.epoch).total_seconds() / 86400.0
    bound = error_bound(gaofen, age, element_set=es)
    assert f"GAOFEN-1 {es.epoch:%Y-%m-%d}, up to {age:.0f} d, {bound.km_text()}" in text
    for name in ("PRSS-1", "PakTES-1A", "PRSC-EO1", "PRSC-S1", "HS-1", "PRSC-EO3"):
        assert f"; {name} 20" in text or f": {name} 20" in text


def test_elements_file_with_some_partners_compares_those(tmp_path):
    # An element file holding GAOFEN-1 alone (its lines copied from the bundled resource
    # group): the other bundled partner rows name objects it does not hold, and are not
    # partners of this run rather than errors in partner_sensors.csv.
    lines = (DATA / "catalogs" / "resource.tle").read_text().splitlines()
    i = next(i for i, line in enumerate(lines) if line.strip() == "GAOFEN-1")
    path = tmp_path / "gaofen1.tle"
    path.write_text("\n".join(lines[i:i + 3]) + "\n")
    status, out, err = run_cli("partners", "--elements", str(path), "--region", "Sindh",
                               "--start", "2026-06-01", "--days", "1", "--resolution", "1",
                               "--format", "json")
    assert status == 0, err
    assert "partner_sensors.csv" not in err and "not in launches.csv" not in err
    fleets = {r["fleet"] for r in json.loads(out)}
    assert fleets == {"Pakistan (6 imagers)", "+ 1 partners (7)"}, fleets
