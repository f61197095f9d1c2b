"""What a person passes to the front door, turned into what the engines take.

Satellites by name, alias, NORAD number or COSPAR id (or objects, or lists of them);
sites by name, ``"lat,lon[,height_m]"``, a ``(lat, lon)`` pair or a
:class:`~orbitview.data.sites.Site`; regions by name or ``"W,E,S,N"``; times as aware
datetimes in any zone, ISO strings, the CLI's words or skyfield ``Time``.  Every
refusal says what was wrong and how to fix it, as the CLI does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from orbitview.data.localtime import UTC, Clock, When, choose_zone, get_zone, localize, parse_when
from orbitview.data.sites import Site, parse_site
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import check_supported

ALL = "all"
"""Pass as ``satellites`` for every object with element sets (the CLI's ``--all``)."""


@dataclass(frozen=True)
class Sources:
    """Where the answer's data come from, beyond the bundled records and the user's store.

    ``elements``: 3LE/TLE/OMM files whose objects are known too (the CLI's
    ``--elements``); ``sensors``: instrument files (``--sensors``); ``hold``: keep
    station-kept geostationary satellites at their slot once their elements are stale
    (``--no-hold`` is ``hold=False``); ``tz``: the zone that times without an offset
    (and words such as ``"tonight"``) are read in and local times are shown in.
    Settings travel with the question: nothing here is process-wide.
    """

    elements: tuple[str, ...] = ()
    sensors: tuple[str, ...] = ()
    hold: bool = True
    tz: str | None = None

    @classmethod
    def of(cls, elements=None, sensors=None, hold: bool = True, tz=None) -> Sources:
        return cls(_paths(elements, "elements"), _paths(sensors, "sensors"), _flag(hold),
                   _zone_name(tz))


def _paths(value, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, Path)):
        value = [value]
    out = []
    for v in value:
        if not isinstance(v, (str, Path)):
            raise UsageError(f"{what}={v!r} is not a file path.\n"
                             f"Fix: give the path of a file, or a list of paths.")
        out.append(str(v))
    return tuple(out)


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise UsageError(f"hold={value!r} is not True or False.\n"
                         "Fix: give hold=True (hold station-kept GEO slots) or hold=False.")
    return value


def _zone_name(tz) -> str | None:
    if tz is None:
        return None
    if isinstance(tz, dt.tzinfo):
        key = getattr(tz, "key", None)
        if key:
            return key
        if tz.utcoffset(None) == dt.timedelta(0):
            return "UTC"
        raise UsageError(f"tz={tz!r} is a fixed offset, not a named zone.\n"
                         "Fix: give an IANA zone name such as 'Asia/Karachi' or 'UTC'.")
    get_zone(str(tz))                      # refuses unknown names with the fix
    return str(tz)


# --------------------------------------------------------------------------- satellites

def satellites(value, catalog, need_elements: bool = True) -> tuple[list, list[str], list[str]]:
    """(satellites, notes, left out) for ``value``: one name, NORAD number, COSPAR id,
    satellite object or element set, a list of them, or :data:`ALL` (every object with
    element sets).  ``notes`` name records that ``ALL`` skipped (no sets, or a data
    problem); ``left out`` names those with a data problem."""
    from orbitview.data.elements import ElementSet
    from orbitview.data.external import satellites_from_sets
    notes: list[str] = []
    left_out: list[str] = []
    if value is None:
        raise UsageError("no satellites given.\nFix: name one or more (e.g. 'PRSS-1', 43530, "
                         "'2018-056B') or pass orbitview.ALL for every satellite with "
                         "element sets.")
    if isinstance(value, str) and value.strip().lower() == ALL:
        sats = catalog.with_elements()
        skipped = [s for s in catalog if not s.elements and not s.problems]
        if skipped:
            notes.append("--all skips records without element sets: "
                         + ", ".join(s.name for s in skipped))
        for s in catalog:
            if s.problems:
                notes.append(f"--all leaves out {s.name} ({s.norad_id}): "
                             f"{s.problems[0].where}: {s.problems[0].what}"[:300])
                left_out.append(s.name)
        return sats, notes, left_out
    items = [value] if isinstance(value, (str, int, ElementSet)) or hasattr(value, "norad_id") \
        else list(value)
    if not items:
        raise UsageError("the list of satellites is empty.\nFix: name at least one satellite "
                         "(e.g. 'PRSS-1' or 43530), or pass orbitview.ALL.")
    out = []
    sets = [x for x in items if isinstance(x, ElementSet)]
    for x in items:
        if isinstance(x, bool) or not isinstance(x, (str, int, ElementSet)) \
                and not hasattr(x, "norad_id"):
            raise UsageError(f"{x!r} does not name a satellite.\nFix: give a name, NORAD "
                             "number, COSPAR id, a Satellite or an ElementSet.")
        if isinstance(x, ElementSet):
            continue
        sat = catalog.resolve(str(x)) if isinstance(x, (str, int)) else x
        if need_elements:
            sat.require_elements()
        if sat not in out:                 # a satellite named twice is used once
            out.append(sat)
    if sets:
        out += satellites_from_sets(sets, "element sets given in Python")
    return out, notes, left_out


