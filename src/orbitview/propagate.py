"""Satellites x times through SGP4 in one vectorised pass.

Positions come back as arrays of shape ``(n_sat, n_time)``: WGS84 geodetic
latitude and longitude in degrees, altitude in km, NaN where SGP4 failed.
For each satellite and time the element set whose epoch is nearest that time
is used, so past dates use the history.  TEME is turned into ITRS with
skyfield's own frame objects (``TEME`` and ``itrs``), and the geodetic
conversion is skyfield's ``wgs84``.  No Python loop runs over time steps; the
only loop is over element sets, to pick the times each one serves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray
from skyfield.constants import AU_KM, DAY_S, ERAD
from skyfield.framelib import itrs
from skyfield.functions import _T, mxm, rot_z
from skyfield.geometry import intersect_line_and_sphere
from skyfield.sgp4lib import TEME, theta_GMST1982
from skyfield.toposlib import wgs84
from skyfield.units import Distance

from .elements import STALE_AFTER_DAYS, ElementSet, nearest_index
from .timeutil import ephemeris, iso

CHUNK_POINTS = 4_000_000
"""Satellite-time points propagated at once; bounds memory (~100 bytes a point)."""


@dataclass(eq=False)
class Propagation:
    """Result of :func:`propagate`; every array is ``(n_sat, n_time)``."""

    names: list[str]
    norad_ids: list[int]
    t: object
    """skyfield ``Time`` array of length n_time."""
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    altitude_km: np.ndarray
    itrs_au: np.ndarray
    """Earth-fixed (ITRS) position, shape ``(3, n_sat, n_time)``, au."""
    epoch_age_days: np.ndarray
    """Time minus epoch of the element set used, days (negative: before the epoch)."""
    set_index: np.ndarray
    """Index into ``elements[i]`` of the set used at each time."""
    elements: list[list[ElementSet]]
    error_code: np.ndarray
    messages: list[list[str]] = field(default_factory=list)
    """Per satellite: readable SGP4 failures and staleness warnings."""
    sunlit: np.ndarray | None = None

    @property
    def times_utc(self) -> list[dt.datetime]:
        return list(np.atleast_1d(self.t.utc_datetime()))

    @property
    def itrs_km(self) -> np.ndarray:
        """Earth-fixed (ITRS) position, shape ``(3, n_sat, n_time)``, km."""
        return self.itrs_au * AU_KM

    def warnings(self) -> list[str]:
        return [m for ms in self.messages for m in ms]


class _EarthFixed:
    """Duck-types the one thing skyfield's ``Geoid`` reads from a position."""

    center = 399

    def __init__(self, xyz_au: np.ndarray):
        self._xyz = Distance(au=xyz_au)

    def frame_xyz(self, frame):
        assert frame is itrs
        return self._xyz


ANCHOR_DAYS = 1.0 / 24.0
"""Spacing of the times at which skyfield's frame objects are evaluated."""


def teme_to_itrs_matrix_exact(t) -> np.ndarray:
    """Rotation (3, 3, n_time) taking TEME to ITRS: skyfield's frame objects at every time."""
    return mxm(itrs.rotation_at(t), _T(TEME.rotation_at(t)))


def teme_to_itrs_matrix(t) -> np.ndarray:
    """Rotation (3, 3, n_time) taking TEME vectors to ITRS, from skyfield's frames.

    skyfield's ``TEME`` and ``itrs`` frames are evaluated at anchor times one
    hour apart (their precession-nutation terms cost ~90 us a time and cancel
    in this product).  Between anchors the Earth's rotation is carried by
    skyfield's ``theta_GMST1982``: TEME differs from the Earth-fixed frame by
    a rotation about z through GMST1982 alone (AIAA 2006-6753 Appendix C), so
    ``R(t) = R(anchor) rot_z(theta(anchor) - theta(t))`` holds to rounding
    (tested against :func:`teme_to_itrs_matrix_exact` at every time).
    """
    tt = np.atleast_1d(t.tt)
    anchor_tt, which = np.unique(np.round(tt / ANCHOR_DAYS) * ANCHOR_DAYS,
                                 return_inverse=True)
    anchors = t.ts.tt_jd(anchor_tt)
    R_anchor = teme_to_itrs_matrix_exact(anchors)
    theta, _ = theta_GMST1982(np.atleast_1d(t.whole), np.atleast_1d(t.ut1_fraction))
    theta_anchor, _ = theta_GMST1982(anchors.whole, anchors.ut1_fraction)
    R = mxm(R_anchor[:, :, which], rot_z(theta_anchor[which] - theta))
    return R if np.ndim(t.tt) else R[:, :, 0]


