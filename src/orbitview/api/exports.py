"""Answers for other tools: ground tracks and imaging swaths with their geometry, and every
answer with geometry as a file for GIS, Google Earth, CesiumJS, pandas or xarray.

:func:`tracks` and :func:`swaths` answer where the satellites go and what their imagers
can reach over a window; :func:`export` turns those answers, and those of
:func:`~orbitview.api.observe.footprints`, :func:`~orbitview.api.observe.passes`,
:func:`~orbitview.api.imaging.opportunities` and :func:`~orbitview.api.coverage.coverage`,
into the bytes of a file (GeoJSON, KML, CZML, CSV, GeoPackage, NetCDF), and :func:`write`
writes them (a CSV with its metadata beside it).  ``orbitview export`` calls the same
functions, so the command's file and the library's bytes are the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from orbitview.api import inputs
from orbitview.api.common import launch_notes, notes_of
from orbitview.api.filemeta import coverage_meta, file_meta, names_text
from orbitview.api.question import Question
from orbitview.api.results import Result, element_info, require
from orbitview.api.rules import Choice, choose
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

if TYPE_CHECKING:
    from orbitview.api.rules import AccessRule
    from orbitview.orbit.sgp4run import Propagation

DEFAULT_HOURS = 6.0
"""Length of a window of tracks, footprints, swaths or passes when none is given."""
MAX_SAMPLES = 2_000_000
"""Satellite-time samples in one answer for a file: beyond it files grow past what viewers
open."""
SAMPLES_WHY = "an export holds (beyond it files grow past what viewers open)"

KINDS = ("tracks", "footprints", "swaths", "coverage", "passes", "opportunities")
"""What can be exported, by the question that answers it."""
TEXT_FORMATS = {"geojson": (".geojson", ".json"), "kml": (".kml",), "czml": (".czml",),
                "csv": (".csv",)}
BINARY_FORMATS = {"gpkg": (".gpkg",), "netcdf": (".nc",)}
FORMATS = {**TEXT_FORMATS, **BINARY_FORMATS}
"""Every file format, with the file name endings that name it (the first is the usual one)."""
LAYERS = {"tracks": ("tracks", "samples"), "footprints": ("footprints",),
          "swaths": ("swaths",), "coverage": ("coverage_cells",),
          "passes": ("passes", "sites"), "opportunities": ("opportunities",)}
"""The GeoPackage layers of each kind: one geometry type each."""


# --------------------------------------------------------------------------- tracks

@dataclass(eq=False, repr=False)
class Tracks(Result):
    """Ground tracks over a window: one row per satellite and time (the columns of
    ``orbitview export tracks --format csv``: sub-point, altitude, Earth-fixed x, y, z,
    element set and 90 % bound), and per satellite its track as one MultiLineString cut
    at the antimeridian, as every export cuts it."""

    propagation: Propagation | None = None
    tracks: list = field(default_factory=list)
    """One :class:`~orbitview.products.export.records.Track` per satellite."""

    kind = "track points"

    # A property over Result's field, which mypy refuses ("Dataclass attribute may only be
    # overridden by another attribute"); it works: __init__ sets the field through the
    # setter, and the rows are built from the tracks when first read.
    @property  # type: ignore[misc]
    def rows(self) -> list[dict]:
        """One row per satellite and valid time, time-major (built when first read)."""
        if self._rows is None:
            from orbitview.products.export.tabular import track_rows
            self._rows: list[dict] | None = track_rows(self.tracks)
        return self._rows

    @rows.setter
    def rows(self, value) -> None:
        self._rows = list(value) if value else None

    def summary(self) -> str:
        p = self.propagation
        assert p is not None                    # tracks() sets it
        return (f"tracks of {names_text(p.names)}, {iso(p.times_utc[0])} to "
                f"{iso(p.times_utc[-1])} every {self.meta['step_s']:g} s")

    def geometries(self):
        """Each row's sub-satellite point (shapely Point, longitude and latitude)."""
        from shapely.geometry import Point
        return [Point(r["lon_deg"], r["lat_deg"]) for r in self.rows]

    def line_rows(self) -> list[dict]:
        """One row per satellite: its name, NORAD and COSPAR numbers, window, oldest
        element age (days), the 90 % bound at the end and the slot it is held at."""
        import numpy as np

        from orbitview.products.export.geojson import bound_at
        out = []
        for tr in self.tracks:
            ages = np.abs(tr.epoch_age_days)
            out.append({"norad_id": tr.norad_id, "name": tr.name, "cospar_id": tr.cospar_id,
                        "start_utc": tr.times_utc[0], "end_utc": tr.times_utc[-1],
                        "points": int(tr.valid.sum()),
                        "max_epoch_age_days": round(float(np.nanmax(ages)), 3)
                        if np.isfinite(ages).any() else None,
                        "error_bound": bound_at(tr, tr.times_utc[-1])[1], "hold": tr.hold,
                        "sgp4_errors": "; ".join(tr.sgp4_errors)})
        return out

    def lines(self) -> list:
        """Each satellite's track as a shapely MultiLineString (longitude, latitude) cut at
        the antimeridian; None where SGP4 failed all along."""
        from shapely.geometry import MultiLineString

        from orbitview.products.export.geo import split_line
        out = []
        for tr in self.tracks:
            parts = [list(zip(p[0], p[1])) for p in split_line(tr.lon_deg, tr.lat_deg)]
            parts = [p for p in parts if len(p) >= 2]
            out.append(MultiLineString(parts) if parts else None)
        return out

    def to_geodataframe(self, points: bool = False):
        """A GeoDataFrame (EPSG:4326): one MultiLineString per satellite
        (:meth:`line_rows`), or with ``points`` one Point per row."""
        if points:
            return super().to_geodataframe()
        gpd = require("geopandas", "to_geodataframe()")
        pd = require("pandas", "to_geodataframe()")
        frame = pd.DataFrame.from_records(self.line_rows())
        for c in ("start_utc", "end_utc"):
            frame[c] = pd.to_datetime(frame[c], utc=True)
        out = gpd.GeoDataFrame(frame, geometry=self.lines(), crs="EPSG:4326")
        out.attrs.update(self.provenance())
        return out

    def to_xarray(self):
        """The positions on (satellite, time), as :meth:`Positions.to_xarray` gives them."""
        from orbitview.api.observe import Positions
        return Positions([], [], self.elements, self.notes, self.meta,
                         propagation=self.propagation).to_xarray()


