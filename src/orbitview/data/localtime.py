"""Local time: IANA zones, times read in a zone, relative words, local columns with dates.

Inside orbitview every time is timezone-aware UTC; this module is where people's
clocks come in.  The zone of a command is, first match wins: ``--tz ZONE``, the
``tz`` of the config file, the zone of a built-in site (all are in Pakistan:
``Asia/Karachi``), else UTC (:func:`choose_zone`).  Times typed without an offset
are read in that zone (:func:`parse_when`), and so are the relative words
``now``, ``today``, ``yesterday``, ``tomorrow``, ``tonight`` (from local sunset to sunrise at
the site) and offsets such as ``+2h`` or ``-30min``.  A local wall-clock time
that does not exist (skipped by a daylight-saving change) is refused; one that
happens twice is read as the first and the output says so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from orbitview.util.errors import UsageError
from orbitview.util.timeutil import supported_range_text

UTC = dt.timezone.utc
PAKISTAN_ZONE = "Asia/Karachi"
"""The zone of every built-in site (all are in Pakistan)."""
NOW_ENV = "ORBITVIEW_NOW"
"""An ISO 8601 UTC time to use as 'now' (reproducible examples and tests); unset: the clock."""

RELATIVE_WORDS = ("now", "today", "tonight", "tomorrow", "yesterday")
_OFFSET = re.compile(r"^([+-])((?:\d+(?:\.\d+)?\s*(?:d|day|days|h|hr|hrs|hour|hours|m|min|mins|"
                     r"minute|minutes|s|sec|secs|second|seconds)\s*)+)$", re.I)
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)", re.I)
_UNIT_S = {"d": 86400, "day": 86400, "days": 86400, "h": 3600, "hr": 3600, "hrs": 3600,
           "hour": 3600, "hours": 3600, "m": 60, "min": 60, "mins": 60, "minute": 60,
           "minutes": 60, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1}
DAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1}
"""Words for a whole local day (midnight to midnight), in days from today."""
FORMS = ("now, today, tonight, tomorrow, yesterday, +2h, -30min, 2026-11-21, 2026-11-21T21:30 "
         "(read in the local zone), 2026-11-21T16:30Z or 2026-11-21T21:30+05:00")


def now_utc() -> dt.datetime:
    """The current time (or :data:`NOW_ENV` when set), aware UTC, whole seconds."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        value = dt.datetime.fromisoformat(fixed.replace("Z", "+00:00"))
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return dt.datetime.now(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- zones

def get_zone(name: str) -> dt.tzinfo:
    """An IANA zone by name ('Asia/Karachi', 'UTC'); a clear error with close matches."""
    text = str(name).strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    try:
        if not text or text.startswith(("/", ".")) or ".." in text:
            raise ValueError
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        import difflib
        zones = sorted(available_timezones())
        lowered = {z.lower(): z for z in zones}
        if text.lower() in lowered:
            return ZoneInfo(lowered[text.lower()])
        close = difflib.get_close_matches(text, zones, n=3, cutoff=0.6) or \
            [z for z in zones if text.lower() and text.lower() in z.lower()][:3]
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"unknown time zone {text!r}.{hint}\n"
                         "Fix: give an IANA zone name such as Asia/Karachi, Europe/London, "
                         "America/New_York or UTC.") from None


def zone_name(zone: dt.tzinfo) -> str:
    """'Asia/Karachi' or 'UTC'."""
    return getattr(zone, "key", None) or ("UTC" if zone is UTC else str(zone))


def site_zone(site) -> dt.tzinfo | None:
    """The zone of a built-in site (Pakistan's), or None for coordinates given by hand."""
    if site is None:
        return None
    from orbitview.data.sites import load_sites
    try:
        builtin = load_sites()
    except Exception:  # noqa: BLE001 - a broken sites file must not break time parsing
        return None
    return ZoneInfo(PAKISTAN_ZONE) if str(site.name).lower() in builtin else None


def choose_zone(tz: str | None = None, site=None, config_tz: str | None = None
                ) -> tuple[dt.tzinfo, str]:
    """The zone of a command and why: (zone, 'from --tz' | 'from the config file' | ...)."""
    if tz:
        return get_zone(tz), "from --tz"
    if config_tz:
        return get_zone(config_tz), "from the config file"
    zone = site_zone(site)
    if zone is not None:
        return zone, f"the zone of {site.name}"
    return UTC, "default"


def abbreviation(zone: dt.tzinfo, when: dt.datetime) -> str:
    """'PKT', 'EST'/'EDT', or '+0530'-style when the zone has no letters."""
    name = when.astimezone(zone).tzname() or zone_name(zone)
    return name


# --------------------------------------------------------------------------- parsing

