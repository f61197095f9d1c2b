"""``orbitview tle ...``: element-set status, updates from CelesTrak, history."""

from __future__ import annotations

import sys

import click

from orbitview.util.errors import UsageError
from orbitview.products.text import emit
from orbitview.util.timeutil import iso
from orbitview.cli import common, messages, options, params, session
from orbitview.cli.common import cli

# --------------------------------------------------------------------------- tle

@cli.group(cls=common.OrderedGroup)
def tle():
    """Element sets: status, update from CelesTrak, history."""


@tle.command("status")
@click.argument("names", nargs=-1)
@options.time_option("--at", "when", type=options.ANY_TIME, default="now", show_default=True,
              help="Time to measure the age against (ISO 8601, UTC unless offset).")
@options.FORMAT_OPTION
@options.sources
def tle_status(names, when, fmt):
    """Newest element epoch of each object, its age and the 90 % error bound of positions
    at that age (orbitview.orbit.accuracy); stale beyond 14 days."""
    from orbitview.orbit.accuracy import error_bound
    from orbitview.data.elements import STALE_AFTER_DAYS
    from orbitview.orbit.geohold import hold_for
    from orbitview.products.text import fill_words, terminal_width
    catalog = session.catalog()
    sats = catalog.resolve_many(names) if names else list(catalog)
    rows, details = [], []
    for sat in sats:
        latest = sat.latest
        row = {"norad_id": sat.norad_id, "name": sat.name,
               "element_sets": len(sat.elements), "error_bound_km": None,
               "error_bound_90": None}
        if sat.problems:
            p = sat.problems[0]
            row.update(newest_epoch_utc=None, epoch_age_days=None, stale=None, source=None,
                       note=f"DATA PROBLEM ({p.scope}) {p.where}: {p.what}"[:200])
            row["_style"] = "red"
            messages.leave_out(sat.name)
        elif latest is None:
            row.update(newest_epoch_utc=None, epoch_age_days=None, stale=None,
                       source=None, note=sat.why_no_elements())
        else:
            age = latest.age_days(when)
            held = hold_for(sat.elements, latest, age, session.hold()) is not None
            bound = error_bound(sat, age, held=held, element_set=latest)
            row.update(newest_epoch_utc=latest.epoch.replace(microsecond=0),
                       epoch_age_days=round(age, 2), stale=abs(age) > STALE_AFTER_DAYS,
                       source=latest.source,
                       error_bound_km=None if bound.phase_lost else round(bound.position_km, 1),
                       error_bound_90=bound.km_text() + (" (slot held)" if held else ""),
                       note=f"STALE: {abs(age):.0f} days from {iso(when)}"
                       if abs(age) > STALE_AFTER_DAYS else "current")
            if abs(age) > STALE_AFTER_DAYS:
                row["_style"] = "yellow"
        rows.append(row)
        if row["newest_epoch_utc"] is None:
            details.append(row["note"] if sat.name in row["note"] else
                           f"{sat.name}: {row['note']}")
    columns = ["norad_id", "name", "element_sets", "newest_epoch_utc", "epoch_age_days",
               "error_bound_km", "error_bound_90", "stale", "source", "note"]
    if fmt != "table":
        emit(rows, columns, fmt)
        return
    # In the table a short status; why an object has no age is said below it, whole,
    # so that a narrow terminal never hides it.
    table_rows = [{**r, "note": ("STALE" if r["stale"] else "current") if r["stale"] is not None
                   else ("DATA PROBLEM" if r.get("_style") == "red" else "no sets")}
                  for r in rows]
    emit(table_rows, columns, fmt,
         table_columns=["norad_id", "name", "element_sets", "newest_epoch_utc",
                        "epoch_age_days", "error_bound_90", "note"],
         drop_order=["element_sets", "norad_id", "newest_epoch_utc"],
         headers={"error_bound_90": "90 % error"},
         title=f"Element sets at {iso(when)} (stale beyond {STALE_AFTER_DAYS:.0f} days)",
         caption="Refresh with 'orbitview tle update --all' (needs network).")
    width = max(terminal_width(), 40)
    for line in details:
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
@options.TZ
def tle_update(names, all_, fmt, force, group):
    """Fetch current element sets from CelesTrak (the only command that uses the network)."""
    if group is not None:                       # a CelesTrak group (live)
        from orbitview.cli import live
        return live.update_group_command(group, names, all_, force)
    from orbitview.util.atomic import OutputError
    from orbitview.util.errors import DownloadError
    from orbitview.data.sources import StoreError, base_url, elements_dir, update_one
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    base_url()                          # a malformed ORBITVIEW_CELESTRAK_URL stops here
    catalog = session.catalog()
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
                row = update_one(s.norad_id, fmt, force, expected_cospar=s.record.cospar_id,
                                 expected_from=s.record.origin or "launches.csv")
            except (DownloadError, StoreError, OutputError) as e:
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
         title="Element sets fetched from CelesTrak")
    if any(r["status"] == "updated" for r in rows):
        click.echo(f"orbitview: new element sets are stored in {elements_dir()}", err=True)
    for r in rows:          # why nothing was fetched, also where a narrow table leaves it out
        if r["status"] == "skipped":
            click.echo(f"orbitview: note: {r['name']} ({r['norad_id']}) skipped: {r['note']}",
                       err=True)
    if failures:
        for f in failures:
            click.echo(f"orbitview: error: {f}", err=True)
        click.echo(f"orbitview: {len(failures)} of {len(sats)} fetches failed; the stored data "
                   "of those objects is unchanged.", err=True)
        raise click.exceptions.Exit(1)


@tle.command("history")
@click.argument("name")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@options.sources
def tle_history(name, output, dpi):
    """Perigee, apogee, inclination (and GEO longitude) across every stored element set."""
    from orbitview.products.history_plot import element_history, plot_element_history
    from orbitview.products.plotting import save_figure
    sat = session.catalog().resolve(name)
    sat.require_elements()
    rows = element_history(sat)
    fig = plot_element_history(sat, rows)
    save_figure(fig, output, dpi=dpi)
    for r in rows:
        if r["manoeuvre"]:
            messages.warn(f"{sat.name}: {r['manoeuvre']} before the set of {iso(r['epoch'])}")
    click.echo(f"orbitview: wrote {output}", err=True)
