"""Plain records from orbitview's engines: what the HTML map, the exports and the animation draw.

Every view takes these records, never a propagation or a figure, so a track
in a KML file, a CZML packet, a GeoJSON feature and a marker on the HTML map
come from the same numbers.  Arrays are per time step; times are aware UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DataError, Problem, UsageError
from ..maps import COLOURS

GEO_DRIFT_DEG = 5.0
"""A deep-space satellite whose sub-point stays within this box is drawn as geostationary."""


@dataclass
class Track:
    """One satellite's positions over a window, with the element sets behind them."""

    name: str
    norad_id: int
    cospar_id: str
    colour: str
    times_utc: list[dt.datetime]
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    altitude_km: np.ndarray
    itrs_km: np.ndarray
    """Earth-fixed (ITRS) position, shape (n_time, 3), km; NaN where SGP4 failed."""
    epoch_age_days: np.ndarray
    element_index: np.ndarray
    """Index into :attr:`elements` of the set used at each time."""
    elements: list[dict]
    """The element sets used: epoch_utc, source, origin, line1, line2."""
    is_geo: bool
    sgp4_errors: list[str] = field(default_factory=list)
    hold: str = ""
    """How a stale geostationary position was held at its slot ('' when it was not)."""
    bounds: list[tuple[dt.datetime, object]] = field(default_factory=list)
    """(time, :class:`~orbitview.accuracy.ErrorBound`) every ``BOUND_STEP_S`` and at the end."""

    @property
    def seconds(self) -> np.ndarray:
        """Seconds since the first time."""
        t0 = self.times_utc[0]
        return np.array([(t - t0).total_seconds() for t in self.times_utc])

    @property
    def valid(self) -> np.ndarray:
        return ~np.isnan(self.lat_deg)


def element_dict(es) -> dict:
    return {"epoch_utc": es.epoch, "source": es.source, "origin": es.origin,
            "line1": es.line1, "line2": es.line2}


BOUND_STEP_S = 1800.0
"""Spacing of the error bounds carried by a track (they change slowly with age)."""


def _bounds(prop, i: int, hold) -> list:
    """90 % error bounds (orbitview.accuracy) of satellite ``i`` along the window."""
    from ..accuracy import error_bound
    times = prop.times_utc
    if len(times) > 1:
        step = (times[1] - times[0]).total_seconds()
        every = max(1, int(round(BOUND_STEP_S / step)))
        picks = sorted({*range(0, len(times), every), len(times) - 1})
    else:
        picks = [0]
    history = prop.elements[i]
    return [(times[k], error_bound(history, float(prop.epoch_age_days[i, k]),
                                   held=hold is not None,
                                   element_set=history[int(prop.set_index[i, k])]))
            for k in picks]


def tracks(prop, bounds: bool = True) -> list[Track]:
    """One :class:`Track` per satellite of a :class:`~orbitview.propagate.Propagation`.

    With ``bounds`` each track carries the 90 % error bounds of its positions.
    """
    times = prop.times_utc
    holds = getattr(prop, "holds", None) or [None] * len(prop.names)
    out = []
    for i, name in enumerate(prop.names):
        history = prop.elements[i]
        used, index = np.unique(prop.set_index[i], return_inverse=True)
        lat, lon = prop.lat_deg[i], prop.lon_deg[i]
        ok = ~np.isnan(lat)
        is_geo = bool(history[-1].is_deep_space and ok.any()
                      and np.ptp(lon[ok]) < GEO_DRIFT_DEG
                      and np.abs(lat[ok]).max() < GEO_DRIFT_DEG)
        out.append(Track(
            name=name, norad_id=int(prop.norad_ids[i]), cospar_id=history[-1].cospar_id,
            colour=COLOURS[i % len(COLOURS)], times_utc=times, lat_deg=lat, lon_deg=lon,
            altitude_km=prop.altitude_km[i], itrs_km=prop.itrs_km[:, i, :].T,
            epoch_age_days=prop.epoch_age_days[i], element_index=index.reshape(-1),
            elements=[element_dict(history[int(k)]) for k in used], is_geo=is_geo,
            sgp4_errors=[m for m in prop.messages[i] if "SGP4 error" in m],
            hold=(f"{holds[i].describe(float(np.nanmax(np.abs(prop.epoch_age_days[i]))))} "
                  f"(station-kept: {holds[i].evidence})" if holds[i] else ""),
            bounds=_bounds(prop, i, holds[i]) if bounds else []))
    return out


# --------------------------------------------------------------------------- footprints

