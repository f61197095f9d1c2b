"""Time and frames: SGP4's Julian dates, TEME to the Earth-fixed frame, WGS84, the Sun.

TEME turns into the Earth-fixed frame (ITRS) by one rotation about the pole
through Greenwich Mean Sidereal Time 1982 of UT1 (AIAA 2006-6753 Appendix C):
the product of skyfield's ``itrs`` and ``TEME`` frame objects is exactly that
rotation (their precession and nutation cancel; tested against the frame
objects at every time), so only the angle is computed.  The geodetic
conversion is skyfield's ``wgs84`` iteration written without trigonometry.
"""

from __future__ import annotations

import numpy as np

DAY_S = 86400.0
ERAD_KM = 6378.1366
"""Earth radius of skyfield's sunlit test (``skyfield.constants.ERAD``), km."""
WGS84_A_KM = 6378.137
WGS84_E2 = (2.0 - 1.0 / 298.257223563) / 298.257223563
UT1_ANCHOR_S = 3600.0
"""Spacing of the UT1 - UTC values :class:`UtcSeconds` reads from skyfield."""
SUN_ANCHOR_DAYS = 1.0 / 24.0
"""Spacing of the Sun positions read from the ephemeris and interpolated between."""


def sgp4_jd(t) -> tuple[np.ndarray, np.ndarray]:
    """UTC Julian date split into day and fraction as SGP4 expects, from skyfield's public
    UTC calendar (``Time.utc``) through sgp4's ``jday``: the same instants as skyfield's
    EarthSatellite gives SGP4, through public functions of both."""
    from sgp4.api import jday
    year, month, day, hour, minute, second = (np.atleast_1d(v) for v in t.utc)
    whole, fraction = jday(year, month, day, hour, minute, second)
    return np.atleast_1d(whole), np.atleast_1d(fraction)


def gmst_rad(t) -> np.ndarray:
    """Greenwich Mean Sidereal Time 1982 of UT1 (radians): the TEME -> ITRS angle."""
    from skyfield.sgp4lib import theta_GMST1982
    theta, _ = theta_GMST1982(np.atleast_1d(t.whole), np.atleast_1d(t.ut1_fraction))
    return theta


