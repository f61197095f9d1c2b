"""Where satellites are and who sees them: positions, track, passes, look, footprint."""

from __future__ import annotations

import datetime as dt

import click

from orbitview.util.errors import UsageError
from orbitview.products.text import emit, emit_chunks
from orbitview.util.timeutil import iso
from orbitview.cli import common, imaging, live, messages, options, params, session
from orbitview.cli.common import cli

# --------------------------------------------------------------------------- positions

POSITION_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                    "sunlit", "epoch_age_days"]
POSITION_CHUNK_ROWS = 20_000
"""Rows propagated and written at once (CSV and JSON stream; memory holds one chunk)."""
STREAM_MAX_ROWS = 50_000_000
"""Most rows printed as CSV or JSON (about 4 GB of text)."""
TABLE_MAX_ROWS = 10_000
"""Most rows drawn as a table (it is held whole to measure its columns)."""


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@options.time_option("--start", "t0", type=options.TIME, required=True,
              help="First time (ISO 8601, UTC unless offset; 'now').")
@options.time_option("--end", "t1", type=options.TIME, help="Last time (ISO 8601).")
@click.option("--hours", type=params.HOURS, help="Duration instead of --end.")
@click.option("--step", "step_s", type=params.STEP_S, default=60.0, show_default=True,
              help="Seconds between rows.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="csv",
              show_default=True, help="Output format.")
@options.sources
def positions(names, all_, t0, t1, hours, step_s, fmt):
    """Sub-satellite points: WGS84 latitude, longitude, altitude, sunlight, data age."""
    from orbitview.access.coverage import steps_between
    if (t1 is None) == (hours is None):
        raise click.UsageError("give exactly one of --end or --hours")
    t1 = t1 if t1 is not None else t0 + dt.timedelta(hours=hours)
    if t1 < t0:
        raise UsageError(f"--end {iso(t1)} is before --start {iso(t0)}.\n"
                         "Fix: give an end after the start, or use --hours.")
    common.check_window(t0, t1)
    sats = common.select(names, all_)
    n_steps = steps_between(t0, t1, step_s)
    n_rows = n_steps * len(sats)
    limit = TABLE_MAX_ROWS if fmt == "table" else STREAM_MAX_ROWS
    if n_rows > limit:
        raise UsageError(
            f"{n_rows:,} rows is too many to print as {fmt}"
            + (f" (about {n_rows * 85 / 1e9:.0f} GB of text)" if fmt != "table" else "")
            + f"; orbitview prints at most {limit:,}.\n"
            + ("Fix: use --format csv or json, a larger --step or a shorter span."
               if fmt == "table" else "Fix: use a larger --step or a shorter span."))
    common.launch_notes(sats, t0, t1)
    run = _PositionRows(sats, t0, step_s, n_steps)
    if fmt == "table":
        rows = run.rows(0, n_steps)
        messages.warn_all(run.warnings())
        emit(rows, POSITION_COLUMNS, fmt, title="Sub-satellite points (WGS84)",
             styles={"lat_deg": "4", "lon_deg": "4", "altitude_km": "2",
                     "epoch_age_days": "2"})
        return
    # CSV and JSON stream chunk by chunk, so memory holds one chunk; the warnings cover
    # the whole run, so they follow the rows (on stderr).
    emit_chunks(run.chunks(), POSITION_COLUMNS, fmt)
    messages.warn_all(run.warnings())


class _PositionRows:
    """Rows of ``positions`` for the steps ``t0 + j * step_s``, propagated chunk by chunk,
    with the SGP4 failures and element ages of every chunk merged as they come."""

    def __init__(self, sats, t0, step_s, n_steps):
        self.sats, self.t0, self.step_s, self.n_steps = sats, t0, step_s, n_steps
        self.hold = session.hold()
        self.notes = self.names = self.norad_ids = None

    def time(self, step: int) -> dt.datetime:
        return self.t0 + dt.timedelta(seconds=step * self.step_s)

    def rows(self, a: int, b: int) -> list[dict]:
        from orbitview.orbit.propagate import RunNotes, propagate
        from orbitview.util.timeutil import time_grid
        prop = propagate(self.sats, time_grid(self.time(a), self.time(b - 1), self.step_s),
                         hold=self.hold,
                         sunlit=True)
        notes = RunNotes.of(prop, a)
        self.notes = notes if self.notes is None else self.notes.merge(notes)
        self.names, self.norad_ids = prop.names, prop.norad_ids
        age = prop.epoch_age_days
        rows = []
        for j, when in enumerate(iso(x) for x in prop.times_utc):
            for i in range(len(self.sats)):
                rows.append({"time_utc": when, "norad_id": prop.norad_ids[i],
                             "name": prop.names[i],
                             "lat_deg": common.rounded(prop.lat_deg[i, j], 5),
                             "lon_deg": common.rounded(prop.lon_deg[i, j], 5),
                             "altitude_km": common.rounded(prop.altitude_km[i, j], 3),
                             "sunlit": bool(prop.sunlit[i, j]) if not
                             (prop.lat_deg[i, j] != prop.lat_deg[i, j]) else None,
                             "epoch_age_days": round(float(age[i, j]), 3)})
        return rows

    def chunks(self):
        per_chunk = max(1, POSITION_CHUNK_ROWS // len(self.sats))
        for a in range(0, self.n_steps, per_chunk):
            yield self.rows(a, min(a + per_chunk, self.n_steps))

    def warnings(self) -> list[str]:
        return [m for lines in self.notes.messages(self.names, self.norad_ids, self.n_steps,
                                                   self.time) for m in lines]


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
    """Ground tracks on a map: past dashed, future solid, terminator, data age caption."""
    from orbitview.api.figures import track_map
    from orbitview.products.plotting import save_figure
    figure = track_map(common.which(names, all_), when, before_min=before_min,
                       after_min=after_min, orbits=orbits, step_s=step_s, region=region,
                       central_longitude=central_longitude, swath=swath,
                       max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun,
                       sensors=session.sensor_files(), hold=session.hold(), tz=session.view_clock(),
                       catalog=session.catalog())
    messages.warn_all(n.text for n in figure.notes)
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
    Times are local (--tz); --start tonight searches from sunset to sunrise."""
    from orbitview.api.observe import passes as answer
    t1 = session.window_end(t0, days)
    common.check_window(t0, t1)
    which = common.which(names, all_)
    if visible and access is None:
        access = "radio"                 # seeing it by eye is about elevation, not imaging
    table = answer(which, where, t0, t1, access=imaging.radio_unless_asked(access, min_elevation, mask),
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
    """Where to point: azimuth, elevation and range from a site (e.g. a dish for PakSat-MM1)."""
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
    contours) or, for Earth-observation satellites, the field of regard."""
    from orbitview.data.regions import parse_region
    from orbitview.data.sites import load_sites
    from orbitview.products.maps import footprint_figure
    from orbitview.products.plotting import save_figure
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    extent = parse_region(region)
    sats = common.select(names, False)
    rule, sats, _ = imaging.access_rule(sats, imaging.radio_unless_asked(access, min_elevation, mask),
                                common.radio_rule(min_elevation, mask), max_off_nadir, min_sun)
    common.launch_notes(sats, when, when)
    # One instant, as time_grid makes it: whole and fraction of the day kept apart (a
    # single TT Julian date put 21:30:00 at 21:29:59.99996, shown as 21:29:59).
    prop = propagate(sats, time_grid(when, when, 1.0), hold=session.hold())
    messages.warn_all(prop.warnings())
    fig = footprint_figure(prop, rule, extent, sites=load_sites().values(), clock=session.view_clock())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)
