"""How wrong a prediction from old elements may be: a 90 % error bound in km and seconds.

Element sets age.  Propagating an object's older sets to the epochs of its newer
ones shows how far SGP4 strays; ``scripts/calibrate_accuracy.py`` does that for
every pair of 12,000 real CelesTrak sets (scripts/data/calibration/SOURCES.md)
and fits the constants below.  The one public question is :func:`bound_at`: the
bound of the position a satellite's elements give at a time (the set nearest
that time, its age, held at a GEO slot or not); :func:`error_bound` is the same
model asked with an age.

**Model.**  Each prediction falls in an orbit class (:func:`orbit_class`):
sun-synchronous low orbits split by drag, low-inclination and other low orbits,
geostationary held at a slot or not (:mod:`orbitview.orbit.geohold`, decided
from the object's history and record), eccentric (HEO) and other high orbits.
For class ``c``, age ``a`` days and an indicator ``d`` (a low orbit's drag,
:func:`drag_scale_s_per_day2` over 0.1 s/day²; a held slot's drift across its box,
:attr:`geohold.Hold.drift_deg_per_day` over 0.01 deg/day; 1 otherwise) the 90 %
bound on the position error is

    bound_km = S_c(a) * hypot(floor_c, growth_c * d ** q_c * a ** p_c)

the floor being orbit-determination noise and routine manoeuvres (present at
any age), the growth unmodelled drag or the wandering of a slot.  The curve is a
90 % quantile regression of the errors on age; ``S_c`` is the 90 % quantile of
error / curve in each age band (1-7, 7-30, 30-90, 90-150 days) that holds pairs
of at least 20 objects, interpolated in log age between the bands' middles and
flat outside them.  For low orbits the object's own history refines the bound:
its earlier pairs' errors against the class median shift the bound by
``exp(REFINE_WEIGHT * mean log ratio)`` (the weight fitted first, the band
scales after it).  No bound is under :data:`MIN_BOUND_KM` (what a set's own
orbit determination can be off by, which pairs of sets cannot see) or over the
orbit's diameter.  Almost all of a low orbit's error is along the track, so the
bound is also a timing bound (bound / orbital speed); once that reaches
:data:`PHASE_LOST_FRACTION` of a period, where on its orbit the satellite is
counts as lost (:attr:`ErrorBound.phase_lost`).

**Limits** (docs/accuracy.md): calibrated on sets of 2026-05 to 2026-09, so the
Sun of mid-2026 is in the drag classes; ages 30-90 days rest on few objects and
nothing beyond 150 days was in the bands; a manoeuvre outside the routine of
the calibration objects (orbit raising, relocation, graveyard) breaks any bound,
and each bound's :attr:`ErrorBound.basis` says which assumptions it rests on.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet, nearest_index
from orbitview.orbit import geohold
from orbitview.orbit.geohold import held_itrs_km, hold_at, is_geosynchronous
from orbitview.orbit.sgp4run import raw_propagate
from orbitview.util.timeutil import iso, timescale

MU_KM3_S2 = 398600.4418
RE_KM = 6378.137
J2 = 1.08262668e-3
ALIAS_FRACTION = 0.35
"""Pairs with along-track error beyond this fraction of a period may have lapped (the
along-track split of :class:`PairError` is ambiguous there; the distance is not)."""

# --------------------------------------------------------------------------- classes

LOW_ORBIT_MIN_REV_PER_DAY = 1440.0 / 225.0
"""Period under 225 min: SGP4's near-Earth branch."""
SSO_TOLERANCE_DEG = 2.0
"""Sun-synchronous: inclination within this of the value that turns the node 360 deg a
year for the orbit's size (:func:`sso_inclination_deg`)."""
LOW_INCLINATION_DEG = 45.0
HIGH_DRAG_S_PER_DAY2 = 0.1
"""Above this drag indicator (:func:`drag_scale_s_per_day2`), 'high drag' (PRSC-EO1: 0.2
to 0.5; NOAA-20: 0.01)."""
HEO_MIN_ECCENTRICITY = 0.25
D_REF_S_PER_DAY2 = 0.1
"""Drag indicator the low-orbit growth constants refer to."""
DRAG_FLOOR_S_PER_DAY2 = 0.005
"""Drag indicators below this count as this (a set with ndot = 0 still drifts)."""
DRIFT_REF_DEG_PER_DAY = 0.01
"""Slot-drift indicator (:attr:`geohold.Hold.drift_deg_per_day`) the held-GEO growth
constants refer to."""
DRIFT_FLOOR_DEG_PER_DAY = 0.0005
"""Drift indicators below this count as this (two sets can agree by chance)."""
PHASE_LOST_FRACTION = 0.25
"""A timing bound of a quarter period or more: the phase along the orbit is lost.  The
calibration (scripts/calibrate_accuracy.py, PHASE LOST) shows bounds of half a period
declared the phase lost for pairs whose error was under 0.05 orbit; a quarter orbit is
where the along-track error stops telling ascending from descending passes."""
MIN_BOUND_KM = {"low": 1.0, "deep": 10.0}
"""Smallest bound ever stated: orbit determination of a low orbit (~1 km) and, optically,
at 36,000 km (~10 km)."""
MAX_OWN_SETS = 8
"""The own-history refinement uses pairs among the newest this many sets up to the one
used (more add little and cost SGP4 calls)."""
REFINE_MIN_AGE_DAYS = 1.0
"""Own pairs shorter than this are not used to refine (they are orbit-determination
noise, not the object's drag)."""

