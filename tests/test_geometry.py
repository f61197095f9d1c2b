"""Visibility geometry against independent references.

References: skyfield's own topocentric altaz (a separate implementation of the
look angles), brute-force per-second sampling, closed-form spherical geometry.
"""

import datetime as dt
import json

import numpy as np
import pytest
from cartopy.geodesic import Geodesic
from conftest import run_cli
from skyfield.api import EarthSatellite, load, wgs84

from orbitview.access.coverage import compute_coverage, make_grid
from orbitview.access.footprint import footprint
from orbitview.access.passes import find_passes, site_view
from orbitview.access.rules import HorizonMask, VisibilityRule, central_angle_deg
from orbitview.data.sites import parse_site
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
EVENT_TOLERANCE_S = 1.5
"""Brute force samples each second; the pass search bisects to 0.05 s: 1 s + margin."""
START = dt.datetime(2026, 6, 27, tzinfo=UTC)    # PRSS-1's set is 0.02 days old here


@pytest.fixture(scope="module")
def prss1(catalog):
    return catalog.resolve("PRSS-1")


@pytest.fixture(scope="module")
def islamabad():
    return parse_site("Islamabad")


@pytest.fixture(scope="module")
def passes(prss1, islamabad):
    return find_passes(prss1, islamabad, START, START + dt.timedelta(days=2), VisibilityRule())


def _skyfield_elevation(sat, site, seconds_from):
    """Independent elevations (skyfield altaz) each second from a datetime."""
    ts = load.timescale(builtin=True)
    es = sat.elements[-1]
    s = EarthSatellite.from_satrec(es.satrec, ts)
    topos = wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    start, seconds = seconds_from
    t = ts.utc(start.year, start.month, start.day, start.hour, start.minute,
               start.second + start.microsecond / 1e6 + seconds)
    alt, az, _ = (s - topos).at(t).altaz()
    return alt.degrees, az.degrees


def test_passes_found(passes):
    assert len(passes) == 7
    assert all(p["aos_utc"] < p["tca_utc"] < p["los_utc"] for p in passes)
    assert all(p["max_elevation_deg"] >= 10 for p in passes)


def test_pass_events_against_brute_force(prss1, islamabad, passes):
    for p in passes:
        for key, rising in (("aos_utc", True), ("los_utc", False)):
            t0 = p[key] - dt.timedelta(seconds=30)
            seconds = np.arange(0, 61, 1.0)
            alt, _ = _skyfield_elevation(prss1, islamabad, (t0, seconds))
            above = alt >= 10.0
            k = np.flatnonzero(above)[0] if rising else np.flatnonzero(above)[-1]
            brute = t0 + dt.timedelta(seconds=float(seconds[k]))
            assert abs((brute - p[key]).total_seconds()) <= EVENT_TOLERANCE_S, (key, p[key])
        span = (p["los_utc"] - p["aos_utc"]).total_seconds()
        seconds = np.arange(0, span + 1, 1.0)
        alt, _ = _skyfield_elevation(prss1, islamabad, (p["aos_utc"], seconds))
        k = int(np.argmax(alt))
        assert abs(seconds[k] - (p["tca_utc"] - p["aos_utc"]).total_seconds()) <= \
            EVENT_TOLERANCE_S
        assert alt[k] == pytest.approx(p["max_elevation_deg"], abs=0.02)


def test_look_angles_against_skyfield(prss1, islamabad, passes):
    p = passes[0]
    t = time_grid(p["aos_utc"], p["los_utc"], 20.0)
    az, el, rng = site_view(prss1, islamabad, t)
    alt_ref, az_ref = _skyfield_elevation(prss1, islamabad,
                                          (p["aos_utc"], np.arange(len(t)) * 20.0))
    # skyfield's altaz includes aberration and polar-motion-free Earth rotation like ours;
    # agreement to 0.01 deg (a few hundred metres at these ranges) is what it allows.
    assert np.abs(el - alt_ref).max() < 0.01
    assert np.abs((az - az_ref + 180) % 360 - 180).max() < 0.02


