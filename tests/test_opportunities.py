"""Imaging opportunities against a brute-force scan of the same rule, plus the physics
users rely on (no optical image in darkness, morning sun-synchronous satellites image on
descending passes) and the command's outputs and errors."""

import datetime as dt
import json

import numpy as np
import pytest
from conftest import run_cli

from orbitview.access.imaging import imaging_rule
from orbitview.access.opportunities import find_opportunities, opportunities
from orbitview.access.rules import RuleBySatellite, sun_unit_itrs
from orbitview.data.sensors import load_sensors
from orbitview.data.targets import area_target, parse_target
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 6, tzinfo=UTC)      # PRSC-EO1, PRSC-S1, EO3 sets < 1 day old
EDGE_TOLERANCE_S = 1.5
"""The brute force samples every second; the search bisects to 0.1 s: 1 s plus margin."""


@pytest.fixture(scope="module")
def sensors(catalog):
    return load_sensors(catalog)


def _brute_force(sat, target, start, days, rule, step_s=1.0):
    """Every second: the rule at every point of the target, from orbitview's propagate
    (an independent path from the search's TEME window) and the Sun at each second."""
    t = time_grid(start, start + dt.timedelta(days=days), step_s)
    prop = propagate([sat], t)
    pos = prop.itrs_km[:, 0, :]
    sun = sun_unit_itrs(t) if rule.needs_sun else None
    pts, enu = target.itrs_km, target.enu
    m = np.stack([rule.margin_deg_at(pos, pts[:, k:k + 1], enu[:, :, k:k + 1], sun)
                  for k in range(pts.shape[1])], axis=1)
    inside = m >= 0
    any_in = inside.any(axis=1)
    edges = np.diff(np.r_[0, any_in.astype(np.int8), 0])
    runs = list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1))
    return [(start + dt.timedelta(seconds=a * step_s), start + dt.timedelta(seconds=b * step_s),
             inside[a:b + 1].any(axis=0)) for a, b in runs]


ABEAM_TOLERANCE_S = 0.05
"""The brute force interpolates the along-track angle linearly between whole seconds (its
curvature over a second moves the zero by under 0.01 s); the search bisects to 0.01 s."""
EDGE_MARGIN_DEG = 0.01
"""Abeam instants this close to the incidence window's edge may fall either way."""


def _brute_force_abeam(sat, target, start, days, rule, step_s=1.0):
    """A side-looking radar, every second: the instants the point is abeam (the along-track
    angle, from orbitview's propagate and velocities by central differences, falls through
    zero; linear interpolation), each with the rule's margin there (propagated again)."""
    from orbitview.access.rules import along_track_angle_deg
    t = time_grid(start, start + dt.timedelta(days=days), step_s)
    pos = propagate([sat], t).itrs_km[:, 0, :]
    vel = np.full_like(pos, np.nan)
    vel[:, 1:-1] = (pos[:, 2:] - pos[:, :-2]) / (2 * step_s)
    pts = target.itrs_km
    along = along_track_angle_deg(pos, vel, pts[:, :1])
    k = np.flatnonzero((along[:-1] > 0) & (along[1:] <= 0))
    seconds = (k + along[k] / (along[k] - along[k + 1])) * step_s
    when = [start + dt.timedelta(seconds=float(x)) for x in seconds]
    from orbitview.util.timeutil import timescale
    at = propagate([sat], timescale().from_datetimes(when)).itrs_km[:, 0, :]
    ahead = propagate([sat], timescale().from_datetimes(
        [w + dt.timedelta(seconds=0.5) for w in when])).itrs_km[:, 0, :]
    behind = propagate([sat], timescale().from_datetimes(
        [w - dt.timedelta(seconds=0.5) for w in when])).itrs_km[:, 0, :]
    margin = rule.margin_deg_at(at, pts[:, :1], target.enu[:, :, :1], None, ahead - behind)
    return list(zip(when, np.ravel(margin)))


