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

**Within a chunk** nothing loops over cells or time steps in Python:

* cells are grouped in 1-degree tiles.  For each satellite-time sample the
  rule's :meth:`reach_deg` bounds (exact on the WGS84 ellipsoid) say whether
  a tile lies wholly within reach (every cell covered), wholly beyond it
  (none), or on the edge; only edge tiles' cells are evaluated, through the
  rule's ``margin_deg_at``;
* a satellite that stays within reach of whole tiles for the entire chunk
  (a geostationary one) covers them at every step without any per-step work;
* time steps without any satellite near the region are not stored; the
  covered intervals of every cell are read off the chunk's boolean matrix
  from its bit-packed changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from orbitview.util.errors import UsageError
from orbitview.orbit.propagate import RunNotes
from orbitview.data.sites import enu_basis, ground_itrs_km

METRICS = {"percent": ("coverage_percent", "coverage (% of time)"),
           "accesses": ("accesses", "accesses (count)"),
           "max-gap": ("max_gap_min", "longest revisit gap (minutes)"),
           "mean-gap": ("mean_gap_min", "mean revisit gap (minutes)")}
TILE_DEG = 1.0
CHUNK_BYTES = 256 * 2**20
"""Bound of a chunk's boolean (time step x cell) matrices; sets the steps per chunk."""
MAX_CHUNK_STEPS = 4096
BYTES_PER_CELL = 160
"""Memory a cell costs: its position and local frame, partial results, the grid mask."""


