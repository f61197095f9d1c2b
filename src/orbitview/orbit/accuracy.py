"""How wrong a prediction from old elements may be: a 90 % error bound in km and seconds.

Element sets age.  Propagating an object's older sets to the epochs of its
newer ones shows how far SGP4 strays: for low orbits almost all of it along
the track (drag that SGP4's ``B*`` term did not foresee), so the error is
best told as *timing*: the satellite is where the prediction says, seconds
or minutes early or late.

The model (constants fitted by ``scripts/calibrate_accuracy.py`` on real
CelesTrak pairs; see :data:`CALIBRATION`):

* **Low orbits** (period under 225 min).  The along-track timing error after
  ``age`` days is ``f * (drag_scale + floor) * age**2``, where ``drag_scale``
  is the time the set's own mean-motion decay (its ``ndot``) shifts the
  satellite along track per day squared, and ``f`` is log-normal across
  objects.  Each object's own history (every older set propagated to every
  newer epoch) updates ``f`` for that object: the class median counts as one
  observation and each own pair as another (so one pair moves the estimate
  halfway, many pairs dominate it; see :func:`_posterior`).  The bound is the
  90 % quantile of the log-normal prediction.
  Cross-track error grows linearly with age.
* **Geostationary, held at the slot** (:mod:`orbitview.orbit.geohold`): the error is
  ``f * age`` km (box size, inclination change); own history updates ``f`` as above.
* **Geostationary (or other high orbits) without a hold**: ``f * age**2`` km (drift).

Pairs whose along-track error exceeds :data:`ALIAS_FRACTION` of the orbital
period are ambiguous (the satellite may have lapped the prediction) and are not
used to fit.  A bound of half a period or more means *where on its orbit the
satellite is cannot be known*: :attr:`ErrorBound.phase_lost`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet
from orbitview.orbit.geohold import hold_at, held_itrs_km, is_geosynchronous, station_keeping
from orbitview.orbit.sgp4run import raw_propagate
from orbitview.util.timeutil import iso, timescale

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

CALIBRATION = """\
Checks (tests/test_accuracy.py):
* 25 held-out pairs of Pakistani objects (bundled history plus CelesTrak's 2026-05-30
  group files; each predicted knowing only the sets up to the older one, 1 to 400 days):
  the bound covers all 25; median bound/actual 2.4 where the phase is not lost.
* Two-fold cross-validation of the class fits: low orbits cover 100 % and 89 % of the
  held-out halves (median bound/actual 5.2 and 2.9); held geostationary slots 90 % and 93 %
  (2.0 and 2.3).
"""


@dataclass(frozen=True)
class PairError:
    """An older set propagated to a newer set's epoch, compared with the newer set."""

    norad_id: int
    age_days: float
    along_km: float
    """Signed in-plane arc from the newer position to the predicted one (+: ahead)."""
    cross_km: float
    radial_km: float
    timing_s: float
    """Along-track error as time: how early (+) or late the prediction runs."""
    total_km: float
    period_s: float
    older: ElementSet
    newer: ElementSet

    @property
    def ambiguous(self) -> bool:
        return abs(self.timing_s) > ALIAS_FRACTION * self.period_s


def pair_error(older: ElementSet, newer: ElementSet) -> PairError:
    """Propagate ``older`` to ``newer``'s epoch and split the difference (TEME frame)."""
    jd, fr = newer.satrec.jdsatepoch, newer.satrec.jdsatepochF
    e1, r1, _ = older.satrec.sgp4(jd, fr)
    e2, r2, v2 = newer.satrec.sgp4(jd, fr)
    if e1 or e2:
        nan = float("nan")
        return PairError(newer.norad_id, _days(older, newer), nan, nan, nan, nan, nan,
                         _period_s(newer), older, newer)
    r1, r2, v2 = np.array(r1), np.array(r2), np.array(v2)
    h = np.cross(r2, v2)
    h /= np.linalg.norm(h)
    in_plane = r1 - (r1 @ h) * h
    du = math.atan2(float(np.cross(r2, in_plane) @ h), float(r2 @ in_plane))
    radius = float(np.linalg.norm(r2))
    rate = float(np.linalg.norm(v2)) / radius                      # rad/s
    return PairError(newer.norad_id, _days(older, newer), du * radius, float(r1 @ h),
                     float(np.linalg.norm(r1)) - radius, du / rate,
                     float(np.linalg.norm(r1 - r2)), _period_s(newer), older, newer)


def history_pairs(history: list[ElementSet]) -> list[PairError]:
    """Every older set of one object propagated to every newer set's epoch."""
    out = []
    for j in range(1, len(history)):
        for i in range(j):
            if _days(history[i], history[j]) > 0.5:
                out.append(pair_error(history[i], history[j]))
    return out