def test_teme_to_itrs_vectors_match_frame_objects():
    from orbitview.orbit.frames import gmst_rad, teme_to_itrs, teme_to_itrs_matrix_exact
    start = dt.datetime(2026, 9, 7, tzinfo=UTC)
    t = time_grid(start, start + dt.timedelta(days=3), 997.0)
    r = np.random.default_rng(1).normal(size=(len(t), 3)) * 7000.0
    expected = np.einsum("ijt,tj->it", teme_to_itrs_matrix_exact(t), r)
    # 1e-12 rad of rotation is 1e-8 km at these distances.
    assert np.abs(teme_to_itrs(r, gmst_rad(t)) - expected).max() < 1e-8


def test_anchored_rotation_matches_frame_objects_at_every_time():
    from orbitview.orbit.frames import teme_to_itrs_matrix, teme_to_itrs_matrix_exact
    start = dt.datetime(2026, 9, 7, tzinfo=UTC)
    t = time_grid(start, start + dt.timedelta(hours=30), 37.0)
    assert np.abs(teme_to_itrs_matrix(t) - teme_to_itrs_matrix_exact(t)).max() < 1e-12


def test_pass_in_progress_at_start(prss1, islamabad, passes):
    p = passes[0]
    mid = p["tca_utc"]
    rows = find_passes(prss1, islamabad, mid, mid + dt.timedelta(hours=1), VisibilityRule())
    assert rows[0]["in_progress_at_start"] is True
    assert rows[0]["aos_utc"] == mid
    assert abs((rows[0]["los_utc"] - p["los_utc"]).total_seconds()) < 0.2


def test_geo_look_angles_closed_form(catalog):
    # Spherical closed form for a geostationary satellite: central angle g between the
    # site and the sub-satellite point, el = atan((cos g - R/r) / sin g).  Geodetic vs
    # geocentric latitude (0.17 deg at 25 N) and the ellipsoid allow 0.3 deg.
    sat = catalog.resolve("PakSat-MM1")
    when = dt.datetime(2026, 9, 7, 3, tzinfo=UTC)
    t = time_grid(when, when, 1.0)
    prop = propagate([sat], t)
    sub_lon, r = prop.lon_deg[0, 0], np.linalg.norm(prop.itrs_km[:, 0, 0])
    for name in ("Karachi", "Islamabad", "Gilgit", "Gwadar"):
        site = parse_site(name)
        az, el, rng = site_view(sat, site, t)
        lat, dlon = np.radians(site.lat_deg), np.radians(site.lon_deg - sub_lon)
        g = np.arccos(np.cos(lat) * np.cos(dlon))
        el_ref = np.degrees(np.arctan((np.cos(g) - 6371.0 / r) / np.sin(g)))
        az_ref = 180.0 + np.degrees(np.arctan2(np.tan(dlon), np.sin(lat)))
        assert el[0] == pytest.approx(el_ref, abs=0.3), name
        assert az[0] == pytest.approx(az_ref, abs=0.3), name


def test_footprint_radius_closed_form(prss1):
    # Spherical Earth: the visibility circle has central angle
    # arccos(R cos e / (R + h)) - e.  On WGS84 the radius varies with bearing by the
    # ellipsoid's curvature, up to ~0.7 % here.
    when = START + dt.timedelta(hours=5)
    prop = propagate([prss1], time_grid(when, when, 1.0))
    for e in (0.0, 10.0, 30.0):
        rule = VisibilityRule(e)
        _, _, dist = footprint(prop.itrs_km[:, 0, 0], prop.lat_deg[0, 0], prop.lon_deg[0, 0],
                               rule, n_bearings=36)
        expected = np.radians(central_angle_deg(prop.altitude_km[0, 0], e)) * 6371.0088e3
        assert np.abs(dist / expected - 1).max() < 0.007, e


def test_footprint_edge_meets_site_at_aos(prss1, islamabad, passes):
    # At the AOS the pass list gives, the footprint edge passes through the site: the
    # edge's distance along the bearing to Islamabad equals Islamabad's distance.
    geod = Geodesic()
    for p in passes[:3]:
        t = time_grid(p["aos_utc"], p["aos_utc"], 1.0)
        prop = propagate([prss1], t)
        lat0, lon0 = prop.lat_deg[0, 0], prop.lon_deg[0, 0]
        inv = np.asarray(geod.inverse([lon0, lat0], [islamabad.lon_deg, islamabad.lat_deg]))
        distance, bearing = inv[0, 0], inv[0, 1]
        _, _, edge = footprint(prop.itrs_km[:, 0, 0], lat0, lon0, VisibilityRule(),
                               bearings_deg=[bearing], tolerance_m=1.0,
                               height_m=islamabad.height_m)
        # The footprint edge sweeps at ~6 km/s; the AOS is good to 0.05 s: 0.5 km.
        assert abs(edge[0] - distance) < 500.0


