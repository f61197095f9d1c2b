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
