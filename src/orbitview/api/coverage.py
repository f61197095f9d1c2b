"""How well satellites cover a region: coverage (radio access) or imaging revisit, per cell.

One call, :func:`coverage`, answers it with the CLI's rules (``orbitview coverage`` calls
it): imaging access when every satellite is an imager (revisit metrics), radio access
(elevation above the horizon) otherwise or when asked; the region is Pakistan (masked to
it, one summary row per province), a province (masked to its polygon), a W,E,S,N box or a
shapely polygon; the run is the coverage engine's, chunk by chunk, in this process or on
a dask cluster (``client=``), with the same numbers either way.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from orbitview.api import inputs
from orbitview.api.common import launch_notes
from orbitview.api.question import Question
from orbitview.api.results import Note, Result, element_info, require
from orbitview.api.rules import Choice, choose
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

if TYPE_CHECKING:
    from orbitview.access.coverage import CoverageResult
    from orbitview.access.revisit import RevisitResult
    from orbitview.api.rules import AccessRule
    from orbitview.data.localtime import Clock

RADIO_METRICS = ("percent", "accesses", "max-gap", "mean-gap")
"""Metrics of radio access, as ``--metric`` names them (the first is the default)."""
IMAGING_METRICS = ("max-revisit", "mean-revisit", "first-image", "opportunities",
                   "daylight-share")
"""Metrics of imaging access (the first is the default)."""
DEFAULT_STEP_S = {"radio": 30.0, "imaging": 10.0}
"""Seconds between time steps when ``step_s`` is not given, by access kind."""
DEFAULT_HOURS = 24.0

MAX_CELL_STEPS = 10**12
"""Time steps x cells a coverage run may take.  The largest run the README describes, 100
satellites over a year at 10 s over Pakistan at 0.02 deg (3.15 million steps x 204,824 cells,
6.5 x 10^11, hours of CPU on a cluster), fits; --hours 744 every 0.01 s (2.2 x 10^12 over the
0.1 deg grid, an hour of CPU per satellite for steps a thousand times finer than a cell's
crossing) does not."""

RADIO_SUMMARY_COLUMNS = ["region", "cells", "coverage_percent", "accesses", "mean_gap_min",
                         "max_gap_min"]
"""Columns of a radio coverage summary row (``hypothetical`` follows for designs)."""

UNITS = {"coverage_percent": "percent", "accesses": "1", "max_gap_min": "min",
         "mean_gap_min": "min", "opportunities": "1", "first_image_h": "h",
         "mean_revisit_h": "h", "max_revisit_h": "h", "daylight_share_pct": "percent"}
"""Units of each cell metric (CF/UDUNITS spelling; '1': a count)."""


class MetricError(UsageError):
    """A metric of the other access kind (an imaging metric for a radio run, or the
    reverse); ``metric`` and ``access`` say which."""

    def __init__(self, metric: str, access: str):
        self.metric, self.access = metric, access
        other = "imaging" if metric in IMAGING_METRICS else "radio"
        super().__init__(f"metric {metric!r} is a{'n' if other == 'imaging' else ''} {other} "
                         f"metric but the access is {access}.\nFix: give access={other!r}, or "
                         f"a metric of {access} access ("
                         + ", ".join(IMAGING_METRICS if access == "imaging" else RADIO_METRICS)
                         + ").")


def metric_name(metric: str | None, kind: str) -> str:
    """The ``--metric`` name of ``metric`` for a run of access ``kind`` (``"radio"`` or
    ``"imaging"``): None gives the kind's default (percent, max-revisit); a column name
    (``"max_gap_min"``) is taken too; a metric of the other kind is a :class:`MetricError`."""
    from orbitview.access.coverage import METRICS as RADIO
    from orbitview.access.revisit import METRICS as IMAGING
    if metric is None:
        return RADIO_METRICS[0] if kind == "radio" else IMAGING_METRICS[0]
    by_column = {column: name for table in (RADIO, IMAGING) for name, (column, _) in
                 table.items()}
    name = by_column.get(metric, metric)
    if name not in RADIO_METRICS + IMAGING_METRICS:
        raise UsageError(f"metric {metric!r} is not a coverage metric.\nFix: give one of "
                         + ", ".join(RADIO_METRICS + IMAGING_METRICS) + ".")
    if (name in IMAGING_METRICS) != (kind == "imaging"):
        raise MetricError(name, kind)
    return name


def _coarser(value: float, factor: float) -> float:
    """``value * factor`` rounded up to two significant digits: a suggestion that fits."""
    need = value * factor
    scale = 10.0 ** (math.floor(math.log10(need)) - 1)
    return round(math.ceil(need / scale - 1e-9) * scale, 12)


def check_cell_steps(t0, t1, step_s: float, n_cells: int, span_option: str | None,
                     default_step_s: float, max_cell_steps: float = MAX_CELL_STEPS) -> None:
    """Refuse (:class:`UsageError`), before any work, a run of more than ``max_cell_steps``
    time steps x cells, with the figure and a step that fits; ``span_option`` names what
    set the window (``--hours``, ``--days``; None: the window's length in hours)."""
    from orbitview.access.coverage import steps_between
    n_steps = steps_between(t0, t1, step_s)
    n = n_steps * n_cells
    if n <= max_cell_steps:
        return
    span_h = (t1 - t0).total_seconds() / 3600.0
    span = (f"{span_option} {span_h / 24.0 if span_option == '--days' else span_h:g}"
            if span_option else f"a window of {span_h:g} h")
    span_option = span_option or "--hours or --days"
    raise UsageError(
        f"{span} every {step_s:g} s is {n_steps:,} time steps x {n_cells:,} cells = "
        f"{n:,} cell-steps, more than the {int(max_cell_steps):,} a coverage run is bounded "
        f"by (a year every 10 s over Pakistan at 0.02 deg is {3_153_601 * 204_824:,}).\n"
        f"Fix: give --step {_coarser(step_s, n / max_cell_steps):g} or more (the default is "
        f"{default_step_s:g} s), a shorter {span_option}, or a coarser --resolution.")


# --------------------------------------------------------------------------- the run

def run(sats, used, grid, rule, start: dt.datetime, end: dt.datetime, step_s: float,
        engine=None, progress=None, hold: bool = True, refine_s: float | None = None):
    """The coverage engine under ``rule``: a CoverageResult (radio access, every satellite
    ``sats``) or a RevisitResult (imaging access, the imagers ``used``), and its warnings
    (stale element sets, SGP4 failures) as notes.

    ``engine`` runs the engine (default :func:`~orbitview.access.coverage.compute_coverage`
    here; :func:`~orbitview.access.distributed.coverage_runner` on a cluster);
    ``progress(done, total)`` is told the time steps done after each chunk; ``refine_s``
    (seconds) finds each access's ends between the steps to within it.
    """
    from orbitview.access.coverage import compute_coverage, steps_between
    from orbitview.access.revisit import compute_revisit
    passes = 2 if rule.kind == "imaging" and getattr(rule, "needs_sun", False) else 1
    total = steps_between(start, end, step_s) * passes
    done = [0]

    def tick(n):
        done[0] += n
        progress(done[0], total)

    tick_or_none = tick if progress is not None else None
    result: CoverageResult | RevisitResult
    if rule.kind == "imaging":
        result = compute_revisit(used, grid, rule, start, end, step_s, progress=tick_or_none,
                                 engine=engine, hold=hold, refine_s=refine_s)
        warnings = result.coverage.warnings()
    else:
        result = (engine or compute_coverage)(sats, grid, rule, start, end, step_s,
                                              progress=tick_or_none, hold=hold,
                                              refine_s=refine_s)
        warnings = result.warnings()
    return result, [Note("sgp4" if "SGP4 error" in m else "stale", m) for m in warnings]


def _cluster(client):
    """A context giving the dask client to run on: None, a Client, or what a function that
    opens one gives (it is called only once the run is known to fit)."""
    import contextlib
    if client is None or hasattr(client, "scheduler_info"):
        return contextlib.nullcontext(client)
    if callable(client):
        return client()
    raise UsageError(f"client={client!r} is not a dask Client.\nFix: give a "
                     "distributed.Client (e.g. Client(LocalCluster())), or leave it out to "
                     "run in this process.")


# --------------------------------------------------------------------------- results

@dataclass(eq=False, repr=False)
class CoverageGrid(Result):
    """Radio coverage of a region: per cell the share of time covered, the number of
    accesses and the longest and mean gap; ``rows`` are the summary the CLI prints (one
    per province and one for the whole region: area-weighted means, the worst cell's
    longest gap).  Cells: :meth:`to_dataframe`, :meth:`to_xarray`,
    :meth:`to_geodataframe`; the heat map: :meth:`plot`."""

    run: CoverageResult | RevisitResult | None = None
    """The engine's result (:class:`~orbitview.access.coverage.CoverageResult`, or
    :class:`~orbitview.access.revisit.RevisitResult` for imaging)."""
    region: inputs.Region | None = None
    """The :class:`~orbitview.api.inputs.Region` asked for."""
    rule: AccessRule | None = None
    choice: Choice | None = None
    satellites: list = field(default_factory=list)
    """The satellites asked for (the imaging view uses the imagers among them)."""
    shown_in: Clock | str | None = None
    """The zone figures show local times in (a Clock or a zone name; None: Pakistan's)."""

    kind = "regions"
    access = "radio"
    what = "radio coverage"
    cell_columns = ["coverage_percent", "accesses", "max_gap_min", "mean_gap_min"]

    # ----------------------------------------------------------------------- cells

    @property
    def grid(self):
        """The :class:`~orbitview.access.coverage.Grid`: cell centres and region mask."""
        assert self.run is not None             # coverage() sets it, and region
        return self.run.grid

    @property
    def metric(self) -> str:
        """The metric the heat map shows by default (as asked, else the kind's default)."""
        return self.meta["metric"]

    def summary(self) -> str:
        m = self.meta
        assert self.region is not None
        return (f"{self.what} of {self.region.name}, {iso(m['start'])} + "
                f"{m['hours']:g} h, {int(self.grid.mask.sum())} cells of "
                f"{m['resolution_deg']:g} deg ({m['rule']})")

    def as_grid(self, metric: str | None = None) -> np.ndarray:
        """``metric`` (default :attr:`metric`) on the (lat, lon) grid, NaN outside the
        region."""
        assert self.run is not None
        return self.run.as_grid(metric_name(metric or self.metric, self.access))

    def cells(self) -> dict:
        """Per analysed cell (grid order): ``lat_deg``, ``lon_deg`` and every metric
        (NaN: no value, e.g. a cell never imaged has no first image)."""
        n = len(self.grid.cell_lat)
        out = {"lat_deg": self.grid.cell_lat, "lon_deg": self.grid.cell_lon}
        for c in self.cell_columns:
            v = getattr(self.run, c)
            out[c] = np.full(n, np.nan) if v is None else np.asarray(v)
        return out

    def to_dataframe(self):
        """A pandas DataFrame with one row per analysed cell: its centre (``lat_deg``,
        ``lon_deg``) and its metrics; ``df.attrs`` holds the provenance.  The summary
        rows are :meth:`summary_dataframe`."""
        pd = require("pandas", "to_dataframe()")
        frame = pd.DataFrame(self.cells())
        frame.attrs.update(self.provenance())
        return frame

    def summary_dataframe(self):
        """The summary rows (what the CLI prints) as a pandas DataFrame."""
        return Result.to_dataframe(self)

    def geometries(self):
        """One shapely Polygon per analysed cell (its lon/lat box), in the order of
        :meth:`to_dataframe`."""
        import shapely
        half = self.grid.resolution_deg / 2.0
        lat, lon = self.grid.cell_lat, self.grid.cell_lon
        return list(shapely.box(lon - half, lat - half, lon + half, lat + half))

    def to_xarray(self):
        """An xarray Dataset on (lat, lon): every metric with ``units`` and ``long_name``
        (NaN outside the region and where a cell has no value), ``in_region`` (the mask),
        and the rule, window, grid and element sets in ``ds.attrs``."""
        xr = require("xarray", "to_xarray()")
        assert self.region is not None
        labels = self._labels()
        data = {}
        for c in self.cell_columns:
            values = np.full(self.grid.mask.shape, np.nan)
            v = getattr(self.run, c)
            if v is not None:
                values[self.grid.mask] = v
            data[c] = (("lat", "lon"), values, {"units": UNITS[c], "long_name": labels[c]})
        data["in_region"] = (("lat", "lon"), self.grid.mask.copy(),
                             {"long_name": f"cell centre inside {self.region.name}"})
        coords = {"lat": ("lat", np.asarray(self.grid.lat_deg),
                          {"units": "degrees_north", "standard_name": "latitude",
                           "long_name": "latitude of the cell centre (WGS84)"}),
                  "lon": ("lon", np.asarray(self.grid.lon_deg),
                          {"units": "degrees_east", "standard_name": "longitude",
                           "long_name": "longitude of the cell centre (WGS84)"})}
        ds = xr.Dataset(data, coords=coords)
        ds.attrs.update(self._attrs())
        return ds

    def _labels(self) -> dict:
        from orbitview.access.coverage import METRICS as RADIO
        from orbitview.access.revisit import METRICS as IMAGING
        return {column: label.rsplit(" (", 1)[0]
                for table in (RADIO, IMAGING) for column, label in table.values()}

    def _attrs(self) -> dict:
        """Provenance as netCDF-safe attributes (strings and numbers)."""
        assert self.region is not None
        out: dict[str, str | int | float] = {"title": f"{self.what} of {self.region.name}",
               "Conventions": "CF-1.8", "source": "orbitview coverage engine"}
        for k, v in self.provenance().items():
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                out[k] = v
            else:
                out[k] = json.dumps(v, default=str)
        return out

    def plot(self, metric: str | None = None):
        """The heat map ``orbitview coverage -o`` saves, of ``metric`` (default
        :attr:`metric`), as a matplotlib Figure."""
        from orbitview.api.figures import view_clock
        from orbitview.data.sites import load_sites
        from orbitview.products.maps import coverage_figure, revisit_figure
        name = metric_name(metric or self.metric, self.access)
        reg = self.region
        assert reg is not None
        run = _Named(self.run, reg.name) if _single(reg) else self.run
        sites = load_sites().values() if reg.polygons else ()
        clock = view_clock(self.shown_in)
        if self.access == "imaging":
            left_out = getattr(self.rule, "excluded", {})   # a RuleBySatellite's
            excluded = [(s, left_out[s.norad_id]) for s in self.satellites
                        if s.norad_id in left_out]
            return revisit_figure(run, name, reg.extent, reg.polygons or None, sites=sites,
                                  excluded=excluded, clock=clock)
        return coverage_figure(run, name, self.rule, reg.extent, reg.polygons or None,
                               sites=sites, clock=clock)

    def write_grid_csv(self, path) -> int:
        """The cell CSV ``orbitview coverage --grid-csv`` writes (numbers only, as
        ``pandas.read_csv`` reads them) and its metadata beside it (``FILE.json``: the
        rule, the assumed instrument values, each metric's unit, the element sets);
        returns the cells written."""
        from orbitview.api.filemeta import coverage_meta
        from orbitview.products.coverage_csv import write_grid_csv
        return write_grid_csv(path, self.run, ["lat_deg", "lon_deg", *self.cell_columns],
                              coverage_meta(self))


@dataclass(eq=False, repr=False)
class RevisitGrid(CoverageGrid):
    """Imaging revisit of a region: per cell the imaging opportunities, the time to the
    first, the mean and the longest wait between them (hours) and, for optical fleets,
    the share of opportunities with enough daylight; ``rows`` are the summary the CLI
    prints (per province and the whole region)."""

    access = "imaging"
    what = "imaging revisit"
    cell_columns = ["opportunities", "first_image_h", "mean_revisit_h", "max_revisit_h",
                    "daylight_share_pct"]

    def summary(self) -> str:
        m = self.meta
        assert self.region is not None
        return (f"imaging revisit of {self.region.name}, {iso(m['start'])} + "
                f"{m['hours'] / 24:g} d, {int(self.grid.mask.sum())} cells of "
                f"{m['resolution_deg']:g} deg")


def _single(region) -> bool:
    """A region summarised as itself alone (a province), not as its parts plus a whole."""
    return len(region.polygons) == 1 and region.name in region.polygons


class _Named:
    """An engine result whose whole-region summary row carries the region's name (a
    province's figure says 'over Punjab', not 'over Pakistan')."""

    def __init__(self, run, name: str):
        self._run, self._name = run, name

    def __getattr__(self, key):
        return getattr(self._run, key)

    def summary(self, polygons=None):
        return _summary(self._run, None, self._name)


def _summary(run, polygons, name: str | None = None) -> list[dict]:
    rows = run.summary(polygons)
    if name is not None:
        rows[-1]["region"] = name
    return rows


def summary_rows(run, region) -> tuple[list[dict], list[str], str]:
    """(rows, columns, hypothetical note) of the summary table the CLI prints for ``run``
    over ``region``: per province and Pakistan, a province alone, or 'all cells'; designs
    generated by 'orbitview design' add a ``hypothetical`` column."""
    from orbitview.access.revisit import SUMMARY_COLUMNS
    from orbitview.orbit.design import hypothetical_note
    if _single(region):
        rows = _summary(run, None, region.name)
    else:
        rows = _summary(run, region.polygons or None)
    columns = list(SUMMARY_COLUMNS if hasattr(run, "max_revisit_h") else RADIO_SUMMARY_COLUMNS)
    note = hypothetical_note(run.names)
    if note:
        for r in rows:
            r["hypothetical"] = True
        columns.append("hypothetical")
    return rows, columns, note


# --------------------------------------------------------------------------- the question

def coverage(satellites, region="pakistan", start="now", end=None, *,
             hours: float | None = None, days: float | None = None,
             step_s: float | None = None, resolution_deg: float = 0.1,
             access: str | None = None, metric: str | None = None,
             min_elevation_deg: float | None = None, mask=None,
             max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
             refine_s: float | None = None, client=None, progress=None,
             max_cells: int | None = None, elements=None, sensors=None, hold: bool = True,
             tz: str | None = None, now: dt.datetime | None = None,
             catalog=None) -> CoverageGrid:
    """Coverage of ``region`` by ``satellites`` from ``start`` for ``hours`` or ``days``
    (default 24 h; or until ``end``), on cells of ``resolution_deg`` degrees every
    ``step_s`` seconds (default 10 for imaging access, 30 for radio).  With ``refine_s``
    (seconds, at most the step) each access's start and end are found between the steps
    to within ``refine_s`` and the metrics are measured in seconds, not whole steps (a
    coarser step with ``refine_s=1`` is faster and closer than a fine step alone).

    ``region``: ``"pakistan"`` (masked to Pakistan, a summary row per province), a
    province or territory (``"Punjab"``, ``"KP"``: masked to it), ``"W,E,S,N"``, a
    (W, E, S, N) tuple or a shapely polygon.  ``access``: ``"imaging"`` (the default when
    every satellite is an imager; a :class:`RevisitGrid` of revisit metrics) or
    ``"radio"`` (elevation >= ``min_elevation_deg``, default 10, above the horizon
    ``mask``; a :class:`CoverageGrid`).  ``metric`` is the one :meth:`~CoverageGrid.plot`
    draws (percent, accesses, max-gap, mean-gap; max-revisit, mean-revisit, first-image,
    opportunities, daylight-share).  ``client``: a dask ``distributed.Client`` to run the
    engine's chunks on (same numbers), or a function returning a context manager that
    gives one, opened only once the run is known to fit.  ``progress(done, total)`` is
    told the time steps done.  ``max_cells``: refuse, before any work, a grid of more
    cells (the exports cap a file at 250,000).

    >>> import orbitview as ov
    >>> grid = ov.coverage(["PRSS-1", "PRSC-EO1"], "Punjab", "2026-09-01T00:00Z", days=3)
    >>> grid.to_xarray()["max_revisit_h"]  # doctest: +SKIP
    """
    from orbitview.access.coverage import make_grid
    from orbitview.util.timeutil import check_supported
    q = Question.of(elements, sensors, hold, tz, catalog)
    reg = inputs.region(region)
    if reg.extent is None:
        raise UsageError("coverage needs a bounded region, not the whole world.\n"
                         "Fix: give --region pakistan, a province (e.g. Punjab) or W,E,S,N.")
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=DEFAULT_HOURS / 24.0,
                     tz=q.sources.tz)
    resolution = inputs.number(resolution_deg, "resolution_deg", 0.001, 10.0)
    if step_s is not None:
        step_s = inputs.number(step_s, "step_s", 0.01, 86_400.0)
    if refine_s is not None:
        refine_s = inputs.number(refine_s, "refine_s", 0.01, 86_400.0)
    every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
    sats = q.satellites(satellites)
    choice = choose(sats, q.sensors(), access, min_elevation_deg, mask, max_off_nadir_deg,
                    min_sun_deg, mixed_default="radio", leave_out_damaged=every)
    rule = choice.rule
    kind = "imaging" if rule.kind == "imaging" else "radio"
    shown = metric_name(metric, kind)
    step = step_s or DEFAULT_STEP_S[kind]
    if refine_s is not None and refine_s > step:
        raise UsageError(f"refine_s {refine_s:g} s is longer than the step, {step:g} s: "
                         "there is nothing between the steps to refine to it.\nFix: give "
                         f"--refine {min(1.0, step):g} (refine_s=) or a longer --step.")
    check_supported(t0, t1, "the requested span")
    _, said = launch_notes(sats, t0, t1)
    grid = make_grid(reg.extent, resolution, reg.polygon)
    if max_cells is not None:
        from orbitview.products.export.records import check_cells
        n_cells = int(grid.mask.sum())
        check_cells(n_cells, f"--resolution {resolution:g}", f"give --resolution "
                    f"{_coarser(resolution, (n_cells / max_cells) ** 0.5):g} or coarser, or "
                    "a smaller --region", max_cells)
    span_option = "--hours" if hours is not None else "--days" if days is not None else None
    check_cell_steps(t0, t1, step, int(grid.mask.sum()), span_option, DEFAULT_STEP_S[kind])
    with _cluster(client) as dask_client:
        engine = None
        if dask_client is not None:
            from orbitview.access.distributed import coverage_runner
            engine = coverage_runner(dask_client)
        result, warned = run(sats, choice.used, grid, rule, t0, t1, step, engine, progress,
                             q.hold, refine_s)
    note = choice.assumption_note if kind == "imaging" else ""
    notes = list(q.notes) + choice.notes + said + warned
    if note:
        notes.append(Note("assumed", note))
    rows, columns, hypothetical = summary_rows(result, reg)
    used = choice.used if kind == "imaging" else sats
    meta = {"region": reg.name, "extent": reg.extent, "start": t0, "end": t1,
            "hours": (t1 - t0).total_seconds() / 3600.0, "step_s": step, "refine_s": refine_s,
            "resolution_deg": resolution, "access": choice.access_words,
            "rule": rule.describe(), "metric": shown, "hold": q.hold,
            "assumptions": note, "hypothetical": hypothetical,
            "satellites": list(result.names)}
    cls = RevisitGrid if kind == "imaging" else CoverageGrid
    return cls(rows, columns, [element_info(s, t0, t1, q.hold) for s in used], notes, meta,
               q.left_out + choice.left_out, run=result, region=reg, rule=rule, choice=choice,
               satellites=sats, shown_in=q.shown_in or q.sources.tz)
