"""``orbitview coverage``: coverage of Pakistan or a box, per province and per cell."""

from __future__ import annotations

import datetime as dt
import sys

import click

from orbitview.util.errors import UsageError
from orbitview.products.text import emit
from orbitview.util.timeutil import iso
from orbitview.cli import common, imaging, messages, options, params, session
from orbitview.cli.common import cli

RADIO_METRICS = ("percent", "accesses", "max-gap", "mean-gap")
IMAGING_METRICS = ("max-revisit", "mean-revisit", "first-image", "opportunities",
                   "daylight-share")


def DASK_OPTIONS(f):
    """--dask, --workers and --scheduler: where the coverage engine runs (see engine_for)."""
    f = click.option("--scheduler", metavar="tcp://HOST:PORT",
                     help="Split the run over an existing dask cluster (see the README). "
                          "Same result.")(f)
    f = click.option("--workers", "dask_workers",
                     type=params.Number("workers", min=1, max=4096, integer=True,
                                        example="2"),
                     help="Worker processes of --dask (default: one per core).")(f)
    return click.option("--dask", "use_dask", is_flag=True,
                        help="Split the run over a dask LocalCluster on this machine "
                             "(--workers processes). Same result.")(f)



@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--region", type=params.REGION, default="pakistan", show_default=True,
              help="pakistan (masked to Pakistan, per-province table) or W,E,S,N.")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="Start (ISO 8601).")
@click.option("--hours", type=params.COVERAGE_HOURS, default=None,
              help="Length of the window (default 24 h).")
@click.option("--days", type=params.Number("days", min=0.0, min_open=True, max=366.0,
                                           example="30"),
              help="Length of the window in days, instead of --hours (at most a year; "
                   "--dask splits long runs over worker processes).")
@click.option("--step", "step_s", type=params.STEP_S, default=None,
              help="Seconds between time steps (default 30; 10 for imaging access).")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.1, show_default=True,
              help="Grid cell size (deg).")
@options.MIN_ELEVATION_OPTION
@options.MASK_OPTION
@options.ACCESS_OPTION
@options.MAX_OFF_NADIR_OPTION
@options.MIN_SUN_OPTION
@click.option("--metric", type=click.Choice([*RADIO_METRICS, *IMAGING_METRICS]),
              help="Quantity mapped: percent (default), accesses, max-gap, mean-gap for radio "
                   "access; max-revisit (default), mean-revisit, first-image, opportunities, "
                   "daylight-share for imaging.")
@click.option("-o", "--output", type=params.FIGURE,
              help="Heatmap file: .png, .svg or .pdf.")
@click.option("--grid-csv", type=params.CSV_FILE,
              help="Write per-cell metrics to this CSV.")
