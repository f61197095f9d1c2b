"""Where satellites are and who sees them: positions, track, passes, look, footprint."""

from __future__ import annotations

import datetime as dt

import click

from orbitview.cli import common, imaging, live, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.products.text import emit, emit_chunks
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

# --------------------------------------------------------------------------- positions

POSITION_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                    "sunlit", "epoch_age_days"]
POSITION_CHUNK_ROWS = 20_000
"""Rows propagated and written at once (CSV and JSON stream; memory holds one chunk)."""
STREAM_MAX_ROWS = 50_000_000
"""Most rows printed as CSV or JSON (about 4 GB of text)."""
TABLE_MAX_ROWS = 10_000
"""Most rows drawn as a table (it is held whole to measure its columns)."""
POSITION_DAYS = params.Number("days", min=0.0, max=366.0, example="1")
"""--days of positions: as long as --hours allows (366 days)."""
DEFAULT_POSITION_DAYS = 1.0


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="First time (ISO 8601, UTC unless offset; 'now').")
@options.time_option("--end", "t1", type=options.TIME, help="Last time (ISO 8601).")
@click.option("--hours", type=params.HOURS, help="Duration instead of --end.")
@click.option("--days", type=POSITION_DAYS, help="Duration in days instead of --end.")
@click.option("--step", "step_s", type=params.STEP_S, default=60.0, show_default=True,
              help="Seconds between rows.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="csv",
              show_default=True, help="Output format.")
@options.WIDE_OPTION
@options.sources
def positions(names, all_, t0, t1, hours, days, step_s, fmt, wide):
    """Sub-satellite points: WGS84 latitude, longitude, altitude, sunlight, data age.

    From --start (default now) to --end, or for --hours or --days: give at most one of
    the three; without any, one day (or the span --start names, e.g. tonight).  CSV and
    JSON are written chunk by chunk, so any window fits in memory.

    \b
    Examples:
      orbitview positions PRSS-1 --hours 2 --step 300
      orbitview positions PRSS-1 PRSC-EO1 --hours 1 --format table
      orbitview positions Tiangong --hours 3 --step 600 --format json
    """
    from orbitview.api.observe import position_chunks
    given = [n for n, v in (("--end", t1), ("--hours", hours), ("--days", days))
             if v is not None]
    if len(given) > 1:
        raise click.UsageError(f"give at most one of --end, --hours and --days, not "
                               f"{' and '.join(given)}")
    if hours is not None or days is not None:
        t1 = t0 + dt.timedelta(hours=hours if hours is not None else days * 24.0)
    elif t1 is None:
        t1 = getattr(t0, "end_utc", None) or t0 + dt.timedelta(days=DEFAULT_POSITION_DAYS)
    if t1 < t0:
        raise UsageError(f"--end {iso(t1)} is before --start {iso(t0)}.\n"
                         "Fix: give an end after the start, or use --hours.")
    common.check_window(t0, t1)
    run = position_chunks(common.which(names, all_), t0, t1, step_s=step_s,
                          chunk_rows=POSITION_CHUNK_ROWS, hold=session.hold(),
                          catalog=session.catalog())
    limit = TABLE_MAX_ROWS if fmt == "table" else STREAM_MAX_ROWS
    if run.n_rows > limit:
        raise UsageError(
            f"{run.n_rows:,} rows is too many to print as {fmt}"
            + (f" (about {run.n_rows * 85 / 1e9:.0f} GB of text)" if fmt != "table" else "")
            + f"; orbitview prints at most {limit:,}.\n"
            + ("Fix: use --format csv or json, a larger --step or a shorter span."
               if fmt == "table" else "Fix: use a larger --step or a shorter span."))
    messages.say(run)
    if fmt == "table":
        whole = run.whole()
        messages.warn_all(messages.said(run.run_notes()))
        emit([{**r, "time_utc": iso(r["time_utc"])} for r in whole.records()],
             POSITION_COLUMNS, fmt, title="Sub-satellite points (WGS84)", wide=wide,
             wide_option=True,
             styles={"lat_deg": "4", "lon_deg": "4", "altitude_km": "2",
                     "epoch_age_days": "2"})
        return
    # CSV and JSON stream chunk by chunk, so memory holds one chunk; the warnings cover
    # the whole run, so they follow the rows (on stderr).
    with common.progress_display("positions", "rows") as progress:
        emit_chunks(_counted(run, progress), POSITION_COLUMNS, fmt)
    messages.warn_all(messages.said(run.run_notes()))


def _counted(run, progress):
    """The rows of each chunk of ``run``, telling ``progress(done, total)`` the rows
    written (a long run says how long it will take)."""
    done = 0
    for chunk in run:
        rows = chunk.records()
        yield rows
        done += len(rows)
        progress(done, run.n_rows)


# --------------------------------------------------------------------------- track

@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@options.time_option("--at", "when", type=options.TIME, default="now", show_default=True,
              help="Map time (ISO 8601, UTC unless offset; 'now').")
@click.option("--before", "before_min", type=params.MINUTES, default=45.0, show_default=True,
              help="Minutes of past track (dashed).")
@click.option("--after", "after_min", type=params.MINUTES, default=95.0, show_default=True,
              help="Minutes of future track (solid).")
@click.option("--orbits", type=params.ORBITS,
              help="Future track of N orbits of the slowest non-GEO satellite (overrides --after).")
@click.option("--step", "step_s", type=params.STEP_S, default=30.0, show_default=True,
              help="Seconds between track points.")
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("--central-longitude", type=params.LONGITUDE,
              help="Centre of a world map, degrees east (default 70, near Pakistan).")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True,
              help="Resolution of PNG output.")