class TemeToItrs:
    """TEME->ITRS rotations for any UTC Julian dates in a window, built once.

    skyfield's frame objects are evaluated at anchors six hours apart covering
    the window (the rotation between them is exact, see above); between them the rotation is carried by ``theta_GMST1982`` as in
    :func:`teme_to_itrs_matrix`, with UT1-UTC interpolated between anchors.
    Used where one window is evaluated many times (pass refinement).
    """

    def __init__(self, start: dt.datetime, end: dt.datetime):
        from .timeutil import timescale
        ts = timescale()
        hours = np.arange(-6, int(np.ceil((end - start).total_seconds() / 3600.0)) + 12, 6)
        base = start.replace(minute=0, second=0, microsecond=0)
        anchors = ts.utc(base.year, base.month, base.day, base.hour + hours)
        self.R = teme_to_itrs_matrix_exact(anchors)
        self.theta, _ = theta_GMST1982(anchors.whole, anchors.ut1_fraction)
        self.utc_jd = np.asarray(anchors.whole) + (anchors.tai_fraction
                                                   - anchors._leap_seconds() / DAY_S)
        self.dut1_days = (np.asarray(anchors.whole) + anchors.ut1_fraction) - self.utc_jd

    def matrix(self, jd_whole: np.ndarray, jd_fraction: np.ndarray) -> np.ndarray:
        t = jd_whole + jd_fraction
        k = np.clip(np.searchsorted(self.utc_jd, t) - 1, 0, len(self.utc_jd) - 1)
        if np.any(t < self.utc_jd[0] - 1e-9) or np.any(t > self.utc_jd[-1] + 1e-9):
            raise ValueError("time outside the TemeToItrs window")
        dut1 = np.interp(t, self.utc_jd, self.dut1_days)
        theta, _ = theta_GMST1982(jd_whole, jd_fraction + dut1)
        return mxm(self.R[:, :, k], rot_z(self.theta[k] - theta))

    def positions_km(self, histories, jd_whole, jd_fraction) -> np.ndarray:
        """ITRS positions (3, n_sat, n) in km; NaN where SGP4 fails."""
        _, r, _ = sgp4_teme(histories, jd_whole, jd_fraction)
        return rotate(self.matrix(jd_whole, jd_fraction), r)