def tracks(satellites, start="now", end=None, *, hours: float | None = None,
           days: float | None = None, step_s: float = 60.0,
           max_samples: float = MAX_SAMPLES, elements=None, hold: bool = True,
           tz: str | None = None, now: dt.datetime | None = None, catalog=None) -> Tracks:
    """Where ``satellites`` go from ``start`` (default: now) for ``hours`` or ``days``
    (default 6 h; or until ``end``), every ``step_s`` seconds: a :class:`Tracks` of
    sub-satellite points (WGS84 degrees, altitude km, Earth-fixed km) with the element
    set and 90 % bound behind each, and per satellite its track cut at the antimeridian
    (``to_geodataframe()``: lines; ``to_geodataframe(points=True)``: points).  More than
    ``max_samples`` satellites x times is refused before any work.

    >>> import orbitview as ov
    >>> t = ov.tracks(["PRSS-1", "HS-1"], "2026-11-21T00:00Z", hours=3, step_s=60)
    >>> t.to_geodataframe().length                                     # doctest: +SKIP
    >>> ov.write(t, "tracks.gpkg")                                     # doctest: +SKIP
    """
    from orbitview.api.common import window_grid
    from orbitview.orbit.propagate import propagate
    from orbitview.products.export.records import tracks as track_records
    q = Question.of(elements, None, hold, tz, catalog)
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=DEFAULT_HOURS / 24.0,
                     tz=q.sources.tz)
    step = inputs.number(step_s, "step_s", 0.01, 86_400.0)
    sats = q.satellites(satellites)
    t = window_grid(sats, t0, t1, step, max_samples, SAMPLES_WHY)
    _, said = launch_notes(sats, t0, t1)
    prop = propagate(sats, t, hold=q.hold)
    meta = {"start": t0, "end": t1, "step_s": step, "hold": q.hold,
            "satellites": list(prop.names)}
    return Tracks([], list(_track_columns()), [element_info(s, t0, t1, q.hold)
                                                 for s in sats],
                  q.notes + said + notes_of(prop), meta, list(q.left_out),
                  propagation=prop, tracks=track_records(prop))


