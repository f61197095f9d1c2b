"""Footprints solved for many positions at once equal those solved one at a time."""

from __future__ import annotations

import datetime as dt

import numpy as np

from orbitview.access import VisibilityRule
from orbitview.export.records import footprint_series
from orbitview.footprint import footprint, footprints
from orbitview.propagate import propagate
from orbitview.timeutil import time_grid

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
