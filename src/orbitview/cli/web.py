"""Views for other tools: ``map`` (offline HTML), ``animate`` (GIF/MP4), ``export`` (files).

Each command parses its options, calls the front door (:func:`orbitview.web_map`,
:func:`orbitview.animation`, the questions and :func:`orbitview.export`) and says what it
wrote; the scene, the passes, the coverage layer and the files are the library's.
"""

from __future__ import annotations

import sys

import click

from orbitview.api.filemeta import names_text
from orbitview.cli import common, coverage, imaging, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.util.errors import UsageError

MAX_HOURS = 24.0 * 7
WINDOW_HOURS = params.Number("h", min=0.0, min_open=True, max=MAX_HOURS, example="6")
WINDOW_DAYS = params.Number("days", min=0.0, min_open=True, max=MAX_HOURS / 24.0,
                            example="1")


def _window_options(default_hours: float | None, default_step_s: float | None, step_type,
                    step_help: str, hours_type=WINDOW_HOURS, hours_help: str | None = None,
                    days_type=WINDOW_DAYS, days_help: str | None = None):
    """NAME...|--all, --start, --hours, --days, --step: the selection every view shares."""
    def decorate(f):
        for option in reversed([
            click.argument("names", nargs=-1),
            click.option("--all", "all_", is_flag=True, help="Every satellite with element sets."),
            options.time_option("--start", "t0", type=options.TIME, default="now",
                                show_default=True,
                                help="First time (ISO 8601, UTC unless offset; 'now')."),
            click.option("--hours", type=hours_type, default=None,
                         help=hours_help or f"Length of the window (default "
                                            f"{default_hours:g}, at most {MAX_HOURS:g})."),
            click.option("--days", type=days_type, default=None,
                         help=days_help or "Length of the window in days, instead of "
                                           "--hours."),
            click.option("--step", "step_s", type=step_type, default=default_step_s,
                         show_default=True, help=step_help),
        ]):
            f = option(f)
        return f
    return decorate


def _span(hours, days):
    """--hours or --days (not both), as the library takes them."""
    if hours is not None and days is not None:
        raise click.UsageError("give --hours or --days, not both.\nFix: keep the one that "
                               "says how long the window is")
    return hours, days


def _unique_sites(sites):
    """The sites given, each once (a site repeated on the command line would list every
    pass twice); a repeat is said."""
    out = []
    for site in sites:
        if site in out:
            messages.warn(f"--site {site.name} is given more than once; it is used once")
        else:
            out.append(site)
    return tuple(out)


RUN_KINDS = ("stale", "sgp4")
"""Notes a propagation gives per satellite (a catalogue's are counted beyond a dozen)."""


def say(result, skip=("assumed",)) -> None:
    """An answer's notes on stderr: stale element sets said once (one line, see
    :func:`~orbitview.cli.messages.said`), SGP4 failures counted beyond a dozen, the kinds
    in ``skip`` left to the file or the caller; objects left out for data problems make the
    command exit 1."""
    notes = [n for n in result.notes if n.kind not in skip]
    for n in notes:
        if n.kind not in RUN_KINDS:
            messages.warn(n.text)
    messages.warn_all(messages.said(n for n in notes if n.kind in RUN_KINDS))
    for name in result.left_out:
        messages.leave_out(name)


def _access_options(f):
    for option in reversed([options.MIN_ELEVATION_OPTION, options.MASK_OPTION,
                            options.ACCESS_OPTION, options.MAX_OFF_NADIR_OPTION,
                            options.MIN_SUN_OPTION]):
        f = option(f)
    return f


COVERAGE_METRICS = [*coverage.RADIO_METRICS, *coverage.IMAGING_METRICS]
"""Every --metric of 'coverage' (radio access, then imaging access)."""


# --------------------------------------------------------------------------- map

MAP_STEP = params.Number("s", min=1.0, max=120.0, example="60")


@cli.command("map")
@_window_options(6.0, 60.0, MAP_STEP, "Seconds between embedded positions (at most 120; the "
                 "page interpolates between them).")
@options.site_option("--site", "sites", type=params.SITE, multiple=True,
              help="Site whose passes are listed (repeatable): Islamabad, Karachi, ... or "
                   "LAT,LON[,HEIGHT_M].")