def _track_columns() -> list[str]:
    from orbitview.products.export.tabular import TRACK_COLUMNS
    return TRACK_COLUMNS


# --------------------------------------------------------------------------- swaths

SWATH_COLUMNS = ["norad_id", "name", "band", "start_utc", "end_utc", "rule", "assumed"]


@dataclass(eq=False, repr=False)
class Swaths(Result):
    """Imaging bands along the tracks: per imager, band (field of regard, a radar's left
    and right, the nadir swath) and piece of track, its start and end and the rule, with
    the band as a MultiPolygon in longitude/latitude (cut at the antimeridian)."""

    propagation: Propagation | None = None
    bands: list = field(default_factory=list)
    """One :class:`~orbitview.products.export.records.SwathBand` per row."""
    rule: AccessRule | None = None
    choice: Choice | None = None

    kind = "swath pieces"

    def summary(self) -> str:
        m = self.meta
        return (f"{len(self.rows)} swath pieces of {names_text(m['satellites'])}, "
                f"{iso(m['start'])} to {iso(m['end'])} ({m['rule']})")

    def geometries(self):
        """Each piece of band as a shapely MultiPolygon (longitude, latitude)."""
        return [_multi(b.geometry) for b in self.bands]


def _multi(shape):
    """A (Multi)Polygon as a MultiPolygon (one geometry type in a layer)."""
    from shapely.geometry import MultiPolygon
    if shape is None or shape.geom_type == "MultiPolygon":
        return shape
    return MultiPolygon([shape])


def swaths(satellites, start="now", end=None, *, hours: float | None = None,
           days: float | None = None, step_s: float = 60.0,
           max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
           piece_s: float | None = None, max_samples: float = MAX_SAMPLES, elements=None,
           sensors=None, hold: bool = True, tz: str | None = None,
           now: dt.datetime | None = None, catalog=None) -> Swaths:
    """The imaging bands of ``satellites`` along their tracks from ``start`` (default:
    now) for ``hours`` or ``days`` (default 6 h; or until ``end``), the edges every
    ``step_s`` seconds, in pieces of ``piece_s`` seconds of track (default 600: pieces
    carry times, so viewers can animate them): each instrument's field of regard
    (``max_off_nadir_deg`` replaces it; a radar's left and right) and nadir swath.
    Satellites without an imager are left out and named in the notes; none left is
    refused.

    >>> import orbitview as ov
    >>> bands = ov.swaths(["PRSS-1", "PRSC-S1"], "2026-11-21T00:00Z", hours=3)
    >>> bands.to_geodataframe().plot()                                 # doctest: +SKIP
    """
    from orbitview.api.common import window_grid
    from orbitview.orbit.propagate import propagate
    from orbitview.products.export.records import SWATH_PIECE_S, swath_bands
    q = Question.of(elements, sensors, hold, tz, catalog)
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=DEFAULT_HOURS / 24.0,
                     tz=q.sources.tz)
    step = inputs.number(step_s, "step_s", 0.01, 86_400.0)
    piece = inputs.number(piece_s if piece_s is not None else SWATH_PIECE_S, "piece_s",
                          positive=True)
    every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
    sats = q.satellites(satellites)
    choice = choose(sats, q.sensors(), "imaging", max_off_nadir_deg=max_off_nadir_deg,
                    min_sun_deg=min_sun_deg, leave_out_damaged=every)
    rule, used = choice.rule, choice.used
    t = window_grid(used, t0, t1, step, max_samples, SAMPLES_WHY)
    _, said = launch_notes(used, t0, t1)
    prop = propagate(used, t, hold=q.hold)
    bands = swath_bands(prop, rule, piece)
    rows = [{"norad_id": b.norad_id, "name": b.name, "band": b.band,
             "start_utc": b.start_utc, "end_utc": b.end_utc, "rule": b.rule,
             "assumed": "; ".join(b.assumptions)} for b in bands]
    meta = {"start": t0, "end": t1, "step_s": step, "piece_s": piece,
            "rule": rule.describe(), "access": choice.access_words, "hold": q.hold,
            "assumptions": choice.assumption_note, "satellites": list(prop.names)}
    return Swaths(rows, list(SWATH_COLUMNS), [element_info(s, t0, t1, q.hold) for s in used],
                  q.notes + said + notes_of(prop) + choice.notes, meta,
                  q.left_out + choice.left_out, propagation=prop, bands=bands, rule=rule,
                  choice=choice)


