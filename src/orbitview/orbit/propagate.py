"""Satellites x times through SGP4 in one vectorised pass.

Positions come back as arrays of shape ``(n_sat, n_time)``: WGS84 geodetic
latitude and longitude in degrees, altitude in km, NaN where SGP4 failed.
For each satellite and time the element set whose epoch is nearest that time
is used, so past dates use the history.

TEME turns into the Earth-fixed frame (ITRS) by one rotation about the pole
through Greenwich Mean Sidereal Time 1982 of UT1 (AIAA 2006-6753 Appendix C):
the product of skyfield's ``itrs`` and ``TEME`` frame objects is exactly that
rotation (their precession and nutation cancel; tested against the frame
objects at every time), so only the angle is computed.  The geodetic
conversion is skyfield's ``wgs84`` iteration written without trigonometry.

The work runs in blocks of about :data:`BLOCK_POINTS` points that stay in
the processor's cache, writing into output arrays allocated once: about 50
bytes a point in all (positions 24, geodetic 24, SGP4 error code and element
set index 1 each), whatever the number of blocks.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
from sgp4.api import SGP4_ERRORS, SatrecArray

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet, is_hypothetical, nearest_index
from orbitview.util.timeutil import iso

DAY_S = 86400.0
ERAD_KM = 6378.1366
"""Earth radius of skyfield's sunlit test (``skyfield.constants.ERAD``), km."""
WGS84_A_KM = 6378.137
WGS84_E2 = (2.0 - 1.0 / 298.257223563) / 298.257223563
BLOCK_POINTS = 32_768
"""Satellite-time points converted at once: small enough to stay in cache."""
SUN_ANCHOR_DAYS = 1.0 / 24.0
"""Spacing of the Sun positions read from the ephemeris and interpolated between."""


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
    itrs_km: np.ndarray
    """Earth-fixed (ITRS) position, shape ``(3, n_sat, n_time)``, km."""
    set_index: np.ndarray
    """Index into ``elements[i]`` of the set used at each time (smallest unsigned type)."""
    elements: list[list[ElementSet]]
    error_code: np.ndarray
    messages: list[list[str]] = field(default_factory=list)
    """Per satellite: readable SGP4 failures and staleness warnings."""
    sunlit: np.ndarray | None = None

    @property
    def times_utc(self) -> list[dt.datetime]:
        return list(np.atleast_1d(self.t.utc_datetime()))

    @functools.cached_property
    def epoch_age_days(self) -> np.ndarray:
        """Time minus epoch of the element set used, days (negative: before the epoch);
        computed (8 bytes a point) when first asked for."""
        jd, fr = sgp4_jd(self.t)
        t_total = jd + fr
        return np.stack([t_total - _epochs(h)[ix] for h, ix in zip(self.elements,
                                                                    self.set_index)]) \
            if self.elements else np.empty((0, len(t_total)))

    def warnings(self) -> list[str]:
        return [m for ms in self.messages for m in ms]


def _epochs(history: list[ElementSet]) -> np.ndarray:
    return np.array([es.epoch_jd for es in history])


# --------------------------------------------------------------------------- time and frames

def sgp4_jd(t) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date split as SGP4 expects, exactly as skyfield's EarthSatellite does."""
    whole = np.atleast_1d(t.whole)
    fraction = np.atleast_1d(t.tai_fraction - t._leap_seconds() / DAY_S)
    return whole, fraction


def gmst_rad(t) -> np.ndarray:
    """Greenwich Mean Sidereal Time 1982 of UT1 (radians): the TEME -> ITRS angle."""
    from skyfield.sgp4lib import theta_GMST1982
    theta, _ = theta_GMST1982(np.atleast_1d(t.whole), np.atleast_1d(t.ut1_fraction))
    return theta


def teme_to_itrs_matrix(t) -> np.ndarray:
    """Rotation (3, 3, n_time) taking TEME vectors to ITRS (or (3, 3) for a scalar Time)."""
    theta = gmst_rad(t)
    c, s = np.cos(theta), np.sin(theta)
    zero, one = np.zeros_like(c), np.ones_like(c)
    R = np.array([[c, s, zero], [-s, c, zero], [zero, zero, one]])
    return R if np.ndim(t.tt) else R[:, :, 0]


