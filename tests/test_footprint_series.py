"""Footprints solved for many positions at once equal those solved one at a time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from orbitview.access.footprint import footprint, footprints
from orbitview.access.imaging import imaging_rule
from orbitview.access.rules import VisibilityRule
from orbitview.orbit.propagate import propagate
from orbitview.products.export.records import footprint_series
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc


def test_vectorised_footprints_equal_the_one_at_a_time_solver(catalog):
    t0 = dt.datetime(2026, 11, 21, tzinfo=UTC)
    prop = propagate(catalog.resolve_many(["PRSS-1", "PakSat-MM1", "HS-1"]),
                     time_grid(t0, t0 + dt.timedelta(minutes=40), 600))
    rule = VisibilityRule(12.0)
    lon, lat = footprints(prop.itrs_km.reshape(3, -1), prop.lat_deg.ravel(),
                          prop.lon_deg.ravel(), rule, n_bearings=24, tolerance_m=100.0)
    k = 0
    for i in range(3):
        for j in range(prop.lat_deg.shape[1]):
            one_lon, one_lat, _ = footprint(prop.itrs_km[:, i, j], prop.lat_deg[i, j],
                                            prop.lon_deg[i, j], rule, n_bearings=24,
                                            tolerance_m=100.0)
            assert np.array_equal(one_lon[:-1], lon[k]) and np.array_equal(one_lat[:-1], lat[k])
            k += 1


def test_footprint_series_takes_every_nth_time_and_the_last(catalog):
    t0 = dt.datetime(2026, 11, 21, tzinfo=UTC)
    prop = propagate(catalog.resolve_many(["PRSS-1"]),
                     time_grid(t0, t0 + dt.timedelta(minutes=10), 60))
    (series,) = footprint_series(prop, VisibilityRule(), every=4, n_bearings=12)
    assert [t.minute for t in series.times_utc] == [0, 4, 8, 10]
    assert series.ring_lon_deg.shape == (4, 12)
    assert series.rule == "elevation >= 10\u00b0"
    assert np.allclose(series.sub_lat_deg, prop.lat_deg[0, [0, 4, 8, 10]])


def test_a_fleet_rule_gives_imagers_their_field_of_regard(catalog):
    """Footprints follow each satellite's own rule: imaging for imagers, radio for the rest."""
    from orbitview.access.rules import RuleBySatellite, VisibilityRule, central_angle_deg
    from orbitview.data.sensors import load_sensors
    sensors = load_sensors(catalog)
    prss1 = imaging_rule(sensors[43530])
    t0 = dt.datetime(2026, 11, 21, tzinfo=UTC)
    prop = propagate(catalog.resolve_many(["PRSS-1", "PakSat-MM1"]),
                     time_grid(t0, t0 + dt.timedelta(minutes=2), 60))
    fleet = RuleBySatellite({43530: prss1}, default=VisibilityRule())
    leo, geo = footprint_series(prop, fleet, n_bearings=8)
    assert (leo.kind, geo.kind) == ("imaging", "radio")
    assert leo.rule == prss1.describe()
    # PRSS-1 at ~640 km, 35 deg off nadir: the edge lies ~460 km from the sub-point;
    # PakSat-MM1's radio circle at 10 deg elevation is ~71 deg of arc wide.
    from pyproj import Geod
    g = Geod(ellps="WGS84")
    _, _, d_leo = g.inv(np.full(8, leo.sub_lon_deg[0]), np.full(8, leo.sub_lat_deg[0]),
                        leo.ring_lon_deg[0], leo.ring_lat_deg[0])
    assert 400e3 < d_leo.mean() < 520e3
    _, _, d_geo = g.inv(np.full(8, geo.sub_lon_deg[0]), np.full(8, geo.sub_lat_deg[0]),
                        geo.ring_lon_deg[0], geo.ring_lat_deg[0])
    arc = central_angle_deg(float(geo.altitude_km[0]), 10.0)
    assert d_geo.mean() / 111_195 == pytest.approx(arc, rel=0.01)
    only_imagers = RuleBySatellite({43530: prss1})
    assert [f.name for f in footprint_series(prop, only_imagers, n_bearings=8)] == ["PRSS-1"]