@DASK_OPTIONS
@options.FORMAT_OPTION
@options.sources
@options.SENSORS
def coverage(names, all_, region, t0, hours, days, step_s, resolution, min_elevation, mask,
             access, max_off_nadir, min_sun, metric, output, grid_csv, use_dask, dask_workers,
             scheduler, fmt):
    """Coverage of Pakistan (or a box): % of time, accesses and revisit gaps per province.

    With imaging access (the default when every satellite named is an imager): how
    often each cell can be imaged, the longest wait, the time to the first image."""
    from orbitview.data.regions import parse_region, pakistan_polygon, province_polygons
    from orbitview.access.coverage import make_grid
    from orbitview.data.sites import load_sites
    from orbitview.products.plotting import save_figure
    extent = parse_region(region)
    if extent is None:
        raise UsageError("coverage needs a bounded region, not the whole world.\n"
                         "Fix: give --region pakistan or W,E,S,N.")
    is_pakistan = region.strip().lower() == "pakistan"
    hours = coverage_hours(hours, days)
    check_cluster_options(use_dask, dask_workers, scheduler)
    sats = common.select(names, all_)
    rule, used, metric, step_s = coverage_access(sats, access, min_elevation, mask,
                                                 max_off_nadir, min_sun, metric, step_s, all_)
    is_imaging = rule.kind == "imaging"
    t1 = t0 + dt.timedelta(hours=hours)
    common.check_window(t0, t1)
    common.launch_notes(sats, t0, t1)
    grid = make_grid(extent, resolution, pakistan_polygon() if is_pakistan else None)
    span_option = "--hours" if days is None else "--days"
    check_cell_steps(t0, t1, step_s, int(grid.mask.sum()), span_option,   # before a cluster
                     10.0 if is_imaging else 30.0)
    with engine_for(use_dask, dask_workers, scheduler) as engine:
        result = run_coverage(sats, used, grid, rule, t0, t1, step_s, engine, span_option)
    if is_imaging:
        _imaging_coverage(result, t0, hours, step_s, resolution, metric, output, grid_csv,
                          fmt, extent, is_pakistan, sats)
        return
    polygons = province_polygons() if is_pakistan else None
    rows = result.summary(polygons)
    if grid_csv:
        _write_grid_csv(grid_csv, result)
        click.echo(f"orbitview: wrote {int(grid.mask.sum())} cells to {grid_csv}", err=True)
    if output:
        from orbitview.products.maps import coverage_figure
        fig = coverage_figure(result, metric, rule, extent, polygons,
                              sites=load_sites().values() if is_pakistan else (),
                              clock=session.view_clock())
        save_figure(fig, output)
        click.echo(f"orbitview: wrote {output}", err=True)
    columns, hypothetical = _mark_hypothetical(rows, result.names,
                                               ["region", "cells", "coverage_percent",
                                                "accesses", "mean_gap_min", "max_gap_min"])
    emit(rows, columns, fmt, table_columns=columns[:6],
         title=("HYPOTHETICAL fleet: " if hypothetical else "")
               + f"Coverage {iso(t0)} + {hours:g} h, step {step_s:g} s, "
               f"{resolution:g} deg grid, {rule.describe()}: "
               + (", ".join(result.names) if len(result.names) <= 5
                  else f"{len(result.names)} satellites"),
         caption="coverage_percent, accesses and mean_gap_min: area-weighted means over the "
                 "cells; max_gap_min: the worst cell. Gaps include the window's start and end."
                 + (f" {hypothetical}" if hypothetical else ""))


def coverage_hours(hours, days) -> float:
    """The window of --hours or --days (not both), 24 h when neither is given."""
    if hours is not None and days is not None:
        raise click.UsageError("give --hours or --days, not both")
    return days * 24.0 if days is not None else (hours or 24.0)


def coverage_access(sats, access, min_elevation, mask, max_off_nadir, min_sun, metric,
                    step_s, all_=False):
    """(rule, satellites used, metric, step_s) of a coverage run, as ``coverage`` chooses
    them: imaging when every satellite is an imager (unless --access, --min-elevation or
    --mask say radio), a --metric of the access kind (default percent or max-revisit),
    steps of 10 s for imaging and 30 s for radio unless --step."""
    rule, used, _ = imaging.access_rule(sats, imaging.radio_unless_asked(access, min_elevation, mask),
                                common.radio_rule(min_elevation, mask), max_off_nadir, min_sun,
                                mixed_default="radio", all_=all_)
    is_imaging = rule.kind == "imaging"
    if metric is not None and (metric in IMAGING_METRICS) != is_imaging:
        raise click.UsageError(
            f"--metric {metric} is a{'n imaging' if metric in IMAGING_METRICS else ' radio'} "
            f"metric but the access is {rule.kind}.\nFix: use --access "
            f"{'imaging' if metric in IMAGING_METRICS else 'radio'}, or another --metric.")
    return (rule, used, metric or ("max-revisit" if is_imaging else "percent"),
            step_s or (10.0 if is_imaging else 30.0))


def run_coverage(sats, used, grid, rule, t0, t1, step_s, engine=None, span_option=None):
    """The coverage engine under ``rule``: a CoverageResult (radio access, every satellite
    asked) or a RevisitResult (imaging access, the imagers ``used``); warnings printed.
    More than :data:`MAX_CELL_STEPS` is refused first (``span_option`` names the option
    that set the window: --hours or --days)."""
    check_cell_steps(t0, t1, step_s, int(grid.mask.sum()), span_option,
                     10.0 if rule.kind == "imaging" else 30.0)
    if rule.kind == "imaging":
        from orbitview.access.revisit import compute_revisit
        result = _progress(lambda progress: compute_revisit(used, grid, rule, t0, t1, step_s,
                                                            progress=progress, engine=engine,
                                                            hold=session.hold()),
                           grid, used, t0, t1, step_s, 2 if rule.needs_sun else 1, engine)
        messages.warn_all(result.coverage.warnings())
    else:
        result = _run_coverage(sats, grid, rule, t0, t1, step_s, engine)
        messages.warn_all(result.warnings())
    return result


