"""Seeing a satellite with your own eyes: sunlit satellite, dark sky, and how bright.

A pass row (from :func:`orbitview.access.passes.find_passes`) is *visible* where, at
the same instant, the satellite is in sunlight (propagate's ``sunlit`` flags),
the Sun at the site is below the twilight angle (civil -6, nautical -12,
astronomical -18 deg), and the satellite is above the minimum elevation (the
pass already guarantees it).  :func:`add_visibility` samples each pass at
:data:`SAMPLE_S` and records the visible part's start and end, when the
satellite enters (or leaves) the Earth's shadow, and the brightest moment.

Brightness uses the standard magnitude convention of McCants' and Molczan's
lists: the magnitude at 1,000 km range and 90 deg phase angle, scaled by
range and the phase law of a diffuse sphere.  Only objects with a recorded
standard magnitude (``magnitudes.csv`` in the data directory, each row with
its source) get one; the others get none rather than a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

TWILIGHT_DEG = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}
SAMPLE_S = 1.0
"""Sampling step inside a pass: edges of the visible part are known to this (s)."""
MAGNITUDE_COLUMNS = ("norad_id", "name", "standard_magnitude", "convention", "source")


@dataclass(frozen=True)
class StandardMagnitude:
    norad_id: int
    name: str
    value: float
    source: str


def load_magnitudes(path=None) -> dict[int, StandardMagnitude]:
    """Standard magnitudes by NORAD number from ``magnitudes.csv`` (missing file: none)."""
    from orbitview.data.datadir import data_dir
    from orbitview.util.errors import DataError, Problem
    path = path or data_dir() / "magnitudes.csv"
    if not path.is_file():
        return {}
    out, problems = {}, []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in reader:
            try:
                norad, value = int(row["norad_id"]), float(row["standard_magnitude"])
                if not (math.isfinite(value) and -10 < value < 20) or not row.get("source"):
                    raise ValueError
            except (KeyError, TypeError, ValueError):
                problems.append(Problem(path, reader.line_num, "not a valid standard magnitude "
                                        "row", str(row), "give norad_id, standard_magnitude "
                                        "(-10 to 20) and the source of the value"))
                continue
            out[norad] = StandardMagnitude(norad, row.get("name", ""), value, row["source"])
    if problems:
        raise DataError(problems)
    return out


def diffuse_sphere_phase(phase_angle_deg):
    """Brightness of a diffuse sphere at a phase angle, relative to 90 deg (1 at 90 deg)."""
    phi = np.radians(phase_angle_deg)
    return (np.sin(phi) + (np.pi - phi) * np.cos(phi))


def apparent_magnitude(standard_magnitude: float, range_km, phase_angle_deg):
    """Magnitude at ``range_km`` and phase angle from the standard one (1,000 km, 90 deg)."""
    f = np.maximum(diffuse_sphere_phase(phase_angle_deg), 1e-9)
    return standard_magnitude + 5.0 * np.log10(np.asarray(range_km) / 1000.0) - 2.5 * np.log10(f)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [a, b] of consecutive True values."""
    if not mask.any():
        return []
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    return list(zip(starts, ends))


def sample_pass(sat, site, aos: dt.datetime, los: dt.datetime, step_s: float = SAMPLE_S,
                hold: bool = True):
    """Per-sample arrays over one pass: times, el, az, range, sunlit, sun el, phase angle."""
    from skyfield.toposlib import wgs84

    from orbitview.access.rules import look_angles
    from orbitview.data.ephemeris import ephemeris
    from orbitview.data.sites import enu_basis
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale
    span = max((los - aos).total_seconds(), 0.0)
    seconds = np.arange(0.0, span + 1e-9, step_s)
    if seconds[-1] < span:
        seconds = np.append(seconds, span)
    ts = timescale()
    t = ts.utc(aos.year, aos.month, aos.day, aos.hour, aos.minute,
               aos.second + aos.microsecond / 1e6 + seconds)
    prop = propagate([sat], t, sunlit=True, hold=hold)
    sat_km = prop.itrs_km[:, 0, :]
    site_km = site.itrs_km[:, None]
    az, el, rng = look_angles(site_km, enu_basis(site.lat_deg, site.lon_deg), sat_km)
    eph = ephemeris()
    observer = eph["earth"] + wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    sun_alt = observer.at(t).observe(eph["sun"]).apparent().altaz()[0].degrees
    # Phase angle: Sun - satellite - observer, from Earth-fixed vectors.
    sun_itrs_km = (eph["sun"] - eph["earth"]).at(t).frame_xyz(_itrs()).km
    to_sun = sun_itrs_km - sat_km
    to_obs = site_km - sat_km
    cos_phase = np.sum(to_sun * to_obs, axis=0) / (np.linalg.norm(to_sun, axis=0)
                                                   * np.linalg.norm(to_obs, axis=0))
    phase = np.degrees(np.arccos(np.clip(cos_phase, -1.0, 1.0)))
    times = [aos + dt.timedelta(seconds=float(s)) for s in seconds]
    return {"times": times, "seconds": seconds, "elevation_deg": el, "azimuth_deg": az,
            "range_km": rng, "sunlit": prop.sunlit[0], "sun_elevation_deg": np.atleast_1d(sun_alt),
            "phase_angle_deg": phase}


