"""Views for other tools: ``map`` (offline HTML), ``animate`` (GIF/MP4), ``export`` (GIS files)."""

from __future__ import annotations

import datetime as dt

import click

from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso
from orbitview.cli import common, coverage, imaging, messages, options, params, session
from orbitview.cli.common import cli

MAX_HOURS = 24.0 * 7
WINDOW_HOURS = params.Number("h", min=0.0, min_open=True, max=MAX_HOURS, example="6")


def _window_options(default_hours: float | None, default_step_s: float | None, step_type,
                    step_help: str, hours_type=WINDOW_HOURS, hours_help: str | None = None):
    """NAME...|--all, --start, --hours, --step: the selection every view shares."""
    def decorate(f):
        for option in reversed([
            click.argument("names", nargs=-1),
            click.option("--all", "all_", is_flag=True, help="Every satellite with element sets."),
            click.option("--start", "t0", type=options.TIME, default="now", show_default=True,
                         help="First time (ISO 8601, UTC unless offset; 'now')."),
            click.option("--hours", type=hours_type, default=default_hours, show_default=True,
                         help=hours_help or f"Length of the window (at most {MAX_HOURS:g})."),
            click.option("--step", "step_s", type=step_type, default=default_step_s,
                         show_default=True, help=step_help),
        ]):
            f = option(f)
        return f
    return decorate


def _propagated_window(names, all_, t0, hours, step_s, max_samples, why):
    """Satellites, time grid and propagation for a window; warnings printed.

    More than ``max_samples`` satellites x times is refused before any work
    (``why`` says what the limit protects); ``max_samples`` may be a function of the
    number of satellites."""
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    t1 = t0 + dt.timedelta(hours=hours)
    common.check_window(t0, t1)
    sats = common.select(names, all_)
    if callable(max_samples):
        max_samples = max_samples(len(sats))
    common.check_samples(sats, int(hours * 3600.0 / step_s + 1e-9) + 1, step_s, max_samples, why)
    t = time_grid(t0, t1, step_s)
    if len(t) < 2:
        raise UsageError(f"--hours {hours:g} is shorter than one --step of {step_s:g} s.\n"
                         "Fix: give a longer window or a smaller step.")
    common.launch_notes(sats, t0, t1)
    prop = propagate(sats, t, hold=session.hold())
    messages.warn_all(prop.warnings())
    return sats, t, prop


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


def _view_clock(sites=()):
    """The zone a view shows local times in (session.view_clock, shared with the figures)."""
    return session.view_clock(sites)


def _access(sats, access, min_elevation, mask, max_off_nadir, min_sun, all_=False):
    """The access rule of the run, as passes uses it; (rule, text, assumptions, used)."""
    rule, used, _ = imaging.access_rule(sats, imaging.radio_unless_asked(access, min_elevation, mask),
                                common.radio_rule(min_elevation, mask), max_off_nadir, min_sun, all_=all_)
    return rule, f"{imaging.access_words(rule)}: {rule.describe()}", imaging.assumption_note(rule), used


def _access_options(f):
    for option in reversed([options.MIN_ELEVATION_OPTION, options.MASK_OPTION, options.ACCESS_OPTION,
                            options.MAX_OFF_NADIR_OPTION, options.MIN_SUN_OPTION]):
        f = option(f)
    return f


COVERAGE_METRICS = [*coverage.RADIO_METRICS, *coverage.IMAGING_METRICS]
"""Every --metric of 'coverage' (radio access, then imaging access)."""


# --------------------------------------------------------------------------- map

FOOTPRINT_STEP_S = 120.0
SUN_STEP_S = 600.0


MAP_STEP = params.Number("s", min=1.0, max=120.0, example="60")
MAX_MAP_SAMPLES = 1_000_000
"""Satellite-time samples in one page: about 55 bytes each of HTML, and the browser holds
several times that; beyond it the page loads slowly or not at all."""


@cli.command("map")
@_window_options(6.0, 60.0, MAP_STEP, "Seconds between embedded positions (at most 120; the "
                 "page interpolates between them).")
@options.site_option("--site", "sites", type=params.SITE, multiple=True,
              help="Site whose passes are listed (repeatable): Islamabad, Karachi, ... or "
                   "LAT,LON[,HEIGHT_M].")
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="Initial view: world, pakistan, or W,E,S,N in degrees.")
@_access_options
@click.option("--coverage", "coverage_csv",
              type=params.InputFile("give a cell CSV written by 'orbitview coverage "
                                    "--grid-csv FILE'."),
              help="Coverage layer: a cell CSV from 'orbitview coverage --grid-csv'.")
