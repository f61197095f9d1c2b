"""Times at orbitview's boundary: timezone-aware UTC, shown beside PKT.

Parsing is strict about what it accepts and says how to fix what it rejects.
A time without an offset is taken as UTC (documented in every CLI help text).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np

from .errors import UsageError

UTC = dt.timezone.utc
PKT = dt.timezone(dt.timedelta(hours=5), "PKT")


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def parse_time(text: str, option: str = "time") -> dt.datetime:
    """'now', '2026-11-21', '2026-11-21T06:30', '...Z' or '...+05:00' -> aware UTC."""
    t = text.strip()
    if t.lower() == "now":
        return now()
    try:
        value = dt.datetime.fromisoformat(t.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not an ISO 8601 time.\n"
            "Fix: write it like 2026-11-21T06:30:00Z (UTC), 2026-11-21T11:30+05:00 (PKT) "
            "or 'now'.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_year_or_date(text: str, option: str, end: bool = False) -> dt.datetime:
    """'2018' (start or end of that year) or an ISO date/time."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        year = int(t)
        return dt.datetime(year + 1 if end else year, 1, 1, tzinfo=UTC) \
            - (dt.timedelta(microseconds=1) if end else dt.timedelta(0))
    value = parse_time(t, option)
    if end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        value += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return value


def iso(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pkt(t: dt.datetime) -> str:
    return t.astimezone(PKT).strftime("%Y-%m-%d %H:%M PKT")


@functools.lru_cache(maxsize=1)
def timescale():
    """skyfield's timescale from its built-in files: never downloads."""
    from skyfield.api import load
    return load.timescale(builtin=True)


def time_grid(start: dt.datetime, end: dt.datetime, step_s: float):
    """Evenly spaced skyfield Time from start to end inclusive (end may be cut to step)."""
    if step_s <= 0:
        raise UsageError(f"step {step_s} s must be positive.\nFix: give --step 30 or similar.")
    if end < start:
        raise UsageError(f"end {iso(end)} is before start {iso(start)}.\n"
                         "Fix: give an end after the start, or use --hours.")
    n = int(np.floor((end - start).total_seconds() / step_s + 1e-9)) + 1
    seconds = np.arange(n) * float(step_s)
    ts = timescale()
    return ts.utc(start.year, start.month, start.day, start.hour, start.minute,
                  start.second + start.microsecond / 1e6 + seconds)


def ephemeris():
    """JPL DE421 from the skyfield-data package: sun positions offline."""
    return _ephemeris()


@functools.lru_cache(maxsize=1)
def _ephemeris():
    import os
    import warnings
    from skyfield.api import load_file
    from skyfield_data import get_skyfield_data_path
    with warnings.catch_warnings():
        # skyfield-data warns about its finals2000A.all; orbitview reads only de421.bsp
        # (valid 1900-2050) and skyfield's built-in Earth-orientation tables.
        warnings.simplefilter("ignore", RuntimeWarning)
        path = get_skyfield_data_path()
    return load_file(os.path.join(path, "de421.bsp"))
