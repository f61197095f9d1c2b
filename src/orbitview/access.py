"""Who can see which satellite from where: one visibility rule for everything.

:class:`VisibilityRule` (a minimum elevation plus an optional horizon mask)
is the only definition of "visible" in orbitview.  Passes, look angles,
footprints and coverage grids all call :func:`look_angles` and
:meth:`VisibilityRule.margin_deg`, so a footprint edge crosses a site at the
moment the pass list gives its AOS.

Elevation and azimuth are measured from the local geodetic vertical
(east-north-up, :func:`~orbitview.sites.enu_basis`), vectorised over sites
and times.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError, Problem, UsageError

DEFAULT_MIN_ELEVATION_DEG = 10.0


@dataclass
class HorizonMask:
    """Minimum elevation by azimuth, linearly interpolated (azimuth wraps at 360)."""

    azimuth_deg: np.ndarray
    min_elevation_deg: np.ndarray
    source: str = ""

    def __call__(self, azimuth_deg):
        return np.interp(np.mod(azimuth_deg, 360.0), self.azimuth_deg,
                         self.min_elevation_deg, period=360.0)

    @classmethod
    def read(cls, path: Path | str) -> "HorizonMask":
        """Read a CSV with columns ``azimuth_deg,min_elevation_deg``."""
        path = Path(path)
        problems = []
        az, el = [], []
        try:
            with open(path, newline="") as f:
                reader = csv.DictReader(f)
                if reader.fieldnames is None or not {"azimuth_deg", "min_elevation_deg"} <= \
                        set(reader.fieldnames):
                    raise DataError([Problem(path, 1, "a horizon mask needs the columns "
                                             "azimuth_deg,min_elevation_deg",
                                             ",".join(reader.fieldnames or []),
                                             "write a header line azimuth_deg,min_elevation_deg")])
                for row in reader:
                    try:
                        a, e = float(row["azimuth_deg"]), float(row["min_elevation_deg"])
                    except (TypeError, ValueError):
                        problems.append(Problem(path, reader.line_num, "not two numbers",
                                                str(row), "give degrees, e.g. 90,12.5"))
                        continue
                    if not (0 <= a < 360 and -5 <= e <= 90):
                        problems.append(Problem(path, reader.line_num,
                                                f"azimuth {a} or elevation {e} out of range",
                                                str(row), "azimuth in [0, 360), elevation in "
                                                "[-5, 90] degrees"))
                        continue
                    az.append(a)
                    el.append(e)
        except FileNotFoundError:
            raise UsageError(f"horizon mask file {str(path)!r} not found.\n"
                             "Fix: give the path of a CSV with azimuth_deg,min_elevation_deg."
                             ) from None
        if not problems and not az:
            problems.append(Problem(path, None, "the mask has no rows", "",
                                    "add at least one azimuth_deg,min_elevation_deg row"))
        if problems:
            raise DataError(problems)
        order = np.argsort(az)
        return cls(np.array(az)[order], np.array(el)[order], str(path))


@dataclass
class VisibilityRule:
    """Visible means elevation >= max(min_elevation_deg, mask(azimuth))."""

    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG
    mask: HorizonMask | None = None

    def required_deg(self, azimuth_deg):
        required = np.full(np.shape(azimuth_deg), float(self.min_elevation_deg))
        if self.mask is not None:
            required = np.maximum(required, self.mask(azimuth_deg))
        return required

    def margin_deg(self, azimuth_deg, elevation_deg):
        """Elevation above what the rule requires (>= 0: visible)."""
        return elevation_deg - self.required_deg(azimuth_deg)

    @property
    def lowest_deg(self) -> float:
        low = float(self.min_elevation_deg)
        return low if self.mask is None else max(low, float(self.mask.min_elevation_deg.min()))

    def describe(self) -> str:
        text = f"elevation >= {self.min_elevation_deg:g}\u00b0"
        return text + (f" and horizon mask {self.mask.source}" if self.mask else "")


def look_angles(site_itrs_km: np.ndarray, enu: np.ndarray, sat_itrs_km: np.ndarray):
    """Azimuth, elevation (deg) and range (km) from sites to satellites.

    ``site_itrs_km`` (3, n_site), ``enu`` (3, 3, n_site) from :func:`enu_basis`,
    ``sat_itrs_km`` (3, ...) broadcastable against (3, n_site).
    """
    d = sat_itrs_km - site_itrs_km
    e = np.einsum("i...,i...->...", enu[0], d)
    n = np.einsum("i...,i...->...", enu[1], d)
    u = np.einsum("i...,i...->...", enu[2], d)
    horizontal = np.hypot(e, n)
    elevation = np.degrees(np.arctan2(u, horizontal))
    azimuth = np.degrees(np.arctan2(e, n)) % 360.0
    return azimuth, elevation, np.sqrt(horizontal * horizontal + u * u)


def central_angle_deg(altitude_km: float, min_elevation_deg: float,
                      earth_radius_km: float = 6371.0088) -> float:
    """Closed-form Earth central angle of a visibility circle on a spherical Earth."""
    eps = np.radians(min_elevation_deg)
    return float(np.degrees(np.arccos(earth_radius_km * np.cos(eps)
                                      / (earth_radius_km + altitude_km)) - eps))