def test_radar_opportunities_are_the_abeam_instants_in_its_window(catalog, sensors):
    """PRSC-S1 (a radar, incidence 20-45 deg either side) over Gilgit: one opportunity per
    pass whose abeam instant has the incidence in the window, at that instant; none for a
    pass that goes over the near-nadir gap."""
    sat = catalog.resolve("PRSC-S1")
    rule = imaging_rule(sensors[sat.norad_id])
    target = parse_target("Gilgit")
    rows = find_opportunities(sat, target, START, START + dt.timedelta(days=3), rule,
                              sensors[sat.norad_id])
    abeam = _brute_force_abeam(sat, target, START, 3, rule)
    must = [w for w, m in abeam if m > EDGE_MARGIN_DEG]
    may = [w for w, m in abeam if m >= -EDGE_MARGIN_DEG]
    assert len(must) >= 2 and len(abeam) > len(may), abeam   # some passes miss the window
    assert len(must) <= len(rows) <= len(may)
    for r in rows:
        assert min(abs((r["time_utc"] - w).total_seconds()) for w in may) <= ABEAM_TOLERANCE_S
        assert 20.0 - 0.01 <= r["view_zenith_deg"] <= 45.0 + 0.01
        assert r["start_utc"] < r["time_utc"] < r["end_utc"]
        assert r["duration_s"] < 3.0                    # the beam's dwell, not a window
    for w in must:
        assert any(abs((r["time_utc"] - w).total_seconds()) <= ABEAM_TOLERANCE_S for r in rows)


def test_one_radar_pass_is_one_opportunity(catalog, sensors):
    """PRSC-S1 over Faisalabad: the incidence window swept round nadir used to give two
    opportunities 40-60 s apart on passes over the near-nadir gap (each at the 20 deg edge,
    ahead of and behind the satellite); a side-looking radar images there neither time."""
    sat = catalog.resolve("PRSC-S1")
    rule = imaging_rule(sensors[sat.norad_id])
    start = dt.datetime(2026, 9, 7, tzinfo=UTC)
    rows = find_opportunities(sat, parse_target("Faisalabad"), start,
                              start + dt.timedelta(days=7), rule, sensors[sat.norad_id])
    assert rows
    times = sorted(r["time_utc"] for r in rows)
    assert min((b - a).total_seconds() for a, b in zip(times, times[1:])) > 45 * 60
    # The pass of 2026-09-07 near 11:11 UTC crosses the gap: no opportunity in it.
    gap_pass = dt.datetime(2026, 9, 7, 11, 11, tzinfo=UTC)
    assert all(abs((r["time_utc"] - gap_pass).total_seconds()) > 600 for r in rows)
    assert all(r["view_zenith_deg"] >= 20.0 - 0.01 for r in rows)


@pytest.mark.parametrize("name,site", [("PRSC-EO1", "Lahore"), ("PRSC-EO3", "Quetta")])
def test_point_opportunities_match_brute_force(catalog, sensors, name, site):
    sat = catalog.resolve(name)
    rule = imaging_rule(sensors[sat.norad_id])
    target = parse_target(site)
    rows = find_opportunities(sat, target, START, START + dt.timedelta(days=3), rule,
                              sensors[sat.norad_id])
    brute = _brute_force(sat, target, START, 3, rule)
    assert len(rows) == len(brute) >= 2, (rows, brute)
    for r, (a, b, _) in zip(rows, brute):
        # Brute force: first and last whole second inside; the search: the true edges.
        assert -EDGE_TOLERANCE_S <= (a - r["start_utc"]).total_seconds() <= EDGE_TOLERANCE_S
        assert -EDGE_TOLERANCE_S <= (r["end_utc"] - b).total_seconds() <= EDGE_TOLERANCE_S
        assert r["start_utc"] <= r["time_utc"] <= r["end_utc"]