MAX_CELL_STEPS = 10**12
"""Time steps x cells a coverage run may take.  The largest run the README describes, 100
satellites over a year at 10 s over Pakistan at 0.02 deg (3.15 million steps x 204,824 cells,
6.5 x 10^11, hours of CPU on a cluster), fits; --hours 744 every 0.01 s (2.2 x 10^12 over the
0.1 deg grid, an hour of CPU per satellite for steps a thousand times finer than a cell's
crossing) does not."""


def check_cell_steps(t0, t1, step_s: float, n_cells: int, span_option: str | None,
                     default_step_s: float, max_cell_steps: float = MAX_CELL_STEPS) -> None:
    """Refuse (usage error, exit 2), before any work, a run of more than ``max_cell_steps``
    time steps x cells, with the figure and a --step that fits."""
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
        f"Fix: give --step {common.coarser(step_s, n / max_cell_steps):g} or more (the default is "
        f"{default_step_s:g} s), a shorter {span_option}, or a coarser --resolution.")


def _mark_hypothetical(rows, names, columns):
    """Designs generated by 'orbitview design' are named in every output: a column
    ``hypothetical`` in every row and a note for the caption ('' for real satellites)."""
    from orbitview.orbit.design import hypothetical_note
    note = hypothetical_note(names)
    if not note:
        return columns, ""
    for r in rows:
        r["hypothetical"] = True
    return columns + ["hypothetical"], note


def check_cluster_options(use_dask, workers, scheduler) -> None:
    """--dask and --scheduler exclude each other; --workers needs --dask."""
    if use_dask and scheduler:
        raise UsageError("--dask starts a cluster on this machine, --scheduler uses an "
                         "existing one: give one of them.\nFix: drop --dask or --scheduler.")
    if workers and not use_dask:
        raise UsageError("--workers sets the size of the --dask cluster.\nFix: add --dask, "
                         "or drop --workers.")


def engine_for(use_dask, workers, scheduler):
    """A context giving the coverage engine to use: None (this process) or one that runs
    on a dask cluster (orbitview.access.distributed), which it starts or joins and closes."""
    import contextlib
    if not use_dask and not scheduler:
        return contextlib.nullcontext(None)
    from orbitview.access import distributed

    @contextlib.contextmanager
    def cluster():
        with distributed.cluster_client(workers or None, scheduler) as client:
            click.echo(f"orbitview: running on dask, {distributed.describe_cluster(client)}",
                       err=True)
            yield distributed.coverage_runner(client)
    return cluster()


