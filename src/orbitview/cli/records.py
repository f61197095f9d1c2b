"""Commands about launch records and the bundled data: launches, history, info, data."""

from __future__ import annotations

import click

from orbitview.cli import common, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.data.catalog import ORBIT_CLASSES
from orbitview.products.text import emit
from orbitview.util.timeutil import iso, now

# --------------------------------------------------------------------------- launches

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
@options.WIDE_OPTION
def launches(since, until, vehicle, site, country, orbit, status, fmt, wide):
    """The launch history of Pakistani satellites, sorted by date.

    A row of launches.csv that cannot be read is left out, named, and makes the exit
    status 1.

    \b
    Examples:
      orbitview launches
      orbitview launches --since 2018 --orbit SSO
      orbitview launches --vehicle "Long March" --format csv
    """
    from orbitview.api.records import LAUNCH_TABLE_COLUMNS
    from orbitview.api.records import launches as answer
    if since and until and since > until:
        raise click.UsageError(f"--since {iso(since)} is after --until {iso(until)}, so no "
                               "launch could match; give the earlier date to --since")
    result = answer(since, until, vehicle, site, country, orbit, status,
                    catalog=session.catalog())
    messages.say(result)
    emit(result.rows, result.columns, fmt, table_columns=LAUNCH_TABLE_COLUMNS,
         drop_order=["launch_country", "cospar_id", "norad_id", "orbit_class", "status",
                     "launch_site"], wide=wide, wide_option=True,
         title=f"Pakistani satellites: {result.summary()}",
         caption="Uncertain facts are marked in the 'uncertain' column of --format csv/json.")


# --------------------------------------------------------------------------- history

@cli.command()
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True,
              help="Resolution of PNG output.")
def history(output, dpi):
    """A figure of every launch since 1990, by launch site and orbit class.

    \b
    Examples:
      orbitview history -o launches.png
      orbitview history -o launches.svg
    """
    from orbitview.api.records import history_figure
    from orbitview.products.plotting import save_figure
    figure = history_figure(now(), catalog=session.catalog())
    messages.warn_all(figure.warnings)
    save_figure(figure.figure, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)


# --------------------------------------------------------------------------- info, data

@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format (json: versions, directories, counts).")
def info(fmt):
    """Versions, the data directory in use and what it holds.

    \b
    Examples:
      orbitview info
      orbitview info --format json
    """
    from orbitview.api.records import info as answer
    result = answer(catalog=session.catalog())
    messages.say(result)
    if fmt == "json":
        click.echo(to_json_object(result.as_dict()))
        return
    width = max(len(r["item"]) for r in result.rows)
    for r in result.rows:
        click.echo(f"{r['item']:<{width}}  {r['value']}")


@cli.group(cls=common.OrderedGroup)
def data():
    """Check the launch records and element sets.

    \b
    Examples:
      orbitview data check
      orbitview data check --format json
    """


def _the(scope: str) -> str:
    return scope if scope.startswith("your ") else f"the {scope}"


@data.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: each problem with its evidence and fix, on "
              "stderr; json: on stdout, problems as {file, line, what, evidence, fix, scope}.")
def data_check(fmt):
    """Check launches.csv, sites.csv, the element sets, the user store and the config file;
    report all (exit status 1 when there is a problem).

    \b
    Examples:
      orbitview data check
      orbitview data check --format json
    """
    from orbitview.api.records import check_data
    result = check_data()
    if fmt == "json":
        click.echo(to_json_object(result.as_dict()))
    else:
        for scope, place in result.scopes.items():
            found = [p for p in result.problems if p.scope == scope]
            if found:
                click.echo(f"== {len(found)} problem(s) in {_the(scope)} ({place}) ==\n",
                           err=True)
            for p in found:
                click.echo(p.message() + "\n", err=True)
    if not result.ok:
        counts = ", ".join(f"{n} in {_the(scope)}"
                           for scope, n in result.counts["problems_by_scope"].items() if n)
        click.echo(f"{len(result.rows)} problem(s): {counts}. Everything else is usable.",
                   err=True)
        raise click.exceptions.Exit(1)
    if fmt == "json":
        return
    c = result.counts
    store = result.places["user_store"]
    click.echo(f"ok: {c['launch_records']} launch records, {c['element_sets']} element sets "
               f"for {c['objects_with_element_sets']} objects in "
               f"{result.places['data_directory']}"
               + (f"; user store {store}" if store.is_dir() else ""))


def to_json_object(value) -> str:
    """A JSON object for --format json (datetimes as ISO 8601 UTC)."""
    import datetime as dt
    import json

    def plain(v):
        if isinstance(v, dt.datetime):
            return iso(v)
        return str(v)                      # paths
    return json.dumps(value, indent=2, ensure_ascii=False, default=plain)
