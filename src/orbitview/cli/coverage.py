"""``orbitview coverage``: coverage of Pakistan, a province or a box, per province and per cell.

The command parses its options and calls :func:`orbitview.api.coverage.coverage`; the
rule, metric, grid, run (here or on dask) and summary are the library's.
"""

from __future__ import annotations

import click

from orbitview.api.coverage import IMAGING_METRICS, RADIO_METRICS
from orbitview.cli import common, imaging, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.products.text import emit
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso


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



class RegionOrProvince(click.ParamType):
    """'pakistan', a province or territory (Punjab, Sindh, KP, ...), 'world' or W,E,S,N ->
    the text, checked as the library reads it (:func:`orbitview.api.inputs.region`)."""

    name = "region"

    def convert(self, value, param, ctx):
        from orbitview.api.inputs import region as read_region
        try:
            read_region(str(value))
        except UsageError as e:
            self.fail(_region_fix(str(value), e), param, ctx)
        return str(value)


def _region_fix(text: str, error: UsageError) -> str:
    """The library's refusal, or for a name it does not know, the names it does know."""
    import difflib

    from orbitview.data.regions import PROVINCE_ABBREVIATIONS
    if "," in text:
        return str(error)
    names = ["pakistan", *PROVINCE_ABBREVIATIONS, *PROVINCE_ABBREVIATIONS.values()]
    close = difflib.get_close_matches(text.strip(), names, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}?" if close else ""
    return (f"region {text.strip()!r} is not world, pakistan, a province or W,E,S,N.{hint}\n"
            "Fix: give --region pakistan, a province (" + ", ".join(
                dict.fromkeys(PROVINCE_ABBREVIATIONS.values())) + "), or four numbers in "
            "degrees such as --region 60,80,23,38 (west, east, south, north).")


COVERAGE_REGION = RegionOrProvince()


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--region", type=COVERAGE_REGION, default="pakistan", show_default=True,
              help="pakistan (masked to Pakistan, per-province table), a province (Punjab, "
                   "Sindh, KP, Balochistan, GB, AJK, ICT: masked to it) or W,E,S,N.")
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
@click.option("--refine", "refine_s", type=params.Number("s", min=0.01, max=86_400.0,
                                                         example="1"),
              help="Find each access's start and end between the steps to within this many "
                   "seconds (at most --step): metrics in seconds, not whole steps. A coarse "
                   "--step with --refine 1 is faster and closer than a fine step alone.")
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
              help="Write per-cell metrics to this CSV (numbers only; the rule, assumed "
                   "instrument values and units in FILE.json beside it).")
@DASK_OPTIONS
@options.FORMAT_OPTION
@options.WIDE_OPTION
@options.sources
@options.SENSORS
def coverage(names, all_, region, t0, hours, days, step_s, refine_s, resolution, min_elevation,
             mask,
             access, max_off_nadir, min_sun, metric, output, grid_csv, use_dask, dask_workers,
             scheduler, fmt, wide):
    """Coverage of Pakistan, a province or a box: % of time, accesses and revisit gaps.

    With imaging access (the default when every satellite named is an imager): how
    often each cell can be imaged, the longest wait, the time to the first image.

    \b
    Examples:
      orbitview coverage PRSS-1 PRSC-EO1 --days 1 --resolution 0.5
      orbitview coverage PakSat-MM1 --region Punjab --hours 6 --resolution 0.25 -o mm1.png
      orbitview coverage PRSS-1 --region KP --access radio --hours 12 --format json
    """
    from orbitview.api.coverage import coverage as answer
    from orbitview.products.plotting import save_figure
    window_h = coverage_hours(hours, days)
    check_cluster_options(use_dask, dask_workers, scheduler)
    with progress_bar() as progress, metric_errors():
        result = answer(common.which(names, all_), region, t0,
                        hours=window_h if days is None else None, days=days, step_s=step_s,
                        refine_s=refine_s, resolution_deg=resolution,
                        access=imaging.radio_unless_asked(access, min_elevation, mask),
                        metric=metric, min_elevation_deg=min_elevation, mask=mask,
                        max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun,
                        client=cluster_opener(use_dask, dask_workers, scheduler),
                        progress=progress, sensors=session.sensor_files(),
                        hold=session.hold(), tz=session.view_clock(),
                        catalog=session.catalog())
    say(result)
    m = result.meta
    is_imaging = result.access == "imaging"
    step = f"step {m['step_s']:g} s" + (f" (ends to {m['refine_s']:g} s)" if m["refine_s"]
                                        else "")
    if grid_csv:
        cells = result.write_grid_csv(grid_csv)
        from orbitview.products.export.sidecar import sidecar_path
        click.echo(f"orbitview: wrote {cells} cells to {grid_csv} and its metadata "
                   f"{sidecar_path(grid_csv)}", err=True)
    if output:
        save_figure(result.plot(), output)
        click.echo(f"orbitview: wrote {output}", err=True)
    names_ = m["satellites"]
    fleet = ", ".join(names_) if len(names_) <= 5 else f"{len(names_)} satellites"
    hypothetical = m["hypothetical"]
    shown = [c for c in result.columns if c != "hypothetical"]
    if not is_imaging:
        emit(result.rows, result.columns, fmt, table_columns=shown, wide=wide, wide_option=True,
             title=("HYPOTHETICAL fleet: " if hypothetical else "")
                   + f"Coverage {iso(m['start'])} + {window_h:g} h, {step}, "
                   f"{m['resolution_deg']:g} deg grid, {m['rule']}: " + fleet,
             caption="coverage_percent, accesses and mean_gap_min: area-weighted means over "
                     "the cells; max_gap_min: the worst cell. Gaps include the window's start "
                     "and end." + (f" {hypothetical}" if hypothetical else ""))
        return
    note = m["assumptions"]
    if hypothetical:
        note = f"{hypothetical}\n{note}" if note else hypothetical
    emit(result.rows, result.columns, fmt, table_columns=shown, wide=wide, wide_option=True,
         title=("HYPOTHETICAL fleet: " if hypothetical else "")
               + f"Imaging revisit {iso(m['start'])} + {window_h / 24:g} d, {step}, "
               f"{m['resolution_deg']:g} deg grid: " + fleet,
         caption="Per region: opportunities, first_image_h (cells imaged), mean_revisit_h "
                 "(cells imaged twice or more) and daylight_share_pct are area-weighted means; "
                 "max_revisit_h (waits at the window's ends included) and "
                 "worst_first_image_h are the worst cell's; never_imaged_pct: share of the area "
                 f"never imaged. Rules: {m['rule']}." + (f"\n{note}" if note else ""))
    if fmt != "table" and note:
        messages.warn(note)


