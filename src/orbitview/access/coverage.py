"""Coverage of a region: grid cells x time steps, reduced chunk by chunk, STK-style metrics.

A cell is covered at a time step when at least one satellite has access to it
under its access rule (:mod:`orbitview.access.rules`, the same rule the pass search
uses).  Metrics per cell: ``coverage_percent`` (share of time steps covered),
``accesses`` (separate covered intervals), ``mean_gap_min`` and
``max_gap_min`` (revisit gaps: uncovered intervals, including those at the
start and end of the window, measured in whole time steps).

**Engine.**  The window's time steps are cut into chunks.  Each chunk is
propagated and reduced on its own to a :class:`CoveragePartial`: per cell,
the covered steps, the accesses, the first and last covered step and the
gaps strictly between them.  Partials of neighbouring chunks merge
associatively (:meth:`CoveragePartial.merge`), carrying open gaps across the
border, so peak memory does not grow with the number of time steps and the
same engine runs in a loop (:func:`compute_coverage`) or on workers that
each reduce some chunks.  The engine knows nothing of figures, files or
schedulers.

**Within a chunk** nothing loops over cells or time steps in Python, and no
(cell x step) matrix is made:

* a *pass* is a run of consecutive steps of one satellite near the region;
* cells are grouped in square tiles of 1.0-2.5 deg (15 cells a side within those
  bounds, :func:`tile_deg`; the answer does not depend on it).  For each near sample
  the rule's :meth:`reach_deg` bounds (exact on the WGS84 ellipsoid) of its
  geometry say whether a tile lies wholly within reach (every cell covered), wholly
  beyond it (none), or on the edge; a Sun limit is tested per tile from the Sun's
  elevation at the tile's centre, so the geometric culling still applies where
  the Sun is clearly up (or down).  Only edge tiles' cells are evaluated, with
  the satellite's geodetic nadir computed once per sample and each satellite's
  rule found by index;
* along one pass a cell's distance from the ground track falls and rises
  once, and so does the margin of a rule made of elevation, off-nadir, view
  zenith and Sun limits: the cell's access is the one interval from the first
  to the last step at which it is covered, found from the tile's inside run
  and the edge samples around it.  Rules whose margin need not be unimodal (a
  horizon mask, an incidence window, one look side) and deep-space satellites
  have their edge samples all evaluated and their runs read off;
* the intervals of every pass, one row per pass in time order, are merged per
  cell (their union: covered steps, accesses, first and last, the gaps);
* a satellite that stays within reach of whole tiles for the entire chunk
  (a geostationary one) covers them at every step without any per-step work.

``refine_s`` (:class:`CoverageProblem`) refines each interval's ends between
the steps instead of counting whole steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from orbitview.data.sites import enu_basis, ground_itrs_km
from orbitview.orbit.propagate import RunNotes
from orbitview.util.errors import UsageError

METRICS = {"percent": ("coverage_percent", "coverage (% of time)"),
           "accesses": ("accesses", "accesses (count)"),
           "max-gap": ("max_gap_min", "longest revisit gap (minutes)"),
           "mean-gap": ("mean_gap_min", "mean revisit gap (minutes)")}
TILE_CELLS = 15
"""Cells along a tile's side (:func:`tile_deg`), within the bounds below."""
TILE_DEG = (1.0, 1.5, 2.5)
"""Bounds of a tile's side (deg): at least 1.0 for steps under
:data:`TILE_LONG_STEP_S`, 1.5 for steps of that or longer; at most 2.5."""
TILE_LONG_STEP_S = 10.0
CHUNK_BYTES = 256 * 2**20
"""Bound of a chunk's working arrays; sets the steps per chunk."""
SLOT_BYTES = CHUNK_BYTES
"""Bound of a chunk's pass matrices (4 bytes per pass and cell): a chunk whose passes
would pass it is reduced as two halves, merged."""
MAX_CHUNK_STEPS = 4096
BYTES_PER_CELL = 300
"""Memory a cell costs: its position, normal and local frame (by component and by cell),
partial results, the grid mask."""


@dataclass
class Grid:
    """Cell centres of a lat/lon grid, optionally masked to a polygon."""

    lat_deg: np.ndarray           # (n_lat,)
    lon_deg: np.ndarray           # (n_lon,)
    mask: np.ndarray              # (n_lat, n_lon) bool: cells analysed
    resolution_deg: float
    _geometry: tuple = field(default=(), init=False, repr=False, compare=False)

    @property
    def cell_lat(self):
        return np.broadcast_to(self.lat_deg[:, None], self.mask.shape)[self.mask]

    @property
    def cell_lon(self):
        return np.broadcast_to(self.lon_deg[None, :], self.mask.shape)[self.mask]

    def geometry(self, tile_deg: float) -> "CellGeometry":
        """The cells' Earth-fixed positions, local frames and tiles of ``tile_deg``,
        worked out once per grid (a grid asked about again, by another run or another
        chunk, at the same tile size, reuses them).  A grid is not to be changed after it
        is made."""
        if not self._geometry or self._geometry[0] != tile_deg:
            # One size kept (about 260 bytes a cell): a grid is run at one step as a rule.
            self._geometry = (tile_deg, CellGeometry(self, tile_deg))
        return self._geometry[1]


class CellGeometry:
    """A grid's cells in tile-major order (every tile's cells one contiguous slice):
    Earth-fixed positions on the ellipsoid, local frames, ellipsoid normals, the tiles'
    centres and radii, the region's centre and radius.  Read-only."""

    def __init__(self, grid: Grid, side: float):
        lat, lon = grid.cell_lat, grid.cell_lon
        w, s = grid.lon_deg[0] - grid.resolution_deg / 2, grid.lat_deg[0] - grid.resolution_deg / 2
        n_tile_lon = int(np.ceil((grid.lon_deg[-1] - w) / side)) + 1
        tile = (np.floor((lat - s) / side) * n_tile_lon
                + np.floor((lon - w) / side)).astype(np.int64)
        self.order = np.argsort(tile, kind="stable")
        _, tile_start = np.unique(tile[self.order], return_index=True)
        self.tile_start = np.r_[tile_start, len(tile)]
        lat, lon = lat[self.order], lon[self.order]
        self.itrs_km = ground_itrs_km(lat, lon, np.zeros(len(lat)))
        self.enu = enu_basis(lat, lon)
        # The same per cell in rows (a cell's numbers together), for gathering cells.
        self.itrs_rows = np.ascontiguousarray(self.itrs_km.T)
        self.enu_rows = np.ascontiguousarray(self.enu.transpose(2, 0, 1))
        radius = np.linalg.norm(self.itrs_km, axis=0)
        unit = self.cell_unit = self.itrs_km / radius
        self.cell_radius_km = radius
        self.cell_up = np.ascontiguousarray(self.enu[2])             # (3, n) ellipsoid normals
        self.cell_up_height = np.einsum("in,in->n", self.cell_up, self.itrs_km)
        counts = np.diff(self.tile_start)
        centre = np.add.reduceat(unit, self.tile_start[:-1], axis=1)
        centre /= np.linalg.norm(centre, axis=0)
        cos = np.einsum("in,in->n", unit, np.repeat(centre, counts, axis=1))
        spread = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        self.tile_centre = centre
        self.tile_radius_deg = np.maximum.reduceat(spread, self.tile_start[:-1]) + 1e-6
        self.tile_cells = counts
        self.radius_km = (float(radius.min()), float(radius.max()))
        region = unit.sum(axis=1)
        self.region_centre = region / np.linalg.norm(region)
        self.region_radius_deg = float(np.degrees(np.arccos(np.clip(
            self.region_centre @ unit, -1.0, 1.0))).max()) + 1e-6
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def tile_deg(resolution_deg: float, step_s: float) -> float:
    """Side (deg) of the tiles a run on a grid of ``resolution_deg`` at ``step_s`` uses.

    A tile is the unit of culling (a sample is inside, outside or at the edge of each)
    and of the work at an edge (one matrix of a tile's edge samples by its cells).
    Smaller tiles cull more cells; larger ones cost fewer Python steps.  The fastest
    sides measured (10 LEO over Pakistan, 2026-12-05), which this rule gives or comes
    within 5 % of: 1.0 deg at 0.02-0.05 deg and steps of 1-5 s (a short step makes many
    edge samples per tile); 1.5 deg at 0.02-0.1 deg and steps of 10-60 s, and at
    0.1 deg and 1 s; 2.5 deg at 0.25 deg (imaging rules too)."""
    short, long_, high = TILE_DEG
    low = short if step_s < TILE_LONG_STEP_S else long_
    return float(np.clip(TILE_CELLS * resolution_deg, low, high))


def grid_memory_bytes(extent, resolution_deg: float) -> float:
    """Memory a coverage run over ``extent`` at ``resolution_deg`` needs (estimate).

    Building the grid holds two coordinates and a mask per cell of the
    bounding box; the run holds :data:`BYTES_PER_CELL` per cell and one chunk.
    """
    w, e, s, n = extent
    bbox = np.ceil((e - w) / resolution_deg) * np.ceil((n - s) / resolution_deg)
    return bbox * max(17.0, BYTES_PER_CELL) + CHUNK_BYTES