@dataclass
class Grid:
    """Cell centres of a lat/lon grid, optionally masked to a polygon."""

    lat_deg: np.ndarray           # (n_lat,)
    lon_deg: np.ndarray           # (n_lon,)
    mask: np.ndarray              # (n_lat, n_lon) bool: cells analysed
    resolution_deg: float

    @property
    def cell_lat(self):
        return np.broadcast_to(self.lat_deg[:, None], self.mask.shape)[self.mask]

    @property
    def cell_lon(self):
        return np.broadcast_to(self.lon_deg[None, :], self.mask.shape)[self.mask]


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
    """

    step0: int
    step1: int
    covered: np.ndarray           # int32: covered steps
    accesses: np.ndarray          # int32: covered intervals
    first: np.ndarray             # int32: first covered step, -1 if none
    last: np.ndarray              # int32: last covered step, -1 if none
    gaps: np.ndarray              # int32: gaps between first and last
    max_gap: np.ndarray           # int32: longest of them (steps)
    samples: int = 0
    """Satellite-time samples that came near the region (evaluated against tiles)."""
    notes: object = None
    """:class:`~orbitview.orbit.propagate.RunNotes`: SGP4 failures and element-set ages."""

    @classmethod
    def empty(cls, n_cell: int, step0: int, step1: int) -> "CoveragePartial":
        zeros = np.zeros(n_cell, np.int32)
        none = np.full(n_cell, -1, np.int32)
        return cls(step0, step1, zeros, zeros.copy(), none, none.copy(), zeros.copy(),
                   zeros.copy())

    def merge(self, later: "CoveragePartial") -> "CoveragePartial":
        """This partial followed by ``later`` (which must start where this one ends)."""
        if later.step0 != self.step1:
            raise ValueError(f"partials of steps {self.step0}-{self.step1} and "
                             f"{later.step0}-{later.step1} are not neighbours")
        a, b = self, later
        both = (a.first >= 0) & (b.first >= 0)
        join = np.where(both, b.first - a.last - 1, 0)       # gap across the border
        return CoveragePartial(
            a.step0, b.step1,
            covered=a.covered + b.covered,
            accesses=a.accesses + b.accesses - (both & (join == 0)),
            first=np.where(a.first >= 0, a.first, b.first),
            last=np.where(b.last >= 0, b.last, a.last),
            gaps=a.gaps + b.gaps + (join > 0),
            max_gap=np.maximum(np.maximum(a.max_gap, b.max_gap), join).astype(np.int32),
            samples=a.samples + b.samples,
            notes=a.notes.merge(b.notes) if a.notes and b.notes else a.notes or b.notes)

    def metrics(self, step_s: float) -> dict:
        """Per-cell metrics over the whole window ``step0:step1``."""
        n = self.step1 - self.step0
        has = self.first >= 0
        lead = np.where(has, self.first - self.step0, n)
        trail = np.where(has, self.step1 - 1 - self.last, 0)
        count = self.gaps + (lead > 0) + (trail > 0)
        longest = np.maximum(np.maximum(self.max_gap, lead), trail)
        minutes = step_s / 60.0
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, (n - self.covered) / count, 0.0)
        return {"coverage_percent": self.covered * (100.0 / n),
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
    """

    def __init__(self, satellites, grid: Grid, rule, start: dt.datetime, step_s: float,
                 n_steps: int, hold: bool = True):
        self.satellites = list(satellites)
        self.hold = bool(hold)
        self.rules = [rule.for_satellite(s) for s in self.satellites]
        self.rule = rule
        self.grid, self.start, self.step_s, self.n_steps = grid, start, float(step_s), n_steps
        lat, lon = grid.cell_lat, grid.cell_lon
        # Cells in tile-major order: every tile's cells are one contiguous slice.
        w, s = grid.lon_deg[0] - grid.resolution_deg / 2, grid.lat_deg[0] - grid.resolution_deg / 2
        n_tile_lon = int(np.ceil((grid.lon_deg[-1] - w) / TILE_DEG)) + 1
        tile = (np.floor((lat - s) / TILE_DEG) * n_tile_lon
                + np.floor((lon - w) / TILE_DEG)).astype(np.int64)
        self.order = np.argsort(tile, kind="stable")
        _, self.tile_start = np.unique(tile[self.order], return_index=True)
        self.tile_start = np.r_[self.tile_start, len(tile)]
        lat, lon = lat[self.order], lon[self.order]
        self.itrs_km = ground_itrs_km(lat, lon, np.zeros(len(lat)))
        self.enu = enu_basis(lat, lon)
        radius = np.linalg.norm(self.itrs_km, axis=0)
        unit = self.cell_unit = self.itrs_km / radius
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

    @property
    def n_cell(self) -> int:
        return self.itrs_km.shape[1]

    def chunks(self) -> list[tuple[int, int]]:
        """Runs of steps small enough that a chunk's matrices stay within CHUNK_BYTES."""
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
        t = self.times(np.arange(a, b))
        prop = propagate(self.satellites, t, hold=self.hold)
        out = CoveragePartial.empty(self.n_cell, a, b)
        out.notes = RunNotes.of(prop, a)
        xyz = prop.itrs_km                                    # (3, n_sat, k)
        r = np.linalg.norm(xyz, axis=0)
        valid = ~np.isnan(r)
        unit = xyz / np.where(valid, r, 1.0)
        certain = np.full(r.shape, -np.inf)
        possible = np.full(r.shape, -np.inf)
        for i, rule in enumerate(self.rules):
            certain[i] = rule.reach_deg(r[i], self.radius_km[1])[0]
            possible[i] = rule.reach_deg(r[i], self.radius_km[0])[1]
        certain[~valid], possible[~valid] = -np.inf, -np.inf
        # Tiles that one satellite keeps within certain reach for the whole chunk.
        always = np.zeros(len(self.tile_cells), bool)
        for i in np.flatnonzero(valid.all(axis=1)):
            mean = unit[:, i].sum(axis=1)
            mean /= np.linalg.norm(mean)
            moved = _angle_deg(mean, unit[:, i]).max()
            always |= _angle_deg(mean, self.tile_centre) + self.tile_radius_deg + moved \
                <= certain[i].min()
        work = np.flatnonzero(~always)
        # Samples near the region, in time order.
        near = valid & (_angle_deg(self.region_centre, unit) <= possible + self.region_radius_deg)
        step_idx, sat_idx = np.nonzero(near.T)
        out.samples = len(step_idx)
        k = b - a
        runs = _runs(self, prop, t, work, sat_idx, step_idx, unit, certain, possible)
        cols, start, end = runs
        _fill_from_runs(out, self.order[self.cells_of(work)[cols]], start + a, end + a)
        idx = self.order[self.cells_of(np.flatnonzero(always))]
        out.covered[idx], out.accesses[idx] = k, 1
        out.first[idx], out.last[idx] = a, b - 1
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