@click.option("--coverage-metric", type=click.Choice(COVERAGE_METRICS),
              help="Coverage metric shown first (default: the one 'coverage' maps for the "
                   "grid's access: percent for radio, max-revisit for imaging).")
@click.option("--no-footprints", is_flag=True, help="Leave footprints out (smaller file).")
@click.option("-o", "--output", required=True, type=params.OutputPath((".html", ".htm")),
              help="HTML file to write.")
@options.sources
@options.SENSORS
def map_(names, all_, t0, hours, step_s, sites, region, min_elevation, mask, access,
         max_off_nadir, min_sun, coverage_csv, coverage_metric, no_footprints, output):
    """One self-contained HTML map that works offline: time slider, tracks, footprints, passes.

    Footprints and passes follow the access rule passes uses: imaging (field of regard)
    for Earth-observation satellites, radio (elevation) for the others, unless --access."""
    from orbitview.util.atomic import atomic_write_text
    from orbitview.data.regions import parse_region
    from orbitview.products.export import records
    from orbitview.products.webmap import build_page, map_payload
    sites = _unique_sites(sites)
    extent = parse_region(region)
    cells = records.read_grid_csv(coverage_csv) if coverage_csv else None
    shown_first = _coverage_metric(cells, coverage_metric) if cells else None
    from orbitview.products.webmap.page import CATALOGUE_ABOVE, MAX_CATALOGUE_SAMPLES
    sats, t, prop = _propagated_window(
        names, all_, t0, hours, step_s,
        lambda n: MAX_CATALOGUE_SAMPLES if n > CATALOGUE_ABOVE else MAX_MAP_SAMPLES,
        "an offline page stays usable with (about 55 MB of HTML)")
    if len(sats) > CATALOGUE_ABOVE:
        _catalogue_map(prop, t, hours, extent, output, sites)
        return
    rule, rule_text, assumptions, _ = _access(sats, access, min_elevation, mask, max_off_nadir,
                                              min_sun, all_)
    tracks = records.tracks(prop)
    fps = None if no_footprints else records.footprint_series(
        prop, rule, every=max(1, round(FOOTPRINT_STEP_S / step_s)))
    times = prop.times_utc
    clock = _view_clock(sites)
    passes, notes = records.site_passes(sats, sites, times[0], times[-1], rule, hold=session.hold()) if sites \
        else ([], [])
    for r, text in zip(passes, _pass_table_cells(passes, clock)):
        r["table"] = text
    k = max(1, round(SUN_STEP_S / step_s))
    sun_index = sorted({*range(0, len(times), k), len(times) - 1})
    lat_s, lon_s = records.subsolar_points(t[sun_index])
    names_text = ", ".join(p.name for p in tracks) if len(tracks) <= 4 else \
        f"{len(tracks)} satellites"
    payload = map_payload(
        tracks, fps, sites, passes, notes, ([times[i] for i in sun_index], lat_s, lon_s),
        cells, shown_first, extent, rule_text,
        title=f"{names_text}: {iso(times[0])} + {hours:g} h", assumptions=assumptions,
        clock=clock)
    atomic_write_text(output, build_page(payload))
    click.echo(f"orbitview: wrote {output} ({output.stat().st_size / 1e6:.1f} MB): "
               f"{len(tracks)} satellites, {len(times)} times, {len(passes)} passes; opens "
               "offline", err=True)


def _pass_table_cells(rows, clock) -> list[dict]:
    """Each pass as 'orbitview passes' prints it in its compact table (the same code): local
    AOS, TCA and LOS with their dates, '*' where a pass is under way at an end of the
    window, AOS in UTC, the maximum elevation to 0.1 deg."""
    from orbitview.products.passtable import TIME_FORMATS, table_rows
    return [{"aos": t["aos"], "tca": t["tca"], "los": t["los"], "aos_utc": t["aos_utc_text"],
             "max_el": f"{t['max_el']:.1f}"} for t in table_rows(rows, clock, TIME_FORMATS[1])]


