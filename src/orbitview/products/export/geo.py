"""Geometry on a longitude/latitude plane, done the way RFC 7946 asks.

* Lines are cut where they cross the antimeridian (section 3.1.9): each part
  ends on longitude +-180 at the interpolated crossing, so no segment spans
  more than 180 degrees.  The cut reuses :func:`orbitview.products.maps.split_at_seam`
  (the same cut the PNG maps make), applied to every carried quantity.
* Rings (footprints, the night side) become Polygons or MultiPolygons in
  [-180, 180]: the ring is unwrapped into a continuous longitude, clipped by
  shapely into the three 360-degree windows and shifted back; a ring whose
  unwrapped longitude winds a full turn encloses a pole and is closed along
  that pole's latitude before clipping.  Exterior rings run counter-clockwise.
"""

from __future__ import annotations

import numpy as np

from orbitview.products.maps import split_at_seam

GRID_DEG = 1e-6
"""Vertices snap to this grid (0.1 m), the precision the writers print, so shared edges
coincide exactly and a written polygon is as valid as the one computed."""
WINDING_TOLERANCE_DEG = 1.0
"""A ring whose unwrapped longitude ends within this of +-360 of its start winds round a pole."""


def split_line(lon_deg, lat_deg, *values):
    """Cut a line at the antimeridian; carried ``values`` are interpolated at the cuts.

    Returns a list of parts, each a tuple ``(lon, lat, *values)`` of arrays.
    NaN in ``lat_deg`` breaks the line (the sample is dropped); carried values
    must be finite wherever the position is.
    """
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    bad = np.isnan(lon) | np.isnan(lat)
    pieces = [split_at_seam(lon, lat)]
    for v in values:
        v = np.asarray(v, float).copy()
        if np.isnan(v[~bad]).any():
            raise ValueError("a carried value is NaN where the position is not")
        v[bad] = np.nan
        pieces.append(split_at_seam(lon, v))
    parts = []
    for k in range(len(pieces[0])):
        x, y = pieces[0][k]
        parts.append((x, y, *(p[k][1] for p in pieces[1:])))
    return parts


def unwrap_lon(lon_deg) -> np.ndarray:
    """Longitudes made continuous (no jump over 180 degrees between neighbours)."""
    return np.degrees(np.unwrap(np.radians(np.asarray(lon_deg, float))))


def ring_winding_deg(lon_deg) -> float:
    """Net change of longitude round a closed ring: 0, or +-360 if it encloses a pole."""
    lon = np.asarray(lon_deg, float)
    closed = np.append(lon, lon[0]) if lon[0] != lon[-1] else lon
    u = unwrap_lon(closed)
    return float(u[-1] - u[0])


def ring_polygon(lon_deg, lat_deg, pole_side_lat_deg: float | None = None):
    """A ring on the sphere as a shapely (Multi)Polygon in [-180, 180] x [-90, 90].

    ``pole_side_lat_deg`` is the latitude of a point inside the ring (e.g. the
    sub-satellite point); its sign chooses the pole a winding ring encloses.
    """
    import shapely
    from shapely import affinity
    from shapely.geometry import MultiPolygon, Polygon, box
    from shapely.geometry.polygon import orient
    lon = np.asarray(lon_deg, float)
    lat = np.asarray(lat_deg, float)
    if lon[0] == lon[-1] and lat[0] == lat[-1]:
        lon, lat = lon[:-1], lat[:-1]
    u = unwrap_lon(np.append(lon, lon[0]))
    winding = u[-1] - u[0]
    if abs(abs(winding) - 360.0) < WINDING_TOLERANCE_DEG:
        pole = 90.0 if (pole_side_lat_deg if pole_side_lat_deg is not None
                        else np.mean(lat)) >= 0 else -90.0
        xs = np.concatenate([u, [u[-1], u[0]]])
        ys = np.concatenate([lat, [lat[0], pole, pole]])
        shape = Polygon(np.column_stack([xs, ys]))
    else:
        shape = Polygon(np.column_stack([u[:-1], lat]))
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    world = box(-180.0, -90.0, 180.0, 90.0)
    pieces = [affinity.translate(shape, xoff=shift).intersection(world)
              for shift in (-720.0, -360.0, 0.0, 360.0, 720.0)]
    # A ring round a pole comes back as pieces from two shifts that share the closing
    # meridian; joining them leaves only pieces either side of the antimeridian.
    merged = shapely.union_all(shapely.set_precision([p for p in pieces if not p.is_empty],
                                                     GRID_DEG))
    parts = [orient(g, 1.0) for g in getattr(merged, "geoms", [merged])
             if isinstance(g, Polygon) and not g.is_empty and g.area > 0]
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(parts)
