"""iCalendar (RFC 5545) files from plain event rows, via the ``icalendar`` library.

:func:`events_to_ics` turns rows into the bytes of one ``VCALENDAR``; every
module that lists time windows (passes, imaging opportunities) builds rows
and calls it.  Times are written in UTC (``...Z``), which every calendar app
shows in the phone's own zone.  UIDs are derived from the row's identity
(object, start time, site), so importing a newer file updates events instead
of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib

PRODID = "-//orbitview//orbitview//EN"


def event_uid(*parts) -> str:
    """A stable UID from the parts that identify one event (object, start, site)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return f"{digest}@orbitview"


def events_to_ics(events: list[dict], calendar_name: str = "orbitview",
                  stamp_utc: dt.datetime | None = None) -> bytes:
    """One iCalendar file holding one ``VEVENT`` per row.

    Each row needs ``start_utc`` and ``end_utc`` (aware datetimes), ``summary``
    and ``uid``; ``description``, ``location`` and ``geo`` ((lat_deg, lon_deg))
    are optional.  ``stamp_utc`` is the DTSTAMP of every event (defaults to
    now; pass a fixed time for reproducible files).
    """
    from icalendar import Calendar, Event
    utc = dt.timezone.utc
    stamp = (stamp_utc or dt.datetime.now(utc)).astimezone(utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    for row in events:
        start, end = row["start_utc"], row["end_utc"]
        for value, key in ((start, "start_utc"), (end, "end_utc")):
            if not isinstance(value, dt.datetime) or value.tzinfo is None:
                raise ValueError(f"ICS event {row.get('summary')!r}: {key} must be an aware "
                                 f"datetime, got {value!r}")
        event = Event()
        event.add("uid", row["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", start.astimezone(utc).replace(microsecond=0))
        event.add("dtend", max(end, start).astimezone(utc).replace(microsecond=0))
        event.add("summary", row["summary"])
        if row.get("description"):
            event.add("description", row["description"])
        if row.get("location"):
            event.add("location", row["location"])
        if row.get("geo") is not None:
            event.add("geo", tuple(float(v) for v in row["geo"]))
        event.add("transp", "TRANSPARENT")   # a pass does not make the user busy
        cal.add_component(event)
    return cal.to_ical()
