"""Imaging bands along a ground track: the field of regard and the nadir swath.

At each track point the band's edges lie across the track (bearing of the
track +-90 deg).  The field of regard's edges are where the imaging rule's
geometry is exactly met (:func:`~orbitview.access.footprint.footprint`, so they agree
with opportunities and coverage); a radar's are the near and far edges of
its incidence window on each side; the nadir swath's are half the swath from
the sub-satellite point.  :func:`band_geometry` turns a pair of edges into
map polygons that never span the map's seam.
"""

from __future__ import annotations

import numpy as np

from orbitview.access.rules import ImagingRule, VisibilityRule

SNAP_DEG = 1e-7


def track_bearings_deg(lat_deg, lon_deg) -> np.ndarray:
    """Direction of travel (deg from north) at each track point, from its neighbours."""
    from cartopy.geodesic import Geodesic
    lat, lon = np.asarray(lat_deg, float), np.asarray(lon_deg, float)
    n = len(lat)
    prev_i = np.clip(np.arange(n) - 1, 0, n - 1)
    next_i = np.clip(np.arange(n) + 1, 0, n - 1)
    start = np.column_stack([lon[prev_i], lat[prev_i]])
    end = np.column_stack([lon[next_i], lat[next_i]])
    inv = np.asarray(Geodesic().inverse(start, end))
    # The bearing at the midpoint (the track point) is the mean of the two end bearings.
    a1, a2 = np.radians(inv[:, 1]), np.radians(inv[:, 2])
    return np.degrees(np.arctan2(np.sin(a1) + np.sin(a2), np.cos(a1) + np.cos(a2)))


def _offset(lat, lon, bearing, distance_m):
    from cartopy.geodesic import Geodesic
    pts = np.asarray(Geodesic().direct(np.column_stack([lon, lat]), bearing, distance_m))
    return pts[:, 1], pts[:, 0]


def _edge_distances_m(itrs_km, lat, lon, bearings, rule) -> np.ndarray:
    """Distance (m) from each sub-point along ``bearings`` (n, k) to where ``rule`` ends:
    every sample's rays in one bisection (as :func:`~orbitview.access.footprint.footprint`
    finds them one position at a time)."""
    from orbitview.access.footprint import edge_distances_m
    return edge_distances_m(itrs_km, lat, lon, bearings, rule, tolerance_m=100.0)


def swath_edges(lat_deg, lon_deg, itrs_km, rule: ImagingRule) -> dict:
    """Edges of the imaging bands along one satellite's track.

    Returns ``{"field_of_regard": [(left, right), ...], "nadir_swath": (left, right) or
    None}`` where each edge is ``(lat_deg, lon_deg)`` arrays along the track; an optical
    field of regard is one band, a radar's two (left and right of the track).
    """
    lat, lon = np.asarray(lat_deg, float), np.asarray(lon_deg, float)
    bearing = track_bearings_deg(lat, lon)
    sides = np.column_stack([bearing - 90.0, bearing + 90.0])      # left, right
    bands = []
    if rule.incidence_deg is not None:
        near = _edge_distances_m(itrs_km, lat, lon, sides,
                                 VisibilityRule(90.0 - rule.incidence_deg[0]))
        far = _edge_distances_m(itrs_km, lat, lon, sides,
                                VisibilityRule(90.0 - rule.incidence_deg[1]))
        for k, side in ((0, "left"), (1, "right")):
            if rule.sides in (side, "both"):
                bands.append((_offset(lat, lon, sides[:, k], near[:, k]),
                              _offset(lat, lon, sides[:, k], far[:, k])))
    else:
        d = _edge_distances_m(itrs_km, lat, lon, sides, rule.geometric())
        bands.append((_offset(lat, lon, sides[:, 0], d[:, 0]),
                      _offset(lat, lon, sides[:, 1], d[:, 1])))
    swath = None
    if rule.swath_km and rule.incidence_deg is None:
        half = np.full(len(lat), rule.swath_km * 500.0)
        swath = (_offset(lat, lon, sides[:, 0], half), _offset(lat, lon, sides[:, 1], half))
    return {"field_of_regard": bands, "nadir_swath": swath}


