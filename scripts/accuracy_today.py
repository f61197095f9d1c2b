"""Today's error model, frozen: orbitview.orbit.accuracy.error_bound and the two-newest-sets
slot-hold rule of orbitview.orbit.geohold as they were at commit d9afa2a (branch main),
before the per-class calibration replaced them.

Kept only so that scripts/calibrate_accuracy.py can print today's held-out table beside the
new one on the same pairs (the acceptance test asks that the new median bound/actual is no
larger than today's in any class).  Copied verbatim except: names end in ``_today``, the
memo of station_keeping is dropped, and the helpers that did not change (pair errors,
drag scale, the hold geometry) are imported from the package.  Not part of orbitview.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from orbitview.data.elements import ElementSet
from orbitview.orbit.accuracy import (
    PairError,
    _period_s,
    drag_scale_s_per_day2,
    history_pairs,
    orbital_speed_km_s,
)
from orbitview.orbit.accuracy import _duration as _duration  # noqa: F401 (text helpers)
from orbitview.orbit.accuracy import _round_km as _round_km  # noqa: F401
from orbitview.orbit.geohold import (
    Hold,
    _lon_text,
    _wrap,
    held_itrs_km,
    hold_at,
    is_geosynchronous,
    mean_longitude_deg,
)
from orbitview.orbit.sgp4run import raw_propagate
from orbitview.util.timeutil import timescale

Z90 = 1.2815515655446004
"""One-sided 90 % quantile of the standard normal distribution."""
ALIAS_FRACTION = 0.35
"""Pairs with along-track error beyond this fraction of a period are not fitted."""
MU_KM3_S2 = 398600.4418

# Fitted by scripts/calibrate_accuracy.py (tests/data/accuracy, 95 LEO and 95 GEO objects,
# CelesTrak sets of 2026-05-30 propagated to their 2026-09-06/07 sets); see CALIBRATION.
LEO_F_MEDIAN = 0.454
LEO_SIGMA_LOG10 = 0.47
LEO_DRAG_FLOOR_S_PER_DAY2 = 0.005
LEO_CROSS_KM_PER_DAY_90 = 0.11
GEO_HELD_KM_PER_DAY_MEDIAN = 0.58
GEO_HELD_SIGMA_LOG10 = 0.29
GEO_RAW_KM_PER_DAY2_MEDIAN = 0.35
GEO_RAW_SIGMA_LOG10 = 0.52
MIN_ALONG_KM = 1.0
"""Error of a set at its own epoch (orbit determination); a floor for every bound."""
GEO_MIN_KM = 10.0
"""Floor of geostationary bounds: optical orbit determination at 36,000 km."""
MIN_FIT_AGE_DAYS = 7.0
"""Own pairs shorter than this are not fitted: the age-squared drag term does not yet
dominate (errors of a day or two come from the orbit determination itself)."""


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


@dataclass(frozen=True)
class ErrorBound:
    """A 90 % bound on the position error of a prediction from elements ``age_days`` old."""

    age_days: float
    along_km: float
    cross_km: float
    timing_s: float | None
    """Along-track error as time (low orbits); None for geostationary objects."""
    period_s: float
    basis: str
    """Which model and which data gave the bound, in words."""

    @property
    def position_km(self) -> float:
        return math.hypot(self.along_km, self.cross_km)

    @property
    def phase_lost(self) -> bool:
        """The bound reaches half an orbit: where on its orbit the satellite is, is unknown."""
        return self.timing_s is not None and self.timing_s >= 0.5 * self.period_s

    def pointing_deg(self, range_km: float) -> float:
        """The bound seen from a site at ``range_km``: degrees of pointing error."""
        return math.degrees(math.atan2(self.position_km, range_km))

    def km_text(self) -> str:
        if self.phase_lost:
            return "anywhere on its orbit"
        return f"\u00b1{_round_km(self.position_km)} km"

    def timing_text(self) -> str:
        """'±40 s', '±12 min', 'unknown (elements too old)' or '' for GEO."""
        if self.timing_s is None:
            return ""
        if self.phase_lost:
            return "unknown"
        return "\u00b1" + _duration(self.timing_s)

    def text(self) -> str:
        """One phrase for warnings and captions."""
        if self.phase_lost:
            return (f"90 % error bound: anywhere along its orbit (timing error could exceed "
                    f"{_duration(0.5 * self.period_s)}, half a revolution)")
        timing = f", {self.timing_text()} in timing" if self.timing_s is not None else ""
        return f"90 % error bound \u00b1{_round_km(self.position_km)} km{timing}"



def _history_of(obj) -> list[ElementSet]:
    if isinstance(obj, ElementSet):
        return [obj]
    if hasattr(obj, "elements"):
        return list(obj.elements)
    return list(obj)


def _posterior(prior_log10: float, sigma: float, own_log10: list[float]) -> tuple[float, float]:
    """Log10 median and predictive sigma of one object's factor after its own pairs.

    A two-level model: objects of a class scatter about the class median, and
    one object's pairs scatter about its own value, each with half the class
    variance ``sigma**2`` (the class calibration measures the sum).  With ``n``
    own pairs the object's median is ``(class + sum(own)) / (1 + n)`` and the
    predictive sigma ``sigma * sqrt((1 + 1 / (1 + n)) / 2)``: the class
    spread with no pairs, shrinking towards ``sigma / sqrt(2)`` with many.
    """
    n = len(own_log10)
    mean = (prior_log10 + sum(own_log10)) / (1 + n)
    return mean, sigma * math.sqrt((1.0 + 1.0 / (1 + n)) / 2.0)


def error_bound_today(obj, age_days: float, held: bool = False,
                element_set: ElementSet | None = None) -> ErrorBound:
    """The 90 % error bound of a prediction ``age_days`` from the epoch of its set.

    ``obj`` is a :class:`~orbitview.data.catalog.Satellite`, a list of element sets
    (its history) or one :class:`ElementSet`; ``element_set`` is the set used
    (default: the newest).  ``held``: the position comes from a GEO slot hold
    (:mod:`orbitview.orbit.geohold`).  Own pairs in the history refine the class model.
    """
    history = _history_of(obj)
    es = element_set or history[-1]
    age = abs(float(age_days))
    period = _period_s(es)
    pairs = [p for p in history_pairs(history) if np.isfinite(p.total_km)]
    if not es.is_deep_space:
        return _leo_bound(es, age, period, pairs)
    return _deep_bound(es, age, period, pairs, held)


def _leo_bound(es, age, period, pairs) -> ErrorBound:
    prior = math.log10(LEO_F_MEDIAN)
    own = []
    for p in pairs:
        scale = (drag_scale_s_per_day2(p.older) + LEO_DRAG_FLOOR_S_PER_DAY2) * p.age_days ** 2
        if (p.older.is_deep_space or p.age_days < MIN_FIT_AGE_DAYS
                or LEO_F_MEDIAN * scale > ALIAS_FRACTION * p.period_s):
            continue        # deep-space set, too short, or too old to tell laps apart
        own.append(math.log10(max(abs(p.timing_s), 0.1) / scale))
    mean, sigma = _posterior(prior, LEO_SIGMA_LOG10, own)
    f90 = 10 ** (mean + Z90 * sigma)
    timing = f90 * (drag_scale_s_per_day2(es) + LEO_DRAG_FLOOR_S_PER_DAY2) * age ** 2
    speed = orbital_speed_km_s(es)
    timing = max(timing, MIN_ALONG_KM / speed)
    timing = min(timing, 0.5 * period)
    basis = ("low-orbit model scaled by this set's decay rate"
             + (f", refined by {len(own)} pair{'s' if len(own) != 1 else ''} of its own "
                "history" if own else ", no usable history of its own (class fallback)"))
    return ErrorBound(age, timing * speed, max(LEO_CROSS_KM_PER_DAY_90 * age, 0.5), timing,
                      period, basis)


def _deep_bound(es, age, period, pairs, held) -> ErrorBound:
    geo = is_geosynchronous(es)
    if held:
        prior, sigma, power = math.log10(GEO_HELD_KM_PER_DAY_MEDIAN), GEO_HELD_SIGMA_LOG10, 1
    else:
        prior, sigma, power = math.log10(GEO_RAW_KM_PER_DAY2_MEDIAN), GEO_RAW_SIGMA_LOG10, 2
    own = []
    for p in pairs:
        if not p.older.is_deep_space or p.age_days < MIN_FIT_AGE_DAYS:
            continue
        km = _held_pair_km(p) if held else p.total_km
        own.append(math.log10(max(km, MIN_ALONG_KM) / p.age_days ** power))
    mean, sig = _posterior(prior, sigma, own)
    km = 10 ** (mean + Z90 * sig) * age ** power
    if not held:    # drift comes on top of the station-keeping box
        km += 10 ** (math.log10(GEO_HELD_KM_PER_DAY_MEDIAN) + Z90 * GEO_HELD_SIGMA_LOG10) * age
    km = max(km, GEO_MIN_KM)
    a_km = orbital_speed_km_s(es) * period / (2 * math.pi)
    km = min(km, 2 * a_km)
    kind = ("geostationary slot hold" if held else
            "geostationary drift without a hold" if geo else "high-orbit drift (rough)")
    basis = kind + (f", refined by {len(own)} pair{'s' if len(own) != 1 else ''} of its own "
                    "history" if own else " (class fallback)")
    return ErrorBound(age, km, 0.0, None, period, basis)


def _held_pair_km(p: PairError) -> float:
    """Error of the older set held at its own slot, against the newer set (max over a day).

    The kind of hold (inclination held or not) is the one the pair itself shows.
    """
    ts = timescale()
    kept = station_keeping_today([p.older, p.newer])
    hold = hold_at(p.older, kept.inclination_held if kept else True)
    t0 = ts.from_datetime(p.newer.epoch)
    t = ts.tt_jd(t0.tt + np.linspace(0.0, 1.0, 24, endpoint=False))
    truth = raw_propagate([[p.newer]], t).itrs_km[:, 0, :]
    return float(np.nanmax(np.linalg.norm(held_itrs_km(hold, t) - truth, axis=0)))



def station_keeping_today(history: list[ElementSet]) -> Hold | None:
    """The slot to hold if the history shows station-keeping, else None.

    Needs the two newest sets to be geosynchronous, at least
    :data:`MIN_SPAN_DAYS` apart, with mean longitudes within
    :data:`SLOT_BOX_DEG` and a drift below :data:`MAX_DRIFT_DEG_PER_DAY`.
    One set alone shows nothing, so it is never held.
    """
    if len(history) < 2:
        return None
    older, newest = history[-2], history[-1]
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
    return hold