def _coverage_metric(cells, option):
    """The column of --coverage-metric in the grid read (a usage error when the grid, of
    the other access kind, does not hold it), or None for the default."""
    if option is None:
        return None
    from orbitview.products.export.records import grid_metric
    m = grid_metric(option)
    if m.column not in cells.values:
        others = ", ".join(x.option for x in cells.metrics)
        raise UsageError(f"--coverage-metric {option} is a{'n' if m.access == 'imaging' else ''} "
                         f"{m.access}-access metric, but {cells.source} is a grid of "
                         f"{cells.access} access.\nFix: give one of {others}, or a grid "
                         f"written by 'orbitview coverage --access {m.access} --grid-csv FILE'.")
    return m.column


def _catalogue_map(prop, t, hours, extent, output, sites):
    """A large catalogue: every position on one canvas (no tracks, footprints, passes)."""
    from orbitview.util.atomic import atomic_write_text
    from orbitview.products.export import records
    from orbitview.products.webmap import build_page, map_payload
    from orbitview.products.webmap.page import CATALOGUE_ABOVE, catalogue_data
    times = prop.times_utc
    _warn_not_drawn(len(prop.names), CATALOGUE_ABOVE)
    k = max(1, round(SUN_STEP_S / ((times[1] - times[0]).total_seconds() if len(times) > 1
                                   else SUN_STEP_S)))
    sun_index = sorted({*range(0, len(times), k), len(times) - 1})
    lat_s, lon_s = records.subsolar_points(t[sun_index])
    payload = map_payload([], sun=([times[i] for i in sun_index], lat_s, lon_s),
                          region=extent, catalogue=catalogue_data(prop),
                          clock=_view_clock(sites),
                          title=f"{len(prop.names):,} satellites: {iso(times[0])} + {hours:g} h")
    atomic_write_text(output, build_page(payload))
    click.echo(f"orbitview: wrote {output} ({output.stat().st_size / 1e6:.1f} MB): "
               f"{len(prop.names):,} satellites as a catalogue view (positions every "
               f"{(times[1] - times[0]).total_seconds() if len(times) > 1 else 0:g} s, no "
               f"tracks), {len(times)} times; opens offline", err=True)


def _warn_not_drawn(n_sats: int, above: int) -> None:
    """Name the options the catalogue view cannot honour, and why: never drop one silently."""
    from click.core import ParameterSource
    ctx = click.get_current_context()
    given = [p.opts[0] for p in ctx.command.params if p.name in (
        "sites", "coverage_csv", "coverage_metric", "no_footprints", "access", "min_elevation",
        "mask", "max_off_nadir", "min_sun") and ctx.get_parameter_source(p.name)
        not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)]
    if given:
        messages.warn(f"{n_sats:,} satellites (more than {above}) make a catalogue view: positions as "
              "dots, without the tracks, footprints, passes and coverage layer a browser could "
              f"not hold for so many; so {', '.join(given)} do not apply and were left out. "
              f"Fix: name at most {above} satellites for them (passes: 'orbitview passes').")


# --------------------------------------------------------------------------- export

EXPORT_KINDS = ("tracks", "footprints", "swaths", "coverage", "passes", "opportunities")
EXPORT_FORMATS = {"geojson": (".geojson", ".json"), "kml": (".kml",), "czml": (".czml",),
                  "csv": (".csv",)}
MAX_EXPORT_SAMPLES = 2_000_000
"""Satellite-time samples in one export; beyond it files grow past what viewers open."""


def _format_for(output, fmt):
    suffix = output.suffix.lower()
    if fmt is None:
        found = [f for f, suffixes in EXPORT_FORMATS.items() if suffix in suffixes]
        if not found:
            raise click.UsageError(f"cannot tell the format from {str(output)!r}; give --format "
                                   "geojson|kml|czml|csv or end the name with .geojson, .kml, "
                                   ".czml or .csv")
        return found[0]
    if suffix not in EXPORT_FORMATS[fmt]:
        raise click.UsageError(f"--format {fmt} but the file {str(output)!r} ends with "
                               f"{suffix or 'no suffix'}; name it *{EXPORT_FORMATS[fmt][0]}")
    return fmt


KIND_OPTIONS = {
    "sites": ("passes",), "target": ("opportunities",), "region": ("coverage",),
    "resolution": ("coverage",), "metric": ("coverage",), "days": ("coverage",),
    "use_dask": ("coverage",), "dask_workers": ("coverage",), "scheduler": ("coverage",),
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
                f"export {', '.join(kinds)}); leave it out")


