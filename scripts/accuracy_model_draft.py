"""Draft of orbitview's next error model: a 90 % bound per orbit class and element age.

Module-ready (numpy only, no orbitview imports) so that it can be dropped into
``src/orbitview/`` beside ``accuracy.py``; ``scripts/calibrate_accuracy.py`` fits
:data:`CONSTANTS` on real CelesTrak pairs and checks the bound on held-out objects.

**Method.**  Pairs of element sets of the same object (NORAD and COSPAR id): the older
set propagated (SGP4) to the newer set's epoch and compared with the newer set.  For a
class ``c`` and an element age ``a`` in days the 90 % bound on the position error is

    bound_km(c, a, d) = scale[c](a) * hypot(floor_km[c],
                                            growth_km[c] * (d / D_REF) ** drag_power[c] * a ** power[c])

with ``d`` the set's own drag indicator (:data:`HIGH_DRAG_S_PER_DAY2`'s unit, floored at
:data:`DRAG_FLOOR_S_PER_DAY2`; ``drag_power`` is 0 for high orbits), 
a floor (orbit determination noise and routine manoeuvres, present at any age, so
short ages are not squeezed towards zero as the old ``age**2`` curve was) joined to a
power-law growth (drag that ``B*`` did not foresee, east-west drift of a GEO slot).
The four constants per class are the 90 % quantile regression of the fit objects'
errors on age (pinball loss, log errors).  ``scale[c](a)`` then calibrates each age
band (1-7, 7-30, 30-90, 90-150 days) on its own: at the band's middle age (geometric
mean of its ends, :data:`ANCHOR_AGES_DAYS`) it is the 90 % quantile of error / curve
over the band's fit pairs, interpolated linearly in log age between anchors and held
flat beyond the first and last (``None``: the band had too few fit pairs; skipped).

For a low orbit almost all of the error is along the track, so the bound is also a
timing bound: ``timing_s = bound_km / speed_km_s``.  Where on its orbit a low
satellite is, is taken as lost (:func:`phase_lost`) once that timing bound reaches
:data:`PHASE_LOST_FRACTION` of a period.

**Classes** (:func:`orbit_class`): low orbits (period under 225 min) are
sun-synchronous (inclination within :data:`SSO_TOLERANCE_DEG` of the sun-synchronous
inclination for the orbit's size), split by drag (the set's own decay rate
``ndot`` as an along-track time shift per day squared, threshold
:data:`HIGH_DRAG_S_PER_DAY2`); low-inclination (below :data:`LOW_INCLINATION_DEG`);
or other.  Geosynchronous objects (near one revolution a sidereal day, near-circular)
are *held* when their own history keeps the mean longitude within a box
(:func:`slot_kept`, manoeuvres allowed) and *unheld* otherwise; for a held object the
prediction beyond 14 days is the held slot (orbitview.geohold), before that SGP4.
Other high orbits: ``heo`` (eccentricity 0.25 or more) and ``deep_other``.

**Limits.**  Fitted on element sets of 2026-05-25 to 2026-09-07 (CelesTrak via the
public mirrors listed in scripts/data/calibration/SOURCES.md); ages up to about 105
days, nothing between 33 and 72 days for most objects and no pairs at all beyond 150
days in the bands.  Classes with few objects (``heo``, ``deep_other``) carry
the constants of a neighbouring class and say so (:data:`BORROWED`).  Solar activity of
mid-2026 is baked into the drag classes.  Ages below one day are outside the fit:
the bound at ``a < 1`` is the floor.
"""

from __future__ import annotations

import numpy as np

MU_KM3_S2 = 398600.4418
RE_KM = 6378.137
J2 = 1.08262668e-3
SIDEREAL_RATE_REV_PER_DAY = 1.0027379

LOW_ORBIT_MIN_REV_PER_DAY = 1440.0 / 225.0
"""Period under 225 min: SGP4's near-Earth branch."""
SSO_TOLERANCE_DEG = 2.0
LOW_INCLINATION_DEG = 45.0
HIGH_DRAG_S_PER_DAY2 = 0.1
"""Along-track time shift per day^2 implied by the set's ndot; above this, 'high drag'
(PRSC-EO1: 0.2 to 0.5; NOAA-20: 0.01)."""
HEO_MIN_ECCENTRICITY = 0.25
SLOT_BOX_DEG = 0.5
"""Full width of the box the mean longitudes of an object's history must stay in."""
SLOT_MIN_SPAN_DAYS = 2.0
"""The history must span at least this long to show station-keeping."""
D_REF_S_PER_DAY2 = 0.1
DRAG_FLOOR_S_PER_DAY2 = 0.005
PHASE_LOST_FRACTION = 0.25
"""Timing bound, as a fraction of the period, beyond which the phase is reported lost."""

