"""Now and tonight: ``now``, ``sky``, ``config``, and the pass table and look text.

Commands defined here: ``orbitview now`` (where each satellite is, what is
under it, where to look, the next pass), ``orbitview sky`` (a polar plot of
the next pass) and ``orbitview config show|set|unset|path``.  The pass table
and the ``look`` text are rendered here (:func:`emit_passes`, :func:`print_look`).
"""

from __future__ import annotations

import sys

import click

from orbitview.cli import common, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.util.errors import UsageError

# --------------------------------------------------------------------------- passes output

def emit_passes(table, fmt, wide=False):
    """Print a :class:`~orbitview.api.observe.PassTable` as a fitted table, CSV, JSON or an
    iCalendar file."""
    from orbitview.products import passtable as pt
    from orbitview.products.text import emit, fit_columns, fits, print_table, terminal_width
    rows, clock = table.rows, table.meta["clock"]
    if fmt == "ics":
        sys.stdout.write(pt.passes_ics(table).decode("utf-8"))
        sys.stdout.flush()
        return
    if fmt in ("csv", "json"):
        emit(rows, table.columns, fmt)
        return
    all_cols, headers = pt.columns_and_headers(table)
    width = terminal_width()
    chosen, dropped, fmt_used, plain = all_cols, [], pt.TIME_FORMATS[0], False
    if rows and not wide:
        # Boxed with full times if it fits; then shorter times, then fewer optional columns,
        # then no box: the first layout whose remaining columns fit the terminal wins.
        formats = pt.TIME_FORMATS
        for plain, time_format in ((False, formats[0]), (False, formats[1]),
                                   (False, formats[2]), (True, formats[1]),
                                   (True, formats[2])):
            trows = pt.table_rows(rows, clock, time_format, table.bounds,
                                      pt.records_of(table))
            chosen, dropped = fit_columns(trows, all_cols, pt.PASS_TABLE_DROP, width, headers,
                                          plain=plain, more=False)
            fmt_used = time_format
            if fits(trows, chosen, width, headers, plain=plain) and (
                    not dropped or time_format == formats[-1] or plain):
                break
    trows = pt.table_rows(rows, clock, fmt_used, table.bounds, pt.records_of(table))
    lines = pt.caption_lines(table)
    title = pt.title(table)
    if not rows:
        click.echo(title)
        click.echo(("No visible passes" if table.meta["visible"] else "No passes")
                   + " in this window.")
        for line in lines:
            if not line.startswith(("Left out", "by eye", "* pass", "visible:")):
                click.echo(line)
        return
    print_table(trows, chosen, title=title, headers=headers, caption="\n".join(lines),
                styles=pt.STYLES, wide=wide, plain=plain and not wide,
                left_out=dropped, wide_option=True)


# --------------------------------------------------------------------------- look

def print_look(result):
    """The text of ``orbitview look`` for a :class:`~orbitview.api.observe.LookAngles`."""
    from orbitview.util.timeutil import iso
    row, sat, es = result.row, result.satellite, result.element_set
    bound, held = result.bound, result.hold
    where, when, clock = result.meta["site"], result.meta["at"], result.meta["clock"]
    age = row["epoch_age_days"]
    click.echo(f"{sat.name} ({sat.norad_id}) from {where.label()}")
    click.echo(f"  at {iso(when)} ({clock.text(when, seconds=False, zone=True)}, "
               f"{clock.name})")
    if row.get("phase_lost"):
        # Where on its orbit it is cannot be said: no angles as facts (--format json keeps
        # SGP4's numbers, with phase_lost).
        from orbitview.products.unknowns import why
        click.echo("  azimuth   unknown: where on its orbit it is cannot be said "
                   f"({why(bound, getattr(sat, 'record', None), when)})")
        click.echo(f"  elevation unknown (and so whether {row['rule']})")
        click.echo("  range     unknown")
    else:
        click.echo(f"  azimuth   {row['azimuth_deg']:9.3f} deg (clockwise from true north)")
        click.echo(f"  elevation {row['elevation_deg']:9.3f} deg "
                   f"({'visible' if row['visible'] else 'not visible'}: {row['rule']})")
        click.echo(f"  range     {row['range_km']:9.1f} km")
    click.echo(f"  elements  epoch {iso(es.epoch)}, {age:.1f} days old; {es.source}")
    if held is not None:
        click.echo(f"  slot      {held.describe(age)} (station-kept: {held.evidence}); "
                   "--no-hold for raw SGP4")
    timing = f", {bound.timing_text()} in timing" if bound.timing_s is not None else ""
    pointing = ("" if row.get("phase_lost") else
                f": about {row['pointing_bound_deg']:.2f} deg of pointing from here")
    click.echo(f"  accuracy  90 % bound {bound.km_text()}{timing}{pointing} ({bound.basis})")