@click.option("--region", type=coverage.COVERAGE_REGION, default="world", show_default=True,
              help="Initial view: world, pakistan, a province (Punjab, Sindh, KP, ...) or "
                   "W,E,S,N in degrees.")
@_access_options
@click.option("--coverage", "coverage_csv",
              type=params.InputFile("give a cell CSV written by 'orbitview coverage "
                                    "--grid-csv FILE'."),
              help="Coverage layer: a cell CSV from 'orbitview coverage --grid-csv' or "
                   "'orbitview export coverage'.")
@click.option("--coverage-metric", type=click.Choice(COVERAGE_METRICS),
              help="Coverage metric shown first (default: the one 'coverage' maps for the "
                   "grid's access: percent for radio, max-revisit for imaging).")
@click.option("--no-footprints", is_flag=True, help="Leave footprints out (smaller file).")
@click.option("-o", "--output", required=True, type=params.OutputPath((".html", ".htm")),
              help="HTML file to write.")
@options.sources
@options.SENSORS
def map_(names, all_, t0, hours, days, step_s, sites, region, min_elevation, mask, access,
         max_off_nadir, min_sun, coverage_csv, coverage_metric, no_footprints, output):
    """One self-contained HTML map that works offline: time slider, tracks, footprints, passes.

    Footprints and passes follow the access rule passes uses: imaging (field of regard)
    for Earth-observation satellites, radio (elevation) for the others, unless --access.
    More than 300 satellites make a catalogue view: every position as a dot.  A coverage
    layer comes from 'orbitview coverage ... --grid-csv cells.csv': --coverage cells.csv.

    \b
    Examples:
      orbitview map PRSS-1 PakSat-MM1 --start 2026-11-21T00:00Z --site Lahore -o map.html
      orbitview map --all --region Punjab --days 1 --no-footprints -o punjab.html
      orbitview map PRSS-1 HS-1 --region pakistan --hours 2 --access radio -o radio.html
    """
    from orbitview.api.products import CoverageMetricError, web_map
    sites = _unique_sites(sites)
    hours, days = _span(hours, days)
    try:
        page = web_map(common.which(names, all_), t0, hours=hours, days=days, step_s=step_s,
                       sites=list(sites), region=region,
                       access=imaging.radio_unless_asked(access, min_elevation, mask),
                       min_elevation_deg=min_elevation, mask=mask,
                       max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun,
                       coverage=coverage_csv, coverage_metric=coverage_metric,
                       footprints=not no_footprints, sensors=session.sensor_files(),
                       hold=session.hold(), tz=session.view_clock(sites),
                       catalog=session.catalog())
    except CoverageMetricError as e:
        others = ", ".join(x.option for x in e.cells.metrics)
        raise UsageError(
            f"--coverage-metric {e.metric} is a{'n' if e.access == 'imaging' else ''} "
            f"{e.access}-access metric, but {e.cells.source} is a grid of {e.cells.access} "
            f"access.\nFix: give one of {others}, or a grid written by 'orbitview coverage "
            f"--access {e.access} --grid-csv FILE'.") from None
    say(page, skip=("catalogue",))
    m = page.meta
    if m["catalogue"]:
        _warn_not_drawn(m["satellites"])
    page.save(output)
    size = f"{output.stat().st_size / 1e6:.1f} MB"
    if m["catalogue"]:
        click.echo(f"orbitview: wrote {output} ({size}): {m['satellites']:,} satellites as a "
                   f"catalogue view (positions every {m['step_s']:g} s, no tracks), "
                   f"{m['times']} times; opens offline", err=True)
        return
    click.echo(f"orbitview: wrote {output} ({size}): {m['satellites']} satellites, "
               f"{m['times']} times, {m['passes']} passes; opens offline", err=True)


def _warn_not_drawn(n_sats: int) -> None:
    """Name the options the catalogue view cannot honour, and why: never drop one silently."""
    from click.core import ParameterSource

    from orbitview.products.webmap.page import CATALOGUE_ABOVE as above
    ctx = click.get_current_context()
    given = [p.opts[0] for p in ctx.command.params if p.name in (
        "sites", "coverage_csv", "coverage_metric", "no_footprints", "access", "min_elevation",
        "mask", "max_off_nadir", "min_sun") and ctx.get_parameter_source(p.name)
        not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)]
    if given:
        messages.warn(f"{n_sats:,} satellites (more than {above}) make a catalogue view: "
              "positions as "
              "dots, without the tracks, footprints, passes and coverage layer a browser could "
              f"not hold for so many; so {', '.join(given)} do not apply and were left out. "
              f"Fix: name at most {above} satellites for them (passes: 'orbitview passes').")


