"""The SGP4 back end: sgp4's C++ ``SatrecArray``, or astroz's SIMD SGP4 where it is installed.

:class:`SatArray` is built once from sgp4 ``Satrec`` objects (cached by
:mod:`orbitview.orbit.sgp4run` per element sets) and then returns arrays with
the shapes and meaning of ``sgp4.api.SatrecArray.sgp4``: ``e`` (n, k) uint8 SGP4
error codes and ``r``, ``v`` (n, k, 3) TEME km and km/s.

The fast back end is astroz (PyPI ``astroz``, MIT; ``pip install "orbitview[fast]"``
on Linux x86-64/aarch64 and Apple-silicon macOS).  It is used only where it
reproduces sgp4 to well under a metre (0.14 m on the bundled catalogues and
Vallado's verification sets, tested):

* near-earth sets (sgp4 ``method == 'n'``) that sgp4 initialised without error,
  in "improved" operation mode, re-initialised in astroz with WGS72 given
  explicitly and propagated by ``Sgp4Constellation.propagate_into`` with minutes
  since epoch computed here from the split Julian dates (astroz's own ``jd + fr``
  sum loses about 40 us, up to 0.4 m);
* a (set, time) the SIMD kernel fails on comes back NaN (for its lane group);
  those points are recomputed with sgp4, which gives the exact error code;
* one set (or a few) at many evenly spaced times is split across the SIMD lanes: the
  set copied into each lane, every lane a chunk of the times (the lanes of a group share
  their times: one set alone would leave the others idle; 2-3x faster, the same to
  0.1 mm);
* deep-space sets (SDP4; astroz's batched resonance integration differs from sgp4
  by up to 9.8 m on Vallado's cases), sets sgp4 rejects, and calls of fewer
  than :data:`SMALL_POINTS` set-time points go through sgp4.

``ORBITVIEW_SGP4_BACKEND`` chooses: ``auto`` (default: astroz when importable),
``astroz`` (an error if it is not) or ``sgp4``.  astroz's threads: its own
``ASTROZ_THREADS`` (read once, at its first propagation in a process; default:
the CPUs the process may use), set to 1 in a dask worker, where the workers
are the parallelism.
"""

from __future__ import annotations

import os

import numpy as np
import sgp4
from sgp4.api import WGS72, SatrecArray

from orbitview.util.errors import UsageError

ENV_BACKEND = "ORBITVIEW_SGP4_BACKEND"
"""``auto`` (default: astroz when importable), ``astroz`` (fail if missing) or ``sgp4``."""
CHOICES = ("auto", "astroz", "sgp4")
SMALL_POINTS = 256
"""Calls with fewer set-time points than this go straight to sgp4: astroz costs about
40 us a call (NumPy set-up, thread start), sgp4 about 0.35 us a point."""
SPLIT_POINTS = 512
"""A call of few sets (half the SIMD lanes or fewer) at at least this many evenly spaced
times is split across the lanes (:meth:`SatArray.sgp4`)."""
SPLIT_TOLERANCE_MIN = 1e-10
"""How evenly spaced (minutes; 6 ns) the times of a split call are: every lane evaluates
the first lane's minutes from its own start."""
_MINUTES = 1440.0
_EPOCH_1949 = 2433281.5          # sgp4init counts its epoch in days from 1949 Dec 31 0h UT

_loaded: dict[str, object] = {}  # choice -> the astroz._astroz module, or False
_started = False                 # astroz has propagated in this process (threads fixed)


class BackendError(UsageError):
    """The SGP4 back end asked for (``ORBITVIEW_SGP4_BACKEND``) cannot be used: a setting
    the user gave, so a usage error (exit status 2 on the command line) with its fix."""


def choice() -> str:
    """The back end asked for by ``ORBITVIEW_SGP4_BACKEND`` (``auto`` when unset)."""
    value = os.environ.get(ENV_BACKEND, "auto").strip().lower() or "auto"
    if value not in CHOICES:
        raise BackendError(f"{ENV_BACKEND}={value!r} is not one of {', '.join(CHOICES)}.\n"
                           f"Fix: unset it, or set it to auto, astroz or sgp4.")
    return value


def _native(which: str | None = None):
    """The astroz extension module, or False when sgp4 is to be used."""
    which = which or choice()
    if which not in _loaded:
        native = False
        if which != "sgp4":
            try:
                import astroz._astroz as module
                _ = module.Sgp4Constellation       # the API used here (astroz >= 0.10)
                native = module
            except (ImportError, AttributeError) as e:
                if which == "astroz":
                    raise BackendError(
                        f"{ENV_BACKEND}=astroz but astroz cannot be imported ({e}).\n"
                        "Fix: pip install \"orbitview[fast]\" (Linux x86-64/aarch64, "
                        "Apple-silicon macOS), or set it to auto.") from None
        _loaded[which] = native
    return _loaded[which]