CLASSES = ("leo_sso_low_drag", "leo_sso_high_drag", "leo_low_inclination", "leo_other",
           "geo_held", "geo_unheld", "heo", "deep_other")

# Fitted by scripts/calibrate_accuracy.py (fit half of the objects; see its output).
CONSTANTS: dict[str, tuple[float, ...]] = {
    # class: (floor_km, growth_km, power, drag_power)
    'leo_sso_low_drag': (1.155, 0.26743, 2.2, 0.75),
    'leo_sso_high_drag': (0.04, 1.41776, 1.83, 0.5),
    'leo_low_inclination': (53.319, 37.17974, 0.94, 0.75),
    'leo_other': (0.068, 2.04193, 1.74, 0.75),
    'geo_held': (0.193, 3.29641, 0.9, 0.0),
    'geo_unheld': (97.912, 0.92723, 1.95, 0.0),
    'heo': (97.912, 0.92723, 1.95, 0.0),
    'deep_other': (97.912, 0.92723, 1.95, 0.0),
}
ANCHOR_AGES_DAYS = (7 ** 0.5, (7 * 30) ** 0.5, (30 * 90) ** 0.5, (90 * 150) ** 0.5)
BAND_SCALE: dict[str, tuple] = {
    # class: scale at the middle of the 1-7, 7-30, 30-90, 90-150 d bands (None: no fit data)
    'leo_sso_low_drag': (1.067, None, None, 1.005),
    'leo_sso_high_drag': (0.827, None, None, 0.918),
    'leo_low_inclination': (None, 1.022, None, 0.975),
    'leo_other': (None, 1.026, None, None),
    'geo_held': (1.057, None, None, 0.834),
    'geo_unheld': (0.914, 1.017, None, 0.995),
    'heo': (0.914, 1.017, None, 0.995),
    'deep_other': (0.914, 1.017, None, 0.995),
}
BORROWED: dict[str, str] = {'heo': 'geo_unheld', 'deep_other': 'geo_unheld'}
"""Classes without enough fit pairs and the class whose constants they carry."""


def sso_inclination_deg(mean_motion_rev_per_day, eccentricity=0.0):
    """Inclination (deg) at which J2 turns the node 360 deg a year for this orbit."""
    n = np.asarray(mean_motion_rev_per_day, float) * 2 * np.pi / 86400.0        # rad/s
    a = (MU_KM3_S2 / n ** 2) ** (1.0 / 3.0)
    p = a * (1.0 - np.asarray(eccentricity, float) ** 2)
    node_rate = 2 * np.pi / (365.2422 * 86400.0)                                  # rad/s
    cos_i = -node_rate / (1.5 * n * J2 * (RE_KM / p) ** 2)
    return np.degrees(np.arccos(np.clip(cos_i, -1.0, 1.0)))


def orbit_class(mean_motion_rev_per_day, inclination_deg, eccentricity, drag_s_per_day2,
                held=False):
    """Class name(s) of element sets; arrays in, array of str out (scalars give a str)."""
    n, inc, ecc, drag, held = np.broadcast_arrays(
        np.asarray(mean_motion_rev_per_day, float), np.asarray(inclination_deg, float),
        np.asarray(eccentricity, float), np.asarray(drag_s_per_day2, float),
        np.asarray(held, bool))
    out = np.full(n.shape, "deep_other", dtype=object)
    low = n > LOW_ORBIT_MIN_REV_PER_DAY
    sso = low & (np.abs(inc - sso_inclination_deg(n, ecc)) <= SSO_TOLERANCE_DEG)
    out[low] = "leo_other"
    out[low & (inc < LOW_INCLINATION_DEG)] = "leo_low_inclination"
    out[sso] = np.where(drag[sso] > HIGH_DRAG_S_PER_DAY2, "leo_sso_high_drag",
                        "leo_sso_low_drag")
    geo = ~low & (np.abs(n - SIDEREAL_RATE_REV_PER_DAY) < 0.05) & (ecc < 0.01)
    out[geo] = np.where(held[geo], "geo_held", "geo_unheld")
    out[~low & ~geo & (ecc >= HEO_MIN_ECCENTRICITY)] = "heo"
    return out if out.ndim else str(out[()])