def band_geometry(left, right, central_longitude: float = 0.0):
    """A shapely geometry of the band between two edges, in the x/y coordinates of
    ``PlateCarree(central_longitude)`` (x within [-180, 180]).

    The band is built from one quadrilateral per track segment, each kept compact
    across the seam, joined, and cut at x = +-180 with the overhang moved to the
    other side: nothing spans the map.
    """
    import shapely
    from shapely import affinity
    from shapely.geometry import box
    (lat_l, lon_l), (lat_r, lon_r) = left, right
    xl = _wrap(np.asarray(lon_l) - central_longitude)
    xr = _wrap(np.asarray(lon_r) - central_longitude)
    lat_l, lat_r = np.asarray(lat_l, float), np.asarray(lat_r, float)
    strip = _strip(xl, lat_l, xr, lat_r)
    if strip is not None:
        return strip
    # One quadrilateral per segment, all built at once: (m, 4) corners.
    xs = np.stack([xl[:-1], xl[1:], xr[1:], xr[:-1]], axis=1)
    ys = np.stack([lat_l[:-1], lat_l[1:], lat_r[1:], lat_r[:-1]], axis=1)
    whole = ~(np.isnan(xs).any(axis=1) | np.isnan(ys).any(axis=1))
    xs, ys = xs[whole], ys[whole]
    if not len(xs):
        return shapely.geometry.GeometryCollection()
    xs = xs[:, :1] + _wrap(xs - xs[:, :1])                  # compact across the seam
    quads = shapely.polygons(np.stack([xs, ys], axis=-1))
    invalid = ~shapely.is_valid(quads)
    if invalid.any():
        quads[invalid] = shapely.make_valid(quads[invalid])
    # Snapped to 1e-7 deg (1 cm) so that edges shared by neighbouring quads, and by the
    # pieces either side of the seam, coincide exactly and merge.
    band = shapely.union_all(shapely.set_precision(quads, SNAP_DEG))
    west, _, east, _ = band.bounds
    if -180.0 <= west and east <= 180.0:        # within the map: nothing to cut or move
        return band
    frame = box(-180.0, -90.0, 180.0, 90.0)
    pieces = [band.intersection(frame)]
    for shift in (-360.0, 360.0):
        pieces.append(affinity.translate(band, xoff=shift).intersection(frame))
    pieces = shapely.set_precision([p for p in pieces if not p.is_empty], SNAP_DEG)
    return shapely.union_all(pieces)


def _strip(xl, yl, xr, yr):
    """The band as one polygon (the left edge out, the right edge back), snapped as the
    union of its quadrilaterals is, when that is simple: no NaN, within the map without
    crossing the seam, and valid.  None otherwise (the quadrilaterals then do it)."""
    import shapely
    if len(xl) < 2 or np.isnan(xl).any() or np.isnan(xr).any() or np.isnan(yl).any() \
            or np.isnan(yr).any():
        return None
    # Longitudes unwrapped along the left edge, the right edge beside it.
    left = xl[0] + np.concatenate([[0.0], np.cumsum(_wrap(np.diff(xl)))])
    right = left + _wrap(xr - xl)
    if min(left.min(), right.min()) < -180.0 or max(left.max(), right.max()) > 180.0:
        return None
    ring = np.column_stack([np.concatenate([left, right[::-1]]),
                            np.concatenate([yl, yr[::-1]])])
    band = shapely.set_precision(shapely.polygons(ring), SNAP_DEG)
    if not shapely.is_valid(band) or band.is_empty or band.geom_type != "Polygon":
        return None
    return band


def _wrap(x):
    return (np.asarray(x, float) + 180.0) % 360.0 - 180.0
