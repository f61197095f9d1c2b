"""Station-kept geostationary satellites stay at their slot: hold it when elements are stale.

SGP4 carries a geostationary satellite's mean elements forward without the
manoeuvres that keep it in its box, so a stale set drifts: PakSat-MM1's set
of 2026-09-07 (38.2 E) reaches 42.5 E by 2026-11-21, about 5 deg of azimuth
from Karachi.  For an object whose own element history shows station-keeping
(:func:`decide`: the mean longitudes of its recent sets stay inside a
:data:`SLOT_BOX_DEG` box over at least :data:`MIN_SPAN_DAYS`, manoeuvres allowed) and
whose launch record does not say it left its slot (retired, graveyard, decayed,
relocated: :func:`record_refusal`), orbitview *holds* the newest set once it is stale:
the Earth-fixed position at time t is the one the newest set gives at the same phase of a
sidereal day within its first day after the epoch.  That keeps the slot longitude and
the daily figure-eight (inclination and eccentricity) of the newest set, and drops only
the drift that station-keeping removes.  :func:`why_not_held` says in words why an
object is not held.

The hold is a post-processing step on a :class:`~orbitview.orbit.propagate.Propagation`
(:func:`apply_hold`); ``hold=False`` (``--no-hold``) gives raw SGP4.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet
from orbitview.orbit.frames import geodetic, in_sunlight, sgp4_jd, sun_teme_km, teme_to_itrs_matrix
from orbitview.orbit.sgp4run import raw_propagate
from orbitview.util.timeutil import timescale

SIDEREAL_DAY_D = 0.99726956633
"""Earth's rotation period (days): a held satellite's Earth-fixed motion repeats with it."""
SLOT_BOX_DEG = 0.5
"""Full width of the box the mean longitudes of an object's recent sets must stay in to
count as station-kept (operators keep a slot within +-0.05 to +-0.1 deg; 0.5 allows for
sets sampled at different points of a manoeuvre cycle).  Calibrated by
``scripts/calibrate_accuracy.py`` (the GEO hold study)."""
MIN_SPAN_DAYS = 2.0
"""The sets inside the box must span at least this long: sets closer in time than this
say nothing about station-keeping."""
NS_KEPT_MAX_INCLINATION_DEG = 0.3
NS_KEPT_MAX_CHANGE_DEG = 0.1
"""North-south station-keeping: every set in the box below 0.3 deg inclination, changed by
< 0.1 deg (left alone, the Sun and Moon raise a geostationary inclination by ~0.8 deg a
year)."""
REFUSING_STATUS_WORDS = ("retired", "graveyard", "decayed", "re-entered", "reentered",
                         "deorbited", "relocated", "relocating", "drifting",
                         "non-operational", "inactive", "dead")
"""A record whose ``status`` (data/launches.csv) contains one of these words is never held
at a slot: the satellite no longer keeps one, or its elements may not describe it."""
MOVED_STATUS_WORDS = ("graveyard", "decayed", "re-entered", "reentered", "deorbited",
                      "relocated", "relocating")
"""...and with one of these, the satellite was moved (or came down) at a time its newest
set may not show: a prediction after that set cannot say where on its orbit it is
(:func:`orbitview.orbit.accuracy.bound_at` states the phase lost)."""


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
    drift_deg_per_day: float = 0.0
    """Fastest mean-longitude rate from an older set of the run at the slot (at least a day
    before) to the newest: how fast the satellite crosses its box between manoeuvres (the
    error bound grows with it, :mod:`orbitview.orbit.accuracy`)."""

    def slot_text(self) -> str:
        lon = self.slot_lon_deg
        return f"{abs(lon):.1f} {'E' if lon >= 0 else 'W'}"

    def describe(self, age_days: float) -> str:
        """'held at its 38.2 E slot; elements 75 days old'."""
        return f"held at its {self.slot_text()} slot; elements {age_days:.0f} days old"


@dataclass(frozen=True)
class HoldDecision:
    """Whether an object keeps a slot, from its history and its record, and why."""

    hold: Hold | None
    """The slot to hold, or None: not station-kept (or its record refuses a hold)."""
    reason: str
    """In words: the evidence for the hold, or why there is none (for outputs)."""
    refused_by_record: bool = False
    """The record (``status``) refuses a hold, whatever the history shows."""

    @property
    def kept(self) -> bool:
        return self.hold is not None


def mean_longitude_deg(es: ElementSet, start: dt.datetime | None = None,
                       samples: int = 48) -> float:
    """Mean sub-satellite longitude over one sidereal day from ``start`` (default: epoch)."""
    key = (es.norad_id, es.epoch_jd, es.line1, es.line2, es.mean_motion_rev_per_day, samples)
    if start is None and key in _LON_MEMO:
        return _LON_MEMO[key]
    t0 = timescale().from_datetime(start or es.epoch)
    t = t0.ts.tt_jd(t0.tt + np.linspace(0.0, SIDEREAL_DAY_D, samples, endpoint=False))
    lon = _circular_mean_deg(raw_propagate([[es]], t).lon_deg[0])
    if start is None:
        if len(_LON_MEMO) > 20_000:
            _LON_MEMO.clear()
        _LON_MEMO[key] = lon
    return lon


_LON_MEMO: dict[tuple, float] = {}
"""Memo of a pure function (an element set's mean longitude); no setting lives here."""


def _circular_mean_deg(lon_deg: np.ndarray) -> float:
    rad = np.radians(lon_deg[np.isfinite(lon_deg)])
    mean = np.degrees(np.arctan2(np.sin(rad).mean(), np.cos(rad).mean()))
    return float((mean + 180.0) % 360.0 - 180.0)


def _wrap(deg: float) -> float:
    return (deg + 180.0) % 360.0 - 180.0


def _history_and_record(history, record=None):
    """(element sets, record): ``history`` may be a Satellite (``.elements``, ``.record``)."""
    if hasattr(history, "elements") and hasattr(history, "record"):
        return list(history.elements), record if record is not None else history.record
    return list(history), record


def _status_words(record) -> tuple[str, set[str]]:
    record = getattr(record, "record", record)
    status = record if isinstance(record, str) else getattr(record, "status", "") or ""
    return status, set(re.findall(r"[a-z]+(?:-[a-z]+)?", status.lower()))


def record_says_moved(record) -> bool:
    """The record's status says the satellite was moved or came down
    (:data:`MOVED_STATUS_WORDS`): its newest set may not describe where it is."""
    return record is not None and bool(_status_words(record)[1] & set(MOVED_STATUS_WORDS))


def record_refusal(record) -> str | None:
    """Why the record refuses a slot hold, or None.

    ``record``: a :class:`~orbitview.data.catalog.LaunchRecord` (or anything with
    ``status``, and optionally ``notes``, ``name``, ``norad_id``, ``origin``), a
    :class:`~orbitview.data.catalog.Satellite`, a status string, or None (no record: the
    history alone decides).  The rule is on the record's ``status`` column: any of
    :data:`REFUSING_STATUS_WORDS` (retired, graveyard, decayed, relocated, ...).
    """
    if record is None:
        return None
    record = getattr(record, "record", record)
    status, words = _status_words(record)
    if not words & set(REFUSING_STATUS_WORDS):
        return None
    if isinstance(record, str):
        return f"its record's status is '{status}', so it keeps no slot"
    name = getattr(record, "name", "") or "it"
    norad = getattr(record, "norad_id", None)
    who = f"{name} ({norad})" if norad is not None else name
    origin = _short_origin(getattr(record, "origin", "") or "")
    notes = (getattr(record, "notes", "") or "").strip().rstrip(".")
    return (f"{who} is not held at a slot: its record"
            + (f" ({origin})" if origin else "") + f" says '{status}'"
            + (f": {notes}" if notes else ""))


def _short_origin(origin: str) -> str:
    """'/abs/path/data/launches.csv:5' -> 'data/launches.csv:5' (for people)."""
    path, _, line = origin.rpartition(":")
    if not path or not line.isdecimal():
        return origin
    parts = path.replace("\\", "/").split("/")
    return "/".join(parts[-2:]) + ":" + line


def decide(history, record=None) -> HoldDecision:
    """Is the object station-kept, from its history (and its record)?

    The history rule: walking back from the newest set, the sets whose mean longitude
    (over a sidereal day) stays inside a box :data:`SLOT_BOX_DEG` wide are the object's
    time at its present slot; they must be geosynchronous and span at least
    :data:`MIN_SPAN_DAYS`.  Manoeuvres inside the box are allowed and there is no limit on
    the drift rate between two sets (an east-west kept satellite drifts across its box
    between burns: PakSat-MM1 moved 0.015 deg/day between its sets of 25 and 28 May 2026).
    A set outside the box ends the run: the object was drifting or was relocated before
    it, and it is held only once its sets at the new place span :data:`MIN_SPAN_DAYS`.
    The record (:func:`record_refusal`) overrides: retired, graveyard, decayed or
    relocated objects are never held.  ``history`` may be a Satellite (its record is used
    unless ``record`` is given).
    """
    history, record = _history_and_record(history, record)
    refusal = record_refusal(record)
    if refusal:
        return HoldDecision(None, refusal, True)
    if not history:
        return HoldDecision(None, "no element set")
    newest = history[-1]
    if not is_geosynchronous(newest):
        return HoldDecision(None, f"its newest set ({newest.epoch:%Y-%m-%d}) is not "
                            "geosynchronous, so there is no slot to hold")
    if len(history) < 2:
        return HoldDecision(None, "one element set shows no station-keeping")
    lon_new = mean_longitude_deg(newest)
    lo = hi = 0.0
    run = [newest]
    lons = [lon_new]
    breaker = None
    for es in reversed(history[:-1]):
        if not is_geosynchronous(es):
            breaker = (es, None)
            break
        lon = mean_longitude_deg(es)
        dev = _wrap(lon - lon_new)
        if max(hi, dev) - min(lo, dev) > SLOT_BOX_DEG:
            breaker = (es, lon)
            break
        lo, hi = min(lo, dev), max(hi, dev)
        run.append(es)
        lons.append(lon)
    first = run[-1]
    span = (newest.epoch - first.epoch).total_seconds() / 86400.0
    if span < MIN_SPAN_DAYS:
        if breaker is not None and breaker[1] is not None:
            es, lon = breaker
            return HoldDecision(None, (
                f"its mean longitude moved from {_lon_text(lon)} ({es.epoch:%Y-%m-%d}) to "
                f"{_lon_text(lons[-1])} ({first.epoch:%Y-%m-%d}), out of a {SLOT_BOX_DEG:g} deg "
                "box: drifting or relocated, and not yet seen at one slot for "
                f"{MIN_SPAN_DAYS:g} days"))
        if breaker is not None:
            return HoldDecision(None, f"its set of {breaker[0].epoch:%Y-%m-%d} is not "
                                "geosynchronous, and its later sets span under "
                                f"{MIN_SPAN_DAYS:g} days")
        return HoldDecision(None, f"its sets span {span:.1f} days; station-keeping needs "
                            f"at least {MIN_SPAN_DAYS:g}")
    inc = [float(np.degrees(es.satrec.inclo)) for es in run]
    ns_kept = (max(inc) < NS_KEPT_MAX_INCLINATION_DEG
               and max(inc) - min(inc) < NS_KEPT_MAX_CHANGE_DEG)
    evidence = (f"mean longitude {_lon_text(lons[-1])} at {first.epoch:%Y-%m-%d} and "
                f"{_lon_text(lon_new)} at {newest.epoch:%Y-%m-%d}"
                + (f", {len(run)} sets within {hi - lo:.2f} deg" if len(run) > 2 else "")
                + ("" if ns_kept else f"; inclination {inc[-1]:.2f} -> {inc[0]:.2f} deg, "
                   "so only the longitude is held"))
    rates = [abs(_wrap(lon_new - lon)) / days for es, lon in zip(run[1:], lons[1:], strict=True)
             if (days := (newest.epoch - es.epoch).total_seconds() / 86400.0) >= 1.0]
    hold = Hold(newest.norad_id, newest.name, lon_new, inc[0], newest, evidence, ns_kept,
                max(rates, default=0.0))
    return HoldDecision(hold, evidence)


def why_not_held(history, record=None) -> str | None:
    """Why the object is not held at a slot (for outputs), or None if it is station-kept.

    ``history``: its element sets (or a Satellite); ``record``: its launch record (or
    status string), which refuses a hold when it says retired, graveyard, decayed or
    relocated.  See :func:`decide`."""
    d = decide(history, record)
    return None if d.kept else d.reason


def station_keeping(history, record=None) -> Hold | None:
    """The slot to hold if the history shows station-keeping (and the record, when given,
    does not refuse it), else None.  See :func:`decide`.  One set alone shows nothing,
    so it is never held."""
    return decide(history, record).hold


def hold_for(history, es: ElementSet, age_days: float, hold: bool = True,
             record=None) -> Hold | None:
    """The slot hold a position from ``es``, ``age_days`` after its epoch, is given, or None
    (SGP4 as it is): the rule :func:`apply_hold` follows, for answers that state a bound
    without propagating (look, pass tables, tle status).  ``hold`` must be true, ``es``
    the newest of a geosynchronous history, stale, the history station-kept
    (:func:`decide`) and the record (``record``, or ``history.record`` when ``history`` is a
    Satellite) not refusing it."""
    history, record = _history_and_record(history, record)
    if (not hold or len(history) < 2 or es.epoch != history[-1].epoch
            or not is_geosynchronous(es) or age_days <= STALE_AFTER_DAYS):
        return None
    return decide(history, record).hold


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


def held_mask(history, set_index: np.ndarray, age_days: np.ndarray, record=None
              ) -> tuple[np.ndarray | None, Hold | None]:
    """Which positions of one satellite are held at its slot, and the hold: those from the
    newest set of a station-kept geosynchronous history (:func:`decide`, with ``record``
    or ``history.record`` when ``history`` is a Satellite) more than ``STALE_AFTER_DAYS``
    after its epoch.  ``(None, None)`` when none is."""
    history, record = _history_and_record(history, record)
    if len(history) < 2 or not is_geosynchronous(history[-1]):
        return None, None                 # one set shows no station-keeping
    mask = (np.asarray(set_index) == len(history) - 1) & (np.asarray(age_days) > STALE_AFTER_DAYS)
    if not mask.any():
        return None, None
    hold = decide(history, record).hold
    return (mask, hold) if hold is not None else (None, None)


def hold_candidates(histories, facts=None) -> list[int]:
    """Indices of the histories a slot hold can apply to (:func:`held_mask`): two sets or
    more, the newest geosynchronous.  ``facts``: the
    :class:`~orbitview.orbit.sgp4run.Histories` of these very histories, which keeps the
    answer for the next call over the same sets."""
    if facts is not None:
        found = facts.derived.get("hold_candidates")
        if found is None:
            found = facts.derived["hold_candidates"] = [
                int(i) for i in facts.several if is_geosynchronous(histories[i][-1])]
        return found
    return [i for i, h in enumerate(histories) if len(h) >= 2 and is_geosynchronous(h[-1])]


def apply_hold(prop, records=None, candidates=None) -> None:
    """Replace stale positions of station-kept GEO objects in ``prop`` by the held slot.

    Changes ``prop`` in place (positions, geodetic arrays, sunlit flags) where
    the newest set is used more than ``STALE_AFTER_DAYS`` after its epoch, and
    records ``prop.holds`` (one :class:`Hold` or None per satellite); the
    staleness warning (:func:`orbitview.orbit.accuracy.stale_warning`) says what was held.
    ``records``: one launch record (or status string, or None) per satellite, in the
    order of ``prop.elements``; a record that says retired, graveyard, decayed or
    relocated refuses the hold (:func:`record_refusal`).  Without ``records`` the history
    alone decides.  ``candidates``: the indices of :func:`hold_candidates`, when the caller
    has them (the others are not looked at).
    """
    n_sat = len(prop.elements)
    records = list(records) if records is not None else [None] * n_sat
    if len(records) != n_sat:
        raise ValueError(f"apply_hold: {len(records)} records for {n_sat} satellites.\n"
                         "Fix: pass one record (or None) per satellite, in order.")
    holds = [None] * n_sat
    for i in range(n_sat) if candidates is None else candidates:
        history = prop.elements[i]
        if len(history) < 2 or not is_geosynchronous(history[-1]):
            continue              # skip before computing ages: most objects are not GEO
        mask, hold = held_mask(history, prop.set_index[i], prop.epoch_age_days[i], records[i])
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
