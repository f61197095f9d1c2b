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
