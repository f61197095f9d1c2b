"""Imaging opportunities: when a satellite can image a point or an area, and how.

An opportunity is an interval in which the imaging rule
(:class:`~orbitview.access.rules.ImagingRule`) holds for the target; for an area, for
at least one of its sample points.  The search:

1. samples the orbit every ``COARSE_STEP_S`` and keeps the stretches where
   the sub-satellite point is within reach of the target (field of regard
   plus the target's radius plus the ground covered in half a step);
2. evaluates the rule at every sample point of the target each
   ``FINE_STEP_S`` within those stretches, in one array operation per stretch;
3. refines each start and end by bisection on the rule's margin to
   ``EVENT_TOLERANCE_S``, and refines sampled local maxima of the margin so
   that opportunities shorter than the fine step are not lost.

Each opportunity is described at one instant: for a point, the moment of the
smallest off-nadir angle (the sharpest image); for an area, the sample time
with the largest share of the area inside the field of regard, looking at the
area's point nearest nadir.  The share of an area "seen" by an opportunity is
the area-weighted share of its points that were inside the field of regard
at some instant of it (an agile satellite could point at any of them).

A side-looking radar (:attr:`~orbitview.access.rules.ImagingRule.side_looking`)
images a point only while it is abeam (zero Doppler), so its search is its own:
in each candidate stretch, the instant each point is abeam is solved (the
along-track angle's zero, by bisection to :data:`ABEAM_TOLERANCE_S`) and the
rule (incidence window, side) is evaluated there.  A pass is one opportunity at
most, from the first imaged point's abeam instant to the last's, widened by the
beam's dwell (:data:`~orbitview.access.rules.BROADSIDE_HALF_BEAM_DEG`); a point
that passes inside the near-nadir gap is not imaged in that pass at all (the
incidence window swept round nadir would find it twice, ahead and behind).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from orbitview.access.rules import (
    BROADSIDE_HALF_BEAM_DEG,
    MEAN_EARTH_RADIUS_KM,
    along_track_angle_deg,
    cross_track_angle_deg,
    imaging_angles,
    off_nadir_reach_deg,
    sun_azimuth_deg,
    sun_elevation_deg,
    sun_unit_itrs,
)
from orbitview.util.errors import UsageError

COARSE_STEP_S = 30.0
FINE_STEP_S = 1.0
EVENT_TOLERANCE_S = 0.1
REACH_MARGIN_DEG = 1.0
"""Added to the field of regard's reach in the coarse filter: the ellipsoid's effect on the
spherical closed form (< 0.2 deg) with room to spare."""
GROUND_SPEED_DEG_S = 0.07
"""Upper bound of a LEO sub-satellite point's speed (7.8 km/s) in Earth central angle."""
FINE_BLOCK = 512
ABEAM_TOLERANCE_S = 0.01
"""A side-looking radar's abeam instant is solved to this (the satellite moves 75 m)."""


