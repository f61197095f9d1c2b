"""Views for other tools: ``map`` (offline HTML), ``animate`` (GIF/MP4), ``export`` (GIS files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..errors import UsageError
from ..timeutil import iso, parse_time
from .common import MASK_OPTION, MIN_ELEVATION_OPTION, _rule, _select, _warn, cli

MAX_HOURS = 24.0 * 7


def _window_options(default_hours: float, default_step_s: float, step_help: str):
    """NAME...|--all, --start, --hours, --step: the selection every view shares."""
    def decorate(f):
        for option in reversed([
            click.argument("names", nargs=-1),
            click.option("--all", "all_", is_flag=True, help="Every satellite with element sets."),
            click.option("--start", default="now", show_default=True,
                         help="First time (ISO 8601, UTC unless offset; 'now')."),
            click.option("--hours", type=float, default=default_hours, show_default=True,
                         help=f"Length of the window (at most {MAX_HOURS:g})."),
            click.option("--step", "step_s", type=float, default=default_step_s,
                         show_default=True, help=step_help),
        ]):
            f = option(f)
        return f
    return decorate


def _output_path(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"cannot tell the {what} format from {str(path)!r}.\n"
                         f"Fix: end the file name with {' or '.join(suffixes)}.")
    if not path.parent.exists():
        raise UsageError(f"directory {str(path.parent)!r} does not exist.\n"
                         "Fix: create it first or choose another -o path.")
    return path


def _propagated_window(names, all_, start, hours, step_s, max_step_s=None):
    """Satellites, time grid and propagation for a window; warnings printed."""
    import math
    from ..propagate import propagate
    from ..timeutil import time_grid
    if not (math.isfinite(hours) and 0 < hours <= MAX_HOURS):
        raise UsageError(f"--hours {hours} must be more than 0 and at most {MAX_HOURS:g}.\n"
                         "Fix: give e.g. --hours 6.")
    if not (math.isfinite(step_s) and step_s > 0) or (max_step_s and step_s > max_step_s):
        limit = f" and at most {max_step_s:g}" if max_step_s else ""
        raise UsageError(f"--step {step_s} must be more than 0 seconds{limit}.\n"
                         "Fix: give e.g. --step 60.")
    sats = _select(names, all_)
    t0 = parse_time(start, "--start")
    t = time_grid(t0, t0 + dt.timedelta(hours=hours), step_s)
    if len(t) < 2:
        raise UsageError(f"--hours {hours} is shorter than one --step of {step_s:g} s.\n"
                         "Fix: give a longer window or a smaller step.")
    prop = propagate(sats, t)
    for m in prop.warnings():
        _warn(m)
    return sats, t, prop


def _sites(site_names):
    from ..sites import parse_site
    return [parse_site(s) for s in site_names]


COVERAGE_METRIC_COLUMNS = {"percent": "coverage_percent", "accesses": "accesses",
                           "max-gap": "max_gap_min", "mean-gap": "mean_gap_min"}


# --------------------------------------------------------------------------- map

FOOTPRINT_STEP_S = 120.0
SUN_STEP_S = 600.0


@cli.command("map")
@_window_options(6.0, 60.0, "Seconds between embedded positions (at most 120; the page "
                 "interpolates between them).")
@click.option("--site", "site_names", multiple=True,
              help="Site whose passes are listed (repeatable): Islamabad, Karachi, ... or "
                   "LAT,LON[,HEIGHT_M].")
@click.option("--region", default="world", show_default=True,
              help="Initial view: world, pakistan, or W,E,S,N in degrees.")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--coverage", "coverage_csv", type=click.Path(dir_okay=False, path_type=Path),
              help="Coverage layer: a cell CSV from 'orbitview coverage --grid-csv'.")
@click.option("--coverage-metric", type=click.Choice(list(COVERAGE_METRIC_COLUMNS)),
              default="percent", show_default=True, help="Coverage metric shown first.")
@click.option("--no-footprints", is_flag=True, help="Leave footprints out (smaller file).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write.")
def map_(names, all_, start, hours, step_s, site_names, region, min_elevation, mask,
         coverage_csv, coverage_metric, no_footprints, output):
    """One self-contained HTML map that works offline: time slider, tracks, footprints, passes."""
    from ..atomic import atomic_write_text
    from ..basemap import parse_region
    from ..export import records
    from ..webmap import MAP_STEP_MAX_S, build_page, map_payload
    output = _output_path(output, (".html", ".htm"), "page")
    extent = parse_region(region)
    rule = _rule(min_elevation, mask)
    sites = _sites(site_names)
    cells = records.read_grid_csv(coverage_csv) if coverage_csv else None
    sats, t, prop = _propagated_window(names, all_, start, hours, step_s, MAP_STEP_MAX_S)
    tracks = records.tracks(prop)
    fps = None if no_footprints else records.footprint_series(
        prop, rule, every=max(1, round(FOOTPRINT_STEP_S / step_s)))
    times = prop.times_utc
    passes, notes = records.site_passes(sats, sites, times[0], times[-1], rule) if sites \
        else ([], [])
    k = max(1, round(SUN_STEP_S / step_s))
    sun_index = sorted({*range(0, len(times), k), len(times) - 1})
    lat_s, lon_s = records.subsolar_points(t[sun_index])
    names_text = ", ".join(p.name for p in tracks) if len(tracks) <= 4 else \
        f"{len(tracks)} satellites"
    payload = map_payload(
        tracks, fps, sites, passes, notes, ([times[i] for i in sun_index], lat_s, lon_s),
        cells, COVERAGE_METRIC_COLUMNS[coverage_metric], extent, rule.describe(),
        title=f"{names_text}: {iso(times[0])} + {hours:g} h")
    atomic_write_text(output, build_page(payload))
    click.echo(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB): {len(tracks)} "
               f"satellites, {len(times)} times, {len(passes)} passes; opens offline")