def test_area_shares_match_brute_force(catalog, sensors, tmp_path):
    """A small flood-extent polygon near Sukkur, sampled with 40 points."""
    from shapely.geometry import Polygon
    poly = Polygon([(68.6, 27.5), (69.2, 27.4), (69.4, 27.9), (68.9, 28.2), (68.5, 27.9)])
    target = area_target("flood", poly, n_points=40)
    sat = catalog.resolve("PRSC-EO1")
    rule = imaging_rule(sensors[sat.norad_id])
    rows = find_opportunities(sat, target, START, START + dt.timedelta(days=4), rule,
                              sensors[sat.norad_id])
    brute = _brute_force(sat, target, START, 4, rule)
    assert len(rows) == len(brute) >= 1
    for r, (a, _b, seen) in zip(rows, brute):
        assert abs((a - r["start_utc"]).total_seconds()) <= EDGE_TOLERANCE_S
        share = 100 * target.weight[seen].sum()
        # A point inside for less than a second can be missed by either scan.
        assert r["area_share_pct"] == pytest.approx(share, abs=100 / len(target.weight) + 0.1)
    assert any(0 < r["area_share_pct"] < 100 for r in rows)


def test_area_row_describes_the_best_placed_point(catalog, sensors):
    """An area's row looks at the point nearest nadir among those inside the field of
    regard at that instant (PRSC-EO1, optical)."""
    from orbitview.access.opportunities import _margins, _Orbit
    from orbitview.access.rules import imaging_angles
    sat = catalog.resolve("PRSC-EO1")
    rule = imaging_rule(sensors[sat.norad_id])
    target = parse_target("Sindh", n_points=400)
    end = START + dt.timedelta(days=2)
    rows = find_opportunities(sat, target, START, end, rule, sensors[sat.norad_id])
    assert rows
    orbit = _Orbit(sat, START, end)
    for r in rows:
        t = (r["time_utc"] - START).total_seconds()
        inside = _margins(rule, orbit, [t], target.itrs_km, target.enu)[0] >= 0
        off = np.ravel(imaging_angles(orbit.position([t]), target.itrs_km,
                                      target.enu)["off_nadir_deg"])
        assert r["off_nadir_deg"] == pytest.approx(off[inside].min(), abs=0.01)


def test_radar_area_row_is_an_imaged_point_abeam(catalog, sensors):
    """A radar's area row looks at a point abeam at that instant, inside its incidence
    window: for PRSC-S1 near the window's inner edge (the imaged point nearest nadir)."""
    from orbitview.access.opportunities import _Orbit
    from orbitview.access.rules import along_track_angle_deg, imaging_angles
    sat = catalog.resolve("PRSC-S1")
    rule = imaging_rule(sensors[sat.norad_id])
    target = parse_target("Sindh", n_points=400)
    end = START + dt.timedelta(days=2)
    rows = find_opportunities(sat, target, START, end, rule, sensors[sat.norad_id])
    assert rows
    orbit = _Orbit(sat, START, end)
    for r in rows:
        t = (r["time_utc"] - START).total_seconds()
        k = int(np.flatnonzero((np.round(target.lat_deg, 4) == r["point_lat_deg"])
                               & (np.round(target.lon_deg, 4) == r["point_lon_deg"]))[0])
        p = target.itrs_km[:, k:k + 1]
        along = along_track_angle_deg(orbit.position([t]), orbit.velocity([t]), p)
        assert abs(float(np.ravel(along)[0])) < 0.01
        assert 20.0 - 0.01 <= r["view_zenith_deg"] <= 45.0 + 0.01
        g = imaging_angles(orbit.position([t]), p, target.enu[:, :, k:k + 1])
        assert r["off_nadir_deg"] == pytest.approx(float(np.ravel(g["off_nadir_deg"])[0]), abs=0.01)
        assert r["start_utc"] <= r["time_utc"] <= r["end_utc"]
        assert 0 < r["area_share_pct"] < 100