CLASSES = ("leo_sso_low_drag", "leo_sso_high_drag", "leo_low_inclination", "leo_other",
           "geo_held", "geo_unheld", "heo", "deep_other")
CLASS_TEXT = {
    "leo_sso_low_drag": "sun-synchronous low orbit, low drag",
    "leo_sso_high_drag": "sun-synchronous low orbit, high drag",
    "leo_low_inclination": "low orbit below 45 deg inclination",
    "leo_other": "other low orbit",
    "geo_held": "geostationary, station-kept",
    "geo_unheld": "geostationary, not held at a slot",
    "heo": "eccentric high orbit",
    "deep_other": "other high orbit",
}
BANDS_DAYS = ((1.0, 7.0), (7.0, 30.0), (30.0, 90.0), (90.0, 150.0))
ANCHOR_AGES_DAYS = tuple(math.sqrt(lo * hi) for lo, hi in BANDS_DAYS)
"""Each band's scale applies at its geometric middle; log-age interpolation between."""

# --------------------------------------------------------------------------- constants
# BEGIN FITTED CONSTANTS (printed by scripts/calibrate_accuracy.py; tests check they match)
CONSTANTS: dict[str, tuple[float, float, float, float]] = {
    # class: (floor_km, growth_km, power, indicator_power)
    'leo_sso_low_drag': (1.04, 0.6746, 1.98, 0.5),
    'leo_sso_high_drag': (0.03815, 0.7845, 1.88, 0.75),
    'leo_low_inclination': (0.02119, 2.872, 1.66, 0.5),
    'leo_other': (0.08056, 0.8329, 2.0, 0.75),
    'geo_held': (0.357, 11.0, 0.64, 0.25),
    'geo_unheld': (76.06, 0.6433, 2.04, 0.0),
    'heo': (76.06, 0.6433, 2.04, 0.0),
    'deep_other': (76.06, 0.6433, 2.04, 0.0),
}
BAND_SCALE: dict[str, tuple[float | None, ...]] = {
    # class: scale at the middle of the 1-7, 7-30, 30-90, 90-150 d bands
    'leo_sso_low_drag': (0.983, None, None, 1.074),
    'leo_sso_high_drag': (0.821, None, None, 1.074),
    'leo_low_inclination': (None, 1.079, None, None),
    'leo_other': (None, 1.017, None, None),
    'geo_held': (0.846, None, None, 0.995),
    'geo_unheld': (0.988, 1.02, None, 1.001),
    'heo': (0.988, 1.02, None, 1.001),
    'deep_other': (0.988, 1.02, None, 1.001),
}
MEDIAN_RATIO: dict[str, float] = {
    'leo_sso_low_drag': 0.3059,
    'leo_sso_high_drag': 0.5355,
    'leo_low_inclination': 0.601,
    'leo_other': 0.6433,
}
REFINE_WEIGHT = 0.2
CROSS_KM_PER_DAY_90 = 0.1869
FIT_PAIRS: dict[str, int] = {
    'leo_sso_low_drag': 282,
    'leo_sso_high_drag': 141,
    'leo_low_inclination': 103,
    'leo_other': 51,
    'geo_held': 280,
    'geo_unheld': 446,
    'heo': 4,
    'deep_other': 11,
}
BORROWED: dict[str, str] = {
    'heo': 'geo_unheld',
    'deep_other': 'geo_unheld',
}
# END FITTED CONSTANTS


