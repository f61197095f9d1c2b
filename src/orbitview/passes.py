"""Passes of a satellite over a ground site under the visibility rule.

A pass is an interval where :meth:`~orbitview.access.VisibilityRule.margin_deg`
is >= 0; AOS, TCA and LOS are refined from a sampled search.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .access import VisibilityRule, look_angles
from .errors import UsageError
from .sites import Site, enu_basis

def _positions_km(sat, t) -> np.ndarray:
    """ITRS positions (3, n_time) of one satellite (nearest-epoch sets), km."""
    from .propagate import propagate
    return propagate([sat], t).itrs_km[:, 0, :]


def site_view(sat, site: Site, t):
    """(azimuth_deg, elevation_deg, range_km) of ``sat`` from ``site`` at Time array ``t``."""
    pos = site.itrs_km[:, None]
    enu = enu_basis(site.lat_deg, site.lon_deg)
    return look_angles(pos, enu, _positions_km(sat, t))


def _times(start: dt.datetime, seconds: np.ndarray):
    from .timeutil import timescale
    return timescale().utc(start.year, start.month, start.day, start.hour, start.minute,
                           start.second + start.microsecond / 1e6 + np.asarray(seconds, float))


# --------------------------------------------------------------------------- passes

PASS_SEARCH_STEP_S = 60.0
"""Sampling step of the pass search.  Events are refined by bisection, and every sampled
local maximum is refined too, so passes shorter than the step are still found."""
EVENT_TOLERANCE_S = 0.1


def find_passes(sat, site: Site, start: dt.datetime, end: dt.datetime,
                rule: VisibilityRule, step_s: float | None = None) -> list[dict]:
    """Every pass of ``sat`` over ``site`` between ``start`` and ``end``.

    A pass is an interval where :meth:`VisibilityRule.margin_deg` is >= 0.
    Each local maximum of the sampled margin is refined (golden section), so
    passes shorter than the sampling step are not missed; AOS and LOS are
    refined by bisection to ``EVENT_TOLERANCE_S``.  A pass in progress at
    ``start`` (or at ``end``) starts (ends) there and is flagged.
    """
    from .propagate import TemeToItrs
    span = (end - start).total_seconds()
    if span <= 0:
        raise UsageError("the pass search window is empty.\nFix: give --days > 0.")
    history = sat.require_elements()
    latest = history[-1]
    frame = TemeToItrs(start, end)
    t_start = _times(start, np.zeros(1))
    jd0 = float(np.atleast_1d(t_start.whole)[0])
    fr0 = float(np.atleast_1d(t_start.tai_fraction - t_start._leap_seconds() / 86400.0)[0])
    step = step_s or (PASS_SEARCH_STEP_S if not latest.is_deep_space else 300.0)
    n = int(np.ceil(span / step)) + 1
    sec = np.linspace(0.0, span, n)
    pos = site.itrs_km[:, None]
    enu = enu_basis(site.lat_deg, site.lon_deg)

    def look(seconds):
        seconds = np.asarray(seconds, float).ravel()
        xyz = frame.positions_km([history], np.full(seconds.shape, jd0),
                                 fr0 + seconds / 86400.0)[:, 0, :]
        return look_angles(pos, enu, xyz)

    rule = rule.for_satellite(sat)

    def margin(seconds):
        seconds = np.asarray(seconds, float)
        flat = seconds.ravel()
        xyz = frame.positions_km([history], np.full(flat.shape, jd0),
                                 fr0 + flat / 86400.0)[:, 0, :]
        sun = vel = None
        if rule.needs_sun:
            from .access import sun_unit_itrs
            sun = sun_unit_itrs(_times(start, flat))
        if rule.needs_velocity:
            vel = frame.positions_km([history], np.full(flat.shape, jd0),
                                     fr0 + (flat + 0.5) / 86400.0)[:, 0, :] - \
                frame.positions_km([history], np.full(flat.shape, jd0),
                                   fr0 + (flat - 0.5) / 86400.0)[:, 0, :]
        return rule.margin_deg_at(xyz, pos, enu, sun, vel).reshape(seconds.shape)

    def elevation(seconds):
        seconds = np.asarray(seconds, float)
        return look(seconds)[1].reshape(seconds.shape)

    f = margin(sec)
    f = np.where(np.isnan(f), -90.0, f)           # SGP4 failure: not visible
    above = f >= 0
    passes = []
    if not above.any():
        # Short passes between samples: refine the sampled local maxima.
        peaks = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:])) + 1
        if len(peaks):
            t_max, f_max = _golden_max(margin, sec[peaks - 1], sec[peaks + 1])
            for k, tm, fm in zip(peaks, t_max, f_max):
                if fm >= 0:
                    passes.append((sec[k - 1], tm, sec[k + 1], True))
        if not passes:
            return []
    else:
        # Runs of samples at or above the rule.
        edges = np.diff(above.astype(np.int8))
        rises = list(np.flatnonzero(edges == 1) + 1)
        sets = list(np.flatnonzero(edges == -1))
        if above[0]:
            rises.insert(0, 0)
        if above[-1]:
            sets.append(n - 1)
        for r, s in zip(rises, sets):
            passes.append((r, None, s, False))
        # Short passes hidden between samples (a local max below zero in the samples).
        peaks = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:]) & (f[1:-1] < 0)) + 1
        if len(peaks):
            t_max, f_max = _golden_max(margin, sec[peaks - 1], sec[peaks + 1])
            for k, tm, fm in zip(peaks, t_max, f_max):
                if fm >= 0:
                    passes.append((sec[k - 1], tm, sec[k + 1], True))
    # Refine every AOS and every LOS in one vectorised bisection each.
    aos_lo, aos_hi, los_lo, los_hi, flags = [], [], [], [], []
    for a, tm, b, short in passes:
        if short:
            aos_lo.append(a), aos_hi.append(tm), los_lo.append(tm), los_hi.append(b)
            flags.append((False, False))
        else:
            started = a == 0 and above[0]
            ended = b == n - 1 and above[-1]
            aos_lo.append(sec[a - 1] if not started else 0.0)
            aos_hi.append(sec[a] if not started else 0.0)
            los_lo.append(sec[b] if not ended else span)
            los_hi.append(sec[b + 1] if not ended else span)
            flags.append((started, ended))
    aos_all = _bisect(margin, aos_lo, aos_hi)
    los_all = _bisect(margin, los_lo, los_hi, rising=False)
    rows = []
    for aos, los, (started, ended) in zip(aos_all, los_all, flags):
        rows.append([0.0 if started else aos, span if ended else los, started, ended])
    rows.sort()
    # Time of closest approach: the highest elevation within [AOS, LOS].
    aos_s = np.array([r[0] for r in rows])
    los_s = np.array([r[1] for r in rows])
    tca_s, _ = _golden_max(elevation, aos_s, los_s)
    t_all = _times(start, np.concatenate([aos_s, tca_s, los_s]))
    az, el, rng = site_view(sat, site, t_all)
    m = len(rows)
    sun_el = _sun_elevation(site, t_all[m:2 * m])
    from .propagate import propagate
    at_tca = propagate([sat], t_all[m:2 * m], sunlit=True)
    out = []
    for i, (aos, los, started, ended) in enumerate(rows):
        out.append({
            "norad_id": sat.norad_id, "name": sat.name,
            "aos_utc": start + dt.timedelta(seconds=float(aos)),
            "tca_utc": start + dt.timedelta(seconds=float(tca_s[i])),
            "los_utc": start + dt.timedelta(seconds=float(los)),
            "max_elevation_deg": round(float(el[m + i]), 2),
            "aos_azimuth_deg": round(float(az[i]), 1),
            "los_azimuth_deg": round(float(az[2 * m + i]), 1),
            "duration_s": round(float(los - aos), 1),
            "sunlit_at_tca": bool(at_tca.sunlit[0, i]),
            "site_sun_elevation_deg": round(float(sun_el[i]), 1),
            "epoch_age_days": round(float(at_tca.epoch_age_days[0, i]), 2),
            "in_progress_at_start": bool(started),
            "in_progress_at_end": bool(ended),
        })
    return out


def _bisect(f, lo, hi, rising: bool = True) -> np.ndarray:
    """Vectorised bisection of f's zero crossing in [lo, hi] (seconds)."""
    lo, hi = np.array(lo, float), np.array(hi, float)
    if lo.size == 0:
        return lo
    while np.max(hi - lo, initial=0) > EVENT_TOLERANCE_S:
        mid = (lo + hi) / 2
        fm = f(mid)
        up = (fm >= 0) if rising else (fm < 0)
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return (lo + hi) / 2