# --------------------------------------------------------------------------- files

def kind_of(result) -> str:
    """Which export ``result`` is: tracks, footprints, swaths, coverage, passes or
    opportunities (a :class:`UsageError` for an answer that has no file form)."""
    name = type(result).__name__
    kind = {"Tracks": "tracks", "Footprints": "footprints", "Swaths": "swaths",
            "CoverageGrid": "coverage", "RevisitGrid": "coverage", "PassTable": "passes",
            "Opportunities": "opportunities"}.get(name)
    if kind is None:
        raise UsageError(f"a {name} is not one of the answers orbitview writes as files.\n"
                         "Fix: give the answer of ov.tracks, ov.footprints, ov.swaths, "
                         "ov.coverage, ov.passes or ov.opportunities.")
    return kind


def format_for(path, fmt: str | None = None) -> str:
    """The format of ``path`` (from its ending), or ``fmt`` checked against it: any ending
    that names no other format will do (``fmt="geojson"`` with ``out.dat``)."""
    suffix = Path(path).suffix.lower()
    found = [f for f, endings in FORMATS.items() if suffix in endings]
    if fmt is None:
        if not found:
            raise UsageError(f"cannot tell the format from {str(path)!r}.\nFix: give "
                             f"fmt= ({', '.join(FORMATS)}) or end the name with "
                             + ", ".join(e[0] for e in FORMATS.values()) + ".")
        return found[0]
    check_format(fmt)
    if found and fmt not in found:
        raise UsageError(f"the format is {fmt} but the file {str(path)!r} ends with "
                         f"{suffix}, which names {found[0]}.\nFix: name it *{FORMATS[fmt][0]}.")
    return fmt


def check_format(fmt: str) -> str:
    """``fmt`` if orbitview writes it and what it needs is installed: a GeoPackage needs
    geopandas and pyogrio, NetCDF xarray and netCDF4 (the ``analysis`` extra); a
    :class:`UsageError` naming the extra otherwise."""
    if fmt not in FORMATS:
        raise UsageError(f"format {fmt!r} is not one orbitview writes.\nFix: give one of "
                         f"{', '.join(FORMATS)}.")
    needs = {"gpkg": ("geopandas", "pyogrio"), "netcdf": ("xarray", "netCDF4")}
    for module in needs.get(fmt, ()):
        require(module, "a GeoPackage" if fmt == "gpkg" else "a NetCDF file")
    return fmt


def _colours(result) -> dict:
    """The colour of each satellite (by NORAD number), in the order it was asked for."""
    from orbitview.products.maps import COLOURS
    norads = [e.norad_id for e in result.elements]
    return {k: COLOURS[i % len(COLOURS)] for i, k in enumerate(norads)}


def _window(result) -> tuple[dt.datetime, dt.datetime]:
    m = result.meta
    if "at" in m:
        return m["at"], m.get("end") or m["at"]
    return m["start"], m["end"]