# --------------------------------------------------------------------------- export

EXPORT_KINDS = ("tracks", "footprints", "swaths", "coverage", "passes", "opportunities")
EXPORT_FORMATS = {"geojson": (".geojson", ".json"), "kml": (".kml",), "czml": (".czml",),
                  "csv": (".csv",), "gpkg": (".gpkg",), "netcdf": (".nc",)}
TEXT_FORMATS = ("geojson", "kml", "czml", "csv")
"""Formats that may go to standard output (-o -)."""
MAX_EXPORT_SAMPLES = 2_000_000
"""Satellite-time samples in one export; beyond it files grow past what viewers open."""
SPAN_HOURS = {"coverage": 24.0 * 366, "opportunities": 24.0 * 60}
"""The longest window of each kind, hours (the others: :data:`MAX_HOURS`, a week)."""
DEFAULT_HOURS = {"tracks": 6.0, "footprints": 6.0, "swaths": 6.0, "passes": 6.0}
"""Window of each kind when neither --hours nor --days is given (coverage: 24 h and
opportunities: 7 days, as 'coverage' and 'opportunities' have them)."""
STDOUT = "-"


class ExportOutput(params.OutputPath):
    """A file to write, or ``-`` for standard output.  Its ending is checked against
    --format later (:func:`_format_for`): with --format, any name that names no other
    format will do."""

    def convert(self, value, param, ctx):
        if str(value) == STDOUT:
            return STDOUT
        return super().convert(value, param, ctx)


def _format_for(output, fmt):
    if output == STDOUT:
        if fmt is None:
            raise click.UsageError("-o - writes to standard output, which has no file name to "
                                   "tell the format from.\nFix: give --format "
                                   + "|".join(TEXT_FORMATS) + ".")
        if fmt not in TEXT_FORMATS:
            raise click.UsageError(f"--format {fmt} is a binary file and does not go to "
                                   "standard output.\nFix: give a file name, e.g. -o "
                                   f"out{EXPORT_FORMATS[fmt][0]}, or a text format "
                                   f"({', '.join(TEXT_FORMATS)}).")
        return fmt
    suffix = output.suffix.lower()
    found = [f for f, suffixes in EXPORT_FORMATS.items() if suffix in suffixes]
    if fmt is None:
        if not found:
            raise click.UsageError(f"cannot tell the format from {str(output)!r}.\nFix: give "
                                   "--format " + "|".join(EXPORT_FORMATS) + " or end the name "
                                   "with " + ", ".join(s[0] for s in EXPORT_FORMATS.values()))
        return found[0]
    if found and fmt not in found:          # out.dat is whatever --format says; x.geojson is not
        raise click.UsageError(f"--format {fmt} but the file {str(output)!r} ends with "
                               f"{suffix}, which names {found[0]}.\nFix: name it "
                               f"*{EXPORT_FORMATS[fmt][0]}, or leave --format out")
    return fmt


KIND_OPTIONS = {
    "sites": ("passes",), "target": ("opportunities",), "region": ("coverage",),
    "resolution": ("coverage",), "metric": ("coverage",),
    "use_dask": ("coverage",), "dask_workers": ("coverage",), "scheduler": ("coverage",),
    "points": ("tracks", "passes"),
    "min_elevation": ("footprints", "passes", "coverage"), "mask": ("footprints", "passes",
                                                                   "coverage"),
    "access": ("footprints", "passes", "coverage"),
    "max_off_nadir": ("footprints", "passes", "swaths", "opportunities", "coverage"),
    "min_sun": ("footprints", "passes", "swaths", "opportunities", "coverage"),
}
"""The options of ``export`` that only some kinds use."""