def test_optical_opportunities_never_in_darkness(catalog, sensors):
    names = ["PRSS-1", "PakTES-1A", "PRSC-EO1", "HS-1", "PRSC-EO3"]
    sats = catalog.resolve_many(names)
    rule = RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})
    for site in ("Gwadar", "Islamabad", "Gilgit"):
        target = parse_target(site)
        rows, _ = opportunities(sats, target, START, START + dt.timedelta(days=10), rule,
                                sensors)
        assert rows
        t = []
        for r in rows:
            t += [r["start_utc"], r["time_utc"], r["end_utc"]]
        from orbitview.access.rules import sun_elevation_deg
        from orbitview.util.timeutil import timescale
        sun = sun_unit_itrs(timescale().from_datetimes(t))
        el = sun_elevation_deg(target.enu, sun)
        # At the edges the Sun may be the binding constraint: 10 deg within 0.01 deg.
        assert el.min() >= 10.0 - 0.01, site
        assert all(r["sun_elevation_deg"] >= 10.0 for r in rows)


def test_morning_sun_synchronous_imagers_see_pakistan_on_descending_passes(catalog, sensors):
    """PRSS-1, PRSC-EO1 and HS-1 cross the equator southbound near 10:00-10:20 local time
    (sensors.md section 3), so their daylight passes over Pakistan are descending and
    their ascending passes (near 22:00) are in darkness."""
    sats = catalog.resolve_many(["PRSS-1", "PRSC-EO1", "HS-1"])
    start = dt.datetime(2026, 6, 27, tzinfo=UTC)
    target = parse_target("Pakistan", n_points=300)
    rule = RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})
    rows, _ = opportunities(sats, target, start, start + dt.timedelta(days=4), rule, sensors)
    assert len(rows) >= 8
    assert {r["pass_direction"] for r in rows} == {"descending"}
    assert all(r["sun_elevation_deg"] >= 10 for r in rows)
    # Local solar time at the imaged point between 09:00 and 12:00.
    for r in rows:
        solar_h = (r["time_utc"].hour + r["time_utc"].minute / 60 + r["point_lon_deg"] / 15) % 24
        assert 9.0 < solar_h < 12.0, r
    # Without the daylight constraint the ascending night passes appear: the check can fail.
    dark = RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id], min_sun_deg=-90.0)
                            for s in sats})
    rows, _ = opportunities(sats, target, start, start + dt.timedelta(days=4), dark, sensors)
    assert "ascending" in {r["pass_direction"] for r in rows}


def test_gsd_scales_with_the_off_nadir_geometry(catalog, sensors):
    sat = catalog.resolve("PRSC-EO1")
    rows = find_opportunities(sat, parse_target("Karachi"), START,
                              START + dt.timedelta(days=5), imaging_rule(sensors[sat.norad_id]),
                              sensors[sat.norad_id])
    for r in rows:
        inc = np.radians(r["view_zenith_deg"])
        ratio = r["range_km"] / r["altitude_km"]
        assert r["gsd_m"] == pytest.approx(1.0 * ratio / np.sqrt(np.cos(inc)), abs=0.006)
        assert r["gsd_look_m"] == pytest.approx(1.0 * ratio / np.cos(inc), abs=0.006)
        # Flat-Earth limit for comparison: 1/cos(theta) and 1/cos^2(theta); curvature adds.
        theta = np.radians(r["off_nadir_deg"])
        assert r["gsd_look_m"] >= 1 / np.cos(theta) ** 2 - 0.01


