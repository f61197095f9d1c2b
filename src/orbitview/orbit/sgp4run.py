"""The SGP4 run: satellites x times with the nearest-epoch element set of each, no hold.

Positions come back as arrays of shape ``(n_sat, n_time)``: WGS84 geodetic
latitude and longitude in degrees, altitude in km, NaN where SGP4 failed.
For each satellite and time the element set whose epoch is nearest that time
is used, so past dates use the history.

The work runs in blocks of about :data:`BLOCK_POINTS` points that stay in
the processor's cache, writing into output arrays allocated once (positions 24
bytes a point, geodetic 24, SGP4 error code and element set index 1 each) and
the SGP4 back end's arrays of one block at a time.  The back end
(:mod:`orbitview.orbit.backend`) is sgp4's ``SatrecArray`` or, where installed,
astroz; its arrays are built once per element sets and cached.
:func:`orbitview.orbit.propagate.propagate` adds the slot hold and the warnings on top.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from orbitview.data.elements import ElementSet, nearest_index
from orbitview.orbit.frames import (
    geodetic,
    gmst_rad,
    in_sunlight,
    sgp4_jd,
    sun_teme_km,
    teme_to_itrs,
)

BLOCK_POINTS = 32_768
"""Satellite-time points converted at once: small enough to stay in cache."""


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
    holds: list | None = None
    """Per satellite: the :class:`~orbitview.orbit.geohold.Hold` applied, or None."""
    records: list | None = None
    """Per satellite: its launch record (status decides slot holds and bounds), or None."""
    staleness: dict = field(default_factory=dict)
    """Satellite index -> :class:`~orbitview.orbit.accuracy.Staleness` of stale sets."""

    @property
    def times_utc(self) -> list[dt.datetime]:
        return list(np.atleast_1d(self.t.utc_datetime()))

    @functools.cached_property
    def epoch_age_days(self) -> np.ndarray:
        """Time minus epoch of the element set used, days (negative: before the epoch);
        computed (8 bytes a point) when first asked for."""
        jd, fr = sgp4_jd(self.t)
        t_total = jd + fr
        return np.stack([t_total - epochs_jd(h)[ix] for h, ix in zip(self.elements,
                                                                    self.set_index)]) \
            if self.elements else np.empty((0, len(t_total)))

    def warnings(self) -> list[str]:
        return [m for ms in self.messages for m in ms]


def epochs_jd(history: list[ElementSet]) -> np.ndarray:
    """Epochs of a history's sets as UTC Julian dates."""
    return np.array([es.epoch_jd for es in history])


