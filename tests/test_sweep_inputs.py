"""A hostile user's sweep of the core commands and the views (map, animate, export).

Each test reproduces what a careless or hostile input did before it was fixed
(an out-of-memory kill, a half-hour table, an "unexpected" internal error, a
silent answer) and asserts the promise instead: refused before any work with
the figure and a coarser request, exit 1 for bad data and 2 for usage errors,
one message with a ``Fix:`` line, nothing written.
"""

from __future__ import annotations

import tracemalloc

import pytest
from conftest import run_cli

T0 = "2026-11-21T00:00:00Z"
"""A time after every bundled element set; PRSS-1 (launched 2018-07-09) was in orbit."""
BEFORE_PRSS1 = "2017-01-01T00:00:00Z"
"""PRSS-1 was launched on 2018-07-09 (data/launches.csv): positions then describe no object."""


def assert_clean(status: int, err: str) -> None:
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "unexpected" not in err and "a bug" not in err, err


def refused(args, *fragments, status=2):
    code, out, err = run_cli(*args)
    assert_clean(code, err)
    assert code == status, (args, code, err)
    assert "Fix:" in err or "Error:" in err, err
    for f in fragments:
        assert f in err, (f, err)
    return err


# --------------------------------------------------------------------------- memory bounds

def test_positions_table_refuses_what_no_terminal_shows():
    # Before: 4.7 million rows as a rich table ran for more than ten minutes.
    err = refused(("positions", "--all", "--start", T0, "--hours", "8784", "--step", "60",
                   "--format", "table"), "rows", "--format csv")
    assert "4,743,369" in err


def test_coverage_refuses_absurd_step_counts_before_any_work():
    # Before: a month every 0.01 s ran for more than five minutes (an hour of CPU), silent
    # off a terminal. 744 h / 0.01 s + 1 = 267,840,001 steps x 8,191 cells (Pakistan at
    # 0.1 deg) = 2,193,877,448,191 cell-steps; 0.01 s x 2.19 rounded up = 0.022 s fits.
    status, out, err = run_cli("coverage", "PRSS-1", "--start", T0, "--hours", "744",
                               "--step", "0.01")
    assert status == 2 and out == ""
    assert err.splitlines()[-2:] == [
        "orbitview: error: --hours 744 every 0.01 s is 267,840,001 time steps x 8,191 cells = "
        "2,193,877,448,191 cell-steps, more than the 1,000,000,000,000 a coverage run is "
        "bounded by (a year every 10 s over Pakistan at 0.02 deg is 645,933,171,224).",
        "Fix: give --step 0.022 or more (the default is 10 s), a shorter --hours, or a coarser "
        "--resolution."]
    err = refused(("coverage", "PRSS-1", "--access", "radio", "--start", T0, "--days", "366",
                   "--step", "0.1"), "--days 366 every 0.1 s is 316,224,001 time steps",
                  "(the default is 30 s), a shorter --days")
    # export coverage runs the same engine through the same bound.
    refused(("export", "coverage", "PRSS-1", "--start", T0, "--hours", "744", "--step", "0.01",
             "-o", "never.geojson"), "--hours 744 every 0.01 s is 267,840,001 time "
            "steps x 8,191 cells", "Fix: give --step 0.022 or more")


def test_export_coverage_refuses_a_grid_no_gis_tool_opens(tmp_path):
    # Before: 6.5 million cells of 0.1 deg over the world grew to 5.7 GB and died with
    # "unexpected SystemError" after four minutes.
    out = tmp_path / "cells.geojson"
    refused(("export", "coverage", "PRSS-1", "--start", T0, "--hours", "1",
                   "--region", "-180,180,-90,90", "--resolution", "0.1", "-o", str(out)),
                  "6,480,000 cells", "--resolution 0.51")
    assert not out.exists()