def slot_kept(mean_longitude_deg, epoch_days):
    """Station-keeping from an object's own history (manoeuvres allowed).

    ``mean_longitude_deg``: each set's mean sub-satellite longitude over a sidereal day;
    ``epoch_days``: the sets' epochs in days.  Kept when the history spans at least
    :data:`SLOT_MIN_SPAN_DAYS` and every mean longitude lies within a box of full width
    :data:`SLOT_BOX_DEG`.  No rate limit between two sets: an east-west kept satellite
    drifts across its box between manoeuvres (PakSat-MM1: 0.015 deg/day between its
    sets of 25 and 28 May 2026) and is still kept.  One set shows nothing: not kept.
    """
    lon = np.radians(np.asarray(mean_longitude_deg, float))
    t = np.asarray(epoch_days, float)
    if lon.size < 2 or t.max() - t.min() < SLOT_MIN_SPAN_DAYS:
        return False
    centre = np.arctan2(np.sin(lon).mean(), np.cos(lon).mean())
    dev = np.degrees(np.angle(np.exp(1j * (lon - centre))))
    return bool(dev.max() - dev.min() <= SLOT_BOX_DEG)


def band_scale(orbit_class_name, age_days, scales=None):
    """The per-band calibration factor at ``age_days`` (see the module docstring)."""
    scales = BAND_SCALE if scales is None else scales
    cls = np.asarray(orbit_class_name, dtype=object)
    age = np.maximum(np.abs(np.asarray(age_days, float)), 1.0)
    cls, age = np.broadcast_arrays(cls, age)
    out = np.ones(age.shape)
    for name in np.unique(cls):
        m = cls == name
        pts = [(np.log(a), s) for a, s in zip(ANCHOR_AGES_DAYS, scales[str(name)])
               if s is not None]
        if pts:
            x, y = zip(*pts)
            out[m] = np.interp(np.log(age[m]), x, y)
    return out


def bound_km(orbit_class_name, age_days, drag_s_per_day2=D_REF_S_PER_DAY2, constants=None,
             scales=None):
    """The 90 % position-error bound (km) at ``age_days`` (arrays broadcast).

    ``drag_s_per_day2``: the set's along-track time shift per day^2 from its ndot
    (orbitview.accuracy.drag_scale_s_per_day2); ignored by classes without a drag term.
    """
    constants = CONSTANTS if constants is None else constants
    cls = np.asarray(orbit_class_name, dtype=object)
    age = np.abs(np.asarray(age_days, float))
    cls, age, drag = np.broadcast_arrays(cls, age, np.asarray(drag_s_per_day2, float))
    floor = np.empty(age.shape)
    growth = np.empty(age.shape)
    power = np.empty(age.shape)
    dpow = np.zeros(age.shape)
    for name in np.unique(cls):
        m = cls == name
        c = constants[str(name)]
        floor[m], growth[m], power[m] = c[:3]
        dpow[m] = c[3] if len(c) > 3 else 0.0
    d = np.maximum(drag, DRAG_FLOOR_S_PER_DAY2) / D_REF_S_PER_DAY2
    out = np.hypot(floor, growth * d ** dpow * np.maximum(age, 1.0) ** power * (age >= 1.0))
    out = out * band_scale(cls, age, scales)
    return out if out.ndim else float(out)


def timing_bound_s(bound_position_km, mean_motion_rev_per_day):
    """A low-orbit position bound as along-track timing (s): bound / orbital speed."""
    n = np.asarray(mean_motion_rev_per_day, float) * 2 * np.pi / 86400.0
    a = (MU_KM3_S2 / n ** 2) ** (1.0 / 3.0)
    return np.asarray(bound_position_km, float) / np.sqrt(MU_KM3_S2 / a)


def phase_lost(timing_s, mean_motion_rev_per_day, fraction=PHASE_LOST_FRACTION):
    """True where the timing bound reaches ``fraction`` of a period."""
    period_s = 86400.0 / np.asarray(mean_motion_rev_per_day, float)
    return np.asarray(timing_s, float) >= fraction * period_s