def written_names(result, kind: str | None = None) -> list[str]:
    """The satellites a file of ``result`` holds (not those an imaging rule left out):
    every satellite of tracks, footprints and coverage; the imagers with a band; the
    satellites with a pass or an opportunity (those searched when none was found)."""
    kind = kind or kind_of(result)
    if kind == "tracks":
        return list(result.propagation.names)
    if kind == "footprints":
        return [fs.name for fs in result.series if fs is not None]
    if kind == "coverage":
        return list(result.meta["satellites"])
    if kind == "swaths":
        return list(dict.fromkeys(b.name for b in result.bands)) or result.meta["satellites"]
    rows = pass_rows(result) if kind == "passes" else result.rows
    asked = [e.name for e in result.elements]
    present = {r["name"] for r in rows}
    return [n for n in asked if n in present] or asked


def pass_rows(table) -> list[dict]:
    """The passes of a :class:`~orbitview.api.observe.PassTable` a file holds: those that
    cross the sky (a geostationary satellite in view all along has no pass track; its
    note says so), each with its site."""
    return [r for r in table.rows if r.get("tca_utc") is not None]


def pass_columns(table) -> list[str]:
    from orbitview.api.observe import SITE_COLUMNS
    return SITE_COLUMNS + [c for c in table.columns if c not in SITE_COLUMNS]


def meta_of(result, kind: str | None = None) -> dict:
    """What a file of ``result`` says about itself (:func:`~orbitview.api.filemeta
    .file_meta`)."""
    kind = kind or kind_of(result)
    if kind == "coverage":
        return coverage_meta(result)
    start, end = _window(result)
    m = result.meta
    names = written_names(result, kind)
    if kind == "tracks":
        return file_meta(kind, result, start, end, names, step_s=m["step_s"])
    rule_text = f"{m['access']}: {m['rule']}" if kind in ("footprints", "passes") else \
        m["rule"]
    extra = {"step_s": m["step_s"]} if m.get("step_s") is not None else {}
    if kind == "opportunities":
        extra["summary"] = result.seen
    return file_meta(kind, result, start, end, names, rule_text,
                     m.get("assumptions") or "", **extra)