def _meta(kind, prop, rule_text="", assumptions="", **extra) -> dict:
    from orbitview.util.version import __version__
    times = prop.times_utc
    return {"title": f"orbitview {kind}: {', '.join(prop.names)}", "kind": kind,
            "generator": f"orbitview {__version__}", "start_utc": times[0],
            "end_utc": times[-1],
            "step_s": (times[1] - times[0]).total_seconds() if len(times) > 1 else 0.0,
            "access": rule_text, "assumed": assumptions,
            "satellites": [{"name": n, "norad_id": int(k),
                            "element_sets": [{"epoch_utc": es.epoch, "source": es.source,
                                              "origin": es.origin}
                                             for es in prop.elements[i]]}
                           for i, (n, k) in enumerate(zip(prop.names, prop.norad_ids))],
            "warnings": prop.warnings(), **extra}


EXPORT_HOURS = params.Number("h", min=0.0, min_open=True, max=24.0 * 366, example="6")
"""--hours of export: coverage runs as long as 'coverage' (a year); the other kinds at most
:data:`MAX_HOURS` (checked once the kind is known)."""


@cli.command("export")
@click.argument("kind", type=click.Choice(EXPORT_KINDS))
@_window_options(None, None, params.STEP_S,
                 "Seconds between samples (positions, footprints, swath edges; default 60) or "
                 "coverage steps (default as 'coverage': 30 for radio, 10 for imaging access).",
                 hours_type=EXPORT_HOURS,
                 hours_help=f"Length of the window (default 6, at most {MAX_HOURS:g}; coverage: "
                            "default 24, up to a year, or --days).")
@click.option("--days", type=params.Number("days", min=0.0, min_open=True, max=366.0,
                                           example="30"),
              help="coverage: length of the window in days, instead of --hours.")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)),
              help="geojson (RFC 7946), kml (Google Earth), czml (CesiumJS) or csv; "
                   "default: from the file name.")
@options.site_option("--site", "sites", type=params.SITE, multiple=True,
              help="passes: site (repeatable), Islamabad, Karachi, ... or LAT,LON[,HEIGHT_M].")
@click.option("--target", help="opportunities: a site, LAT,LON, a province, Pakistan or a "
                                "GeoJSON polygon file.")
@click.option("--region", type=params.REGION, default="pakistan", show_default=True,
              help="coverage: pakistan or W,E,S,N.")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.1, show_default=True,
              help="coverage: cell size (deg).")
@click.option("--metric", type=click.Choice(COVERAGE_METRICS),
              help="coverage: the metric that colours KML/CZML cells, as 'coverage --metric' "
                   "(default percent for radio, max-revisit for imaging access); GeoJSON and "
                   "CSV hold every metric of the access kind.")
@_access_options
@coverage.DASK_OPTIONS
@click.option("-o", "--output", required=True,
              type=params.OutputPath(tuple(s for v in EXPORT_FORMATS.values() for s in v)),
              help="File to write (.geojson, .kml, .czml or .csv).")