@dataclass
class FootprintSeries:
    """A satellite's footprint edge at a series of times (rings not closed)."""

    name: str
    norad_id: int
    colour: str
    times_utc: list[dt.datetime]
    sub_lat_deg: np.ndarray
    sub_lon_deg: np.ndarray
    altitude_km: np.ndarray
    ring_lon_deg: np.ndarray
    """(n_time, n_bearings): edge points along bearings 0, 360/n, ... from north."""
    ring_lat_deg: np.ndarray
    epoch_age_days: np.ndarray
    rule: str
    kind: str = "radio"
    """``radio`` (visibility circle) or ``imaging`` (field of regard, Sun left out)."""
    inner_lon_deg: np.ndarray | None = None
    """A radar's near edge (n_time, n_bearings): access lies between it and the ring."""
    inner_lat_deg: np.ndarray | None = None

    def shape(self, k: int):
        """The footprint at time ``k`` as a shapely (Multi)Polygon (a band for a radar)."""
        from .geo import ring_polygon
        outer = ring_polygon(self.ring_lon_deg[k], self.ring_lat_deg[k], self.sub_lat_deg[k])
        if self.inner_lon_deg is None:
            return outer
        return outer.difference(ring_polygon(self.inner_lon_deg[k], self.inner_lat_deg[k],
                                             self.sub_lat_deg[k]))


FOOTPRINT_BEARINGS = 48
"""Edge points per footprint: a 2000 km circle then sags < 5 km between points."""
FOOTPRINT_TOLERANCE_M = 500.0


def rule_of(rule, norad_id: int):
    """The rule that applies to one satellite, or None when the run leaves it out."""
    if not hasattr(rule, "for_satellite"):
        return rule
    try:
        return rule.for_satellite(int(norad_id))
    except KeyError:
        return None


def footprint_series(prop, rule, every: int = 1,
                     n_bearings: int = FOOTPRINT_BEARINGS) -> list[FootprintSeries]:
    """Footprints under ``rule`` at every ``every``-th time of ``prop`` (and its last).

    ``rule`` is one access rule or a fleet's (each satellite its own, e.g. an
    imager's field of regard); satellites the rule leaves out get no series.
    Each satellite's times are solved in one vectorised bisection
    (:func:`orbitview.footprint.footprints`); times where SGP4 failed are left out.
    """
    from ..footprint import edge_rules, footprints
    n_time = prop.lat_deg.shape[1]
    pick = np.unique(np.r_[np.arange(0, n_time, max(1, int(every))), n_time - 1])
    times = prop.times_utc
    out = []
    for i, name in enumerate(prop.names):
        own = rule_of(rule, prop.norad_ids[i])
        if own is None:
            continue
        lat, lon = prop.lat_deg[i, pick], prop.lon_deg[i, pick]
        keep = ~np.isnan(lat)
        outer, inner = edge_rules(own)
        rings = []
        for edge in (outer, inner):
            ring = (np.empty((0, n_bearings)),) * 2
            if edge is not None and keep.any():
                ring = footprints(prop.itrs_km[:, i, pick][:, keep], lat[keep], lon[keep],
                                  edge, n_bearings, FOOTPRINT_TOLERANCE_M)
            rings.append(ring if edge is not None else (None, None))
        (ring_lon, ring_lat), (inner_lon, inner_lat) = rings
        out.append(FootprintSeries(
            name=name, norad_id=int(prop.norad_ids[i]), colour=COLOURS[i % len(COLOURS)],
            times_utc=[times[j] for j in pick[keep]], sub_lat_deg=lat[keep],
            sub_lon_deg=lon[keep], altitude_km=prop.altitude_km[i, pick][keep],
            ring_lon_deg=ring_lon, ring_lat_deg=ring_lat,
            epoch_age_days=prop.epoch_age_days[i, pick][keep], rule=own.describe(),
            kind=getattr(own, "kind", "radio"), inner_lon_deg=inner_lon, inner_lat_deg=inner_lat))
    return out


# --------------------------------------------------------------------------- passes

SITE_COLUMNS = ["site", "site_lat_deg", "site_lon_deg", "site_height_m"]


def site_passes(sats, sites, start: dt.datetime, end: dt.datetime, rule):
    """Passes of every satellite over every site: (rows, notes).

    Rows are :func:`orbitview.passes.find_passes` rows with the site's name
    and position added, sorted by AOS.  A satellite that never rises or sets
    (geostationary) gets a note instead of rows.
    """
    from ..passes import find_passes, geo_visibility
    rows, notes = [], []
    for site in sites:
        where = {"site": site.name, "site_lat_deg": site.lat_deg,
                 "site_lon_deg": site.lon_deg, "site_height_m": site.height_m}
        for sat in sats:
            own = rule_of(rule, sat.norad_id)
            if own is None:
                continue
            if sat.latest.is_deep_space:
                state = geo_visibility(sat, site, start, end, own)
                if state is not None:
                    notes.append({**where, "norad_id": sat.norad_id, "name": sat.name,
                                  "text": f"{sat.name} is {state['visible']} visible from "
                                          f"{site.name} ({own.describe()}): elevation "
                                          f"{state['min_elevation_deg']:.1f} to "
                                          f"{state['max_elevation_deg']:.1f} deg"})
                    continue
            rows += [{**where, **r} for r in find_passes(sat, site, start, end, own)]
    rows.sort(key=lambda r: (r["aos_utc"], r["site"]))
    from ..output import round_event_times      # the same whole seconds as 'orbitview passes'
    return round_event_times(rows), notes


