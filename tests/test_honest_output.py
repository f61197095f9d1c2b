"""No false precision: when where on its orbit a satellite is cannot be said (its 90 % bound
is phase lost, orbitview.orbit.accuracy), no answer presents its position or a time as a
fact.  Tables say 'unknown (elements N d old)', CSV and JSON keep the numbers with
``phase_lost`` and the bounds beside them, maps draw no marker, calendars say so in the
title or leave the event out with a note event, the sky plot refuses.

Reference cases, all on the bundled data (data/tles, data/launches.csv):

- PakSat-1R (37779): newest set 2026-05-30, its record says 'retired (graveyard orbit)':
  phase lost at 2026-11-21 (175 days) and 2026-12-01 (185 days), whatever its age says;
- HS-1 (66054): newest set 2026-06-26: phase lost at 2026-11-21 (147 days) and
  2026-12-01 (157 days) (its 90 % timing bound passes a quarter orbit, 24 min);
- PRSS-1 (43530): same epoch, 147 days at 2026-11-21 but ±17 min: stale, not lost;
- PRSC-EO1 (62725): newest set 2026-09-06: ±1 s at 2026-09-07 (fresh, numbers stay),
  ±16 min at 2026-12-01 (stale, not lost).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import numpy as np
import pytest
from conftest import run_cli

import orbitview as ov

UTC = dt.timezone.utc
NOV21 = "2026-11-21T06:00:00Z"
DEC01 = "2026-12-01T06:00:00Z"
FRESH = "2026-09-07T06:00:00Z"
LOST = ("PakSat-1R", "HS-1")


def _t(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch):
    """Tables as a 220-column terminal draws them: no column left out to fit."""
    monkeypatch.setenv("COLUMNS", "220")


def _cli(*args):
    status, out, err = run_cli(*args)
    assert status == 0, err
    return out, err


def _csv(*args) -> list[dict]:
    out, _ = _cli(*args, "--format", "csv")
    return list(csv.DictReader(io.StringIO(out)))


def _flag(text: str) -> bool:
    """A CSV boolean ('True' / 'False')."""
    assert text in ("True", "False"), text
    return text == "True"


def _legend(fig, ax) -> list[str]:
    """The legend entries, as one line each (the layout wraps long ones)."""
    legend = ax.get_legend()
    texts = legend.get_texts() if legend else [t for lg in fig.legends for t in lg.get_texts()]
    return [" ".join(t.get_text().split()) for t in texts]


def _lines_of(table: str, name: str) -> list[str]:
    """The table rows (not the caption) of satellite ``name``."""
    return [line for line in table.splitlines()
            if line.startswith(("\u2502", "|")) and f" {name} " in line]


# --------------------------------------------------------------------------- the premise

@pytest.mark.parametrize("name, at, lost", [
    ("PakSat-1R", NOV21, True), ("PakSat-1R", DEC01, True), ("HS-1", NOV21, True),
    ("HS-1", DEC01, True), ("PRSS-1", NOV21, False), ("PRSC-EO1", DEC01, False),
    ("PRSC-EO1", FRESH, False)])
def test_reference_cases_are_what_the_tests_assume(catalog, name, at, lost):
    bound = ov.error_bound(catalog.resolve(name), _t(at))
    assert bound.phase_lost is lost


def test_the_moved_record_is_read_from_the_bound_as_accuracy_writes_it(catalog):
    """Views that hold only a bound (the web map) read 'moved' from its basis: this fails
    loudly if orbitview.orbit.accuracy words it differently."""
    from orbitview.products.unknowns import moved_status, unknown_text
    bound = ov.error_bound(catalog.resolve("PakSat-1R"), _t(NOV21))
    assert moved_status(None, bound) == "retired (graveyard orbit)"
    assert unknown_text(bound) == "unknown (moved; elements 175 d old)"
    hs1 = ov.error_bound(catalog.resolve("HS-1"), _t(NOV21))
    assert moved_status(None, hs1) == ""
    assert unknown_text(hs1) == "unknown (elements 147 d old)"


def test_a_time_before_the_epoch_is_said_as_such():
    """HS-1 on 2025-10-20, a day after its launch: its only set is of 2026-06-26, 250 days
    later, so its position is unknown then too, and the table does not call the set old."""
    out, _ = _cli("passes", "HS-1", "--site", "Islamabad", "--start", "2025-10-20T00:00Z",
                  "--access", "radio")
    [line] = _lines_of(out, "HS-1")
    assert "unknown (elements 250 d after this time)" in line


# --------------------------------------------------------------------------- now

def test_now_says_unknown_where_the_position_is_unknown():
    out, err = _cli("now", *LOST, "PRSC-EO1", "--site", "Lahore", "--at", DEC01)
    api = ov.now([*LOST, "PRSC-EO1"], DEC01, "Lahore")
    rows = {r["name"]: r for r in api}
    for name, words in (("PakSat-1R", "unknown (moved; elements 185 d old)"),
                        ("HS-1", "unknown (elements 157 d old)")):
        [line] = _lines_of(out, name)
        assert words in line
        r = rows[name]
        assert r["phase_lost"] is True
        # No sub-point, place, sky position or next pass as a fact.
        assert f"{abs(r['lat_deg']):.2f}°" not in line and r["over"] not in line
        assert f"{r['elevation_deg']:.1f}°" not in line
        assert "always up" not in line and line.count("unknown") >= 5
    [line] = _lines_of(out, "PRSC-EO1")
    r = rows["PRSC-EO1"]
    assert r["phase_lost"] is False and "unknown" not in line
    assert f"{abs(r['lat_deg']):.2f}°" in line and f"{r['elevation_deg']:.1f}°" in line
    # Three stale sets: one line for all, which says what 'unknown' leaves out.
    assert "so no place, sky position or pass time is shown for it" in err


def test_now_csv_and_json_keep_the_numbers_with_the_flag_and_the_bound():
    api = ov.now([*LOST, "PRSC-EO1"], DEC01, "Lahore")
    assert {"phase_lost", "position_bound_km", "timing_bound_s"} <= set(api.columns)
    got = _csv("now", *LOST, "PRSC-EO1", "--site", "Lahore", "--at", DEC01)
    assert [r["name"] for r in got] == [r["name"] for r in api]
    for mine, row in zip(got, api):
        assert _flag(mine["phase_lost"]) is row["phase_lost"]
        assert float(mine["lat_deg"]) == pytest.approx(row["lat_deg"])
        assert float(mine["position_bound_km"]) == pytest.approx(row["position_bound_km"])
    js = json.loads(_cli("now", *LOST, "PRSC-EO1", "--site", "Lahore", "--at", DEC01,
                         "--format", "json")[0])
    assert [r["phase_lost"] for r in js] == [True, True, False]
    assert all(r["lat_deg"] is not None and r["elevation_deg"] is not None for r in js)
    hs1 = next(r for r in js if r["name"] == "HS-1")
    assert hs1["timing_bound_s"] is not None and hs1["position_bound_km"] > 0


def test_now_of_a_fresh_set_shows_every_number():
    out, _ = _cli("now", "PRSC-EO1", "--site", "Lahore", "--at", FRESH)
    [row] = ov.now("PRSC-EO1", FRESH, "Lahore").rows
    assert row["phase_lost"] is False
    [line] = _lines_of(out, "PRSC-EO1")
    assert "unknown" not in line and row["over"] in line


# --------------------------------------------------------------------------- passes

def test_passes_of_a_moved_geo_satellite_do_not_say_always_up():
    out, err = _cli("passes", "PakSat-1R", "--site", "Lahore", "--start",
                    "2026-12-01T00:00Z")
    assert "always up" not in out and "50.91" not in out + err and "53.3" not in out
    [line] = _lines_of(out, "PakSat-1R")
    assert "unknown (moved; elements 185 d old)" in line
    assert "whether it is in view is unknown" in out
    table = ov.passes("PakSat-1R", "Lahore", "2026-12-01T00:00Z")
    [geo] = [n for n in table.notes if n.kind == "geo"]
    assert "elevation 50.91" not in geo.text
    assert "its record says 'retired (graveyard orbit)'" in geo.text
    assert "whether it is visible from Lahore (elevation >= 10°) is unknown" in geo.text
    assert err.count("whether it is visible from Lahore") == 1      # said once
    # The CSV keeps SGP4's row, flagged, with the bound beside it.
    [row] = _csv("passes", "PakSat-1R", "--site", "Lahore", "--start", "2026-12-01T00:00Z")
    assert _flag(row["phase_lost"]) and float(row["max_elevation_deg"]) > 50
    assert float(row["position_bound_km"]) > 60_000


def test_a_fresh_geo_satellite_still_gets_its_elevation_range():
    table = ov.passes("PakSat-MM1", "Lahore", "2026-12-01T00:00Z")
    [geo] = [n for n in table.notes if n.kind == "geo"]
    assert "continuously visible" in geo.text and "elevation" in geo.text
    assert table.rows[0]["phase_lost"] is False


def test_passes_of_a_phase_lost_leo_list_no_times():
    args = ("passes", "HS-1", "PRSS-1", "--site", "Lahore", "--start", "2026-11-21T00:00Z",
            "--access", "radio")
    out, _ = _cli(*args)
    table = ov.passes(["HS-1", "PRSS-1"], "Lahore", "2026-11-21T00:00Z", access="radio")
    hs1 = [r for r in table if r["name"] == "HS-1"]
    prss = [r for r in table if r["name"] == "PRSS-1"]
    assert len(hs1) >= 2 and all(r["phase_lost"] for r in hs1)
    assert prss and not any(r["phase_lost"] for r in prss)
    clock = table.meta["clock"]
    [line] = _lines_of(out, "HS-1")              # one row for all its passes
    assert "unknown (elements 148 d old)" in line
    for r in hs1:                                # none of its times, to the minute
        assert f"{clock.local(r['aos_utc']):%H:%M}" not in line
        assert f"{r['aos_utc']:%H:%M:%S}" not in out
    assert f"its {len(hs1)} passes are not shown" in out
    for r in prss:                               # the others keep theirs
        assert f"{clock.local(r['aos_utc']):%H:%M}" in out
    # Known passes first, in time order; the unknown row last.
    names = [ln.split()[1] for ln in out.splitlines() if ln.startswith("│")]
    assert names[-1] == "HS-1" and set(names[:-1]) == {"PRSS-1"}
    # CSV: every pass, the numbers kept, flagged; the same rows as the API.
    got = _csv(*args)
    assert len(got) == len(table)
    for mine, row in zip(got, table):
        assert _t(mine["aos_utc"]) == row["aos_utc"]
        assert _flag(mine["phase_lost"]) is row["phase_lost"]
        assert mine["timing_bound_s"] and mine["position_bound_km"]


# --------------------------------------------------------------------------- look

def test_look_of_a_moved_satellite_gives_no_angles():
    out, err = _cli("look", "PakSat-1R", "--site", "Karachi", "--at", NOV21)
    result = ov.look("PakSat-1R", "Karachi", NOV21)
    row = result.row
    assert row["phase_lost"] is True
    lines = {ln.split()[0]: ln for ln in out.splitlines()[2:5]}
    assert lines["azimuth"].split()[1] == "unknown:"
    assert "its record says 'retired (graveyard orbit)'" in lines["azimuth"]
    assert "elements 175 days old" in lines["azimuth"]
    assert lines["elevation"].split()[1] == "unknown"
    assert lines["range"].split()[1] == "unknown"
    for value in (f"{row['azimuth_deg']:.3f}", f"{row['elevation_deg']:.3f}",
                  f"{row['range_km']:.1f}", f"{row['pointing_bound_deg']:.2f} deg"):
        assert value not in out
    [stale] = [n for n in result.notes if n.kind == "stale"]
    assert "pointing" not in stale.text and "are unknown" in stale.text
    assert f"orbitview: warning: {stale.text}" in err
    assert "unknown" in result.summary()
    js = json.loads(_cli("look", "PakSat-1R", "--site", "Karachi", "--at", NOV21,
                         "--format", "json")[0])
    assert js[0]["phase_lost"] is True
    assert js[0]["azimuth_deg"] == row["azimuth_deg"]              # the numbers, kept
    assert js[0]["position_bound_km"] == row["position_bound_km"]


def test_look_of_a_fresh_set_gives_its_angles():
    out, _ = _cli("look", "PRSC-EO1", "--site", "Karachi", "--at", FRESH)
    row = ov.look("PRSC-EO1", "Karachi", FRESH).row
    assert row["phase_lost"] is False
    assert f"{row['azimuth_deg']:9.3f} deg" in out and "unknown" not in out


# --------------------------------------------------------------------------- opportunities

OPPS = ("HS-1", "PRSC-EO1")
OPPS_ARGS = ("opportunities", *OPPS, "--target", "Gwadar", "--start", "2026-11-21T00:00Z",
             "--days", "7")


@pytest.fixture(scope="module")
def opps():
    return ov.opportunities(list(OPPS), "Gwadar", "2026-11-21T00:00Z", days=7)


def test_opportunities_give_no_time_where_it_is_unknown(opps):
    hs1 = [r for r in opps if r["name"] == "HS-1"]
    eo1 = [r for r in opps if r["name"] == "PRSC-EO1"]
    assert hs1 and all(r["phase_lost"] for r in hs1)
    assert eo1 and not any(r["phase_lost"] for r in eo1)
    out, _ = _cli(*OPPS_ARGS)
    [line] = _lines_of(out, "HS-1")
    assert "unknown (elements 1" in line and "d old)" in line
    for r in hs1:
        assert f"{r['time_utc']:%m-%d %H:%M}" not in out
    for r in eo1:
        assert f"{r['time_utc']:%m-%d %H:%M:%S}" in out
    assert f"its {len(hs1)} opportunit" in out


def test_opportunity_rows_carry_the_flag_and_the_bounds(opps):
    assert {"phase_lost", "position_bound_km", "timing_bound_s"} <= set(opps.columns)
    got = _csv(*OPPS_ARGS)
    assert len(got) == len(opps)
    for mine, row in zip(got, opps):
        # the numbers kept (the CSV gives whole seconds)
        assert abs((_t(mine["time_utc"]) - row["time_utc"]).total_seconds()) < 1
        assert _flag(mine["phase_lost"]) is row["phase_lost"]
        assert float(mine["position_bound_km"]) == pytest.approx(row["position_bound_km"])
        assert float(mine["timing_bound_s"]) == pytest.approx(row["timing_bound_s"])
    frame = opps.to_dataframe()
    assert frame["phase_lost"].dtype == bool


def test_fresh_opportunities_keep_their_times():
    fresh = ov.opportunities("PRSC-EO1", "Gwadar", "2026-09-06T06:00Z", days=5)
    assert len(fresh) and not any(r["phase_lost"] for r in fresh)
    out, _ = _cli("opportunities", "PRSC-EO1", "--target", "Gwadar", "--start",
                  "2026-09-06T06:00Z", "--days", "5")
    assert "unknown" not in "".join(_lines_of(out, "PRSC-EO1"))
    assert f"{fresh.rows[0]['time_utc']:%m-%d %H:%M:%S}" in out


# --------------------------------------------------------------------------- sky

def test_sky_refuses_to_draw_a_pass_whose_time_is_unknown(tmp_path):
    path = tmp_path / "sky.png"
    status, out, err = run_cli("sky", "HS-1", "--site", "Lahore", "--start",
                               "2026-11-21T00:00Z", "-o", str(path))
    assert status == 0, err                      # an answer, as 'no pass' is
    assert not path.exists() and out == ""
    assert "the next pass of HS-1 over Lahore" in err and "cannot be drawn" in err
    assert "Fix: 'orbitview tle update 66054' when online" in err
    assert "no file was written" in err
    fig = ov.sky_plot("HS-1", "Lahore", "2026-11-21T00:00Z")
    assert not fig and fig.meta["pass"] is None
    [note] = [n for n in fig.notes if n.kind == "unknown"]
    assert note.text in err


def test_sky_of_a_fresh_set_draws_the_pass(tmp_path):
    path = tmp_path / "sky.png"
    status, _, err = run_cli("sky", "PRSC-EO1", "--site", "Lahore", "--start", FRESH,
                             "-o", str(path))
    assert status == 0, err
    assert path.exists() and path.stat().st_size > 10_000


def test_pass_table_plot_refuses_a_row_whose_time_is_unknown():
    table = ov.passes(["HS-1", "PRSS-1"], "Lahore", "2026-11-21T00:00Z", access="radio")
    lost = next(k for k, r in enumerate(table) if r["phase_lost"])
    with pytest.raises(ov.UsageError) as e:
        table.plot(lost)
    assert "cannot be drawn" in str(e.value) and "Fix:" in str(e.value)
    fig = table.plot()                           # the first pass whose time is known
    assert "PRSS-1" in " ".join(t.get_text() for t in fig.texts)


# --------------------------------------------------------------------------- maps

def _colour(fig_prop_names, name):
    from orbitview.products.maps import COLOURS
    return COLOURS[fig_prop_names.index(name) % len(COLOURS)]


def _markers(ax, colour):
    """Lines on the map drawn with a marker in ``colour`` (a satellite's position)."""
    from matplotlib.colors import same_color
    return [ln for ln in ax.lines if ln.get_marker() not in (None, "", "None")
            and same_color(ln.get_color(), colour)]


@pytest.fixture(scope="module")
def track():
    return ov.track_map(["HS-1", "PRSS-1", "PakSat-1R", "PakSat-MM1"], NOV21)


def test_track_map_draws_no_marker_where_the_position_is_unknown(track):
    fig, prop = track.figure, track.propagation
    ax = fig.axes[0]
    names = list(prop.names)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "satellite-label"]
    assert sorted(labels) == ["PRSS-1", "PakSat-MM1"]
    for name in LOST:
        colour = _colour(names, name)
        assert _markers(ax, colour) == []
        faint = [ln for ln in ax.lines if ln.get_gid() == "track-position-unknown"
                 and ln.get_color() == colour]
        assert faint and all(ln.get_alpha() < 0.6 for ln in faint)
    for name in ("PRSS-1", "PakSat-MM1"):
        [marker] = _markers(ax, _colour(names, name))
        i = names.index(name)
        j = int(np.argmin([abs((t - _t(NOV21)).total_seconds()) for t in prop.times_utc]))
        assert marker.get_ydata()[0] == pytest.approx(prop.lat_deg[i, j])
    legend = _legend(fig, ax)
    assert "HS-1 (66054): position unknown (elements 147 d old)" in legend
    assert "PakSat-1R (37779): position unknown (moved; elements 175 d old)" in legend
    # A moved geostationary satellite: the band right round the Earth it may be in.
    assert [ln for ln in ax.lines if ln.get_gid() == "band-position-unknown"
            and ln.get_color() == _colour(names, "PakSat-1R")]