def _golden_max(f, lo, hi, tolerance_s: float = 0.2):
    """Vectorised golden-section search for the maximum of f on [lo, hi]."""
    g = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = np.array(lo, float), np.array(hi, float)
    c = b - g * (b - a)
    d = a + g * (b - a)
    fc, fd = f(c), f(d)
    while np.max(b - a, initial=0) > tolerance_s:
        left = fc > fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_new = b - g * (b - a)
        d_new = a + g * (b - a)
        c, d = c_new, d_new
        fc, fd = f(c), f(d)
    t = (a + b) / 2
    return t, f(t)


def _sun_elevation(site: Site, t) -> np.ndarray:
    from skyfield.toposlib import wgs84
    from .timeutil import ephemeris
    eph = ephemeris()
    observer = eph["earth"] + wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    alt, _, _ = observer.at(t).observe(eph["sun"]).apparent().altaz()
    return np.atleast_1d(alt.degrees)


def geo_visibility(sat, site: Site, start, end, rule) -> dict | None:
    """For a satellite that never rises or sets: a note on its constant visibility."""
    t = _times(start, np.linspace(0, (end - start).total_seconds(), 49))
    az, el, _ = site_view(sat, site, t)
    margin = rule.margin_deg(az, el)
    if np.all(margin >= 0):
        return {"visible": "continuously", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    if np.all(margin < 0):
        return {"visible": "never", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    return None