class SGP4Plan:
    """Which element set serves each satellite at each time, decided once per call.

    Satellites whose times all fall nearest one epoch run as arrays of the SGP4 back end
    (:mod:`orbitview.orbit.backend`: sgp4's ``SatrecArray``, or astroz), one per block of
    satellites, taken from a cache keyed on the element sets so that a command that
    propagates the same sets again (the web map, ``now --watch``, animations) builds
    them once; the others run set by set on the times each set serves.  Nothing here
    loops over satellites in Python but to find the sets of those with several.
    :meth:`run` propagates any block of satellites and times.
    """

    def __init__(self, histories: list[list[ElementSet]], jd: np.ndarray, fr: np.ndarray,
                 block: tuple[int, int] | None = None, facts: Histories | None = None):
        self.jd, self.fr = np.ascontiguousarray(jd, float), np.ascontiguousarray(fr, float)
        n_sat, n_time = len(histories), len(jd)
        if facts is not None:             # worked out before for these very element sets
            lengths, longest, several = facts.lengths, facts.longest, facts.several
        else:
            lengths = np.fromiter(map(len, histories), np.intp, n_sat)
            longest = int(lengths.max(initial=1))
            several = np.flatnonzero(lengths > 1) if longest > 1 else lengths[:0]
        self.index = np.zeros((n_sat, n_time), dtype=np.min_scalar_type(max(longest, 1) - 1))
        """Index into each history of the set used, (n_sat, n_time)."""
        self.multi = {}                   # satellite -> [(set index, satrec)] when several
        # The one set of each satellite (None for those that use several).
        self._sets_tuple = None           # the sets as one tuple, when known
        if facts is not None:
            self.sets = list(facts.sets)
            if not len(several):
                self._sets_tuple = facts.sets
        else:
            self.sets = [h[0] for h in histories] if longest <= 1 else \
                [h[0] if len(h) else None for h in histories]
        if longest > 1:
            t_total = self.jd + self.fr
            for i in several:
                history = histories[i]
                self.index[i] = nearest_index(epochs_jd(history), t_total)
                # The sets used, in order (np.unique would import numpy.ma: 20 ms cold).
                used = np.flatnonzero(np.bincount(self.index[i], minlength=len(history)))
                if len(used) > 1:
                    self.multi[int(i)] = [(k, history[k].satrec) for k in used]
                    self.sets[i] = None
                else:
                    self.sets[i] = history[used[0]]
        n_block_sat = (block or (n_sat, n_time))[0]
        self.block_sat = max(int(n_block_sat), 1)
        self._blocks = {}
        self.epoch_jd = np.full(n_sat, np.nan)
        """Epoch of the one set each satellite uses (NaN for those that use several)."""
        for s0 in range(0, n_sat, self.block_sat):
            s1 = min(s0 + self.block_sat, n_sat)
            sets = self._sets_tuple if self._sets_tuple is not None and s1 - s0 == n_sat \
                else tuple(self.sets[s0:s1])
            entry = self._blocks[s0, s1] = _arrays(sets)
            if len(entry.rows) == s1 - s0:
                self.epoch_jd[s0:s1] = entry.epoch_jd
            else:
                self.epoch_jd[s0:s1][entry.rows] = entry.epoch_jd

    @property
    def satrecs(self) -> list:
        """The one set's ``Satrec`` of each satellite (None for those that use several)."""
        return [None if es is None else es.satrec for es in self.sets]

    def _array(self, s0: int, s1: int):
        """(array, rows within the block) of the one-set satellites ``s0:s1``."""
        if (s0, s1) not in self._blocks:
            self._blocks[s0, s1] = _arrays(tuple(self.sets[s0:s1]))
        entry = self._blocks[s0, s1]
        return entry.array, entry.rows

    def run(self, s0: int = 0, s1: int | None = None, a: int = 0, b: int | None = None):
        """SGP4 for satellites ``s0:s1`` at times ``a:b``: ``(error (n, k) uint8,
        r_km, v_km_s (n, k, 3))``, arrays of this call.

        Positions and velocities are NaN where SGP4 reports an error.
        """
        s1 = len(self.sets) if s1 is None else s1
        b = len(self.jd) if b is None else b
        n, k = s1 - s0, b - a
        jd, fr = self.jd[a:b], self.fr[a:b]
        array, rows = self._array(s0, s1)
        if array is not None and len(rows) == n:
            e, r, v = array.sgp4(jd, fr)
        else:
            e, r, v = np.zeros((n, k), np.uint8), np.empty((n, k, 3)), np.empty((n, k, 3))
            if array is not None:
                e[rows], r[rows], v[rows] = array.sgp4(jd, fr)
        for i in (self.multi if len(self.multi) < s1 - s0 else range(s0, s1)):
            if not s0 <= i < s1:
                continue
            for k_set, satrec in self.multi.get(i, ()):
                mask = self.index[i, a:b] == k_set
                e[i - s0, mask], r[i - s0, mask], v[i - s0, mask] = \
                    satrec.sgp4_array(jd[mask], fr[mask])
        bad = e != 0
        if bad.any():
            r[bad] = np.nan
            v[bad] = np.nan
        return e, r, v


# --------------------------------------------------------------------------- the array cache

CACHE_SETS = 200_000
"""Element sets the cache of SGP4 arrays keeps at most (about 3 kB each)."""


class _Entry:
    __slots__ = ("array", "rows", "epoch_jd", "size")

    def __init__(self, sets: tuple):
        from orbitview.orbit.backend import SatArray
        rows = [i for i, es in enumerate(sets) if es is not None]
        self.rows = np.asarray(rows, np.intp)
        self.array = SatArray([sets[i].satrec for i in rows]) if rows else None
        self.epoch_jd = (self.array.epoch_jd + self.array.epoch_fr) if rows else np.empty(0)
        self.size = max(len(rows), 1)


_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
_cache_size = 0


