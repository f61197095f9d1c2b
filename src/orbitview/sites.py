"""Ground sites: WGS84 geodetic points, the built-in Pakistani sites, local frames.

Ground points are WGS84 geodetic; their Earth-fixed positions come from
skyfield's ``wgs84.latlon``.  :func:`enu_basis` gives the local east-north-up
frame that look angles are measured in.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import UsageError

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
        return (f"{self.name} ({self.lat_deg:.4f}\u00b0N, {self.lon_deg:.4f}\u00b0E, "
                f"{self.height_m:.0f} m)")


def load_sites(path: Path | None = None) -> dict[str, Site]:
    """The built-in Pakistani sites from ``sites.csv`` in the data directory."""
    from .datadir import data_dir
    path = path or data_dir() / "sites.csv"
    out: dict[str, Site] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out[row["name"].lower()] = Site(row["name"], float(row["lat_deg"]),
                                            float(row["lon_deg"]), float(row["height_m"]),
                                            row.get("source", ""))
    return out


def parse_site(text: str) -> Site:
    """A built-in site name (Islamabad, Karachi, ...) or ``LAT,LON[,HEIGHT_M]``."""
    sites = load_sites()
    key = text.strip().lower()
    if key in sites:
        return sites[key]
    parts = text.split(",")
    if len(parts) in (2, 3):
        try:
            lat, lon = float(parts[0]), float(parts[1])
            height = float(parts[2]) if len(parts) == 3 else 0.0
        except ValueError:
            pass
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 360):
                raise UsageError(f"site {text!r}: latitude must be within +-90 and longitude "
                                 "within +-180 degrees.\nFix: give LAT,LON[,HEIGHT_M] such as "
                                 "33.68,73.05,507.")
            lon = lon if lon < 180 else lon - 360
            return Site(f"{lat:.4f},{lon:.4f}", lat, lon, height,
                        "given on the command line")
    import difflib
    close = difflib.get_close_matches(key, list(sites), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(sites[c].name for c in close)}?" if close else ""
    raise UsageError(
        f"unknown site {text!r}.{hint}\n"
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