def rotate(R: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Apply per-time rotations R (3, 3, n_time) to r (n_sat, n_time, 3) -> (3, n_sat, n_time).

    Written as nine broadcast products: numpy's einsum is several times slower on
    this layout, and this is the hot path of every map.
    """
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    return np.stack([R[i, 0] * x + R[i, 1] * y + R[i, 2] * z for i in range(3)])


def _geodetic(xyz_au: np.ndarray):
    """WGS84 latitude, longitude (radians) and height (au) by skyfield's own iteration.

    ``wgs84.latlon_of`` and ``height_of`` would each run the iteration, and
    ``geographic_position_of`` also builds a rotation matrix per point; this
    runs it once.
    """
    _, x, y, R, aC, hyp, lat = wgs84._compute_latitude(_EarthFixed(xyz_au))
    lon = np.arctan2(y, x)
    height = np.sqrt(hyp * hyp + R * R) - aC
    return lat, lon, height


def sgp4_jd(t) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date split as SGP4 expects, exactly as skyfield's EarthSatellite does."""
    whole = np.atleast_1d(t.whole)
    fraction = np.atleast_1d(t.tai_fraction - t._leap_seconds() / DAY_S)
    return whole, fraction


def sgp4_teme(histories: list[list[ElementSet]], jd: np.ndarray, fr: np.ndarray):
    """Raw SGP4 over satellites x times with the nearest-epoch set of each.

    Returns ``(error (n_sat, n_time) uint8, r_km (n_sat, n_time, 3),
    set_index (n_sat, n_time) int)``.
    """
    n_sat, n_time = len(histories), len(jd)
    error = np.zeros((n_sat, n_time), dtype=np.uint8)
    r = np.empty((n_sat, n_time, 3))
    index = np.zeros((n_sat, n_time), dtype=int)
    whole_rows, whole_sets = [], []
    t_total = jd + fr
    for i, history in enumerate(histories):
        if len(history) == 1:
            whole_rows.append(i)
            whole_sets.append(history[0].satrec)
            continue
        index[i] = nearest_index([es.epoch_jd for es in history], t_total)
        used = np.unique(index[i])
        if len(used) == 1:
            whole_rows.append(i)
            whole_sets.append(history[used[0]].satrec)
            continue
        for k in used:
            mask = index[i] == k
            e, rk, _ = history[k].satrec.sgp4_array(jd[mask], fr[mask])
            error[i, mask] = e
            r[i, mask] = rk
    if whole_rows:
        e, rk, _ = SatrecArray(whole_sets).sgp4(jd, fr)
        error[whole_rows] = e
        r[whole_rows] = rk
    if error.any():
        r[error != 0] = np.nan
    return error, r, index


def propagate(satellites, t, sunlit: bool = False, hold: bool | None = None) -> Propagation:
    """Propagate ``satellites`` over the skyfield Time array ``t``.

    ``satellites`` are :class:`~orbitview.catalog.Satellite` objects (their
    element-set histories are used) or lists of :class:`ElementSet`.  With
    ``sunlit=True`` also flags whether each position is in sunlight, using
    JPL DE421 from the skyfield-data package (no download).  ``hold``
    (default: on unless ``--no-hold``) keeps station-kept GEO objects at their
    slot once their newest set is stale (:mod:`orbitview.geohold`).
    """
    histories, names, norads = [], [], []
    for s in satellites:
        history = s.require_elements() if hasattr(s, "require_elements") else list(s)
        histories.append(history)
        names.append(getattr(s, "name", history[-1].name))
        norads.append(history[-1].norad_id)
    t = t if np.ndim(t.tt) else t.ts.tt_jd(np.atleast_1d(t.tt))
    jd, fr = sgp4_jd(t)
    n_sat, n_time = len(histories), len(jd)
    chunk = max(1, CHUNK_POINTS // max(n_sat, 1))
    parts = []
    for a in range(0, n_time, chunk):
        b = min(a + chunk, n_time)
        tc = t[a:b] if (a, b) != (0, n_time) else t
        e, r_teme, idx = sgp4_teme(histories, jd[a:b], fr[a:b])
        xyz_au = rotate(teme_to_itrs_matrix(tc) / AU_KM, r_teme)
        lat_rad, lon_rad, height_au = _geodetic(xyz_au)
        np.degrees(lat_rad, out=lat_rad)
        np.degrees(lon_rad, out=lon_rad)
        height_au *= AU_KM
        parts.append((lat_rad, lon_rad, height_au, xyz_au, e, idx,
                      _sunlit(tc, r_teme) if sunlit else None))
    if len(parts) == 1:
        lat, lon, alt, xyz, error, index, lit = parts[0]
    else:
        lat, lon, alt, xyz, error, index, lit = (
            None if parts[0][k] is None else
            np.concatenate([p[k] for p in parts], axis=2 if k == 3 else 1)
            for k in range(7))
    t_total = jd + fr
    epochs = [np.array([es.epoch_jd for es in h]) for h in histories]
    age = np.stack([t_total - ep[ix] for ep, ix in zip(epochs, index)]) if n_sat else \
        np.empty((0, n_time))
    result = Propagation(names, norads, t, lat, lon, alt, xyz, age, index, histories, error,
                         sunlit=lit)
    max_age = np.nanmax(np.abs(age), axis=1, initial=0.0) if n_time else np.zeros(n_sat)
    from . import geohold  # post-processing: station-kept GEO slots (live)
    if geohold.enabled() if hold is None else hold:
        geohold.apply_hold(result)
    result.messages = [_messages(result, i, max_age[i]) for i in range(n_sat)]
    return result


def _sunlit(t, r_teme_km: np.ndarray) -> np.ndarray:
    """Whether each satellite is in sunlight (skyfield's line-sphere test, vectorised)."""
    eph = ephemeris()
    sun_m = (eph["sun"] - eph["earth"]).at(t).xyz.m                  # (3, n_time), GCRS
    r_gcrs_m = np.einsum("ijt,stj->ist", _T(TEME.rotation_at(t)), r_teme_km) * 1e3
    earth_m = -r_gcrs_m                                              # (3, n_sat, n_time)
    _, far = intersect_line_and_sphere(sun_m[:, None, :] + earth_m, earth_m, ERAD)
    lit = np.nan_to_num(far) <= 0
    return np.where(np.isnan(r_gcrs_m[0]), False, lit)


def _messages(p: Propagation, i: int, max_age: float) -> list[str]:
    out = []
    codes = p.error_code[i]
    if codes.any():
        times = p.times_utc
        for code in np.unique(codes[codes != 0]):
            where = np.flatnonzero(codes == code)
            out.append(f"{p.names[i]} ({p.norad_ids[i]}): SGP4 error {code} "
                       f"({SGP4_ERRORS[int(code)]}) at {len(where)} of {len(codes)} times "
                       f"from {iso(times[where[0]])} to {iso(times[where[-1]])}; "
                       "those positions are NaN")
    if max_age > STALE_AFTER_DAYS:
        from .accuracy import stale_warning
        out.append(stale_warning(p, i))
    return out