@dataclass(frozen=True)
class Calibration:
    """The fitted constants the bound uses (the shipped ones: :data:`SHIPPED`).

    ``constants``: class -> (floor_km, growth_km, power, indicator_power); ``band_scale``:
    class -> scale at the middle of each band of :data:`BANDS_DAYS` (None: no data there,
    interpolated); ``median_ratio``: low-orbit class -> median error / curve (the reference
    of the own-history refinement); ``refine_weight``; ``cross_km_per_day_90``: 90 % of
    low-orbit cross-track errors per day of age; ``fit_pairs``: class -> pairs fitted;
    ``borrowed``: class -> the class whose constants it carries (too few pairs of its own).
    """

    constants: dict
    band_scale: dict
    median_ratio: dict
    refine_weight: float
    cross_km_per_day_90: float
    fit_pairs: dict = field(default_factory=dict)
    borrowed: dict = field(default_factory=dict)


SHIPPED = Calibration(CONSTANTS, BAND_SCALE, MEDIAN_RATIO, REFINE_WEIGHT, CROSS_KM_PER_DAY_90,
                      FIT_PAIRS, BORROWED)


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




def held_pair_error_km(older: ElementSet, newer: ElementSet, inclination_held: bool) -> float:
    """Error of ``older`` held at its own slot (:mod:`orbitview.orbit.geohold`) against
    ``newer``: the largest distance over the newer set's first day (24 samples), km."""
    ts = timescale()
    hold = hold_at(older, inclination_held)
    t0 = ts.from_datetime(newer.epoch)
    t = ts.tt_jd(t0.tt + np.linspace(0.0, 1.0, 24, endpoint=False))
    truth = raw_propagate([[newer]], t).itrs_km[:, 0, :]
    return float(np.nanmax(np.linalg.norm(held_itrs_km(hold, t) - truth, axis=0)))


# --------------------------------------------------------------------------- classes

def sso_inclination_deg(mean_motion_rev_per_day, eccentricity=0.0):
    """Inclination (deg) at which J2 turns the node 360 deg a year for this orbit."""
    n = np.asarray(mean_motion_rev_per_day, float) * 2 * np.pi / 86400.0        # rad/s
    a = (MU_KM3_S2 / n ** 2) ** (1.0 / 3.0)
    p = a * (1.0 - np.asarray(eccentricity, float) ** 2)
    node_rate = 2 * np.pi / (365.2422 * 86400.0)                                  # rad/s
    cos_i = -node_rate / (1.5 * n * J2 * (RE_KM / p) ** 2)
    return np.degrees(np.arccos(np.clip(cos_i, -1.0, 1.0)))


def orbit_classes(mean_motion_rev_per_day, inclination_deg, eccentricity, drag_s_per_day2,
                  kept=False):
    """Class names (:data:`CLASSES`) of element sets: arrays in, array of str out.

    ``kept``: the object keeps a geostationary slot (:func:`orbitview.orbit.geohold.decide`)
    and the position is the held slot or SGP4 within 14 days of the epoch."""
    n, inc, ecc, drag, kept = np.broadcast_arrays(
        np.asarray(mean_motion_rev_per_day, float), np.asarray(inclination_deg, float),
        np.asarray(eccentricity, float), np.asarray(drag_s_per_day2, float),
        np.asarray(kept, bool))
    out = np.full(n.shape, "deep_other", dtype=object)
    low = n > LOW_ORBIT_MIN_REV_PER_DAY
    sso = low & (np.abs(inc - sso_inclination_deg(n, ecc)) <= SSO_TOLERANCE_DEG)
    out[low] = "leo_other"
    out[low & (inc < LOW_INCLINATION_DEG)] = "leo_low_inclination"
    out[sso] = np.where(drag[sso] > HIGH_DRAG_S_PER_DAY2, "leo_sso_high_drag",
                        "leo_sso_low_drag")
    geo = ~low & (np.abs(n - 1.0027379) < 0.05) & (ecc < 0.01)
    out[geo] = np.where(kept[geo], "geo_held", "geo_unheld")
    out[~low & ~geo & (ecc >= HEO_MIN_ECCENTRICITY)] = "heo"
    return out


