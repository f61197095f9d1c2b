"""``orbitview coverage``: coverage of Pakistan or a box, per province and per cell."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..errors import UsageError
from ..output import emit
from ..timeutil import iso
from . import params
from .common import (FORMAT_OPTION, MASK_OPTION, MIN_ELEVATION_OPTION, _check_window,
                     _launch_notes, _rule,
                     _select, _warn, cli)



@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--region", type=params.REGION, default="pakistan", show_default=True,
              help="pakistan (masked to Pakistan, per-province table) or W,E,S,N.")
@click.option("--start", "t0", type=params.TIME, default="now", show_default=True,
              help="Start (ISO 8601).")
@click.option("--hours", type=params.COVERAGE_HOURS, default=24.0, show_default=True)
@click.option("--step", "step_s", type=params.STEP_S, default=30.0, show_default=True,
              help="Seconds between time steps.")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.1, show_default=True,
              help="Grid cell size (deg).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--metric", type=click.Choice(["percent", "accesses", "max-gap", "mean-gap"]),
              default="percent", show_default=True, help="Quantity mapped.")
@click.option("-o", "--output", type=params.FIGURE,
              help="Heatmap file: .png, .svg or .pdf.")
@click.option("--grid-csv", type=params.CSV_FILE,
              help="Write per-cell metrics to this CSV.")
@FORMAT_OPTION
def coverage(names, all_, region, t0, hours, step_s, resolution, min_elevation, mask,
             metric, output, grid_csv, fmt):
    """Coverage of Pakistan (or a box): % of time, accesses and revisit gaps per province."""
    from ..basemap import parse_region, pakistan_polygon, province_polygons
    from ..coverage import make_grid
    from ..sites import load_sites
    from ..plotting import save_figure
    extent = parse_region(region)
    if extent is None:
        raise UsageError("coverage needs a bounded region, not the whole world.\n"
                         "Fix: give --region pakistan or W,E,S,N.")
    is_pakistan = region.strip().lower() == "pakistan"
    sats = _select(names, all_)
    rule = _rule(min_elevation, mask)
    t1 = t0 + dt.timedelta(hours=hours)
    _check_window(t0, t1)
    _launch_notes(sats, t0, t1)
    grid = make_grid(extent, resolution, pakistan_polygon() if is_pakistan else None)
    result = _run_coverage(sats, grid, rule, t0, t1, step_s)
    for m in result.warnings():
        _warn(m)
    polygons = province_polygons() if is_pakistan else None
    rows = result.summary(polygons)
    if grid_csv:
        _write_grid_csv(grid_csv, result)
        click.echo(f"orbitview: wrote {int(grid.mask.sum())} cells to {grid_csv}", err=True)
    if output:
        from ..maps import coverage_figure
        fig = coverage_figure(result, metric, rule, extent, polygons,
                              sites=load_sites().values() if is_pakistan else ())
        save_figure(fig, output)
        click.echo(f"orbitview: wrote {output}", err=True)
    emit(rows, ["region", "cells", "coverage_percent", "accesses", "mean_gap_min",
                "max_gap_min"], fmt,
         title=f"Coverage {iso(t0)} + {hours:g} h, step {step_s:g} s, "
               f"{resolution:g} deg grid, {rule.describe()}: "
               + (", ".join(result.names) if len(result.names) <= 5
                  else f"{len(result.names)} satellites"),
         caption="coverage_percent, accesses and mean_gap_min: area-weighted means over the "
                 "cells; max_gap_min: the worst cell. Gaps include the window's start and end.")


def _run_coverage(sats, grid, rule, t0, t1, step_s):
    """compute_coverage with a progress bar on a terminal when the work is large."""
    from ..coverage import compute_coverage, steps_between
    n_steps = steps_between(t0, t1, step_s)
    if not sys.stderr.isatty() or int(grid.mask.sum()) * n_steps * len(sats) < 50_000_000:
        return compute_coverage(sats, grid, rule, t0, t1, step_s)
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task("coverage", total=n_steps)
        return compute_coverage(sats, grid, rule, t0, t1, step_s,
                                progress=lambda n: bar.advance(task, n))


GRID_CSV_COLUMNS = ["lat_deg", "lon_deg", "coverage_percent", "accesses", "max_gap_min",
                    "mean_gap_min"]


def _write_grid_csv(path, result, block: int = 65_536):
    """Per-cell metrics as CSV, written block by block (atomically: all or nothing)."""
    import csv
    import numpy as np
    from ..atomic import atomic_write
    grid = result.grid
    lat, lon = grid.cell_lat, grid.cell_lon
    columns = (lat, lon, result.coverage_percent, result.accesses, result.max_gap_min,
               result.mean_gap_min)
    digits = (5, 5, 3, None, 2, 2)

    def write(tmp):
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(GRID_CSV_COLUMNS)
            for a in range(0, len(lat), block):
                parts = [c[a:a + block].tolist() if d is None else
                         np.round(c[a:a + block], d).tolist() for c, d in zip(columns, digits)]
                out.writerows(zip(*parts))
    atomic_write(path, write)