def test_cli_json_and_assumption_labels():
    status, out, err = run_cli("opportunities", "PRSS-1", "PRSC-EO1", "--target", "Gwadar",
                               "--start", "2026-06-27", "--days", "7", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert {r["name"] for r in rows} == {"PRSS-1", "PRSC-EO1"}
    assert all(r["time_utc"].endswith("Z") and r["side"] in ("left", "right") for r in rows)
    prss1 = next(r for r in rows if r["name"] == "PRSS-1")
    assert prss1["assumed"] == "PRSS-1 max off-nadir 35\u00b0; PRSS-1 min sun elevation 10\u00b0"
    assert prss1["time_local"].endswith("+05:00")
    # The 90 % timing bound of orbitview.orbit.accuracy for elements a few days old.
    from conftest import DATA

    from orbitview.data.catalog import load_catalog
    from orbitview.orbit.accuracy import error_bound
    sat = load_catalog(DATA).resolve("PRSS-1")
    bound = error_bound(sat, prss1["epoch_age_days"], element_set=sat.elements[-1])
    assert prss1["timing_error_s"] == pytest.approx(bound.timing_s, abs=0.06)
    assert 0 < prss1["timing_error_s"] < 60
    assert "Assumed instrument values (not published" in err


def test_cli_table_for_an_area_says_when_all_of_it_was_seen():
    status, out, err = run_cli("opportunities", "PRSC-EO1", "PRSC-S1", "--target", "Sindh",
                               "--start", "2026-09-06", "--days", "3")
    assert status == 0, err
    assert "Imaging opportunities on Sindh (" in out
    assert "The whole of Sindh has been within a field of regard at least once by" in out
    assert "PRSC-S1 instrument kind SAR" in out


def test_cli_table_fits_the_terminal_and_local_times_carry_their_date(monkeypatch):
    # PRSC-S1's radar images Pakistan at 19:42 UTC on 6 September: 00:42 PKT on the 7th.
    monkeypatch.setenv("COLUMNS", "80")
    args = ("opportunities", "PRSC-S1", "--target", "Pakistan", "--start", "2026-09-06",
            "--days", "1")
    status, out, err = run_cli(*args)
    assert status == 0, err
    lines = [line.rstrip() for line in out.splitlines()]
    assert max(map(len, lines)) <= 80
    assert lines[2] == "name     time UTC        PKT          off-nadir°  area %  age d  timing ±"
    assert "PRSC-S1  09-06 19:42:13  09-07 00:42  39.6 L         0.2    0.6  ±1 s" in lines
    assert ("Left out to fit 80 columns: sun az°, view az°, s, view zen°, GSD m, "
            "pass,") in lines
    status, out, err = run_cli(*args, "--wide")
    assert status == 0, err
    header = next(line for line in out.splitlines() if "time UTC" in line)
    for column in ("sun az°", "view az°", " s ", "view zen°", "GSD m", "pass",
                   "cum. %", "sun el°"):
        assert column in header
    assert "Left out" not in out


def test_cli_ics_parses_back():
    from icalendar import Calendar
    status, out, err = run_cli("opportunities", "PRSC-EO1", "--target", "Gwadar", "--start",
                               "2026-09-06", "--days", "5", "--format", "ics")
    assert status == 0, err
    cal = Calendar.from_ical(out)
    events = list(cal.walk("VEVENT"))
    assert events
    e = events[0]
    assert str(e["summary"]).startswith("PRSC-EO1 can image Gwadar (")
    assert "PRSC-EO1 max off-nadir 30\u00b0" in str(e["description"])
    assert e.decoded("dtstart").tzinfo is not None
    assert e.decoded("dtend") > e.decoded("dtstart")


def test_cli_geojson_target(tmp_path):
    path = tmp_path / "flood.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Indus flood 2026"},
         "geometry": {"type": "Polygon", "coordinates": [[[68.6, 27.5], [69.2, 27.4],
                                                          [69.4, 27.9], [68.6, 27.5]]]}}]}))
    status, out, err = run_cli("opportunities", "PRSC-EO1", "--target", str(path), "--start",
                               "2026-09-06", "--days", "4", "--format", "csv")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("norad_id,name,target,start_utc,time_utc,time_local")
    assert "Indus flood 2026" in lines[1]