class UtcSeconds:
    """Seconds after a UTC instant as SGP4's Julian dates, GMST and TT, with no skyfield
    ``Time`` per evaluation: for searches that evaluate thousands of scattered times in
    many small stages.

    The seconds are those of skyfield's ``ts.utc(..., second=start_second + seconds)``.
    One skyfield ``Time`` of anchors every :data:`UT1_ANCHOR_S` over the window gives
    UT1 - UTC (interpolated linearly between anchors: it changes by about a millisecond
    a day, smoothly) and TT - UTC; the rest is arithmetic.  A window that holds a leap
    second is handed to skyfield time by time (``exact`` is then False).
    """

    def __init__(self, start, span_s: float):
        from sgp4.api import jday

        from orbitview.util.timeutil import timescale
        self.ts = timescale()
        self.start = start
        count = max(2, int(np.ceil(max(span_s, 0.0) / UT1_ANCHOR_S - 1e-9)) + 1)
        self.anchor_s = np.arange(count) * UT1_ANCHOR_S
        t = self.time(self.anchor_s)
        whole, fraction = sgp4_jd(t)
        self.jd0, self.fr0 = jday(start.year, start.month, start.day, start.hour,
                                  start.minute, start.second + start.microsecond / 1e6)
        after_s = ((whole - self.jd0) + (fraction - self.fr0)) * DAY_S
        self.exact = bool(np.all(np.abs(after_s - self.anchor_s) < 1e-3))
        """No leap second in the window: UTC runs with the seconds."""
        self.ut1_minus_utc_days = (np.asarray(t.whole) - whole) \
            + (np.asarray(t.ut1_fraction) - fraction)
        self.tt_minus_utc_days = float((t.whole[0] - whole[0]) + (t.tt_fraction[0] - fraction[0]))

    def time(self, seconds):
        """The skyfield Time array of ``seconds`` (what the arithmetic stands for)."""
        s = self.start
        return self.ts.utc(s.year, s.month, s.day, s.hour, s.minute,
                           s.second + s.microsecond / 1e6 + np.asarray(seconds, float))

    def sgp4_jd(self, seconds) -> tuple[np.ndarray, np.ndarray]:
        """SGP4's split UTC Julian dates of ``seconds`` (:func:`sgp4_jd` of their Time)."""
        seconds = np.asarray(seconds, float)
        if not self.exact:
            return sgp4_jd(self.time(seconds))
        return np.full(len(seconds), self.jd0), self.fr0 + seconds / DAY_S

    def gmst_rad(self, seconds) -> np.ndarray:
        """:func:`gmst_rad` of ``seconds``."""
        from skyfield.sgp4lib import theta_GMST1982
        seconds = np.asarray(seconds, float)
        if not self.exact:
            return gmst_rad(self.time(seconds))
        fraction = self.fr0 + seconds / DAY_S \
            + np.interp(seconds, self.anchor_s, self.ut1_minus_utc_days)
        theta, _ = theta_GMST1982(self.jd0, fraction)
        return np.atleast_1d(theta)

    def tt(self, seconds) -> np.ndarray:
        """TT Julian dates of ``seconds``."""
        seconds = np.asarray(seconds, float)
        if not self.exact:
            return np.atleast_1d(self.time(seconds).tt)
        return self.jd0 + (self.fr0 + self.tt_minus_utc_days + seconds / DAY_S)


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
    from skyfield.functions import mxm
    from skyfield.sgp4lib import TEME
    return mxm(itrs.rotation_at(t), np.swapaxes(TEME.rotation_at(t), 0, 1))


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
    R2 = x * x
    R2 += y * y
    R = np.sqrt(R2)
    hyp = z
    sin_lat, e2_sin_lat, aC = (np.empty_like(R2) for _ in range(3))
    for _ in range(3):                    # in place: the same operations, fewer arrays
        np.multiply(hyp, hyp, out=sin_lat)
        sin_lat += R2
        np.sqrt(sin_lat, out=sin_lat)
        np.divide(hyp, sin_lat, out=sin_lat)
        np.multiply(WGS84_E2, sin_lat, out=e2_sin_lat)
        np.multiply(e2_sin_lat, sin_lat, out=aC)
        np.subtract(1.0, aC, out=aC)
        np.sqrt(aC, out=aC)
        np.divide(WGS84_A_KM, aC, out=aC)
        hyp = aC * e2_sin_lat
        hyp += z
    lat = np.arctan2(hyp, R, out=out_lat_deg)
    np.degrees(lat, out=lat)
    lon = np.arctan2(y, x, out=out_lon_deg)
    np.degrees(lon, out=lon)
    height = np.sqrt(hyp * hyp + R2, out=out_height_km)
    height -= aC
    return lat, lon, height


def sun_teme_km(t) -> np.ndarray:
    """Geocentric Sun positions (3, n_time) in TEME, km, from the bundled JPL ephemeris, at
    the skyfield Time array ``t`` (:func:`sun_teme_km_tt`)."""
    return sun_teme_km_tt(np.atleast_1d(t.tt), t.ts)


def sun_teme_km_tt(tt: np.ndarray, ts) -> np.ndarray:
    """Geocentric Sun positions (3, n) in TEME, km, at TT Julian dates ``tt`` (timescale
    ``ts``), from the bundled JPL ephemeris.

    The ephemeris is read at the hourly anchors either side of each time and
    rotated into TEME there (skyfield's ``TEME`` frame, with the IAU 2000B
    nutation that skyfield's almanac uses for the Sun: 1 mas from 2000A); between
    anchors the position is interpolated linearly (the Sun moves 0.04 deg an hour:
    the chord is 1e-7 rad off the arc).  Only the anchors some time needs are read:
    a few passes over a week need a few dozen, not every hour of the week.
    """
    from skyfield.nutationlib import iau2000b_radians
    from skyfield.sgp4lib import TEME

    from orbitview.data.ephemeris import ephemeris
    tt = np.atleast_1d(np.asarray(tt, float))
    if not len(tt):
        return np.empty((3, 0))
    hour = np.floor(tt / SUN_ANCHOR_DAYS)
    first = hour.min()
    used = np.zeros(int(hour.max() - first) + 2, bool)
    offset = (hour - first).astype(np.intp)
    used[offset] = True
    used[offset + 1] = True
    anchor_tt = (first + np.flatnonzero(used)) * SUN_ANCHOR_DAYS
    anchors = ts.tt_jd(anchor_tt)
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