class When(dt.datetime):
    """An aware UTC instant parsed from user text, with what it meant.

    ``end_utc`` is set for words that name a span (today, tomorrow, tonight);
    ``read_in`` names the zone a wall-clock time was read in (None when the text
    carried its own offset); ``note`` says anything the user should hear
    (an ambiguous wall time read as the first one).
    """

    end_utc: dt.datetime | None = None
    read_in: str | None = None
    note: str = ""
    text: str = ""


def _when(value: dt.datetime, text: str, end: dt.datetime | None = None,
          read_in: str | None = None, note: str = "") -> When:
    try:
        v = value.astimezone(UTC)
    except OverflowError:
        raise UsageError(f"{text!r} falls outside the calendar once converted to UTC.\n"
                         "Fix: give a time between years 1 and 9999 (orbitview computes for "
                         f"{supported_range_text()}).") from None
    out = When(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, tzinfo=UTC)
    out.end_utc = end.astimezone(UTC) if end is not None else None
    out.read_in, out.note, out.text = read_in, note, text
    return out


def localize(naive: dt.datetime, zone: dt.tzinfo, text: str = "") -> tuple[dt.datetime, str]:
    """A wall-clock time in ``zone`` -> aware; refuses times a DST change skips.

    Returns (aware time, note); the note is non-empty when the wall time happens
    twice (the first is used).
    """
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    shown = text or naive.isoformat(sep=" ")
    try:
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        raise UsageError(f"{shown!r} falls outside the calendar once converted to UTC.\n"
                         "Fix: give a time between years 1 and 9999 (orbitview computes for "
                         f"{supported_range_text()}).") from None
    if back != naive:
        raise UsageError(
            f"{shown!r} does not exist in {zone_name(zone)}: the clocks skip that hour "
            f"(daylight-saving change on {naive:%Y-%m-%d}).\n"
            "Fix: give a time outside the skipped hour, or add an offset (e.g. ...Z for UTC).")
    if first.utcoffset() != second.utcoffset():
        return first, (f"{shown} happens twice in {zone_name(zone)} (clocks go back on "
                       f"{naive:%Y-%m-%d}); the first, {_offset_text(first)}, is used")
    return first, ""