# --------------------------------------------------------------------------- sites and regions

def site(value) -> Site:
    """A :class:`Site` from a built-in name, ``"lat,lon[,height_m]"``, a pair or triple
    of numbers, or a Site."""
    if isinstance(value, Site):
        return value
    if isinstance(value, (tuple, list)) and 2 <= len(value) <= 3 and \
            all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return parse_site(",".join(repr(float(v)) for v in value))
    if isinstance(value, str):
        return parse_site(value)
    raise UsageError(f"site={value!r} is not a site.\nFix: give a built-in site such as "
                     "'Lahore', 'lat,lon[,height_m]' such as '31.52,74.36,217', or a Site.")


@dataclass(frozen=True)
class Region:
    """A region asked for: its name, its W, E, S, N box (None: the world) and its polygon
    (None: the whole box)."""

    name: str
    extent: tuple[float, float, float, float] | None
    polygon: object = None
    polygons: dict = field(default_factory=dict)
    """Named parts to summarise (Pakistan's provinces for Pakistan)."""


def region(value) -> Region:
    """'world', 'pakistan', a province or territory ('Punjab', 'KP', ...), 'W,E,S,N', a
    (W, E, S, N) tuple or a shapely polygon."""
    from orbitview.data.regions import (
        PROVINCE_ABBREVIATIONS,
        REGIONS,
        pakistan_polygon,
        parse_region,
        province_polygons,
    )
    if value is None:
        value = "world"
    if hasattr(value, "geom_type"):
        w, s, e, n = value.bounds
        return Region("polygon", (w, e, s, n), value)
    if isinstance(value, (tuple, list)):
        value = ",".join(repr(float(v)) for v in value)
    if not isinstance(value, str):
        raise UsageError(f"region={value!r} is not a region.\nFix: give 'pakistan', a "
                         "province such as 'Punjab', 'W,E,S,N' or a shapely polygon.")
    key = value.strip().lower()
    if key == "pakistan":
        return Region("Pakistan", REGIONS["pakistan"], pakistan_polygon(), province_polygons())
    for name, abbr in PROVINCE_ABBREVIATIONS.items():
        if key in (name.lower(), abbr.lower()):
            poly = province_polygons()[name]
            w, s, e, n = poly.bounds
            pad = 0.3
            return Region(name, (w - pad, e + pad, s - pad, n + pad), poly, {name: poly})
    extent = parse_region(value)
    return Region("world" if extent is None else value.strip(), extent)


def target(value):
    """A :class:`~orbitview.data.targets.Target` from a built-in site, ``"lat,lon"``, a
    province, ``"Pakistan"``, a GeoJSON polygon file (str or Path), a ``(lat, lon)`` pair,
    a :class:`~orbitview.data.sites.Site`, a shapely (Multi)Polygon or a Target."""
    from orbitview.data.targets import (
        Target,
        area_target,
        parse_target,
        point_target,
        read_geojson_target,
    )
    if isinstance(value, Target):
        return value
    if isinstance(value, Site):
        return point_target(value.name, value.lat_deg, value.lon_deg, value.height_m,
                            value.source)
    if hasattr(value, "geom_type"):
        if value.geom_type not in ("Polygon", "MultiPolygon"):
            raise UsageError(f"target is a shapely {value.geom_type}, not an area.\nFix: give "
                             "a Polygon or MultiPolygon (lon/lat degrees), or (lat, lon) for "
                             "a point.")
        return area_target("polygon", value, source="a shapely polygon given in Python")
    if isinstance(value, Path):
        return read_geojson_target(value)
    if isinstance(value, (tuple, list)):
        where = site(value)
        return point_target(where.name, where.lat_deg, where.lon_deg, where.height_m,
                            "given in Python")
    if not isinstance(value, str):
        raise UsageError(f"target={value!r} is not a target.\nFix: give a built-in site "
                         "('Gwadar'), 'lat,lon', a province ('Sindh'), 'Pakistan', a GeoJSON "
                         "polygon file or a shapely polygon.")
    return parse_target(value)


# --------------------------------------------------------------------------- times

NAIVE_FIX = ("Fix: give the datetime a zone, either\n"
             "    datetime(2026, 9, 7, 10, 0, tzinfo=ZoneInfo('Asia/Karachi'))  # Pakistan time\n"
             "or\n"
             "    datetime(2026, 9, 7, 5, 0, tzinfo=timezone.utc)  # UTC\n"
             "(from datetime import datetime, timezone; from zoneinfo import ZoneInfo), or "
             "pass tz='Asia/Karachi' to read wall-clock times in that zone.")


def clock(tz: str | None = None, at_site: Site | None = None) -> Clock:
    """The zone local times are shown in: ``tz``, else a built-in site's zone, else UTC."""
    zone, why = choose_zone(tz, at_site, None)
    return Clock(zone, why)


