"""``orbitview tle ...``: element-set status, updates from CelesTrak, history."""

from __future__ import annotations

import click

from orbitview.cli import common, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.products.text import emit
from orbitview.util.timeutil import iso

# --------------------------------------------------------------------------- tle

@cli.group(cls=common.OrderedGroup)
def tle():
    """Element sets: status, update from CelesTrak, history.

    \b
    Examples:
      orbitview tle status
      orbitview tle update PakSat-MM1
      orbitview tle history PRSS-1 -o prss1-elements.png
    """


@tle.command("status")
@click.argument("names", nargs=-1)
@options.time_option("--at", "when", type=options.ANY_TIME, default="now", show_default=True,
              help="Time to measure the age against (ISO 8601, UTC unless offset).")
@options.FORMAT_OPTION
@options.WIDE_OPTION
@options.sources
def tle_status(names, when, fmt, wide):
    """Newest element epoch of each object, its age and the 90 % error bound of positions
    at that age (orbitview.orbit.accuracy); stale beyond 14 days.

    \b
    Examples:
      orbitview tle status
      orbitview tle status PRSS-1 PakSat-MM1 --at 2026-09-01
      orbitview tle status --format json
    """
    from orbitview.api.records import STATUS_COLUMNS, element_status
    from orbitview.products.text import fill_words, terminal_width
    result = element_status(list(names) or None, when, hold=session.hold(),
                            catalog=session.catalog())
    messages.say(result)
    rows = result.rows
    if fmt != "table":
        emit(rows, STATUS_COLUMNS, fmt)
        return
    # In the table a short status; why an object has no age is said below it, whole,
    # so that a narrow terminal never hides it.
    table_rows = [{**r, "note": ("STALE" if r["stale"] else "current") if r["stale"] is not None
                   else ("DATA PROBLEM" if r.get("_style") == "red" else "no sets")}
                  for r in rows]
    emit(table_rows, STATUS_COLUMNS, fmt,
         table_columns=["norad_id", "name", "element_sets", "newest_epoch_utc",
                        "epoch_age_days", "error_bound_90", "note"],
         drop_order=["element_sets", "norad_id", "newest_epoch_utc"], wide=wide,
         wide_option=True, headers={"error_bound_90": "90 % error"},
         title=f"Element sets at {iso(when)} (stale beyond "
               f"{result.meta['stale_after_days']:.0f} days)",
         caption="Refresh with 'orbitview tle update --all' (needs network).")
    width = max(terminal_width(), 40)
    for r in rows:
        if r["newest_epoch_utc"] is None:
            line = r["note"] if r["name"] in r["note"] else f"{r['name']}: {r['note']}"
            click.echo(fill_words(line, width, subsequent_indent="  "))


# --------------------------------------------------------------------------- tle update/history

@tle.command("update")
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every catalog object with a NORAD number.")
@click.option("--format", "fmt", type=click.Choice(["omm", "tle"]), default="omm",
              show_default=True, help="Fetch OMM (JSON; any catalog number) or TLE.")
@click.option("--force", is_flag=True, help="Fetch even within 2 hours of the last fetch.")
@click.option("--group", metavar="NAME",
              help="Fetch a whole CelesTrak group (stations, geo, resource, ...) into the user "
                   "store; its objects can then be named like catalog ones (not Pakistani "
                   "records).")
@options.REPORT_OPTION
@options.WIDE_OPTION
@options.TZ
def tle_update(names, all_, fmt, force, group, report, wide):
    """Fetch current element sets from CelesTrak (the only command that uses the network).

    \b
    Examples:
      orbitview tle update PakSat-MM1 PRSS-1
      orbitview tle update --group stations
      orbitview tle update PRSS-1 --force
    """
    if group is not None:                       # a CelesTrak group (live)
        from orbitview.cli import live
        return live.update_group_command(group, names, all_, force, report, wide)
    from orbitview.api.inputs import ALL
    from orbitview.api.records import update_elements
    from orbitview.data.sources import base_url, elements_dir
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    base_url()                          # a malformed ORBITVIEW_CELESTRAK_URL stops here
    catalog = session.catalog()
    total = sum(1 for s in catalog if s.norad_id) if all_ else len(names)
    done = [0]
    with common.progress_display("tle update", "objects") as progress:
        def fetched():                         # one object fetched (or failed)
            done[0] += 1
            progress(done[0], total)
        result = update_elements(ALL if all_ else list(names), fmt=fmt, force=force,
                                 progress=fetched, catalog=catalog)
    rows, failures = result.rows, result.failures
    emit(rows, ["norad_id", "name", "status", "epoch_utc", "note"], report, wide=wide,
         wide_option=True, title="Element sets fetched from CelesTrak")
    if any(r["status"] == "updated" for r in rows):
        click.echo(f"orbitview: new element sets are stored in {elements_dir()}", err=True)
    for r in rows:          # why nothing was fetched, also where a narrow table leaves it out
        if r["status"] == "skipped":
            click.echo(f"orbitview: note: {r['name']} ({r['norad_id']}) skipped: {r['note']}",
                       err=True)
    if failures:
        for f in failures:
            click.echo(f"orbitview: error: {f}", err=True)
        click.echo(f"orbitview: {len(failures)} of {result.total} fetches failed; the stored data "
                   "of those objects is unchanged.", err=True)
        raise click.exceptions.Exit(1)


@tle.command("history")
@click.argument("name")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@options.sources
def tle_history(name, output, dpi):
    """Perigee, apogee, inclination (and GEO longitude) across every stored element set.

    \b
    Examples:
      orbitview tle history PRSS-1 -o prss1-elements.png
      orbitview tle history PakSat-MM1 -o mm1-elements.svg
    """
    from orbitview.api.records import element_history_figure
    from orbitview.products.plotting import save_figure
    figure = element_history_figure(name, catalog=session.catalog())
    save_figure(figure.figure, output, dpi=dpi)
    for n in figure.notes:
        messages.warn(n.text)
    click.echo(f"orbitview: wrote {output}", err=True)
