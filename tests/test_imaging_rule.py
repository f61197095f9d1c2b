"""The imaging access rule against closed forms and independent implementations.

References: the spherical-Earth closed forms of off-nadir geometry
(sin(off_nadir) = R cos(elev) / (R + h); Earth central angle
lambda = asin((R + h) / R sin(eta)) - eta), which hold exactly on the WGS84
equator (a circle of radius a) and to the ellipsoid's effect elsewhere;
skyfield's iterated WGS84 latitude and its DE421 Sun.
"""

import datetime as dt

import numpy as np
import pytest
from cartopy.geodesic import Geodesic
from skyfield.api import load, wgs84

from orbitview.access.footprint import footprint
from orbitview.access.rules import (
    ImagingRule,
    RuleBySatellite,
    VisibilityRule,
    cross_track_angle_deg,
    geodetic_up,
    half_swath_off_nadir_deg,
    imaging_angles,
    off_nadir_reach_deg,
    sun_elevation_deg,
    sun_unit_itrs,
)
from orbitview.data.sites import enu_basis, ground_itrs_km
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
A_KM = 6378.137
R_MEAN_KM = 6371.0088
ELLIPSOID_DEG = 0.05
"""Off-nadir angle vs the spherical closed form away from the equator: the WGS84 normals
differ from the radial direction by up to 0.19 deg and the local radius from the mean by
up to 0.5%; on a 520 km orbit the two effects leave at most 0.02 deg (measured), 0.05 with
margin."""
EXACT_DEG = 1e-9
"""On the equator, looking along it, the ellipsoid is a circle of radius a: exact up to
rounding."""


def _sat(lat_deg, lon_deg, altitude_km):
    return wgs84.latlon(lat_deg, lon_deg, altitude_km * 1000.0).itrs_xyz.km


def _ray(lat0, lon0, bearing_deg, distances_km):
    pts = Geodesic().direct([lon0, lat0], bearing_deg, np.asarray(distances_km) * 1000.0)
    lon, lat = pts[:, 0], pts[:, 1]
    return lat, lon, ground_itrs_km(lat, lon, np.zeros_like(lat)), enu_basis(lat, lon)


def test_geodetic_up_matches_skyfield_wgs84():
    lat = np.linspace(-89.5, 89.5, 60)
    lon = np.linspace(-180, 179, 60)
    for altitude_km, tol in ((0.0, 1e-12), (520.0, 1e-9), (35786.0, 1e-8)):
        up, height = geodetic_up(wgs84.latlon(lat, lon, altitude_km * 1000).itrs_xyz.km)
        assert np.abs(up - enu_basis(lat, lon)[2]).max() < tol
        assert np.abs(height - altitude_km).max() < 1e-6     # 1 mm


@pytest.mark.parametrize("lat0,bearing,exact", [(0.0, 90.0, True), (0.0, 270.0, True),
                                                (30.0, 0.0, False), (30.0, 90.0, False),
                                                (45.0, 45.0, False), (-60.0, 180.0, False)])
def test_off_nadir_against_spherical_closed_form(lat0, bearing, exact):
    h = 520.0
    lat, lon, tgt, enu = _ray(lat0, 70.0, bearing, np.linspace(5, 2300, 80))
    g = imaging_angles(_sat(lat0, 70.0, h)[:, None], tgt, enu)
    elev = np.radians(90.0 - g["view_zenith_deg"])
    r = A_KM if exact else R_MEAN_KM
    closed = np.degrees(np.arcsin(r * np.cos(elev) / (r + h)))
    assert np.abs(closed - g["off_nadir_deg"]).max() < (EXACT_DEG if exact else ELLIPSOID_DEG)
    # The altitude is the satellite's height above the ellipsoid.
    assert np.allclose(g["altitude_km"], h, atol=1e-6)