def when(value, tz: str | None = None, at_site: Site | None = None,
         now: dt.datetime | None = None, option: str = "time") -> When:
    """An aware UTC instant (:class:`~orbitview.data.localtime.When`) from ``value``.

    Aware datetimes in any zone are converted; a naive datetime is refused with the two
    ways to fix it.  Strings go through the CLI's parser: an ISO time with an offset
    means what it says; one without an offset, a date, and the words ``today``,
    ``tonight``, ``tomorrow`` are read in ``tz``, else in the zone of a built-in
    ``at_site`` (Pakistan's sites: Asia/Karachi), else refused; ``now``, ``+2h`` and
    ``-30min`` need no zone.  skyfield ``Time`` (a single instant) is taken as it is.
    """
    if isinstance(value, When):
        return value
    if hasattr(value, "utc_datetime") and hasattr(value, "tt"):
        if getattr(value, "shape", ()) != ():
            raise UsageError(f"{option} is a skyfield Time array of {len(value)} instants.\n"
                             "Fix: give one instant (e.g. t[0]).")
        value = value.utc_datetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
            if tz is None:
                raise UsageError(f"{option} {value.isoformat(sep=' ')} has no time zone, so "
                                 "orbitview cannot tell which instant it is.\n" + NAIVE_FIX)
            aware, _ = localize(value, get_zone(tz), value.isoformat(sep=" "))
            value = aware
        t = value.astimezone(UTC)
        out = When(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond,
                   tzinfo=UTC)
        out.text = value.isoformat()
        return _supported(out, option)
    if isinstance(value, dt.date):
        if tz is None and (at_site is None or choose_zone(None, at_site, None)[1] == "default"):
            raise UsageError(f"{option} {value.isoformat()} is a date, and a day begins at a "
                             "different instant in each zone.\n"
                             "Fix: pass tz='Asia/Karachi' (or another zone), or a datetime "
                             "with a zone.")
        value = value.isoformat()
    if not isinstance(value, str):
        raise UsageError(f"{option}={value!r} is not a time.\nFix: give an aware datetime, an "
                         "ISO 8601 string with an offset (e.g. '2026-09-07T05:00Z'), 'now', "
                         "'+2h', or a skyfield Time.")
    zone, why = choose_zone(tz, at_site, None)
    t = parse_when(value, zone, at_site, now, option=option)
    if t.read_in is not None and why == "default":
        raise UsageError(f"{option} {value!r} has no UTC offset and no zone was given, so "
                         "orbitview cannot tell which instant it is.\n"
                         f"Fix: write it with an offset ('{value}Z' for UTC, '{value}+05:00' "
                         "for Pakistan), or pass tz='Asia/Karachi'.")
    return _supported(t, option)


def _supported(t: When, option: str) -> When:
    check_supported(t, t, option)
    if t.end_utc is not None:
        check_supported(t.end_utc, t.end_utc, option)
    return t


def span(start: When, end=None, hours: float | None = None, days: float | None = None,
         default_days: float = 1.0, tz: str | None = None, at_site: Site | None = None,
         most_days: float = 366.0) -> dt.datetime:
    """The end of a window from ``start``: ``end`` (a time), ``hours`` or ``days``
    (at most one), else the span a word names (``"tonight"``), else ``default_days``."""
    given = [n for n, v in (("end", end), ("hours", hours), ("days", days)) if v is not None]
    if len(given) > 1:
        raise UsageError(f"give one of end, hours and days, not {' and '.join(given)}.\n"
                         "Fix: keep the one that says how long the window is.")
    if end is not None:
        t1 = when(end, tz, at_site, option="end")
        if t1 < start:
            raise UsageError(f"end {t1:%Y-%m-%dT%H:%M:%SZ} is before start "
                             f"{start:%Y-%m-%dT%H:%M:%SZ}.\nFix: give an end after the start.")
        return t1
    for name, value, scale in (("hours", hours, 1 / 24), ("days", days, 1.0)):
        if value is None:
            continue
        number = _positive(value, name)
        if number * scale > most_days:
            raise UsageError(f"{name}={value!r} is more than {most_days:g} days.\n"
                             f"Fix: give a shorter window.")
        return start + dt.timedelta(days=number * scale)
    end_utc = getattr(start, "end_utc", None)
    if end_utc is not None:
        return end_utc
    return start + dt.timedelta(days=default_days)


def _positive(value, name: str) -> float:
    import math
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"{name}={value!r} is not a number.\nFix: give e.g. {name}=2.")
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"{name}={value!r} must be a positive finite number.\n"
                         f"Fix: give e.g. {name}=2.")
    return float(value)


def number(value, name: str, lo: float | None = None, hi: float | None = None,
           positive: bool = False) -> float:
    """A finite number within [lo, hi] (and > 0 with ``positive``), or a UsageError."""
    import math
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise UsageError(f"{name}={value!r} is not a number.\nFix: give a number.")
    v = float(value)
    if not math.isfinite(v) or (positive and v <= 0) or (lo is not None and v < lo) or \
            (hi is not None and v > hi):
        rng = (f" between {lo:g} and {hi:g}" if lo is not None and hi is not None else "")
        raise UsageError(f"{name}={value!r} is out of range.\nFix: give a finite "
                         f"{'positive ' if positive else ''}number{rng}.")
    return v


def strings(value) -> list[str]:
    """A string or an iterable of strings, as a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    return [str(value)]