class _Orbit:
    """Earth-fixed positions, velocities and Sun directions of one satellite at seconds
    from ``start`` (the propagation module's SGP4 and TEME->ITRS rotation)."""

    def __init__(self, sat, start: dt.datetime, end: dt.datetime, hold: bool = True):
        from orbitview.util.timeutil import timescale
        self.history = sat.require_elements()
        self.start, self.hold = start, hold
        self.record = getattr(sat, "record", None)
        ts = timescale()
        t0 = ts.utc(start.year, start.month, start.day, start.hour, start.minute,
                    start.second + start.microsecond / 1e6)
        from orbitview.orbit.frames import sgp4_jd
        whole, fraction = sgp4_jd(t0)
        self.jd0, self.fr0 = float(whole[0]), float(fraction[0])
        self.epochs = np.array([es.epoch_jd for es in self.history])

    def position(self, seconds) -> np.ndarray:
        from orbitview.orbit.frames import gmst_rad, teme_to_itrs
        from orbitview.orbit.propagate import history_teme
        t = self.times(seconds)
        return teme_to_itrs(history_teme(self.history, t, hold=self.hold, record=self.record)[1],
                            gmst_rad(t))

    def velocity(self, seconds) -> np.ndarray:
        """Earth-fixed velocity (km/s) by a centred 1 s difference (error ~1e-6 of it)."""
        s = np.atleast_1d(np.asarray(seconds, float))
        return self.position(s + 0.5) - self.position(s - 0.5)

    def times(self, seconds):
        from orbitview.util.timeutil import timescale
        s = np.atleast_1d(np.asarray(seconds, float))
        st = self.start
        return timescale().utc(st.year, st.month, st.day, st.hour, st.minute,
                               st.second + st.microsecond / 1e6 + s)

    def sun(self, seconds) -> np.ndarray:
        return sun_unit_itrs(self.times(seconds))

    def epoch_age_days(self, seconds) -> np.ndarray:
        jd = self.jd0 + self.fr0 + np.atleast_1d(seconds) / 86400.0
        return jd - self.epochs[self._set_index(jd)]

    def _set_index(self, jd):
        from orbitview.data.elements import nearest_index
        return nearest_index(self.epochs, jd)

    def error_bound(self, second: float):
        """90 % error bound (:mod:`orbitview.orbit.accuracy`) of the position at ``second``."""
        from orbitview.orbit.accuracy import error_bound
        jd = self.jd0 + self.fr0 + second / 86400.0
        es = self.history[int(self._set_index(np.array([jd]))[0])]
        return error_bound(self.history, jd - es.epoch_jd, element_set=es, record=self.record)


def _margins(rule, orbit: _Orbit, seconds, pts, enu, points=None) -> np.ndarray:
    """Rule margin (n_time, n_point) at ``seconds`` for the target's points."""
    s = np.atleast_1d(np.asarray(seconds, float))
    if points is not None:
        pts, enu = pts[:, points], enu[:, :, points]
    out = np.empty((len(s), pts.shape[1]))
    for a in range(0, len(s), FINE_BLOCK):
        b = min(a + FINE_BLOCK, len(s))
        sat = orbit.position(s[a:b])[:, :, None]
        sun = orbit.sun(s[a:b])[:, :, None] if rule.needs_sun else None
        vel = orbit.velocity(s[a:b])[:, :, None] if rule.needs_velocity else None
        out[a:b] = rule.margin_deg_at(sat, pts[:, None, :], enu[:, :, None, :], sun, vel)
    return np.where(np.isnan(out), -180.0, out)


