"""Satellites x times: the SGP4 run, the slot hold and what the answer rests on.

:func:`propagate` is the one way orbitview turns element sets into positions:
SGP4 with the nearest-epoch set of each satellite (:mod:`orbitview.orbit.sgp4run`),
then station-kept geostationary satellites held at their slot once their elements
are stale (:mod:`orbitview.orbit.geohold`, unless ``hold=False``), then the SGP4
failures and staleness warnings of each satellite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from sgp4.api import SGP4_ERRORS

from orbitview.data.elements import STALE_AFTER_DAYS, is_hypothetical
from orbitview.orbit import geohold
from orbitview.orbit.accuracy import staleness
from orbitview.orbit.frames import sgp4_jd, teme_to_itrs_matrix
from orbitview.orbit.sgp4run import (
    Propagation,
    SGP4Plan,
    epochs_jd,
    histories_of,
    run_sgp4,
    sgp4_teme,
)
from orbitview.util.timeutil import iso

__all__ = ["Propagation", "RunNotes", "history_teme", "propagate", "sgp4_error_message"]

EARTH_ROTATION_RAD_S = 7.2921159e-5


def propagate(satellites, t, sunlit: bool = False, hold: bool = True) -> Propagation:
    """Propagate ``satellites`` over the skyfield Time array ``t``.

    ``satellites`` are :class:`~orbitview.data.catalog.Satellite` objects (their
    element-set histories are used) or lists of :class:`ElementSet`.  With
    ``sunlit=True`` also flags whether each position is in sunlight, with the
    bundled JPL ephemeris (no download).  ``hold`` keeps station-kept GEO
    objects at their slot once their newest set is stale
    (:mod:`orbitview.orbit.geohold`); ``hold=False`` is SGP4 as it is.
    """
    sats = list(satellites)
    try:                                  # catalogue objects (the usual case, listed fast)
        histories = [s.elements for s in sats]
        names = [s.name for s in sats]
        if not all(histories):
            histories = [s.require_elements() for s in sats]   # raises, naming the object
        try:
            records = [s.record for s in sats]
        except AttributeError:
            records = [getattr(s, "record", None) for s in sats]
    except AttributeError:                # lists of element sets, or a mixture
        histories = [s.require_elements() if hasattr(s, "require_elements") else list(s)
                     for s in sats]
        names = [getattr(s, "name", h[-1].name) for s, h in zip(sats, histories)]
        records = [getattr(s, "record", None) for s in sats]
    facts = histories_of(histories)       # worked out once per element sets
    norads = list(facts.norad_ids)
    t = t if np.ndim(t.tt) else t.ts.tt_jd(np.atleast_1d(t.tt))
    result, plan = run_sgp4(histories, names, norads, t, sunlit=sunlit, facts=facts)
    result.records = records
    if hold:
        geohold.apply_hold(result, records=records,
                           candidates=geohold.hold_candidates(histories, facts))
    result.messages = _messages(result, plan, plan.jd + plan.fr)
    return result


def history_teme(history, t, hold: bool = True, velocity: bool = False, record=None,
                 jd_fr: tuple[np.ndarray, np.ndarray] | None = None):
    """One satellite's TEME positions at the skyfield Time array ``t``, held as
    :func:`propagate` holds them: ``(error (n,) uint8, r_km (n, 3), set_index (n,),
    v_km_s (n, 3) or None, hold or None)``.  ``jd_fr``: SGP4's Julian dates of ``t``
    (:func:`~orbitview.orbit.frames.sgp4_jd`) when the caller has them already (a search
    over many satellites converts its times once, not once per satellite); ``t`` may
    then be a function returning the Time array, called only where a slot hold applies.

    For engines that evaluate their own times (pass and opportunity searches), so that
    a held geostationary satellite is where :func:`propagate` puts it.  A held position's
    velocity is the Earth's rotation carrying the slot (the daily figure-eight, under
    0.01 km/s, is left out).
    """
    if jd_fr is None:
        jd, fr = sgp4_jd(t)
    else:
        jd, fr = jd_fr
    out = sgp4_teme([history], jd, fr, velocity=velocity)
    error, r, index = out[0][0], out[1][0], out[2][0]
    v = out[3][0] if velocity else None
    if not hold:
        return error, r, index, v, None
    mask, held = geohold.held_mask(history, index, jd + fr - epochs_jd(history)[index],
                                   record=record)
    if held is None:
        return error, r, index, v, None
    if callable(t):
        t = t()
    t_sub = t.ts.tt_jd(np.atleast_1d(t.tt)[mask])
    r_itrs = geohold.held_itrs_km(held, t_sub)                   # (3, m)
    R = teme_to_itrs_matrix(t_sub)                                # (3, 3, m)
    r = r.copy()
    r[mask] = np.einsum("jin,jn->ni", R, r_itrs)                  # R^T r
    error = error.copy()
    error[mask] = 0
    if velocity:
        v_itrs = np.stack([-EARTH_ROTATION_RAD_S * r_itrs[1],
                           EARTH_ROTATION_RAD_S * r_itrs[0], np.zeros(r_itrs.shape[1])])
        v = v.copy()
        v[mask] = np.einsum("jin,jn->ni", R, v_itrs)
    return error, r, index, v, held


def _messages(p: Propagation, plan: SGP4Plan, t_total: np.ndarray) -> list[list[str]]:
    """Per satellite: SGP4 failures and a staleness warning, looking only at the few
    satellites that have them."""
    out: list = [()] * len(p.names)       # one shared empty tuple; lists where something is said
    for i in np.flatnonzero(p.error_code.any(axis=1)):
        out[i] = []
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
        age[i] = np.abs(t_total - epochs_jd(p.elements[i])[p.set_index[i]]).max()
    if np.any(age > STALE_AFTER_DAYS):
        for i in np.flatnonzero(age > STALE_AFTER_DAYS):
            if not is_hypothetical(p.elements[i][-1]):   # a design has no truth to drift from
                state = staleness(p, i)
                p.staleness[int(i)] = state
                out[i] = [*out[i], state.text()]
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
