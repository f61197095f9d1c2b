"""Where is it now: one row per object with sub-point, place below, sky position, next pass.

:func:`now_rows` is the engine of ``orbitview now``: plain rows, no printing.
The place under the satellite is a Pakistani province or territory when it is
over Pakistan, else the Natural Earth country, else "ocean" (bundled basemap,
no download).
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np

NEXT_PASS_SEARCH_DAYS = 2.0
"""How far ahead ``now`` looks for the next pass."""


@functools.lru_cache(maxsize=1)
def _countries():
    import cartopy.io.shapereader as shapereader
    from shapely.prepared import prep

    from orbitview.data.regions import BASEMAP_DIR
    path = (BASEMAP_DIR / "shapefiles" / "natural_earth" / "cultural"
            / "ne_110m_admin_0_countries.shp")
    reader = shapereader.Reader(str(path))
    return [(r.attributes["NAME"], prep(r.geometry), r.geometry) for r in reader.records()]


@functools.lru_cache(maxsize=1)
def _provinces():
    from shapely.prepared import prep

    from orbitview.data.regions import province_polygons
    return [(name, prep(poly)) for name, poly in province_polygons().items()]


def place_below(lat_deg: float, lon_deg: float) -> str:
    """'Punjab, Pakistan', 'China', 'ocean' (or '' for NaN positions)."""
    if not (np.isfinite(lat_deg) and np.isfinite(lon_deg)):
        return ""
    from shapely.geometry import Point
    point = Point(float(lon_deg), float(lat_deg))
    for name, poly in _provinces():
        if poly.contains(point):
            return f"{name}, Pakistan"
    for name, poly, _ in _countries():
        if poly.contains(point):
            return name
    return "ocean"


def upcoming_passes(sats, when: dt.datetime, site, rule,
                    search_days: float = NEXT_PASS_SEARCH_DAYS, hold: bool = True
                    ) -> dict[int, list[dict]]:
    """Passes of the low-orbit satellites from ``when`` on, by NORAD number."""
    from orbitview.access.passes import find_passes
    leo = [s for s in sats if not s.latest.is_deep_space]
    out: dict[int, list[dict]] = {}
    if site is None or rule is None or not leo:
        return out
    for p in find_passes(leo, site, when, when + dt.timedelta(days=search_days), rule,
                         hold=hold):
        out.setdefault(p["norad_id"], []).append(p)
    return out


def now_rows(sats, when: dt.datetime, site=None, rule=None,
             search_days: float = NEXT_PASS_SEARCH_DAYS, upcoming: dict | None = None,
             hold: bool = True) -> tuple[list[dict], list[str]]:
    """(rows, warnings) describing each satellite at ``when`` (and its next pass from ``site``).

    ``upcoming`` (from :func:`upcoming_passes`) saves the pass search when the
    same satellites are shown again a second later (``now --watch``).
    """
    from orbitview.access.passes import geo_visibility
    from orbitview.access.rules import look_angles
    from orbitview.data.sites import enu_basis
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale
    t = timescale().from_datetime(when)
    t = t.ts.tt_jd(np.atleast_1d(t.tt))
    prop = propagate(sats, t, sunlit=True, hold=hold)
    holds = getattr(prop, "holds", None) or [None] * len(sats)
    rows = []
    if site is not None:
        az, el, rng = look_angles(site.itrs_km[:, None], enu_basis(site.lat_deg, site.lon_deg),
                                  prop.itrs_km[:, :, 0])
    if upcoming is None:
        upcoming = upcoming_passes(sats, when, site, rule, search_days, hold=hold)
    for i, sat in enumerate(sats):
        age = float(prop.epoch_age_days[i, 0])
        es = prop.elements[i][int(prop.set_index[i, 0])]
        bound = error_bound(sat, age, held=holds[i] is not None, element_set=es)
        lat, lon = float(prop.lat_deg[i, 0]), float(prop.lon_deg[i, 0])
        row = {"norad_id": sat.norad_id, "name": sat.name, "time_utc": when,
               "lat_deg": round(lat, 3), "lon_deg": round(lon, 3),
               "altitude_km": round(float(prop.altitude_km[i, 0]), 1),
               "over": place_below(lat, lon),
               "sunlit": None if lat != lat else bool(prop.sunlit[i, 0]),   # NaN: unknown
               "elevation_deg": None, "azimuth_deg": None, "range_km": None,
               "next_aos_utc": None, "next_max_elevation_deg": None, "next_pass": "",
               "epoch_utc": es.epoch, "epoch_age_days": round(age, 2),
               "position_bound_km": round(bound.position_km, 1),
               "timing_bound_s": None if bound.timing_s is None else round(bound.timing_s, 1),
               "bound": bound, "held": holds[i]}
        if site is not None:
            row.update(elevation_deg=round(float(el[i]), 2), azimuth_deg=round(float(az[i]), 2),
                       range_km=round(float(rng[i]), 1))
            if sat.latest.is_deep_space and rule is not None:
                state = geo_visibility(sat, site, when, when + dt.timedelta(days=1),
                                       rule.for_satellite(sat), hold=hold)
                row["next_pass"] = ("always up" if state and state["visible"] == "continuously"
                                    else "never up" if state and state["visible"] == "never"
                                    else "")
            elif rule is not None:
                later = [p for p in upcoming.get(sat.norad_id, []) if p["los_utc"] > when]
                if later:
                    p = later[0]
                    row.update(next_aos_utc=p["aos_utc"],
                               next_max_elevation_deg=p["max_elevation_deg"],
                               next_pass="up now" if p["aos_utc"] <= when else "")
                else:
                    row["next_pass"] = f"none in {search_days:g} d"
        rows.append(row)
    return rows, prop.warnings()