def _candidate_windows(rule, orbit: _Orbit, target, span_s: float, step_s: float):
    """(start, end) seconds of stretches where the target may be in reach."""
    n = int(np.ceil(span_s / step_s)) + 1
    s = np.minimum(np.arange(n) * step_s, span_s)
    pos = orbit.position(s)
    r = np.linalg.norm(pos, axis=0)
    altitude = r - MEAN_EARTH_RADIUS_KM
    lat0, lon0 = target.centre
    c = np.radians([lat0, lon0])
    centre = np.array([np.cos(c[0]) * np.cos(c[1]), np.cos(c[0]) * np.sin(c[1]), np.sin(c[0])])
    angle = np.degrees(np.arccos(np.clip(centre @ (pos / r), -1, 1)))
    reach = off_nadir_reach_deg(rule.field_of_regard_deg(altitude), altitude)
    horizon = np.degrees(np.arccos(MEAN_EARTH_RADIUS_KM / r))
    reach = np.where(np.isnan(reach), horizon, np.minimum(reach, horizon))
    near = angle <= reach + target.radius_deg + REACH_MARGIN_DEG + \
        GROUND_SPEED_DEG_S * step_s / 2
    near &= ~np.isnan(r)
    if not near.any():
        return []
    edges = np.diff(np.r_[0, near.astype(np.int8), 0])
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    out = []
    for a, b in zip(starts, ends):
        lo, hi = max(s[a] - step_s, 0.0), min(s[b] + step_s, span_s)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def find_opportunities(sat, target, start: dt.datetime, end: dt.datetime, rule,
                       sensor=None, coarse_step_s: float = COARSE_STEP_S,
                       fine_step_s: float = FINE_STEP_S, hold: bool = True) -> list[dict]:
    """Every imaging opportunity of ``sat`` on ``target`` between ``start`` and ``end``.

    ``rule`` is the satellite's :class:`~orbitview.access.rules.ImagingRule`;
    ``sensor`` (a :class:`~orbitview.data.sensors.Sensor`) supplies the nadir ground
    sample distance.  Rows are plain dicts (see :data:`COLUMNS`); ``_seen`` holds
    the boolean mask of the target's points seen, for cumulative shares.
    """
    span = (end - start).total_seconds()
    if span <= 0:
        raise UsageError("the opportunity search window is empty.\nFix: give --days > 0.")
    orbit = _Orbit(sat, start, end, hold=hold)
    pts, enu = target.itrs_km, target.enu

    def best_margin(seconds):
        seconds = np.asarray(seconds, float)
        return _margins(rule, orbit, seconds.ravel(), pts, enu).max(axis=1).reshape(
            seconds.shape)

    intervals = []              # (aos, los, seen mask, sample seconds inside, samples margin)
    side_looking = bool(getattr(rule, "side_looking", False))
    for lo, hi in _candidate_windows(rule, orbit, target, span, coarse_step_s):
        if side_looking:
            found = _abeam_interval(rule, orbit, target, lo, hi, span, fine_step_s)
            intervals += [found] if found is not None else []
            continue
        s = np.arange(lo, hi + fine_step_s / 2, fine_step_s)
        s = np.minimum(s, hi)
        m = _margins(rule, orbit, s, pts, enu)
        f = m.max(axis=1)
        above = f >= 0
        runs = []
        if above.any():
            edges = np.diff(np.r_[0, above.astype(np.int8), 0])
            for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1):
                runs.append((a, b))
        # Opportunities shorter than a fine step: sampled local maxima below zero.
        peaks = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:]) & (f[1:-1] < 0)) + 1
        short = []
        if len(peaks):
            t_max, f_max = _golden_max(best_margin, s[peaks - 1], s[peaks + 1],
                                       tolerance_s=EVENT_TOLERANCE_S)
            short = [(float(t), k) for t, fm, k in zip(t_max, f_max, peaks) if fm >= 0]
        aos_lo, aos_hi, los_lo, los_hi, meta = [], [], [], [], []
        for a, b in runs:
            starts_at_edge = a == 0 and s[0] == 0.0
            ends_at_edge = b == len(s) - 1 and s[-1] == span
            aos_lo.append(s[max(a - 1, 0)])
            aos_hi.append(s[a])
            los_lo.append(s[b])
            los_hi.append(s[min(b + 1, len(s) - 1)])
            meta.append((m[a:b + 1] >= 0, s[a:b + 1], m[a:b + 1], starts_at_edge,
                         ends_at_edge))
        for t_peak, k in short:
            aos_lo.append(s[k - 1])
            aos_hi.append(t_peak)
            los_lo.append(t_peak)
            los_hi.append(s[k + 1])
            mp = _margins(rule, orbit, [t_peak], pts, enu)
            meta.append((mp >= 0, np.array([t_peak]), mp, False, False))
        aos = _bisect(best_margin, aos_lo, aos_hi)
        los = _bisect(best_margin, los_lo, los_hi, rising=False)
        found = []
        for i, (seen_t, s_in, m_in, at_start, at_end) in enumerate(meta):
            a = 0.0 if at_start else float(aos[i])
            b = span if at_end else float(los[i])
            found.append([a, b, seen_t.any(axis=0), s_in, m_in, at_start, at_end])
        found.sort(key=lambda x: x[0])
        if target.kind == "area":
            found = _merge_same_pass(found)
        intervals += found
    intervals.sort(key=lambda x: x[0])
    return [_describe(orbit, target, rule, sensor, *iv) for iv in intervals]