@pytest.mark.parametrize("lat0,exact", [(0.0, True), (31.0, False), (-50.0, False)])
def test_field_of_regard_edge_against_closed_form(lat0, exact):
    """The footprint of a 30 deg field of regard lies at R * lambda from nadir."""
    h, eta = 513.0, 30.0
    rule = ImagingRule(name="test", max_off_nadir_deg=eta, min_sun_elevation_deg=10.0)
    bearings = [90.0, 270.0] if exact else [0.0, 60.0, 135.0, 225.0, 300.0]
    _, _, dist_m = footprint(_sat(lat0, 70.0, h), lat0, 70.0, rule, bearings_deg=bearings,
                             tolerance_m=1.0)
    r = A_KM if exact else R_MEAN_KM
    expected_km = r * np.radians(off_nadir_reach_deg(eta, h, r))
    assert expected_km == pytest.approx(300.0, abs=2)       # sensors.md section 3: EO-1 300 km
    # Exact: the bisection tolerance (1 m).  Elsewhere the local radius of curvature
    # differs from the mean radius by up to 0.5% (1.5 km at 300 km) plus the normals' tilt.
    tol_km = 0.002 if exact else 3.0
    assert np.abs(dist_m / 1000.0 - expected_km).max() < tol_km


def test_nadir_swath_rule_reaches_half_the_swath():
    """A nadir-only instrument (no roll) images points within half its swath of nadir."""
    h, swath = 622.0, 60.0
    rule = ImagingRule(name="test", max_off_nadir_deg=None, swath_km=swath)
    _, _, dist_m = footprint(_sat(0.0, 70.0, h), 0.0, 70.0, rule, bearings_deg=[90.0],
                             tolerance_m=1.0)
    # The half-swath cone is computed on the mean sphere and evaluated on the equator
    # (radius a): the ratio a / R (1.0011) scales the 30 km edge by 30 m.
    assert dist_m[0] / 1000.0 == pytest.approx(swath / 2, abs=0.05)
    # The published PRSS-1 case: 60 km at 622 km altitude is a 5.5 deg total field of view.
    assert 2 * half_swath_off_nadir_deg(swath / 2, h) == pytest.approx(5.52, abs=0.01)


def test_sar_incidence_window_and_sides():
    h = 545.0
    lat, lon, tgt, enu = _ray(0.0, 70.0, 90.0, np.linspace(0.0, 900.0, 901))
    sat = _sat(0.0, 70.0, h)[:, None]
    g = imaging_angles(sat, tgt, enu)
    both = ImagingRule(name="S", incidence_deg=(20.0, 45.0), sides="both")
    m = both.margin_deg_at(sat, tgt, enu)
    inside = (g["view_zenith_deg"] >= 20.0) & (g["view_zenith_deg"] <= 45.0)
    assert np.array_equal(m >= 0, inside)
    # Ground distance of the window's edges from the closed form (incidence = 90 - elev).
    for inc in (20.0, 45.0):
        eta = np.degrees(np.arcsin(A_KM / (A_KM + h) * np.sin(np.radians(inc))))
        edge_km = A_KM * np.radians(off_nadir_reach_deg(eta, h, A_KM))
        k = np.argmin(np.abs(g["view_zenith_deg"] - inc))
        assert abs(k * 1.0 - edge_km) <= 1.0                 # 1 km sampling
    # Moving north along the meridian (Earth-fixed velocity +z), east is to the right.
    v = np.array([0.0, 0.0, 7.0])[:, None]
    assert np.all(cross_track_angle_deg(sat, v, tgt[:, 1:]) > 0)
    right = ImagingRule(name="S", incidence_deg=(20.0, 45.0), sides="right")
    left = ImagingRule(name="S", incidence_deg=(20.0, 45.0), sides="left")
    assert right.needs_velocity and not both.needs_velocity
    assert np.array_equal(right.margin_deg_at(sat, tgt, enu, sat_velocity_itrs_km_s=v) >= 0,
                          inside)
    assert not np.any(left.margin_deg_at(sat, tgt, enu, sat_velocity_itrs_km_s=v) >= 0)
    with pytest.raises(ValueError, match="needs the satellite velocity"):
        right.margin_deg_at(sat, tgt, enu)


def test_sun_direction_against_skyfield():
    ts = load.timescale(builtin=True)
    start = dt.datetime(2026, 11, 21, tzinfo=UTC)
    t = time_grid(start, start + dt.timedelta(days=2), 1234.5)
    sun = sun_unit_itrs(t)
    from orbitview.data.ephemeris import ephemeris
    eph = ephemeris()
    for lat, lon in ((25.1264, 62.3225), (35.92, 74.31), (-33.9, 18.4)):
        enu = enu_basis(np.array([lat]), np.array([lon]))
        ours = sun_elevation_deg(enu, sun)
        topos = eph["earth"] + wgs84.latlon(lat, lon)
        alt, _, _ = topos.at(ts.tt_jd(t.tt)).observe(eph["sun"]).apparent().altaz()
        # Parallax (0.0024 deg) and aberration (0.0057 deg) are neglected by design.
        assert np.abs(ours - alt.degrees).max() < 0.01


