"""Who can see which satellite from where: one visibility rule for everything.

:class:`VisibilityRule` (a minimum elevation plus an optional horizon mask)
is the only definition of "visible" in orbitview.  Passes, look angles,
footprints and coverage grids all call :func:`look_angles` and
:meth:`VisibilityRule.margin_deg`, so a footprint edge crosses a site at the
moment the pass list gives its AOS.

Ground points are WGS84 geodetic; their Earth-fixed positions come from
skyfield's ``wgs84.latlon``.  Elevation and azimuth are measured from the
local geodetic vertical (east-north-up), vectorised over sites and times.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError, Problem, UsageError

DEFAULT_MIN_ELEVATION_DEG = 10.0


# --------------------------------------------------------------------------- sites

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


# --------------------------------------------------------------------------- the rule

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


# --------------------------------------------------------------------------- one satellite

def _positions_km(sat, t) -> np.ndarray:
    """ITRS positions (3, n_time) of one satellite (nearest-epoch sets), km."""
    from .propagate import propagate
    return propagate([sat], t).itrs_km[:, 0, :]


def site_view(sat, site: Site, t):
    """(azimuth_deg, elevation_deg, range_km) of ``sat`` from ``site`` at Time array ``t``."""
    pos = site.itrs_km[:, None]
    enu = enu_basis(site.lat_deg, site.lon_deg)
    return look_angles(pos, enu, _positions_km(sat, t))


def _times(start: dt.datetime, seconds: np.ndarray):
    from .timeutil import timescale
    return timescale().utc(start.year, start.month, start.day, start.hour, start.minute,
                           start.second + start.microsecond / 1e6 + np.asarray(seconds, float))


# --------------------------------------------------------------------------- passes

PASS_SEARCH_STEP_S = 60.0
"""Sampling step of the pass search.  Events are refined by bisection, and every sampled
local maximum is refined too, so passes shorter than the step are still found."""
EVENT_TOLERANCE_S = 0.1


def find_passes(sat, site: Site, start: dt.datetime, end: dt.datetime,
                rule: VisibilityRule, step_s: float | None = None) -> list[dict]:
    """Every pass of ``sat`` over ``site`` between ``start`` and ``end``.

    A pass is an interval where :meth:`VisibilityRule.margin_deg` is >= 0.
    Each local maximum of the sampled margin is refined (golden section), so
    passes shorter than the sampling step are not missed; AOS and LOS are
    refined by bisection to ``EVENT_TOLERANCE_S``.  A pass in progress at
    ``start`` (or at ``end``) starts (ends) there and is flagged.
    """
    from .propagate import TemeToItrs
    span = (end - start).total_seconds()
    if span <= 0:
        raise UsageError("the pass search window is empty.\nFix: give --days > 0.")
    history = sat.require_elements()
    latest = history[-1]
    frame = TemeToItrs(start, end)
    t_start = _times(start, np.zeros(1))
    jd0 = float(np.atleast_1d(t_start.whole)[0])
    fr0 = float(np.atleast_1d(t_start.tai_fraction - t_start._leap_seconds() / 86400.0)[0])
    step = step_s or (PASS_SEARCH_STEP_S if not latest.is_deep_space else 300.0)
    n = int(np.ceil(span / step)) + 1
    sec = np.linspace(0.0, span, n)
    pos = site.itrs_km[:, None]
    enu = enu_basis(site.lat_deg, site.lon_deg)

    def look(seconds):
        seconds = np.asarray(seconds, float).ravel()
        xyz = frame.positions_km([history], np.full(seconds.shape, jd0),
                                 fr0 + seconds / 86400.0)[:, 0, :]
        return look_angles(pos, enu, xyz)

    def margin(seconds):
        seconds = np.asarray(seconds, float)
        az, el, _ = look(seconds)
        return rule.margin_deg(az, el).reshape(seconds.shape)

    def elevation(seconds):
        seconds = np.asarray(seconds, float)
        return look(seconds)[1].reshape(seconds.shape)

    f = margin(sec)
    f = np.where(np.isnan(f), -90.0, f)           # SGP4 failure: not visible
    above = f >= 0
    passes = []
    if not above.any():
        # Short passes between samples: refine the sampled local maxima.
        peaks = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:])) + 1
        if len(peaks):
            t_max, f_max = _golden_max(margin, sec[peaks - 1], sec[peaks + 1])
            for k, tm, fm in zip(peaks, t_max, f_max):
                if fm >= 0:
                    passes.append((sec[k - 1], tm, sec[k + 1], True))
        if not passes:
            return []
    else:
        # Runs of samples at or above the rule.
        edges = np.diff(above.astype(np.int8))
        rises = list(np.flatnonzero(edges == 1) + 1)
        sets = list(np.flatnonzero(edges == -1))
        if above[0]:
            rises.insert(0, 0)
        if above[-1]:
            sets.append(n - 1)
        for r, s in zip(rises, sets):
            passes.append((r, None, s, False))
        # Short passes hidden between samples (a local max below zero in the samples).
        peaks = np.flatnonzero((f[1:-1] > f[:-2]) & (f[1:-1] >= f[2:]) & (f[1:-1] < 0)) + 1
        if len(peaks):
            t_max, f_max = _golden_max(margin, sec[peaks - 1], sec[peaks + 1])
            for k, tm, fm in zip(peaks, t_max, f_max):
                if fm >= 0:
                    passes.append((sec[k - 1], tm, sec[k + 1], True))
    # Refine every AOS and every LOS in one vectorised bisection each.
    aos_lo, aos_hi, los_lo, los_hi, flags = [], [], [], [], []
    for a, tm, b, short in passes:
        if short:
            aos_lo.append(a), aos_hi.append(tm), los_lo.append(tm), los_hi.append(b)
            flags.append((False, False))
        else:
            started = a == 0 and above[0]
            ended = b == n - 1 and above[-1]
            aos_lo.append(sec[a - 1] if not started else 0.0)
            aos_hi.append(sec[a] if not started else 0.0)
            los_lo.append(sec[b] if not ended else span)
            los_hi.append(sec[b + 1] if not ended else span)
            flags.append((started, ended))
    aos_all = _bisect(margin, aos_lo, aos_hi)
    los_all = _bisect(margin, los_lo, los_hi, rising=False)
    rows = []
    for aos, los, (started, ended) in zip(aos_all, los_all, flags):
        rows.append([0.0 if started else aos, span if ended else los, started, ended])
    rows.sort()
    # Time of closest approach: the highest elevation within [AOS, LOS].
    aos_s = np.array([r[0] for r in rows])
    los_s = np.array([r[1] for r in rows])
    tca_s, _ = _golden_max(elevation, aos_s, los_s)
    t_all = _times(start, np.concatenate([aos_s, tca_s, los_s]))
    az, el, rng = site_view(sat, site, t_all)
    m = len(rows)
    sun_el = _sun_elevation(site, t_all[m:2 * m])
    from .propagate import propagate
    at_tca = propagate([sat], t_all[m:2 * m], sunlit=True)
    out = []
    for i, (aos, los, started, ended) in enumerate(rows):
        out.append({
            "norad_id": sat.norad_id, "name": sat.name,
            "aos_utc": start + dt.timedelta(seconds=float(aos)),
            "tca_utc": start + dt.timedelta(seconds=float(tca_s[i])),
            "los_utc": start + dt.timedelta(seconds=float(los)),
            "max_elevation_deg": round(float(el[m + i]), 2),
            "aos_azimuth_deg": round(float(az[i]), 1),
            "los_azimuth_deg": round(float(az[2 * m + i]), 1),
            "duration_s": round(float(los - aos), 1),
            "sunlit_at_tca": bool(at_tca.sunlit[0, i]),
            "site_sun_elevation_deg": round(float(sun_el[i]), 1),
            "epoch_age_days": round(float(at_tca.epoch_age_days[0, i]), 2),
            "in_progress_at_start": bool(started),
            "in_progress_at_end": bool(ended),
        })
    return out


def _bisect(f, lo, hi, rising: bool = True) -> np.ndarray:
    """Vectorised bisection of f's zero crossing in [lo, hi] (seconds)."""
    lo, hi = np.array(lo, float), np.array(hi, float)
    if lo.size == 0:
        return lo
    while np.max(hi - lo, initial=0) > EVENT_TOLERANCE_S:
        mid = (lo + hi) / 2
        fm = f(mid)
        up = (fm >= 0) if rising else (fm < 0)
        hi = np.where(up, mid, hi)
        lo = np.where(up, lo, mid)
    return (lo + hi) / 2