def _abeam_interval(rule, orbit: _Orbit, target, lo: float, hi: float, span: float,
                    step_s: float):
    """A side-looking radar's opportunity in one candidate stretch (one pass), or None.

    Each point's abeam instant is where its along-track angle falls through zero (found
    on the ``step_s`` samples, then bisected); the rule is evaluated there.  The
    opportunity runs from the first imaged point's instant to the last's, widened by the
    beam's dwell (the time the along-track angle takes to change by
    :data:`BROADSIDE_HALF_BEAM_DEG`); it is described at the imaged point nearest nadir.
    Returns ``[aos, los, seen, None, None, at_start, at_end, (t_best, k_best)]``.
    """
    pts, enu = target.itrs_km, target.enu
    n_pts = pts.shape[1]
    s = np.minimum(np.arange(lo, hi + step_s / 2, step_s), hi)
    if len(s) < 2:
        return None
    crossing = np.full(n_pts, -1)                  # sample index before each abeam instant
    rate = np.zeros(n_pts)                         # |d along / dt|, deg/s, there
    prev = None
    for a in range(0, len(s), FINE_BLOCK):
        b = min(a + FINE_BLOCK, len(s))
        block = s[a:b]
        along = along_track_angle_deg(orbit.position(block)[:, :, None],
                                      orbit.velocity(block)[:, :, None], pts[:, None, :])
        if prev is not None:                       # the pair across the block boundary
            along = np.vstack([prev, along])
            first = a - 1
        else:
            first = a
        with np.errstate(invalid="ignore"):
            falls = (along[:-1] > 0) & (along[1:] <= 0)
        new = falls.any(axis=0) & (crossing < 0)
        idx = np.argmax(falls, axis=0)
        crossing[new] = first + idx[new]
        cols = np.flatnonzero(new)
        rate[cols] = np.abs(along[idx[cols] + 1, cols] - along[idx[cols], cols]) / step_s
        prev = along[-1:]
    pick = np.flatnonzero(crossing >= 0)
    if not len(pick):
        return None
    t_lo, t_hi = s[crossing[pick]], s[crossing[pick] + 1]
    while np.max(t_hi - t_lo, initial=0.0) > ABEAM_TOLERANCE_S:
        mid = (t_lo + t_hi) / 2
        ahead = along_track_angle_deg(orbit.position(mid), orbit.velocity(mid),
                                      pts[:, pick]) > 0
        t_lo = np.where(ahead, mid, t_lo)
        t_hi = np.where(ahead, t_hi, mid)
    t = (t_lo + t_hi) / 2
    sat, vel = orbit.position(t), orbit.velocity(t)
    sun = orbit.sun(t) if rule.needs_sun else None
    margin = rule.margin_deg_at(sat, pts[:, pick], enu[:, :, pick], sun, vel)
    ok = margin >= 0
    if not ok.any():
        return None
    seen = np.zeros(n_pts, bool)
    seen[pick[ok]] = True
    dwell = BROADSIDE_HALF_BEAM_DEG / np.maximum(rate[pick[ok]], 1e-6)
    aos = float(np.min(t[ok] - dwell))
    los = float(np.max(t[ok] + dwell))
    off = imaging_angles(sat[:, ok], pts[:, pick[ok]], enu[:, :, pick[ok]])["off_nadir_deg"]
    j = int(np.argmin(off))
    best = (float(t[ok][j]), int(pick[ok][j]))
    return [max(aos, 0.0), min(los, span), seen, None, None, aos < 0.0, los > span, best]


AREA_MERGE_GAP_S = 120.0
"""Within one pass, an area's accessible stretches closer than this are one opportunity
(the edge of the field of regard can graze a ragged boundary in and out)."""