def _ragged_arange(n: np.ndarray) -> np.ndarray:
    """0..n[0]-1, 0..n[1]-1, ... concatenated."""
    return np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)


def _angle_deg(direction, units):
    """Angle (deg) between one unit vector (3,) and unit vectors (3, ...)."""
    return np.degrees(np.arccos(np.clip(np.tensordot(direction, units, axes=(0, 0)), -1.0, 1.0)))


def _runs(problem, prop, t, work, sat_idx, step_idx, unit, certain, possible):
    """Covered intervals ``(column, first step, last step)`` of the working tiles' cells.

    Columns number the cells of the tiles ``work`` in order; steps count from
    the chunk's start.  The chunk's matrix holds one row per cell and one
    column per step with a satellite near the region, with an uncovered column
    inserted wherever steps are skipped and one at the end, so that every
    interval ends inside it.
    """
    counts = problem.tile_cells[work]
    n_col = int(counts.sum())
    if len(step_idx) == 0 or n_col == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    steps, sample_row = np.unique(step_idx, return_inverse=True)
    skip = np.r_[np.diff(steps) > 1, False]
    row_of_step = np.arange(len(steps)) + np.r_[0, np.cumsum(skip)[:-1]]
    sample_row = row_of_step[sample_row]
    n_row = int(row_of_step[-1]) + 2                           # + a final uncovered column
    n_row += -n_row % 8                                        # whole 8-byte words per cell
    row_step = np.full(n_row, -1, np.int64)
    row_step[row_of_step] = steps
    # Tile classes for every near sample: within certain reach, beyond possible reach.
    s_unit = unit[:, sat_idx, step_idx]                        # (3, n_sample)
    angle = np.degrees(np.arccos(np.clip(s_unit.T @ problem.tile_centre[:, work], -1.0, 1.0)))
    radius = problem.tile_radius_deg[work]
    inside = angle + radius <= certain[sat_idx, step_idx][:, None]
    edge = ~inside & (angle - radius <= possible[sat_idx, step_idx][:, None])
    whole = np.zeros((n_row, len(work)), bool)
    first_of_step = np.flatnonzero(np.r_[True, step_idx[1:] != step_idx[:-1]])
    whole[row_of_step] = np.logical_or.reduceat(inside, first_of_step, axis=0)
    edge &= ~whole[sample_row]                                 # a tile already covered then
    covered = np.repeat(whole.T, counts, axis=0)               # (n_col, n_row)
    _evaluate_edges(problem, prop, t, work, counts, covered, sample_row, sat_idx, step_idx,
                    edge, unit, certain, possible)
    # Changes along each cell's row (from uncovered before the first column): each cell's
    # changes in time order, alternately rise and fall.  They are sparse: look for them
    # 8 bytes at a time.
    change = np.empty_like(covered)
    change[:, 0] = covered[:, 0]
    np.not_equal(covered[:, 1:], covered[:, :-1], out=change[:, 1:])
    del covered
    words = np.flatnonzero(change.view(np.uint64))
    which, byte = np.nonzero(change.reshape(-1, 8)[words])
    col, row = np.divmod(words[which] * 8 + byte, n_row)
    return col[0::2], row_step[row[0::2]], row_step[row[1::2] - 1]