@functools.lru_cache(maxsize=8192)
def orbit_class(es: ElementSet, kept: bool = False) -> str:
    """The class (:data:`CLASSES`) of a prediction from ``es``; ``kept`` as in
    :func:`orbit_classes`.  Worked out once per element set (sets are not changed once
    read)."""
    return str(orbit_classes(es.mean_motion_rev_per_day, math.degrees(es.satrec.inclo),
                             es.satrec.ecco, drag_scale_s_per_day2(es), bool(kept))[()])


def is_low(orbit_class_name: str) -> bool:
    return str(orbit_class_name).startswith("leo")


# --------------------------------------------------------------------------- the curve

def indicator_ratio(orbit_class_name, indicator) -> np.ndarray:
    """The class's indicator over its reference, floored (arrays broadcast): a low orbit's
    drag (:func:`drag_scale_s_per_day2` / :data:`D_REF_S_PER_DAY2`), a held slot's drift
    (:attr:`geohold.Hold.drift_deg_per_day` / :data:`DRIFT_REF_DEG_PER_DAY`); 1 for classes
    without one."""
    cls, ind = np.broadcast_arrays(np.asarray(orbit_class_name, dtype=object),
                                   np.asarray(indicator, float))
    out = np.ones(ind.shape)
    for name in set(cls.ravel().tolist()):
        m = cls == name
        if is_low(name):
            out[m] = np.maximum(ind[m], DRAG_FLOOR_S_PER_DAY2) / D_REF_S_PER_DAY2
        elif str(name).startswith("geo_held"):
            out[m] = np.maximum(ind[m], DRIFT_FLOOR_DEG_PER_DAY) / DRIFT_REF_DEG_PER_DAY
    return out


def curve_km(orbit_class_name, age_days, indicator=None,
             calibration: Calibration | None = None) -> np.ndarray:
    """``hypot(floor, growth * d ** q * age ** p)`` per class (arrays broadcast), ``d`` the
    class's indicator over its reference (:func:`indicator_ratio`; None: the reference)."""
    cal = calibration or SHIPPED
    cls, age = np.broadcast_arrays(np.asarray(orbit_class_name, dtype=object),
                                   np.abs(np.asarray(age_days, float)))
    floor, growth, power, dpow = (np.empty(age.shape) for _ in range(4))
    for name in set(cls.ravel().tolist()):
        m = cls == name
        floor[m], growth[m], power[m], dpow[m] = cal.constants[str(name)]
    d = np.ones(age.shape) if indicator is None else indicator_ratio(cls, indicator)
    return np.hypot(floor, growth * d ** dpow * age ** power)


def band_scale(orbit_class_name, age_days, calibration: Calibration | None = None
               ) -> np.ndarray:
    """The age-band calibration factor ``S_c(age)`` (arrays broadcast)."""
    cal = calibration or SHIPPED
    cls, age = np.broadcast_arrays(np.asarray(orbit_class_name, dtype=object),
                                   np.maximum(np.abs(np.asarray(age_days, float)), 1e-3))
    out = np.ones(age.shape)
    for name in set(cls.ravel().tolist()):
        m = cls == name
        scales = cal.band_scale[str(name)]
        pts = [(math.log(a), s) for a, s in zip(ANCHOR_AGES_DAYS, scales, strict=True)
               if s is not None]
        if pts:
            x, y = zip(*pts, strict=True)
            out[m] = np.interp(np.log(age[m]), x, y)
    return out