def test_optical_margin_is_the_smallest_constraint():
    h = 510.0
    lat, lon, tgt, enu = _ray(25.0, 67.0, 90.0, [100.0])
    sat = _sat(25.0, 67.0, h)[:, None]
    g = imaging_angles(sat, tgt, enu)
    rule = ImagingRule(name="O", max_off_nadir_deg=30.0, min_sun_elevation_deg=10.0)
    assert rule.needs_sun and not VisibilityRule().needs_sun
    up = enu[2][:, 0]
    for sun_el, expected in ((60.0, 30.0 - g["off_nadir_deg"][0]), (-5.0, -15.0)):
        # A Sun direction at the wanted elevation due north of the target.
        s = np.radians(sun_el)
        sun = np.cos(s) * enu[1][:, 0] + np.sin(s) * up
        m = rule.margin_deg_at(sat, tgt, enu, sun_itrs_unit=sun[:, None])
        assert m[0] == pytest.approx(expected, abs=1e-9)
    with pytest.raises(ValueError, match="needs the Sun direction"):
        rule.margin_deg_at(sat, tgt, enu)


def test_radio_rule_margin_at_matches_look_angles():
    from orbitview.access.rules import look_angles
    lat, lon, tgt, enu = _ray(30.0, 70.0, 45.0, np.linspace(0, 3000, 31))
    sat = _sat(30.0, 70.0, 600.0)[:, None]
    rule = VisibilityRule(10.0)
    az, el, _ = look_angles(tgt, enu, sat)
    assert np.array_equal(rule.margin_deg_at(sat, tgt, enu), el - 10.0)
    assert rule.for_satellite(43530) is rule


def test_rule_by_satellite_resolves_each_satellites_rule():
    a = ImagingRule(name="A", max_off_nadir_deg=30.0, assumptions=("A max off-nadir 30\u00b0",))
    b = ImagingRule(name="B", incidence_deg=(20.0, 45.0), assumptions=("B incidence 20-45\u00b0",))
    fleet = RuleBySatellite({1: a, 2: b})
    assert fleet.for_satellite(1) is a and fleet.for_satellite(2) is b
    assert fleet.assumptions == ("A max off-nadir 30\u00b0", "B incidence 20-45\u00b0")
    with pytest.raises(KeyError):
        fleet.for_satellite(3)


def test_a_rule_without_field_of_regard_is_refused():
    from orbitview.util.errors import UsageError
    with pytest.raises(UsageError, match="has no field of regard"):
        ImagingRule(name="X")


@pytest.mark.parametrize("rule", [
    VisibilityRule(10.0), VisibilityRule(-3.0), ImagingRule(max_off_nadir_deg=30.0),
    ImagingRule(max_off_nadir_deg=55.0, min_sun_elevation_deg=10.0),
    ImagingRule(swath_km=120.0), ImagingRule(incidence_deg=(20.0, 45.0)),
    ImagingRule(max_off_nadir_deg=40.0, max_view_zenith_deg=50.0),
], ids=repr)
def test_the_reach_bound_covers_every_possible_reach_and_grows_with_height(rule):
    # The coverage engine culls a satellite's samples with one bound from its highest
    # sample: it must be at least the possible reach of every lower sample.
    r = np.linspace(6378.137 + 150.0, 42_164.0, 4001)
    for target in (6356.752, 6378.137 + 8.8):
        bound = rule.reach_bound_deg(r, target)
        possible = rule.reach_deg(r, target)[1]
        assert np.all(np.diff(bound) >= 0)
        assert np.all(possible <= bound + 1e-12)
        # Not a vacuous bound: near the horizon's reach from the same height (a rule
        # that looks 3 deg below the horizon reaches some 3.2 deg beyond it).
        assert np.all(bound <= np.degrees(np.arccos(6356.0 / r)) + 4.0)
