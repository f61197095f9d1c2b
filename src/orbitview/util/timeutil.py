"""Times at orbitview's boundary: timezone-aware UTC, shown beside PKT.

Parsing is strict about what it accepts and says how to fix what it rejects.
A time without an offset is taken as UTC (documented in every CLI help text).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np

from orbitview.util.errors import UsageError

UTC = dt.timezone.utc
PKT = dt.timezone(dt.timedelta(hours=5), "PKT")


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


EPHEMERIS_RANGE_UTC = (dt.datetime(1957, 10, 2, tzinfo=UTC), dt.datetime(2053, 9, 30, tzinfo=UTC))
"""First and last instant orbitview computes for: the span of its bundled excerpt of the
JPL DE421 Sun ephemeris (1957-10-01 to 2053-10-01, from the first artificial satellite to
just before DE421 ends; ``scripts/build_ephemeris.py``) less a day at each end.  Commands
refuse times outside it (:func:`check_supported`); whoever changes the bundled ephemeris
updates this (a test checks the two agree)."""


def parse_time(text: str, option: str = "time") -> dt.datetime:
    """'now', '2026-11-21', '2026-11-21T06:30', '...Z' or '...+05:00' -> aware UTC."""
    t = str(text).strip()
    if t.lower() == "now":
        return now()
    shown = _label(option, t)
    try:
        value = dt.datetime.fromisoformat(t.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{shown} is not an ISO 8601 time.\n"
            "Fix: write it like 2026-11-21T06:30:00Z (UTC), 2026-11-21T11:30+05:00 (PKT) "
            "or 'now'.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise UsageError(
            f"{shown} falls outside the calendar once converted to UTC.\n"
            "Fix: give a time between years 1 and 9999 (orbitview computes for "
            f"{supported_range_text()}).") from None


def parse_year_or_date(text: str, option: str, end: bool = False) -> dt.datetime:
    """'2018' (start or end of that year) or an ISO date/time."""
    t = str(text).strip()
    if re.fullmatch(r"\d{4}", t):
        year = int(t)
        if not 1 <= year <= 9998:
            raise UsageError(f"{_label(option, t)} is not a calendar year.\n"
                             "Fix: give a year such as 2018, or a date such as 2018-07-09.")
        return dt.datetime(year + 1 if end else year, 1, 1, tzinfo=UTC) \
            - (dt.timedelta(microseconds=1) if end else dt.timedelta(0))
    value = parse_time(t, option)
    if end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        try:
            value += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
        except OverflowError:
            pass                                  # 9999-12-31 already ends the calendar
    return value


def _label(option: str, text: str) -> str:
    """``--at '2026-13-01'`` (or just the quoted value when no option is named)."""
    shown = repr(text if len(text) <= 40 else text[:37] + "...")
    return f"{option} {shown}" if option else shown


def supported_range_text() -> str:
    start, end = EPHEMERIS_RANGE_UTC
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d} UTC"


def check_supported(start: dt.datetime, end: dt.datetime, what: str = "time") -> None:
    """Raise UsageError unless [start, end] lies within :data:`EPHEMERIS_RANGE_UTC`."""
    lo, hi = EPHEMERIS_RANGE_UTC
    bad = start if start < lo else end if end > hi else None
    if bad is None:
        return
    span = (f"{what} {iso(bad)}".strip() if start == end
            else f"{what} {iso(start)} to {iso(end)}".strip())
    raise UsageError(
        f"{span} is outside the dates orbitview supports, {supported_range_text()} (the span of "
        "the JPL DE421 Sun ephemeris it bundles, which sunlight flags and sun elevations "
        "need).\nFix: choose times within that range.")


def iso(t: dt.datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pkt(t: dt.datetime) -> str:
    return t.astimezone(PKT).strftime("%Y-%m-%d %H:%M PKT")


@functools.lru_cache(maxsize=1)
def timescale():
    """skyfield's timescale from its built-in files: never downloads.

    The same tables skyfield's ``load.timescale(builtin=True)`` reads (its bundled
    ``iers.npz``: daily Delta T and the leap seconds), built the way that method builds
    them but without importing ``skyfield.api``: its download-capable loader brings in
    urllib, ssl and email, about a tenth of a command's start-up, for nothing orbitview
    asks of it.  ``tests/test_timeutil.py`` checks the two are the same.
    """
    from skyfield.functions import load_bundled_npy
    from skyfield.timelib import Timescale
    arrays = load_bundled_npy("iers.npz")
    daily_tt = arrays["tt_jd_minus_arange"] + np.arange(len(arrays["tt_jd_minus_arange"]))
    daily_delta_t = (arrays["delta_t_1e7"] / 1e7).round(7)
    return Timescale((daily_tt, daily_delta_t), arrays["leap_dates"], arrays["leap_offsets"])


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


def round_event_times(rows, keys=("aos_utc", "tca_utc", "los_utc"),
                      duration_key="duration_s", start="aos_utc", end="los_utc") -> list:
    """Round event times to the nearest second; the duration is then exactly end - start.

    Printed times are whole seconds: truncating them would put every event up to a
    second early, and a duration rounded separately would disagree with the times shown.
    """
    for r in rows:
        for k in keys:
            t = r.get(k)
            if isinstance(t, dt.datetime):
                r[k] = (t + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        if isinstance(r.get(start), dt.datetime) and isinstance(r.get(end), dt.datetime):
            r[duration_key] = int((r[end] - r[start]).total_seconds())
    return rows