def make_grid(extent, resolution_deg: float, polygon=None) -> Grid:
    """Cells of ``resolution_deg`` over ``extent`` (W, E, S, N), inside ``polygon`` if given.

    Refuses (with the figure and a coarser resolution) a grid whose run would
    pass the memory limit of :mod:`orbitview.util.budget`.
    """
    from orbitview.util.budget import limit_bytes, require
    if not 0.001 <= resolution_deg <= 10:
        raise UsageError(f"--resolution {resolution_deg} deg is outside 0.001 to 10.\n"
                         "Fix: give e.g. --resolution 0.1 (about 11 km).")
    need = grid_memory_bytes(extent, resolution_deg)
    coarser = resolution_deg * np.sqrt(need / (0.9 * limit_bytes()))
    require(need, f"a {resolution_deg:g} deg grid over {_extent_text(extent)}",
            f"give --resolution {np.ceil(coarser * 1000) / 1000:g} or coarser, or a smaller "
            "--region")
    w, e, s, n = extent
    lat = np.arange(s + resolution_deg / 2, n, resolution_deg)
    lon = np.arange(w + resolution_deg / 2, e, resolution_deg)
    if polygon is None:
        mask = np.ones((len(lat), len(lon)), dtype=bool)
    else:
        import shapely
        lon2, lat2 = np.meshgrid(lon, lat)
        mask = shapely.contains_xy(polygon, lon2, lat2)
    if not mask.any():
        raise UsageError("the coverage grid has no cells.\nFix: use a finer --resolution or a "
                         "larger --region.")
    return Grid(lat, lon, mask, resolution_deg)


def _extent_text(extent) -> str:
    w, e, s, n = extent
    return f"{w:g} to {e:g} E, {s:g} to {n:g} N"


# --------------------------------------------------------------------------- partial results

@dataclass
class CoveragePartial:
    """Coverage of every cell over the time steps ``step0 <= j < step1``.

    Arrays are per cell (the grid's analysed cells, in grid order).  ``first``
    and ``last`` are the first and last covered step (-1 when none); the gaps
    counted here lie strictly between them, so the open gaps at either border
    are implied by ``first - step0`` and ``step1 - 1 - last``.

    With ``span_s`` (a run with refined interval ends, ``refine_s``), the partial
    covers the time from ``span_s[0]`` to ``span_s[1]`` (seconds from the window's
    start; the next partial starts where it ends) and ``covered``, ``first``,
    ``last`` and ``max_gap`` are seconds (float64; ``first``/``last`` -1.0 when none).
    """

    step0: int
    step1: int
    covered: np.ndarray           # int32: covered steps (refined: float64 seconds)
    accesses: np.ndarray          # int32: covered intervals
    first: np.ndarray             # int32: first covered step, -1 if none
    last: np.ndarray              # int32: last covered step, -1 if none
    gaps: np.ndarray              # int32: gaps between first and last
    max_gap: np.ndarray           # int32: longest of them (steps)
    samples: int = 0
    """Satellite-time samples that came near the region (evaluated against tiles)."""
    notes: object = None
    """:class:`~orbitview.orbit.propagate.RunNotes`: SGP4 failures and element-set ages."""
    span_s: tuple | None = None
    """Refined runs only: (start, end) of the time covered, seconds from the window's start."""

    @classmethod
    def empty(cls, n_cell: int, step0: int, step1: int,
              span_s: tuple | None = None) -> "CoveragePartial":
        zeros = np.zeros(n_cell, np.int32)
        if span_s is None:
            none = np.full(n_cell, -1, np.int32)
            return cls(step0, step1, zeros, zeros.copy(), none, none.copy(), zeros.copy(),
                       zeros.copy())
        seconds = np.zeros(n_cell)
        none = np.full(n_cell, -1.0)
        return cls(step0, step1, seconds, zeros, none, none.copy(), zeros.copy(),
                   seconds.copy(), span_s=(float(span_s[0]), float(span_s[1])))

    @property
    def refined(self) -> bool:
        return self.span_s is not None

    def merge(self, later: "CoveragePartial") -> "CoveragePartial":
        """This partial followed by ``later`` (which must start where this one ends)."""
        if later.step0 != self.step1 or self.refined != later.refined:
            raise ValueError(f"partials of steps {self.step0}-{self.step1} and "
                             f"{later.step0}-{later.step1} are not neighbours")
        a, b = self, later
        both = (a.first >= 0) & (b.first >= 0)
        # Gap across the border: whole steps strictly between, or seconds between.
        join = np.where(both, b.first - a.last - (0 if a.refined else 1), 0)
        return CoveragePartial(
            a.step0, b.step1,
            covered=a.covered + b.covered,
            accesses=a.accesses + b.accesses - (both & (join <= 0)),
            first=np.where(a.first >= 0, a.first, b.first),
            last=np.where(b.last >= 0, b.last, a.last),
            gaps=a.gaps + b.gaps + (join > 0),
            max_gap=np.maximum(np.maximum(a.max_gap, b.max_gap), join).astype(a.max_gap.dtype),
            samples=a.samples + b.samples,
            notes=a.notes.merge(b.notes) if a.notes and b.notes else a.notes or b.notes,
            span_s=None if not a.refined else (a.span_s[0], b.span_s[1]))

    def borders(self):
        """(length, lead, trail) per cell in the partial's unit (steps or seconds): the
        window's length and the uncovered stretches before the first and after the last
        access (the whole window where there is none)."""
        has = self.first >= 0
        if self.refined:
            n = self.span_s[1] - self.span_s[0]
            return (n, np.where(has, self.first - self.span_s[0], n),
                    np.where(has, self.span_s[1] - self.last, 0.0))
        n = self.step1 - self.step0
        return (n, np.where(has, self.first - self.step0, n),
                np.where(has, self.step1 - 1 - self.last, 0))

    def metrics(self, step_s: float) -> dict:
        """Per-cell metrics over the whole window ``step0:step1``."""
        n, lead, trail = self.borders()
        count = self.gaps + (lead > 0) + (trail > 0)
        longest = np.maximum(np.maximum(self.max_gap, lead), trail)
        minutes = (1.0 if self.refined else step_s) / 60.0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, (n - self.covered) / count, 0.0)
            percent = self.covered * (100.0 / n) if n > 0 else \
                np.where(self.first >= 0, 100.0, 0.0)
        return {"coverage_percent": percent,
                "accesses": self.accesses.astype(int),
                "max_gap_min": longest * minutes,
                "mean_gap_min": mean * minutes}


# --------------------------------------------------------------------------- the problem