def bound_km(orbit_class_name, age_days, indicator=None, own_offset=0.0,
             calibration: Calibration | None = None) -> np.ndarray:
    """The 90 % position-error bound (km), arrays broadcast: ``S_c(a) * curve * refinement``.

    ``own_offset``: the mean log ratio of the object's own earlier pairs to the class
    median (:func:`own_offset`; 0 without history, ignored for high orbits); the bound is
    multiplied by ``exp(REFINE_WEIGHT * own_offset)``.  Not floored or capped: see
    :func:`error_bound` for the bound as stated."""
    cal = calibration or SHIPPED
    cls = np.asarray(orbit_class_name, dtype=object)
    low = np.vectorize(is_low, otypes=[bool])(cls) if cls.ndim else np.asarray(is_low(cls))
    refine = np.exp(cal.refine_weight * np.where(low, np.asarray(own_offset, float), 0.0))
    return (band_scale(cls, age_days, cal) * curve_km(cls, age_days, indicator, cal)
            * refine)


def own_pairs(history: list[ElementSet]) -> list[PairError]:
    """The object's own low-orbit pairs the refinement uses: every pair of at least
    :data:`REFINE_MIN_AGE_DAYS` among the newest :data:`MAX_OWN_SETS` sets."""
    return [p for p in history_pairs(list(history)[-MAX_OWN_SETS:])
            if not (p.older.is_deep_space or p.newer.is_deep_space)
            and p.age_days >= REFINE_MIN_AGE_DAYS and np.isfinite(p.total_km)]


def own_log_ratios(history: list[ElementSet], calibration: Calibration | None = None
                   ) -> list[float]:
    """Log of (error / class median) of each of :func:`own_pairs`."""
    cal = calibration or SHIPPED
    out = []
    for p in own_pairs(history):
        cls = orbit_class(p.older)
        median = cal.median_ratio.get(cls)
        if not median:
            continue
        expect = float(curve_km(cls, p.age_days, drag_scale_s_per_day2(p.older), cal)) * median
        out.append(math.log(max(p.total_km, 1e-3) / expect))
    return out


def own_offset(history: list[ElementSet], calibration: Calibration | None = None
               ) -> tuple[float, int]:
    """(mean own log ratio, number of own pairs) for the refinement; (0, 0) without any.

    With the shipped calibration, worked out once per newest sets (element sets are
    not changed once read: every chunk of a long run, every frame, asks again)."""
    newest = tuple(list(history)[-MAX_OWN_SETS:])
    return _cached_own_offset(newest, _ByIdentity(calibration or SHIPPED))


class _ByIdentity:
    """A calibration as a cache key: the same object, not an equal one (the key holds
    it, so its identity is not reused while the entry lives)."""

    def __init__(self, value):
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other) -> bool:
        return isinstance(other, _ByIdentity) and other.value is self.value


@functools.lru_cache(maxsize=4096)
def _cached_own_offset(newest: tuple, calibration: _ByIdentity) -> tuple[float, int]:
    r = own_log_ratios(list(newest), calibration.value)
    return (float(np.mean(r)), len(r)) if r else (0.0, 0)


# --------------------------------------------------------------------------- the bound

@dataclass(frozen=True)
class ErrorBound:
    """A 90 % bound on the position error of a prediction from elements ``age_days`` old."""

    age_days: float
    along_km: float
    """Along-track part (for a low orbit, nearly all of the bound)."""
    cross_km: float
    """Cross-track part (low orbits: 90 % of cross-track errors at this age; 0 for high)."""
    timing_s: float | None
    """Along-track error as time (low orbits); None for high orbits."""
    period_s: float
    basis: str
    """Which model and which data gave the bound, in words, and what would break it."""
    orbit_class: str = ""
    """Class of the prediction (:data:`CLASSES`)."""
    held: bool = False
    """The position is a geostationary slot hold (:mod:`orbitview.orbit.geohold`)."""
    hold_note: str = ""
    """Geostationary objects: why the slot is held, or why not (e.g. the record says it was
    moved to a graveyard orbit); '' for other orbits."""
    epoch: dt.datetime | None = None
    """Epoch of the element set the prediction uses."""
    norad_id: int | None = None

    @property
    def position_km(self) -> float:
        return math.hypot(self.along_km, self.cross_km)

    @property
    def semi_major_axis_km(self) -> float:
        return (MU_KM3_S2 * (self.period_s / (2 * math.pi)) ** 2) ** (1.0 / 3.0)

    @property
    def phase_lost(self) -> bool:
        """The along-track bound reaches :data:`PHASE_LOST_FRACTION` of an orbit: where on
        its orbit the satellite is, is unknown (low orbits: timing, high: arc length)."""
        if self.timing_s is not None:
            return self.timing_s >= PHASE_LOST_FRACTION * self.period_s
        return self.along_km >= PHASE_LOST_FRACTION * 2 * math.pi * self.semi_major_axis_km

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
            if self.timing_s is not None:
                return (f"90 % error bound: anywhere along its orbit (timing error could "
                        f"exceed {_duration(PHASE_LOST_FRACTION * self.period_s)}, a quarter "
                        "of a revolution)")
            return ("90 % error bound: anywhere along its orbit (the along-track error could "
                    "exceed a quarter of a revolution)")
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


