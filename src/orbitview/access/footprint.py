"""Footprints: the ground boundary where an access rule is just met.

For a radio rule it is the visibility circle; for an imaging rule the edge of
the instrument's field of regard (the Sun is left out: a map draws the
terminator at the rule's minimum Sun elevation separately).
"""

from __future__ import annotations

import numpy as np

from orbitview.access.rules import VisibilityRule
from orbitview.data.sites import enu_basis, ground_itrs_km

HALF_MERIDIAN_M = 10_007_000.0
"""Upper bound of the bisection: half a meridian, the far side of the Earth."""


def _edge(start_lonlat: np.ndarray, bearings_deg: np.ndarray, sat_itrs_km: np.ndarray, rule,
          tolerance_m: float, height_m: float):
    """Bisection on the rule's ``margin_deg_at`` along geodesic rays, all rays at once.

    ``start_lonlat`` (m, 2) or (1, 2), ``bearings_deg`` (m,) and ``sat_itrs_km``
    (3, m) or (3, 1) describe one ray each.  Returns (lon_deg, lat_deg, distance_m).
    """
    from cartopy.geodesic import Geodesic
    geod = Geodesic()
    rule = rule.geometric() if hasattr(rule, "geometric") else rule

    def margin(distance_m):
        pts = geod.direct(start_lonlat, bearings_deg, distance_m)
        lon, lat = pts[:, 0], pts[:, 1]
        site = ground_itrs_km(lat, lon, np.full_like(lat, height_m))
        return rule.margin_deg_at(sat_itrs_km, site, enu_basis(lat, lon)), lon, lat

    lo = np.zeros(len(bearings_deg))
    hi = np.full(len(bearings_deg), HALF_MERIDIAN_M)
    while np.max(hi - lo) > tolerance_m:
        mid = (lo + hi) / 2
        inside = margin(mid)[0] >= 0
        lo = np.where(inside, mid, lo)
        hi = np.where(inside, hi, mid)
    _, lon, lat = margin((lo + hi) / 2)
    return lon, lat, (lo + hi) / 2


def edge_rules(rule):
    """(outer, inner): rules whose footprints bound where ``rule`` gives access.

    A radar images only within its incidence window, a band between the far edge
    (outer: incidence = its maximum, elevation 90 - max) and the near edge (inner:
    incidence = its minimum); nadir is outside.  Any other rule's access is the whole
    inside of one edge: ``(rule, None)``.
    """
    incidence = getattr(rule, "incidence_deg", None)
    if incidence is None:
        return rule, None
    return VisibilityRule(90.0 - incidence[1]), VisibilityRule(90.0 - incidence[0])


def footprint(sat_itrs_km: np.ndarray, sub_lat_deg: float, sub_lon_deg: float,
              rule: VisibilityRule, n_bearings: int = 180, tolerance_m: float = 50.0,
              bearings_deg=None, height_m: float = 0.0):
    """The ground boundary at which the rule is exactly met (radio: the rule's elevation).

    Solved along geodesic rays from the sub-satellite point (cartopy's
    ``Geodesic``) by bisection on the rule's ``margin_deg_at``, so the edge
    agrees with the pass search (for ground points ``height_m`` above the
    ellipsoid).  An imaging rule's Sun constraint is not applied.  Returns (lon_deg, lat_deg) arrays
    closed on themselves (first point repeated).
    """
    bearings = (np.linspace(0.0, 360.0, n_bearings, endpoint=False) if bearings_deg is None
                else np.atleast_1d(np.asarray(bearings_deg, float)))
    start = np.array([[sub_lon_deg, sub_lat_deg]])
    pos = np.asarray(sat_itrs_km, float).reshape(3, 1)
    lon, lat, distance = _edge(start, bearings, pos, rule, tolerance_m, height_m)
    return np.append(lon, lon[0]), np.append(lat, lat[0]), distance


def edge_distances_m(sat_itrs_km: np.ndarray, sub_lat_deg, sub_lon_deg, bearings_deg, rule,
                     tolerance_m: float = 50.0, height_m: float = 0.0) -> np.ndarray:
    """Distance (m) from each of ``n`` sub-points along each of its ``k`` bearings to the
    rule's edge, in one bisection over all ``n x k`` rays (what :func:`footprint` finds for
    one position).  ``sat_itrs_km`` (3, n); ``bearings_deg`` (n, k).  NaN for a position
    that is NaN."""
    sat = np.asarray(sat_itrs_km, float).reshape(3, -1)
    lat, lon = np.ravel(sub_lat_deg).astype(float), np.ravel(sub_lon_deg).astype(float)
    bearings = np.asarray(bearings_deg, float).reshape(len(lat), -1)
    n, k = bearings.shape
    out = np.full((n, k), np.nan)
    ok = np.flatnonzero(~(np.isnan(lat) | np.isnan(lon) | np.isnan(sat).any(axis=0)))
    if not len(ok):
        return out
    start = np.repeat(np.column_stack([lon[ok], lat[ok]]), k, axis=0)
    _, _, d = _edge(start, bearings[ok].ravel(), np.repeat(sat[:, ok], k, axis=1), rule,
                    tolerance_m, height_m)
    out[ok] = d.reshape(len(ok), k)
    return out


def footprints(sat_itrs_km: np.ndarray, sub_lat_deg, sub_lon_deg, rule,
               n_bearings: int = 72, tolerance_m: float = 200.0, height_m: float = 0.0):
    """Footprints of many positions of one satellite (or one rule) in one bisection.

    ``sat_itrs_km`` (3, n) with sub-points ``sub_lat_deg``/``sub_lon_deg`` (n,).
    Returns (lon_deg, lat_deg) of shape (n, n_bearings): the edge along
    bearings 0, 360/n_bearings, ... clockwise from north (not closed), the
    same points :func:`footprint` finds one position at a time.
    """
    sat = np.asarray(sat_itrs_km, float).reshape(3, -1)
    n = sat.shape[1]
    bearings = np.linspace(0.0, 360.0, n_bearings, endpoint=False)
    start = np.repeat(np.column_stack([np.ravel(sub_lon_deg), np.ravel(sub_lat_deg)]),
                      n_bearings, axis=0)
    lon, lat, _ = _edge(start, np.tile(bearings, n), np.repeat(sat, n_bearings, axis=1), rule,
                        tolerance_m, height_m)
    return lon.reshape(n, n_bearings), lat.reshape(n, n_bearings)
