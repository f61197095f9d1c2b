"""Station-kept geostationary satellites stay at their slot: hold it when elements are stale.

SGP4 carries a geostationary satellite's mean elements forward without the
manoeuvres that keep it in its box, so a stale set drifts: PakSat-MM1's set
of 2026-09-07 (38.2 E) reaches 42.5 E by 2026-11-21, about 5 deg of azimuth
from Karachi.  For an object whose own element history shows station-keeping
(the mean longitude of its sets stays within :data:`SLOT_BOX_DEG` while time
passes), orbitview *holds* the newest set once it is stale: the Earth-fixed
position at time t is the one the newest set gives at the same phase of a
sidereal day within its first day after the epoch.  That keeps the slot
longitude and the daily figure-eight (inclination and eccentricity) of the
newest set, and drops only the drift that station-keeping removes.

The hold is a post-processing step on a :class:`~orbitview.orbit.propagate.Propagation`
(:func:`apply_hold`); ``hold=False`` (``--no-hold``) gives raw SGP4.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet
from orbitview.orbit.frames import (geodetic, in_sunlight, sgp4_jd, sun_teme_km,
                                    teme_to_itrs_matrix)
from orbitview.orbit.sgp4run import raw_propagate
from orbitview.util.timeutil import timescale

SIDEREAL_DAY_D = 0.99726956633
"""Earth's rotation period (days): a held satellite's Earth-fixed motion repeats with it."""
SLOT_BOX_DEG = 0.5
"""Largest change of mean longitude between sets that still counts as station-kept
(operators keep a slot within +-0.05 to +-0.1 deg; 0.5 allows for the sampling of
two sets at different points of a manoeuvre cycle)."""
MAX_DRIFT_DEG_PER_DAY = 0.01
"""...and the mean longitude may move by at most this rate between the two sets."""
MIN_SPAN_DAYS = 2.0
"""Two sets closer than this in time say nothing about station-keeping."""
NS_KEPT_MAX_INCLINATION_DEG = 0.3
NS_KEPT_MAX_CHANGE_DEG = 0.1
"""North-south station-keeping: both sets below 0.3 deg inclination, changed by < 0.1 deg
(left alone, the Sun and Moon raise a geostationary inclination by ~0.8 deg a year)."""

def is_geosynchronous(es: ElementSet) -> bool:
    """Near one revolution per sidereal day, near-circular: a geosynchronous orbit."""
    return abs(es.mean_motion_rev_per_day - 1.0027379) < 0.05 and es.satrec.ecco < 0.01


@dataclass(frozen=True)
class Hold:
    """Evidence that an object is station-kept, and the slot to hold."""

    norad_id: int
    name: str
    slot_lon_deg: float
    """Mean sub-satellite longitude of the newest set over its first sidereal day."""
    inclination_deg: float
    newest: ElementSet
    evidence: str
    inclination_held: bool = True
    """North-south kept too: hold the newest set's daily figure-eight; otherwise only the
    longitude is held and SGP4 carries the inclination (the Sun and Moon change it)."""

    def slot_text(self) -> str:
        lon = self.slot_lon_deg
        return f"{abs(lon):.1f} {'E' if lon >= 0 else 'W'}"

    def describe(self, age_days: float) -> str:
        """'held at its 38.2 E slot; elements 75 days old'."""
        return f"held at its {self.slot_text()} slot; elements {age_days:.0f} days old"


def mean_longitude_deg(es: ElementSet, start: dt.datetime | None = None,
                       samples: int = 48) -> float:
    """Mean sub-satellite longitude over one sidereal day from ``start`` (default: epoch)."""
    start = start or es.epoch
    t0 = timescale().from_datetime(start)
    t = t0.ts.tt_jd(t0.tt + np.linspace(0.0, SIDEREAL_DAY_D, samples, endpoint=False))
    lon = raw_propagate([[es]], t).lon_deg[0]
    return _circular_mean_deg(lon)


def _circular_mean_deg(lon_deg: np.ndarray) -> float:
    rad = np.radians(lon_deg[np.isfinite(lon_deg)])
    mean = np.degrees(np.arctan2(np.sin(rad).mean(), np.cos(rad).mean()))
    return float((mean + 180.0) % 360.0 - 180.0)


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


_CACHE: dict[tuple, Hold | None] = {}


def station_keeping(history: list[ElementSet]) -> Hold | None:
    """The slot to hold if the history shows station-keeping, else None.

    Needs the two newest sets to be geosynchronous, at least
    :data:`MIN_SPAN_DAYS` apart, with mean longitudes within
    :data:`SLOT_BOX_DEG` and a drift below :data:`MAX_DRIFT_DEG_PER_DAY`.
    One set alone shows nothing, so it is never held.
    """
    if len(history) < 2:
        return None
    older, newest = history[-2], history[-1]
    key = (newest.norad_id, newest.epoch_jd, older.epoch_jd)
    if key in _CACHE:
        return _CACHE[key]
    hold = None
    span = (newest.epoch - older.epoch).total_seconds() / 86400.0
    if is_geosynchronous(older) and is_geosynchronous(newest) and span >= MIN_SPAN_DAYS:
        lon_old, lon_new = mean_longitude_deg(older), mean_longitude_deg(newest)
        moved = _wrap(lon_new - lon_old)
        if abs(moved) <= SLOT_BOX_DEG and abs(moved) / span <= MAX_DRIFT_DEG_PER_DAY:
            inc_old, inc_new = (float(np.degrees(es.satrec.inclo)) for es in (older, newest))
            ns_kept = (max(inc_old, inc_new) < NS_KEPT_MAX_INCLINATION_DEG
                       and abs(inc_new - inc_old) < NS_KEPT_MAX_CHANGE_DEG)
            hold = Hold(newest.norad_id, newest.name, lon_new, inc_new, newest,
                        f"mean longitude {_lon_text(lon_old)} at {older.epoch:%Y-%m-%d} and "
                        f"{_lon_text(lon_new)} at {newest.epoch:%Y-%m-%d}"
                        + ("" if ns_kept else f"; inclination {inc_old:.2f} -> {inc_new:.2f} "
                           "deg, so only the longitude is held"), ns_kept)
    _CACHE[key] = hold
    return hold


def hold_for(history: list[ElementSet], es: ElementSet, age_days: float,
             hold: bool = True) -> Hold | None:
    """The slot hold a position from ``es``, ``age_days`` after its epoch, is given, or None
    (SGP4 as it is): the rule :func:`apply_hold` follows, for answers that state a bound
    without propagating (look, pass tables, tle status).  ``hold`` must be true, ``es``
    the newest of a geosynchronous history, stale, and the history station-kept."""
    if (not hold or len(history) < 2 or es.epoch != history[-1].epoch
            or not is_geosynchronous(es) or age_days <= STALE_AFTER_DAYS):
        return None
    return station_keeping(history)


def hold_at(es: ElementSet, inclination_held: bool, evidence: str = "") -> Hold:
    """A hold at ``es``'s own slot (used to test the hold on pairs of sets)."""
    return Hold(es.norad_id, es.name, mean_longitude_deg(es), float(np.degrees(es.satrec.inclo)),
                es, evidence, inclination_held)


