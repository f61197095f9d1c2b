"""Commands about launch records and the bundled data: launches, history, info, data."""

from __future__ import annotations

import sys

import click

from orbitview.util.version import __version__
from orbitview.products.text import emit
from orbitview.util.timeutil import iso, now
from orbitview.data.catalog import ORBIT_CLASSES, satellites_on_launches
from orbitview.cli import common, options, params, session
from orbitview.cli.common import cli

# --------------------------------------------------------------------------- launches

LAUNCH_COLUMNS = ["name", "aliases", "cospar_id", "norad_id", "launch_utc", "launch_vehicle",
                  "launch_site", "launch_country", "orbit_class", "operator", "builder",
                  "partner_country", "purpose", "status", "uncertain", "notes", "source"]


@cli.command()
@click.option("--since", type=params.SINCE, help="First year or date (e.g. 2018 or 2018-07-01).")
@click.option("--until", type=params.UNTIL, help="Last year or date, inclusive.")
@click.option("--vehicle", help="Launch vehicle contains TEXT (case-insensitive).")
@click.option("--site", help="Launch site contains TEXT.")
@click.option("--country", help="Launch country contains TEXT.")
@click.option("--orbit", type=click.Choice(ORBIT_CLASSES, case_sensitive=False),
              help="Orbit class.")
@click.option("--status", help="Status contains TEXT (e.g. active, retired).")
@options.FORMAT_OPTION
def launches(since, until, vehicle, site, country, orbit, status, fmt):
    """The launch history of Pakistani satellites, sorted by date."""
    if since and until and since > until:
        raise click.UsageError(f"--since {iso(since)} is after --until {iso(until)}, so no "
                               "launch could match; give the earlier date to --since")
    catalog = session.catalog()
    records = [s.record for s in catalog]
    if since:
        records = [r for r in records if r.launch_time >= since]
    if until:
        records = [r for r in records if r.launch_time <= until]
    if orbit:
        records = [r for r in records if r.orbit_class == orbit]
    for text, attr in ((vehicle, "launch_vehicle"), (site, "launch_site"),
                       (country, "launch_country"), (status, "status")):
        if text:
            records = [r for r in records if text.lower() in getattr(r, attr).lower()]
    rows = [r.as_dict() for r in records]
    emit(rows, LAUNCH_COLUMNS, fmt,
         table_columns=["name", "launch_utc", "launch_vehicle", "launch_site",
                        "launch_country", "orbit_class", "norad_id", "cospar_id", "status"],
         drop_order=["launch_country", "cospar_id", "norad_id", "orbit_class", "status",
                     "launch_site"],
         title=f"Pakistani satellites: {satellites_on_launches(records)}",
         caption="Uncertain facts are marked in the 'uncertain' column of --format csv/json.")


# --------------------------------------------------------------------------- history

@cli.command()
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True,
              help="Resolution of PNG output.")
def history(output, dpi):
    """A figure of every launch since 1990, by launch site and orbit class."""
    from orbitview.products.history_plot import plot_history
    from orbitview.products.plotting import save_figure
    fig = plot_history(session.catalog(), today=now())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)





# --------------------------------------------------------------------------- info, data

@cli.command()
def info():
    """Versions, the data directory in use and what it holds."""
    import importlib.metadata as md
    from orbitview.data.datadir import data_dir, user_dir
    rows = [("orbitview", __version__)]
    for pkg in ("skyfield", "sgp4", "numpy", "matplotlib", "cartopy", "shapely",
                "jplephem", "click", "rich"):
        try:
            rows.append((pkg, md.version(pkg)))
        except md.PackageNotFoundError:
            rows.append((pkg, "not installed"))
    rows.append(("python", sys.version.split()[0]))
    catalog = session.catalog()
    epochs = [es.epoch for s in catalog for es in s.elements]
    rows += [
        ("data directory", str(data_dir())),
        ("user directory", str(user_dir())),
        ("launch records", str(len(catalog))),
        ("launches", satellites_on_launches(s.record for s in catalog)),
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


@cli.group(cls=common.OrderedGroup)
def data():
    """Check the launch records and element sets."""


def _the(scope: str) -> str:
    return scope if scope.startswith("your ") else f"the {scope}"


@data.command("check")
def data_check():
    """Check launches.csv, sites.csv, the element sets, the user store and the config file;
    report all."""
    from orbitview.data.catalog import BUNDLED, USER_STORE, check_data
    from orbitview.data.config import SCOPE as CONFIG, read_config
    from orbitview.data.datadir import data_dir
    from orbitview.data.sources import elements_dir
    directory = data_dir()
    catalog, problems = check_data(directory)
    config = read_config()               # the user's config file: its problems too
    problems = problems + list(config.problems)
    places = {BUNDLED: directory, USER_STORE: elements_dir(), CONFIG: config.path}
    for scope in (BUNDLED, USER_STORE, CONFIG):
        found = [p for p in problems if p.scope == scope]
        if found:
            click.echo(f"== {len(found)} problem(s) in {_the(scope)} ({places[scope]}) ==\n",
                       err=True)
        for p in found:
            click.echo(p.message() + "\n", err=True)
    if problems:
        counts = ", ".join(f"{sum(p.scope == s for p in problems)} in {_the(s)}"
                           for s in (BUNDLED, USER_STORE, CONFIG)
                           if any(p.scope == s for p in problems))
        click.echo(f"{len(problems)} problem(s): {counts}. Everything else is usable.",
                   err=True)
        raise click.exceptions.Exit(1)
    n_sets = sum(len(s.elements) for s in catalog)
    click.echo(f"ok: {len(catalog)} launch records, {n_sets} element sets for "
               f"{len(catalog.with_elements())} objects in {directory}"
               + (f"; user store {elements_dir()}" if elements_dir().is_dir() else ""))