def _golden_max(f, lo, hi, tolerance_s: float = 0.2):
    """Vectorised golden-section search for the maximum of f on [lo, hi]."""
    g = (np.sqrt(5.0) - 1.0) / 2.0
    a, b = np.array(lo, float), np.array(hi, float)
    c = b - g * (b - a)
    d = a + g * (b - a)
    fc, fd = f(c), f(d)
    while np.max(b - a, initial=0) > tolerance_s:
        left = fc > fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        c_new = b - g * (b - a)
        d_new = a + g * (b - a)
        c, d = c_new, d_new
        fc, fd = f(c), f(d)
    t = (a + b) / 2
    return t, f(t)


def _sun_elevation(site: Site, t) -> np.ndarray:
    from skyfield.toposlib import wgs84
    from .timeutil import ephemeris
    eph = ephemeris()
    observer = eph["earth"] + wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    alt, _, _ = observer.at(t).observe(eph["sun"]).apparent().altaz()
    return np.atleast_1d(alt.degrees)


def geo_visibility(sat, site: Site, start, end, rule) -> dict | None:
    """For a satellite that never rises or sets: a note on its constant visibility."""
    t = _times(start, np.linspace(0, (end - start).total_seconds(), 49))
    az, el, _ = site_view(sat, site, t)
    margin = rule.margin_deg(az, el)
    if np.all(margin >= 0):
        return {"visible": "continuously", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    if np.all(margin < 0):
        return {"visible": "never", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    return None


# --------------------------------------------------------------------------- footprints

def footprint(sat_itrs_km: np.ndarray, sub_lat_deg: float, sub_lon_deg: float,
              rule: VisibilityRule, n_bearings: int = 180, tolerance_m: float = 50.0,
              bearings_deg=None, height_m: float = 0.0):
    """The ground boundary from which the satellite stands exactly at the rule's elevation.

    Solved along geodesic rays from the sub-satellite point (cartopy's
    ``Geodesic``) by bisection on :meth:`VisibilityRule.margin_deg`, so the
    edge agrees with the pass search (for ground points ``height_m`` above the
    ellipsoid).  Returns (lon_deg, lat_deg) arrays
    closed on themselves (first point repeated).
    """
    from cartopy.geodesic import Geodesic
    geod = Geodesic()
    bearings = (np.linspace(0.0, 360.0, n_bearings, endpoint=False) if bearings_deg is None
                else np.atleast_1d(np.asarray(bearings_deg, float)))
    n_bearings = len(bearings)
    start = np.array([[sub_lon_deg, sub_lat_deg]])
    pos = np.asarray(sat_itrs_km, float).reshape(3, 1)

    def margin(distance_m):
        pts = geod.direct(start, bearings, distance_m)
        lon, lat = pts[:, 0], pts[:, 1]
        site = ground_itrs_km(lat, lon, np.full_like(lat, height_m))
        az, el, _ = look_angles(site, enu_basis(lat, lon), pos)
        return rule.margin_deg(az, el), lon, lat

    lo = np.zeros(n_bearings)
    hi = np.full(n_bearings, 10_007_000.0)       # half a meridian: the far side of the Earth
    while np.max(hi - lo) > tolerance_m:
        mid = (lo + hi) / 2
        m, _, _ = margin(mid)
        inside = m >= 0
        lo = np.where(inside, mid, lo)
        hi = np.where(inside, hi, mid)
    _, lon, lat = margin((lo + hi) / 2)
    return np.append(lon, lon[0]), np.append(lat, lat[0]), (lo + hi) / 2


def central_angle_deg(altitude_km: float, min_elevation_deg: float,
                      earth_radius_km: float = 6371.0088) -> float:
    """Closed-form Earth central angle of a visibility circle on a spherical Earth."""
    eps = np.radians(min_elevation_deg)
    return float(np.degrees(np.arccos(earth_radius_km * np.cos(eps)
                                      / (earth_radius_km + altitude_km)) - eps))