def _imaging_coverage(rev, t0, hours, step_s, resolution, metric, output, grid_csv, fmt,
                      extent, is_pakistan, asked):
    """The imaging branch of ``coverage``: the revisit metrics' map and table."""
    from orbitview.data.regions import province_polygons
    from orbitview.access.revisit import SUMMARY_COLUMNS
    from orbitview.data.sites import load_sites
    rule, grid = rev.rule, rev.grid
    excluded = [(s, rule.excluded[s.norad_id]) for s in asked if s.norad_id in rule.excluded]
    polygons = province_polygons() if is_pakistan else None
    rows = rev.summary(polygons)
    note = imaging.assumption_note(rule)
    if grid_csv:
        _write_grid_csv(grid_csv, rev, REVISIT_CSV_COLUMNS, note)
        click.echo(f"orbitview: wrote {int(grid.mask.sum())} cells to {grid_csv}", err=True)
    if output:
        from orbitview.products.maps import revisit_figure
        from orbitview.products.plotting import save_figure
        fig = revisit_figure(rev, metric, extent, polygons,
                             sites=load_sites().values() if is_pakistan else (),
                             excluded=excluded, clock=session.view_clock())
        save_figure(fig, output)
        click.echo(f"orbitview: wrote {output}", err=True)
    columns, hypothetical = _mark_hypothetical(rows, rev.names, list(SUMMARY_COLUMNS))
    if hypothetical:
        note = f"{hypothetical}\n{note}" if note else hypothetical
    emit(rows, columns, fmt, table_columns=list(SUMMARY_COLUMNS),
         title=("HYPOTHETICAL fleet: " if hypothetical else "")
               + f"Imaging revisit {iso(t0)} + {hours / 24:g} d, step {step_s:g} s, "
               f"{resolution:g} deg grid: " + (", ".join(rev.names) if len(rev.names) <= 5
                                                else f"{len(rev.names)} satellites"),
         caption="Per region: opportunities, first_image_h (cells imaged), mean_revisit_h "
                 "(cells imaged twice or more) and daylight_share_pct are area-weighted means; "
                 "max_revisit_h (waits at the window's ends included) and "
                 "worst_first_image_h are the worst cell's; never_imaged_pct: share of the area "
                 f"never imaged. Rules: {rule.describe()}." + (f"\n{note}" if note else ""))
    if fmt != "table" and note:
        messages.warn(note)


REVISIT_CSV_COLUMNS = ["lat_deg", "lon_deg", "opportunities", "first_image_h",
                       "mean_revisit_h", "max_revisit_h", "daylight_share_pct"]


def _progress(run, grid, sats, t0, t1, step_s, passes=1, engine=None):
    """Run ``run(progress)`` with a progress bar on a terminal when the work is large (or
    runs on a cluster)."""
    from orbitview.access.coverage import steps_between
    n_steps = steps_between(t0, t1, step_s)
    if not sys.stderr.isatty() or (engine is None and int(grid.mask.sum()) * n_steps
                                   * len(sats) < 50_000_000):
        return run(None)
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task("coverage", total=n_steps * passes)
        return run(lambda n: bar.advance(task, n))


def _run_coverage(sats, grid, rule, t0, t1, step_s, engine=None):
    """The coverage engine (here, or ``engine`` on a cluster) with a progress bar on a
    terminal when the work is large."""
    from orbitview.access.coverage import compute_coverage
    run = engine or compute_coverage
    hold = session.hold()
    return _progress(lambda progress: run(sats, grid, rule, t0, t1, step_s,
                                          progress=progress, hold=hold),
                     grid, sats, t0, t1, step_s, engine=engine)


GRID_CSV_COLUMNS = ["lat_deg", "lon_deg", "coverage_percent", "accesses", "max_gap_min",
                    "mean_gap_min"]
DIGITS = {"lat_deg": 5, "lon_deg": 5, "coverage_percent": 3, "accesses": None,
          "opportunities": None, "daylight_share_pct": 1}


def _write_grid_csv(path, result, columns=GRID_CSV_COLUMNS, note: str = "",
                    block: int = 65_536):
    """Per-cell metrics as CSV, written block by block (atomically: all or nothing).

    ``note`` (the assumed instrument values) becomes a first line starting with ``#``
    (``pandas.read_csv(path, comment="#")`` skips it).
    """
    import csv
    import numpy as np
    from orbitview.util.atomic import atomic_write
    grid = result.grid
    values = {"lat_deg": grid.cell_lat, "lon_deg": grid.cell_lon}
    values.update({c: getattr(result, c) for c in columns if c not in values})

    def write(tmp):
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            if note:
                f.write(f"# {note}\n")
            out = csv.writer(f, lineterminator="\n")
            out.writerow(columns)
            for a in range(0, len(grid.cell_lat), block):
                parts = []
                for c in columns:
                    v = values[c]
                    if v is None:
                        parts.append([""] * len(grid.cell_lat[a:a + block]))
                        continue
                    chunk = v[a:a + block]
                    digits = DIGITS.get(c, 2)
                    chunk = chunk.tolist() if digits is None else np.round(chunk, digits)
                    parts.append(["" if x != x else x for x in np.asarray(chunk).tolist()])
                out.writerows(zip(*parts))
    atomic_write(path, write)