def teme_to_itrs_matrix_exact(t) -> np.ndarray:
    """The same rotation from skyfield's ``itrs`` and ``TEME`` frame objects (reference)."""
    from skyfield.framelib import itrs
    from skyfield.functions import _T, mxm
    from skyfield.sgp4lib import TEME
    return mxm(itrs.rotation_at(t), _T(TEME.rotation_at(t)))


def teme_to_itrs(r_teme_km: np.ndarray, theta_rad: np.ndarray, out=None) -> np.ndarray:
    """Rotate TEME vectors ``(..., n_time, 3)`` into ITRS ``(3, ..., n_time)``."""
    c, s = np.cos(theta_rad), np.sin(theta_rad)
    x, y = r_teme_km[..., 0], r_teme_km[..., 1]
    out = np.empty((3,) + r_teme_km.shape[:-1]) if out is None else out
    np.multiply(c, x, out=out[0])
    out[0] += s * y
    np.multiply(c, y, out=out[1])
    out[1] -= s * x
    out[2] = r_teme_km[..., 2]
    return out


def geodetic(xyz_km: np.ndarray, out_lat_deg=None, out_lon_deg=None, out_height_km=None):
    """WGS84 latitude, longitude (deg) and height (km) of Earth-fixed points ``(3, ...)``.

    skyfield's ``wgs84`` iteration (three fixed-point steps from the
    geocentric latitude) with the sine of each latitude taken as
    ``hyp / hypot(hyp, R)`` instead of ``sin(arctan2(hyp, R))``: the same
    numbers to rounding, without trigonometry inside the loop.
    """
    x, y, z = xyz_km
    R2 = x * x + y * y
    R = np.sqrt(R2)
    hyp = z
    for _ in range(3):
        rho = np.sqrt(hyp * hyp + R2)
        e2_sin_lat = WGS84_E2 * (hyp / rho)
        aC = WGS84_A_KM / np.sqrt(1.0 - e2_sin_lat * (hyp / rho))
        hyp = z + aC * e2_sin_lat
    lat = np.arctan2(hyp, R, out=out_lat_deg)
    np.degrees(lat, out=lat)
    lon = np.arctan2(y, x, out=out_lon_deg)
    np.degrees(lon, out=lon)
    height = np.sqrt(hyp * hyp + R2, out=out_height_km)
    height -= aC
    return lat, lon, height


def sun_teme_km(t) -> np.ndarray:
    """Geocentric Sun positions (3, n_time) in TEME, km, from the bundled JPL ephemeris.

    The ephemeris is read at hourly anchors and rotated into TEME there
    (skyfield's ``TEME`` frame, with the IAU 2000B nutation that skyfield's
    almanac uses for the Sun: 1 mas from 2000A); between anchors the position
    is interpolated linearly (the Sun moves 0.04 deg an hour: the chord is
    1e-7 rad off the arc).
    """
    from skyfield.nutationlib import iau2000b_radians
    from skyfield.sgp4lib import TEME
    from orbitview.util.timeutil import ephemeris
    tt = np.atleast_1d(t.tt)
    lo = np.floor(tt.min() / SUN_ANCHOR_DAYS) * SUN_ANCHOR_DAYS
    hi = np.ceil(tt.max() / SUN_ANCHOR_DAYS) * SUN_ANCHOR_DAYS
    anchor_tt = np.arange(lo, max(hi, lo + SUN_ANCHOR_DAYS) + SUN_ANCHOR_DAYS / 2,
                          SUN_ANCHOR_DAYS)
    anchors = t.ts.tt_jd(anchor_tt)
    anchors._nutation_angles_radians = iau2000b_radians(anchors)
    eph = ephemeris()
    gcrs = (eph["sun"] - eph["earth"]).at(anchors).xyz.km
    teme = np.einsum("ijt,jt->it", TEME.rotation_at(anchors), gcrs)
    return np.array([np.interp(tt, anchor_tt, teme[i]) for i in range(3)])


