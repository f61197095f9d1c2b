"""Click parameter types shared by every command: values are checked before any work.

A value given on the command line that cannot be right (not a number, NaN,
infinite, zero where a step is needed, outside the range the option supports,
a date no calendar has, a site off the globe, an output path that is not a
regular file) is a usage error: click prints it with the option's name and the
fix, and the command exits with status 2 before reading any data.

Use the ready-made types (``STEP_S``, ``HOURS``, ``DPI``, ``TIME``, ``SITE``,
...) or build one with :class:`Number`; every command of every module shares
them, so ``--step nan`` is refused the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import click

from orbitview.util.errors import UsageError

__all__ = [
    "Number", "Time", "YearOrDate", "SiteType", "RegionType", "OutputPath",
    "STEP_S", "HOURS", "COVERAGE_HOURS", "DAYS", "MINUTES", "ORBITS", "LONGITUDE", "DPI",
    "RESOLUTION_DEG", "MIN_ELEVATION_DEG", "TIME", "ANY_TIME", "SINCE", "UNTIL", "SITE",
    "REGION", "FIGURE", "CSV_FILE", "MASK_FILE", "InputFile", "option_name",
]


def option_name(param) -> str:
    """The name a user typed for ``param`` (its longest flag), for messages."""
    if param is None:
        return "value"
    opts = list(getattr(param, "opts", []) or [])
    return max(opts, key=len) if opts else (param.human_readable_name or "value")


def _fail(self: click.ParamType, what: str, fix: str, param, ctx):
    self.fail(f"{what}\nFix: {fix}", param, ctx)


class Number(click.ParamType):
    """A finite number within [min, max] (ends open or closed), optionally a whole number.

    ``unit`` and ``example`` appear in the message; ``meaning`` says what the
    option measures (``"seconds between rows"``).
    """

    name = "number"

    def __init__(self, unit: str = "", min: float | None = None, max: float | None = None,
                 min_open: bool = False, max_open: bool = False, integer: bool = False,
                 example: str | None = None):
        self.unit = unit
        self.min, self.max = min, max
        self.min_open, self.max_open = min_open, max_open
        self.integer = integer
        self.example = example
        if integer:
            self.name = "integer"

    def range_text(self) -> str:
        u = f" {self.unit}" if self.unit else ""
        lo, hi = self.min, self.max
        low = (f"more than {lo:g}" if self.min_open else f"at least {lo:g}") \
            if lo is not None else ""
        high = (f"less than {hi:g}" if self.max_open else f"at most {hi:g}") \
            if hi is not None else ""
        if low and high:
            return f"{low} and {high}{u}"
        return f"{low or high or 'any finite number'}{u}"

    def _fix(self, param) -> str:
        example = f", e.g. {option_name(param)} {self.example}" if self.example else ""
        kind = "a whole number" if self.integer else "a number"
        return f"give {kind} {self.range_text()}{example}."

    def convert(self, value, param, ctx):
        if isinstance(value, bool):
            _fail(self, f"{value!r} is not a number.", self._fix(param), param, ctx)
        if isinstance(value, (int, float)):
            number = value
        else:
            text = str(value).strip()
            try:
                number = int(text) if self.integer else float(text)
            except (ValueError, OverflowError):
                shown = text if len(text) <= 40 else text[:37] + "..."
                what = "a whole number" if self.integer else "a number"
                _fail(self, f"{shown!r} is not {what}.", self._fix(param), param, ctx)
        if isinstance(number, float) and not math.isfinite(number):
            _fail(self, f"{value!r} is not a finite number.", self._fix(param), param, ctx)
        low_bad = self.min is not None and (number <= self.min if self.min_open
                                            else number < self.min)
        high_bad = self.max is not None and (number >= self.max if self.max_open
                                             else number > self.max)
        if low_bad or high_bad:
            _fail(self, f"{number:g} is outside the supported range ({self.range_text()}).",
                  self._fix(param), param, ctx)
        return int(number) if self.integer else float(number)

    def __repr__(self) -> str:
        return f"Number({self.range_text()})"


STEP_S = Number("s", min=0.01, max=86_400.0, example="60")
"""Seconds between time steps: 0.01 s to one day."""
HOURS = Number("h", min=0.0, max=24.0 * 366, example="24")
"""A span in hours, zero (one instant) to a year."""
COVERAGE_HOURS = Number("h", min=0.0, min_open=True, max=24.0 * 366, example="24")
"""A coverage window: up to a year (long runs can go to a dask cluster, --dask)."""
DAYS = Number("days", min=0.0, min_open=True, max=60.0, example="3")
MINUTES = Number("min", min=0.0, max=30.0 * 1440, example="90")
"""A span in minutes before or after a time: zero to 30 days."""
ORBITS = Number("orbits", min=0.0, min_open=True, max=50.0, example="3")
LONGITUDE = Number("deg", min=-180.0, max=360.0, max_open=True, example="70")
DPI = Number("dots per inch", min=20, max=600, integer=True, example="150")
RESOLUTION_DEG = Number("deg", min=0.001, max=10.0, example="0.1")
MIN_ELEVATION_DEG = Number("deg", min=-5.0, max=90.0, example="10")

# --------------------------------------------------------------------------- times

class Time(click.ParamType):
    """An ISO 8601 time ('now', a date, or date and time, UTC unless offset) -> aware UTC.

    With ``supported=True`` (the default) the time must also lie in the range
    orbitview can compute for (:data:`orbitview.util.timeutil.EPHEMERIS_RANGE_UTC`).
    """

    name = "time"

    def __init__(self, supported: bool = True):
        self.supported = supported

    def convert(self, value, param, ctx):
        from orbitview.util.timeutil import check_supported, parse_time
        if isinstance(value, dt.datetime):
            return value
        try:
            t = parse_time(str(value), "")
            if self.supported:
                check_supported(t, t, "")
        except UsageError as e:
            self.fail(str(e), param, ctx)
        return t


class YearOrDate(click.ParamType):
    """'2018' (the start, or with ``end=True`` the end, of that year) or an ISO date/time."""

    name = "year-or-date"

    def __init__(self, end: bool = False):
        self.end = end

    def convert(self, value, param, ctx):
        from orbitview.util.timeutil import parse_year_or_date
        if isinstance(value, dt.datetime):
            return value
        try:
            return parse_year_or_date(str(value), "", end=self.end)
        except UsageError as e:
            self.fail(str(e), param, ctx)


TIME = Time()
ANY_TIME = Time(supported=False)
SINCE = YearOrDate()
UNTIL = YearOrDate(end=True)


# --------------------------------------------------------------------------- places

class SiteType(click.ParamType):
    """A built-in site name (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M] -> Site."""

    name = "site"

    def convert(self, value, param, ctx):
        from orbitview.data.sites import Site, parse_site
        if isinstance(value, Site):
            return value
        try:
            return parse_site(str(value))
        except UsageError as e:
            self.fail(str(e), param, ctx)


class RegionType(click.ParamType):
    """'world', 'pakistan' or W,E,S,N in degrees -> the text, checked (commands parse it)."""

    name = "region"

    def convert(self, value, param, ctx):
        from orbitview.data.regions import parse_region
        try:
            parse_region(str(value))
        except UsageError as e:
            self.fail(str(e), param, ctx)
        return str(value)


class TargetType(click.ParamType):
    """A target's text, its LAT,LON form checked here (sites.parse_lat_lon, the parser --site
    uses) so that 133,70 is a usage error before any work; names are resolved by the
    command (targets.parse_target)."""

    name = "target"

    def convert(self, value, param, ctx):
        from orbitview.data.sites import parse_lat_lon
        try:
            parse_lat_lon(str(value), "target")
        except UsageError as e:
            self.fail(str(e), param, ctx)
        return str(value)


SITE = SiteType()
REGION = RegionType()
TARGET = TargetType()


# --------------------------------------------------------------------------- files

class InputFile(click.Path):
    """An existing, readable file (not a directory); ``fix`` says what it should hold."""

    def __init__(self, fix: str):
        super().__init__(exists=True, dir_okay=False, readable=True)
        self.fix = fix

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as e:
            self.fail(f"{e.message}\nFix: {self.fix}", param, ctx)


MASK_FILE = InputFile("give the path of a CSV with the columns azimuth_deg,min_elevation_deg.")


# --------------------------------------------------------------------------- output files

class OutputPath(click.ParamType):
    """A file orbitview may create or replace: a known suffix, an existing writable
    directory, and either nothing there yet or a regular file (never a symbolic link,
    FIFO, device or directory)."""

    name = "file"

    def __init__(self, suffixes: tuple[str, ...] = ()):
        self.suffixes = tuple(suffixes)

    def convert(self, value, param, ctx):
        path = Path(value)
        from orbitview.util.atomic import check_output_path
        try:
            check_output_path(path, self.suffixes, "")
        except UsageError as e:
            self.fail(str(e), param, ctx)
        return path


FIGURE = OutputPath((".png", ".svg", ".pdf"))
CSV_FILE = OutputPath()

