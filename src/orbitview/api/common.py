"""What every answer says about the data behind it: stale elements, SGP4 failures, objects
asked for before their launch."""

from __future__ import annotations

import datetime as dt

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
        r = getattr(s, "record", None)
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
