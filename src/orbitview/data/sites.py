"""Ground sites: WGS84 geodetic points, the built-in Pakistani sites, local frames.

Ground points are WGS84 geodetic; their Earth-fixed positions come from
skyfield's ``wgs84.latlon``.  :func:`enu_basis` gives the local east-north-up
frame that look angles are measured in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbitview.util.errors import DataError, Problem, UsageError


@dataclass(frozen=True)
class Site:
    """A ground site: WGS84 geodetic latitude/longitude (deg) and height (m)."""

    name: str
    lat_deg: float
    lon_deg: float
    height_m: float = 0.0
    source: str = ""

    @property
    def itrs_km(self) -> np.ndarray:
        return ground_itrs_km(np.array([self.lat_deg]), np.array([self.lon_deg]),
                              np.array([self.height_m]))[:, 0]

    def label(self) -> str:
        ns = "N" if self.lat_deg >= 0 else "S"
        ew = "E" if self.lon_deg >= 0 else "W"
        return (f"{self.name} ({abs(self.lat_deg):.4f}\u00b0{ns}, "
                f"{abs(self.lon_deg):.4f}\u00b0{ew}, {self.height_m:.0f} m)")


LAT_RANGE_DEG = (-90.0, 90.0)
LON_RANGE_DEG = (-180.0, 360.0)
"""Longitudes are accepted east-positive from -180 to 360 and stored in [-180, 180)."""
HEIGHT_RANGE_M = (-500.0, 9_000.0)
"""Heights above the WGS84 ellipsoid a ground site may have: the Dead Sea shore to above
Everest."""
SITES_COLUMNS = ("name", "lat_deg", "lon_deg", "height_m")


def check_coordinates(lat_deg: float, lon_deg: float, height_m: float) -> str | None:
    """What is wrong with a site's coordinates, or None."""
    values = (lat_deg, lon_deg, height_m)
    if not all(math.isfinite(v) for v in values):
        return "coordinates must be finite numbers"
    if not LAT_RANGE_DEG[0] <= lat_deg <= LAT_RANGE_DEG[1]:
        return f"latitude {lat_deg:g} is outside -90 to 90 degrees"
    if not LON_RANGE_DEG[0] <= lon_deg < LON_RANGE_DEG[1]:
        return f"longitude {lon_deg:g} is outside -180 to 360 degrees"
    if not HEIGHT_RANGE_M[0] <= height_m <= HEIGHT_RANGE_M[1]:
        return (f"height {height_m:g} m is outside {HEIGHT_RANGE_M[0]:g} to "
                f"{HEIGHT_RANGE_M[1]:g} m")
    return None


def read_sites(path: Path) -> tuple[dict[str, Site], list[Problem]]:
    """``sites.csv`` -> ({lower-case name: Site}, problems); bad rows are left out."""
    from orbitview.util.csvfile import read_csv
    fix = ("give name,lat_deg,lon_deg,height_m with WGS84 degrees (north and east "
           "positive) and metres, e.g. Islamabad,33.6844,73.0479,507")
    table = read_csv(path, SITES_COLUMNS, fix,
                     missing_fix="restore sites.csv from the orbitview package")
    sites: dict[str, Site] = {}
    problems = table.problems
    for line, row, raw in table.rows:
        name = row["name"]
        affects = [name.lower()] if name else []
        try:
            lat, lon, height = (float(row[c]) for c in ("lat_deg", "lon_deg", "height_m"))
        except ValueError:
            problems.append(Problem(path, line, "latitude, longitude and height must be "
                                    "numbers", raw, fix, affects))
            continue
        wrong = check_coordinates(lat, lon, height) or ("" if name else "the name is empty")
        if wrong:
            problems.append(Problem(path, line, wrong, raw, fix, affects))
        elif name.lower() in sites:
            problems.append(Problem(path, line, f"site {name!r} is listed twice", raw,
                                    "keep one row per site", affects))
        else:
            sites[name.lower()] = Site(name, lat, lon if lon < 180 else lon - 360, height,
                                       row.get("source", ""))
    return sites, problems