def _days(a: ElementSet, b: ElementSet) -> float:
    return (b.epoch - a.epoch).total_seconds() / 86400.0


def _period_s(es: ElementSet) -> float:
    return 86400.0 / es.mean_motion_rev_per_day


def orbital_speed_km_s(es: ElementSet) -> float:
    a_km = (MU_KM3_S2 * (_period_s(es) / (2 * math.pi)) ** 2) ** (1.0 / 3.0)
    return math.sqrt(MU_KM3_S2 / a_km)


def drag_scale_s_per_day2(es: ElementSet) -> float:
    """Along-track time shift per day^2 that the set's own decay rate implies.

    ``ndot`` (TLE field: half the mean-motion rate) gives ``dn/dt``; over ``age``
    days the satellite gains ``0.5 * dn/dt * age**2`` revolutions, i.e. this
    many seconds along track per day squared.
    """
    ndot_rev_day2 = 2.0 * es.satrec.ndot * 1440.0 ** 2 / (2.0 * math.pi)
    return 0.5 * abs(ndot_rev_day2) / es.mean_motion_rev_per_day * 86400.0


# --------------------------------------------------------------------------- the bound

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


def _round_km(km: float) -> str:
    if km < 10:
        return f"{km:.1f}"
    digits = max(0, 2 - int(math.floor(math.log10(km))))
    return f"{round(km, -int(math.floor(math.log10(km))) + 1):,.0f}" if digits == 0 else \
        f"{km:,.0f}"


def _duration(seconds: float) -> str:
    s = abs(seconds)
    if s < 1:
        return "1 s"
    if s < 100:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


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


def error_bound(obj, age_days: float, held: bool = False,
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
    kept = station_keeping([p.older, p.newer])
    hold = hold_at(p.older, kept.inclination_held if kept else True)
    t0 = ts.from_datetime(p.newer.epoch)
    t = ts.tt_jd(t0.tt + np.linspace(0.0, 1.0, 24, endpoint=False))
    truth = raw_propagate([[p.newer]], t).itrs_km[:, 0, :]
    return float(np.nanmax(np.linalg.norm(held_itrs_km(hold, t) - truth, axis=0)))


def stale_warning(prop, i: int) -> str:
    """The warning for satellite ``i`` of a Propagation whose elements are stale.

    Names the epoch and age, the GEO hold if one was applied, and the 90 %
    error bound at the greatest age used, in km and in seconds of timing.
    """
    age = np.abs(prop.epoch_age_days[i])
    k = int(np.argmax(age))
    history = prop.elements[i]
    es = history[int(prop.set_index[i][k])]
    holds = getattr(prop, "holds", None)
    hold = holds[i] if holds else None
    bound = error_bound(history, float(age[k]), held=hold is not None, element_set=es)
    held = (f"; {hold.describe(float(age[k]))} (station-kept: {hold.evidence}), where SGP4 "
            "alone would drift (--no-hold shows that)") if hold else ""
    return (f"{prop.names[i]} ({prop.norad_ids[i]}): element set epoch {iso(es.epoch)} is "
            f"{float(age[k]):.0f} days from the times asked for (stale beyond "
            f"{STALE_AFTER_DAYS:.0f} days){held}; {bound.text()}. "
            f"Fix: {update_fix(es, prop.norad_ids[i])}")


def window_summary(sats, start, end) -> str:
    """Each satellite's element set for a window, its largest age there and the 90 % bound
    at that age, in one caption sentence: for answers (revisit tables, comparison figures)
    that do not draw positions but rest on them.  The set is the one nearest the window's
    middle, as propagation picks sets by time."""
    middle = start + (end - start) / 2
    parts = []
    for sat in sats:
        history = list(sat.elements)
        if not history:
            continue
        es = min(history, key=lambda e: abs((e.epoch - middle).total_seconds()))
        age = max(abs((t - es.epoch).total_seconds()) for t in (start, end)) / 86400.0
        bound = error_bound(history, age, element_set=es)
        parts.append(f"{sat.name} {es.epoch:%Y-%m-%d}, up to {age:.0f} d, {bound.km_text()}")
    if not parts:
        return ""
    return ("Element sets (epoch, largest age in the window, 90 % error bound at that age): "
            + "; ".join(parts) + ".")


def update_fix(es, norad_id) -> str:
    """How to get a newer set than ``es``: 'tle update' knows catalog records and stored
    groups, not the objects of an --elements file, which only a newer file replaces."""
    prefix = "elements file "
    if es.source.startswith(prefix):
        return (f"when online, use a current copy of {es.source[len(prefix):]} (CelesTrak GP "
                "data), or fetch its CelesTrak group once with 'orbitview tle update --group "
                "NAME' (e.g. stations)")
    return f"'orbitview tle update {norad_id}' when online"
