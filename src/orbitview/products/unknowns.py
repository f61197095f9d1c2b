"""What answers say where a position or a time cannot be known.

A satellite's 90 % bound is *phase lost*
(:attr:`orbitview.orbit.accuracy.ErrorBound.phase_lost`) when its along-track part
passes a quarter of an orbit, or when its record says it was moved after its newest
element set (PakSat-1R, "retired (graveyard orbit)").  Where on its orbit it is
cannot then be said, and an answer does not present a position or a time as a fact:

- tables write :func:`unknown_text` ("unknown (elements 158 d old)") in place of a
  place name, a sub-point, look angles or a time;
- figures draw no position marker, only the orbit's track, faint and dashed, with
  :func:`legend_text` ("position unknown (elements 158 d old)");
- calendars leave such an event out and say so in one note event (:func:`note_event`);
  an event from stale elements names their age and bound in its title
  (:func:`title_suffix`);
- CSV and JSON keep the numbers, with ``phase_lost`` and the bounds beside them.

The words are made here, once, for the CLI, the library's notes, maps, animations, the
web map and calendars.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS

_MOVED_IN_BASIS = re.compile(r"its record says '(.+?)': moved at a time")
"""How :func:`orbitview.orbit.accuracy.error_bound` writes, in a bound's ``basis``, that the
record says the satellite was moved (tests/test_honest_output.py fails if it changes)."""


def moved_status(record, bound=None) -> str:
    """The record's status when it says the satellite was moved after its elements
    ('retired (graveyard orbit)'), else ''.  Without a record (a view that has only the
    bound), what the bound's basis says it rests on."""
    from orbitview.orbit.geohold import record_says_moved
    if record is None:
        found = _MOVED_IN_BASIS.search(getattr(bound, "basis", "") or "")
        return found.group(1) if found else ""
    if not record_says_moved(record):
        return ""
    record = getattr(record, "record", record)
    return record if isinstance(record, str) else str(getattr(record, "status", "") or "")


def age_words(age_days: float, days: str = "d") -> str:
    """'elements 158 d old', or for a time before the epoch 'elements 250 d after this
    time'."""
    return (f"elements {abs(age_days):.0f} {days} "
            + ("old" if age_days >= 0 else "after this time"))


def signed_age(bound, at: dt.datetime | None = None) -> float:
    """The bound's age (days) signed as ``at`` minus its set's epoch (a bound keeps only
    its size); unsigned when ``at`` is not given."""
    if at is None or bound.epoch is None or at >= bound.epoch:
        return abs(bound.age_days)
    return -abs(bound.age_days)


def unknown_text(bound, record=None, at: dt.datetime | None = None, days: str = "d") -> str:
    """'unknown (elements 158 d old)', or for a satellite its record says was moved
    'unknown (moved; elements 175 d old)': the cell a table shows in place of a
    position or a time (``at``: the time it stands for, for the sign of the age)."""
    moved = "moved; " if moved_status(record, bound) else ""
    return f"unknown ({moved}{age_words(signed_age(bound, at), days)})"


def legend_text(bound, record=None, at: dt.datetime | None = None) -> str:
    """'position unknown (elements 158 d old)': a figure's words for a satellite it draws
    no marker for."""
    return "position " + unknown_text(bound, record, at)


def why(bound, record=None, at: dt.datetime | None = None) -> str:
    """'elements 158 days old', or with a record that says the satellite was moved
    "elements 175 days old; its record says 'retired (graveyard orbit)': moved after
    them": why a position is unknown, in a few words."""
    status = moved_status(record, bound)
    return age_words(signed_age(bound, at), "days") + (
        f"; its record says '{status}': moved after them" if status else "")


def reason(name: str, bound, record=None, at: dt.datetime | None = None) -> str:
    """'where on its orbit HS-1 is cannot be said (elements 158 days old; 90 % error
    bound: anywhere along its orbit (...))', for notes, captions and calendars."""
    return (f"where on its orbit {name} is cannot be said ({why(bound, record, at)}; "
            f"{bound.text()})")


def title_suffix(bound, at: dt.datetime | None = None) -> str:
    """' (elements 158 d old, ±20 min)' for the title of a calendar event from stale
    elements; ' (time unknown: elements 158 d old)' when phase lost; '' when fresh."""
    if bound is None or abs(bound.age_days) <= STALE_AFTER_DAYS and not bound.phase_lost:
        return ""
    if bound.phase_lost:
        return f" (time unknown: {age_words(signed_age(bound, at))})"
    spread = bound.timing_text() or bound.km_text()
    return f" ({age_words(signed_age(bound, at))}, {spread})"


def note_event(name: str, norad_id, bounds, record, count: int, start: dt.datetime,
               end: dt.datetime, what: tuple[str, str], place: str) -> dict:
    """The calendar event that stands for the ``count`` events of one satellite left
    out because their times are unknown: over the whole window, its title saying so
    ('HS-1: 7 passes, times unknown (elements 158 d old)'); ``what``: the event's word,
    singular and plural (('pass', 'passes'))."""
    from orbitview.products.export.ics import event_uid
    from orbitview.util.timeutil import iso
    worst = max(bounds, key=lambda b: abs(b.age_days))
    text = reason(name, worst, record, start)
    plural = what[0] if count == 1 else what[1]
    return {"uid": event_uid(norad_id, "times unknown", iso(start), place),
            "start_utc": start, "end_utc": end,
            "summary": f"{name}: {count} {plural}, times unknown "
                       f"({age_words(signed_age(worst, start))})",
            "description": (f"{name} ({norad_id}): {count} {plural} over {place} were found "
                            f"from {iso(start)} to {iso(end)}, but {text}. They are left out "
                            "of this calendar: their times would be guesses. Fix: "
                            f"'orbitview tle update {norad_id}' when online, then make the "
                            "calendar again."),
            "location": place}


# --------------------------------------------------------------------------- propagations

def bound_of(prop, i: int, j: int):
    """The 90 % :class:`~orbitview.orbit.accuracy.ErrorBound` of satellite ``i`` of a
    Propagation at its time ``j`` (the set used there, its signed age, the hold, the
    record); None for a generated design (no truth to bound)."""
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.design import is_hypothetical
    history = prop.elements[i]
    es = history[int(prop.set_index[i, j])]
    if is_hypothetical(es):
        return None
    age = float(prop.epoch_age_days[i, j])
    if not np.isfinite(age):
        return None
    holds = getattr(prop, "holds", None)
    records = getattr(prop, "records", None)
    return error_bound(history, age, held=bool(holds and holds[i] is not None),
                       element_set=es, record=records[i] if records else None)


def phase_lost_mask(prop, index=None) -> np.ndarray:
    """Whether each satellite's position is phase lost at each time: a bool array
    ``(n_sat, len(index))`` (``index``: time indices, default every time).  Bounds
    change slowly with age: one is computed per set used and tenth of a day."""
    n_time = prop.lat_deg.shape[1]
    index = np.arange(n_time) if index is None else np.asarray(index, dtype=int)
    out = np.zeros((len(prop.names), len(index)), dtype=bool)
    for i in range(len(prop.names)):
        cache: dict = {}
        for k, j in enumerate(index):
            key = (int(prop.set_index[i, j]), round(float(prop.epoch_age_days[i, j]), 1))
            if key not in cache:
                b = bound_of(prop, i, int(j))
                cache[key] = bool(b is not None and b.phase_lost)
            out[i, k] = cache[key]
    return out