def _refuse_unused_options(kind: str) -> None:
    """A usage error for an option given on the command line that ``kind`` does not use
    (it would be silently ignored otherwise)."""
    from click.core import ParameterSource
    ctx = click.get_current_context()
    for p in ctx.command.params:
        kinds = KIND_OPTIONS.get(p.name)
        if kinds is None or kind in kinds:
            continue
        if ctx.get_parameter_source(p.name) == ParameterSource.COMMANDLINE:
            raise click.UsageError(
                f"{params.option_name(p)} does nothing for 'export {kind}' (it is used by "
                f"export {', '.join(kinds)}).\nFix: leave it out")


def _export_span(kind: str, hours, days):
    """(hours, days) for the question of ``kind``: at most one given, within the kind's
    longest window; the kind's default when neither is given."""
    hours, days = _span(hours, days)
    most = SPAN_HOURS.get(kind, MAX_HOURS)
    ctx = click.get_current_context()
    for name, value, unit, scale in (("hours", hours, "h", 1.0), ("days", days, "days", 24.0)):
        if value is not None and value * scale > most:
            param = next(p for p in ctx.command.params if p.name == name)
            params.Number(unit, min=0.0, min_open=True, max=most / scale).convert(
                value, param, ctx)
    if hours is None and days is None:
        hours = DEFAULT_HOURS.get(kind)
    return hours, days


EXPORT_HOURS = params.Number("h", min=0.0, min_open=True, max=24.0 * 366, example="6")
"""--hours of export: coverage runs as long as 'coverage' (a year), opportunities 60 days,
the other kinds at most :data:`MAX_HOURS` (checked once the kind is known)."""
EXPORT_DAYS = params.Number("days", min=0.0, min_open=True, max=366.0, example="7")


@cli.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@_window_options(None, None, params.STEP_S,
                 "Seconds between samples (positions, footprints, swath edges; default 60) or "
                 "coverage steps (default as 'coverage': 30 for radio, 10 for imaging access).",
                 hours_type=EXPORT_HOURS,
                 hours_help=f"Length of the window (default 6 h; coverage 24 h, "
                            f"opportunities 7 days; at most {MAX_HOURS:g} h, coverage a "
                            "year, opportunities 60 days).",
                 days_type=EXPORT_DAYS,
                 days_help="Length of the window in days, instead of --hours.")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)),
              help="geojson (RFC 7946), kml (Google Earth), czml (CesiumJS), csv (with "
                   "FILE.json metadata beside it), gpkg (GeoPackage, one layer per geometry "
                   "type) or netcdf (coverage grids, CF-1.8); default: from the file name.")
@click.option("--points", is_flag=True,
              help="GeoJSON of tracks or passes: time-stamped Points (each sample; each "
                   "pass at its culmination) instead of the default lines. A GeoJSON file "
                   "holds one geometry type, so GIS tools read it as one layer.")
@options.site_option("--site", "sites", type=params.SITE, multiple=True,
              help="passes: site (repeatable), Islamabad, Karachi, ... or LAT,LON[,HEIGHT_M].")
@click.option("--target", type=params.TARGET,
              help="opportunities: a site, LAT,LON, a province, Pakistan or a GeoJSON polygon "
                   "file.")
@click.option("--region", type=coverage.COVERAGE_REGION, default="pakistan",
              show_default=True,
              help="coverage: pakistan, a province (Punjab, Sindh, KP, Balochistan, GB, AJK, "
                   "ICT) or W,E,S,N.")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.1, show_default=True,
              help="coverage: cell size (deg).")
@click.option("--metric", type=click.Choice(COVERAGE_METRICS),
              help="coverage: the metric that colours KML/CZML cells, as 'coverage --metric' "
                   "(default percent for radio, max-revisit for imaging access); the other "
                   "formats hold every metric of the access kind.")
@_access_options
@coverage.DASK_OPTIONS
@click.option("-o", "--output", required=True,
              type=ExportOutput(),
              help="File to write (.geojson, .kml, .czml, .csv, .gpkg or .nc), or - for "
                   "standard output (text formats, with --format).")