# --------------------------------------------------------------------------- the Sun

def subsolar_points(t) -> tuple[np.ndarray, np.ndarray]:
    """Geodetic latitude and longitude (deg) where the Sun stands at the zenith.

    The Earth-fixed Sun direction of :func:`orbitview.access.sun_unit_itrs`
    (the one the imaging rule uses); the ellipsoid normal points along it at
    the geodetic latitude equal to the direction's own latitude.
    """
    from ..access import sun_unit_itrs
    x, y, z = sun_unit_itrs(t)
    return np.degrees(np.arcsin(np.clip(z, -1, 1))), np.degrees(np.arctan2(y, x))


# --------------------------------------------------------------------------- coverage

COVERAGE_METRICS = ("coverage_percent", "accesses", "max_gap_min", "mean_gap_min")
COVERAGE_LABELS = {"coverage_percent": "coverage (% of time)", "accesses": "accesses (count)",
                   "max_gap_min": "longest revisit gap (minutes)",
                   "mean_gap_min": "mean revisit gap (minutes)"}


@dataclass
class CoverageCells:
    """Cell centres of a coverage grid with their metric values."""

    lat_deg: np.ndarray
    lon_deg: np.ndarray
    resolution_deg: float
    values: dict[str, np.ndarray]
    source: str


MAX_CELLS = 250_000
"""Coverage cells in one export or map layer: a GeoJSON cell takes about 330 bytes, a KML
one 900; beyond this GIS tools and browsers no longer open the file comfortably."""


def check_cells(n_cells: int, what: str, fix: str) -> None:
    """Refuse (usage error, exit 2) more than :data:`MAX_CELLS` cells, with ``fix``."""
    if n_cells > MAX_CELLS:
        raise UsageError(f"{what} makes {n_cells:,} cells, more than the {MAX_CELLS:,} a GIS "
                         f"file or an offline map stays usable with.\nFix: {fix}.")


def coverage_cells(result, source: str = "") -> CoverageCells:
    """Cells of a :class:`~orbitview.coverage.CoverageResult`."""
    return CoverageCells(result.grid.cell_lat, result.grid.cell_lon,
                         float(result.grid.resolution_deg),
                         {m: np.asarray(getattr(result, m), float) for m in COVERAGE_METRICS},
                         source)