def test_track_map_pixels_hold_no_marker_of_a_lost_satellite(track, tmp_path):
    """The drawn image: HS-1's colour nowhere at full strength around where SGP4 puts it
    (its faint track is lighter), PRSS-1's marker at its position."""
    from matplotlib.colors import to_rgb
    fig, prop = track.figure, track.propagation
    ax = fig.axes[0]
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[:, :, :3].astype(int)
    h = rgb.shape[0]
    j = int(np.argmin([abs((t - _t(NOV21)).total_seconds()) for t in prop.times_utc]))
    names = list(prop.names)

    def around(name, r=4):
        i = names.index(name)
        x, y = ax.projection.transform_point(prop.lon_deg[i, j], prop.lat_deg[i, j],
                                             __import__("cartopy.crs").crs.PlateCarree())
        px, py = ax.transData.transform((x, y))
        row, col = int(round(h - py)), int(round(px))
        want = np.round(np.array(to_rgb(_colour(names, name))) * 255).astype(int)
        patch = rgb[row - r:row + r + 1, col - r:col + r + 1]
        return (np.abs(patch - want).max(axis=2) <= 6).sum()

    assert around("PRSS-1") >= 20                 # its marker, in its colour
    assert around("HS-1") == 0                    # no marker


def test_footprint_map_draws_no_footprint_where_the_position_is_unknown():
    fp = ov.footprints(["HS-1", "PRSC-EO1"], NOV21, access="radio")
    assert [r["phase_lost"] for r in fp] == [True, False]
    fig = fp.plot(region="world")
    ax = fig.axes[0]
    names = [r["name"] for r in fp]
    assert _markers(ax, _colour(names, "HS-1")) == []
    assert [ln for ln in ax.lines if ln.get_color() == _colour(names, "HS-1")] == []
    assert len(_markers(ax, _colour(names, "PRSC-EO1"))) == 1
    legend = _legend(fig, ax)
    assert any("HS-1: position unknown (elements 147 d old); footprint not drawn" in t
               for t in legend)


