"""What tests/test_ics.py::test_events_parse_back_with_times_in_utc checks, without
icalendar's reader, for ci/min-versions.sh.

That test reads GEO back with ``Component.decoded("geo")``, which icalendar before 7.2
cannot do for a calendar it has just parsed (its own reader bug: ``'vGeo' object has
no attribute 'split'``), so the job deselects it at the floor and checks here that the
floor writes what icalendar 7.3 writes: UTC times in the bare ``DTSTART:...Z`` form
(icalendar 5.0.0 and 5.0.1 wrote ``DTSTART;VALUE=DATE-TIME:...``) and a GEO line.
"""

import datetime as dt

import icalendar

from orbitview.products.export.ics import event_uid, events_to_ics

UTC = dt.timezone.utc
events = [{"uid": event_uid(43530, "2026-11-21T16:52:38Z", "Lahore"),
           "start_utc": dt.datetime(2026, 11, 21, 16, 52, 38, 400000, tzinfo=UTC),
           "end_utc": dt.datetime(2026, 11, 21, 17, 1, 10, tzinfo=UTC),
           "summary": "PRSS-1 pass, max 57\u00b0", "location": "Lahore",
           "geo": (31.5204, 74.3587)}]
ics = events_to_ics(events, "passes", dt.datetime(2026, 11, 21, tzinfo=UTC))
for line in (b"DTSTART:20261121T165238Z", b"DTEND:20261121T170110Z",
             b"DTSTAMP:20261121T000000Z", b"GEO:31.5204;74.3587", b"X-WR-CALNAME:passes"):
    assert line in ics.splitlines(), f"{line!r} not written by icalendar {icalendar.__version__}"
event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
assert (event["geo"].latitude, event["geo"].longitude) == (31.5204, 74.3587)
print(f"ci/ics_floor_check.py: icalendar {icalendar.__version__} writes the expected lines")