def read_grid_csv(path: Path | str) -> CoverageCells:
    """Cells written by ``orbitview coverage --grid-csv``; every bad row is reported."""
    path = Path(path)
    need = ["lat_deg", "lon_deg", *COVERAGE_METRICS]
    fix = "write it again with 'orbitview coverage ... --grid-csv FILE'"
    try:
        f = open(path, newline="", encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise UsageError(f"coverage grid {str(path)!r} not found.\n"
                         "Fix: make one with 'orbitview coverage --region pakistan "
                         "--grid-csv cells.csv' first.") from None
    problems, rows = [], []
    with f:
        reader = csv.DictReader(f)
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError([Problem(path, 1, f"a coverage grid needs the columns "
                                     f"{', '.join(need)}; missing {', '.join(missing)}",
                                     _shown(",".join(reader.fieldnames or [])), fix)])
        for row in reader:
            if len(rows) >= MAX_CELLS:
                raise UsageError(f"coverage grid {str(path)!r} holds more than {MAX_CELLS:,} "
                                 "cells, more than an offline map stays usable with.\nFix: "
                                 "write a coarser grid ('orbitview coverage --resolution ... "
                                 "--grid-csv FILE') or one over a smaller --region.")
            raw = ",".join(str(v) for v in row.values())
            if any("\udc80" <= c <= "\udcff" for c in raw):
                problems.append(Problem(path, reader.line_num, "not UTF-8 text", _shown(raw),
                                        fix))
                continue
            try:
                values = [float(row[c]) for c in need]
            except (TypeError, ValueError):
                problems.append(Problem(path, reader.line_num, "a value is not a number",
                                        ",".join(str(row.get(c)) for c in need), fix))
                continue
            if not all(np.isfinite(values)) or not (-90 <= values[0] <= 90
                                                     and -180 <= values[1] <= 180):
                problems.append(Problem(path, reader.line_num,
                                        "latitude/longitude out of range or a value not finite",
                                        ",".join(row[c] for c in need), fix))
                continue
            rows.append(values)
    if not problems and not rows:
        problems.append(Problem(path, None, "the coverage grid has no cells", "", fix))
    if problems:
        raise DataError(problems)
    a = np.array(rows)
    return CoverageCells(a[:, 0], a[:, 1], _grid_step(a[:, 0], a[:, 1]),
                         {m: a[:, 2 + k] for k, m in enumerate(COVERAGE_METRICS)}, str(path))


def _shown(text: str) -> str:
    """Text read with ``surrogateescape``, undecodable bytes shown as ``\\xff``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _grid_step(lat, lon) -> float:
    """The grid's cell size: the smallest spacing between distinct centres."""
    steps = [np.diff(np.unique(np.round(v, 6))) for v in (lat, lon)]
    steps = np.concatenate([s[s > 1e-6] for s in steps])
    return float(np.round(steps.min(), 6)) if len(steps) else 1.0


# --------------------------------------------------------------------------- swaths

@dataclass
class SwathBand:
    """A piece of an imager's band along its track over [start_utc, end_utc]."""

    name: str
    norad_id: int
    colour: str
    band: str
    """``field_of_regard`` (``..._left``/``..._right`` for a radar) or ``nadir_swath``."""
    start_utc: dt.datetime
    end_utc: dt.datetime
    geometry: object
    """shapely (Multi)Polygon in longitude/latitude, within [-180, 180]."""
    rule: str
    assumptions: tuple = ()


SWATH_PIECE_S = 600.0
"""Length of track one band piece covers: pieces carry times, so viewers can animate them."""


def swath_bands(prop, rule, piece_s: float = SWATH_PIECE_S) -> list[SwathBand]:
    """Imaging bands (:mod:`orbitview.swath`) of every imager in ``prop``, in pieces of
    ``piece_s`` seconds of track.  Satellites whose rule is not imaging get none."""
    from ..swath import band_geometry, swath_edges
    times = prop.times_utc
    step = (times[1] - times[0]).total_seconds() if len(times) > 1 else piece_s
    every = max(1, int(round(piece_s / step)))
    starts = list(range(0, max(len(times) - 1, 1), every))
    out = []
    for i, name in enumerate(prop.names):
        own = rule_of(rule, prop.norad_ids[i])
        if own is None or getattr(own, "kind", "radio") != "imaging":
            continue
        edges = swath_edges(prop.lat_deg[i], prop.lon_deg[i], prop.itrs_km[:, i, :], own)
        bands = edges["field_of_regard"]
        labels = (["field_of_regard"] if len(bands) == 1 else
                  [f"field_of_regard_{side}" for side in
                   (("left", "right") if own.sides == "both" else (own.sides,))])
        pairs = list(zip(labels, bands))
        if edges["nadir_swath"] is not None:
            pairs.append(("nadir_swath", edges["nadir_swath"]))
        for label, (left, right) in pairs:
            for a in starts:
                b = min(a + every, len(times) - 1)
                part = slice(a, b + 1)
                geom = band_geometry((left[0][part], left[1][part]),
                                     (right[0][part], right[1][part]))
                if geom.is_empty:
                    continue
                out.append(SwathBand(name, int(prop.norad_ids[i]), COLOURS[i % len(COLOURS)],
                                     label, times[a], times[b], geom, own.describe(),
                                     tuple(getattr(own, "assumptions", ()))))
    return out


# --------------------------------------------------------------------------- pass tracks

PASS_TRACK_STEP_S = 10.0


def pass_tracks(sats, rows, step_s: float = PASS_TRACK_STEP_S) -> list[dict]:
    """The sub-satellite track of each pass row from AOS to LOS (every ``step_s``, and LOS)."""
    from ..propagate import propagate
    from ..timeutil import timescale
    by_norad = {s.norad_id: s for s in sats}
    out = []
    for r in rows:
        span = (r["los_utc"] - r["aos_utc"]).total_seconds()
        offsets = [*np.arange(0.0, span, step_s), span]
        times = [r["aos_utc"] + dt.timedelta(seconds=float(x)) for x in offsets]
        p = propagate([by_norad[r["norad_id"]]], timescale().from_datetimes(times))
        out.append({"times_utc": times, "lat_deg": p.lat_deg[0], "lon_deg": p.lon_deg[0],
                    "altitude_km": p.altitude_km[0], "itrs_km": p.itrs_km[:, 0, :].T})
    return out