def _history_and_record(obj, record=None):
    if isinstance(obj, ElementSet):
        return [obj], record
    if hasattr(obj, "elements"):
        return list(obj.elements), record if record is not None else getattr(obj, "record", None)
    return list(obj), record


def _known(history: list[ElementSet], es: ElementSet) -> list[ElementSet]:
    """The sets up to and including ``es``: what was known when ``es`` was the newest."""
    known = [e for e in history if e.epoch <= es.epoch and e is not es]
    return known + [es]


_BREAKS = {
    "leo": "an orbit change after the epoch (raising, collision avoidance, de-orbit) is "
           "outside it",
    "geo_held": "it assumes the slot is kept as the history shows: a relocation, retirement "
                "or station-keeping stop after the epoch breaks it",
    "geo_unheld": "SGP4 drift from this set; a manoeuvre after the epoch (relocation, "
                  "station-keeping resumed) breaks it",
    "deep": "rough; a manoeuvre after the epoch breaks it",
}


def _bound(history: list[ElementSet], es: ElementSet, age: float, held: bool, kept: bool,
           cal: Calibration, hold_note: str = "",
           drift_deg_per_day: float = DRIFT_REF_DEG_PER_DAY, moved: str = "") -> ErrorBound:
    age = abs(float(age))
    period = _period_s(es)
    low = not es.is_deep_space
    cls = orbit_class(es, kept=kept and (held or age <= STALE_AFTER_DAYS))
    offset, n_own = own_offset(history, cal) if low else (0.0, 0)
    indicator = drag_scale_s_per_day2(es) if low else drift_deg_per_day
    km = float(bound_km(cls, age, indicator, offset, cal))
    km = max(km, MIN_BOUND_KM["low" if low else "deep"])
    a_km = (MU_KM3_S2 * (period / (2 * math.pi)) ** 2) ** (1.0 / 3.0)
    diameter = 2 * a_km                         # no position error exceeds the orbit's diameter
    if moved:                                   # the record says the set no longer applies
        km = max(km, diameter)
    pairs = cal.fit_pairs.get(cls, 0)
    basis = f"{CLASS_TEXT[cls]} ({cls}), calibrated on {pairs} pairs of real CelesTrak sets"
    if cls in cal.borrowed:
        basis += (f" with the constants of {cal.borrowed[cls]} (too few pairs of its own)")
    band = next((k for k, (lo, hi) in enumerate(BANDS_DAYS) if lo <= age < hi), None)
    if band is not None and cal.band_scale.get(cls, (None,) * 4)[band] is None:
        lo, hi = BANDS_DAYS[band]
        basis += (f"; at {lo:.0f}-{hi:.0f} days its pairs came from fewer than 20 objects, so "
                  "the bound there is interpolated from other ages (uncalibrated)")
    elif age >= BANDS_DAYS[-1][1]:
        basis += (f"; beyond {BANDS_DAYS[-1][1]:.0f} days no pairs were tabled: the bound "
                  "there is extrapolated")
    if moved:
        basis += (f"; its record says '{moved}': moved at a time its newest set may not "
                  "show, so the set cannot say where on its orbit it is")
    if low:
        basis += (f"; refined by {n_own} pair{'s' if n_own != 1 else ''} of its own history"
                  if n_own else "; no usable history of its own (class fallback)")
        basis += "; " + _BREAKS["leo"]
        cross = min(cal.cross_km_per_day_90 * age, km)
        along = math.sqrt(max(km * km - cross * cross, 0.0))
        # Timing from the bound before the diameter cap (half a period at most): the cap
        # limits a distance, not how far along the orbit the satellite may be.
        timing = min(along / orbital_speed_km_s(es), 0.5 * period)
        along = min(along, math.sqrt(max(diameter ** 2 - cross * cross, 0.0)))
    else:
        basis += "; " + _BREAKS.get(cls, _BREAKS["deep"])
        if hold_note and held:
            basis += f" (held at its slot: {hold_note})"
        elif hold_note and kept:
            basis += (f" (station-kept: {hold_note}; this position is SGP4's, not the held "
                      "slot)")
        elif hold_note:
            basis += f" (not held: {hold_note})"
        cross, along, timing = 0.0, min(km, diameter), None
    return ErrorBound(age, along, cross, timing, period, basis, cls, held, hold_note, es.epoch,
                      es.norad_id)