def _offset_text(t: dt.datetime) -> str:
    off = t.utcoffset() or dt.timedelta(0)
    sign = "+" if off >= dt.timedelta(0) else "-"
    minutes = abs(int(off.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def parse_when(text: str, zone: dt.tzinfo = UTC, site=None, now: dt.datetime | None = None,
               option: str = "time") -> When:
    """User text -> :class:`When` (aware UTC).

    ``now``/``today``/``yesterday``/``tomorrow``/``tonight``, ``+2h``/``-30min``/``+1d6h``,
    or ISO 8601: with an offset (``Z``, ``+05:00``) as given, without one read
    in ``zone`` (a date alone is local midnight).  ``tonight`` needs ``site``.
    """
    raw = str(text).strip()
    word = raw.lower()
    now = (now or now_utc()).astimezone(UTC)
    label = f"{option} {raw!r}" if option else repr(raw)
    zname = zone_name(zone)
    if word == "now":
        return _when(now, raw)
    if word in DAY_OFFSETS:
        day = now.astimezone(zone).date() + dt.timedelta(days=DAY_OFFSETS[word])
        start, note = localize(dt.datetime.combine(day, dt.time()), zone)
        end, _ = localize(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), zone)
        return _when(start, raw, end, zname, note)
    if word == "tonight":
        if site is None:
            raise UsageError(f"{label} needs a site: tonight runs from sunset to sunrise "
                             "where you are.\nFix: give --site (or set one: 'orbitview config "
                             "set site Lahore'), or a time such as 2026-11-21T18:00.")
        start, end = night_at(site, now)
        return _when(start, raw, end, zname)
    m = _OFFSET.match(raw.replace(" ", ""))
    if m:
        seconds = sum(float(n) * _UNIT_S[u.lower()] for n, u in _PART.findall(m.group(2)))
        sign = 1 if m.group(1) == "+" else -1
        try:
            return _when(now + dt.timedelta(seconds=sign * seconds), raw)
        except OverflowError:
            raise UsageError(f"{label} lies beyond the calendar (years 1 to 9999).\n"
                             f"Fix: give an offset within the dates orbitview computes for, "
                             f"{supported_range_text()}, e.g. +2h or -30min.") from None
    iso = raw.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        raise UsageError(f"{label} is not an ISO 8601 time or a word orbitview knows.\n"
                         f"Fix: write one of: {FORMS}.") from None
    if value.tzinfo is not None:
        return _when(value, raw)
    aware, note = localize(value, zone, raw)
    return _when(aware, raw, read_in=zname, note=note)


# --------------------------------------------------------------------------- night

def night_at(site, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of 'tonight' at ``site``: the night in progress or the next one.

    Sunset and sunrise as the USNO defines them (Sun's centre 0.8333 deg below
    the horizon), from JPL DE421.  During the night the start is ``now``.
    """
    from skyfield import almanac
    from skyfield.toposlib import wgs84

    from orbitview.data.ephemeris import ephemeris
    from orbitview.util.timeutil import timescale
    eph = ephemeris()
    ts = timescale()
    place = wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    is_up = almanac.sunrise_sunset(eph, place)
    t0 = ts.from_datetime(now)
    t1 = ts.from_datetime(now + dt.timedelta(days=2))
    times, ups = almanac.find_discrete(t0, t1, is_up)
    events = [(t.utc_datetime(), bool(up)) for t, up in zip(times, ups)]
    if not bool(is_up(t0)):                         # night now: until the next sunrise
        rise = next((t for t, up in events if up), None)
        if rise is None:
            raise UsageError(f"the Sun does not rise at {site.name} within two days "
                             "(polar night), so 'tonight' has no end.\n"
                             "Fix: give --start and --days.")
        return now, rise
    sets = [t for t, up in events if not up]
    if not sets:
        raise UsageError(f"the Sun does not set at {site.name} within two days (polar day), "
                         "so there is no 'tonight'.\nFix: give --start and --days.")
    sunset = sets[0]
    rise = next((t for t, up in events if up and t > sunset), None)
    if rise is None:
        raise UsageError(f"the Sun does not rise at {site.name} after tonight's sunset "
                         "within two days (polar night).\nFix: give --start and --days.")
    return sunset, rise


# --------------------------------------------------------------------------- display

@dataclass(frozen=True)
class Clock:
    """How a command shows times: a zone and the reason it was chosen."""

    zone: dt.tzinfo
    why: str = "default"

    @property
    def name(self) -> str:
        return zone_name(self.zone)

    @property
    def is_utc(self) -> bool:
        return self.zone is UTC or self.name in ("UTC", "Etc/UTC")

    def abbreviation(self, when: dt.datetime) -> str:
        return abbreviation(self.zone, when)

    def local(self, t: dt.datetime) -> dt.datetime:
        return t.astimezone(self.zone)

    def text(self, t: dt.datetime | None, seconds: bool = True, zone: bool = False) -> str:
        """'2026-11-21 21:52:38' (always with its date), '' for None."""
        if t is None:
            return ""
        local = self.local(t)
        out = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
        return f"{out} {local.tzname()}" if zone else out

    def describe(self, when: dt.datetime) -> str:
        """'Asia/Karachi (PKT, UTC+05:00)'."""
        local = self.local(when)
        abbr = local.tzname() or ""
        return f"{self.name} ({abbr + ', ' if abbr and abbr != 'UTC' else ''}" \
               f"{_offset_text(local)})"


def zone_changes(zone: dt.tzinfo, start: dt.datetime, end: dt.datetime
                 ) -> list[tuple[dt.datetime, int, str]]:
    """The offsets ``zone`` keeps over [start, end]: (from UTC, offset s, abbreviation).

    The first entry holds at ``start``; each later one begins at a daylight-saving
    change, found to the second (hourly samples, then bisection), so a page that
    only adds offsets shows every instant as ``zone``'s clocks did.
    """
    def state(t):
        local = t.astimezone(zone)
        return int(local.utcoffset().total_seconds()), local.tzname() or zone_name(zone)
    out = [(start, *state(start))]
    t = start
    while t < end:
        nxt = min(t + dt.timedelta(hours=1), end)
        if state(nxt) != state(t):
            lo, hi = t, nxt
            while (hi - lo).total_seconds() > 1:
                mid = lo + (hi - lo) / 2
                lo, hi = (mid, hi) if state(mid) == state(lo) else (lo, mid)
            out.append((hi.replace(microsecond=0), *state(hi)))
        t = nxt
    return out


def countdown(seconds: float) -> str:
    """'in 2 h 05 min', 'in 45 s', 'now' (negative: 'since ...')."""
    s = int(round(seconds))
    if abs(s) < 1:
        return "now"
    prefix = "in " if s > 0 else "since "
    s = abs(s)
    if s < 60:
        return f"{prefix}{s} s"
    if s < 3600:
        return f"{prefix}{s // 60} min {s % 60:02d} s"
    if s < 86400:
        return f"{prefix}{s // 3600} h {(s % 3600) // 60:02d} min"
    return f"{prefix}{s // 86400} d {(s % 86400) // 3600} h"