# --------------------------------------------------------------------------- now

def _now_table(result, clock, when):
    from orbitview.data.localtime import countdown
    from orbitview.products.unknowns import unknown_text
    records = {s.norad_id: getattr(s, "record", None) for s in result.satellites}
    out = []
    for r, b, held in zip(result.rows, result.bounds, result.holds):
        if r.get("phase_lost"):
            # Where on its orbit it is cannot be said: no place, sub-point, look angles or
            # pass time as a fact (the CSV and JSON keep the numbers, flagged).
            out.append({
                "name": r["name"], "subpoint": "unknown", "alt": r["altitude_km"],
                "over": unknown_text(b, records.get(r["norad_id"]), when),
                "sun": "unknown",
                "elaz": "" if r["elevation_deg"] is None else "unknown",
                "next": "" if not (r["next_pass"] or r["next_aos_utc"]) else "unknown",
                "next_max": "", "age": r["epoch_age_days"], "bound": "unknown",
                "_style": "yellow"})
            continue
        if r["lat_deg"] != r["lat_deg"]:         # NaN: SGP4 could not compute the position
            out.append({"name": r["name"], "subpoint": "—", "alt": None, "over": "—",
                        "sun": "—", "elaz": "" if r["elevation_deg"] is None else "—",
                        "next": r["next_pass"], "next_max": "", "age": r["epoch_age_days"],
                        "bound": "—", "_style": "yellow"})
            continue
        nxt = r["next_pass"]
        if r["next_aos_utc"] is not None and not nxt:
            nxt = (f"{clock.local(r['next_aos_utc']):%m-%d %H:%M} "
                   f"{countdown((r['next_aos_utc'] - when).total_seconds())}")
        out.append({
            "name": r["name"],
            "subpoint": f"{abs(r['lat_deg']):.2f}°{'N' if r['lat_deg'] >= 0 else 'S'} "
                        f"{abs(r['lon_deg']):.2f}°{'E' if r['lon_deg'] >= 0 else 'W'}",
            "alt": r["altitude_km"], "over": r["over"],
            "sun": "sunlit" if r["sunlit"] else "shadow",
            "elaz": "" if r["elevation_deg"] is None else
                    f"{r['elevation_deg']:.1f}° / {r['azimuth_deg']:.0f}°",
            "next": nxt,
            "next_max": "" if r["next_max_elevation_deg"] is None else
                        f"{r['next_max_elevation_deg']:.0f}°",
            "age": r["epoch_age_days"],
            "bound": ("unknown" if b.phase_lost else b.timing_text() or b.km_text())
                     + (" held" if held else ""),
            "_style": "yellow" if abs(r["epoch_age_days"]) > 14 else None})
    return out