def _lon_text(lon: float) -> str:
    return f"{abs(lon):.2f} {'E' if lon >= 0 else 'W'}"


def held_times_tt(newest: ElementSet, tt: np.ndarray) -> np.ndarray:
    """Times (TT Julian dates) in the newest set's first sidereal day with the same phase."""
    epoch_tt = timescale().from_datetime(newest.epoch).tt
    return epoch_tt + np.mod(np.asarray(tt, float) - epoch_tt, SIDEREAL_DAY_D)


def held_itrs_km(hold: Hold, t) -> np.ndarray:
    """Earth-fixed positions (3, n) of a held object at skyfield Time array ``t``.

    North-south kept: the newest set's position at the same sidereal phase of
    its first day (slot, inclination and daily figure-eight all held).
    Otherwise SGP4 carries the orbital plane (the Sun and Moon tilt it) and
    only the drift is taken out: the satellite is turned back along its own
    orbit by the angle its mean longitude (averaged over a day) has drifted
    from the slot.
    """
    ts = t.ts
    tt = np.atleast_1d(t.tt)
    if hold.inclination_held:
        return raw_propagate([[hold.newest]],
                             ts.tt_jd(held_times_tt(hold.newest, tt))).itrs_km[:, 0, :]
    days = np.arange(np.floor(tt.min()) - 1, np.ceil(tt.max()) + 2, 0.5)
    offsets = np.linspace(-0.5, 0.5, 24, endpoint=False) * SIDEREAL_DAY_D
    grid = raw_propagate([[hold.newest]], ts.tt_jd((days[:, None] + offsets).ravel())
                         ).lon_deg[0].reshape(len(days), len(offsets))
    mean = np.array([_circular_mean_deg(row) for row in grid])
    drift = np.interp(tt, days, np.unwrap(np.radians(mean - hold.slot_lon_deg)))
    t = ts.tt_jd(tt)
    jd, fr = sgp4_jd(t)
    _, r, v = hold.newest.satrec.sgp4_array(jd, fr)                # TEME, (n, 3)
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=1)[:, None]
    c, s = np.cos(-drift)[:, None], np.sin(-drift)[:, None]        # Rodrigues, r ⟂ h
    r_held = r * c + np.cross(h, r) * s
    R = teme_to_itrs_matrix(t)                                     # (3, 3, n)
    return np.einsum("ijn,nj->in", R, r_held)