def _evaluate_edges(problem, prop, t, work, counts, covered, sample_row, sat_idx, step_idx,
                    edge, unit, certain, possible):
    """Mark the cells of edge tiles that are covered.

    Per edge tile, its cells (a contiguous slice) against every sample for
    which the tile is an edge: each cell's central angle to the sample first
    (one matrix product) settles the cells within certain reach or beyond
    possible reach; the rule's ``margin_deg_at`` decides the band between.
    """
    tile_of_pair, pair_sample = np.nonzero(edge.T)             # grouped by tile
    if not len(pair_sample):
        return
    col_start = np.r_[0, np.cumsum(counts)[:-1]]
    sun = velocity = None
    if any(r.needs_sun for r in problem.rules):
        from orbitview.access.rules import sun_unit_itrs
        sun = sun_unit_itrs(t)                                 # (3, k)
    if any(getattr(r, "needs_velocity", False) for r in problem.rules):
        velocity = _velocity_itrs_km_s(problem.satellites, t, problem.hold)  # (3, n_sat, k)
    cos_certain = np.cos(np.radians(np.clip(certain, 0.0, 180.0)))
    cos_certain[certain < 0] = 2.0                             # nothing is certain
    cos_possible = np.cos(np.radians(np.clip(possible, 0.0, 180.0)))
    cos_possible[possible < 0] = 2.0                           # nothing is possible
    by_rule = {}
    for i, rule in enumerate(problem.rules):
        by_rule.setdefault(id(rule), (rule, []))[1].append(i)
    groups = list(by_rule.values())
    bounds = np.flatnonzero(np.r_[True, tile_of_pair[1:] != tile_of_pair[:-1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        w = tile_of_pair[lo]
        cells = slice(problem.tile_start[work[w]], problem.tile_start[work[w] + 1])
        samples = pair_sample[lo:hi]
        sat, step = sat_idx[samples], step_idx[samples]
        cos = unit[:, sat, step].T @ problem.cell_unit[:, cells]            # (m, n_cell)
        ok = cos >= cos_certain[sat, step][:, None]
        band = ~ok & (cos >= cos_possible[sat, step][:, None])
        i, j = np.nonzero(band)
        for rule, members in groups:              # usually one rule for every satellite
            mine = slice(None) if len(groups) == 1 else np.isin(sat[i], members)
            s_i, j_i = i[mine], j[mine] + cells.start
            if not len(s_i):
                continue
            margin = rule.margin_deg_at(
                prop.itrs_km[:, sat[s_i], step[s_i]], problem.itrs_km[:, j_i],
                problem.enu[:, :, j_i],
                sun_itrs_unit=None if sun is None else sun[:, step[s_i]],
                sat_velocity_itrs_km_s=None if velocity is None else
                velocity[:, sat[s_i], step[s_i]])
            ok[s_i, j_i - cells.start] = margin >= 0
        # Samples at one step share a column of the matrix: OR them first.
        rows = sample_row[samples]
        first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        cols = slice(col_start[w], col_start[w] + counts[w])
        covered[cols, rows[first]] |= np.logical_or.reduceat(ok, first, axis=0).T


def _velocity_itrs_km_s(satellites, t, hold: bool = True):
    """Earth-fixed velocities by a centred one-second difference of positions."""
    from orbitview.orbit.propagate import propagate
    ts = t.ts
    half = 0.5 / 86400.0
    ahead = propagate(satellites, ts.tt_jd(t.tt + half), hold=hold).itrs_km
    behind = propagate(satellites, ts.tt_jd(t.tt - half), hold=hold).itrs_km
    return ahead - behind


def _fill_from_runs(out: CoveragePartial, cell, start, end):
    """Per-cell counts from covered intervals sorted by cell, then time."""
    if not len(cell):
        return
    n_cell = len(out.covered)
    out.covered[:] = np.bincount(cell, weights=end - start + 1, minlength=n_cell)
    out.accesses[:] = np.bincount(cell, minlength=n_cell)
    new = np.r_[True, cell[1:] != cell[:-1]]
    last = np.r_[new[1:], True]
    out.first[cell[new]] = start[new]
    out.last[cell[last]] = end[last]
    inner = ~new[1:]                                       # run j+1 follows run j of its cell
    gap = start[1:][inner] - end[:-1][inner] - 1
    gap_cell = cell[1:][inner]
    out.gaps[:] = np.bincount(gap_cell, minlength=n_cell)
    np.maximum.at(out.max_gap, gap_cell, gap.astype(np.int32))


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
                     step_s: float, progress=None, hold: bool = True) -> CoverageResult:
    """Coverage metrics of ``satellites`` over ``grid`` under ``rule``, chunk by chunk.

    ``progress``, if given, is called with the number of time steps done after
    each chunk; ``hold`` as :func:`~orbitview.orbit.propagate.propagate` takes it.
    """
    problem = CoverageProblem(satellites, grid, rule, start, step_s,
                              steps_between(start, end, step_s), hold=hold)
    return problem.result(problem.reduce(problem.chunks(), progress))