@options.sources
@options.SENSORS
def export(kind, names, all_, t0, hours, step_s, days, fmt, sites, target, region, resolution,
           metric, min_elevation, mask, access, max_off_nadir, min_sun, use_dask, dask_workers,
           scheduler, output):
    """Tracks, footprints, swaths, coverage, passes or imaging opportunities as GeoJSON, KML
    (Google Earth animates it), CZML (CesiumJS plays it) or CSV.

    Coverage is computed as 'coverage' computes it: imaging access (revisit metrics) when
    every satellite is an imager, radio access (elevation) otherwise or with --access radio."""
    import importlib
    from orbitview.util.atomic import atomic_write
    from orbitview.products.export import records
    fmt = _format_for(output, fmt)
    sites = _unique_sites(sites)
    if kind == "passes" and not sites:
        raise click.UsageError("export passes needs at least one --site (e.g. --site Islamabad)")
    if kind == "opportunities" and not target:
        raise click.UsageError("export opportunities needs --target (a site, LAT,LON, a "
                               "province, Pakistan or a GeoJSON polygon file)")
    if kind == "coverage" and region.strip().lower() == "world":
        raise click.UsageError("export coverage needs a bounded --region (pakistan or W,E,S,N)")
    _refuse_unused_options(kind)
    writer = importlib.import_module(
        f"orbitview.products.export.{'tabular' if fmt == 'csv' else fmt}")
    if kind == "coverage":
        data, names_text = _export_coverage(
            writer, names, all_, t0, hours, days, step_s, region, resolution, metric,
            min_elevation, mask, access, max_off_nadir, min_sun, use_dask, dask_workers,
            scheduler)
        atomic_write(output, lambda tmp: open(tmp, "wb").write(data))
        click.echo(f"orbitview: wrote {output} ({len(data) / 1e6:.2f} MB): coverage of "
                   f"{names_text} as {fmt}", err=True)
        return
    if hours is None:
        hours = 6.0
    elif hours > MAX_HOURS:
        ctx = click.get_current_context()
        WINDOW_HOURS.convert(hours, next(p for p in ctx.command.params if p.name == "hours"),
                             ctx)
    step_s = step_s or 60.0
    sats, t, prop = _propagated_window(names, all_, t0, hours, step_s, MAX_EXPORT_SAMPLES,
                                       "an export holds (beyond it files grow past what "
                                       "viewers open)")
    times = prop.times_utc
    colours = {k: records.COLOURS[i % len(records.COLOURS)]
               for i, k in enumerate(prop.norad_ids)}
    if kind == "tracks":
        data = writer.tracks(records.tracks(prop), _meta(kind, prop))
    elif kind in ("footprints", "passes"):
        rule, text, assumed, _ = _access(sats, access, min_elevation, mask, max_off_nadir,
                                         min_sun, all_)
        meta = _meta(kind, prop, text, assumed)
        if kind == "footprints":
            data = writer.footprints(records.footprint_series(prop, rule), meta)
        else:
            rows, notes = records.site_passes(sats, sites, times[0], times[-1], rule,
                                              hold=session.hold())
            for n in notes:
                messages.warn(n["text"])
            for r in rows:
                r["_colour"] = colours[r["norad_id"]]
            data = writer.passes(rows, records.pass_tracks(sats, rows, hold=session.hold()), sites, meta)
    else:
        from orbitview.access.rules import VisibilityRule
        rule, used, sensors = imaging.access_rule(sats, "imaging", VisibilityRule(), max_off_nadir,
                                          min_sun, all_=all_)
        meta = _meta(kind, prop, rule.describe(), imaging.assumption_note(rule))
        if kind == "swaths":
            data = writer.swaths(records.swath_bands(prop, rule), meta)
        else:
            from orbitview.access.opportunities import opportunities as search
            from orbitview.data.targets import parse_target
            rows, summary = search(used, parse_target(target), times[0], times[-1], rule,
                                   sensors)
            for r in rows:
                r["_colour"] = colours[r["norad_id"]]
            meta["summary"] = summary
            data = writer.opportunities(rows, meta)
    atomic_write(output, lambda tmp: open(tmp, "wb").write(data))
    click.echo(f"orbitview: wrote {output} ({len(data) / 1e6:.2f} MB): {kind} of "
               f"{', '.join(prop.names)} as {fmt}", err=True)


def _export_coverage(writer, names, all_, t0, hours, days, step_s, region, resolution, metric,
                     min_elevation, mask, access, max_off_nadir, min_sun, use_dask,
                     dask_workers, scheduler):
    """(file bytes, names) of 'export coverage': the grid, access rule, metric, window and
    engine chosen by the coverage command's own code (cli/coverage.py), so the file holds
    what 'coverage --grid-csv' writes for the same options."""
    from orbitview.data.regions import pakistan_polygon, parse_region
    from orbitview.access.coverage import make_grid
    from orbitview.products.export import records
    hours = coverage.coverage_hours(hours, days)
    coverage.check_cluster_options(use_dask, dask_workers, scheduler)
    grid = make_grid(parse_region(region), resolution,
                     pakistan_polygon() if region.strip().lower() == "pakistan" else None)
    records.check_cells(int(grid.mask.sum()), f"--resolution {resolution:g}",
                        f"give --resolution "
                        f"{common.coarser(resolution, (grid.mask.sum() / records.MAX_CELLS) ** 0.5):g}"
                        " or coarser, or a smaller --region")
    sats = common.select(names, all_)
    rule, used, metric, step_s = coverage.coverage_access(sats, access, min_elevation, mask,
                                                 max_off_nadir, min_sun, metric, step_s, all_)
    t1 = t0 + dt.timedelta(hours=hours)
    common.check_window(t0, t1)
    common.launch_notes(sats, t0, t1)
    with coverage.engine_for(use_dask, dask_workers, scheduler) as engine:
        result = coverage.run_coverage(sats, used, grid, rule, t0, t1, step_s, engine)
    note = imaging.assumption_note(rule)
    if note:
        messages.warn(note)                      # as 'coverage' says it; the file names it too
    cells = records.coverage_cells(result, rule.describe(), note=note)
    shown = records.grid_metric(metric)
    prop = getattr(result, "coverage", result).prop
    meta = _meta("coverage", prop, f"{imaging.access_words(rule)}: {rule.describe()}", note,
                 step_s=step_s, hours=hours, region=region, resolution_deg=resolution,
                 access_kind=cells.access, metric=shown.column,
                 metrics={m.column: {"option": m.option, "label": m.label, "units": m.units,
                                     "blank": m.blank} for m in cells.metrics})
    return writer.coverage(cells, meta, shown.column), ", ".join(result.names)


