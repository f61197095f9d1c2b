"""Coverage of a region: grid cells x time steps, vectorised, with STK-style metrics.

For every cell and time step, a cell is covered when at least one satellite
is visible under the :class:`~orbitview.access.VisibilityRule` (the same
rule the pass search uses).  Elevations come from two matrix products per
block of samples (satellite positions against cell positions and cell
normals); no Python loop runs over time steps or cells.

Two restrictions keep it fast and stay exact:

* a satellite-time sample is evaluated only if its footprint can reach the
  region (central angle to the region's centre within the footprint angle
  plus the region's radius plus a 2 degree margin for the ellipsoid);
* a slowly moving satellite (GEO) whose position moves by ``delta`` km over
  the window changes its elevation seen from a cell by at most
  ``delta / range`` radians, so cells further than that from the rule's
  threshold are covered (or not) at every step without evaluating each one.

Metrics per cell: ``coverage_percent`` (share of time steps covered),
``accesses`` (separate covered intervals), ``mean_gap_min`` and
``max_gap_min`` (revisit gaps: uncovered intervals, including those at the
start and end of the window, measured in whole time steps).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from .access import VisibilityRule
from .sites import enu_basis, ground_itrs_km
from .errors import UsageError

METRICS = {"percent": ("coverage_percent", "coverage (% of time)"),
           "accesses": ("accesses", "accesses (count)"),
           "max-gap": ("max_gap_min", "longest revisit gap (minutes)"),
           "mean-gap": ("mean_gap_min", "mean revisit gap (minutes)")}
CELL_BLOCK = 20_000
SLOW_DELTA_KM = 500.0
"""A satellite moving less than this over the window is treated as slow (GEO)."""
SAMPLE_BLOCK = 256


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


def make_grid(extent, resolution_deg: float, polygon=None) -> Grid:
    """Cells of ``resolution_deg`` over ``extent`` (W, E, S, N), inside ``polygon`` if given."""
    if not 0.005 <= resolution_deg <= 5:
        raise UsageError(f"--resolution {resolution_deg} deg is outside 0.005 to 5.\n"
                         "Fix: give e.g. --resolution 0.1 (about 11 km).")
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
    samples_evaluated: int = 0
    samples_total: int = 0

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


def _unit(v):
    return v / np.linalg.norm(v, axis=0, keepdims=True)


def compute_coverage(prop, grid: Grid, rule: VisibilityRule, progress=None) -> CoverageResult:
    """Coverage metrics of the satellites in ``prop`` over ``grid`` under ``rule``."""
    step_s = float(np.round((prop.t[1] - prop.t[0]) * 86400.0, 6)) if len(prop.t) > 1 else 0.0
    lat, lon = grid.cell_lat, grid.cell_lon
    n_cell, n_time = len(lat), len(prop.t)
    cells = ground_itrs_km(lat, lon, np.zeros(n_cell))          # (3, n_cell)
    enu = enu_basis(lat, lon)                                    # (3, 3, n_cell)
    sat = prop.itrs_km                                           # (3, n_sat, n_time)
    n_sat = sat.shape[1]
    sin_req = np.sin(np.radians(rule.lowest_deg))

    # 1. Samples whose footprint can reach the region.
    centre = _unit(cells.mean(axis=1))
    region_radius = np.degrees(np.arccos(np.clip(centre @ _unit(cells), -1, 1)).max())
    r_sat = np.linalg.norm(sat, axis=0)                          # (n_sat, n_time)
    earth_r = 6371.0
    fp_angle = np.degrees(np.arccos(np.clip(earth_r * np.cos(np.radians(rule.lowest_deg))
                                            / r_sat, -1, 1))) - rule.lowest_deg
    angle = np.degrees(np.arccos(np.clip(np.einsum("i,ist->st", centre, sat) / r_sat, -1, 1)))
    near = (angle <= fp_angle + region_radius + 2.0) & ~np.isnan(r_sat)

    # 2. Slow satellites (GEO): constant visibility away from the threshold band.
    always = np.zeros(n_cell, dtype=bool)
    slow_cells: dict[int, np.ndarray] = {}   # satellite -> cells it must be evaluated at
    for i in range(n_sat):
        valid = ~np.isnan(sat[0, i])
        if not near[i].any() or not valid.all():
            continue
        ref = sat[:, i].mean(axis=1)
        delta = np.linalg.norm(sat[:, i] - ref[:, None], axis=0).max()
        if delta > SLOW_DELTA_KM:
            continue
        az, el, rng = _look(cells, enu, ref[:, None, None])
        margin = rule.margin_deg(az[0], el[0])
        bound = np.degrees(delta / np.maximum(rng[0] - delta, 1.0)) + 1e-9
        always |= margin > bound
        ambiguous = np.abs(margin) <= bound
        if ambiguous.any():
            slow_cells[i] = ambiguous
        else:
            near[i] = False
    visible_cells = ~always

    # 3. Elevation of every remaining sample at every remaining cell, in blocks.
    sat_idx, time_idx = np.nonzero(near)
    order = np.argsort(time_idx, kind="stable")
    sat_idx, time_idx = sat_idx[order], time_idx[order]
    # float32 halves the memory traffic of the hot loop; positions of ~7000 km then
    # carry ~0.5 m of rounding, i.e. < 1e-6 degree of elevation at these ranges.
    S = sat[:, sat_idx, time_idx].T.astype(np.float32)                  # (K, 3)
    S2 = (S.astype(np.float64) ** 2).sum(1).astype(np.float32)[:, None]
    covered = np.zeros((n_cell, n_time), dtype=bool)
    covered[always] = True
    todo = np.flatnonzero(visible_cells)
    sin2 = np.float32(sin_req * sin_req)
    for c0 in range(0, len(todo), CELL_BLOCK):
        cols = todo[c0:c0 + CELL_BLOCK]
        P = cells[:, cols].T                                           # (m, 3)
        U = enu[2][:, cols].T
        PU = np.einsum("ij,ij->i", P, U).astype(np.float32)
        PP = np.einsum("ij,ij->i", P, P).astype(np.float32)
        P2T = (2.0 * P.T).astype(np.float32)
        UT = U.T.astype(np.float32)
        block = np.zeros((n_time, len(cols)), dtype=bool)
        for k0 in range(0, len(S), SAMPLE_BLOCK):
            Sk = S[k0:k0 + SAMPLE_BLOCK]
            up = Sk @ UT
            up -= PU                                                   # (k, m) km
            if rule.mask is None:
                rng2 = Sk @ P2T
                np.subtract(S2[k0:k0 + SAMPLE_BLOCK], rng2, out=rng2)
                rng2 += PP                                             # squared range
                rng2 *= sin2
                vis = up >= 0 if sin_req >= 0 else np.ones(up.shape, bool)
                up *= up
                vis &= up >= rng2                                      # sin(el) >= sin(req)
            else:
                E = enu[0][:, cols].T
                N = enu[1][:, cols].T
                east = Sk @ E.T.astype(np.float32) - np.einsum("ij,ij->i", P, E)
                north = Sk @ N.T.astype(np.float32) - np.einsum("ij,ij->i", P, N)
                az = np.degrees(np.arctan2(east, north)) % 360.0
                el = np.degrees(np.arctan2(up, np.hypot(east, north)))
                vis = rule.margin_deg(az, el) >= 0
            for i, ambiguous in slow_cells.items():   # elsewhere its answer is constant
                rows = sat_idx[k0:k0 + SAMPLE_BLOCK] == i
                if rows.any():
                    vis[rows] &= ambiguous[cols]
            t_k = time_idx[k0:k0 + SAMPLE_BLOCK]
            starts = np.flatnonzero(np.r_[True, t_k[1:] != t_k[:-1]])
            block[t_k[starts]] |= np.logical_or.reduceat(vis, starts, axis=0)
            if progress is not None:
                progress(len(Sk) * len(cols))
        covered[cols] = block.T
    pct, acc, gmax, gmean = _metrics(covered, step_s)
    return CoverageResult(grid, pct, acc, gmax, gmean, step_s, n_time,
                          prop.times_utc[0], prop.names, prop, int(len(S)), int(n_sat * n_time))


def _look(cells, enu, sat):
    from .access import look_angles
    return look_angles(cells[:, None, :], enu[:, :, None, :], sat)


def _metrics(covered: np.ndarray, step_s: float):
    """Per-cell coverage %, accesses and revisit gaps (minutes) from (n_cell, n_time).

    Gaps are the uncovered stretches, including those at the start and end of
    the window, measured in whole time steps.
    """
    n_cell, n_time = covered.shape
    pct = np.count_nonzero(covered, axis=1) * (100.0 / n_time)
    change = covered[:, 1:] != covered[:, :-1]          # a transition after step j
    flat = np.flatnonzero(change)
    cell, step = np.divmod(flat, n_time - 1)
    rise = covered[cell, step + 1]                      # uncovered -> covered
    first, last = covered[:, 0], covered[:, -1]
    accesses = np.bincount(cell[rise], minlength=n_cell) + first
    # Gap boundaries as times: a gap starts after a fall (or at 0 if uncovered
    # there) and ends at a rise (or at n_time).
    g_start = np.concatenate([np.flatnonzero(~first), cell[~rise]])
    t_start = np.concatenate([np.zeros((~first).sum(), int), step[~rise] + 1])
    g_end = np.concatenate([cell[rise], np.flatnonzero(~last)])
    t_end = np.concatenate([step[rise] + 1, np.full((~last).sum(), n_time)])
    o1 = np.lexsort((t_start, g_start))
    o2 = np.lexsort((t_end, g_end))
    gap_cell = g_start[o1]
    lengths = (t_end[o2] - t_start[o1]) * (step_s / 60.0)
    counts = np.bincount(gap_cell, minlength=n_cell)
    gmax = np.zeros(n_cell)
    gmean = np.zeros(n_cell)
    has = counts > 0
    if len(lengths):
        firsts = np.r_[0, np.cumsum(counts)[:-1]][has]
        gmax[has] = np.maximum.reduceat(lengths, firsts)
        gmean[has] = np.add.reduceat(lengths, firsts) / counts[has]
    return pct, accesses.astype(int), gmax, gmean