def _now_renderable(result, clock, width, wide=False):
    """The ``now`` table (an :class:`orbitview.products.tables.Table`) with the columns that
    fit (every column with ``wide``), for a :class:`~orbitview.api.observe.NowTable`."""
    from orbitview.products.text import fit_columns, fits, left_out_note, make_table
    when, site = result.meta["at"], result.meta["site"]
    headers = {"name": "name", "subpoint": "sub-point", "alt": "alt km", "over": "over",
               "sun": "sun", "elaz": "el / az", "next": f"next pass {clock.abbreviation(when)}",
               "next_max": "max", "age": "age d", "bound": "± (90 %)"}
    cols = ["name", "subpoint", "alt", "over", "sun"]
    if site is not None:
        cols += ["elaz", "next", "next_max"]
    cols += ["age", "bound"]
    trows = _now_table(result, clock, when)
    drop = ["alt", "sun", "next_max", "age", "subpoint", "over", "elaz", "next"]
    plain = False                   # (the error bound stays: without it a position misleads)
    chosen, dropped = cols, []      # --wide: every column, however wide
    for plain in (() if wide else (False, True)):
        chosen, dropped = fit_columns(trows, cols, drop, width, headers, plain=plain,
                                      more=False)
        if fits(trows, chosen, width, headers, plain=plain) and len(chosen) >= len(cols) - 3:
            break
    if not wide and not fits(trows, chosen, width, headers, plain=plain):  # never cut: fewer
        chosen, dropped = fit_columns(trows, cols, drop, width, headers, plain=plain)
    title = (f"{clock.text(when, zone=True)} ({clock.name})"
             + (f" from {site.label()}" if site is not None else ""))
    return make_table(trows, chosen, title, headers,
                  left_out_note([headers[c] for c in dropped], width, wide_option=True)
                  if dropped else None,
                  {"alt": "0", "age": "1"}, plain)


def _say_now(result) -> None:
    """The notes of ``now``; three or more stale element sets in one line (the ± column
    gives each one's bound)."""
    stale = [n for n in result.notes if n.kind == "stale"]
    for n in (result.notes if len(stale) <= 2 else [n for n in result.notes
                                                     if n.kind != "stale"]):
        messages.warn(n.text)
    for name in result.left_out:
        messages.leave_out(name)
    if len(stale) > 2:
        ages = [r["epoch_age_days"] for r in result.rows if abs(r["epoch_age_days"]) > 14]
        lo, hi = f"{min(map(abs, ages)):.0f}", f"{max(map(abs, ages)):.0f}"
        days = lo if lo == hi else f"{lo} to {hi}"
        way = ("old" if min(ages) > 0 else "after this time (their epochs are later)"
               if max(ages) < 0 else "from this time")
        messages.warn(f"element sets of {len(stale)} objects are {days} days {way}: the ± "
                      "column is each one's 90 % error bound "
                      "('unknown': where on its orbit it is cannot be said, so no place, sky "
                      "position or pass time is shown for it). Fix: 'orbitview tle update "
                      "--all' when online.")


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@options.site_option("--site", "where", type=params.SITE,
              help="Where you are (built-in site or LAT,LON[,HEIGHT_M]); default: the config "
                   "file's site. Adds elevation/azimuth and the next pass.")
@options.time_option("--at", "when", type=options.TIME, default="now", show_default=True,
              help="The moment to show (default now).")
@click.option("--watch", is_flag=True,
              help="Refresh every second until Ctrl-C (on a terminal; otherwise print once).")