def _merge_same_pass(found):
    out = []
    for item in found:
        if out and item[0] - out[-1][1] < AREA_MERGE_GAP_S:
            prev = out[-1]
            prev[1] = item[1]
            prev[2] = prev[2] | item[2]
            prev[3] = np.concatenate([prev[3], item[3]])
            prev[4] = np.concatenate([prev[4], item[4]])
            prev[6] = item[6]
        else:
            out.append(item)
    return out


def _describe(orbit, target, rule, sensor, aos, los, seen, s_in, m_in, at_start, at_end,
              best=None):
    """One opportunity row: geometry at its best instant (``best``: (seconds, point index)
    when the search found it, as a radar's abeam instant)."""
    pts, enu = target.itrs_km, target.enu
    if best is not None:
        t_best, k = best
    elif target.kind == "point":
        def neg_off(seconds):
            seconds = np.asarray(seconds, float)
            g = imaging_angles(orbit.position(seconds.ravel()), pts, enu)
            return -g["off_nadir_deg"].reshape(seconds.shape)
        t_best, _ = _golden_max(neg_off, [aos], [los], tolerance_s=EVENT_TOLERANCE_S)
        t_best = float(t_best[0])
        k = 0
    else:
        inside = m_in >= 0
        share_t = inside @ target.weight
        best = np.flatnonzero(share_t >= share_t.max() - 1e-12)
        j = int(best[len(best) // 2])
        t_best = float(s_in[j])
        g = imaging_angles(orbit.position([t_best]), pts, enu)
        off = np.where(inside[j], np.ravel(g["off_nadir_deg"]), np.inf)
        k = int(np.argmin(off))
    sat = orbit.position([t_best])
    vel = orbit.velocity([t_best])
    sun = orbit.sun([t_best])
    p, e = pts[:, k:k + 1], enu[:, :, k:k + 1]
    g = imaging_angles(sat, p, e)
    cross = float(cross_track_angle_deg(sat, vel, p)[0])
    off = float(g["off_nadir_deg"][0])
    vza = float(g["view_zenith_deg"][0])
    rng, alt = float(g["range_km"][0]), float(g["altitude_km"][0])
    gsd = gsd_look = None
    if sensor is not None and sensor["gsd_m"] is not None and sensor.kind.value != "SAR":
        gsd0 = float(sensor["gsd_m"])
        cos_vza = np.cos(np.radians(vza))
        gsd = gsd0 * rng / alt / np.sqrt(cos_vza)
        gsd_look = gsd0 * rng / alt / cos_vza
    when = orbit.start + dt.timedelta(seconds=t_best)
    bound = orbit.error_bound(t_best)
    return {
        "norad_id": orbit.history[-1].norad_id,
        "name": getattr(sensor, "name", None) or orbit.history[-1].name,
        "target": target.name,
        "start_utc": orbit.start + dt.timedelta(seconds=aos),
        "time_utc": when,
        "end_utc": orbit.start + dt.timedelta(seconds=los),
        "duration_s": round(los - aos, 1),
        "off_nadir_deg": round(off, 2),
        "side": "nadir" if off < 0.05 else ("right" if cross > 0 else "left"),
        "view_azimuth_deg": round(float(g["view_azimuth_deg"][0]), 1),
        "view_zenith_deg": round(vza, 2),
        "sun_elevation_deg": round(float(sun_elevation_deg(e, sun)[0]), 2),
        "sun_azimuth_deg": round(float(sun_azimuth_deg(e, sun)[0]), 1),
        "pass_direction": "ascending" if vel[2, 0] > 0 else "descending",
        "gsd_m": None if gsd is None else round(float(gsd), 2),
        "gsd_look_m": None if gsd_look is None else round(float(gsd_look), 2),
        "range_km": round(rng, 1),
        "altitude_km": round(alt, 1),
        "point_lat_deg": round(float(target.lat_deg[k]), 4),
        "point_lon_deg": round(float(target.lon_deg[k]), 4),
        "area_share_pct": round(100.0 * float(target.weight[seen].sum()), 1),
        "epoch_age_days": round(float(orbit.epoch_age_days([t_best])[0]), 2) + 0.0,
        "timing_error_s": None if bound.timing_s is None or bound.phase_lost
        else round(float(bound.timing_s), 1),
        "cross_track_error_km": round(float(bound.cross_km), 2),
        "position_bound_km": round(float(bound.position_km), 1),
        "timing_bound_s": None if bound.timing_s is None else round(float(bound.timing_s), 1),
        "phase_lost": bool(bound.phase_lost),
        "timing_error": bound.timing_text(),
        "in_progress_at_start": bool(at_start),
        "in_progress_at_end": bool(at_end),
        "assumed": "; ".join(rule.assumptions),
        "_seen": seen,
    }


COLUMNS = ["norad_id", "name", "target", "start_utc", "time_utc", "time_local", "end_utc",
           "duration_s", "off_nadir_deg", "side", "view_azimuth_deg", "view_zenith_deg",
           "sun_elevation_deg", "sun_azimuth_deg", "pass_direction", "gsd_m", "gsd_look_m",
           "range_km", "altitude_km", "point_lat_deg", "point_lon_deg", "area_share_pct",
           "cumulative_share_pct", "epoch_age_days", "timing_error_s", "cross_track_error_km",
           "position_bound_km", "timing_bound_s", "phase_lost", "in_progress_at_start",
           "in_progress_at_end", "assumed"]
"""Columns of an opportunity row, in output order."""


def opportunities(satellites, target, start: dt.datetime, end: dt.datetime, rule,
                  sensors: dict | None = None, zone: dt.tzinfo | None = None,
                  progress=None, starts: dict | None = None,
                  **search) -> tuple[list[dict], dict]:
    """Opportunities of several satellites on one target, in time order, with the
    cumulative share of the target seen; returns ``(rows, summary)``.

    ``rule`` is one rule for the fleet (``rule.for_satellite(sat)``).  The summary
    gives the share seen by the end and when (and after how long) the whole
    target had been seen at least once.  ``progress(done, total)``, if given, is told
    the satellites searched after each one (:mod:`orbitview.util.progress`).
    ``starts`` ({norad_id: time}) starts a satellite's search later than ``start`` (at its
    launch: no opportunity before it happened).
    """
    from orbitview.data.localtime import PAKISTAN_ZONE, get_zone
    zone = zone or get_zone(PAKISTAN_ZONE)
    rows = []
    satellites = list(satellites)
    for i, sat in enumerate(satellites):
        sensor = (sensors or {}).get(sat.norad_id)
        own_start = max(start, (starts or {}).get(sat.norad_id, start))
        rows += find_opportunities(sat, target, own_start, end, rule.for_satellite(sat),
                                   sensor, **search)
        if progress is not None:
            progress(i + 1, len(satellites))
    rows.sort(key=lambda r: (r["time_utc"], r["name"]))
    seen = np.zeros(len(target.lat_deg), bool)
    full_at = None
    for r in rows:
        seen |= r.pop("_seen")
        r["cumulative_share_pct"] = round(100.0 * float(target.weight[seen].sum()), 1)
        r["time_local"] = r["time_utc"].astimezone(zone)
        if full_at is None and seen.all():
            full_at = r["end_utc"]
    summary = {
        "target": target.name, "kind": target.kind, "points": int(len(target.lat_deg)),
        "opportunities": len(rows),
        "share_seen_pct": round(100.0 * float(target.weight[seen].sum()), 1),
        "fully_seen_utc": full_at,
        "hours_to_full": None if full_at is None else
        round((full_at - start).total_seconds() / 3600.0, 2),
    }
    return rows, summary


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