def load_sites(path: Path | None = None) -> dict[str, Site]:
    """The built-in Pakistani sites from ``sites.csv`` in the data directory.

    A bad row is left out; its problem is raised only when no row is usable
    (``orbitview data check`` lists every problem).
    """
    from orbitview.data.datadir import data_dir
    path = path or data_dir() / "sites.csv"
    sites, problems = read_sites(path)
    if problems and not sites:
        raise DataError(problems)
    return sites


def parse_lat_lon(text: str, what: str = "site") -> tuple[float, float, float] | None:
    """``LAT,LON[,HEIGHT_M]`` -> (lat_deg, lon_deg in [-180, 180), height_m); None when the
    text is not numbers (a name, then).  The one parser of typed coordinates, for sites
    and targets alike: numbers out of range are a UsageError naming the value, what was
    read from it, and the fix."""
    parts = str(text).split(",")
    if len(parts) not in (2, 3):
        return None
    try:
        lat, lon = float(parts[0]), float(parts[1])
        height = float(parts[2]) if len(parts) == 3 else 0.0
    except ValueError:
        return None
    wrong = check_coordinates(lat, lon, height)
    if wrong:
        read = f"latitude {lat:g}, longitude {lon:g}" + (f", height {height:g} m"
                                                          if len(parts) == 3 else "")
        swapped = (" (latitude comes first: did you mean "
                   f"{','.join([parts[1].strip(), parts[0].strip()] + parts[2:])}?)"
                   if not check_coordinates(lon, lat, height) else "")
        raise UsageError(f"{what} {text!r} (read as {read}): {wrong}.\nFix: give "
                         "LAT,LON[,HEIGHT_M] in degrees (north and east positive) and metres, "
                         f"such as 33.68,73.05,507{swapped}.")
    return lat, (lon if lon < 180 else lon - 360), height


def parse_site(text: str, sites: dict[str, Site] | None = None) -> Site:
    """A built-in site name (Islamabad, Karachi, ...) or ``LAT,LON[,HEIGHT_M]``.

    A name whose row in ``sites.csv`` is bad raises :class:`DataError` naming
    the file and line.
    """
    from orbitview.data.datadir import data_dir
    point = parse_lat_lon(text, "site")
    if point is not None:
        lat, lon, height = point
        return Site(f"{lat:.4f},{lon:.4f}", lat, lon, height, "given on the command line")
    key = text.strip().lower()
    if not key:
        raise UsageError("the site is empty.\nFix: give a built-in site such as Islamabad, or "
                         "LAT,LON[,HEIGHT_M] in degrees and metres, e.g. 33.68,73.05,507.")
    if sites is None:
        sites, problems = read_sites(data_dir() / "sites.csv")
        for p in problems:
            if key and key in p.affects:
                raise DataError([p])
    if key in sites:
        return sites[key]
    import difflib
    close = difflib.get_close_matches(key, list(sites), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(sites[c].name for c in close)}?" if close else ""
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise UsageError(
        f"unknown site {shown!r}.{hint}\n"
        f"Fix: use a built-in site ({', '.join(s.name for s in sites.values())}) or "
        "LAT,LON[,HEIGHT_M] in degrees and metres, e.g. 33.68,73.05,507.")


def ground_itrs_km(lat_deg, lon_deg, height_m) -> np.ndarray:
    """Earth-fixed positions (3, n) of WGS84 ground points, from skyfield's ``wgs84``."""
    from skyfield.toposlib import wgs84
    return wgs84.latlon(np.asarray(lat_deg, float), np.asarray(lon_deg, float),
                        np.asarray(height_m, float)).itrs_xyz.km


def enu_basis(lat_deg, lon_deg) -> np.ndarray:
    """Local east, north, up unit vectors (3 vectors x 3 components x n) at geodetic points."""
    lat = np.radians(np.asarray(lat_deg, float))
    lon = np.radians(np.asarray(lon_deg, float))
    sl, cl, so, co = np.sin(lat), np.cos(lat), np.sin(lon), np.cos(lon)
    zero = np.zeros_like(lat)
    east = np.array([-so, co, zero])
    north = np.array([-sl * co, -sl * so, cl])
    up = np.array([cl * co, cl * so, sl])
    return np.array([east, north, up])