@click.option("--swath", is_flag=True,
              help="Draw each imaging satellite's field of regard and nadir swath along its "
                   "future track.")
@options.MAX_OFF_NADIR_OPTION
@options.MIN_SUN_OPTION
@options.sources
@options.SENSORS
def track(names, all_, when, before_min, after_min, orbits, step_s, region, central_longitude,
          output, dpi, swath, max_off_nadir, min_sun):
    """Ground tracks on a map: past dashed, future solid, terminator, data age caption.

    \b
    Examples:
      orbitview track PRSS-1 -o prss1-track.png
      orbitview track PRSC-EO1 HS-1 --region pakistan --swath -o swaths.png
      orbitview track PakSat-MM1 PRSS-1 --orbits 2 -o two.svg
    """
    from orbitview.api.figures import track_map
    from orbitview.products.plotting import save_figure
    figure = track_map(common.which(names, all_), when, before_min=before_min,
                       after_min=after_min, orbits=orbits, step_s=step_s, region=region,
                       central_longitude=central_longitude, swath=swath,
                       max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun,
                       sensors=session.sensor_files(), hold=session.hold(), tz=session.view_clock(),
                       catalog=session.catalog())
    messages.warn_all(messages.said(figure.notes))
    save_figure(figure.figure, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@options.site_option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="Search start (ISO 8601).")
@click.option("--days", type=params.DAYS, default=1.0, show_default=True,
              help="Search length.")
@options.MIN_ELEVATION_OPTION
@options.MASK_OPTION
@options.ACCESS_OPTION
@options.MAX_OFF_NADIR_OPTION
@options.MIN_SUN_OPTION
@options.VISIBLE_OPTION
@options.TWILIGHT_OPTION
@options.PASS_FORMAT_OPTION
@options.WIDE_OPTION
@options.sources
@options.SENSORS
def passes(names, all_, where, t0, days, min_elevation, mask, access, max_off_nadir, min_sun,
           visible, twilight, fmt, wide):
    """Passes over a site: AOS, TCA, LOS, maximum elevation, sunlight, data age.

    With imaging access (the default for Earth-observation satellites) a pass is the time
    the site lies in the instrument's field of regard, in daylight for optical ones.
    --visible keeps the passes you can see by eye (radio access: elevation only).
    Times are local (--tz); --start tonight searches from sunset to sunrise.

    \b
    Examples:
      orbitview passes PRSS-1 --site Lahore
      orbitview passes Tiangong --site Lahore --visible --start tonight
      orbitview passes --all --site 24.86,67.01 --days 2 --format csv
    """
    from orbitview.api.observe import passes as answer
    t1 = session.window_end(t0, days)
    common.check_window(t0, t1)
    which = common.which(names, all_)
    if visible and access is None:
        access = "radio"                 # seeing it by eye is about elevation, not imaging
    table = answer(which, where, t0, t1,
                   access=imaging.radio_unless_asked(access, min_elevation, mask),
                   min_elevation_deg=min_elevation, mask=mask, max_off_nadir_deg=max_off_nadir,
                   min_sun_deg=min_sun, visible=visible, twilight=twilight,
                   sensors=session.sensor_files(), hold=session.hold(), tz=session.clock_for(where),
                   catalog=session.catalog())
    messages.say(table)
    live.emit_passes(table, fmt, wide=wide)


@cli.command()
@click.argument("name")
@options.site_option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@options.time_option("--at", "when", type=options.TIME, default="now", show_default=True,
              help="Time (ISO 8601).")
@options.MIN_ELEVATION_OPTION
@options.MASK_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@options.sources
def look(name, where, when, min_elevation, mask, fmt):
    """Where to point: azimuth, elevation and range from a site (e.g. a dish for PakSat-MM1).

    \b
    Examples:
      orbitview look PakSat-MM1 --site Karachi
      orbitview look Tiangong --site Lahore --at +2h --format json
    """
    from orbitview.api.observe import look as answer
    result = answer(name, where, when, min_elevation_deg=min_elevation, mask=mask,
                    hold=session.hold(), tz=session.clock_for(where), catalog=session.catalog())
    messages.say(result)
    if fmt == "json":
        emit(result.rows, result.columns, "json")
        return
    live.print_look(result)


@cli.command()
@click.argument("names", nargs=-1, required=True)
@options.time_option("--at", "when", type=options.TIME, default="now", show_default=True,
              help="Time (ISO 8601).")
@options.MIN_ELEVATION_OPTION
@options.MASK_OPTION
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@options.ACCESS_OPTION
@options.MAX_OFF_NADIR_OPTION
@options.MIN_SUN_OPTION
@options.sources
@options.SENSORS
def footprint(names, when, min_elevation, mask, region, output, dpi, access, max_off_nadir,
              min_sun):
    """Footprints on a map: radio visibility circles (GEO satellites get dish-elevation
    contours) or, for Earth-observation satellites, the field of regard.

    \b
    Examples:
      orbitview footprint PakSat-MM1 -o mm1-footprint.png
      orbitview footprint PRSS-1 PRSC-EO1 --region pakistan -o eo.png
    """
    from orbitview.api.observe import footprints as answer
    from orbitview.products.plotting import save_figure
    result = answer(list(names), when,
                    access=imaging.radio_unless_asked(access, min_elevation, mask),
                    min_elevation_deg=min_elevation, mask=mask, max_off_nadir_deg=max_off_nadir,
                    min_sun_deg=min_sun, sensors=session.sensor_files(), hold=session.hold(),
                    catalog=session.catalog())
    messages.say(result)
    fig = result.plot(region, tz=session.view_clock())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)