@options.MIN_ELEVATION_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@options.WIDE_OPTION
@options.sources
def now(names, all_, where, when, watch, min_elevation, fmt, wide):
    """Where each satellite is now: sub-point, what is below it, sky position, next pass.

    \b
    Examples:
      orbitview now
      orbitview now PRSS-1 PakSat-MM1 --site Islamabad
      orbitview now --format json
    """
    import time

    from orbitview.api.observe import now as answer
    from orbitview.products.text import console, emit, terminal_width, write_table
    if not names and not all_:
        all_ = True
    site = where if where is not None else session.home_site()
    clock = session.clock_for(site)
    result = answer(common.which(names, all_), when, site, min_elevation_deg=min_elevation,
                    hold=session.hold(), tz=clock, catalog=session.catalog())
    _say_now(result)
    if fmt != "table":
        emit(result.rows, result.columns, fmt)
        return
    width = terminal_width()
    if not watch or not sys.stdout.isatty():
        if watch:
            messages.note("--watch needs a terminal; printed once")
        table = _now_renderable(result, clock, width, wide)
        write_table(table, max(width, table.min_width()))
        return
    from rich.live import Live
    from rich.text import Text

    from orbitview.data.localtime import now_utc

    def screen(result):
        table = _now_renderable(result, clock, width, wide)
        text = table.render(max(width, table.min_width()), styled=True)
        return Text.from_ansi(text.rstrip("\n"))

    import signal

    def terminated(signum, frame):
        # SIGTERM (kill, a closing session): leave through the 'with' below, so that the
        # terminal gets its cursor back, then exit as a terminated process does.
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminated)
    try:
        with Live(screen(result), console=console(), refresh_per_second=2,
                  screen=False) as live:
            while True:
                time.sleep(1.0 - (time.time() % 1.0))
                result = result.at(now_utc())        # the passes found first are reused
                live.update(screen(result))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------- sky

@cli.command()
@click.argument("name")
@options.site_option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Lahore, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="Look for the next pass from this time (e.g. tonight).")
@click.option("--days", type=params.DAYS, default=2.0, show_default=True,
              help="How far ahead to look.")
@options.MIN_ELEVATION_OPTION
@click.option("--visible", "only_visible", is_flag=True,
              help="The next pass you can see by eye, not just the next pass.")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@options.sources
def sky(name, where, t0, days, min_elevation, only_visible, output, dpi):
    """Polar sky plot of the next pass: the path across the sky with times and shadow entry.

    No pass in the window is an answer, not an error: the command says so on stderr,
    writes no file and exits 0.

    \b
    Examples:
      orbitview sky Tiangong --site Lahore --start tonight --visible -o css.png
      orbitview sky PRSS-1 --site Karachi -o prss1-sky.png
    """
    from orbitview.api.observe import sky_plot
    figure = sky_plot(name, where, t0, session.window_end(t0, days),
                      min_elevation_deg=min_elevation, visible=only_visible,
                      hold=session.hold(), tz=session.clock_for(where),
                      catalog=session.catalog())
    for n in figure.notes:
        if n.kind not in ("empty", "unknown"):
            messages.warn(n.text)
    for what in figure.left_out:
        messages.leave_out(what)
    unknown = next((n for n in figure.notes if n.kind == "unknown"), None)
    if not figure and unknown is not None:
        # Where on its orbit it is cannot be said: an answer, said like an empty window.
        click.echo(f"orbitview: {unknown.text}\nFix: {figure.meta['fix']}, then draw it "
                   "again; no file was written.", err=True)
        return
    if not figure:
        empty = next(n for n in figure.notes if n.kind == "empty")
        fix = (figure.meta["fix"] if "fix" in figure.meta else
               "look further ahead with --days, or lower --min-elevation")
        click.echo(f"orbitview: {empty.text}\nFix: {fix}; no file was written.", err=True)
        return
    figure.savefig(output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)


# --------------------------------------------------------------------------- groups

def update_group_command(group, names, all_, force, report="table", wide=False):
    """``orbitview tle update --group NAME`` (``report``: table, csv or json)."""
    from orbitview.data.freshness import check_group_name, update_group
    from orbitview.data.sources import StoreError, base_url
    from orbitview.products.text import emit
    from orbitview.util.atomic import OutputError
    from orbitview.util.errors import DownloadError
    if names or all_:
        raise click.UsageError("give --group NAME alone, without satellite names or --all")
    try:
        name = check_group_name(group)
    except UsageError as e:
        raise click.BadParameter(str(e), param_hint="'--group'") from None
    base_url()
    try:
        row = update_group(name, force=force)
    except (DownloadError, StoreError, OutputError) as e:
        click.echo(f"orbitview: error: group {name}: {e}", err=True)
        raise click.exceptions.Exit(1) from None
    emit([row], ["group", "status", "objects", "note"], report, wide=wide, wide_option=True,
         title="CelesTrak group fetched into the user store (objects are not Pakistani records)")