def _itrs():
    from skyfield.framelib import itrs
    return itrs


def add_visibility(rows: list[dict], sat, site, twilight: str = "civil",
                   magnitudes: dict | None = None, hold: bool = True) -> list[dict]:
    """Add naked-eye visibility to pass rows of one satellite (rows are changed in place).

    Every sample lies between AOS and LOS, so it already meets the pass's
    visibility rule (minimum elevation, horizon mask).

    Keys added: ``visible`` (bool), ``visible_start_utc``/``visible_end_utc`` (the
    longest visible stretch), ``visible_s``, ``shadow_entry_utc``/``shadow_exit_utc``
    (first change of sunlight within the pass, or None), ``max_visible_elevation_deg``,
    ``magnitude`` (brightest, None without a standard magnitude) and its
    ``magnitude_source``.
    """
    limit = TWILIGHT_DEG[twilight]
    std = (magnitudes or {}).get(sat.norad_id)
    for row in rows:
        if row.get("tca_utc") is None:            # continuously visible GEO row
            row.update(visible=False, visible_start_utc=None, visible_end_utc=None,
                       visible_s=0.0, shadow_entry_utc=None, shadow_exit_utc=None,
                       max_visible_elevation_deg=None, magnitude=None, magnitude_source=None)
            continue
        s = sample_pass(sat, site, row["aos_utc"], row["los_utc"], hold=hold)
        mask = s["sunlit"] & (s["sun_elevation_deg"] < limit)
        runs = _runs(mask)
        lit = s["sunlit"].astype(np.int8)
        change = np.flatnonzero(np.diff(lit))
        entry = next((s["times"][k + 1] for k in change if lit[k] == 1), None)
        exit_ = next((s["times"][k + 1] for k in change if lit[k] == 0), None)
        row.update(shadow_entry_utc=entry, shadow_exit_utc=exit_)
        if not runs:
            row.update(visible=False, visible_start_utc=None, visible_end_utc=None,
                       visible_s=0.0, max_visible_elevation_deg=None, magnitude=None,
                       magnitude_source=None)
            continue
        a, b = max(runs, key=lambda r: r[1] - r[0])
        seg = slice(a, b + 1)
        row.update(visible=True, visible_start_utc=s["times"][a], visible_end_utc=s["times"][b],
                   visible_s=round(float(s["seconds"][b] - s["seconds"][a]), 1),
                   max_visible_elevation_deg=round(float(np.max(s["elevation_deg"][seg])), 1))
        if std is not None:
            mags = apparent_magnitude(std.value, s["range_km"][seg], s["phase_angle_deg"][seg])
            row.update(magnitude=round(float(np.min(mags)), 1), magnitude_source=std.source)
        else:
            row.update(magnitude=None, magnitude_source=None)
    return rows


def compass(azimuth_deg: float | None) -> str:
    """'N', 'NNE', ... 'NNW' (16 points); '' for None."""
    if azimuth_deg is None or azimuth_deg != azimuth_deg:
        return ""
    points = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
              "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")
    return points[int((float(azimuth_deg) % 360.0) / 22.5 + 0.5) % 16]


def direction(row: dict) -> str:
    """'SW -> NE' from a pass row's AOS and LOS azimuths ('' when unknown)."""
    a, b = compass(row.get("aos_azimuth_deg")), compass(row.get("los_azimuth_deg"))
    return f"{a}\u2192{b}" if a and b else ""