def test_animation_frames_draw_no_marker_trail_or_footprint_of_a_lost_satellite(catalog):
    from orbitview.access.rules import VisibilityRule
    from orbitview.products.animate import Animation, frames_for
    frames = frames_for(catalog.resolve_many(["HS-1", "PRSS-1"]), _t(NOV21), 0.25, 60.0,
                        VisibilityRule(10.0))
    movie = Animation(frames)
    try:
        hs1, prss = movie.sats
        assert movie.lost[0].all() and not movie.lost[1].any()
        for k in (0, len(movie) - 1):
            movie.frame(k)
            assert len(hs1["marker"].get_xdata()) == 0
            assert hs1["trail"].get_segments() == [] and hs1["label_at"] is None
            assert hs1["footprint"].get_segments() == []
            assert len(prss["marker"].get_xdata()) == 1
        legend = _legend(movie.fig, movie.ax)
        assert "HS-1 (66054): position unknown (elements 147 d old)" in legend
        assert any(ln.get_gid() == "track-position-unknown" for ln in movie.ax.lines)
    finally:
        movie.close()


def test_web_map_page_data_says_where_the_position_is_unknown(tmp_path):
    path = tmp_path / "map.html"
    _cli("map", "HS-1", "PRSS-1", "PakSat-1R", "--start", "2026-11-21T00:00Z", "--hours", "6",
         "--site", "Lahore", "--access", "radio", "-o", str(path))
    text = path.read_text(encoding="utf-8")
    start = text.index('id="orbitview-data"')
    data = json.loads(text[text.index(">", start) + 1:text.index("</script>", start)])
    sats = {s["name"]: s for s in data["satellites"]}
    assert all(sats["HS-1"]["bounds"]["phase_lost"])
    assert sats["HS-1"]["bounds"]["unknown"][0] == "unknown (elements 147 d old)"
    assert sats["PakSat-1R"]["bounds"]["unknown"][0].startswith("unknown (moved; ")
    assert not any(sats["PRSS-1"]["bounds"]["phase_lost"])
    [site] = data["sites"]
    # As 'orbitview passes' prints them: one row after the others, no time, no elevation.
    [hs1] = [p for p in site["passes"] if p["name"] == "HS-1"]
    assert site["passes"][-1] is not None and site["passes"][-1]["name"] == "HS-1"
    assert hs1["unknown"] and hs1["count"] >= 1 and hs1["tca_ms"] is None
    assert hs1["table"]["aos"] == "unknown (elements 147 d old)"
    assert hs1["table"]["max_el"] == "" and hs1["max_elevation_deg"] is None
    assert all(not p["unknown"] and ":" in p["table"]["aos"]
               for p in site["passes"] if p["name"] == "PRSS-1")
    [geo] = [n for n in site["notes"] if "PakSat-1R" in n]
    assert "is unknown" in geo and "elevation 5" not in geo


