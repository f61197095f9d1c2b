"""The iCalendar writer, parsed back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import pytest

from orbitview.products.export.ics import event_uid, events_to_ics

UTC = dt.timezone.utc
PKT = dt.timezone(dt.timedelta(hours=5))
STAMP = dt.datetime(2026, 11, 21, 0, 0, tzinfo=UTC)


def _events():
    return [
        {"uid": event_uid(43530, "2026-11-21T16:52:38Z", "Lahore"),
         "start_utc": dt.datetime(2026, 11, 21, 16, 52, 38, 400000, tzinfo=UTC),
         "end_utc": dt.datetime(2026, 11, 21, 17, 1, 10, tzinfo=UTC),
         "summary": "PRSS-1 pass, max 57\u00b0", "description": "S to NNW; not visible",
         "location": "Lahore", "geo": (31.5204, 74.3587)},
        {"uid": event_uid(48274, "2026-11-21T13:00:00Z", "Lahore"),
         # given in PKT: written as UTC
         "start_utc": dt.datetime(2026, 11, 21, 18, 0, tzinfo=PKT),
         "end_utc": dt.datetime(2026, 11, 21, 18, 6, tzinfo=PKT),
         "summary": "CSS pass"},
    ]


def test_events_parse_back_with_times_in_utc():
    import icalendar
    cal = icalendar.Calendar.from_ical(events_to_ics(_events(), "passes", STAMP))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first, second = events
    assert first.decoded("dtstart") == dt.datetime(2026, 11, 21, 16, 52, 38, tzinfo=UTC)
    assert first.decoded("dtend") == dt.datetime(2026, 11, 21, 17, 1, 10, tzinfo=UTC)
    assert str(first["summary"]) == "PRSS-1 pass, max 57\u00b0"
    assert str(first["location"]) == "Lahore"
    assert first["geo"].latitude == pytest.approx(31.5204)
    assert second.decoded("dtstart") == dt.datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
    assert first.decoded("dtstamp") == STAMP
    assert str(cal["x-wr-calname"]) == "passes"
    # written in UTC form, which every calendar app converts to the phone's zone
    assert b"DTSTART:20261121T130000Z" in events_to_ics(_events(), "passes", STAMP)


def test_uids_are_stable_and_distinct():
    a = event_uid(43530, "2026-11-21T16:52:38Z", "Lahore")
    assert a == event_uid(43530, "2026-11-21T16:52:38Z", "Lahore")
    assert a != event_uid(43530, "2026-11-21T16:52:38Z", "Karachi")
    assert a.endswith("@orbitview")


def test_naive_times_are_refused():
    bad = [{"uid": "x", "summary": "s", "start_utc": dt.datetime(2026, 11, 21),
            "end_utc": dt.datetime(2026, 11, 21, 1, tzinfo=UTC)}]
    with pytest.raises(ValueError, match="start_utc must be an aware datetime"):
        events_to_ics(bad)