@options.sources
@options.SENSORS
def export(kind, names, all_, t0, hours, days, step_s, fmt, points, sites, target, region,
           resolution, metric, min_elevation, mask, access, max_off_nadir, min_sun, use_dask,
           dask_workers, scheduler, output):
    """Tracks, footprints, swaths, coverage, passes or imaging opportunities as files:
    GeoJSON, KML (Google Earth animates it), CZML (CesiumJS plays it), CSV, GeoPackage or
    NetCDF.

    GeoJSON files hold one geometry type each: tracks and passes as lines (--points:
    time-stamped points instead), footprints and swaths as MultiPolygons, coverage cells
    as Polygons, opportunities as Points.  A GeoPackage holds a layer per geometry type
    (tracks and samples; passes and sites).  Coverage is computed as 'coverage' computes
    it: imaging access (revisit metrics) when every satellite is an imager, radio access
    (elevation) otherwise or with --access radio.

    \b
    Examples:
      orbitview export tracks PRSS-1 HS-1 --start 2026-11-21T00:00Z --hours 6 -o tracks.gpkg
      orbitview export opportunities PRSS-1 PRSC-EO1 --target Sindh --days 7 -o opp.csv
      orbitview export coverage PRSS-1 HS-1 --region Punjab --days 1 -o punjab.nc
      orbitview export passes PRSS-1 --site Karachi --access radio --days 2 -o passes.kml

    -o - writes a text format to standard output (with --format), e.g. into ogr2ogr.
    """
    import orbitview.api.exports as files
    fmt = _format_for(output, fmt)
    sites = _unique_sites(sites)
    if kind == "passes" and not sites:
        raise click.UsageError("export passes needs at least one --site.\nFix: add e.g. "
                               "--site Islamabad (repeatable)")
    if kind == "opportunities" and not target:
        raise click.UsageError("export opportunities needs --target.\nFix: add --target with a "
                               "site, LAT,LON, a province, Pakistan or a GeoJSON polygon file")
    if kind == "coverage" and region.strip().lower() == "world":
        raise click.UsageError("export coverage needs a bounded --region.\nFix: give --region "
                               "pakistan, a province (e.g. Punjab) or W,E,S,N")
    _refuse_unused_options(kind)
    if points and fmt != "geojson":
        raise click.UsageError(f"--points chooses points instead of lines in a GeoJSON file; "
                               f"--format {fmt} holds "
                               + ("both (a layer each)" if fmt == "gpkg" else "what it holds")
                               + ".\nFix: leave --points out, or write GeoJSON")
    if fmt == "netcdf" and kind != "coverage":
        raise click.UsageError(f"NetCDF holds grids: 'export coverage' writes it, 'export "
                               f"{kind}' does not.\nFix: write {kind} as gpkg, geojson, kml, "
                               "czml or csv")
    hours, days = _export_span(kind, hours, days)
    files.check_format(fmt)                  # what a GeoPackage or NetCDF needs, before work
    which = common.which(names, all_)
    common_args = {"hold": session.hold(), "catalog": session.catalog()}
    access_args = {"access": imaging.radio_unless_asked(access, min_elevation, mask),
                   "min_elevation_deg": min_elevation, "mask": mask}
    imaging_args = {"max_off_nadir_deg": max_off_nadir, "min_sun_deg": min_sun,
                    "sensors": session.sensor_files()}
    if kind == "tracks":
        result = files.tracks(which, t0, hours=hours, days=days, step_s=step_s or 60.0,
                              **common_args)
    elif kind == "footprints":
        from orbitview.api.observe import footprints
        result = footprints(which, t0, hours=hours, days=days, step_s=step_s or 60.0,
                            **access_args, **imaging_args, **common_args)
    elif kind == "swaths":
        result = files.swaths(which, t0, hours=hours, days=days, step_s=step_s or 60.0,
                              **imaging_args, **common_args)
    elif kind == "passes":
        from orbitview.api.observe import passes
        result = passes(which, list(sites), t0, hours=hours, days=days, **access_args,
                        **imaging_args, tz=session.clock_for(sites[0]), **common_args)
    elif kind == "opportunities":
        from orbitview.api.imaging import opportunities
        result = opportunities(which, target, t0, hours=hours, days=days, **imaging_args,
                               tz=session.clock_for(), **common_args)
    else:
        from orbitview.api.coverage import coverage as answer
        from orbitview.products.export.records import MAX_CELLS
        coverage.check_cluster_options(use_dask, dask_workers, scheduler)
        with coverage.progress_bar() as progress, coverage.metric_errors():
            result = answer(which, region, t0, hours=hours, days=days, step_s=step_s,
                            resolution_deg=resolution, metric=metric, **access_args,
                            **imaging_args, max_cells=MAX_CELLS,
                            client=coverage.cluster_opener(use_dask, dask_workers, scheduler),
                            progress=progress, tz=session.view_clock(), **common_args)
    if kind == "coverage":
        coverage.say(result)
        if result.meta.get("assumptions"):
            messages.warn(result.meta["assumptions"])  # as 'coverage' says it; the file too
    else:
        say(result)
    what = f"{kind} of {names_text(files.written_names(result, kind))} as {fmt}"
    if output == STDOUT:
        data = files.export(result, fmt, points=points)
        _stdout_bytes(data)
        click.echo(f"orbitview: wrote {len(data) / 1e6:.2f} MB to standard output: {what}",
                   err=True)
        return
    done = files.write(result, output, fmt=fmt, points=points)
    beside = f" and its metadata {done.sidecar}" if done.sidecar else ""
    click.echo(f"orbitview: wrote {output} ({done.size_bytes / 1e6:.2f} MB){beside}: {what}",
               err=True)