def test_map_refuses_a_page_too_large_to_open(tmp_path):
    # Before: every satellite for a week every second wrote a 284 MB page (2.9 GB in memory).
    out = tmp_path / "big.html"
    refused(("map", "--all", "--start", T0, "--hours", "168", "--step", "1", "-o",
                   str(out)), "9 satellites", "5,443,209 samples", "--step 5.5")
    assert not out.exists()


def test_export_counts_the_satellites_all_selects(tmp_path):
    # Before: --all was counted as 20 satellites, so the message named a wrong figure.
    # 9 satellites with element sets x 302,401 times (a week every 2 s) = 2,721,609 samples.
    err = refused(("export", "tracks", "--all", "--start", T0, "--hours", "168", "--step", "2",
                   "-o", str(tmp_path / "all.czml")), "9 satellites", "2,721,609 samples")
    assert "20 satellites" not in err


def test_map_coverage_layer_refuses_a_grid_too_large(tmp_path, monkeypatch):
    import orbitview.products.export.records as records
    monkeypatch.setattr(records, "MAX_CELLS", 3)
    grid = tmp_path / "cells.csv"
    grid.write_text("lat_deg,lon_deg,coverage_percent,accesses,max_gap_min,mean_gap_min\n"
                    + "30,70,1,1,1,1\n" * 4)
    refused(("map", "PRSS-1", "--start", T0, "--hours", "1", "--coverage", str(grid),
                   "-o", str(tmp_path / "m.html")), "more than 3 cells", str(grid))
    assert not (tmp_path / "m.html").exists()


def test_animate_refuses_frames_that_would_not_fit_in_memory(tmp_path, monkeypatch):
    # Before: 1,981 frames at 600 dpi ran out of memory after the work had started.  Frames
    # are written as they are drawn now, so what must fit is one frame's working copies.
    monkeypatch.setenv("ORBITVIEW_MEMORY_GIB", "0.1")
    out = tmp_path / "a.gif"
    refused(("animate", "PRSS-1", "--start", T0, "--hours", "1", "--step", "30", "--dpi",
             "600", "-o", str(out)), "121 frames", "GiB of memory")
    assert not out.exists()


def test_animation_memory_does_not_grow_with_its_frames(catalog, tmp_path):
    """Frames are written as they are drawn: the memory a GIF needs is that of one frame,
    for 16 frames as for 61 (before: Pillow held every frame until the file was written)."""
    import datetime as dt

    from orbitview.products.animate import Animation, frames_for, memory_bytes, write_gif
    start = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)
    peaks = {}
    for hours in (0.5, 2.0):
        movie = Animation(frames_for([catalog.resolve("PRSS-1")], start, hours, 120.0), None)
        tracemalloc.start()
        try:
            write_gif(movie, tmp_path / f"{hours}.gif", 10.0)
            peaks[len(movie)] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            movie.close()
        # Within the budget the command checks, whatever the number of frames.
        assert peaks[len(movie)] < memory_bytes(movie, gif=True)
    (n1, p1), (n2, p2) = sorted(peaks.items())
    assert (n1, n2) == (16, 61)
    assert p2 < 1.1 * p1, peaks
# --------------------------------------------------------------------------- silent answers

@pytest.mark.parametrize("args", [
    ("map", "PRSS-1", "--hours", "1", "-o", "{tmp}/m.html"),
    ("export", "tracks", "PRSS-1", "--hours", "1", "-o", "{tmp}/t.geojson"),
    ("animate", "PRSS-1", "--hours", "0.1", "-o", "{tmp}/a.gif"),
])
def test_views_say_when_a_satellite_had_not_launched(args, tmp_path):
    # Before: map, export and animate drew PRSS-1 in 2017 without a word.
    args = [a.replace("{tmp}", str(tmp_path)) for a in args] + ["--start", BEFORE_PRSS1]
    status, out, err = run_cli(*args)
    assert status == 0, err
    assert "PRSS-1 had not launched by" in err and "2018-07-09" in err, err