def held_mask(history: list[ElementSet], set_index: np.ndarray, age_days: np.ndarray
              ) -> tuple[np.ndarray | None, Hold | None]:
    """Which positions of one satellite are held at its slot, and the hold: those from the
    newest set of a station-kept geosynchronous history more than ``STALE_AFTER_DAYS``
    after its epoch.  ``(None, None)`` when none is."""
    if len(history) < 2 or not is_geosynchronous(history[-1]):
        return None, None                 # one set shows no station-keeping
    mask = (np.asarray(set_index) == len(history) - 1) & (np.asarray(age_days) > STALE_AFTER_DAYS)
    if not mask.any():
        return None, None
    hold = station_keeping(history)
    return (mask, hold) if hold is not None else (None, None)


def apply_hold(prop) -> None:
    """Replace stale positions of station-kept GEO objects in ``prop`` by the held slot.

    Changes ``prop`` in place (positions, geodetic arrays, sunlit flags) where
    the newest set is used more than ``STALE_AFTER_DAYS`` after its epoch, and
    records ``prop.holds`` (one :class:`Hold` or None per satellite); the
    staleness warning (:func:`orbitview.orbit.accuracy.stale_warning`) says what was held.
    """
    n_sat = len(prop.elements)
    holds = [None] * n_sat
    for i, history in enumerate(prop.elements):
        if len(history) < 2 or not is_geosynchronous(history[-1]):
            continue              # skip before computing ages: most objects are not GEO
        mask, hold = held_mask(history, prop.set_index[i], prop.epoch_age_days[i])
        if hold is None:
            continue
        holds[i] = hold
        tt = np.atleast_1d(prop.t.tt)[mask]
        t_sub = prop.t.ts.tt_jd(tt)
        r_km = held_itrs_km(hold, t_sub)                            # (3, n)
        prop.itrs_km[:, i, mask] = r_km
        prop.lat_deg[i, mask], prop.lon_deg[i, mask], prop.altitude_km[i, mask] = \
            geodetic(r_km)
        if prop.sunlit is not None:
            R = teme_to_itrs_matrix(t_sub)                          # (3, 3, n)
            r_teme = np.einsum("jin,jn->in", R, r_km)               # R^T r, (3, n)
            prop.sunlit[i, mask] = in_sunlight(r_teme, sun_teme_km(t_sub))
    prop.holds = holds