def error_bound(obj, age_days: float, held: bool = False,
                element_set: ElementSet | None = None,
                calibration: Calibration | None = None, record=None) -> ErrorBound:
    """The 90 % error bound of a prediction ``age_days`` from the epoch of its set.

    ``obj`` is a :class:`~orbitview.data.catalog.Satellite` (its record counts: the slot
    decision, and a status that says it was moved), a list of element sets (its history;
    ``record`` gives the record) or one :class:`ElementSet`; ``element_set`` is the set
    used (default: the newest).  ``held``: the position comes from a GEO slot hold
    (:func:`orbitview.orbit.geohold.hold_for`).  Own pairs in the history refine
    low-orbit bounds.  :func:`bound_at` asks the same with a time."""
    history, record = _history_and_record(obj, record)
    es = element_set or history[-1]
    known = _known(history, es)
    note, kept, drift = "", bool(held), DRIFT_REF_DEG_PER_DAY
    if es.is_deep_space and is_geosynchronous(es):
        decision = geohold.decide(known, record)
        kept = kept or decision.kept
        note = decision.reason
        if decision.hold:
            drift = decision.hold.drift_deg_per_day
    moved = _moved(record) if es is history[-1] and age_days >= 0 else ""
    return _bound(known, es, age_days, bool(held), kept, calibration or SHIPPED, note, drift,
                  moved)


def _moved(record) -> str:
    """The record's status when it says the satellite was moved or came down, else ''."""
    if not geohold.record_says_moved(record):
        return ""
    record = getattr(record, "record", record)
    return record if isinstance(record, str) else record.status


def bound_at(satellite_or_history, at: dt.datetime, hold: bool = True, record=None,
             calibration: Calibration | None = None) -> ErrorBound:
    """The 90 % error bound of where ``satellite_or_history`` is at ``at``, as orbitview
    predicts it (what ``tle status`` shows; the front door's ``ov.error_bound``).

    The element set is the one whose epoch is nearest ``at`` (as propagation picks it),
    its age is ``at`` minus its epoch, and a geostationary position is held at the slot
    when :func:`orbitview.orbit.geohold.hold_for` would hold it (``hold``, the newest set,
    stale, station-kept by history, not refused by the record).  ``satellite_or_history``:
    a :class:`~orbitview.data.catalog.Satellite` (its ``record`` is used) or a list of
    element sets; ``record``: a launch record or status string, for histories (or to
    override the satellite's).  ``at``: a timezone-aware datetime.
    """
    if not isinstance(at, dt.datetime):
        raise TypeError(f"bound_at: 'at' must be a datetime, not {type(at).__name__}.\n"
                        "Fix: pass e.g. datetime(2026, 11, 21, 9, 30, tzinfo=timezone.utc).")
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"bound_at: {at.isoformat()} has no timezone, so the instant is unknown.\n"
            "Fix: give it one, e.g.\n"
            "    from datetime import timezone\n"
            f"    at = datetime({at.year}, {at.month}, {at.day}, {at.hour}, {at.minute}, "
            "tzinfo=timezone.utc)")
    history, record = _history_and_record(satellite_or_history, record)
    if not history:
        name = getattr(satellite_or_history, "name", "the object")
        raise ValueError(f"bound_at: {name} has no element set, so no position and no "
                         "bound.\nFix: fetch its elements with 'orbitview tle update'.")
    at = at.astimezone(dt.timezone.utc)
    epochs = np.array([es.epoch_jd for es in history])
    jd = _jd_utc(at)
    k = int(nearest_index(epochs, np.array([jd]))[0])
    es = history[k]
    age = es.age_days(at)
    known = history[:k + 1]
    note, kept, held, drift = "", False, False, DRIFT_REF_DEG_PER_DAY
    if es.is_deep_space and is_geosynchronous(es):
        decision = geohold.decide(known, record)
        kept, note = decision.kept, decision.reason
        if decision.hold:
            drift = decision.hold.drift_deg_per_day
        held = (geohold.hold_for(history, es, age, hold, record) is not None)
    moved = _moved(record) if k == len(history) - 1 and age >= 0 else ""
    return _bound(known, es, age, held, kept, calibration or SHIPPED, note, drift, moved)


