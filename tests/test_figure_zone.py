"""Figure titles and captions of track, footprint and coverage give UTC and the local time
of the zone passes would use (--tz, the config file, a built-in site's zone), else PKT.

The figures are written as SVG with text kept as text (``svg.fonttype: none``) and read
back with the standard library's XML parser: the test reads what a user's file holds.
Expected local times: Europe/London keeps BST (UTC+1) from 2026-03-29 to 2026-10-25 and
GMT (UTC+0) in winter; Pakistan keeps PKT (UTC+5) all year (IANA tz database).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import run_cli

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture(autouse=True)
def text_as_text(monkeypatch):
    import matplotlib
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")


def figure_texts(*args, tmp_path) -> list[str]:
    out = tmp_path / "figure.svg"
    status, _, err = run_cli(*args, "-o", str(out))
    assert status == 0, err
    root = ET.parse(out).getroot()
    return ["".join(e.itertext()) for e in root.iter(SVG_TEXT)]


@pytest.mark.parametrize("at,tz,title,caption", [
    ("2026-07-01T09:30Z", "Europe/London", "Ground tracks, 2026-07-01 09:30 UTC (10:30 BST)",
     "Map time 2026-07-01 09:30:00 UTC (2026-07-01 10:30 BST)."),
    ("2026-11-21T09:30Z", None, "Ground tracks, 2026-11-21 09:30 UTC (14:30 PKT)",
     "Map time 2026-11-21 09:30:00 UTC (2026-11-21 14:30 PKT)."),
])
def test_track_caption_in_the_zone_of_tz_else_pkt(at, tz, title, caption, tmp_path):
    texts = figure_texts("track", "PRSS-1", "--at", at, "--region", "pakistan",
                         *(("--tz", tz) if tz else ()), tmp_path=tmp_path)
    assert title in texts
    assert any(t.startswith(caption) for t in texts), texts
    assert tz is None or not any("PKT" in t for t in texts)


def test_footprint_caption_local_date_and_tz(tmp_path):
    # 21:30 UTC is already the next day in Pakistan: the title gives the local date.
    texts = figure_texts("footprint", "PRSS-1", "--at", "2026-11-21T21:30Z", "--region",
                         "pakistan", tmp_path=tmp_path)
    assert "Imaging footprints, 2026-11-21 21:30 UTC (2026-11-22 02:30 PKT)" in texts
    assert any(t.startswith("Map time 2026-11-21 21:30:00 UTC (2026-11-22 02:30 PKT).")
               for t in texts), texts
    texts = figure_texts("footprint", "PRSS-1", "--at", "2026-11-21T21:30Z", "--region",
                         "pakistan", "--tz", "Europe/London", tmp_path=tmp_path)
    assert "Imaging footprints, 2026-11-21 21:30 UTC (21:30 GMT)" in texts


@pytest.mark.parametrize("access,tz,expected", [
    ("radio", "Europe/London",
     "2026-07-01 00:00 to 2026-07-01 02:00 UTC (2026-07-01 01:00 to 2026-07-01 03:00 BST)"),
    ("imaging", None,
     "2026-07-01 00:00 to 2026-07-01 02:00 UTC (2026-07-01 05:00 to 2026-07-01 07:00 PKT)"),
])
def test_coverage_caption_window_in_local_time(access, tz, expected, tmp_path):
    texts = figure_texts("coverage", "PRSS-1", "--access", access, "--start",
                         "2026-07-01T00:00Z", "--hours", "2", "--resolution", "1",
                         *(("--tz", tz) if tz else ()), tmp_path=tmp_path)
    assert any(t.startswith(expected) for t in texts), texts


def test_window_across_a_daylight_saving_change_names_both():
    import datetime as dt

    from orbitview.data.localtime import Clock, get_zone
    from orbitview.products.maps import _local_window
    utc = dt.timezone.utc
    # Europe/London left BST at 2026-10-25 01:00 UTC.
    text = _local_window(dt.datetime(2026, 10, 24, 12, tzinfo=utc),
                         dt.datetime(2026, 10, 25, 12, tzinfo=utc),
                         Clock(get_zone("Europe/London")))
    assert text == " (2026-10-24 13:00 BST to 2026-10-25 12:00 GMT)"
    assert _local_window(dt.datetime(2026, 10, 24, tzinfo=utc),
                         dt.datetime(2026, 10, 25, tzinfo=utc), Clock(get_zone("UTC"))) == ""