def in_sunlight(r_teme_km: np.ndarray, sun_teme_km: np.ndarray) -> np.ndarray:
    """Whether satellites at ``r_teme_km`` (3, ...) are in sunlight: skyfield's test.

    The line from the satellite towards the Sun (``sun_teme_km`` broadcast
    against it) is cut against a sphere of Earth's radius, as
    ``ICRF.is_sunlit`` does; NaN positions are not sunlit.
    """
    from skyfield.geometry import intersect_line_and_sphere
    earth = -r_teme_km
    _, far = intersect_line_and_sphere(sun_teme_km + earth, earth, ERAD_KM)
    lit = np.nan_to_num(far) <= 0
    return lit & ~np.isnan(r_teme_km[0])


# --------------------------------------------------------------------------- SGP4

class SGP4Plan:
    """Which element set serves each satellite at each time, decided once per call.

    Satellites whose times all fall nearest one epoch run through sgp4's
    ``SatrecArray`` (one per block of satellites, built once); the others run
    set by set on the times each set serves.  :meth:`run` propagates any block
    of satellites and times into buffers allocated once.
    """

    def __init__(self, histories: list[list[ElementSet]], jd: np.ndarray, fr: np.ndarray,
                 block: tuple[int, int] | None = None):
        self.jd, self.fr = np.ascontiguousarray(jd, float), np.ascontiguousarray(fr, float)
        n_sat, n_time = len(histories), len(jd)
        self.index = np.zeros((n_sat, n_time), dtype=np.min_scalar_type(
            max((len(h) for h in histories), default=1) - 1))
        """Index into each history of the set used, (n_sat, n_time)."""
        self.satrecs = []                 # the one set of each satellite, or None
        self.multi = {}                   # satellite -> [(set index, satrec)] when several
        self.epoch_jd = np.full(n_sat, np.nan)
        """Epoch of the one set each satellite uses (NaN for those that use several)."""
        t_total = self.jd + self.fr
        for i, history in enumerate(histories):
            used = [0]
            if len(history) > 1:
                self.index[i] = nearest_index(_epochs(history), t_total)
                # The sets used, in order (np.unique would import numpy.ma: 20 ms cold).
                used = np.flatnonzero(np.bincount(self.index[i], minlength=len(history)))
            if len(used) > 1:
                self.multi[i] = [(k, history[k].satrec) for k in used]
                self.satrecs.append(None)
            else:
                self.satrecs.append(history[used[0]].satrec)
                self.epoch_jd[i] = history[used[0]].epoch_jd
        n_block_sat, n_block_time = block or (n_sat, n_time)
        size = max(n_block_sat, 1) * max(n_block_time, 1)
        self._e, self._r, self._v = (np.empty(size, np.uint8), np.empty(size * 3),
                                     np.empty(size * 3))
        self._arrays = {}

    def _array(self, s0: int, s1: int):
        """(SatrecArray, rows within the block) of the one-set satellites ``s0:s1``."""
        if (s0, s1) not in self._arrays:
            rows = [i - s0 for i in range(s0, s1) if self.satrecs[i] is not None]
            self._arrays[s0, s1] = (SatrecArray([self.satrecs[s0 + i] for i in rows])
                                    if rows else None, rows)
        return self._arrays[s0, s1]

    def run(self, s0: int = 0, s1: int | None = None, a: int = 0, b: int | None = None):
        """SGP4 for satellites ``s0:s1`` at times ``a:b``: ``(error (n, k) uint8,
        r_km, v_km_s (n, k, 3))``, views of buffers that the next call overwrites.

        Positions and velocities are NaN where SGP4 reports an error.
        """
        s1 = len(self.satrecs) if s1 is None else s1
        b = len(self.jd) if b is None else b
        n, k = s1 - s0, b - a
        e = self._e[:n * k].reshape(n, k)
        r = self._r[:n * k * 3].reshape(n, k, 3)
        v = self._v[:n * k * 3].reshape(n, k, 3)
        jd, fr = self.jd[a:b], self.fr[a:b]
        array, rows = self._array(s0, s1)
        if array is not None and len(rows) == n:
            array._sgp4(jd, fr, e, r, v)
        elif array is not None:
            out = [np.empty((len(rows), k), np.uint8), np.empty((len(rows), k, 3)),
                   np.empty((len(rows), k, 3))]
            array._sgp4(jd, fr, *out)
            e[rows], r[rows], v[rows] = out
        for i in range(s0, s1):
            for k_set, satrec in self.multi.get(i, ()):
                mask = self.index[i, a:b] == k_set
                e[i - s0, mask], r[i - s0, mask], v[i - s0, mask] = \
                    satrec.sgp4_array(jd[mask], fr[mask])
        bad = e != 0
        if bad.any():
            r[bad] = np.nan
            v[bad] = np.nan
        return e, r, v