def _jd_utc(when: dt.datetime) -> float:
    """UTC Julian date of an aware datetime (the scale element epochs are in)."""
    j2000 = dt.datetime(2000, 1, 1, 12, tzinfo=dt.timezone.utc)
    return 2451545.0 + (when - j2000).total_seconds() / 86400.0


@dataclass(frozen=True)
class Staleness:
    """One satellite's stale elements in an answer: what its warning says, as data."""

    name: str
    norad_id: int | None
    epoch: dt.datetime
    age_days: float
    """Largest |time - epoch| over the answer, days."""
    bound: ErrorBound
    hold: object = None
    fix: str = ""

    def text(self) -> str:
        """The full warning (one line per satellite, as --verbose shows it)."""
        held = (f"; {self.hold.describe(self.age_days)} (station-kept: {self.hold.evidence}), "
                "where SGP4 alone would drift (--no-hold shows that)") if self.hold else ""
        return (f"{self.name} ({self.norad_id}): element set epoch {iso(self.epoch)} is "
                f"{self.age_days:.0f} days from the times asked for (stale beyond "
                f"{STALE_AFTER_DAYS:.0f} days){held}; {self.bound.text()}. "
                f"Fix: {self.fix}")


def staleness(prop, i: int) -> Staleness:
    """The :class:`Staleness` of satellite ``i`` of a Propagation: the epoch and age of its
    set at the greatest age used, the GEO hold if one was applied, the 90 % error bound."""
    age = np.abs(prop.epoch_age_days[i])
    k = int(np.argmax(age))
    history = prop.elements[i]
    es = history[int(prop.set_index[i][k])]
    holds = getattr(prop, "holds", None)
    hold = holds[i] if holds else None
    records = getattr(prop, "records", None)
    bound = error_bound(history, float(age[k]), held=hold is not None, element_set=es,
                        record=records[i] if records else None)
    return Staleness(prop.names[i], prop.norad_ids[i], es.epoch, float(age[k]), bound, hold,
                     update_fix(es, prop.norad_ids[i]))


def stale_warning(prop, i: int) -> str:
    """The warning for satellite ``i`` of a Propagation whose elements are stale.

    Names the epoch and age, the GEO hold if one was applied, and the 90 %
    error bound at the greatest age used, in km and in seconds of timing.
    """
    return staleness(prop, i).text()


def stale_summary(states: list[Staleness], verbose_option: str = "--verbose") -> str:
    """One line for many stale element sets: how many, the oldest, the largest bounds, the
    fix (what every command says once; ``verbose_option`` lists each)."""
    if not states:
        return ""
    oldest = max(states, key=lambda s: s.age_days)
    lost = [s.name for s in states if s.bound.phase_lost]
    worst = max((s for s in states if not s.bound.phase_lost),
                key=lambda s: s.bound.position_km, default=None)
    parts = [f"{len(states)} object{'s' if len(states) != 1 else ''} with element sets older "
             f"than {STALE_AFTER_DAYS:.0f} days (the oldest {oldest.name}, "
             f"{oldest.age_days:.0f} days)"]
    if lost:
        parts.append("where on its orbit each is cannot be said for "
                     + _names(lost))
    if worst is not None:
        other = "other " if lost else ""
        parts.append(f"the largest {other}90 % bound is {worst.bound.km_text()} ({worst.name})")
    return ("; ".join(parts) + ". Fix: 'orbitview tle update --all' when online "
            f"({verbose_option} says each one's epoch and bound).")


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
        bound = error_bound(history, age, element_set=es, record=getattr(sat, "record", None))
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