@pytest.mark.parametrize("option, value", [("--site", "Islamabad"), ("--target", "Lahore"),
                                           ("--region", "60,80,20,40"),
                                           ("--resolution", "0.5"), ("--metric", "max-gap"),
                                           ("--max-off-nadir", "20")])
def test_export_refuses_options_its_kind_does_not_use(option, value, tmp_path):
    # Before: 'export tracks --site Islamabad' wrote tracks and ignored the site.
    out = tmp_path / "t.geojson"
    refused(("export", "tracks", "PRSS-1", "--start", T0, "--hours", "1", option, value,
             "-o", str(out)), option, "export tracks")
    assert not out.exists()


def test_launches_refuses_since_after_until():
    # Before: an empty table and exit status 0.
    refused(("launches", "--since", "2018", "--until", "2010"), "--since", "--until")


@pytest.mark.parametrize("text", ["+99999999d", "-99999999999h"])
def test_relative_times_beyond_the_calendar_are_usage_errors(text):
    # Before: "unexpected OverflowError: date value out of range", exit status 1.
    refused(("passes", "PRSS-1", "--site", "Islamabad", "--start", text), repr(text))


def test_superscript_digits_are_not_a_catalog_number(tmp_path):
    # Before: '²' passed str.isdigit() and int('²') raised "unexpected ValueError".
    tle = tmp_path / "iss.tle"
    tle.write_text("ISS (ZARYA)\n"
                   "1 25544U 98067A   26150.51748228  .00011776  00000+0  21767-3 0  9998\n"
                   "2 25544  51.6337  27.5746 0007245 114.7080 245.4664 15.49496548569014\n")
    status, out, err = run_cli("positions", "\u00b2", "--start", T0, "--hours", "0",
                               "--elements", str(tle))
    assert_clean(status, err)
    assert status in (1, 2) and "\u00b2" in err and "Fix:" in err, err


def test_map_coverage_grid_that_is_not_utf8_names_file_and_line(tmp_path):
    # Before: "unexpected UnicodeDecodeError" and exit status 1 with no file named.
    grid = tmp_path / "cells.csv"
    grid.write_bytes(b"lat_deg,lon_deg,coverage_percent,accesses,max_gap_min,mean_gap_min\n"
                     b"30,70,1,1,1,1\n\xff\xfe,70,1,1,1,1\n")
    refused(("map", "PRSS-1", "--start", T0, "--hours", "1", "--coverage", str(grid),
                   "-o", str(tmp_path / "m.html")), f"{grid}:3: not UTF-8 text", "\\xff\\xfe",
                  status=1)
    assert not (tmp_path / "m.html").exists()


def test_map_tonight_uses_the_site_given(tmp_path):
    # Before: 'map --start tonight --site Lahore' said tonight "needs a site" (the repeatable
    # --site of map was not seen); tonight in Lahore begins at local sunset.
    status, out, err = run_cli("map", "PRSS-1", "--start", "tonight", "--site", "Lahore",
                               "--hours", "1", "-o", str(tmp_path / "m.html"))
    assert status == 0, err
    assert "--start tonight read in Asia/Karachi (PKT, UTC+05:00), the zone of Lahore" in err


def test_a_site_given_twice_lists_its_passes_once(tmp_path):
    # Before: every pass over Islamabad was written twice.
    import csv
    out = tmp_path / "p.csv"
    status, _, err = run_cli("export", "passes", "PRSS-1", "--start", T0, "--hours", "24",
                             "--site", "Islamabad", "--site", "Islamabad", "--access", "radio",
                             "-o", str(out))
    assert status == 0, err
    assert "--site Islamabad is given more than once; it is used once" in err
    rows = list(csv.DictReader(out.open()))
    keys = [(r["norad_id"], r["aos_utc"]) for r in rows]
    assert rows and len(keys) == len(set(keys)), keys
