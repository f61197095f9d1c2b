"""Imaging revisit over a region: how often each cell can be imaged, and how long one waits.

A view on the coverage engine (:func:`orbitview.access.coverage.compute_coverage`)
run with an imaging rule: a cell is "covered" at a time step when at least one
satellite could image it then.  From the engine's merged per-cell partial
(first and last access, accesses, gaps between them, longest gap) come:

* ``opportunities``: separate imaging opportunities (access intervals);
* ``first_image_h``: time from the start to the first opportunity (NaN: none);
* ``mean_revisit_h``: mean interval between consecutive opportunities (NaN with
  fewer than two);
* ``max_revisit_h``: the longest wait, including the waits before the first and
  after the last opportunity (which are lower bounds of the true wait; a cell
  never imaged waits the whole window);
* ``daylight_share_pct`` (optical fleets): the opportunities with enough Sun as
  a share of those the geometry alone allows (the same fleet without its Sun
  limit), i.e. how much darkness costs.

Times are counted in whole time steps, like the engine's gaps (in seconds when the
engine refines interval ends, ``refine_s``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from orbitview.access.coverage import CoverageResult

METRICS = {
    "max-revisit": ("max_revisit_h", "longest wait for an image (hours)"),
    "mean-revisit": ("mean_revisit_h", "mean revisit interval (hours)"),
    "first-image": ("first_image_h", "time to first image (hours)"),
    "opportunities": ("opportunities", "imaging opportunities (count)"),
    "daylight-share": ("daylight_share_pct",
                       "passes in reach with enough daylight (% of all)"),
}
"""Imaging metrics: name -> (attribute, label with unit)."""


@dataclass
class RevisitResult:
    coverage: CoverageResult             # the CoverageResult of the imaging rule
    opportunities: np.ndarray
    first_image_h: np.ndarray
    mean_revisit_h: np.ndarray
    max_revisit_h: np.ndarray
    daylight_share_pct: np.ndarray | None
    window_h: float
    rule: object

    @property
    def grid(self):
        return self.coverage.grid

    @property
    def names(self) -> list[str]:
        return self.coverage.names

    @property
    def start(self) -> dt.datetime:
        return self.coverage.start

    def as_grid(self, metric: str) -> np.ndarray:
        out = np.full(self.grid.mask.shape, np.nan)
        values = getattr(self, METRICS[metric][0])
        if values is not None:
            out[self.grid.mask] = values
        return out

    def summary(self, polygons: dict | None = None) -> list[dict]:
        """Rows per polygon (province) and for all cells: area-weighted means, worst cells.

        ``opportunities``, ``first_image_h`` (of the cells imaged), ``mean_revisit_h``
        (of cells imaged twice or more) and ``daylight_share_pct`` are area-weighted
        means; ``max_revisit_h`` and ``worst_first_image_h`` are the worst cell's;
        ``never_imaged_pct`` is the share of the area with no opportunity.
        """
        import shapely
        lat, lon = self.grid.cell_lat, self.grid.cell_lon
        weight = np.cos(np.radians(lat))
        groups = [(name, shapely.contains_xy(poly, lon, lat))
                  for name, poly in (polygons or {}).items()]
        groups.append(("all cells" if not polygons else "Pakistan", np.ones(len(lat), bool)))
        rows = []
        for name, sel in groups:
            row = {"region": name, "cells": int(sel.sum())}
            if not sel.any():
                rows.append(row | {k: None for k in SUMMARY_COLUMNS[2:]})
                continue
            w = weight[sel]
            first = self.first_image_h[sel]
            mean_rev = self.mean_revisit_h[sel]
            row.update({
                "opportunities": _mean(self.opportunities[sel], w),
                "first_image_h": _mean(first, w),
                "worst_first_image_h": None if np.isnan(first).any()
                else round(float(first.max()), 2),
                "mean_revisit_h": _mean(mean_rev, w),
                "max_revisit_h": round(float(self.max_revisit_h[sel].max()), 2),
                "never_imaged_pct": round(100.0 * float(w[np.isnan(first)].sum() / w.sum()), 2),
                "daylight_share_pct": None if self.daylight_share_pct is None
                else _mean(self.daylight_share_pct[sel], w),
            })
            rows.append(row)
        return rows


SUMMARY_COLUMNS = ["region", "cells", "opportunities", "first_image_h", "worst_first_image_h",
                   "mean_revisit_h", "max_revisit_h", "never_imaged_pct", "daylight_share_pct"]


def _mean(values, weight):
    ok = ~np.isnan(values)
    if not ok.any():
        return None
    return round(float(np.average(values[ok], weights=weight[ok])), 2)


def revisit_metrics(partial, step_s: float) -> dict:
    """Per-cell revisit metrics (hours) from a merged :class:`CoveragePartial` (counted in
    whole steps, or in seconds for a refined one)."""
    _, lead, trail = partial.borders()
    has = partial.first >= 0
    refined = getattr(partial, "span_s", None) is not None
    hours = (1.0 if refined else step_s) / 3600.0
    between = (partial.last - partial.first + (0 if refined else 1)
               - partial.covered).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(partial.gaps > 0, between / np.maximum(partial.gaps, 1), np.nan)
    return {
        "opportunities": partial.accesses.astype(int),
        "first_image_h": np.where(has, lead * hours, np.nan),
        "mean_revisit_h": mean * hours,
        "max_revisit_h": np.maximum(np.maximum(partial.max_gap, lead), trail) * hours,
    }


def compute_revisit(satellites, grid, rule, start: dt.datetime, end: dt.datetime,
                    step_s: float, daylight: bool = True, progress=None,
                    engine=None, hold: bool = True,
                    refine_s: float | None = None) -> RevisitResult:
    """Imaging revisit of ``satellites`` over ``grid`` under the imaging ``rule``.

    With ``daylight`` and any rule that needs the Sun, the fleet is run a second
    time without the Sun limit to give ``daylight_share_pct``.  ``engine`` (default
    :func:`~orbitview.access.coverage.compute_coverage`) runs the coverage engine, e.g. on a
    dask cluster (:func:`orbitview.access.distributed.coverage_runner`).  ``refine_s``
    (seconds) measures opportunities between the steps instead of in whole steps.
    """
    from orbitview.access.coverage import compute_coverage
    compute_coverage = engine or compute_coverage
    extra = {} if refine_s is None else {"refine_s": refine_s}
    cov = compute_coverage(satellites, grid, rule, start, end, step_s, progress=progress,
                           hold=hold, **extra)
    m = revisit_metrics(cov.partial, step_s)
    share = None
    if daylight and getattr(rule, "needs_sun", False):
        geo = compute_coverage(satellites, grid, rule.geometric(), start, end, step_s,
                               progress=progress, hold=hold, **extra)
        n_geo = geo.partial.accesses.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(n_geo > 0, 100.0 * m["opportunities"] / n_geo, np.nan)
    return RevisitResult(cov, m["opportunities"], m["first_image_h"], m["mean_revisit_h"],
                         m["max_revisit_h"], share, (cov.n_time - 1) * step_s / 3600.0, rule)