def test_horizon_mask_changes_what_it_should(prss1, islamabad, passes, tmp_path):
    mask_file = tmp_path / "mask.csv"
    # 35 deg between azimuth 0 and 180 (a ridge to the east), 10 deg elsewhere.
    mask_file.write_text("azimuth_deg,min_elevation_deg\n0,35\n179.9,35\n180,10\n359.9,10\n")
    rule = VisibilityRule(10.0, HorizonMask.read(mask_file))
    assert rule.required_deg(np.array([90.0, 270.0])).tolist() == [35.0, 10.0]
    masked = find_passes(prss1, islamabad, START, START + dt.timedelta(days=2), rule)
    for m in masked:
        az, el, _ = site_view(prss1, islamabad, time_grid(m["aos_utc"], m["aos_utc"], 1))
        # AOS is where the elevation meets the mask, or where the track crosses the
        # mask's step at azimuth 180 (or 0) while already above the lower part.
        at_step = min(abs(az[0] - 180.0), abs((az[0] + 180.0) % 360.0 - 180.0)) < 0.5
        assert at_step or el[0] == pytest.approx(float(rule.required_deg(az)[0]), abs=0.05)
    # Every masked pass lies inside an unmasked one and is no longer.
    for m in masked:
        outer = [p for p in passes if p["aos_utc"] <= m["aos_utc"] and
                 m["los_utc"] <= p["los_utc"] + dt.timedelta(seconds=0.2)]
        assert len(outer) == 1 and m["duration_s"] <= outer[0]["duration_s"]
    # A pass that rises in the east and never climbs above 35 deg while there is lost.
    assert len(masked) < len(passes)


def test_horizon_mask_file_errors(tmp_path):
    from orbitview.util.errors import DataError
    bad = tmp_path / "m.csv"
    bad.write_text("azimuth_deg,min_elevation_deg\n90,x\n400,5\n")
    with pytest.raises(DataError) as info:
        HorizonMask.read(bad)
    text = str(info.value)
    assert f"{bad}:2: not two numbers" in text and f"{bad}:3: azimuth 400.0" in text


def test_coverage_of_a_tiny_region_against_brute_force(catalog):
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PRSC-EO3"])
    start = dt.datetime(2026, 9, 6, 6, tzinfo=UTC)
    t = time_grid(start, start + dt.timedelta(hours=12), 60.0)
    prop = propagate(sats, t)
    grid = make_grid((72.0, 73.5, 33.0, 34.5), 0.5)
    rule = VisibilityRule(10.0)
    result = compute_coverage(sats, grid, rule, start, start + dt.timedelta(hours=12), 60.0)
    # Brute force: skyfield altaz for every cell, satellite and time, then the metrics
    # written as plain loops over time.
    ts = load.timescale(builtin=True)
    times = ts.tt_jd(t.tt)
    for c, (lat, lon) in enumerate(zip(grid.cell_lat, grid.cell_lon)):
        topos = wgs84.latlon(lat, lon)
        visible = np.zeros(len(t), bool)
        for sat in sats:
            history = sat.elements
            sets = prop.set_index[prop.names.index(sat.name)]
            for j in np.unique(sets):
                es = history[j]
                sf = EarthSatellite.from_satrec(es.satrec, ts)
                alt, _, _ = (sf - topos).at(times).altaz()
                visible |= (alt.degrees >= 10.0) & (sets == j)
        runs, gaps, current = 0, [], 0
        for k, v in enumerate(visible):
            if v and (k == 0 or not visible[k - 1]):
                runs += 1
            if not v:
                current += 1
            if v or k == len(visible) - 1:
                if current:
                    gaps.append(current)
                current = 0
        assert result.coverage_percent[c] == pytest.approx(visible.mean() * 100, abs=1e-9)
        assert result.accesses[c] == runs
        assert result.max_gap_min[c] == pytest.approx(max(gaps) * 1.0)
        assert result.mean_gap_min[c] == pytest.approx(np.mean(gaps) * 1.0)
    assert result.accesses.max() > 0