def say(result) -> None:
    """A coverage answer's notes on stderr, as the command always said them: each note
    once, the run's stale-element and SGP4 warnings counted beyond a dozen, the assumed
    instrument values left to the caption (or said after the rows); objects left out for
    data problems make the command exit 1."""
    notes = [n for n in result.notes if n.kind != "assumed"]
    for n in notes:
        if n.kind not in RUN_KINDS:
            messages.warn(n.text)
    messages.warn_all(messages.said(n for n in notes if n.kind in RUN_KINDS))
    for name in result.left_out:
        messages.leave_out(name)


RUN_KINDS = ("stale", "sgp4")
"""Kinds of the notes a coverage run gives for the whole window (counted beyond a dozen)."""


def metric_errors():
    """A context in which the library's refusal of a metric of the other access kind is the
    usage error the command has always given (naming --metric and --access)."""
    import contextlib

    from orbitview.api.coverage import MetricError

    @contextlib.contextmanager
    def translated():
        try:
            yield
        except MetricError as e:
            other = "imaging" if e.metric in IMAGING_METRICS else "radio"
            raise click.UsageError(
                f"--metric {e.metric} is a{'n' if other == 'imaging' else ''} {other} metric "
                f"but the access is {e.access}.\nFix: use --access {other}, or another "
                "--metric.") from None
    return translated()


def progress_bar(what: str = "coverage"):
    """A context giving ``progress(done, total)`` for the library: the estimate of a run
    that needs more than about ten seconds, then a bar on a terminal or a line every ten
    seconds (:func:`orbitview.cli.common.progress_display`)."""
    return common.progress_display(what, "time steps")


def coverage_hours(hours, days) -> float:
    """The window of --hours or --days (not both), 24 h when neither is given."""
    if hours is not None and days is not None:
        raise click.UsageError("give --hours or --days, not both")
    return days * 24.0 if days is not None else (hours or 24.0)


def check_cluster_options(use_dask, workers, scheduler) -> None:
    """--dask and --scheduler exclude each other; --workers needs --dask."""
    if use_dask and scheduler:
        raise UsageError("--dask starts a cluster on this machine, --scheduler uses an "
                         "existing one: give one of them.\nFix: drop --dask or --scheduler.")
    if workers and not use_dask:
        raise UsageError("--workers sets the size of the --dask cluster.\nFix: add --dask, "
                         "or drop --workers.")


def cluster_opener(use_dask, workers, scheduler):
    """None (run in this process), or a function opening the dask cluster of --dask
    (a LocalCluster of --workers processes) or --scheduler: a context giving its client,
    which says where it runs and closes what it started."""
    import contextlib
    if not use_dask and not scheduler:
        return None

    @contextlib.contextmanager
    def opened():
        from orbitview.access import distributed
        with distributed.cluster_client(workers or None, scheduler) as client:
            click.echo(f"orbitview: running on dask, {distributed.describe_cluster(client)}",
                       err=True)
            yield client
    return opened


def engine_for(use_dask, workers, scheduler):
    """A context giving the coverage engine to use: None (this process) or one that runs
    on the dask cluster of :func:`cluster_opener` (``design sweep`` and ``partners`` take
    it)."""
    import contextlib
    opener = cluster_opener(use_dask, workers, scheduler)
    if opener is None:
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def engine():
        from orbitview.access import distributed
        with opener() as client:
            yield distributed.coverage_runner(client)
    return engine()
