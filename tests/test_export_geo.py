"""Antimeridian and pole handling as RFC 7946 section 3.1.9 asks, checked with shapely."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Point, Polygon

from orbitview.products.export.geo import ring_polygon, ring_winding_deg, split_line


def _circle(lat0, lon0, radius_deg, n=180):
    """A small circle on the sphere (spherical destination formula), lon in [-180, 180)."""
    lat1, lon1, d = np.radians(lat0), np.radians(lon0), np.radians(radius_deg)
    b = np.radians(np.linspace(0, 360, n, endpoint=False))
    lat = np.arcsin(np.sin(lat1) * np.cos(d) + np.cos(lat1) * np.sin(d) * np.cos(b))
    lon = lon1 + np.arctan2(np.sin(b) * np.sin(d) * np.cos(lat1),
                            np.cos(d) - np.sin(lat1) * np.sin(lat))
    return (np.degrees(lon) + 180) % 360 - 180, np.degrees(lat)


def test_line_split_interpolates_every_carried_value():
    parts = split_line([170, 175, -175, -170], [0, 10, 20, 30], [100, 200, 300, 400],
                       [0, 60, 120, 180])
    assert len(parts) == 2
    (x0, y0, a0, t0), (x1, y1, a1, t1) = parts
    assert x0[-1] == 180 and x1[0] == -180
    assert y0[-1] == y1[0] == pytest.approx(15.0)
    assert a0[-1] == a1[0] == pytest.approx(250.0)
    assert t0[-1] == t1[0] == pytest.approx(90.0)


def test_line_split_rejects_a_value_missing_where_the_position_is_not():
    with pytest.raises(ValueError, match="NaN where the position is not"):
        split_line([1, 2], [1, 2], [1, np.nan])


def test_ring_crossing_the_antimeridian_becomes_two_polygons():
    lon, lat = _circle(10.0, 178.0, 8.0)
    geom = ring_polygon(lon, lat, 10.0)
    assert isinstance(geom, MultiPolygon) and len(geom.geoms) == 2
    east, west = sorted(geom.geoms, key=lambda g: -g.bounds[2])
    assert east.bounds[2] == pytest.approx(180.0) and west.bounds[0] == pytest.approx(-180.0)
    whole = Polygon(np.column_stack([np.where(lon < 0, lon + 360, lon), lat]))
    assert geom.area == pytest.approx(whole.area, rel=1e-9)
    assert all(g.exterior.is_ccw for g in geom.geoms)           # RFC 7946: right-hand rule
    assert geom.contains(Point(179.0, 10.0)) and geom.contains(Point(-179.5, 10.0))
    assert not geom.contains(Point(0.0, 10.0))


def test_ring_enclosing_the_north_pole_is_closed_along_the_pole():
    lon, lat = _circle(82.0, 40.0, 20.0)
    assert abs(ring_winding_deg(lon)) == pytest.approx(360.0)
    geom = ring_polygon(lon, lat, 82.0)
    assert geom.bounds[3] == 90.0
    assert geom.bounds[0] == pytest.approx(-180.0) and geom.bounds[2] == pytest.approx(180.0)
    # Centre 82N 40E, radius 20 deg: the edge is at 62N on 40E and 78N on 140W.
    assert geom.contains(Point(0.0, 89.0))
    assert geom.contains(Point(40.0, 63.0)) and not geom.contains(Point(40.0, 61.0))
    assert geom.contains(Point(-139.0, 79.0)) and not geom.contains(Point(-139.0, 77.0))
    assert not geom.contains(Point(0.0, -89.0))


def test_ring_enclosing_the_south_pole():
    lon, lat = _circle(-85.0, -100.0, 12.0)
    geom = ring_polygon(lon, lat, -85.0)
    assert geom.bounds[1] == -90.0 and geom.contains(Point(80.0, -89.0))
    assert not geom.contains(Point(80.0, 89.0))


def test_ordinary_ring_is_one_polygon_unchanged():
    lon, lat = _circle(30.0, 70.0, 15.0)
    geom = ring_polygon(lon, lat, 30.0)
    assert isinstance(geom, Polygon) and ring_winding_deg(lon) == pytest.approx(0.0)
    assert geom.area == pytest.approx(Polygon(np.column_stack([lon, lat])).area)
