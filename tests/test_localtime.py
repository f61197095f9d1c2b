"""Local time: zones, naive times read in a zone (DST included), relative words."""

from __future__ import annotations

import datetime as dt

import pytest

from orbitview.data.localtime import (
    Clock,
    choose_zone,
    countdown,
    get_zone,
    localize,
    night_at,
    parse_when,
)
from orbitview.data.sites import parse_site
from orbitview.util.errors import UsageError

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=UTC)          # 14:30 PKT
KARACHI = get_zone("Asia/Karachi")
NEW_YORK = get_zone("America/New_York")
LONDON = get_zone("Europe/London")


def test_zone_names_and_errors():
    assert get_zone("utc") is UTC
    assert get_zone("asia/karachi").key == "Asia/Karachi"          # case forgiven
    with pytest.raises(UsageError, match="unknown time zone 'Asia/Karachy'. Did you mean "
                                         "Asia/Karachi"):
        get_zone("Asia/Karachy")
    with pytest.raises(UsageError, match="Fix: give an IANA zone name"):
        get_zone("../etc/passwd")


def test_zone_choice_order():
    lahore = parse_site("Lahore")
    assert choose_zone("Europe/London", lahore, "Asia/Tokyo")[1] == "from --tz"
    assert choose_zone(None, lahore, "Asia/Tokyo")[0].key == "Asia/Tokyo"
    zone, why = choose_zone(None, lahore, None)
    assert zone.key == "Asia/Karachi" and why == "the zone of Lahore"
    assert choose_zone(None, parse_site("51.5,-0.1"), None) == (UTC, "default")


def test_naive_times_are_read_in_the_zone():
    t = parse_when("2026-11-21T21:30", KARACHI, now=NOW)
    assert t == dt.datetime(2026, 11, 21, 16, 30, tzinfo=UTC) and t.read_in == "Asia/Karachi"
    assert parse_when("2026-11-21", KARACHI, now=NOW) == dt.datetime(2026, 11, 20, 19, 0,
                                                                     tzinfo=UTC)
    # An explicit offset wins over the zone, and is not "read in" it.
    t = parse_when("2026-11-21T21:30Z", KARACHI, now=NOW)
    assert t == dt.datetime(2026, 11, 21, 21, 30, tzinfo=UTC) and t.read_in is None


def test_dst_zones():
    # New York: EDT (UTC-4) in July, EST (UTC-5) in November.
    assert parse_when("2026-07-04T21:00", NEW_YORK) == dt.datetime(2026, 7, 5, 1, 0, tzinfo=UTC)
    assert parse_when("2026-11-21T21:00", NEW_YORK) == dt.datetime(2026, 11, 22, 2, 0,
                                                                   tzinfo=UTC)
    # 2026-03-08 02:30 does not exist in New York (clocks jump from 02:00 to 03:00).
    with pytest.raises(UsageError, match="does not exist in America/New_York"):
        parse_when("2026-03-08T02:30", NEW_YORK)
    # 2026-10-25 01:30 happens twice in London: the first (BST, UTC+1) is used, and said.
    t = parse_when("2026-10-25T01:30", LONDON)
    assert t == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert "happens twice" in t.note and "UTC+01:00" in t.note
    aware, note = localize(dt.datetime(2026, 6, 1, 12), LONDON)
    assert aware.utcoffset() == dt.timedelta(hours=1) and note == ""


def test_relative_words():
    assert parse_when("now", KARACHI, now=NOW) == NOW
    assert parse_when("+2h", KARACHI, now=NOW) == NOW + dt.timedelta(hours=2)
    assert parse_when("-30min", KARACHI, now=NOW) == NOW - dt.timedelta(minutes=30)
    assert parse_when("+1d6h", KARACHI, now=NOW) == NOW + dt.timedelta(hours=30)
    today = parse_when("today", KARACHI, now=NOW)
    assert today == dt.datetime(2026, 11, 20, 19, 0, tzinfo=UTC)            # 00:00 PKT
    assert today.end_utc == dt.datetime(2026, 11, 21, 19, 0, tzinfo=UTC)
    tomorrow = parse_when("tomorrow", NEW_YORK, now=NOW)                     # 04:30 EST
    assert tomorrow == dt.datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    yesterday = parse_when("yesterday", KARACHI, now=NOW)       # 2026-11-20 00:00 PKT
    assert yesterday == dt.datetime(2026, 11, 19, 19, 0, tzinfo=UTC)
    assert yesterday.end_utc == today
    # The day the clocks change in New York is 25 hours long.
    day = parse_when("today", NEW_YORK, now=dt.datetime(2026, 11, 1, 12, tzinfo=UTC))
    assert (day.end_utc - day).total_seconds() == 25 * 3600
    with pytest.raises(UsageError, match="is not an ISO 8601 time or a word"):
        parse_when("next tuesday", KARACHI, now=NOW)


def test_tonight_is_sunset_to_sunrise_at_the_site():
    lahore = parse_site("Lahore")
    night = parse_when("tonight", KARACHI, lahore, now=NOW)
    # Lahore (74.36 E, 31.52 N), 2026-11-21: solar noon ~11:49 PKT (4 min per degree east of
    # 75 E, equation of time +14 min) and ~10 h 24 min of daylight: sunset ~17:01, sunrise
    # ~06:38 PKT the next morning.
    sunset_pkt = night.astimezone(KARACHI)
    sunrise_pkt = night.end_utc.astimezone(KARACHI)
    assert (sunset_pkt.date(), sunrise_pkt.date()) == (dt.date(2026, 11, 21), dt.date(2026, 11, 22))
    assert dt.time(16, 55) < sunset_pkt.time() < dt.time(17, 8)
    assert dt.time(6, 30) < sunrise_pkt.time() < dt.time(6, 46)
    # Asked at 23:00 PKT, tonight starts now.
    late = dt.datetime(2026, 11, 21, 18, 0, tzinfo=UTC)
    start, end = night_at(lahore, late)
    assert start == late and abs((end - night.end_utc).total_seconds()) < 0.01
    with pytest.raises(UsageError, match="tonight runs from sunset to sunrise"):
        parse_when("tonight", KARACHI, None, now=NOW)


def test_clock_text_always_has_the_date():
    clock = Clock(KARACHI, "the zone of Lahore")
    t = dt.datetime(2026, 11, 21, 19, 5, 3, tzinfo=UTC)
    assert clock.text(t) == "2026-11-22 00:05:03"
    assert clock.text(t, zone=True) == "2026-11-22 00:05:03 PKT"
    assert clock.describe(t) == "Asia/Karachi (PKT, UTC+05:00)"
    assert Clock(NEW_YORK).describe(dt.datetime(2026, 7, 1, tzinfo=UTC)) == \
        "America/New_York (EDT, UTC-04:00)"
    assert clock.text(None) == ""


def test_countdown():
    assert countdown(45) == "in 45 s"
    assert countdown(125) == "in 2 min 05 s"
    assert countdown(7500) == "in 2 h 05 min"
    assert countdown(-90) == "since 1 min 30 s"
    assert countdown(0.2) == "now"