class CoverageProblem:
    """What a coverage run needs, prepared once: satellites, cells in tiles, rule, times.

    ``satellites`` are catalog satellites (or lists of element sets), ``rule``
    an access rule asked ``for_satellite`` once per satellite; time steps are
    ``start + j * step_s`` for ``0 <= j < n_steps``.  :meth:`partial` reduces
    any run of steps; :meth:`result` turns the merged partial into metrics.
    ``hold`` (station-kept GEO slots, as :func:`~orbitview.orbit.propagate.propagate`
    takes it) travels with the problem, so every worker computes what was asked.

    ``refine_s`` (default None: today's step-sampled metrics, bit for bit) finds
    each access interval's ends between the steps to within ``refine_s`` seconds
    (and accesses shorter than a step that fall between two of them): metrics
    are then measured in seconds rather than whole steps, the steps serving only
    to screen.
    """

    def __init__(self, satellites, grid: Grid, rule, start: dt.datetime, step_s: float,
                 n_steps: int, hold: bool = True, refine_s: float | None = None):
        self.satellites = list(satellites)
        self.hold = bool(hold)
        if refine_s is not None and not 0 < float(refine_s) <= float(step_s):
            raise UsageError(f"refine_s {refine_s} s is outside (0, step {step_s:g} s].\n"
                             "Fix: give e.g. refine_s=1.0.")
        self.refine_s = None if refine_s is None else float(refine_s)
        self.rules = [rule.for_satellite(s) for s in self.satellites]
        self.rule = rule
        self.grid, self.start, self.step_s, self.n_steps = grid, start, float(step_s), n_steps
        # One index per distinct rule object: the engine groups satellites by it.
        index: dict[int, int] = {}
        self.rule_list = []
        for r in self.rules:
            if id(r) not in index:
                index[id(r)] = len(self.rule_list)
                self.rule_list.append(r)
        self.rule_of_sat = np.array([index[id(r)] for r in self.rules], np.intp)
        self.geometric_rules = [_without_sun(r) for r in self.rule_list]
        self.min_sun_deg = np.array([r.min_sun_elevation_deg if r.needs_sun else np.nan
                                     for r in self.rule_list], float)
        self.sun_sat = np.array([r.needs_sun for r in self.rules], bool)
        self.quick = [_quick_test(r) for r in self.rule_list]
        """Per rule: the thresholds of its cosine test (:func:`_quick_test`), or None."""
        self.searched = np.array([_unimodal(r) and not _deep_space(s)
                                  for r, s in zip(self.rules, self.satellites, strict=True)], bool)
        """Satellites whose margin rises and falls once along a pass: their interval ends
        are searched for; the others' samples near an edge are all evaluated."""
        # The grid's cells, once per grid (tile-major order, positions, frames, tiles).
        vars(self).update(vars(grid.geometry(tile_deg(grid.resolution_deg, self.step_s))))

    @property
    def n_cell(self) -> int:
        return self.itrs_km.shape[1]

    def chunks(self) -> list[tuple[int, int]]:
        """Runs of steps small enough that a chunk's arrays stay within CHUNK_BYTES."""
        steps = int(np.clip(CHUNK_BYTES // (5 * max(self.n_cell, 1)), 1, MAX_CHUNK_STEPS))
        return [(a, min(a + steps, self.n_steps)) for a in range(0, self.n_steps, steps)]

    def times(self, steps):
        """skyfield Time of the given step indices."""
        from orbitview.util.timeutil import timescale
        s = self.start
        return timescale().utc(s.year, s.month, s.day, s.hour, s.minute,
                               s.second + s.microsecond / 1e6
                               + np.asarray(steps, float) * self.step_s)

    def cells_of(self, tiles) -> np.ndarray:
        """Indices (tile-major order) of the cells of ``tiles``, in order."""
        n = self.tile_cells[tiles]
        return np.repeat(self.tile_start[tiles], n) + _ragged_arange(n)

    # ----------------------------------------------------------------------- one chunk

    def partial(self, a: int, b: int) -> CoveragePartial:
        """Reduce the time steps ``a <= j < b`` to a :class:`CoveragePartial`."""
        from orbitview.orbit.propagate import propagate
        refined = self.refine_s is not None
        # A refined chunk also samples step b: an access that ends between its last step
        # and the next chunk's first is found (and cut at step b) here; and at least four
        # steps, for the cubic between them (what lies past step b is cut off).
        end = min(b, self.n_steps - 1) if refined else b - 1
        last = min(max(end, a + 3), self.n_steps - 1) if refined else end
        t = self.times(np.arange(a, last + 1))
        prop = propagate(self.satellites, t, hold=self.hold)
        span = ((a * self.step_s, end * self.step_s) if refined else None)
        out = CoveragePartial.empty(self.n_cell, a, b, span)
        out.notes = RunNotes.of(prop if last < b else _first_steps(prop, b - a), a)
        chunk = _Chunk(self, prop, t, a, b - a, between=refined, span=end - a + 1)
        if b - a > 1 and len(chunk.pass_start) * int(self.tile_cells[chunk.work].sum()) * 4 \
                > SLOT_BYTES:
            mid = (a + b) // 2                 # many passes (a large fleet): two halves
            return self.partial(a, mid).merge(self.partial(mid, b))
        out.samples = chunk.samples
        if chunk.always.any():
            idx = self.order[self.cells_of(np.flatnonzero(chunk.always))]
            if refined:
                out.covered[idx] = span[1] - span[0]
                out.first[idx], out.last[idx] = span
            else:
                out.covered[idx] = b - a
                out.first[idx], out.last[idx] = a, b - 1
            out.accesses[idx] = 1
        slots = chunk.slots()
        if slots is not None:
            cells, first, last_ = slots
            offset = a
            if refined:
                first, last_ = chunk.refine(cells, first, last_)
                keep = (last_ >= 0) & (first <= span[1])      # what starts within the span
                first = np.where(keep, np.maximum(first, span[0]), np.inf)
                last_ = np.where(keep, np.minimum(last_, span[1]), -1.0)
                offset = 0.0
            _union(out, self.order[cells], first, last_, offset, refined)
        return out

    def reduce(self, chunks, progress=None) -> CoveragePartial:
        """The partials of consecutive ``chunks`` (``[(a, b), ...]``), merged in order;
        ``progress``, if given, is called with the steps done after each chunk."""
        total = None
        for a, b in chunks:
            part = self.partial(a, b)
            total = part if total is None else total.merge(part)
            if progress is not None:
                progress(b - a)
        return total

    def result(self, total: CoveragePartial) -> "CoverageResult":
        """Metrics of the merged partial covering every step."""
        from orbitview.orbit.propagate import propagate
        if (total.step0, total.step1) != (0, self.n_steps):
            raise ValueError(f"the partial covers steps {total.step0}-{total.step1}, not "
                             f"0-{self.n_steps}")
        m = total.metrics(self.step_s)
        summary = propagate(self.satellites, self.times(np.unique([0, self.n_steps - 1])),
                            hold=self.hold)
        summary.messages = total.notes.messages(
            summary.names, summary.norad_ids, self.n_steps,
            lambda j: self.start + dt.timedelta(seconds=j * self.step_s))
        return CoverageResult(self.grid, m["coverage_percent"], m["accesses"],
                              m["max_gap_min"], m["mean_gap_min"], self.step_s, self.n_steps,
                              self.start, summary.names, summary, total.samples,
                              len(self.satellites) * self.n_steps, total)


def _without_sun(rule):
    """The rule's geometry alone (its Sun limit tested per tile by the engine)."""
    return rule.geometric() if getattr(rule, "needs_sun", False) else rule


def _unimodal(rule) -> bool:
    """Whether the rule's margin rises and falls once along a low pass over a point:
    elevation, off-nadir and view zenith angles and the Sun's elevation do (the smallest
    of such margins does too); a horizon mask, an incidence window (a band) or a look
    side need not."""
    from orbitview.access.rules import ImagingRule, VisibilityRule
    if isinstance(rule, VisibilityRule):
        return rule.mask is None
    if isinstance(rule, ImagingRule):
        return rule.incidence_deg is None and rule.sides == "both"
    return False


QUICK_GUARD = 1e-9
"""Cosines within this of a limit's go to the rule's own margin: the two computations
agree to about 1e-15, so the engine's answer is the margin's, bit for bit."""
COS_GUARD = 1e-12
"""Cosines (of a cell's angle from a sample's direction) within this of a sample's
certain or possible reach are not screened but tested by the rule: the cosines' last
bits depend on how their products were summed (:func:`_matmul3`: BLAS or einsum, by the
tile's size), and the answer must not."""


def _quick_test(rule):
    """The limits of a rule that is nothing but an elevation (view zenith), an off-nadir
    (field of regard, nadir swath) and a Sun limit, for the engine's cosine test; None for
    any other (a horizon mask, an incidence window, a look side)."""
    from orbitview.access.rules import ImagingRule, VisibilityRule
    if isinstance(rule, VisibilityRule):
        if rule.mask is not None:
            return None
        return {"sin_elevation": float(np.sin(np.radians(rule.min_elevation_deg)))}
    if isinstance(rule, ImagingRule) and rule.incidence_deg is None and rule.sides == "both":
        limit = 90.0 if rule.max_view_zenith_deg is None else rule.max_view_zenith_deg
        out = {"sin_elevation": float(np.cos(np.radians(limit)))}
        if rule.max_off_nadir_deg is not None or rule.bounded_by_swath:
            out["off_nadir"] = rule.field_of_regard_deg
            fixed = rule.fixed_field_of_regard_deg
            out["cos_off_nadir"] = None if fixed is None else float(np.cos(np.radians(fixed)))
        if rule.needs_sun:
            out["sin_sun"] = float(np.sin(np.radians(rule.min_sun_elevation_deg)))
        return out
    return None


def _deep_space(sat) -> bool:
    history = sat.require_elements() if hasattr(sat, "require_elements") else list(sat)
    return any(es.is_deep_space for es in history)


class _First:
    """The first ``k`` times of a propagation, for the run notes."""

    def __init__(self, prop, k):
        self.error_code = prop.error_code[:, :k]
        self.epoch_age_days = prop.epoch_age_days[:, :k]
        self.messages = prop.messages


def _first_steps(prop, k):
    return _First(prop, k)


def _ragged_arange(n: np.ndarray) -> np.ndarray:
    """0..n[0]-1, 0..n[1]-1, ... concatenated."""
    return np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)


def _angle_deg(direction, units):
    """Angle (deg) between one unit vector (3,) and unit vectors (3, ...)."""
    return np.degrees(np.arccos(np.clip(np.tensordot(direction, units, axes=(0, 0)), -1.0, 1.0)))


class _Chunk:
    """One chunk's satellites near the region, their passes and the tiles each reaches.

    A *pass* is a run of consecutive steps of one satellite near the region.  Per
    near sample and tile: *inside* (every cell has access), *outside* (none has) or
    *edge*, from the rule's exact reach bounds (and, for a rule with a Sun limit,
    the Sun's elevation over the tile: the geometry's bounds still cull).  A
    searched satellite's access to a cell along one pass is one interval: from the
    first to the last step at which the cell is inside or, at an edge sample, its
    margin is >= 0.  Other satellites' intervals are read off their samples.
    """

    def __init__(self, problem: CoverageProblem, prop, t, a: int, k: int,
                 between: bool = False, span: int | None = None):
        from orbitview.access.rules import GEODETIC_TILT_DEG
        self.p, self.prop, self.t, self.a = problem, prop, t, a
        self.between = between
        """Refined runs: tiles (and cells) that could be reached between two samples count
        as edges, so that accesses shorter than a step are found."""
        self.dtype = np.int16 if prop.itrs_km.shape[2] < 32_000 else np.int32
        self.none = np.iinfo(self.dtype).max          # 'no interval' as a first step
        xyz = prop.itrs_km                                    # (3, n_sat, K)
        n_sat, n_k = xyz.shape[1:]
        r = np.sqrt(xyz[0] ** 2 + xyz[1] ** 2 + xyz[2] ** 2)
        valid = np.isfinite(r)
        unit = xyz / np.where(valid, r, 1.0)
        # Candidates: samples that could come within reach of the region (between two
        # samples too), from one bound a satellite: its rule's reach from its highest
        # sample, plus half its longest step along the track (dot products only; the
        # reach itself is then worked out for the candidates alone).
        r_top = np.where(valid, r, 0.0).max(axis=1)
        bound = np.zeros(n_sat)                 # a satellite SGP4 failed for throughout: 0
        for g, rule in enumerate(problem.geometric_rules):
            mine = (problem.rule_of_sat == g) & (r_top > 0)
            if hasattr(rule, "reach_bound_deg"):
                bound[mine] = rule.reach_bound_deg(r_top[mine], problem.radius_km[0])
            else:                               # a rule without one: no culling
                bound[mine] = 180.0
        refined = between and n_k > 1
        if refined:
            cos_step = np.einsum("isk,isk->sk", unit[:, :, 1:], unit[:, :, :-1])
            cos_step = np.where(np.isfinite(cos_step), cos_step, -1.0)
            longest = np.degrees(np.arccos(np.clip(cos_step.min(axis=1), -1.0, 1.0)))
            bound = bound + longest / 2.0 + 0.01
        limit = np.minimum(np.nan_to_num(bound, nan=180.0) + problem.region_radius_deg + 1e-6,
                           180.0)
        cos_region = np.einsum("i,isk->sk", problem.region_centre, unit)
        cand = valid & (cos_region >= np.cos(np.radians(limit))[:, None] - 1e-9)
        cs, ck = np.nonzero(cand)                             # (satellite, step) order
        rc = r[cs, ck]
        certain = np.full(len(cs), -np.inf)
        possible = np.full(len(cs), -np.inf)
        groups = problem.rule_of_sat[cs]
        for g, rule in enumerate(problem.geometric_rules):
            mine = groups == g
            certain[mine] = rule.reach_deg(rc[mine], problem.radius_km[1])[0]
            possible[mine] = rule.reach_deg(rc[mine], problem.radius_km[0])[1]
        possible_between = possible
        if refined:
            # Between two samples the sub-satellite point is within half their
            # separation of one of them.
            def sep(j):
                return np.degrees(np.arccos(np.clip(cos_step[cs, j], -1.0, 1.0)))
            half = np.maximum(sep(np.clip(ck - 1, 0, n_k - 2)),
                              sep(np.clip(ck, 0, n_k - 2))) / 2.0
            # Closest between two samples, a point is at most ``half`` along the track
            # from the nearer one: cos(distance there) = cos(closest) cos(along track)
            # (a right spherical triangle; 0.01 deg for the track's curvature).
            with np.errstate(invalid="ignore"):
                widened = np.degrees(np.arccos(np.cos(np.radians(np.clip(possible, 0, 180)))
                                               * np.cos(np.radians(np.minimum(half, 90)))))
            possible_between = np.where(possible >= 0, widened + 0.01, possible)
        # Tiles that one satellite keeps within certain reach for the whole chunk (its
        # rule without a Sun limit, which moves): at each of its steps, or (refined) all
        # the time from its first to its last sample (``span`` samples: between two, the
        # satellite is no farther from the samples' mean direction than they are).  Only
        # a satellite whose every sample is a candidate can (another is out of reach of
        # the whole region at some sample).
        self.always = np.zeros(len(problem.tile_cells), bool)
        k_all = k if span is None else span
        index = np.full((n_sat, n_k), -1)
        index[cs, ck] = np.arange(len(cs))
        for i in np.flatnonzero(cand[:, :k_all].all(axis=1) & ~problem.sun_sat):
            mean = unit[:, i, :k_all].sum(axis=1)
            mean /= np.linalg.norm(mean)
            moved = _angle_deg(mean, unit[:, i, :k_all]).max()
            self.always |= _angle_deg(mean, problem.tile_centre) + problem.tile_radius_deg \
                + moved <= certain[index[i, :k_all]].min()
        self.work = np.flatnonzero(~self.always)
        near = _angle_deg(problem.region_centre, unit[:, cs, ck]) <= possible_between \
            + problem.region_radius_deg
        self.sat, self.step = cs[near], ck[near]
        self.samples = int(np.count_nonzero(self.step < k))
        m = len(self.step)
        self.xyz = xyz[:, self.sat, self.step]                # (3, m)
        self.xyz_rows = np.ascontiguousarray(self.xyz.T)
        self.unit = unit[:, self.sat, self.step]
        brk = np.r_[True, (self.sat[1:] != self.sat[:-1])
                    | (self.step[1:] != self.step[:-1] + 1)][:m]
        self.pass_of = np.cumsum(brk) - 1
        self.pass_first = np.flatnonzero(brk)               # each pass's first sample
        self.pass_sat, self.pass_start = self.sat[brk], self.step[brk]
        self.searched = problem.searched[self.sat]
        c_s, p_s, p_w = certain[near], possible[near], possible_between[near]
        # Tile classes of every near sample.
        work = self.work
        rad = problem.tile_radius_deg[work]
        cos = _matmul3(self.unit.T, problem.tile_centre[:, work])          # (m, W)
        angle = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
        inside = angle + rad <= c_s[:, None]
        outside = angle - rad > p_w[:, None]
        self.sure = None                   # (m, W): the geometry's certain reach applies
        self.sun = None
        if m and problem.sun_sat.any():
            from orbitview.access.rules import sun_unit_itrs
            self.sun = sun_unit_itrs(t)                                     # (3, K)
            js = np.flatnonzero(problem.sun_sat[self.sat])
            sun_el = np.degrees(np.arcsin(np.clip(_matmul3(
                self.sun[:, self.step[js]].T, problem.tile_centre[:, work]), -1.0, 1.0)))
            limit = problem.min_sun_deg[problem.rule_of_sat[self.sat[js]]][:, None]
            slack = rad + GEODETIC_TILT_DEG
            if between:                   # the Sun rises at most 0.0042 deg/s
                slack = slack + 0.005 * problem.step_s / 2.0
            sun_in, sun_out = sun_el - slack >= limit, sun_el + slack < limit
            inside[js] &= sun_in
            outside[js] |= sun_out
            self.sure = np.ones((m, len(work)), bool)
            self.sure[js] = sun_in
        self.inside, self.edge = inside, ~inside & ~outside
        with np.errstate(invalid="ignore"):
            # Cosines within COS_GUARD of either limit go to the rule itself.
            self.cos_certain = np.where(c_s >= 0, np.cos(np.radians(np.clip(c_s, 0, 180))),
                                        2.0) + COS_GUARD
            self.cos_possible = np.where(p_s >= 0, np.cos(np.radians(np.clip(p_s, 0, 180))),
                                         2.0) - COS_GUARD
            self.cos_between = np.where(p_w >= 0, np.cos(np.radians(np.clip(p_w, 0, 180))),
                                        2.0) - COS_GUARD
        self.up = None                     # geodetic nadir of each sample, once
        self.thresholds = None             # per near sample: limits of the quick test
        self.quick_kinds = (False, False, False)   # (any elevation, off-nadir, Sun limit)
        self.radius = np.sqrt((self.xyz_rows ** 2).sum(axis=1))
        self.near_miss = []                # refined runs: (pass, cell) of possible short accesses

    # --------------------------------------------------------------------- the margins

    def margins(self, rows, cells) -> np.ndarray:
        """The rule's margin (deg) of near samples ``rows`` at cells (tile-major indices)."""
        p = self.p
        out = np.empty(len(rows))
        sats = self.sat[rows]
        groups = p.rule_of_sat[sats]
        if len(p.rule_list) == 1:
            parts = [(0, slice(None))]
        else:
            order = np.argsort(groups, kind="stable")
            bounds = np.searchsorted(groups[order], np.arange(len(p.rule_list) + 1))
            parts = [(g, order[bounds[g]:bounds[g + 1]]) for g in range(len(p.rule_list))
                     if bounds[g] < bounds[g + 1]]
        for g, sel in parts:
            rule = p.rule_list[g]
            r, c = rows[sel], cells[sel]
            extra = {}
            if getattr(rule, "kind", "") == "imaging":
                up, height = self.nadirs_near()
                extra["sat_up"] = (up[:, r], height[r])
            if rule.needs_sun:
                extra["sun_itrs_unit"] = self.sun[:, self.step[r]]
            if getattr(rule, "needs_velocity", False):
                extra["sat_velocity_itrs_km_s"] = self.velocity()[:, r]
            out[sel] = rule.margin_deg_at(self.xyz_rows[r].T, p.itrs_rows[c].T,
                                          p.enu_rows[c].transpose(1, 2, 0), **extra)
        return out

    def velocity(self):
        """Earth-fixed velocities of the near samples (a centred one-second difference)."""
        if getattr(self, "_velocity", None) is None:
            v = _velocity_itrs_km_s(self.p.satellites, self.t, self.p.hold)
            self._velocity = v[:, self.sat, self.step]
        return self._velocity

    # --------------------------------------------------------------------- intervals

    def slots(self):
        """Every covered interval of the working cells: ``(cells, first, last)``, arrays
        (n_slot, n) of steps from the chunk's start (-1 / the dtype's largest where a slot has
        none), one slot row per pass of a searched satellite and per run of another's."""
        p = self.p
        if not len(self.step) or not len(self.work):
            return None
        work = self.work
        n_pass = len(self.pass_start)
        searched = self.searched[:, None]
        # Inside runs of searched satellites: (tile, pass) -> first and last step.
        t_in, j_in = np.nonzero((self.inside & searched).T)
        key = t_in * n_pass + self.pass_of[j_in]
        g0 = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        g1 = np.r_[g0[1:], len(key)] - 1 if len(key) else key
        in_tile, in_pass = t_in[g0], self.pass_of[j_in[g0]]
        in_first, in_last = self.step[j_in[g0]], self.step[j_in[g1]]
        # Samples whose cells are evaluated: edges, and every sample of the others.
        t_ev, j_ev = np.nonzero((self.edge | (self.inside & ~searched)).T)
        found = []                                  # (pass, cells, first, last) of searched
        runs = []                                   # (pass, cells, first, last) of others
        bounds = np.flatnonzero(np.r_[True, t_ev[1:] != t_ev[:-1], True]) if len(t_ev) else []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            w = t_ev[lo]
            tile = work[w]
            c0, c1 = p.tile_start[tile], p.tile_start[tile + 1]
            rows = j_ev[lo:hi]
            ok, cos = self._covered(rows, w, c0, c1)
            s_rows = self.searched[rows]
            if s_rows.any():
                sr = rows[s_rows] if not s_rows.all() else rows
                okr = ok[s_rows] if not s_rows.all() else ok
                pp = self.pass_of[sr]
                gb = np.flatnonzero(np.r_[True, pp[1:] != pp[:-1]])
                first, last = first_last(okr, self.step[sr].astype(self.dtype), gb,
                                          self.none)
                found.append((pp[gb], w, first, last))
                if self.between:
                    # Cells no sample covers but one could pass within reach of
                    # between two samples: candidates for a short access.
                    close = cos[s_rows] >= self.cos_between[sr][:, None] \
                        if not s_rows.all() else cos >= self.cos_between[sr][:, None]
                    close = np.logical_or.reduceat(close, gb, axis=0) & (last < 0)
                    g, c = np.nonzero(close)
                    self.near_miss.append((pp[gb][g], c + c0))
            if not s_rows.all():
                runs.append(self._runs(rows[~s_rows], ok[~s_rows], c0))
        return self._assemble(n_pass, in_tile, in_pass, in_first, in_last, found, runs)

    def _covered(self, rows, w, c0, c1) -> np.ndarray:
        """(len(rows), n_cell of the tile) bool: the tile's cells covered at each sample."""
        p = self.p
        cos = _matmul3(self.unit[:, rows].T, p.cell_unit[:, c0:c1])
        certain = self.cos_certain[rows]
        if self.sure is not None:
            certain = np.where(self.sure[rows, w], certain, 2.0)
        ok = cos >= certain[:, None]
        known = self.inside[rows, w]
        if known.any():
            ok[known] = True
        band = ~ok & (cos >= self.cos_possible[rows][:, None])
        # Band pairs as flat indices into the (row, cell) matrices: one 1-d gather each.
        flat = np.flatnonzero(band)
        if len(flat):
            i = flat // (c1 - c0)
            j = flat - i * (c1 - c0)
            ok_flat = ok.reshape(-1)
            sure, value = self._quick(rows, i, j, flat, c0, c1, cos)
            if sure is not None:
                ok_flat[flat] = value              # the pairs not sure are overwritten next
                unsure = np.flatnonzero(~sure)
                flat, i, j = flat[unsure], i[unsure], j[unsure]
            if len(flat):
                ok_flat[flat] = self.margins(rows[i], j + c0) >= 0
        return ok, cos

    def _quick(self, rows, i, j, flat, c0, c1, cos):
        """The rule at band pairs ``(rows[i], cell c0 + j)`` (``flat``: their indices into
        a (len(rows), c1 - c0) matrix) by cosines, for rules that are limits on elevation
        (view zenith), off-nadir angle and the Sun's elevation: ``(sure, value)``, where
        ``sure`` marks the pairs whose cosines clear every limit's by more than
        :data:`QUICK_GUARD` (their answer is the margin's sign; the others go to the margin
        itself), or ``(None, None)``."""
        p = self.p
        if self.thresholds is None:
            self.thresholds = self._thresholds()
        quick, has_off, has_sun = self.quick_kinds
        if not quick:
            return None, None
        t_el, t_off, t_sun = (t[rows] for t in self.thresholds)
        up = p.cell_up[:, c0:c1]
        sat = self.xyz_rows[rows]                                    # (m, 3)
        r = self.radius[rows][i]
        big_r = p.cell_radius_km[c0:c1][j]
        dist = np.sqrt(r * r - 2.0 * r * big_r * cos.reshape(-1)[flat] + big_r * big_r)
        # Sine of the elevation above the cell's horizon (cosine of the view zenith angle):
        # one small matrix product per tile, read at the band pairs.
        sin_el = (_matmul3(sat, up).reshape(-1)[flat] - p.cell_up_height[c0:c1][j]) / dist
        low = sin_el - t_el[i]
        if has_off:
            nadir_up, _ = self.nadirs_near()
            n_up = nadir_up[:, rows].T                               # (m, 3)
            along = np.einsum("mi,mi->m", n_up, sat)                 # up . sat per sample
            cos_off = (along[i] - _matmul3(n_up, p.itrs_km[:, c0:c1]).reshape(-1)[flat]) / dist
            low = np.minimum(low, np.where(np.isfinite(t_off[i]), cos_off - t_off[i], np.inf))
        if has_sun:
            sun_el = _matmul3(self.sun[:, self.step[rows]].T, up).reshape(-1)[flat]
            low = np.minimum(low, np.where(np.isfinite(t_sun[i]), sun_el - t_sun[i], np.inf))
        # Sure where every limit is cleared, or one is missed, by more than the guard.
        sure = np.isfinite(t_el[i]) & (np.abs(low) > QUICK_GUARD)
        return sure, low > 0

    def _thresholds(self):
        """Per near sample: the sine of the lowest elevation, the cosine of the largest
        off-nadir angle and the sine of the lowest Sun elevation its rule allows (NaN /
        inf where the quick test does not apply / a limit is absent)."""
        p = self.p
        m = len(self.step)
        t_el, t_off, t_sun = np.full(m, np.nan), np.full(m, np.inf), np.full(m, np.inf)
        groups = p.rule_of_sat[self.sat]
        for g, quick in enumerate(p.quick):
            if quick is None:
                continue
            mine = groups == g
            t_el[mine] = quick["sin_elevation"]
            if quick.get("off_nadir") is not None:
                _, height = self.nadirs_near()
                t_off[mine] = np.cos(np.radians(quick["off_nadir"](height[mine])))
            if quick.get("sin_sun") is not None:
                t_sun[mine] = quick["sin_sun"]
        # Which parts of the test any of the chunk's samples has (a tile whose samples
        # lack one reads it as no limit: NaN fails the guard, inf passes the minimum).
        self.quick_kinds = (bool(np.isfinite(t_el).any()), bool(np.isfinite(t_off).any()),
                            bool(np.isfinite(t_sun).any()))
        return t_el, t_off, t_sun

    def nadirs_near(self):
        """Geodetic up (3, m) and height (m,) of the near samples, once."""
        if self.up is None:
            from orbitview.access.rules import geodetic_up
            self.up = geodetic_up(self.xyz)
        return self.up

    def _runs(self, rows, ok, c0):
        """Covered runs of consecutive samples of one pass: (pass, cell, first, last)."""
        st, pp = self.step[rows], self.pass_of[rows]
        joined = np.r_[False, (pp[1:] == pp[:-1]) & (st[1:] == st[:-1] + 1)]
        before = np.zeros_like(ok)
        before[1:] = ok[:-1] & joined[1:, None]
        after = np.zeros_like(ok)
        after[:-1] = ok[1:] & joined[1:, None]
        c_s, q_s = np.nonzero((ok & ~before).T)
        _, q_e = np.nonzero((ok & ~after).T)
        return pp[q_s], c_s + c0, st[q_s], st[q_e]

    # --------------------------------------------------------------------- refined ends

    def track(self, sats, cells, lo) -> "_Track":
        """Satellite ``sats`` against cells near fractional sample indices from ``lo``."""
        return _Track(self, sats, cells, lo)

    def nodes(self):
        """``(index, rows)``, once, for the samples a :class:`_Track` reads: those within
        three steps of a near sample (its four nodes sit around an end found at a near
        sample).  ``index`` (n_sat, K) gives each such sample's column of ``rows`` (-1
        for the others); ``rows`` holds its position (3), geodetic up (3) and height (1)
        and, with a Sun limit in the chunk, the Sun's direction at its time (3)."""
        if getattr(self, "_nodes", None) is None:
            from orbitview.access.rules import geodetic_up
            xyz = self.prop.itrs_km
            n_sat, n_k = xyz.shape[1:]
            mask = np.zeros((n_sat, n_k), bool)
            for d in range(-3, 4):
                mask[self.sat, np.clip(self.step + d, 0, n_k - 1)] = True
            s, k = np.nonzero(mask)
            index = np.full((n_sat, n_k), -1, np.int64)
            index[s, k] = np.arange(len(s))
            rows = np.empty((7 if self.sun is None else 10, len(s)))
            rows[:3] = xyz[:, s, k]
            rows[3:6], rows[6] = geodetic_up(rows[:3])
            if self.sun is not None:
                rows[7:] = self.sun[:, k]
            self._nodes = index, rows
        return self._nodes

    def _root(self, track, lo, hi, f_lo, f_hi):
        """The margin's zero between fractional sample indices ``lo`` and ``hi`` (where its
        signs differ), resolved to ``refine_s``: a parabola through the ends and the
        chord's point estimates it, two points ``refine_s`` apart around the estimate
        bracket it (else the search narrows to the side the zero is on, and repeats),
        and the chord across that bracket gives it."""
        width = self.p.refine_s / self.p.step_s
        enough = width * (1.0 + 1e-9)                  # a bracket a + width - a may round up
        lo, hi, f_lo, f_hi = (np.array(v, float) for v in (lo, hi, f_lo, f_hi))
        rising = f_lo < 0
        x = _chord(lo, hi, f_lo, f_hi)
        f_x = track.margin(x)
        est = _parabola_root(lo, x, hi, f_lo, f_x, f_hi)
        left = (f_x >= 0) == rising
        lo, f_lo = np.where(left, lo, x), np.where(left, f_lo, f_x)
        hi, f_hi = np.where(left, x, hi), np.where(left, f_x, f_hi)
        todo = np.flatnonzero(hi - lo > enough)
        while len(todo):
            a = np.clip(est[todo] - width / 2, lo[todo], hi[todo])
            b = np.clip(a + width, lo[todo], hi[todo])
            if len(todo) > len(lo) // 2:             # most pairs: evaluate all, not a copy
                a_all, b_all = lo.copy(), hi.copy()
                a_all[todo], b_all[todo] = a, b
                f_a, f_b = track.margin(a_all)[todo], track.margin(b_all)[todo]
            else:
                sub = track.subset(todo)
                f_a, f_b = sub.margin(a), sub.margin(b)
            r = rising[todo]
            go_a = (f_a >= 0) == r                      # the zero lies left of a
            go_b = ~go_a & ((f_b >= 0) != r)            # right of b
            inside = ~go_a & ~go_b
            new_lo = np.where(go_a, lo[todo], np.where(go_b, b, a))
            new_hi = np.where(go_a, a, np.where(go_b, hi[todo], b))
            f_lo[todo] = np.where(go_a, f_lo[todo], np.where(go_b, f_b, f_a))
            f_hi[todo] = np.where(go_a, f_a, np.where(go_b, f_hi[todo], f_b))
            lo[todo], hi[todo] = new_lo, new_hi
            # Beside the bracket: estimate again by bisection of what is left.
            est[todo] = np.where(inside, est[todo], 0.5 * (new_lo + new_hi))
            todo = todo[hi[todo] - lo[todo] > enough]
        return _chord(lo, hi, f_lo, f_hi)

    def refine(self, cells, first, last):
        """Slot matrices in seconds from the window's start (``first`` inf and ``last``
        -1 where none): each interval's ends found between the samples, and the accesses
        that fall between two samples added."""
        n_k = self.prop.itrs_km.shape[2]
        rows, cols = np.nonzero(last >= 0)
        e = first[rows, cols].astype(float)
        x = last[rows, cols].astype(float)
        sats, cell = self.slot_sat[rows], cells[cols]
        t_in, t_out = e.copy(), x.copy()
        for ends, side in ((t_in, -1.0), (t_out, 1.0)):
            i = np.flatnonzero(ends > 0) if side < 0 else np.flatnonzero(ends < n_k - 1)
            if not len(i):
                continue
            lo = ends[i] - 1.0 if side < 0 else ends[i]
            track = self.track(sats[i], cell[i], lo)
            f_lo, f_hi = track.margin(lo), track.margin(lo + 1.0)
            ends[i] = self._root(track, lo, lo + 1.0, f_lo, f_hi)
        step = self.p.step_s
        f_s = np.full(first.shape, np.inf)
        l_s = np.full(first.shape, -1.0)
        f_s[rows, cols] = (self.a + t_in) * step
        l_s[rows, cols] = (self.a + t_out) * step
        short = self.short_accesses(cells, last)
        if short is not None:
            passes, c, t0, t1 = short
            r, k = self.slot_base[passes], self.column[c]
            f_s[r, k], l_s[r, k] = (self.a + t0) * step, (self.a + t1) * step
        return f_s, l_s

    def short_accesses(self, slot_cells, slot_last):
        """(pass, cell, entry, exit) of the accesses no sample sees: around each near miss's
        closest sample, the margin's maximum by golden section, then its two zeros.  Near
        misses whose pass has an access to the cell at some sample (``slot_last``) are
        left out."""
        if not self.near_miss:
            return None
        passes = np.concatenate([m[0] for m in self.near_miss])
        cells = np.concatenate([m[1] for m in self.near_miss])
        missed = slot_last[self.slot_base[passes], self.column[cells]] < 0
        passes, cells = passes[missed], cells[missed]
        if not len(passes):
            return None
        # The pass's sample closest to the cell (the distance falls, then rises).
        lo = self.pass_first[passes]
        hi = np.r_[self.pass_first[1:], len(self.step)][passes] - 1
        c_unit = self.p.cell_unit[:, cells]
        while True:
            active = lo < hi
            if not active.any():
                break
            mid = (lo + hi) // 2
            nxt = np.minimum(mid + 1, len(self.step) - 1)
            up = np.einsum("in,in->n", self.unit[:, nxt], c_unit) > \
                np.einsum("in,in->n", self.unit[:, mid], c_unit)
            lo = np.where(active & up, mid + 1, lo)
            hi = np.where(active & ~up, mid, hi)
        sats = self.sat[lo]
        n_k = self.prop.itrs_km.shape[2]
        a0 = np.maximum(self.step[lo] - 1.0, 0.0)
        b0 = np.minimum(self.step[lo] + 1.0, n_k - 1.0)
        track = self.track(sats, cells, a0)
        # Golden section for the margin's maximum in [a0, b0], to a hundredth of a step.
        ratio = (np.sqrt(5.0) - 1.0) / 2.0
        a_, b_ = a0.copy(), b0.copy()
        x1, x2 = b_ - ratio * (b_ - a_), a_ + ratio * (b_ - a_)
        f1, f2 = track.margin(x1), track.margin(x2)
        while np.max(b_ - a_, initial=0.0) > 0.01:
            left = f1 > f2
            a_, b_ = np.where(left, a_, x1), np.where(left, x2, b_)
            x2n = np.where(left, x1, a_ + ratio * (b_ - a_))
            x1n = np.where(left, b_ - ratio * (b_ - a_), x2)
            f_new = track.margin(np.where(left, x1n, x2n))
            f1, f2 = np.where(left, f_new, f2), np.where(left, f1, f_new)
            x1, x2 = x1n, x2n
        best = np.where(f1 > f2, x1, x2)
        f_best = np.maximum(f1, f2)
        hit = np.flatnonzero(f_best >= 0)
        if not len(hit):
            return None
        track = track.subset(hit)
        t, f_b = best[hit], f_best[hit]
        lo_t, hi_t = a0[hit], b0[hit]
        t_in = self._root(track, lo_t, t, track.margin(lo_t), f_b)
        t_out = self._root(track, t, hi_t, f_b, track.margin(hi_t))
        return passes[hit], cells[hit], t_in, t_out

    def _assemble(self, n_pass, in_tile, in_pass, in_first, in_last, found, runs):
        """The slot matrices ``(columns' cells, first, last)``: steps from the chunk's
        start (int16 while a chunk has fewer than 32,767 steps), ``first`` = the dtype's
        largest value and ``last`` = -1 where a slot has no interval."""
        p = self.p
        # Slot rows: one per pass of a searched satellite, as many as its most
        # runs in one cell for another's; passes in order of their first step.
        n_runs = np.zeros(n_pass, np.int64)
        n_runs[self.searched[self.pass_first]] = 1
        if runs:
            r_pass, r_cell, r_first, r_last = (np.concatenate([r[i] for r in runs])
                                               for i in range(4))
            o = np.lexsort((r_first, r_pass, r_cell))
            r_pass, r_cell, r_first, r_last = r_pass[o], r_cell[o], r_first[o], r_last[o]
            new = np.r_[True, (r_cell[1:] != r_cell[:-1]) | (r_pass[1:] != r_pass[:-1])]
            start = np.flatnonzero(new)
            ordinal = np.arange(len(r_cell)) - np.repeat(start, np.diff(np.r_[start,
                                                                            len(r_cell)]))
            np.maximum.at(n_runs, r_pass, ordinal + 1)
        by_time = np.argsort(self.pass_start, kind="stable")
        base = np.zeros(n_pass, np.int64)
        base[by_time] = np.r_[0, np.cumsum(n_runs[by_time])[:-1]]
        n_slot = int(n_runs.sum())
        if n_slot == 0 and not self.near_miss:
            return None
        self.slot_base = base
        self.slot_sat = np.repeat(self.pass_sat[by_time], n_runs[by_time])
        # Columns: the working tiles' cells, in order.
        counts = p.tile_cells[self.work]
        col_start = np.r_[0, np.cumsum(counts)]
        dtype, none = self.dtype, self.none
        first_t = np.full((n_slot, len(self.work)), none, dtype)
        last_t = np.full((n_slot, len(self.work)), -1, dtype)
        first_t[base[in_pass], in_tile] = in_first
        last_t[base[in_pass], in_tile] = in_last
        first = np.repeat(first_t, counts, axis=1)
        last = np.repeat(last_t, counts, axis=1)
        for passes, w, f, l_ in found:
            rows, c0, c1 = base[passes], col_start[w], col_start[w + 1]
            first[rows, c0:c1] = np.minimum(first[rows, c0:c1], f)
            last[rows, c0:c1] = np.maximum(last[rows, c0:c1], l_)
        self.column = column = np.zeros(p.n_cell, np.int64)
        column[p.cells_of(self.work)] = np.arange(col_start[-1])
        if runs:
            rows, cols = base[r_pass] + ordinal, column[r_cell]
            first[rows, cols], last[rows, cols] = r_first, r_last
        return p.cells_of(self.work), first, last


DOT3_BLAS_MAX = 65_536
"""Products of an (m, 3) by a (3, n) matrix with m * n above this are summed by einsum, not
BLAS: OpenBLAS runs such a product on all its threads (from m * n * k = 262,144), and they
then spin for up to a tenth of a second, taking a CPU from whatever runs next, for a sum
of three terms that gains nothing from them."""


def _matmul3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for ``a`` (m, 3) and ``b`` (3, n), on one thread, C-ordered (to the last
    bit or so: einsum does not fuse multiply and add as BLAS may)."""
    if a.shape[0] * b.shape[1] <= DOT3_BLAS_MAX:
        return np.ascontiguousarray(a @ b)
    # (order="C" in einsum itself takes a slower loop; a copy is made only if needed.)
    return np.ascontiguousarray(np.einsum("mi,in->mn", a, b))


def first_last(ok, steps, starts, none):
    """Per group of consecutive rows (each group from a row of ``starts`` to the next's)
    and per column: the smallest and the largest of ``steps`` (one per row) over the rows
    where ``ok`` (``none`` and -1 where no row is).

    What ``np.minimum.reduceat`` along axis 0 gives.  reduceat works a group column by
    column, at a cost per (group, column); past about 3,000 of those, one step per row of
    the longest group (a few samples of a pass at a tile's edge) is faster."""
    if len(starts) * ok.shape[1] < 3000:
        s = steps[:, None]
        return (np.minimum.reduceat(np.where(ok, s, none), starts, axis=0),
                np.maximum.reduceat(np.where(ok, s, -1), starts, axis=0))
    sizes = np.diff(np.r_[starts, len(steps)])
    s = steps[starts][:, None]
    first = np.where(ok[starts], s, none)
    last = np.where(ok[starts], s, -1).astype(steps.dtype, copy=False)
    for d in range(1, int(sizes.max(initial=1))):
        sel = np.flatnonzero(sizes > d)
        rows = starts[sel] + d
        okd, s = ok[rows], steps[rows][:, None]
        first[sel] = np.minimum(first[sel], np.where(okd, s, none))
        last[sel] = np.maximum(last[sel], np.where(okd, s, -1))
    return first, last


def _chord(lo, hi, f_lo, f_hi):
    """Where the straight line through (lo, f_lo) and (hi, f_hi) crosses zero (clipped)."""
    step = f_lo - f_hi
    frac = np.divide(f_lo, step, out=np.full_like(lo, 0.5), where=step != 0)
    return lo + (hi - lo) * np.clip(frac, 0.0, 1.0)


def _parabola_root(x0, x1, x2, f0, f1, f2):
    """The zero between x0 and x2 of the parabola through three points (the chord's where
    it has none there)."""
    d01, d12 = (f1 - f0) / np.where(x1 != x0, x1 - x0, 1.0), \
        (f2 - f1) / np.where(x2 != x1, x2 - x1, 1.0)
    c2 = (d12 - d01) / np.where(x2 != x0, x2 - x0, 1.0)
    # f(x) = f1 + b (x - x1) + c2 (x - x1)^2 with b the slope at x1.
    b = d01 + c2 * (x1 - x0)
    disc = b * b - 4.0 * c2 * f1
    with np.errstate(invalid="ignore", divide="ignore"):
        q = -0.5 * (b + np.copysign(np.sqrt(np.maximum(disc, 0.0)), b))
        r1, r2 = x1 + q / c2, x1 + f1 / q
    lo, hi = np.minimum(x0, x2), np.maximum(x0, x2)
    fine = lambda r: np.isfinite(r) & (r >= lo) & (r <= hi)   # noqa: E731
    out = np.where(fine(r2), r2, np.where(fine(r1), r1, _chord(x0, x2, f0, f2)))
    return np.where(disc >= 0, out, _chord(x0, x2, f0, f2))


class _Track:
    """Satellites against cells between samples: for each pair, the four samples around
    it, their geodetic nadirs and the cell, read once; then a margin at any fractional
    sample index within them (a cubic through the samples for the satellite, its nadir
    and height, and the Sun's direction).

    The margin is the rule's own (degrees), or, for rules of elevation, off-nadir and Sun
    limits, the smallest of the cosine differences the engine's quick test uses: each has
    the sign of the limit's margin, so both have the same zeros and the same sign."""

    ARRAYS = ("sats", "cells", "j0", "groups", "quick", "target", "enu", "up_c", "cell",
              "up_height", "t_el", "t_sun", "t_off")
    NODES = ("nodes",)

    def __init__(self, chunk, sats, cells, lo):
        p = chunk.p
        self.chunk, self.sats, self.cells = chunk, sats, cells
        xyz = chunk.prop.itrs_km
        n_k = xyz.shape[2]
        self.n_k = n_k
        # The four samples around ``lo`` (with fewer than four in the chunk: all of them).
        self.j0 = np.clip(np.floor(lo).astype(np.intp) - 1, 0, max(n_k - 4, 0))
        idx = np.minimum(self.j0[None, :] + np.arange(4)[:, None], n_k - 1)     # (4, n)
        # Rows: the satellite's position (3), then, where a rule needs them, its geodetic
        # up (3) and height (1) and the Sun's direction (3, with a Sun limit in the
        # chunk); interpolated together (one einsum an evaluation).
        need_up = chunk.sun is not None or \
            any(getattr(r, "kind", "") == "imaging" for r in p.rule_list)
        if need_up:
            index, rows = chunk.nodes()
            at = index[sats[None, :], idx]                                      # (4, n)
            nodes = rows[:, np.maximum(at, 0)] if rows.shape[1] else \
                np.empty((len(rows),) + at.shape)                              # (7, 4, n)
            missing = at < 0
            if missing.any():                  # a node farther from the near samples
                from orbitview.access.rules import geodetic_up
                s_m, k_m = np.broadcast_to(sats[None, :], idx.shape)[missing], idx[missing]
                nodes[:3, missing] = xyz[:, s_m, k_m]
                nodes[3:6, missing], nodes[6, missing] = geodetic_up(nodes[:3, missing])
                if len(nodes) == 10:
                    nodes[7:, missing] = chunk.sun[:, k_m]
        else:
            nodes = xyz[:, sats[None, :], idx]                                  # (3, 4, n)
        self.nodes = nodes
        self.has_up = need_up
        self.groups = p.rule_of_sat[sats]
        self.velocity = any(getattr(r, "needs_velocity", False) for r in p.rule_list)
        quick_rule = np.array([q is not None for q in p.quick])
        self.quick = quick_rule[self.groups]
        self.all_quick = bool(self.quick.all())
        n = len(sats)
        self.t_el, self.t_sun, self.t_off = np.full(n, np.nan), np.full(n, -np.inf), \
            np.full(n, -np.inf)
        self.off_rule = {}
        for g, q in enumerate(p.quick):
            if q is None:
                continue
            mine = self.groups == g
            self.t_el[mine] = q["sin_elevation"]
            if q.get("sin_sun") is not None:
                self.t_sun[mine] = q["sin_sun"]
            if q.get("off_nadir") is not None:
                self.off_rule[g] = (q["off_nadir"], q.get("cos_off_nadir"))
        self.up_c = p.cell_up[:, cells]
        self.cell = p.itrs_km[:, cells]
        self.up_height = p.cell_up_height[cells]
        if not self.all_quick:
            self.target = p.itrs_rows[cells].T
            self.enu = p.enu_rows[cells].transpose(1, 2, 0)

    def subset(self, i) -> "_Track":
        out = object.__new__(_Track)
        out.__dict__.update(self.__dict__)
        for name in self.ARRAYS:
            value = getattr(self, name, None)
            if value is not None:
                setattr(out, name, value[..., i])
        for name in self.NODES:
            value = getattr(self, name, None)
            if value is not None:
                setattr(out, name, value[..., i])
        return out

    def _weights(self, tau):
        if self.n_k == 3:                       # three samples: the parabola through them
            x = tau - self.j0                   # (j0 is 0: the nodes are the samples)
            w = np.array([(x - 1.0) * (x - 2.0) * 0.5, -x * (x - 2.0), x * (x - 1.0) * 0.5,
                          np.zeros_like(x)])
            dw = np.array([x - 1.5, 2.0 - 2.0 * x, x - 0.5, np.zeros_like(x)])
            return w, dw
        if self.n_k < 4:                        # two samples (or one): a line
            j = np.clip(np.floor(tau).astype(np.intp), 0, max(self.n_k - 2, 0))
            x = np.clip(tau - j, 0.0, 1.0)
            cols = np.arange(x.size)
            w, dw = np.zeros((4, x.size)), np.zeros((4, x.size))
            w[j, cols], w[np.minimum(j + 1, 3), cols] = 1.0 - x, x
            dw[j, cols], dw[np.minimum(j + 1, 3), cols] = -1.0, 1.0
            if self.n_k < 2:
                w[0], dw[0] = 1.0, 0.0
            return w.reshape((4,) + np.shape(x)), dw.reshape((4,) + np.shape(x))
        x = tau - self.j0
        x1, x2, x3 = x - 1.0, x - 2.0, x - 3.0
        a, b = x * x1, x2 * x3
        w = np.empty((4,) + x.shape)
        np.multiply(b * x1, -1.0 / 6.0, out=w[0])
        np.multiply(b * x, 0.5, out=w[1])
        np.multiply(a * x3, -0.5, out=w[2])
        np.multiply(a * x2, 1.0 / 6.0, out=w[3])
        if not self.velocity:
            return w, None
        dw = np.array([-(x2 * x3 + x1 * x3 + x1 * x2) / 6.0,
                       (x2 * x3 + x * x3 + x * x2) / 2.0,
                       -(x1 * x3 + x * x3 + x * x1) / 2.0,
                       (x1 * x2 + x * x2 + x * x1) / 6.0])
        return w, dw

    def _sun_at(self, at):
        """The Sun's direction from the interpolated rows ``at``: the cubic through four
        unit vectors is within 1e-11 of unit length for the 0.13 deg the Sun turns in
        30 s; a line or parabola (fewer samples) is divided by its length."""
        sun = at[7:10]
        if self.n_k < 4:
            sun = sun / np.sqrt(np.einsum("in,in->n", sun, sun))
        return sun

    def margin(self, tau) -> np.ndarray:
        """The margin at fractional sample indices ``tau`` (one per pair); SGP4 failures
        count as no access."""
        p = self.chunk.p
        tau = np.asarray(tau, float)
        w, dw = self._weights(tau)
        n = self.nodes
        at = np.einsum("rkn,kn->rn", n, w)
        pos = at[:3]
        up = height = None
        if self.has_up:
            # Interpolated unit vectors fall short of unit length (a cubic by some 3e-8,
            # a line by 1e-4): small, but the off-nadir test divides it by the tangent
            # of a small angle (a narrow swath), so the length is always divided out.
            up = at[3:6]
            up_length = np.sqrt(np.einsum("in,in->n", up, up))
            height = at[6]
        out = np.empty(len(tau))
        if self.quick.any():
            # Cosine differences: elevation (view zenith), off-nadir, Sun.
            d = pos - self.cell
            dist = np.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
            low = (self.up_c[0] * pos[0] + self.up_c[1] * pos[1] + self.up_c[2] * pos[2]
                   - self.up_height) / dist - self.t_el
            for g, (reach, fixed) in self.off_rule.items():
                mine = self.groups == g
                cos_off = (up[0] * d[0] + up[1] * d[1] + up[2] * d[2]) / (dist * up_length)
                limit = fixed if fixed is not None else np.cos(np.radians(reach(height)))
                low = np.where(mine, np.minimum(low, cos_off - limit), low)
            if np.isfinite(self.t_sun).any():
                sun = self._sun_at(at)
                sun_el = self.up_c[0] * sun[0] + self.up_c[1] * sun[1] + self.up_c[2] * sun[2]
                low = np.minimum(low, sun_el - self.t_sun)
            out[:] = low
        if not self.all_quick:
            for g, rule in enumerate(p.rule_list):
                if p.quick[g] is not None:
                    continue
                sel = np.flatnonzero(self.groups == g)
                if not len(sel):
                    continue
                extra = {}
                if up is not None and getattr(rule, "kind", "") == "imaging":
                    extra["sat_up"] = (up[:, sel] / up_length[sel], height[sel])
                if rule.needs_sun:
                    extra["sun_itrs_unit"] = self._sun_at(at)[:, sel]
                if getattr(rule, "needs_velocity", False):
                    extra["sat_velocity_itrs_km_s"] = np.einsum(
                        "rkn,kn->rn", n[:3, :, sel], dw[:, sel]) / p.step_s
                out[sel] = rule.margin_deg_at(pos[:, sel], self.target[:, sel],
                                              self.enu[:, :, sel], **extra)
        np.copyto(out, -180.0, where=np.isnan(out))
        return out


def _union(out: CoveragePartial, cells, first, last, offset, refined: bool):
    """Per-cell union of the intervals in slot rows into the counts of ``out``: covered
    time, accesses, first and last, the gaps between.

    ``first`` and ``last`` are (n_slot, n) steps (or seconds, when ``refined``) from
    ``offset``; a slot without an interval in a column has ``last`` -1 (and ``first``
    its dtype's largest value, or inf).
    """
    valid = last >= 0
    n_slot = first.shape[0]
    if n_slot > 1:
        # Slots are in order of their passes' first steps; sort the columns where an
        # overlapping pass reached a cell earlier than the one before it.
        seen = np.where(valid[0], first[0], -1)
        bad = np.zeros(first.shape[1], bool)
        for i in range(1, n_slot):
            bad |= valid[i] & (first[i] < seen)
            np.maximum(seen, np.where(valid[i], first[i], -1), out=seen)
        bad = np.flatnonzero(bad)
        if len(bad) and not refined and first.dtype == np.int16:
            # One int32 key per interval (first step, then last), sorted per column.
            key = (first[:, bad].T.astype(np.int32) << 16) | (last[:, bad].T + 1)
            key.sort(axis=1)
            first[:, bad] = (key >> 16).T
            last[:, bad] = ((key & 0xFFFF) - 1).T
            valid[:, bad] = last[:, bad] >= 0
        elif len(bad):
            o = np.argsort(first[:, bad], axis=0, kind="stable")
            first[:, bad] = np.take_along_axis(first[:, bad], o, axis=0)
            last[:, bad] = np.take_along_axis(last[:, bad], o, axis=0)
            valid[:, bad] = np.take_along_axis(valid[:, bad], o, axis=0)
    unit = 0 if refined else 1
    n = first.shape[1]
    wide = np.float64 if refined else np.int32
    covered = np.zeros(n, wide)
    accesses = np.zeros(n, np.int32)
    gaps = np.zeros(n, np.int32)
    max_gap = np.zeros(n, wide)
    earliest = np.full(n, np.inf if refined else np.iinfo(np.int32).max, wide)
    before = np.full(n, -2, wide)                   # the latest end so far (-2: none)
    for i in range(n_slot):
        # A slot without an interval has ``first`` past every step and ``last`` -1: it
        # adds no time, and leaves the earliest start and the latest end as they are.
        f, l_ = first[i].astype(wide), last[i].astype(wide)
        start = f - unit
        new = valid[i] & (start > before)
        gap = new & (before >= 0)
        covered += np.maximum(l_ - np.maximum(before, start), 0)
        accesses += new
        gaps += gap
        np.maximum(max_gap, np.where(gap, start - before, 0), out=max_gap)
        np.minimum(earliest, f, out=earliest)
        np.maximum(before, l_, out=before)
    has = before >= 0
    out.covered[cells] = covered
    out.accesses[cells] = accesses
    out.first[cells] = np.where(has, earliest + offset, -1)
    out.last[cells] = np.where(has, before + offset, -1)
    out.gaps[cells] = gaps
    out.max_gap[cells] = max_gap


def _velocity_itrs_km_s(satellites, t, hold: bool = True):
    """Earth-fixed velocities by a centred one-second difference of positions."""
    from orbitview.orbit.propagate import propagate
    ts = t.ts
    half = 0.5 / 86400.0
    ahead = propagate(satellites, ts.tt_jd(t.tt + half), hold=hold).itrs_km
    behind = propagate(satellites, ts.tt_jd(t.tt - half), hold=hold).itrs_km
    return ahead - behind


# --------------------------------------------------------------------------- results

@dataclass
class CoverageResult:
    grid: Grid
    coverage_percent: np.ndarray    # per analysed cell
    accesses: np.ndarray
    max_gap_min: np.ndarray
    mean_gap_min: np.ndarray
    step_s: float
    n_time: int
    start: dt.datetime
    names: list[str]
    prop: object
    """Propagation at the window's first and last step, for captions (element ages);
    its ``messages`` cover the whole window."""
    samples_evaluated: int = 0
    samples_total: int = 0
    partial: CoveragePartial | None = None
    """The merged partial the metrics come from (first/last access, gaps: revisit views)."""

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=(self.n_time - 1) * self.step_s)

    def warnings(self) -> list[str]:
        return self.prop.warnings()

    def as_grid(self, metric: str) -> np.ndarray:
        """The metric on the full (n_lat, n_lon) grid, NaN outside the mask."""
        out = np.full(self.grid.mask.shape, np.nan)
        out[self.grid.mask] = getattr(self, METRICS[metric][0])
        return out

    def summary(self, polygons: dict | None = None) -> list[dict]:
        """Rows per polygon (province) and for all analysed cells together.

        Cells are weighted by their area (cos latitude): coverage_percent,
        accesses and mean_gap_min are area-weighted means over the cells,
        max_gap_min is the worst cell's.
        """
        import shapely
        lat, lon = self.grid.cell_lat, self.grid.cell_lon
        weight = np.cos(np.radians(lat))
        rows = []
        groups = []
        for name, poly in (polygons or {}).items():
            groups.append((name, shapely.contains_xy(poly, lon, lat)))
        groups.append(("all cells" if not polygons else "Pakistan", np.ones(len(lat), bool)))
        for name, sel in groups:
            if not sel.any():
                rows.append({"region": name, "cells": 0, "coverage_percent": None,
                             "accesses": None, "mean_gap_min": None, "max_gap_min": None})
                continue
            w = weight[sel]
            rows.append({
                "region": name, "cells": int(sel.sum()),
                "coverage_percent": round(float(np.average(self.coverage_percent[sel],
                                                           weights=w)), 2),
                "accesses": round(float(np.average(self.accesses[sel], weights=w)), 2),
                "mean_gap_min": round(float(np.average(self.mean_gap_min[sel], weights=w)), 1),
                "max_gap_min": round(float(self.max_gap_min[sel].max()), 1),
            })
        return rows


def steps_between(start: dt.datetime, end: dt.datetime, step_s: float) -> int:
    """Number of time steps ``start + j * step_s`` up to ``end`` (as ``time_grid`` makes)."""
    return int(np.floor((end - start).total_seconds() / step_s + 1e-9)) + 1


def compute_coverage(satellites, grid: Grid, rule, start: dt.datetime, end: dt.datetime,
                     step_s: float, progress=None, hold: bool = True,
                     refine_s: float | None = None) -> CoverageResult:
    """Coverage metrics of ``satellites`` over ``grid`` under ``rule``, chunk by chunk.

    ``progress``, if given, is called with the number of time steps done after
    each chunk; ``hold`` as :func:`~orbitview.orbit.propagate.propagate` takes it.
    ``refine_s`` (seconds) measures access intervals between the steps
    (:class:`CoverageProblem`); by default they are counted in whole steps.
    """
    problem = CoverageProblem(satellites, grid, rule, start, step_s,
                              steps_between(start, end, step_s), hold=hold, refine_s=refine_s)
    return problem.result(problem.reduce(problem.chunks(), progress))