# --------------------------------------------------------------------------- animate

FRAME_STEP = params.Number("s", min=1.0, max=3600.0, example="60")
FPS = params.Number("frames per second", min=1.0, max=60.0, example="10")
TRAIL_MIN = params.Number("min", min=0.0, max=600.0, example="30")


@cli.command()
@_window_options(2.0, None, FRAME_STEP, "Seconds of orbit between frames (default 30 on a "
                 "regional map, 60 on the world).")
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
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
def animate(names, all_, t0, hours, step_s, region, fps, trail_min, with_footprints,
            min_elevation, mask, access, max_off_nadir, min_sun, dpi, output):
    """An animation of the track map: moving satellites, fading trails, terminator, clock."""
    import math
    import time
    from orbitview.util import budget
    from orbitview.products.animate import (MAX_FRAMES, Animation, frames_for, memory_bytes, write_gif,
                           write_mp4)
    from orbitview.data.regions import parse_region
    from orbitview.util.errors import OrbitviewError
    extent = parse_region(region)
    if step_s is None:
        step_s = 60.0 if extent is None else 30.0
    mp4 = output.suffix.lower() == ".mp4"
    if mp4:
        import importlib.util
        if importlib.util.find_spec("imageio_ffmpeg") is None:
            raise OrbitviewError(
                "writing MP4 needs the ffmpeg that the imageio-ffmpeg package ships, and it "
                "is not installed.\nFix: pip install 'orbitview[video]' (or write a .gif).")
    n_frames = int(math.floor(hours * 3600.0 / step_s + 1e-9)) + 1
    if n_frames > MAX_FRAMES:
        raise UsageError(f"{n_frames} frames ({hours:g} h every {step_s:g} s) is more than "
                         f"{MAX_FRAMES}.\nFix: give a larger --step or a shorter --hours.")
    if n_frames < 2:
        raise UsageError(f"--hours {hours:g} is shorter than one --step of {step_s:g} s.\n"
                         "Fix: give a longer window or a smaller step.")
    common.check_window(t0, t0 + dt.timedelta(hours=hours))
    sats = common.select(names, all_)
    common.launch_notes(sats, t0, t0 + dt.timedelta(hours=hours))
    rule = None
    if with_footprints:
        rule, _, _, _ = _access(sats, access, min_elevation, mask, max_off_nadir, min_sun, all_)
    frames = frames_for(sats, t0, hours, step_s, rule, hold=session.hold())
    messages.warn_all(frames.prop.warnings())
    started = time.perf_counter()
    from orbitview.data.regions import REGIONS
    from orbitview.data.sites import load_sites
    movie = Animation(frames, extent, trail_min=trail_min, dpi=dpi,
                      sites=load_sites().values() if extent == REGIONS["pakistan"] else (),
                      clock=_view_clock())
    try:
        w, h = movie.size
        budget.require(memory_bytes(movie, gif=not mp4),
                       f"{'an MP4' if mp4 else 'a GIF'} of {len(movie)} frames of {w}x{h} px",
                       "give a larger --step, a shorter --hours or a lower --dpi"
                       + ("" if mp4 else ", or write .mp4 (its frames are streamed to ffmpeg)"))
        (write_mp4 if mp4 else write_gif)(movie, output, fps)
    finally:
        movie.close()
    spent = time.perf_counter() - started
    click.echo(f"orbitview: wrote {output} ({output.stat().st_size / 1e6:.1f} MB): "
               f"{len(movie)} frames of {movie.size[0]}x{movie.size[1]} px at {fps:g} fps, "
               f"{spent / len(movie):.3f} s per frame", err=True)
