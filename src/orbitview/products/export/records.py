"""Plain records from orbitview's engines: what the HTML map, the exports and the animation draw.

Every view takes these records, never a propagation or a figure, so a track
in a KML file, a CZML packet, a GeoJSON feature and a marker on the HTML map
come from the same numbers.  Arrays are per time step; times are aware UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from orbitview.products.maps import COLOURS
from orbitview.util.errors import DataError, Problem, UsageError

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
    """(time, :class:`~orbitview.orbit.accuracy.ErrorBound`) every ``BOUND_STEP_S`` and at
    the end."""

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
    """90 % error bounds (orbitview.orbit.accuracy) of satellite ``i`` along the window."""
    from orbitview.orbit.accuracy import error_bound
    times = prop.times_utc
    if len(times) > 1:
        step = (times[1] - times[0]).total_seconds()
        every = max(1, int(round(BOUND_STEP_S / step)))
        picks = sorted({*range(0, len(times), every), len(times) - 1})
    else:
        picks = [0]
    history = prop.elements[i]
    record = prop.records[i] if prop.records else None
    return [(times[k], error_bound(history, float(prop.epoch_age_days[i, k]),
                                   held=hold is not None,
                                   element_set=history[int(prop.set_index[i, k])],
                                   record=record))
            for k in picks]


def tracks(prop, bounds: bool = True) -> list[Track]:
    """One :class:`Track` per satellite of a :class:`~orbitview.orbit.propagate.Propagation`.

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
        from orbitview.products.export.geo import ring_polygon
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
    (:func:`orbitview.access.footprint.footprints`); times where SGP4 failed are left out.
    """
    from orbitview.access.footprint import edge_rules, footprints
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


# --------------------------------------------------------------------------- the Sun

def subsolar_points(t) -> tuple[np.ndarray, np.ndarray]:
    """Geodetic latitude and longitude (deg) where the Sun stands at the zenith.

    The Earth-fixed Sun direction of :func:`orbitview.access.rules.sun_unit_itrs`
    (the one the imaging rule uses); the ellipsoid normal points along it at
    the geodetic latitude equal to the direction's own latitude.
    """
    from orbitview.access.rules import sun_unit_itrs
    x, y, z = sun_unit_itrs(t)
    return np.degrees(np.arcsin(np.clip(z, -1, 1))), np.degrees(np.arctan2(y, x))


# --------------------------------------------------------------------------- coverage

@dataclass(frozen=True)
class GridMetric:
    """One per-cell metric of a coverage grid, as ``coverage --metric`` names it."""

    option: str
    """The --metric value: ``percent``, ``max-revisit``, ..."""
    column: str
    """Its column in ``coverage --grid-csv`` and in the exports: ``coverage_percent``, ..."""
    label: str
    """What it measures with its unit: ``longest wait for an image (hours)``."""
    access: str
    """``radio`` or ``imaging``: the access kind whose coverage run computes it."""
    blank: str = ""
    """What a cell without a value means ('' when every cell has one)."""

    @property
    def units(self) -> str:
        return self.label.rsplit(" (", 1)[1].rstrip(")")

    @property
    def name(self) -> str:
        """The label without its unit."""
        return self.label.rsplit(" (", 1)[0]

    @property
    def cmap(self) -> str:
        """viridis where more is better (shares, counts), magma_r for waits."""
        return "viridis" if self.units.startswith("%") or self.units == "count" else "magma_r"


BLANK = {"first_image_h": "never imaged", "mean_revisit_h": "imaged fewer than twice",
         "daylight_share_pct": "never in reach, or no Sun limit (radar)"}
"""What an empty cell of an imaging grid means (radio grids have a value in every cell)."""
IMAGING_COLUMNS = ("opportunities", "first_image_h", "mean_revisit_h", "max_revisit_h",
                   "daylight_share_pct")
"""The imaging columns in the order ``coverage --grid-csv`` writes them."""


def _grid_metrics() -> dict[str, GridMetric]:
    from orbitview.access.coverage import METRICS as RADIO
    from orbitview.access.revisit import METRICS as IMAGING
    out = {column: GridMetric(option, column, label, "radio")
           for option, (column, label) in RADIO.items()}
    imaging = {column: GridMetric(option, column, label, "imaging", BLANK.get(column, ""))
               for option, (column, label) in IMAGING.items()}
    out.update({c: imaging[c] for c in IMAGING_COLUMNS})
    return out


GRID_METRICS = _grid_metrics()
"""Every metric a coverage grid may hold, by column: radio ones first, then imaging ones,
each kind in the order of its ``coverage --grid-csv`` columns."""
ACCESS_COLUMNS = {kind: [c for c, m in GRID_METRICS.items() if m.access == kind]
                  for kind in ("radio", "imaging")}


DEFAULT_METRIC = {"radio": "coverage_percent", "imaging": "max_revisit_h"}
"""The column shown first, as ``coverage`` maps ``percent`` or ``max-revisit`` by default."""


def grid_metric(option: str) -> GridMetric:
    """The metric named by ``--metric`` (``percent``, ``max-revisit``, ...)."""
    return next(m for m in GRID_METRICS.values() if m.option == option)


def metric_range(metric: GridMetric, values) -> tuple[float, float]:
    """The colour scale of a metric over a grid's values (the page and the exports share
    it): shares 0-100 % (or 0 to the largest when all are below 50 %), counts from 0,
    waits over the spread between cells (empty cells left out)."""
    values = np.asarray(values, float)
    finite = values[np.isfinite(values)]
    lo, hi = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 0.0)
    if metric.units.startswith("%"):
        return 0.0, (100.0 if hi > 50 else max(hi, 1e-9))
    if metric.units == "count":
        return 0.0, max(hi, 1.0)
    return (lo, hi) if hi > lo else (0.0, max(hi, 1.0))


def cell_value(metric: GridMetric, value):
    """A cell's value as written: a whole number for counts, 3 decimals otherwise, None
    where the cell has none."""
    value = float(value)
    if value != value:
        return None
    return int(round(value)) if metric.units == "count" else round(value, 3)


@dataclass
class CoverageCells:
    """Cell centres of a coverage grid with their metric values (NaN: no value)."""

    lat_deg: np.ndarray
    lon_deg: np.ndarray
    resolution_deg: float
    values: dict[str, np.ndarray]
    """By column (:data:`GRID_METRICS`), in the order of the grid CSV."""
    source: str
    access: str = "radio"
    """The access kind of the run: ``radio`` or ``imaging``."""
    rule: str = ""
    """The access rule the run used ('' when the grid does not say)."""
    note: str = ""
    """Assumed instrument values (``#`` line of an imaging grid CSV), or ''."""

    @property
    def metrics(self) -> list[GridMetric]:
        return [GRID_METRICS[c] for c in self.values]

    def describe_cell(self, k: int) -> dict:
        """Cell ``k`` for a balloon: {label with unit: value, or what no value means}, and
        the access kind."""
        out = {}
        for m, v in zip(self.metrics, self.values.values()):
            value = cell_value(m, v[k])
            out[m.label] = m.blank or "no value" if value is None else value
        return {**out, "access": self.access}


MAX_CELLS = 250_000
MAX_GRID_BYTES = 128 << 20
"""Largest grid CSV opened: MAX_CELLS rows with every column and a long rule are far less."""
"""Coverage cells in one export or map layer: a GeoJSON cell takes about 330 bytes, a KML
one 900; beyond this GIS tools and browsers no longer open the file comfortably."""


def check_cells(n_cells: int, what: str, fix: str, most: int = MAX_CELLS) -> None:
    """Refuse (usage error, exit 2) more than ``most`` cells, with ``fix``."""
    if n_cells > most:
        raise UsageError(f"{what} makes {n_cells:,} cells, more than the {most:,} a GIS "
                         f"file or an offline map stays usable with.\nFix: {fix}.")


def coverage_cells(result, rule: str = "", source: str = "", note: str = "") -> CoverageCells:
    """Cells of a :class:`~orbitview.access.coverage.CoverageResult` (radio access) or a
    :class:`~orbitview.access.revisit.RevisitResult` (imaging access): the columns
    ``coverage --grid-csv`` writes for it, NaN where a cell has no value; ``rule``
    describes the access rule used, ``note`` the assumed instrument values."""
    kind = "imaging" if hasattr(result, "max_revisit_h") else "radio"
    n = len(result.grid.cell_lat)
    values = {}
    for c in ACCESS_COLUMNS[kind]:
        v = getattr(result, c)
        values[c] = np.full(n, np.nan) if v is None else np.asarray(v, float)
    return CoverageCells(result.grid.cell_lat, result.grid.cell_lon,
                         float(result.grid.resolution_deg), values, source, kind, rule, note)


GRID_FIX = "write it again with 'orbitview coverage ... --grid-csv FILE'"


def read_grid_csv(path: Path | str) -> CoverageCells:
    """Cells written by ``orbitview coverage --grid-csv`` (radio or imaging access) or by
    ``orbitview export coverage`` as CSV; every bad row is reported with its line.

    The access kind comes from the columns; the assumed instrument values of an imaging
    run (the grid's note) and its rule come from the metadata beside the file
    (``FILE.csv.json``), or from the leading ``#`` lines older grid files begin with.  A
    value may be empty only where the metric can have none (a cell never imaged has no
    time to a first image).
    """
    import io

    from orbitview.products.export.sidecar import read_sidecar
    from orbitview.util.files import open_input
    path = Path(path)
    try:
        f = io.TextIOWrapper(open_input(path, what="coverage grid", max_bytes=MAX_GRID_BYTES,
                                        fix="give a CSV file written by 'orbitview coverage "
                                            "--grid-csv FILE'", option="--coverage"),
                             newline="", encoding="utf-8", errors="surrogateescape")
    except FileNotFoundError:
        raise UsageError(f"coverage grid {str(path)!r} not found.\n"
                         "Fix: make one with 'orbitview coverage --region pakistan "
                         "--grid-csv cells.csv' first.") from None
    notes, skipped = [], 0
    rows, problems, rule, resolution = [], [], "", None
    with f:
        line = f.readline()
        while line.startswith("#"):
            notes.append(_shown(line[1:].strip()))
            skipped += 1
            line = f.readline()
        reader = csv.DictReader(itertools.chain([line], f))
        kind, need = _grid_columns(path, skipped + 1, reader.fieldnames or [])
        metrics = [GRID_METRICS[c] for c in need[2:]]
        for row in reader:
            if len(rows) >= MAX_CELLS:
                raise UsageError(f"coverage grid {str(path)!r} holds more than {MAX_CELLS:,} "
                                 "cells, more than an offline map stays usable with.\nFix: "
                                 "write a coarser grid ('orbitview coverage --resolution ... "
                                 "--grid-csv FILE') or one over a smaller --region.")
            values, problem = _grid_row(row, metrics)
            if problem:
                problems.append(Problem(path, skipped + reader.line_num, problem, _shown(
                    ",".join(str(row.get(c)) for c in need)), GRID_FIX))
                continue
            rows.append(values)
            if not rule and row.get("rule"):
                rule = _shown(row["rule"])
            if resolution is None and row.get("resolution_deg"):
                resolution = _float(row["resolution_deg"])
    if not problems and not rows:
        problems.append(Problem(path, None, "the coverage grid has no cells", "", GRID_FIX))
    if problems:
        raise DataError(problems)
    side = read_sidecar(path)
    if not notes and isinstance(side.get("assumed"), str) and side["assumed"]:
        notes.append(_shown(side["assumed"]))
    if not rule and isinstance(side.get("rule"), str):
        rule = _shown(side["rule"])
    if resolution is None and isinstance(side.get("resolution_deg"), (int, float)):
        resolution = float(side["resolution_deg"])
    a = np.array(rows)
    if resolution is None or not 0 < resolution <= 10:
        resolution = _grid_step(a[:, 0], a[:, 1])
    return CoverageCells(a[:, 0], a[:, 1], resolution,
                         {c: a[:, 2 + k] for k, c in enumerate(need[2:])}, str(path), kind,
                         rule, " ".join(notes))


def _grid_columns(path, line: int, fields: list[str]) -> tuple[str, list[str]]:
    """(access kind, the columns read) of a grid CSV header: lat_deg, lon_deg and the
    metrics of radio or of imaging coverage; a DataError naming what is missing."""
    for kind, columns in ACCESS_COLUMNS.items():
        need = ["lat_deg", "lon_deg", *columns]
        if all(c in fields for c in need):
            return kind, need
    kind = max(ACCESS_COLUMNS, key=lambda k: sum(c in fields for c in ACCESS_COLUMNS[k]))
    need = ["lat_deg", "lon_deg", *ACCESS_COLUMNS[kind]]
    raise DataError([Problem(
        path, line, "a coverage grid needs the columns lat_deg, lon_deg and those of radio "
        f"access ({', '.join(ACCESS_COLUMNS['radio'])}) or of imaging access "
        f"({', '.join(ACCESS_COLUMNS['imaging'])}); missing "
        f"{', '.join(c for c in need if c not in fields)}",
        _shown(",".join(fields)), GRID_FIX)])


def _float(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _grid_row(row: dict, metrics: list[GridMetric]):
    """(values, None) of a grid CSV row, or (None, what is wrong)."""
    if any("\udc80" <= c <= "\udcff" for v in row.values() for c in str(v)):
        return None, "not UTF-8 text"
    lat, lon = _float(row.get("lat_deg")), _float(row.get("lon_deg"))
    if lat is None or lon is None:
        return None, "a value is not a number"
    if not (np.isfinite(lat) and np.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None, "latitude/longitude out of range or a value not finite"
    values = [lat, lon]
    for m in metrics:
        text = (row.get(m.column) or "").strip()
        if not text:
            if not m.blank:
                return None, (f"{m.column} is empty; 'orbitview coverage' writes it for "
                              "every cell")
            values.append(np.nan)
            continue
        v = _float(text)
        if v is None:
            return None, "a value is not a number"
        top = 100.0 if m.units == "% of time" else np.inf
        if not (np.isfinite(v) and 0 <= v <= top):
            return None, f"{m.column} {text} is not a number of {m.units} from 0 to {top:g}"
        values.append(v)
    return values, None


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
    """Imaging bands (:mod:`orbitview.access.swath`) of every imager in ``prop``, in pieces of
    ``piece_s`` seconds of track.  Satellites whose rule is not imaging get none."""
    from orbitview.access.swath import band_geometry, swath_edges
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


def pass_tracks(sats, rows, step_s: float = PASS_TRACK_STEP_S, hold: bool = True) -> list[dict]:
    """The sub-satellite track of each pass row from AOS to LOS (every ``step_s``, and LOS)."""
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale
    by_norad = {s.norad_id: s for s in sats}
    out = []
    for r in rows:
        span = (r["los_utc"] - r["aos_utc"]).total_seconds()
        offsets = [*np.arange(0.0, span, step_s), span]
        times = [r["aos_utc"] + dt.timedelta(seconds=float(x)) for x in offsets]
        p = propagate([by_norad[r["norad_id"]]], timescale().from_datetimes(times), hold=hold)
        out.append({"times_utc": times, "lat_deg": p.lat_deg[0], "lon_deg": p.lon_deg[0],
                    "altitude_km": p.altitude_km[0], "itrs_km": p.itrs_km[:, 0, :].T})
    return out
