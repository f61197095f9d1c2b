"""Footprints: the ground boundary where an access rule is just met.

For a radio rule it is the visibility circle; for an imaging rule the edge of
the instrument's field of regard (the Sun is left out: a map draws the
terminator at the rule's minimum Sun elevation separately).
"""

from __future__ import annotations

import numpy as np

from .access import VisibilityRule
from .sites import enu_basis, ground_itrs_km


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
    from cartopy.geodesic import Geodesic
    geod = Geodesic()
    bearings = (np.linspace(0.0, 360.0, n_bearings, endpoint=False) if bearings_deg is None
                else np.atleast_1d(np.asarray(bearings_deg, float)))
    n_bearings = len(bearings)
    start = np.array([[sub_lon_deg, sub_lat_deg]])
    pos = np.asarray(sat_itrs_km, float).reshape(3, 1)
    rule = rule.geometric() if hasattr(rule, "geometric") else rule

    def margin(distance_m):
        pts = geod.direct(start, bearings, distance_m)
        lon, lat = pts[:, 0], pts[:, 1]
        site = ground_itrs_km(lat, lon, np.full_like(lat, height_m))
        return rule.margin_deg_at(pos, site, enu_basis(lat, lon)), lon, lat

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