def export(result, fmt: str = "geojson", *, points: bool = False,
           metric: str | None = None) -> bytes:
    """The bytes of ``result`` as a file in ``fmt``: ``geojson`` (RFC 7946, one geometry
    type per file: lines, or with ``points`` time-stamped points, for tracks and passes),
    ``kml`` (Google Earth animates it), ``czml`` (CesiumJS plays it), ``csv`` (numbers,
    shapes as WKT), ``gpkg`` (a GeoPackage, one layer per geometry type) or ``netcdf``
    (coverage grids, CF-1.8).  ``metric`` (a coverage metric, ``--metric`` name) colours
    KML and CZML cells (default: the answer's).

    >>> import orbitview as ov
    >>> data = ov.export(ov.tracks("PRSS-1", "2026-11-21T00:00Z", hours=3), "kml")
    ... # doctest: +SKIP
    """
    import importlib
    kind = kind_of(result)
    check_format(fmt)
    if points and fmt != "geojson":
        holds = "both" if fmt in ("gpkg", "kml", "czml") else "its rows"
        raise UsageError(f"points=True chooses between lines and points in a GeoJSON file; "
                         f"a {fmt} file holds {holds}.\nFix: leave points out, or write "
                         "GeoJSON.")
    if points and kind not in ("tracks", "passes"):
        raise UsageError(f"points=True applies to tracks and passes; a {kind} file has one "
                         "geometry type already.\nFix: leave points out.")
    meta = meta_of(result, kind)
    if fmt == "gpkg":
        from orbitview.products.export.gpkg import to_bytes as gpkg_bytes
        return gpkg_bytes(layers(result, kind), meta)
    if fmt == "netcdf":
        from orbitview.products.export.netcdf import to_bytes as netcdf_bytes
        return netcdf_bytes(_grid_dataset(result, kind), history(result, kind))
    writer = importlib.import_module(
        f"orbitview.products.export.{'tabular' if fmt == 'csv' else fmt}")
    geojson = fmt == "geojson"
    if kind == "tracks":
        if geojson:
            return writer.tracks(result.tracks, meta, lines=not points, points=points)
        return writer.tracks(result.tracks, meta)
    if kind == "footprints":
        series = [fs for fs in result.series if fs is not None]
        return writer.footprints(series, meta, multi=True) if geojson else \
            writer.footprints(series, meta)
    if kind == "swaths":
        return writer.swaths(result.bands, meta, multi=True) if geojson else \
            writer.swaths(result.bands, meta)
    if kind == "coverage":
        from orbitview.products.export.records import coverage_cells, grid_metric
        m = result.meta
        cells = coverage_cells(result.run, m["rule"], note=m.get("assumptions") or "")
        shown = grid_metric(_metric_option(result, metric))
        return writer.coverage(cells, meta, shown.column)
    colours = _colours(result)
    if kind == "passes":
        columns = pass_columns(result)
        rows = [{**{c: r.get(c) for c in columns}, "_colour": colours.get(r["norad_id"])}
                for r in pass_rows(result)]
        if geojson and points:
            return writer.pass_points(rows, tca_points(result, rows), meta)
        segments = pass_segments(result, rows)
        sites = result.meta.get("sites") or [result.meta["site"]]
        if geojson:
            return writer.passes(rows, segments, sites, meta, site_points=False)
        if fmt == "csv":
            return writer.passes(rows, segments, sites, meta, columns=columns)
        return writer.passes(rows, segments, sites, meta)
    rows = [{**r, "_colour": colours.get(r["norad_id"])} for r in result.rows]
    return writer.opportunities(rows, meta)


def _metric_option(result, metric: str | None) -> str:
    from orbitview.api.coverage import metric_name
    return metric_name(metric or result.meta["metric"], result.access)


def pass_segments(table, rows) -> list[dict]:
    """The sub-satellite track of each pass row, AOS to LOS every 10 s."""
    from orbitview.products.export.records import pass_tracks
    return pass_tracks(table.satellites, rows, hold=table.meta["hold"])


def tca_points(table, rows) -> list[tuple[float, float, float]]:
    """(longitude, latitude, height km) of the satellite at each pass's TCA."""
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale
    out: list = [None] * len(rows)
    by_norad = {s.norad_id: s for s in table.satellites}
    for norad in dict.fromkeys(r["norad_id"] for r in rows):
        index = [i for i, r in enumerate(rows) if r["norad_id"] == norad]
        t = timescale().from_datetimes([rows[i]["tca_utc"] for i in index])
        p = propagate([by_norad[norad]], t, hold=table.meta["hold"])
        for k, i in enumerate(index):
            out[i] = (float(p.lon_deg[0, k]), float(p.lat_deg[0, k]),
                      float(p.altitude_km[0, k]))
    return out


def history(result, kind: str) -> str:
    """The CF ``history`` line: what made the file, from what, over which window."""
    from orbitview.util.version import __version__
    start, end = _window(result)
    return (f"orbitview {__version__}: {kind} of {names_text(written_names(result, kind))}, "
            f"{iso(start)} to {iso(end)}")


def _grid_dataset(result, kind: str):
    if kind != "coverage":
        raise UsageError(f"NetCDF holds grids: coverage and revisit, not {kind}.\nFix: write "
                         f"{kind} as gpkg, geojson or csv (ov.write(result, '{kind}.gpkg')).")
    ds = result.to_xarray()
    ds.attrs["access_rule"] = f"{result.meta['access']}: {result.meta['rule']}"
    return ds