def sgp4_teme(histories: list[list[ElementSet]], jd: np.ndarray, fr: np.ndarray,
              velocity: bool = False):
    """Raw SGP4 over satellites x times with the nearest-epoch set of each.

    Returns ``(error (n_sat, n_time) uint8, r_km (n_sat, n_time, 3),
    set_index (n_sat, n_time))`` and, with ``velocity=True``, ``v_km_s`` last.
    Positions (and velocities) are NaN where SGP4 reports an error.
    """
    plan = SGP4Plan(histories, jd, fr)
    e, r, v = plan.run()
    return (e, r, plan.index, v) if velocity else (e, r, plan.index)


# --------------------------------------------------------------------------- propagate

def propagate(satellites, t, sunlit: bool = False, hold: bool | None = None) -> Propagation:
    """Propagate ``satellites`` over the skyfield Time array ``t``.

    ``satellites`` are :class:`~orbitview.data.catalog.Satellite` objects (their
    element-set histories are used) or lists of :class:`ElementSet`.  With
    ``sunlit=True`` also flags whether each position is in sunlight, with the
    bundled JPL ephemeris (no download).  ``hold`` (default: on unless
    ``--no-hold``) keeps station-kept GEO objects at their slot once their
    newest set is stale (:mod:`orbitview.orbit.geohold`).
    """
    histories, names, norads = [], [], []
    for s in satellites:
        history = s.require_elements() if hasattr(s, "require_elements") else list(s)
        histories.append(history)
        names.append(getattr(s, "name", history[-1].name))
        norads.append(history[-1].norad_id)
    t = t if np.ndim(t.tt) else t.ts.tt_jd(np.atleast_1d(t.tt))
    jd, fr = sgp4_jd(t)
    theta = gmst_rad(t)
    n_sat, n_time = len(histories), len(jd)
    # Blocks of whole rows of times where they fit, so that each satellite's SGP4 state
    # is used for many times in a row; several satellites per block when times are few.
    n_t = max(1, min(n_time, BLOCK_POINTS))
    n_s = max(1, BLOCK_POINTS // n_t)
    plan = SGP4Plan(histories, jd, fr, block=(min(n_s, n_sat), n_t))
    xyz = np.empty((3, n_sat, n_time))
    lat, lon, alt = (np.empty((n_sat, n_time)) for _ in range(3))
    error = np.empty((n_sat, n_time), np.uint8)
    lit = np.empty((n_sat, n_time), bool) if sunlit else None
    sun = sun_teme_km(t) if sunlit and n_time else None
    for s0 in range(0, n_sat, n_s):
        s1 = min(s0 + n_s, n_sat)
        for a in range(0, n_time, n_t):
            b = min(a + n_t, n_time)
            error[s0:s1, a:b], r_teme, _ = plan.run(s0, s1, a, b)
            out = xyz[:, s0:s1, a:b]
            teme_to_itrs(r_teme, theta[a:b], out=out)
            geodetic(out, lat[s0:s1, a:b], lon[s0:s1, a:b], alt[s0:s1, a:b])
            if sunlit:
                lit[s0:s1, a:b] = in_sunlight(np.moveaxis(r_teme, -1, 0), sun[:, None, a:b])
    result = Propagation(names, norads, t, lat, lon, alt, xyz, plan.index, histories, error,
                         sunlit=lit)
    from orbitview.orbit import geohold  # post-processing: station-kept GEO slots (live)
    if geohold.enabled() if hold is None else hold:
        geohold.apply_hold(result)
    result.messages = _messages(result, plan, jd + fr)
    return result


def _messages(p: Propagation, plan: SGP4Plan, t_total: np.ndarray) -> list[list[str]]:
    """Per satellite: SGP4 failures and a staleness warning, looking only at the few
    satellites that have them."""
    out = [[] for _ in p.names]
    for i in np.flatnonzero(p.error_code.any(axis=1)):
        codes = p.error_code[i]
        times = p.times_utc
        for code in np.unique(codes[codes != 0]):
            where = np.flatnonzero(codes == code)
            out[i].append(sgp4_error_message(p.names[i], p.norad_ids[i], code, len(where),
                                             len(codes), times[where[0]], times[where[-1]]))
    if not len(t_total):
        return out
    # The largest age of a one-set satellite is at the first or last time.
    age = np.maximum(np.abs(t_total.min() - plan.epoch_jd), np.abs(t_total.max() - plan.epoch_jd))
    for i in plan.multi:
        age[i] = np.abs(t_total - _epochs(p.elements[i])[p.set_index[i]]).max()
    if np.any(age > STALE_AFTER_DAYS):
        from orbitview.orbit.accuracy import stale_warning
        for i in np.flatnonzero(age > STALE_AFTER_DAYS):
            if not is_hypothetical(p.elements[i][-1]):   # a design has no truth to drift from
                out[i].append(stale_warning(p, i))
    return out


def sgp4_error_message(name, norad_id, code, count: int, total: int, first: dt.datetime,
                       last: dt.datetime) -> str:
    return (f"{name} ({norad_id}): SGP4 error {code} ({SGP4_ERRORS[int(code)]}) at {count} of "
            f"{total} times from {iso(first)} to {iso(last)}; those positions are NaN")


@dataclass
class RunNotes:
    """SGP4 failures and element-set ages of a run propagated in chunks, merged as they come.

    ``errors`` maps (satellite index, SGP4 error code) to [count, first step, last
    step]; ``age_days`` and ``stale`` hold each satellite's largest element-set age and
    the staleness warning of the chunk where it occurred.  Merging is associative.
    """

    age_days: np.ndarray
    stale: list
    errors: dict = field(default_factory=dict)

    @classmethod
    def of(cls, prop: Propagation, first_step: int = 0) -> "RunNotes":
        """Notes of one chunk whose first time is step ``first_step`` of the run."""
        errors = {}
        for i in np.flatnonzero(prop.error_code.any(axis=1)):
            codes = prop.error_code[i]
            for code in np.unique(codes[codes != 0]):
                where = np.flatnonzero(codes == code)
                errors[int(i), int(code)] = [len(where), first_step + int(where[0]),
                                             first_step + int(where[-1])]
        age = np.abs(prop.epoch_age_days).max(axis=1, initial=0.0)
        stale = [next((m for m in ms if "SGP4 error" not in m), None) for ms in prop.messages]
        return cls(age, stale, errors)

    def merge(self, other: "RunNotes") -> "RunNotes":
        later = other.age_days > self.age_days
        errors = dict(self.errors)
        for key, (count, first, last) in other.errors.items():
            mine = errors.get(key)
            errors[key] = [count, first, last] if mine is None else \
                [mine[0] + count, min(mine[1], first), max(mine[2], last)]
        return RunNotes(np.where(later, other.age_days, self.age_days),
                        [o if newer else s for s, o, newer in zip(self.stale, other.stale, later)],
                        errors)

    def messages(self, names, norad_ids, n_steps: int, time_of_step) -> list[list[str]]:
        """Per satellite: its SGP4 failures over the run, then its staleness warning."""
        out = [[] for _ in names]
        for (i, code), (count, first, last) in sorted(self.errors.items()):
            out[i].append(sgp4_error_message(names[i], norad_ids[i], code, count, n_steps,
                                             time_of_step(first), time_of_step(last)))
        for i, warning in enumerate(self.stale):
            if warning:
                out[i].append(warning)
        return out
