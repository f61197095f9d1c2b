"""Tables never cut or split a value: at 80 and 60 columns every value a table shows is the
value of --format json (or csv), whole, on its row's one line; columns that do not fit are
left out and named in a line under the table, with where to see them.

Each table is read back as a user reads it: a boxed table cell by cell between its bars, a
table without a box line by line (the values of the row, in order, two or more spaces
apart, and nothing else).  The expected text of each column comes from the JSON output
(formatted as the table formats numbers and times); a column whose text the table derives
(an error bound, a sub-point) must still be one whole token on the row's line.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import run_cli

NOW = "2026-11-21T09:30:00Z"
ANY = None
"""A derived cell: checked to be whole (no ellipsis, on one line), not for its text."""


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setenv("ORBITVIEW_NOW", NOW)


_JSON: dict = {}


def _run(width, monkeypatch, *args):
    """The table at ``width`` columns and the rows of --format json (read once)."""
    monkeypatch.setenv("COLUMNS", str(width))
    status, out, err = run_cli(*args)
    assert status == 0, err
    if args not in _JSON:
        status, text, err = run_cli(*args, "--format", "json")
        assert status == 0, err
        _JSON[args] = json.loads(text)
    return out, _JSON[args]


def _f(value, digits=1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _cell(expected) -> str:
    if expected is ANY:
        return r"\S(?:.*?\S)?"
    if isinstance(expected, (list, tuple)):            # one of several renderings
        return "(?:" + "|".join(re.escape(e) for e in expected) + ")"
    return re.escape(expected)


def _line(cells) -> re.Pattern:
    """A row of a table without a box: its cells in order, two or more spaces apart."""
    parts = [_cell(c) for c in cells if c != ""]
    return re.compile(r"\s*" + r"\s{2,}".join(parts) + r"\s*")


def assert_table(out: str, width: int, headers: list[str], rows: list[list]):
    """``headers`` and ``rows`` (expected cell texts) of every column the table may show;
    the table must show them all but those its 'Left out' line names, each value whole."""
    assert "…" not in out
    note = re.search(r"Left out to fit (\d+) columns: (.*?) \((?:--wide, )?a wider terminal "
                     r"or --format csv/json shows them\)\.", " ".join(out.split()))
    dropped = note.group(2).split(", ") if note else []
    assert not note or int(note.group(1)) == width
    assert set(dropped) <= set(headers), dropped
    keep = [i for i, h in enumerate(headers) if h not in dropped]
    shown = [headers[i] for i in keep]
    expected = [[r[i] for i in keep] for r in rows]
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width, "a line is wider than the terminal"
    if any(line.startswith("┃") for line in lines):
        head = next(line for line in lines if line.startswith("┃"))
        assert [c.strip() for c in head[1:-1].split("┃")] == shown
        body = [[c.strip() for c in line[1:-1].split("│")] for line in lines
                if line.startswith("│")]
        assert len(body) == len(expected), "a value was split across lines"
        for got, want in zip(body, expected):
            for g, w in zip(got, want):
                assert re.fullmatch(_cell(w), g) if w is ANY or isinstance(w, (list, tuple)) \
                    else g == w, (g, w)
        return
    start = next(i for i, line in enumerate(lines) if _line(shown).fullmatch(line))
    body = lines[start + 1:start + 1 + len(expected)]
    for line, want in zip(body, expected):
        assert _line(want).fullmatch(line), (line, want)


@pytest.mark.parametrize("width", [80, 60])
def test_launches(width, monkeypatch):
    out, rows = _run(width, monkeypatch, "launches")
    headers = ["name", "launch_utc", "launch_vehicle", "launch_site", "launch_country",
               "orbit_class", "norad_id", "cospar_id", "status"]
    assert_table(out, width, headers,
                 [["" if r[h] is None else str(r[h]) for h in headers] for r in rows])
    assert "Left out to fit" in out            # 9 columns do not fit 80


@pytest.mark.parametrize("width", [80, 60])
def test_tle_status(width, monkeypatch):
    out, rows = _run(width, monkeypatch, "tle", "status")
    assert_table(out, width, ["norad_id", "name", "element_sets", "newest_epoch_utc",
                              "epoch_age_days", "90 % error", "note"],
                 [["" if r["norad_id"] is None else str(r["norad_id"]), r["name"],
                   str(r["element_sets"]),
                   (r["newest_epoch_utc"] or "").replace("T", " ").rstrip("Z"),
                   _f(r["epoch_age_days"]), r["error_bound_90"] or "",
                   "no sets" if r["stale"] is None else "STALE" if r["stale"] else "current"]
                  for r in rows])
    # Why an object has no age is said whole below the table, whatever the width.
    text = " ".join(out.split())
    for r in rows:
        if r["stale"] is None:
            assert r["note"] in text


@pytest.mark.parametrize("width", [80, 60])
def test_passes(width, monkeypatch):
    out, rows = _run(width, monkeypatch, "passes", "PRSS-1", "--site", "Lahore", "--access",
                     "radio")
    assert rows

    def local(text):                   # the pass table's time formats, longest first
        from datetime import datetime
        t = datetime.fromisoformat(text)
        return [t.strftime(f) for f in ("%Y-%m-%d %H:%M:%S", "%m-%d %H:%M:%S", "%m-%d %H:%M")]

    assert_table(out, width, ["name", "AOS PKT", "TCA PKT", "LOS PKT", "max el°", "dir",
                              "by eye", "±", "AOS UTC", "AOS az°", "LOS az°", "s", "sun el°",
                              "age d"],
                 [[r["name"], local(r["aos_local"]), local(r["tca_local"]),
                   local(r["los_local"]), _f(r["max_elevation_deg"]), r["direction"], ANY,
                   ANY, r["aos_utc"][5:19].replace("T", " "), _f(r["aos_azimuth_deg"], 0),
                   _f(r["los_azimuth_deg"], 0), str(r["duration_s"]),
                   _f(r["site_sun_elevation_deg"], 0), _f(r["epoch_age_days"])]
                  for r in rows])
    # The default (imaging) access finds no pass here: one line, nothing cut either.
    monkeypatch.setenv("COLUMNS", str(width))
    status, out, _ = run_cli("passes", "PRSS-1", "--site", "Lahore")
    assert status == 0 and "No passes in this window." in out and "…" not in out


@pytest.mark.parametrize("width", [80, 60])
def test_opportunities(width, monkeypatch):
    # 3 days rather than the 14 a user might ask for: the same columns, a quarter of the time.
    out, rows = _run(width, monkeypatch, "opportunities", "--all", "--target", "Sindh",
                     "--days", "3")
    assert rows

    def look(r):
        return f"{r['off_nadir_deg']:.1f}" + ("" if r["side"] == "nadir"
                                              else f" {r['side'][0].upper()}")

    # Opportunities whose time is unknown (phase lost) are not listed one by one: after
    # the others, one row per satellite says so, its angles blank.
    lost: dict = {}
    for r in rows:
        if r["phase_lost"]:
            lost.setdefault(r["name"], []).append(r)
    assert_table(out, width, ["name", "time UTC", "PKT", "s", "off-nadir°", "view az°",
                              "view zen°", "sun el°", "sun az°", "pass", "GSD m", "area %",
                              "cum. %", "age d", "timing ±"],
                 [[r["name"], ("* " if r["in_progress_at_start"] else "")
                   + r["time_utc"][5:19].replace("T", " "),
                   r["time_local"][5:16].replace("T", " "),
                   _f(r["duration_s"]), look(r), _f(r["view_azimuth_deg"]),
                   _f(r["view_zenith_deg"]), _f(r["sun_elevation_deg"]),
                   _f(r["sun_azimuth_deg"]), {"ascending": "asc", "descending": "desc"}[
                       r["pass_direction"]], _f(r["gsd_look_m"], 2),
                   _f(r["area_share_pct"]), _f(r["cumulative_share_pct"]),
                   _f(r["epoch_age_days"]), ANY] for r in rows if not r["phase_lost"]]
                 + [[name, ANY, "unknown", "", "", "", "", "", "", "", "", "", "",
                     _f(max(x["epoch_age_days"] for x in found)), "unknown"]
                    for name, found in lost.items()])


@pytest.mark.parametrize("width", [80, 60])
def test_now(width, monkeypatch):
    out, rows = _run(width, monkeypatch, "now", "--all")

    def subpoint(r):
        return (f"{abs(r['lat_deg']):.2f}°{'N' if r['lat_deg'] >= 0 else 'S'} "
                f"{abs(r['lon_deg']):.2f}°{'E' if r['lon_deg'] >= 0 else 'W'}")

    # Where on its orbit a phase-lost satellite is cannot be said: 'unknown' in place of
    # its sub-point, place and sunlight (the JSON keeps SGP4's, with phase_lost).
    assert_table(out, width, ["name", "sub-point", "alt km", "over", "sun", "age d",
                              "± (90 %)"],
                 [[r["name"], "unknown", _f(r["altitude_km"], 0), ANY, "unknown",
                   _f(r["epoch_age_days"]), "unknown"] if r["phase_lost"] else
                  [r["name"], subpoint(r), _f(r["altitude_km"], 0), r["over"],
                   "sunlit" if r["sunlit"] else "shadow", _f(r["epoch_age_days"]), ANY]
                  for r in rows])
    assert "± (90 %)" in out                   # the error bound is the last to go
