"""Visibility footprints: the ground boundary where the rule is just met."""

from __future__ import annotations

import numpy as np

from .access import VisibilityRule, look_angles
from .sites import enu_basis, ground_itrs_km


def footprint(sat_itrs_km: np.ndarray, sub_lat_deg: float, sub_lon_deg: float,
              rule: VisibilityRule, n_bearings: int = 180, tolerance_m: float = 50.0,
              bearings_deg=None, height_m: float = 0.0):
    """The ground boundary from which the satellite stands exactly at the rule's elevation.

    Solved along geodesic rays from the sub-satellite point (cartopy's
    ``Geodesic``) by bisection on :meth:`VisibilityRule.margin_deg`, so the
    edge agrees with the pass search (for ground points ``height_m`` above the
    ellipsoid).  Returns (lon_deg, lat_deg) arrays
    closed on themselves (first point repeated).
    """
    from cartopy.geodesic import Geodesic
    geod = Geodesic()
    bearings = (np.linspace(0.0, 360.0, n_bearings, endpoint=False) if bearings_deg is None
                else np.atleast_1d(np.asarray(bearings_deg, float)))
    n_bearings = len(bearings)
    start = np.array([[sub_lon_deg, sub_lat_deg]])
    pos = np.asarray(sat_itrs_km, float).reshape(3, 1)

    def margin(distance_m):
        pts = geod.direct(start, bearings, distance_m)
        lon, lat = pts[:, 0], pts[:, 1]
        site = ground_itrs_km(lat, lon, np.full_like(lat, height_m))
        az, el, _ = look_angles(site, enu_basis(lat, lon), pos)
        return rule.margin_deg(az, el), lon, lat

    lo = np.zeros(n_bearings)
    hi = np.full(n_bearings, 10_007_000.0)       # half a meridian: the far side of the Earth
    while np.max(hi - lo) > tolerance_m:
        mid = (lo + hi) / 2
        m, _, _ = margin(mid)
        inside = m >= 0
        lo = np.where(inside, mid, lo)
        hi = np.where(inside, hi, mid)
    _, lon, lat = margin((lo + hi) / 2)
    return np.append(lon, lon[0]), np.append(lat, lat[0]), (lo + hi) / 2