def _arrays(sets: tuple) -> _Entry:
    """The SGP4 array of ``sets`` (element sets, None where a satellite uses several),
    built once per back end and kept while it is among the most recently used.

    Keyed on the element-set objects themselves (compared by identity; the key keeps
    them alive, so no other set can take their place) and on the back end asked for.
    """
    from orbitview.orbit.backend import choice
    global _cache_size
    key = (choice(), sets)
    with _cache_lock:
        entry = _cache.get(key)
        if entry is not None:
            _cache.move_to_end(key)
            return entry
    entry = _Entry(sets)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = entry
            _cache_size += entry.size
            while _cache_size > CACHE_SETS and len(_cache) > 1:
                _, old = _cache.popitem(last=False)
                _cache_size -= old.size
    return entry


def clear_cache() -> None:
    """Forget every cached SGP4 array and :class:`Histories` (tests; a changed back end
    keys new arrays anyway)."""
    global _cache_size
    with _cache_lock:
        _cache.clear()
        _cache_size = 0
        _histories.clear()


class Histories:
    """What propagating a list of element-set histories needs that depends on their sets
    alone, worked out once per list of sets (:func:`histories_of`): the catalogue number
    of each newest set, the number of sets of each history, the one set of those with one.

    ``derived`` keeps what other modules work out from the same sets (the slot hold's
    candidates: :func:`orbitview.orbit.geohold.hold_candidates`).
    """

    __slots__ = ("snapshot", "norad_ids", "lengths", "longest", "several", "sets", "derived")

    def __init__(self, histories):
        n = len(histories)
        self.norad_ids = [h[-1].norad_id for h in histories]
        self.snapshot = [h[:] for h in histories]
        """The histories' sets as they were (copies of the lists): the key."""
        self.lengths = np.fromiter(map(len, histories), np.intp, n)
        self.longest = int(self.lengths.max(initial=1))
        self.several = np.flatnonzero(self.lengths > 1)
        self.sets = tuple(h[0] if len(h) else None for h in histories)
        self.derived: dict = {}


HISTORIES_CACHED = 4
"""Lists of histories :func:`histories_of` remembers (most recently used)."""
_histories: list[Histories] = []


def histories_of(histories) -> Histories:
    """The :class:`Histories` of ``histories`` (lists of element sets, none empty), from
    the last few worked out when the very same element-set objects are in the same
    places (compared by identity, as the SGP4 array cache keys them: a history that gained,
    lost or replaced a set since is worked out anew)."""
    with _cache_lock:
        for j, facts in enumerate(_histories):
            if facts.snapshot == histories:
                if j:
                    _histories.insert(0, _histories.pop(j))
                return facts
    facts = Histories(histories)
    with _cache_lock:
        _histories.insert(0, facts)
        del _histories[HISTORIES_CACHED:]
    return facts


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


def run_sgp4(histories: list[list[ElementSet]], names: list[str], norad_ids: list[int], t,
             sunlit: bool = False, facts: Histories | None = None
             ) -> tuple[Propagation, SGP4Plan]:
    """Raw SGP4 of ``histories`` over the skyfield Time array ``t`` into a
    :class:`Propagation` (no hold, no messages), and the plan that ran it.  ``facts``:
    :func:`histories_of` ``histories``, when the caller has it."""
    jd, fr = sgp4_jd(t)
    theta = gmst_rad(t)
    n_sat, n_time = len(histories), len(jd)
    # Blocks of whole rows of times where they fit, so that each satellite's SGP4 state
    # is used for many times in a row; several satellites per block when times are few.
    n_t = max(1, min(n_time, BLOCK_POINTS))
    n_s = max(1, BLOCK_POINTS // n_t)
    plan = SGP4Plan(histories, jd, fr, block=(min(n_s, n_sat), n_t), facts=facts)
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
    return Propagation(names, norad_ids, t, lat, lon, alt, xyz, plan.index, histories, error,
                       sunlit=lit), plan


def raw_propagate(histories: list[list[ElementSet]], t) -> Propagation:
    """SGP4 as it is (no slot hold) for lists of element sets: what the hold and the
    error model compare against."""
    names = [h[-1].name for h in histories]
    t = t if np.ndim(t.tt) else t.ts.tt_jd(np.atleast_1d(t.tt))
    return run_sgp4(histories, names, [h[-1].norad_id for h in histories], t)[0]