def fast_available(which: str | None = None) -> bool:
    """Whether astroz propagates the near-earth sets."""
    return bool(_native(which))


def threads(which: str | None = None) -> int:
    """Threads the fast back end uses (1 for sgp4)."""
    if not _native(which):
        return 1
    env = os.environ.get("ASTROZ_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return min(int(env), 128)
    if _in_dask_worker():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                  # macOS: no affinity call; Zig counts all CPUs
        return os.cpu_count() or 1


def backend_name(which: str | None = None) -> str:
    """For ``orbitview info``: the SGP4 back end in use."""
    native = _native(which)
    if not native:
        return f"sgp4 {sgp4.__version__} (C++ SatrecArray, 1 thread)"
    n = threads(which)
    return (f"astroz {getattr(native, '__version__', '?')} (SIMD SGP4, {n} thread"
            f"{'s' if n != 1 else ''}); deep-space sets: sgp4 {sgp4.__version__}")


def _in_dask_worker() -> bool:
    import sys
    if "distributed" not in sys.modules:
        return False
    try:
        from distributed import get_worker
        get_worker()
        return True
    except (ImportError, ValueError):
        return False


def _first_propagation() -> None:
    """Before astroz's first propagation in a process (when it reads ASTROZ_THREADS): one
    thread in a dask worker unless told otherwise."""
    global _started
    if not _started:
        _started = True
        if "ASTROZ_THREADS" not in os.environ and _in_dask_worker():
            os.environ["ASTROZ_THREADS"] = "1"


def _fast_ok(s) -> bool:
    return s.method == "n" and s.error == 0 and s.operationmode == "i"


class SatArray:
    """sgp4 ``Satrec`` objects as one array, built once; :meth:`sgp4` per call.

    ``which`` (default: ``ORBITVIEW_SGP4_BACKEND``) chooses the back end as above.
    """

    def __init__(self, satrecs, which: str | None = None):
        self.satrecs = list(satrecs)
        n = len(self.satrecs)
        native = _native(which)
        fast, natives = [], []
        if native and n:
            for i, s in enumerate(self.satrecs):
                if not _fast_ok(s):
                    continue
                z = native.Satrec()
                z.sgp4init(WGS72, "i", s.satnum, s.jdsatepoch - _EPOCH_1949 + s.jdsatepochF,
                           s.bstar, s.ndot, s.nddot, s.ecco, s.argpo, s.inclo, s.mo,
                           s.no_kozai, s.nodeo)
                if z.error == 0 and not z.is_deep_space:
                    fast.append(i)
                    natives.append(z)
        self._constellation = None
        if natives:
            try:
                self._constellation = native.Sgp4Constellation(natives,
                                                               gravity_model=native.WGS72)
            except (ValueError, RuntimeError):       # a set astroz will not batch: drop it
                keep = [j for j, z in enumerate(natives) if _batchable(native, z)]
                fast, natives = [fast[j] for j in keep], [natives[j] for j in keep]
                self._constellation = (native.Sgp4Constellation(natives,
                                                                gravity_model=native.WGS72)
                                       if natives else None)
        self._natives, self._module = natives, native
        self._copies: dict[int, object] = {}       # copies -> constellation of copies
        self.fast = np.asarray(fast, dtype=np.intp)
        is_fast = np.zeros(n, bool)
        is_fast[self.fast] = True
        self.slow = np.flatnonzero(~is_fast)
        self._all_fast = len(self.fast) == n and n > 0
        self._lanes = self._constellation.batch_size if self._constellation else 8
        self.epoch_jd = np.array([s.jdsatepoch for s in self.satrecs], float)
        self.epoch_fr = np.array([s.jdsatepochF for s in self.satrecs], float)
        self._fast_epoch_jd = self.epoch_jd[self.fast]
        self._fast_epoch_fr = self.epoch_fr[self.fast]
        self._slow_array = (SatrecArray([self.satrecs[i] for i in self.slow])
                            if len(self.slow) else None)
        self._whole_array = self._slow_array if not len(self.fast) else None

    def __len__(self):
        return len(self.satrecs)

    @property
    def uses_astroz(self) -> bool:
        return self._constellation is not None

    def sgp4(self, jd, fr):
        """``(e, r, v)`` for every set at the times ``jd + fr`` (float64 arrays of length
        k): new arrays, as ``SatrecArray.sgp4`` returns them (positions are not blanked
        where ``e`` is not 0).  Few sets at many evenly spaced times are split across the
        SIMD lanes (:meth:`_split`)."""
        jd, fr = np.ascontiguousarray(jd, float), np.ascontiguousarray(fr, float)
        n, k = len(self.satrecs), len(jd)
        if k == 0 or not n:
            return np.zeros((n, k), np.uint8), np.empty((n, k, 3)), np.empty((n, k, 3))
        if not len(self.fast) or n * k < SMALL_POINTS:
            if self._whole_array is None:
                self._whole_array = SatrecArray(self.satrecs)
            return self._whole_array.sgp4(jd, fr)
        jd0, fr0 = jd[0], fr[0]
        minutes = (jd - jd0) * _MINUTES + (fr - fr0) * _MINUTES
        nf = len(self.fast)
        padded = -(-nf // self._lanes) * self._lanes
        offsets = np.empty(padded)
        offsets[:nf] = ((jd0 - self._fast_epoch_jd) * _MINUTES
                        + (fr0 - self._fast_epoch_fr) * _MINUTES)
        offsets[nf:] = offsets[nf - 1]              # padding lanes repeat the last set
        _first_propagation()
        split = self._split(minutes, offsets[:nf]) if self._all_fast else None
        if split is None:
            ef = np.zeros((nf, k), np.uint8)
            rf, vf = np.empty((nf, k, 3)), np.empty((nf, k, 3))
            self._constellation.propagate_into(minutes, rf, vf, epoch_offsets=offsets)
        else:
            ef, rf, vf = split
        bad = ~np.isfinite(rf[..., 0])
        if bad.any():                               # exact codes (and sgp4's values) there
            for row in np.flatnonzero(bad.any(axis=1)):
                cols = np.flatnonzero(bad[row])
                ee, rr, vv = self.satrecs[self.fast[row]].sgp4_array(jd[cols], fr[cols])
                ef[row, cols], rf[row, cols], vf[row, cols] = ee, rr, vv
        if self._all_fast:
            return ef, rf, vf
        e, r, v = np.empty((n, k), np.uint8), np.empty((n, k, 3)), np.empty((n, k, 3))
        e[self.fast], r[self.fast], v[self.fast] = ef, rf, vf
        if self._slow_array is not None:
            e[self.slow], r[self.slow], v[self.slow] = self._slow_array.sgp4(jd, fr)
        return e, r, v

    def _split(self, minutes, offsets):
        """``(r, v)`` of few sets at many evenly spaced times with every SIMD lane busy: each
        set copied into ``copies`` lanes, lane ``c`` starting at the ``c``-th chunk of the
        times; None when the call is not like that (the lanes of a SIMD group share their
        times, so one set alone leaves the others idle)."""
        nf, k = len(offsets), len(minutes)
        copies = self._lanes // nf
        if copies < 2 or k < SPLIT_POINTS:
            return None
        chunk = -(-k // copies)
        copies = -(-k // chunk)
        index = np.arange(k)
        within = index % chunk
        # Evenly spaced: every chunk's times from its start are the first chunk's.
        if np.max(np.abs(minutes - minutes[index - within] - (minutes[within] - minutes[0]))) \
                > SPLIT_TOLERANCE_MIN:
            return None
        constellation = self._copies.get(copies)
        if constellation is None:
            native = self._module
            constellation = self._copies[copies] = native.Sgp4Constellation(
                self._natives * copies, gravity_model=native.WGS72)
        lanes = copies * nf
        padded_lanes = -(-lanes // self._lanes) * self._lanes
        lane_offsets = np.empty(padded_lanes)
        starts = minutes[::chunk] - minutes[0]                   # (copies,)
        lane_offsets[:lanes] = (starts[:, None] + offsets[None, :]).ravel()
        lane_offsets[lanes:] = lane_offsets[lanes - 1]
        times = minutes[:chunk] - minutes[0]
        r, v = np.empty((lanes, chunk, 3)), np.empty((lanes, chunk, 3))
        constellation.propagate_into(times, r, v, epoch_offsets=lane_offsets)
        # Lane c * nf + s holds set s over chunk c.
        r = r.reshape(copies, nf, chunk, 3).transpose(1, 0, 2, 3).reshape(nf, -1, 3)[:, :k]
        v = v.reshape(copies, nf, chunk, 3).transpose(1, 0, 2, 3).reshape(nf, -1, 3)[:, :k]
        return np.zeros((nf, k), np.uint8), np.ascontiguousarray(r), np.ascontiguousarray(v)


def _batchable(native, z) -> bool:
    try:
        native.Sgp4Constellation([z], gravity_model=native.WGS72)
        return True
    except (ValueError, RuntimeError):
        return False