def test_web_map_shows_no_marker_of_a_lost_satellite(browser_page, tmp_path):
    path = tmp_path / "map.html"
    _cli("map", "HS-1", "PRSS-1", "PakSat-1R", "--start", "2026-11-21T00:00Z", "--hours", "2",
         "-o", str(path))
    page = browser_page.open(path)
    assert browser_page.errors == []
    state = page.evaluate("() => window.orbitview.satellites.map(s => [s.name, s.lost(), "
                          "Boolean(s.marker._map), s.footprint ? "
                          "s.footprint.getLatLngs().flat(4).length : 0])")
    assert state[0] == ["HS-1", True, False, 0]           # no marker, no footprint
    assert state[2] == ["PakSat-1R", True, False, 0]
    assert state[1][:3] == ["PRSS-1", False, True] and state[1][3] > 10
    assert page.locator(".sat-icon .name").all_inner_texts() == ["PRSS-1"]
    legend = page.locator("#legend").inner_text()
    assert "position unknown (elements 147 d old)" in legend
    assert "position unknown (moved; elements 175 d old)" in legend
    assert page.locator("path.track-unknown").count() >= 2


# --------------------------------------------------------------------------- calendars

def _events(ics: str):
    from icalendar import Calendar
    return [c for c in Calendar.from_ical(ics).walk() if c.name == "VEVENT"]