def _stdout_bytes(data: bytes) -> None:
    """Bytes on stdout, or their text on a text-only stream (tests, some notebooks)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    out.write(data)
    out.flush()


# --------------------------------------------------------------------------- animate

FRAME_STEP = params.Number("s", min=1.0, max=3600.0, example="60")
FPS = params.Number("frames per second", min=1.0, max=60.0, example="10")
TRAIL_MIN = params.Number("min", min=0.0, max=600.0, example="30")


@cli.command()
@_window_options(2.0, None, FRAME_STEP, "Seconds of orbit between frames (default 30 on a "
                 "regional map, 60 on the world).")
@click.option("--region", type=coverage.COVERAGE_REGION, default="world", show_default=True,
              help="world, pakistan, a province (Punjab, Sindh, KP, ...) or W,E,S,N in "
                   "degrees.")
@click.option("--fps", type=FPS, default=12.0, show_default=True, help="Frames per second.")
@click.option("--trail", "trail_min", type=TRAIL_MIN, default=30.0, show_default=True,
              help="Minutes of past track that trail each satellite, fading.")
@click.option("--footprints", "with_footprints", is_flag=True,
              help="Draw footprints under the access rule (as passes uses it).")
@_access_options
@click.option("--dpi", type=params.DPI, default=100, show_default=True,
              help="Pixels per inch of the frames (100: about 1000 px wide).")
@click.option("-o", "--output", required=True, type=params.OutputPath((".gif", ".mp4")),
              help="day.gif (Pillow) or day.mp4 (needs the video extra: imageio-ffmpeg).")
@options.sources
@options.SENSORS
def animate(names, all_, t0, hours, days, step_s, region, fps, trail_min, with_footprints,
            min_elevation, mask, access, max_off_nadir, min_sun, dpi, output):
    """An animation of the track map: moving satellites, fading trails, terminator, clock.

    \b
    Examples:
      orbitview animate PRSS-1 PakSat-MM1 --start 2026-11-21T00:00Z --hours 2 -o day.gif
      orbitview animate PRSS-1 HS-1 --region pakistan --footprints --hours 1 -o pass.mp4
      orbitview animate --all --days 1 --step 600 --dpi 60 -o fleet.gif
    """
    from orbitview.api.products import animation
    hours, days = _span(hours, days)
    with common.progress_display("animate", "frames") as progress:
        done = animation(common.which(names, all_), output, t0, hours=hours, days=days,
                         step_s=step_s, region=region, fps=fps, trail_min=trail_min,
                         footprints=with_footprints,
                         access=imaging.radio_unless_asked(access, min_elevation, mask),
                         min_elevation_deg=min_elevation, mask=mask,
                         max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun, dpi=dpi,
                         progress=progress, sensors=session.sensor_files(),
                         hold=session.hold(), tz=session.view_clock(),
                         catalog=session.catalog())
    say(done)
    w, h = done.size_px
    click.echo(f"orbitview: wrote {output} ({output.stat().st_size / 1e6:.1f} MB): "
               f"{done.frames} frames of {w}x{h} px at {done.fps:g} fps, "
               f"{done.meta['seconds_per_frame']:.3f} s per frame", err=True)