# --------------------------------------------------------------------------- config

@cli.group("config", cls=click.Group)
def config_group():
    """The config file: home site, time zone, minimum elevation, automatic updates.

    \b
    Examples:
      orbitview config set site Lahore
      orbitview config show
      orbitview config path
    """


@config_group.command("path")
def config_path_cmd():
    """Print where the config file is (it may not exist yet).

    \b
    Examples:
      orbitview config path
    """
    from orbitview.data.config import config_path
    click.echo(str(config_path()))


@config_group.command("show")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@options.WIDE_OPTION
def config_show(fmt, wide):
    """Every setting, its value and where the value comes from.

    \b
    Examples:
      orbitview config show
      orbitview config show --format json
    """
    from orbitview.data.config import config_path, read_config
    from orbitview.products.text import emit
    path = config_path()
    cfg = read_config(path)
    meaning = {"site": "home site: the default of --site",
               "tz": "time zone for local times (default: the site's zone, else UTC)",
               "min_elevation": "default minimum elevation of a pass, deg (default 10)",
               "auto_update": "never | notify | daily | weekly: fetch stale element sets "
                              "before commands (default notify: only say so)"}
    written = cfg.written            # never read the file a second time (a FIFO, a device)
    rows = [{"key": k, "value": None if k in cfg.unreadable else v,
             "from": ("config file, unreadable" if k in cfg.unreadable else
                      "config file" if k in written else "default"),
             "meaning": meaning[k]} for k, v in cfg.as_dict().items()]
    if fmt == "json":
        emit(rows, ["key", "value", "from", "meaning"], "json")
    else:                 # the meanings are sentences: under the table, not squeezed in it
        from orbitview.products.text import fill_words, terminal_width
        emit(rows, ["key", "value", "from"], "table", title="orbitview config", wide=wide,
             wide_option=True)
        for line in [f"file: {path}", *(f"{k}: {m}" for k, m in meaning.items())]:
            click.echo(fill_words(line, max(terminal_width(), 40), subsequent_indent="  "))
    if cfg.problems:                 # shown, not fatal: this is where one comes to fix them
        for p in cfg.problems:
            click.echo(f"orbitview: error: {p.message()}", err=True)
        raise click.exceptions.Exit(1)


@config_group.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")
def config_set(key, value):
    """Set one key: site, tz, min_elevation or auto_update.

    \b
    Examples:
      orbitview config set site Lahore
      orbitview config set tz Asia/Karachi
      orbitview config set min_elevation 15
      orbitview config set min_elevation -3
    """
    from orbitview.data.config import set_value
    try:
        cfg = set_value(key, value)
    except UsageError as e:
        raise click.BadParameter(str(e), param_hint="KEY VALUE") from None
    click.echo(f"{key} = {cfg.as_dict()[key.strip().lower().replace('-', '_')]!r} "
               f"written to {cfg.path}")
    _still_wrong(cfg)


def _still_wrong(cfg) -> None:
    """After config set/unset: what the file still gets wrong elsewhere, as warnings.  The
    key asked for was written, so the status stays 0 (non-zero means nothing was written)."""
    for p in cfg.problems:
        messages.warn(f"still wrong: {p.message()}")


@config_group.command("unset")
@click.argument("key")
def config_unset(key):
    """Remove one key (back to its default).

    \b
    Examples:
      orbitview config unset site
      orbitview config unset min_elevation
    """
    from orbitview.data.config import set_value
    try:
        cfg = set_value(key, None)
    except UsageError as e:
        raise click.BadParameter(str(e), param_hint="KEY") from None
    click.echo(f"{key} removed from {cfg.path}")
    _still_wrong(cfg)