def _frame(rows, columns, geometry):
    gpd = require("geopandas", "a GeoPackage")
    pd = require("pandas", "a GeoPackage")
    frame = pd.DataFrame.from_records([{c: r.get(c) for c in columns} for r in rows],
                                      columns=columns)
    for c in columns:
        if frame[c].map(lambda v: isinstance(v, dt.datetime)
                        and v.utcoffset() == dt.timedelta(0)).any():
            frame[c] = pd.to_datetime(frame[c], utc=True)
    return gpd.GeoDataFrame(frame, geometry=list(geometry), crs="EPSG:4326")


def layers(result, kind: str | None = None) -> dict:
    """The GeoDataFrames of a GeoPackage of ``result``, by layer name (:data:`LAYERS`):
    one geometry type each."""
    from shapely.geometry import MultiLineString, Point
    kind = kind or kind_of(result)
    require("geopandas", "a GeoPackage")
    require("pyogrio", "a GeoPackage")
    if kind == "tracks":
        lines = result.to_geodataframe()
        samples = _frame(result.rows, result.columns, result.geometries())
        return {"tracks": lines, "samples": samples}
    if kind == "footprints":
        rows = [r for r, (i, k) in zip(result.rows, result.cells) if k is not None]
        shapes = [_multi(g) for g in result.geometries() if g is not None]
        return {"footprints": _frame(rows, result.columns, shapes)}
    if kind == "swaths":
        return {"swaths": _frame(result.rows, result.columns, result.geometries())}
    if kind == "coverage":
        return {"coverage_cells": result.to_geodataframe()}
    if kind == "passes":
        from orbitview.products.export.geo import split_line
        columns = pass_columns(result)
        rows = pass_rows(result)
        lines = []
        for seg in pass_segments(result, rows):
            parts = [list(zip(p[0], p[1])) for p in split_line(seg["lon_deg"], seg["lat_deg"])]
            lines.append(MultiLineString([p for p in parts if len(p) >= 2]))
        sites = result.meta.get("sites") or [result.meta["site"]]
        site_rows = [{"site": s.name, "site_lat_deg": s.lat_deg, "site_lon_deg": s.lon_deg,
                      "site_height_m": s.height_m} for s in sites]
        return {"passes": _frame(rows, columns, lines),
                "sites": _frame(site_rows, list(site_rows[0]),
                                [Point(s.lon_deg, s.lat_deg) for s in sites])}
    points = [Point(r["point_lon_deg"], r["point_lat_deg"]) for r in result.rows]
    return {"opportunities": _frame(result.rows, result.columns, points)}


@dataclass
class Written:
    """What :func:`write` wrote: the file, its format and size, and the metadata file
    beside a CSV (None for the others, which carry their metadata inside)."""

    path: Path
    format: str
    size_bytes: int
    sidecar: Path | None = None
    names: list = field(default_factory=list)
    """The satellites the file holds."""

    def __fspath__(self) -> str:
        return str(self.path)


def write(result, path, *, fmt: str | None = None, points: bool = False,
          metric: str | None = None) -> Written:
    """Write ``result`` to ``path`` (the format from its ending: .geojson, .kml, .czml,
    .csv, .gpkg, .nc; or ``fmt``) atomically: all of it or nothing, an existing file
    replaced only once the new one is complete.  A CSV gets its metadata beside it in
    ``PATH.json`` (the rule, assumed instrument values, element sets, units), so that
    the CSV itself holds numbers ``pandas.read_csv`` reads without options.

    >>> import orbitview as ov
    >>> ov.write(ov.coverage("PRSS-1", "Punjab", "2026-11-21T00:00Z"), "punjab.nc")
    ... # doctest: +SKIP
    """
    from orbitview.products.export.sidecar import write_bytes, write_sidecar
    from orbitview.util.atomic import check_output_path
    fmt = format_for(path, fmt)
    path = check_output_path(Path(path), (), "path")
    data = export(result, fmt, points=points, metric=metric)
    kind = kind_of(result)
    write_bytes(path, data)
    side = write_sidecar(path, meta_of(result, kind)) if fmt == "csv" else None
    return Written(path, fmt, len(data), side, written_names(result, kind))
