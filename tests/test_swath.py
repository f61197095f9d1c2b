"""Imaging bands along the ground track: widths against closed forms, the seam, the maps."""

import datetime as dt

import numpy as np
import pytest
from cartopy.geodesic import Geodesic
from conftest import run_cli

from orbitview.access.imaging import imaging_rule
from orbitview.access.rules import ImagingRule, off_nadir_reach_deg
from orbitview.access.swath import band_geometry, swath_edges
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc
R_MEAN_KM = 6371.0088
START = dt.datetime(2026, 9, 6, 5, 30, tzinfo=UTC)
WIDTH_REL_TOL = 0.01
"""The band is measured on the ellipsoid, the closed form on the mean sphere: the local
radius of curvature differs from the mean radius by up to 0.5% at these latitudes."""


def _track(catalog, name, minutes, step_s=30.0, start=START):
    prop = propagate([catalog.resolve(name)],
                     time_grid(start, start + dt.timedelta(minutes=minutes), step_s))
    return prop.lat_deg[0], prop.lon_deg[0], prop.itrs_km[:, 0], prop.altitude_km[0]


def _width_km(left, right):
    (lat_l, lon_l), (lat_r, lon_r) = left, right
    inv = np.asarray(Geodesic().inverse(np.column_stack([lon_l, lat_l]),
                                        np.column_stack([lon_r, lat_r])))
    return inv[:, 0] / 1000.0


def test_field_of_regard_band_width_against_2_r_lambda(catalog):
    lat, lon, xyz, alt = _track(catalog, "PRSC-EO1", 30)
    rule = ImagingRule(name="PRSC-EO1", max_off_nadir_deg=30.0, swath_km=30.0,
                       min_sun_elevation_deg=10.0)
    edges = swath_edges(lat, lon, xyz, rule)
    [(left, right)] = edges["field_of_regard"]
    expected = 2 * R_MEAN_KM * np.radians(off_nadir_reach_deg(30.0, alt))
    width = _width_km(left, right)
    # 600 km: sensors.md section 3 gives 300 km each side for EO-1 at 513 km.
    assert np.all((expected > 580) & (expected < 620))
    assert np.abs(width / expected - 1).max() < WIDTH_REL_TOL
    # The nadir swath is exactly the swath wide (geodesic offsets; 1 m).
    assert np.abs(_width_km(*edges["nadir_swath"]) - 30.0).max() < 0.001


def test_radar_bands_lie_between_the_incidence_edges(catalog):
    lat, lon, xyz, alt = _track(catalog, "PRSC-S1", 20)
    rule = ImagingRule(name="PRSC-S1", incidence_deg=(20.0, 45.0), swath_km=30.0)
    edges = swath_edges(lat, lon, xyz, rule)
    assert edges["nadir_swath"] is None and len(edges["field_of_regard"]) == 2
    for near, far in edges["field_of_regard"]:
        near_km = _width_km((lat, lon), near)
        far_km = _width_km((lat, lon), far)
        for inc, got in ((20.0, near_km), (45.0, far_km)):
            eta = np.degrees(np.arcsin(R_MEAN_KM / (R_MEAN_KM + alt) * np.sin(np.radians(inc))))
            expected = R_MEAN_KM * np.radians(off_nadir_reach_deg(eta, alt))
            assert np.abs(got / expected - 1).max() < WIDTH_REL_TOL
    one_side = swath_edges(lat, lon, xyz, ImagingRule(name="S", incidence_deg=(20.0, 45.0),
                                                      sides="right"))
    assert len(one_side["field_of_regard"]) == 1


def test_band_is_split_at_the_seam(catalog):
    """A PRSC-S1 track across the antimeridian: every piece stays on the map, and the band
    has the same area as on a map whose seam it does not cross."""
    import shapely
    lat, lon, xyz, _ = _track(catalog, "PRSC-S1", 95, start=dt.datetime(2026, 9, 6, tzinfo=UTC))
    k = int(np.flatnonzero(np.abs(np.diff(lon)) > 180)[0])
    part = slice(k - 30, k + 30)                       # 15 minutes either side of the seam
    lat, lon, xyz = lat[part], lon[part], xyz[:, part]
    rule = ImagingRule(name="S", max_off_nadir_deg=30.0)
    left, right = swath_edges(lat, lon, xyz, rule)["field_of_regard"][0]
    split = band_geometry(left, right, central_longitude=0.0)
    pieces = getattr(split, "geoms", [split])
    assert len(pieces) == 2
    x = np.concatenate([np.asarray(p.exterior.coords)[:, 0] for p in pieces])
    assert x.min() >= -180.0 - 1e-9 and x.max() <= 180.0 + 1e-9
    assert x.min() < -179.9 and x.max() > 179.9          # pieces on both sides of the seam
    whole = band_geometry(left, right, central_longitude=180.0)   # seam at 0 deg: not crossed
    assert len(getattr(whole, "geoms", [whole])) == 1
    assert shapely.area(split) == pytest.approx(shapely.area(whole), rel=1e-9)



def test_a_band_off_the_seam_is_the_union_of_its_quadrilaterals(catalog):
    """The band of a piece that does not cross the seam is built as one polygon (left edge
    out, right edge back): the same area, to the 1 cm snapping, as the union of one
    quadrilateral per track segment that pieces crossing the seam are built from."""
    import shapely
    lat, lon, xyz, _ = _track(catalog, "PRSC-EO1", 10)
    left, right = swath_edges(lat, lon, xyz, ImagingRule(name="E", max_off_nadir_deg=30.0))[
        "field_of_regard"][0]
    band = band_geometry(left, right)
    quads = [shapely.Polygon([(left[1][i], left[0][i]), (left[1][i + 1], left[0][i + 1]),
                              (right[1][i + 1], right[0][i + 1]), (right[1][i], right[0][i])])
             for i in range(len(lat) - 1)]
    union = shapely.union_all(quads)
    assert band.geom_type == "Polygon" and band.is_valid
    assert shapely.area(shapely.symmetric_difference(band, union)) < 1e-9 * shapely.area(union)

def test_track_swath_map(tmp_path):
    out = tmp_path / "swath.png"
    status, _, err = run_cli("track", "PRSC-EO1", "PRSC-S1", "--at", "2026-09-06T05:30:00Z",
                             "--before", "0", "--after", "95", "--swath", "-o", str(out))
    assert status == 0, err
    from PIL import Image
    assert Image.open(out).size[0] > 1000


def test_track_swath_figure_names_assumptions(catalog):
    from orbitview.access.rules import RuleBySatellite
    from orbitview.data.sensors import load_sensors
    from orbitview.products.maps import track_figure
    sensors = load_sensors(catalog)
    prop = propagate([catalog.resolve("PRSC-EO1")],
                     time_grid(START, START + dt.timedelta(minutes=20), 30.0))
    rule = RuleBySatellite({62725: imaging_rule(sensors[62725])})
    fig = track_figure(prop, 0, (59.0, 80.5, 22.0, 38.5), swath_rule=rule)
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "Assumed instrument values (not published" in texts
    assert "PRSC-EO1 max off-nadir 30\u00b0" in texts
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "PRSC-EO1 field of regard (off-nadir \u2264 30\u00b0)" in labels
    assert "PRSC-EO1 nadir swath (30 km)" in labels
    assert fig.axes[0].get_title(loc="left").endswith("with imaging field of regard and swath")