@pytest.mark.parametrize("args,message", [
    (["PakSat-MM1", "--target", "Karachi"], "PakSat-MM1 has no imaging instrument"),
    (["PRSS-1", "--target", "Lahor"], "unknown target 'Lahor'. Did you mean Lahore?"),
    (["PRSS-1", "--target", "Gwadar", "--days", "nan"], "'nan' is not a finite number"),
    (["PRSS-1", "--target", "Gwadar", "--max-off-nadir", "inf"], "'inf' is not a finite number"),
    (["PRSS-1", "--target", "Gwadar", "--min-sun", "95"],
     "95 is outside the supported range (at least -18 and at most 90 deg)"),
])
def test_cli_usage_errors(args, message):
    status, out, err = run_cli("opportunities", *args, "--start", "2026-09-06")
    assert status == 2 and message in err and "Traceback" not in err, err
    assert "Fix: " in err


def test_target_out_of_range_is_named_not_unknown():
    """133,70 is a latitude out of range (read as such), not an unknown name: a usage error
    before any work, from the parser --site uses (sites.parse_lat_lon)."""
    status, out, err = run_cli("opportunities", "PRSS-1", "--target", "133,70", "--days", "1")
    assert status == 2 and out == ""
    assert err.splitlines()[-2:] == [
        "Error: Invalid value for '--target': target '133,70' (read as latitude 133, "
        "longitude 70): latitude 133 is outside -90 to 90 degrees.",
        "Fix: give LAT,LON[,HEIGHT_M] in degrees (north and east positive) and metres, such "
        "as 33.68,73.05,507 (latitude comes first: did you mean 70,133?)."]
    # The library's parser (export opportunities --target) says the same.
    from orbitview.data.targets import parse_target
    from orbitview.util.errors import UsageError
    with pytest.raises(UsageError) as e:
        parse_target("133,70")
    assert str(e.value).startswith("target '133,70' (read as latitude 133, longitude 70): "
                                   "latitude 133 is outside -90 to 90 degrees.\nFix: ")
    status, _, err = run_cli("passes", "PRSS-1", "--site", "133,70")
    assert status == 2 and ("site '133,70' (read as latitude 133, longitude 70): latitude 133 "
                            "is outside -90 to 90 degrees.") in err


def test_bad_geojson_names_file_and_line(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "Polygon",\n "coordinates": [[[68, 27], [69, 27]\n}')
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", str(path))
    assert status == 1 and f"{path}:3: not valid JSON" in err
    path.write_text(json.dumps({"type": "Point", "coordinates": [68, 27]}))
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", str(path))
    assert status == 1 and f"{path}: no Polygon or MultiPolygon in the file" in err
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [[[27, 95], [28, 95],
                                                                   [28, 96], [27, 95]]]}))
    status, _, err = run_cli("opportunities", "PRSS-1", "--target", str(path))
    assert status == 1 and "coordinates outside longitude +-180 and latitude +-90" in err


def test_all_names_the_excluded_satellites():
    status, out, err = run_cli("opportunities", "--all", "--target", "Gwadar", "--start",
                               "2026-09-06", "--days", "1", "--format", "json")
    assert status == 0, err
    assert ("excluded from imaging: PakSat-1R (geostationary, communications; no imaging "
            "instrument") in err
    assert "PakSat-MM1 (geostationary, communications" in err


def test_cli_stale_warning_gives_the_oldest_age_and_its_bound():
    """The one stale warning names, per satellite, the oldest age among its opportunities
    (PRSS-1's newest bundled set is of 2026-06-26 23:31 UTC, data/tles/43530.tle) and the
    timing bound at that age; the table gives each row's own."""
    status, out, err = run_cli("opportunities", "PRSS-1", "--target", "Gwadar",
                               "--start", "2026-09-01", "--days", "7", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    oldest = max(rows, key=lambda r: r["epoch_age_days"])
    assert f"PRSS-1 (up to {oldest['epoch_age_days']:.0f} days, timing " in err
    assert min(r["epoch_age_days"] for r in rows) < oldest["epoch_age_days"] - 1
