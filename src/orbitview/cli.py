"""The ``orbitview`` command: argument parsing, formats and exit codes only.

Exit status: 0 success, 1 a problem with data or values (one readable message
and the fix on stderr), 2 a usage error.  ``--debug`` shows tracebacks.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import __version__
from .errors import OrbitviewError, UsageError
from .output import FORMATS, emit
from .timeutil import iso, now, parse_time, parse_year_or_date

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")


class _Group(click.Group):
    def list_commands(self, ctx):  # keep the order we registered in
        return list(self.commands)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orbitview")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx, debug):
    """Track Pakistan's satellites: launches, element sets, tracks, passes, coverage.

    Times are UTC unless they carry an offset (PKT is +05:00).  Everything works
    offline from the bundled data except 'orbitview tle update'.
    """
    ctx.obj = {"debug": debug}


def _catalog():
    from .catalog import load_catalog
    return load_catalog()


# --------------------------------------------------------------------------- launches

LAUNCH_COLUMNS = ["name", "aliases", "cospar_id", "norad_id", "launch_utc", "launch_vehicle",
                  "launch_site", "launch_country", "orbit_class", "operator", "builder",
                  "partner_country", "purpose", "status", "uncertain", "notes", "source"]


@cli.command()
@click.option("--since", help="First year or date (e.g. 2018 or 2018-07-01).")
@click.option("--until", help="Last year or date, inclusive.")
@click.option("--vehicle", help="Launch vehicle contains TEXT (case-insensitive).")
@click.option("--site", help="Launch site contains TEXT.")
@click.option("--country", help="Launch country contains TEXT.")
@click.option("--orbit", help="Orbit class (LEO, SSO, GEO, lunar, ...).")
@click.option("--status", help="Status contains TEXT (e.g. active, retired).")
@FORMAT_OPTION
def launches(since, until, vehicle, site, country, orbit, status, fmt):
    """The launch history of Pakistani satellites, sorted by date."""
    from .catalog import ORBIT_CLASSES
    catalog = _catalog()
    records = [s.record for s in catalog]
    if since:
        t0 = parse_year_or_date(since, "--since")
        records = [r for r in records if r.launch_time >= t0]
    if until:
        t1 = parse_year_or_date(until, "--until", end=True)
        records = [r for r in records if r.launch_time <= t1]
    if orbit:
        match = [c for c in ORBIT_CLASSES if c.lower() == orbit.lower()]
        if not match:
            raise UsageError(f"unknown orbit class {orbit!r}.\n"
                             f"Fix: use one of {', '.join(ORBIT_CLASSES)}.")
        records = [r for r in records if r.orbit_class == match[0]]
    for text, attr in ((vehicle, "launch_vehicle"), (site, "launch_site"),
                       (country, "launch_country"), (status, "status")):
        if text:
            records = [r for r in records if text.lower() in getattr(r, attr).lower()]
    rows = [r.as_dict() for r in records]
    emit(rows, LAUNCH_COLUMNS, fmt,
         table_columns=["name", "launch_utc", "launch_vehicle", "launch_site",
                        "launch_country", "orbit_class", "norad_id", "cospar_id", "status"],
         title=f"Pakistani satellite launches ({len(rows)})",
         caption="Uncertain facts are marked in the 'uncertain' column of --format csv/json.")


# --------------------------------------------------------------------------- history

@cli.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", default=150, show_default=True, help="Resolution of PNG output.")
def history(output, dpi):
    """A figure of every launch since 1990, by launch site and orbit class."""
    from .history_plot import plot_history
    from .plotting import save_figure
    fig = plot_history(_catalog(), today=now())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")


# --------------------------------------------------------------------------- tle

@cli.group(cls=_Group)
def tle():
    """Element sets: status, update from CelesTrak, history."""


@tle.command("status")
@click.argument("names", nargs=-1)
@click.option("--at", "at", default="now", show_default=True,
              help="Time to measure the age against (ISO 8601, UTC unless offset).")
@FORMAT_OPTION
def tle_status(names, at, fmt):
    """Newest element epoch of each object and its age; stale beyond 14 days."""
    from .elements import STALE_AFTER_DAYS
    catalog = _catalog()
    when = parse_time(at, "--at")
    sats = catalog.resolve_many(names) if names else list(catalog)
    rows = []
    for sat in sats:
        latest = sat.latest
        row = {"norad_id": sat.norad_id, "name": sat.name,
               "element_sets": len(sat.elements)}
        if latest is None:
            row.update(newest_epoch_utc=None, epoch_age_days=None, stale=None,
                       source=None, note=sat.why_no_elements())
        else:
            age = latest.age_days(when)
            row.update(newest_epoch_utc=latest.epoch.replace(microsecond=0),
                       epoch_age_days=round(age, 2), stale=abs(age) > STALE_AFTER_DAYS,
                       source=latest.source,
                       note=f"STALE: {abs(age):.0f} days from {iso(when)}"
                       if abs(age) > STALE_AFTER_DAYS else "current")
            if abs(age) > STALE_AFTER_DAYS:
                row["_style"] = "yellow"
        rows.append(row)
    emit(rows, ["norad_id", "name", "element_sets", "newest_epoch_utc", "epoch_age_days",
                "stale", "source", "note"], fmt,
         table_columns=["norad_id", "name", "element_sets", "newest_epoch_utc",
                        "epoch_age_days", "note"],
         title=f"Element sets at {iso(when)} (stale beyond {STALE_AFTER_DAYS:.0f} days)",
         caption="Refresh with 'orbitview tle update --all' (needs network).")


# --------------------------------------------------------------------------- selection

def _select(names, all_, need_elements=True):
    """Satellites named on the command line, or every one with element sets (--all)."""
    catalog = _catalog()
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    if all_:
        sats = catalog.with_elements()
        skipped = [s for s in catalog if not s.elements]
        if skipped:
            _warn("--all skips records without element sets: "
                  + ", ".join(s.name for s in skipped))
        return sats
    sats = catalog.resolve_many(names)
    if need_elements:
        for s in sats:
            s.require_elements()
    return sats


def _warn(text):
    click.echo(f"orbitview: warning: {text}", err=True)


def _window(at, before_min, after_min, step_s):
    """A time grid around ``at`` that contains ``at`` exactly; returns (t, at_index)."""
    import math
    from .timeutil import time_grid
    if before_min < 0 or after_min < 0:
        raise UsageError("--before and --after are minutes and cannot be negative.\n"
                         "Fix: give e.g. --before 45 --after 90.")
    n_before = math.ceil(before_min * 60.0 / step_s - 1e-9)
    start = at - dt.timedelta(seconds=n_before * step_s)
    end = at + dt.timedelta(seconds=after_min * 60.0)
    return time_grid(start, end, step_s), n_before


# --------------------------------------------------------------------------- positions

POSITION_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                    "sunlit", "epoch_age_days"]


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--start", required=True, help="First time (ISO 8601, UTC unless offset; 'now').")
@click.option("--end", help="Last time (ISO 8601).")
@click.option("--hours", type=float, help="Duration instead of --end.")
@click.option("--step", "step_s", type=float, default=60.0, show_default=True,
              help="Seconds between rows.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="csv",
              show_default=True, help="Output format.")
def positions(names, all_, start, end, hours, step_s, fmt):
    """Sub-satellite points: WGS84 latitude, longitude, altitude, sunlight, data age."""
    from .propagate import propagate
    from .timeutil import time_grid
    sats = _select(names, all_)
    t0 = parse_time(start, "--start")
    if (end is None) == (hours is None):
        raise click.UsageError("give exactly one of --end or --hours")
    t1 = parse_time(end, "--end") if end else t0 + dt.timedelta(hours=hours)
    t = time_grid(t0, t1, step_s)
    if len(t) * len(sats) > 5_000_000:
        raise UsageError(f"{len(t) * len(sats):,} rows is too many to print.\n"
                         "Fix: use a larger --step or a shorter span.")
    prop = propagate(sats, t, sunlit=True)
    for m in prop.warnings():
        _warn(m)
    times = [iso(x) for x in prop.times_utc]
    rows = []
    for j, when in enumerate(times):
        for i in range(len(sats)):
            rows.append({"time_utc": when, "norad_id": prop.norad_ids[i],
                         "name": prop.names[i],
                         "lat_deg": _r(prop.lat_deg[i, j], 5), "lon_deg": _r(prop.lon_deg[i, j], 5),
                         "altitude_km": _r(prop.altitude_km[i, j], 3),
                         "sunlit": bool(prop.sunlit[i, j]) if not
                         (prop.lat_deg[i, j] != prop.lat_deg[i, j]) else None,
                         "epoch_age_days": round(float(prop.epoch_age_days[i, j]), 3)})
    emit(rows, POSITION_COLUMNS, fmt, title="Sub-satellite points (WGS84)",
         styles={"lat_deg": "4", "lon_deg": "4", "altitude_km": "2", "epoch_age_days": "2"})


def _r(value, digits):
    value = float(value)
    return None if value != value else round(value, digits)


# --------------------------------------------------------------------------- track

@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--at", "at", default="now", show_default=True,
              help="Map time (ISO 8601, UTC unless offset; 'now').")
@click.option("--before", "before_min", type=float, default=45.0, show_default=True,
              help="Minutes of past track (dashed).")
@click.option("--after", "after_min", type=float, default=95.0, show_default=True,
              help="Minutes of future track (solid).")
@click.option("--orbits", type=float,
              help="Future track of N orbits of the slowest non-GEO satellite (overrides --after).")
@click.option("--step", "step_s", type=float, default=30.0, show_default=True,
              help="Seconds between track points.")
@click.option("--region", default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("--central-longitude", type=float,
              help="Centre of a world map, degrees east (default 70, near Pakistan).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", default=150, show_default=True, help="Resolution of PNG output.")
def track(names, all_, at, before_min, after_min, orbits, step_s, region, central_longitude,
          output, dpi):
    """Ground tracks on a map: past dashed, future solid, terminator, data age caption."""
    from .basemap import parse_region
    from .maps import DEFAULT_CENTRAL_LONGITUDE, track_figure
    from .plotting import check_output, save_figure
    from .propagate import propagate
    check_output(output)
    extent = parse_region(region)
    sats = _select(names, all_)
    when = parse_time(at, "--at")
    if orbits is not None:
        periods = [1440.0 / s.latest.mean_motion_rev_per_day for s in sats
                   if not s.latest.is_deep_space]
        after_min = orbits * (max(periods) if periods else 1436.0)
    t, at_index = _window(when, before_min, after_min, step_s)
    prop = propagate(sats, t)
    for m in prop.warnings():
        _warn(m)
    fig = track_figure(prop, at_index, extent,
                       central_longitude if central_longitude is not None
                       else DEFAULT_CENTRAL_LONGITUDE)
    save_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")


# --------------------------------------------------------------------------- visibility

def _rule(min_elevation, mask):
    from .geometry import HorizonMask, VisibilityRule
    if not -5.0 <= min_elevation <= 90.0:
        raise UsageError(f"--min-elevation {min_elevation} is outside -5 to 90 degrees.\n"
                         "Fix: give e.g. --min-elevation 10.")
    return VisibilityRule(min_elevation, HorizonMask.read(mask) if mask else None)


MIN_ELEVATION_OPTION = click.option(
    "--min-elevation", type=float, default=10.0, show_default=True,
    help="Minimum elevation (deg) of the visibility rule.")
MASK_OPTION = click.option(
    "--mask", type=click.Path(dir_okay=False),
    help="Horizon mask CSV (azimuth_deg,min_elevation_deg), combined with --min-elevation.")

PASS_COLUMNS = ["norad_id", "name", "aos_utc", "tca_utc", "los_utc", "max_elevation_deg",
                "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "sunlit_at_tca",
                "site_sun_elevation_deg", "epoch_age_days", "in_progress_at_start",
                "in_progress_at_end"]


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--site", required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@click.option("--start", default="now", show_default=True, help="Search start (ISO 8601).")
@click.option("--days", type=float, default=1.0, show_default=True, help="Search length.")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@FORMAT_OPTION
def passes(names, all_, site, start, days, min_elevation, mask, fmt):
    """Passes over a site: AOS, TCA, LOS, maximum elevation, sunlight, data age."""
    from .geometry import find_passes, geo_visibility, parse_site
    from .timeutil import PKT
    sats = _select(names, all_)
    where = parse_site(site)
    rule = _rule(min_elevation, mask)
    t0 = parse_time(start, "--start")
    if not 0 < days <= 60:
        raise UsageError(f"--days {days} must be more than 0 and at most 60.\n"
                         "Fix: give e.g. --days 3.")
    t1 = t0 + dt.timedelta(days=days)
    rows, notes = [], []
    for sat in sats:
        if sat.latest.is_deep_space:
            state = geo_visibility(sat, where, t0, t1, rule)
            if state is not None:
                notes.append(f"{sat.name} ({sat.norad_id}) is {state['visible']} visible from "
                             f"{where.name} ({rule.describe()}): elevation "
                             f"{state['min_elevation_deg']:.2f} to "
                             f"{state['max_elevation_deg']:.2f} deg")
                if state["visible"] == "continuously":
                    rows.append({"norad_id": sat.norad_id, "name": sat.name, "aos_utc": t0,
                                 "tca_utc": None, "los_utc": t1,
                                 "max_elevation_deg": round(state["max_elevation_deg"], 2),
                                 "aos_azimuth_deg": None, "los_azimuth_deg": None,
                                 "duration_s": round((t1 - t0).total_seconds(), 1),
                                 "sunlit_at_tca": None, "site_sun_elevation_deg": None,
                                 "epoch_age_days": round(sat.latest.age_days(t0), 2),
                                 "in_progress_at_start": True, "in_progress_at_end": True})
                continue
        rows += find_passes(sat, where, t0, t1, rule)
    rows.sort(key=lambda r: r["aos_utc"])
    for r in rows:
        if abs(r["epoch_age_days"]) > 14:
            r["_style"] = "yellow"
    stale = sorted({r["name"] for r in rows if abs(r["epoch_age_days"]) > 14})
    for n in notes:
        _warn(n)
    if stale:
        _warn(f"element sets of {', '.join(stale)} are more than 14 days from the passes: "
              "event times may be off by minutes. Fix: 'orbitview tle update' when online.")
    if fmt == "table":
        for r in rows:
            r["aos_pkt"] = r["aos_utc"].astimezone(PKT).strftime("%H:%M:%S")
            r["start"] = ("* " if r["in_progress_at_start"] else "") + \
                r["aos_utc"].strftime("%m-%d %H:%M:%S")
            r["end"] = r["los_utc"].strftime("%H:%M:%S" if r["los_utc"].date() ==
                                             r["aos_utc"].date() else "%m-%d %H:%M:%S") + \
                (" *" if r["in_progress_at_end"] else "")
            r["tca"] = r["tca_utc"].strftime("%H:%M:%S") if r["tca_utc"] else "-"
            r["sun"] = ("" if r["sunlit_at_tca"] is None else
                        "sunlit" if r["sunlit_at_tca"] else "eclipsed")
            r["visible_by_eye"] = "yes" if (r["sunlit_at_tca"] and
                                           (r["site_sun_elevation_deg"] or 0) < -6) else ""
    emit(rows, PASS_COLUMNS, fmt,
         table_columns=["name", "start", "aos_pkt", "tca", "end", "max_elevation_deg",
                        "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "sun",
                        "site_sun_elevation_deg", "visible_by_eye", "epoch_age_days"],
         headers={"start": "AOS UTC", "aos_pkt": "AOS PKT", "tca": "TCA UTC", "end": "LOS UTC",
                  "max_elevation_deg": "max el°", "aos_azimuth_deg": "AOS az°",
                  "los_azimuth_deg": "LOS az°", "duration_s": "s",
                  "site_sun_elevation_deg": "sun el°", "epoch_age_days": "age d", "visible_by_eye": "by eye"},
         title=f"Passes over {where.label()}, {iso(t0)} + {days:g} d, {rule.describe()}",
         caption="* pass already in progress at the start (or still in progress at the end). "
                 "visible by eye: satellite sunlit, site in darkness (sun below -6 deg).")


@cli.command()
@click.argument("name")
@click.option("--site", required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@click.option("--at", "at", default="now", show_default=True, help="Time (ISO 8601).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def look(name, site, at, min_elevation, mask, fmt):
    """Where to point: azimuth, elevation and range from a site (e.g. a dish for PakSat-MM1)."""
    from .geometry import site_view, parse_site
    from .timeutil import timescale
    sat = _catalog().resolve(name)
    sat.require_elements()
    where = parse_site(site)
    rule = _rule(min_elevation, mask)
    when = parse_time(at, "--at")
    t = timescale().from_datetime(when)
    t = t.ts.tt_jd([t.tt])
    az, el, rng = site_view(sat, where, t)
    es = sat.elements[int(min(range(len(sat.elements)),
                              key=lambda k: abs(sat.elements[k].age_days(when))))]
    age = es.age_days(when)
    row = {"time_utc": when, "norad_id": sat.norad_id, "name": sat.name, "site": where.name,
           "site_lat_deg": where.lat_deg, "site_lon_deg": where.lon_deg,
           "site_height_m": where.height_m,
           "azimuth_deg": round(float(az[0]), 3), "elevation_deg": round(float(el[0]), 3),
           "range_km": round(float(rng[0]), 3),
           "visible": bool(rule.margin_deg(az, el)[0] >= 0),
           "rule": rule.describe(), "elements_epoch_utc": es.epoch.replace(microsecond=0),
           "epoch_age_days": round(age, 2), "source": es.source}
    if abs(age) > 14:
        _warn(f"{sat.name}'s element set is {abs(age):.0f} days from {iso(when)}: pointing may "
              "be off. Fix: 'orbitview tle update' when online.")
    if fmt == "json":
        emit([row], list(row), "json")
        return
    from .timeutil import pkt
    click.echo(f"{sat.name} ({sat.norad_id}) from {where.label()}")
    click.echo(f"  at {iso(when)} ({pkt(when)})")
    click.echo(f"  azimuth   {row['azimuth_deg']:9.3f} deg (clockwise from true north)")
    click.echo(f"  elevation {row['elevation_deg']:9.3f} deg "
               f"({'visible' if row['visible'] else 'not visible'}: {rule.describe()})")
    click.echo(f"  range     {row['range_km']:9.1f} km")
    click.echo(f"  elements  epoch {iso(es.epoch)}, {age:.1f} days old; {es.source}")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--at", "at", default="now", show_default=True, help="Time (ISO 8601).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--region", default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", default=150, show_default=True)
def footprint(names, at, min_elevation, mask, region, output, dpi):
    """Visibility footprints on a map; GEO satellites get dish-elevation contours."""
    from .basemap import parse_region
    from .geometry import load_sites
    from .maps import footprint_figure
    from .plotting import check_output, save_figure
    from .propagate import propagate
    from .timeutil import timescale
    check_output(output)
    extent = parse_region(region)
    sats = _select(names, False)
    rule = _rule(min_elevation, mask)
    when = parse_time(at, "--at")
    t = timescale().from_datetime(when)
    prop = propagate(sats, t.ts.tt_jd([t.tt]))
    for m in prop.warnings():
        _warn(m)
    fig = footprint_figure(prop, rule, extent, sites=load_sites().values())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--region", default="pakistan", show_default=True,
              help="pakistan (masked to Pakistan, per-province table) or W,E,S,N.")
@click.option("--start", default="now", show_default=True, help="Start (ISO 8601).")
@click.option("--hours", type=float, default=24.0, show_default=True)
@click.option("--step", "step_s", type=float, default=30.0, show_default=True,
              help="Seconds between time steps.")
@click.option("--resolution", type=float, default=0.1, show_default=True,
              help="Grid cell size (deg).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--metric", type=click.Choice(["percent", "accesses", "max-gap", "mean-gap"]),
              default="percent", show_default=True, help="Quantity mapped.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Heatmap file: .png, .svg or .pdf.")
@click.option("--grid-csv", type=click.Path(dir_okay=False, path_type=Path),
              help="Write per-cell metrics to this CSV.")
@FORMAT_OPTION
def coverage(names, all_, region, start, hours, step_s, resolution, min_elevation, mask,
             metric, output, grid_csv, fmt):
    """Coverage of Pakistan (or a box): % of time, accesses and revisit gaps per province."""
    from .atomic import atomic_write_text
    from .basemap import parse_region, pakistan_polygon, province_polygons
    from .coverage import make_grid
    from .geometry import load_sites
    from .output import to_csv
    from .plotting import check_output, save_figure
    from .propagate import propagate
    from .timeutil import time_grid
    if output:
        check_output(output)
    extent = parse_region(region)
    if extent is None:
        raise UsageError("coverage needs a bounded region, not the whole world.\n"
                         "Fix: give --region pakistan or W,E,S,N.")
    is_pakistan = region.strip().lower() == "pakistan"
    sats = _select(names, all_)
    rule = _rule(min_elevation, mask)
    t0 = parse_time(start, "--start")
    if not 0 < hours <= 24 * 31:
        raise UsageError(f"--hours {hours} must be more than 0 and at most 744.\n"
                         "Fix: give e.g. --hours 24.")
    t = time_grid(t0, t0 + dt.timedelta(hours=hours), step_s)
    grid = make_grid(extent, resolution, pakistan_polygon() if is_pakistan else None)
    prop = propagate(sats, t)
    for m in prop.warnings():
        _warn(m)
    result = _run_coverage(prop, grid, rule)
    polygons = province_polygons() if is_pakistan else None
    rows = result.summary(polygons)
    if grid_csv:
        cells = [{"lat_deg": round(float(a), 5), "lon_deg": round(float(b), 5),
                  "coverage_percent": round(float(c), 3), "accesses": int(d),
                  "max_gap_min": round(float(e), 2), "mean_gap_min": round(float(f), 2)}
                 for a, b, c, d, e, f in zip(grid.cell_lat, grid.cell_lon,
                                             result.coverage_percent, result.accesses,
                                             result.max_gap_min, result.mean_gap_min)]
        atomic_write_text(grid_csv, to_csv(cells, list(cells[0])))
        click.echo(f"orbitview: wrote {len(cells)} cells to {grid_csv}", err=True)
    if output:
        from .maps import coverage_figure
        fig = coverage_figure(result, metric, rule, extent, polygons,
                              sites=load_sites().values() if is_pakistan else ())
        save_figure(fig, output)
        click.echo(f"orbitview: wrote {output}", err=True)
    emit(rows, ["region", "cells", "coverage_percent", "accesses", "mean_gap_min",
                "max_gap_min"], fmt,
         title=f"Coverage {iso(t0)} + {hours:g} h, step {step_s:g} s, "
               f"{resolution:g} deg grid, {rule.describe()}: "
               + (", ".join(prop.names) if len(prop.names) <= 5 else f"{len(prop.names)} satellites"),
         caption="coverage_percent, accesses and mean_gap_min: area-weighted means over the "
                 "cells; max_gap_min: the worst cell. Gaps include the window's start and end.")


def _run_coverage(prop, grid, rule):
    """compute_coverage with a progress bar on a terminal when the work is large."""
    from .coverage import compute_coverage
    work = int(grid.mask.sum()) * prop.lat_deg.size
    if not sys.stderr.isatty() or work < 50_000_000:
        return compute_coverage(prop, grid, rule)
    from rich.progress import Progress
    with Progress(transient=True) as bar:
        task = bar.add_task("coverage", total=None)
        return compute_coverage(prop, grid, rule, progress=lambda n: bar.advance(task, n))


# --------------------------------------------------------------------------- tle update/history

@tle.command("update")
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every catalog object with a NORAD number.")
@click.option("--format", "fmt", type=click.Choice(["omm", "tle"]), default="omm",
              show_default=True, help="Fetch OMM (JSON; any catalog number) or TLE.")
@click.option("--force", is_flag=True, help="Fetch even within 2 hours of the last fetch.")
def tle_update(names, all_, fmt, force):
    """Fetch current element sets from CelesTrak (the only command that uses the network)."""
    from .errors import DownloadError
    from .sources import elements_dir, update_one
    catalog = _catalog()
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    sats = [s for s in catalog if s.norad_id] if all_ else catalog.resolve_many(names)
    for s in sats:
        if s.norad_id is None:
            raise UsageError(f"{s.name} has no NORAD catalog number, so CelesTrak cannot be "
                             "asked for it.\nFix: add its norad_id to launches.csv once known.")
    rows, failures = [], []
    progress = None
    if all_ and sys.stderr.isatty():
        from rich.progress import Progress
        progress = Progress(transient=True)
        progress.start()
        task = progress.add_task("fetching element sets", total=len(sats))
    try:
        for s in sats:
            try:
                row = update_one(s.norad_id, fmt, force)
            except DownloadError as e:
                failures.append(f"{s.name} ({s.norad_id}): {e}")
                row = {"norad_id": s.norad_id, "status": "FAILED", "note": str(e).splitlines()[0]}
            row["name"] = s.name
            rows.append(row)
            if progress is not None:
                progress.advance(task)
    finally:
        if progress is not None:
            progress.stop()
    emit(rows, ["norad_id", "name", "status", "epoch_utc", "note"], "table",
         title=f"Element sets fetched into {elements_dir()}")
    if failures:
        for f in failures:
            click.echo(f"orbitview: error: {f}", err=True)
        click.echo(f"orbitview: {len(failures)} of {len(sats)} fetches failed; the stored data "
                   "of those objects is unchanged.", err=True)
        raise click.exceptions.Exit(1)


@tle.command("history")
@click.argument("name")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", default=150, show_default=True)
def tle_history(name, output, dpi):
    """Perigee, apogee, inclination (and GEO longitude) across every stored element set."""
    from .history_plot import element_history, plot_element_history
    from .plotting import check_output, save_figure
    check_output(output)
    sat = _catalog().resolve(name)
    sat.require_elements()
    rows = element_history(sat)
    fig = plot_element_history(sat, rows)
    save_figure(fig, output, dpi=dpi)
    for r in rows:
        if r["manoeuvre"]:
            _warn(f"{sat.name}: {r['manoeuvre']} before the set of {iso(r['epoch'])}")
    click.echo(f"wrote {output}")


# --------------------------------------------------------------------------- info, data

@cli.command()
def info():
    """Versions, the data directory in use and what it holds."""
    import importlib.metadata as md
    from .datadir import data_dir, user_dir
    rows = [("orbitview", __version__)]
    for pkg in ("skyfield", "sgp4", "numpy", "matplotlib", "cartopy", "shapely",
                "skyfield-data", "click", "rich"):
        try:
            rows.append((pkg, md.version(pkg)))
        except md.PackageNotFoundError:
            rows.append((pkg, "not installed"))
    rows.append(("python", sys.version.split()[0]))
    catalog = _catalog()
    epochs = [es.epoch for s in catalog for es in s.elements]
    rows += [
        ("data directory", str(data_dir())),
        ("user directory", str(user_dir())),
        ("launch records", str(len(catalog))),
        ("with element sets", f"{len(catalog.with_elements())} objects, "
                              f"{sum(len(s.elements) for s in catalog)} sets"),
        ("element epochs", f"{iso(min(epochs))} to {iso(max(epochs))}" if epochs else "none"),
        ("without element sets", ", ".join(s.name for s in catalog if not s.elements)),
    ]
    unconfirmed = data_dir() / "tles" / "unconfirmed"
    if unconfirmed.is_dir():
        rows.append(("not loaded (unconfirmed)",
                     ", ".join(p.name for p in sorted(unconfirmed.glob("*.tle")))))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"{k:<{width}}  {v}")


@cli.group(cls=_Group)
def data():
    """Check the launch records and element sets."""


@data.command("check")
def data_check():
    """Run every check on launches.csv and the element sets; report all problems."""
    from .catalog import check_data
    from .datadir import data_dir
    directory = data_dir()
    catalog, problems = check_data(directory)
    for p in problems:
        click.echo(p.message() + "\n", err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {directory}", err=True)
        raise click.exceptions.Exit(1)
    n_sets = sum(len(s.elements) for s in catalog)
    click.echo(f"ok: {len(catalog)} launch records, {n_sets} element sets for "
               f"{len(catalog.with_elements())} objects in {directory}")


# --------------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: turns orbitview errors into one message + exit 1."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        status = cli.main(args=args, prog_name="orbitview", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except (OrbitviewError, OSError) as e:
        if debug:
            raise
        click.echo(f"orbitview: error: {e}", err=True)
        return 1
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
