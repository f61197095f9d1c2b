"""What every answer says about the data behind it: stale elements, SGP4 failures, objects
asked for before their launch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from orbitview.api.results import Note

STATE_SAMPLES = 97
"""Times sampled to find SGP4 failures and stale elements over a question's span."""

BEFORE_LAUNCH = ("positions before then are extrapolated from later elements and describe "
                 "no real object")


def state_notes(sats, start: dt.datetime, end: dt.datetime, hold: bool = True) -> list[Note]:
    """SGP4 failures and stale elements over [start, end], whatever a question finds.

    An empty answer (no passes, no opportunities) must still say that the elements
    behind it were stale or that SGP4 failed; this samples the span coarsely and
    returns propagate's own messages.
    """
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    if not sats:
        return []
    span_s = (end - start).total_seconds()
    step_s = max(span_s / (STATE_SAMPLES - 1), 1.0) if span_s > 0 else 1.0
    prop = propagate(sats, time_grid(start, max(end, start), step_s), hold=hold)
    return notes_of(prop)


def notes_of(prop) -> list[Note]:
    """A propagation's messages as notes (SGP4 failures, then staleness, per satellite)."""
    out = []
    stale = getattr(prop, "staleness", {})
    for i, (norad, messages) in enumerate(zip(prop.norad_ids, prop.messages)):
        for m in messages:
            if "SGP4 error" in m:
                out.append(Note("sgp4", m, norad))
            else:
                out.append(Note("stale", m, norad, stale.get(i)))
    return out


def launch_notes(sats, start: dt.datetime, end: dt.datetime,
                 before: str = BEFORE_LAUNCH) -> tuple[dict, list[Note]]:
    """({norad_id: launch time} of satellites launched after ``start``, their notes).

    Before its launch an object did not exist: positions there are extrapolated from
    later elements, and passes there never happened.
    """
    from orbitview.util.timeutil import iso
    launched, notes = {}, []
    for s in sats:
        # A LaunchRecord; an object known only from element sets has a few of its fields
        # and no launch time; a bare object has no record.
        r: Any = getattr(s, "record", None)
        if getattr(r, "launch_time", None) is None or r.launch_time <= start:
            continue                    # launched before, or an object of unknown launch
        launched[s.norad_id] = r.launch_time
        when = r.launch_utc if r.launch_time_known else f"{r.launch_utc} (time of day unknown)"
        if r.launch_time > end:
            text = (f"{s.name} had not launched by {iso(end)}: it was launched on {when}; "
                    f"{before}.")
        else:
            text = (f"{s.name} was launched on {when}: it had not launched at {iso(start)}; "
                    f"{before}.")
        notes.append(Note("launch", text, s.norad_id))
    return launched, notes


def coarser(value: float, factor: float) -> float:
    """``value * factor`` rounded up to two significant digits: a suggestion that fits."""
    import math
    need = value * factor
    scale = 10.0 ** (math.floor(math.log10(need)) - 1)
    return round(math.ceil(need / scale - 1e-9) * scale, 12)


def check_samples(n_sat: int, n_time: int, step_s: float, max_samples: float, why: str,
                  shorter: str = "a shorter --hours") -> None:
    """Refuse (:class:`~orbitview.util.errors.UsageError`), before any work, satellites x
    times beyond ``max_samples``, with the figure and a step that fits; ``why`` says what
    the limit protects."""
    from orbitview.util.errors import UsageError
    n = n_sat * n_time
    if n <= max_samples:
        return
    raise UsageError(f"{n_sat} satellite{'s' if n_sat != 1 else ''} x {n_time:,} times every "
                     f"{step_s:g} s is {n:,} samples, more than the {int(max_samples):,} "
                     f"{why}.\nFix: give --step {coarser(step_s, n / max_samples):g} or more, "
                     f"or {shorter}.")


def window_grid(sats, start: dt.datetime, end: dt.datetime, step_s: float,
                max_samples: float, why: str):
    """The time grid of a window every ``step_s`` from ``start`` to ``end`` (skyfield
    Time): refused before any work when the dates are not supported, when satellites x
    times pass ``max_samples`` (``why`` says what that protects) or when the window is
    shorter than one step."""
    from orbitview.util.errors import UsageError
    from orbitview.util.timeutil import check_supported, time_grid
    check_supported(start, end, "the requested span")
    span_s = (end - start).total_seconds()
    check_samples(len(sats), int(span_s / step_s + 1e-9) + 1, step_s, max_samples, why)
    t = time_grid(start, end, step_s)
    if len(t) < 2:
        raise UsageError(f"--hours {span_s / 3600.0:g} is shorter than one --step of "
                         f"{step_s:g} s.\nFix: give a longer window or a smaller step.")
    return t