def test_pass_calendar_titles_name_stale_elements_and_leave_unknown_times_out():
    args = ("passes", "HS-1", "PRSS-1", "--site", "Lahore", "--start", "2026-11-21T00:00Z",
            "--access", "radio")
    table = ov.passes(["HS-1", "PRSS-1"], "Lahore", "2026-11-21T00:00Z", access="radio")
    events = _events(_cli(*args, "--format", "ics")[0])
    starts = {e.decoded("dtstart") for e in events}
    prss = [e for e in events if str(e["summary"]).startswith("PRSS-1 pass")]
    assert len(prss) == sum(r["name"] == "PRSS-1" for r in table)
    for e in prss:
        assert str(e["summary"]).endswith(" d old, \u00b117 min)") or \
            str(e["summary"]).endswith(" d old, \u00b118 min)")
        assert "(elements 14" in str(e["summary"])
    hs1 = [r for r in table if r["name"] == "HS-1"]
    assert not {r["aos_utc"] for r in hs1} & starts          # no event at a guessed time
    [note] = [e for e in events if str(e["summary"]).startswith("HS-1")]
    assert str(note["summary"]) == f"HS-1: {len(hs1)} passes, times unknown (elements 148 d old)"
    assert note.decoded("dtstart") == table.meta["start"]
    assert note.decoded("dtend") == table.meta["end"]
    assert "left out of this calendar" in str(note["description"])


def test_fresh_pass_calendar_titles_are_unchanged():
    events = _events(_cli("passes", "PRSC-EO1", "--site", "Lahore", "--start", FRESH,
                          "--access", "radio", "--format", "ics")[0])
    assert events and all(str(e["summary"]).startswith("PRSC-EO1 pass, max ")
                          and "elements" not in str(e["summary"]) for e in events)


def test_opportunity_calendar_titles_and_left_out_times(opps):
    events = _events(_cli(*OPPS_ARGS, "--format", "ics")[0])
    eo1 = [e for e in events if str(e["summary"]).startswith("PRSC-EO1 can image")]
    assert len(eo1) == sum(r["name"] == "PRSC-EO1" for r in opps)
    assert all("(elements 8" in str(e["summary"]) and "\u00b11" in str(e["summary"])
               for e in eo1)
    hs1 = [r for r in opps if r["name"] == "HS-1"]
    [note] = [e for e in events if str(e["summary"]).startswith("HS-1")]
    assert str(note["summary"]).startswith(
        f"HS-1: {len(hs1)} imaging opportunit{'ies' if len(hs1) != 1 else 'y'}, times unknown")
    assert not {r["start_utc"] for r in hs1} & {e.decoded("dtstart") for e in events}