def test_passes_cli_json():
    status, out, err = run_cli("passes", "PRSS-1", "--site", "Islamabad", "--start",
                               "2026-06-27", "--days", "1", "--access", "radio",
                               "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert len(rows) == 4
    assert rows[0]["aos_utc"].startswith("2026-06-27T04:58:2")
    assert set(rows[0]) >= {"norad_id", "tca_utc", "los_utc", "max_elevation_deg",
                            "aos_azimuth_deg", "los_azimuth_deg", "duration_s",
                            "sunlit_at_tca", "site_sun_elevation_deg", "epoch_age_days"}
    # 15:53 UTC pass: satellite sunlit, Islamabad after sunset (sun at -16 deg).
    evening = rows[2]
    assert evening["sunlit_at_tca"] is True and evening["site_sun_elevation_deg"] < -6


def test_passes_geo_is_continuous(capsys):
    status, out, err = run_cli("passes", "PakSat-MM1", "--site", "Karachi", "--start",
                               "2026-09-07", "--format", "json")
    assert status == 0
    [row] = json.loads(out)
    assert row["in_progress_at_start"] and row["in_progress_at_end"]
    assert row["duration_s"] == 86400.0
    assert "continuously visible from Karachi" in err


def test_look_cli_json():
    status, out, _ = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--at",
                             "2026-09-07T03:00:00Z", "--format", "json")
    assert status == 0
    [row] = json.loads(out)
    assert row["azimuth_deg"] == pytest.approx(232.6, abs=0.1)
    assert row["elevation_deg"] == pytest.approx(46.7, abs=0.1)
    assert 37_000 < row["range_km"] < 38_000 and row["visible"] is True


@pytest.mark.parametrize("site,expected", [
    ("33.7,73.05,500", (33.7, 73.05, 500.0)), ("islamabad", (33.6844, 73.0479, 507.0)),
])
def test_sites(site, expected):
    s = parse_site(site)
    assert (s.lat_deg, s.lon_deg, s.height_m) == expected


def test_unknown_site():
    status, _, err = run_cli("look", "PRSS-1", "--site", "Lahor")
    assert status == 2 and "unknown site 'Lahor'. Did you mean Lahore?" in err


def test_footprint_and_coverage_figures(tmp_path):
    from PIL import Image
    out = tmp_path / "f.png"
    status, _, err = run_cli("footprint", "PakSat-MM1", "--region", "pakistan", "--at",
                             "2026-09-07T03:00:00Z", "-o", str(out))
    assert status == 0, err
    assert Image.open(out).size[0] > 1000
    out = tmp_path / "c.png"
    grid = tmp_path / "g.csv"
    status, stdout, err = run_cli("coverage", "PRSC-EO1", "PRSC-S1", "--start",
                                  "2026-09-06T06:00:00Z", "--hours", "6", "--resolution", "0.5",
                                  "--access", "radio", "-o", str(out), "--grid-csv", str(grid),
                                  "--format", "json")
    assert status == 0, err
    rows = {r["region"]: r for r in json.loads(stdout)}
    assert set(rows) == {"Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan",
                         "Gilgit-Baltistan", "Azad Jammu and Kashmir",
                         "Islamabad Capital Territory", "Pakistan"}
    assert 0 < rows["Pakistan"]["coverage_percent"] < 100
    header = grid.read_text().splitlines()[0]
    assert header == "lat_deg,lon_deg,coverage_percent,accesses,max_gap_min,mean_gap_min"


def test_coverage_figure_has_colour_bar_with_units(catalog):
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.products.maps import coverage_figure
    start = dt.datetime(2026, 9, 6, 6, tzinfo=UTC)
    grid = make_grid(REGIONS["pakistan"], 0.5, pakistan_polygon())
    result = compute_coverage(catalog.resolve_many(["PRSC-EO1"]), grid, VisibilityRule(),
                              start, start + dt.timedelta(hours=3), 60.0)
    fig = coverage_figure(result, "max-gap", VisibilityRule(), REGIONS["pakistan"],
                          province_polygons())
    assert fig.axes[1].get_ylabel() == "longest revisit gap (minutes)"
    assert "Longest revisit gap (minutes) over Pakistan, radio access: PRSC-EO1" in \
        fig.axes[0].get_title(loc="left")
