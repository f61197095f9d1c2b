"""Now and tonight: ``now``, ``sky``, ``config``, and what the other commands share for them.

Commands defined here: ``orbitview now`` (where each satellite is, what is
under it, where to look, the next pass), ``orbitview sky`` (a polar plot of
the next pass) and ``orbitview config show|set|unset|path``.

:func:`install` adds options to the commands of every other module once they
are registered (so their modules stay as they are):

* ``--elements FILE`` (repeatable) to every command that takes satellite names:
  objects from 3LE/TLE/OMM files, marked as not Pakistani records;
* ``--no-hold`` to the same commands: raw SGP4 instead of a held GEO slot;
* ``--tz ZONE`` to every command that takes a time: times without an offset,
  and the words now/today/tonight/tomorrow/+2h, are read in the zone
  (``--tz``, else the config file, else a built-in site's zone, else UTC);
* the config file's home ``site`` and ``min_elevation`` become the defaults of
  ``--site`` and ``--min-elevation``.

The pass table, its calendar file and the ``look`` text are rendered here
too (:func:`emit_passes`, :func:`print_look`).
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from orbitview.util.errors import UsageError
from orbitview.cli import params
from orbitview.cli.common import (MIN_ELEVATION_OPTION, _rule, _select, _state_warnings, _warn, cli,
                     defer_warning)

META_TZ = "orbitview.tz"
META_ELEMENTS = "orbitview.data.elements"
META_READ_IN = "orbitview.read_in"


# --------------------------------------------------------------------------- config and zone

def _config():
    """The config file as far as it can be read (read once per command; never raises)."""
    from orbitview.data.config import read_config
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    if root is not None and "orbitview.data.config" in root.meta:
        return root.meta["orbitview.data.config"]
    config = read_config()
    if root is not None:
        root.meta["orbitview.data.config"] = config
    for p in config.problems:
        if not p.affects:           # an unknown key that changes nothing: said, not fatal
            defer_warning(f"{p.where}: {p.what}.\nFix: {p.fix}")
    return config


def _config_value(key: str):
    """A value of the config file this command needs; ConfigError (file:line, the fix)
    when the file has it but it cannot be read: never another site, zone or elevation."""
    from orbitview.data.config import OPTION_OF, ConfigError
    try:
        return _config().value(key)
    except ConfigError as e:
        ctx = click.get_current_context(silent=True)
        takes = {o for p in ctx.command.params for o in p.opts} if ctx is not None else set()
        options = [option for option in OPTION_OF.values() if option in takes]
        raise ConfigError(e.problems, key, options) from None


def _site_in(ctx):
    """The site a command was given (already converted: --site is processed first)."""
    from orbitview.data.sites import Site
    if ctx is None:
        return None
    for value in ctx.params.values():
        if isinstance(value, Site):
            return value
        if isinstance(value, (tuple, list)) and value and isinstance(value[0], Site):
            return value[0]                    # a repeatable --site: the first one
    return None


def clock_for(site=None, ctx=None):
    """The :class:`~orbitview.data.localtime.Clock` of this command (--tz, config, site, UTC)."""
    from orbitview.data.localtime import Clock, choose_zone
    ctx = ctx or click.get_current_context(silent=True)
    tz = ctx.meta.get(META_TZ) if ctx else None
    site = site if site is not None else _site_in(ctx)
    zone, why = choose_zone(tz, site, None if tz else _config_value("tz"))
    return Clock(zone, why)


def view_clock(sites=()):
    """The zone a figure or page shows local times in, chosen as passes chooses it (--tz,
    the config file, a built-in site's zone), else Pakistan's: the zone the maps are
    made for."""
    from orbitview.data.localtime import PAKISTAN_ZONE, Clock, get_zone
    clock = clock_for(sites[0] if sites else None)
    if clock.why == "default":
        return Clock(get_zone(PAKISTAN_ZONE), "Pakistan's zone by default (--tz changes it)")
    return clock


def _auto_update() -> str:
    """The config's auto_update; when it cannot be read, 'notify' (no fetch; stale sets are
    still named) and one warning at the end of the command: the setting decides only
    whether stored sets are refreshed first, never what is computed from them."""
    from orbitview.data.config import ConfigError
    try:
        return _config_value("auto_update")
    except ConfigError as e:
        p = e.problems[0]
        defer_warning(f"{p.where}: {p.what}; its auto_update was not read, so no element "
                      f"sets were fetched automatically.\nFix: {p.fix}")
        return "notify"


def _home_site():
    from orbitview.data.sites import parse_site
    text = _config_value("site")
    return parse_site(text) if text else None


class LocalTime(params.Time):
    """params.Time, but times without an offset (and relative words) are read in the
    command's zone; 'tonight' runs from sunset to sunrise at the command's site."""

    def convert(self, value, param, ctx):
        from orbitview.data.localtime import UTC, parse_when
        from orbitview.util.timeutil import check_supported
        if isinstance(value, dt.datetime):
            return value
        try:
            clock = clock_for(ctx=ctx)
            site = _site_in(ctx) or (_home_site() if "tonight" in str(value).lower()
                                     else None)          # only 'tonight' needs a site
            t = parse_when(str(value), clock.zone, site, option="")
            if self.supported:
                check_supported(t, t, "")
                if t.end_utc is not None:
                    check_supported(t.end_utc, t.end_utc, "")
        except UsageError as e:
            self.fail(str(e), param, ctx)
        if t.note:
            _warn(t.note)
        if t.read_in and clock.zone is not UTC and ctx is not None:
            ctx.meta[META_READ_IN] = clock
            name = params.option_name(param)
            if not ctx.meta.get("orbitview.read_in_said"):
                ctx.meta["orbitview.read_in_said"] = True
                _note(f"{name} {t.text} read in {clock.describe(t)}, {clock.why}; add Z or "
                      "an offset (+05:00) for another zone")
        return t


def _note(text):
    click.echo(f"orbitview: note: {text}", err=True)


def window_end(t0: dt.datetime, days: float, option: str = "days") -> dt.datetime:
    """End of a search window: --days if given, else the span a word names (tonight)."""
    from click.core import ParameterSource
    ctx = click.get_current_context(silent=True)
    given = ctx is not None and ctx.get_parameter_source(option) not in (
        ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)
    end = getattr(t0, "end_utc", None)
    if end is not None and not given:
        return end
    return t0 + dt.timedelta(days=days)


# --------------------------------------------------------------------------- shared options

def _set_tz(ctx, param, value):
    if value is not None:
        from orbitview.data.localtime import get_zone
        try:
            get_zone(value)
        except UsageError as e:
            raise click.BadParameter(str(e), ctx, param) from None
        ctx.meta[META_TZ] = value
    return value


META_HOLD = "orbitview.hold"


def _set_no_hold(ctx, param, value):
    if value:
        ctx.meta[META_HOLD] = False
    return value


def hold() -> bool:
    """Whether this command holds station-kept GEO slots (``--no-hold`` says no)."""
    ctx = click.get_current_context(silent=True)
    return True if ctx is None else bool(ctx.meta.get(META_HOLD, True))


def _set_refresh(ctx, param, value):
    if value:
        ctx.meta["orbitview.refresh"] = True
    return value


def _set_elements(ctx, param, value):
    if value:
        ctx.meta[META_ELEMENTS] = list(value)
    return value


TZ_OPTION = click.Option(
    ["--tz"], metavar="ZONE", is_eager=True, expose_value=False, callback=_set_tz,
    help="Time zone for local times and for times typed without an offset (IANA name, e.g. "
         "Asia/Karachi; default: config file, else the site's zone, else UTC).")
NO_HOLD_OPTION = click.Option(
    ["--no-hold"], is_flag=True, expose_value=False, callback=_set_no_hold,
    help="Raw SGP4 for station-kept GEO satellites with stale elements (default: hold their "
         "slot).")
REFRESH_OPTION = click.Option(
    ["--refresh"], is_flag=True, expose_value=False, callback=_set_refresh,
    help="First fetch current element sets (older than a day) of the objects used, from "
         "CelesTrak, as 'tle update' does; offline, go on with the stored sets.")
ELEMENTS_OPTION = click.Option(
    ["--elements", "elements_files"], multiple=True, metavar="FILE", expose_value=False,
    type=params.InputFile("give a 3LE/TLE or OMM (JSON, CSV, XML) file, e.g. CelesTrak's "
                          "stations.tle."), callback=_set_elements,
    help="Also know the objects in this 3LE/TLE/OMM file (repeatable); they are not "
         "Pakistani records.")


def _copy(option: click.Option) -> click.Option:
    import copy
    return copy.copy(option)


def install(group: click.Group) -> None:
    """Add the shared options to every command of ``group`` (and its subgroups)."""
    for command in list(group.commands.values()):
        if isinstance(command, click.Group):
            install(command)
            continue
        names = {p.name for p in command.params}
        has_time = any(isinstance(p.type, params.Time) for p in command.params)
        takes_satellites = bool(names & {"names", "name"})
        for p in command.params:
            if isinstance(p.type, params.Time) and not isinstance(p.type, LocalTime):
                p.type = LocalTime(p.type.supported)
                if p.help and "UTC unless offset" in p.help:
                    p.help = p.help.replace("UTC unless offset", "local zone unless offset")
                elif p.help and "local" not in p.help:
                    p.help += (" Local time unless it has an offset (Z, +05:00); also now, "
                               "today, tonight, tomorrow, yesterday, +2h, -30min.")
            if isinstance(p.type, params.SiteType):
                p.is_eager = True                      # the zone may depend on the site
                if p.required:
                    p.required = False
                    p.default = _required_site(p)
                    p.help = (p.help or "") + " Default: the config file's site."
            if p.name == "min_elevation" and isinstance(p, click.Option):
                original = p.default
                p.default = _config_default("min_elevation", original)
                if p.show_default:
                    p.show_default = f"{original:g}, or the config file's min_elevation"
        if (has_time or takes_satellites) and "tz" not in names:
            command.params.append(_copy(TZ_OPTION))
        if takes_satellites and command.name not in ("update",):
            if "elements_files" not in names:
                command.params.append(_copy(ELEMENTS_OPTION))
            if "no_hold" not in names:
                command.params.append(_copy(NO_HOLD_OPTION))
            if "refresh" not in names:
                command.params.append(_copy(REFRESH_OPTION))


def _required_site(param):
    def default():
        site = _config_value("site")
        if site:
            return site
        raise click.MissingParameter(ctx=click.get_current_context(), param=param,
                                     message="The config file names no home site either."
                                             "\nFix: give --site (a built-in site such as "
                                             "Lahore, or LAT,LON), or set a home site once: "
                                             "'orbitview config set site Lahore'.")
    return default


def _config_default(key, original):
    def default():
        value = _config_value(key)
        return original if value is None else value
    return default


def _meta_value(ctx, key):
    while ctx is not None:
        if key in ctx.meta:
            return ctx.meta[key]
        ctx = ctx.parent
    return None


def _wanted(catalog, ctx):
    """The catalog objects a command asks for (all of them for --all or no names)."""
    params_ = ctx.params if ctx is not None else {}
    names = params_.get("names") or ([params_["name"]] if params_.get("name") else [])
    if params_.get("all_") or not names:
        return [s for s in catalog if s.elements]
    out = []
    for n in names:
        try:
            out.append(catalog.resolve(n))
        except Exception:  # noqa: BLE001 - unknown names are reported by the command itself
            pass
    return out


NO_STALENESS_NOTE = {"launches", "history", "info", "tle update", "design walker",
                     "design sso"}
"""Commands that show no positions (or fetch the sets themselves): no note that stored sets
are old; every command that propagates still warns with each set's age and error bound."""


def _command_words(ctx) -> str:
    """'tle update' for 'orbitview tle update ...' (the root command's name left out)."""
    words = []
    while ctx is not None and ctx.parent is not None:
        words.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(reversed(words))


def _fresh(catalog, ctx):
    """--refresh or auto_update: fetch stale sets first, then reload the catalog."""
    from orbitview.data.elements import STALE_AFTER_DAYS
    from orbitview.data.freshness import (AUTO_DEADLINE_S, REFRESH_DEADLINE_S, REFRESH_OLDER_THAN_DAYS,
                             refresh_stale)
    from orbitview.data.config import AUTO_UPDATE_AGE_DAYS
    from orbitview.data.localtime import now_utc
    asked = bool(_meta_value(ctx, "orbitview.refresh"))
    mode = "notify" if asked else _auto_update()
    if not asked and mode not in AUTO_UPDATE_AGE_DAYS:
        if mode == "notify" and ctx is not None and not ctx.meta.get("orbitview.notified") \
                and _command_words(ctx) not in NO_STALENESS_NOTE:
            ctx.meta["orbitview.notified"] = True
            old = [s for s in _wanted(catalog, ctx)
                   if s.elements and s.elements[-1].age_days(now_utc()) > STALE_AFTER_DAYS]
            if old:
                have = "has an element set" if len(old) == 1 else "have element sets"
                _note(f"{len(old)} of the objects used {have} older than "
                      f"{STALE_AFTER_DAYS:.0f} days; --refresh fetches current ones (or "
                      "'orbitview config set auto_update daily')")
        return catalog
    limit = REFRESH_OLDER_THAN_DAYS if asked else AUTO_UPDATE_AGE_DAYS[mode]
    updated, notes = refresh_stale(_wanted(catalog, ctx), limit,
                                   REFRESH_DEADLINE_S if asked else AUTO_DEADLINE_S,
                                   automatic=not asked)
    for n in notes:
        _note(n)
    if updated:
        from orbitview.data.catalog import load_catalog
        catalog = load_catalog()
    return catalog


def with_external(catalog):
    """The catalog (refreshed first if asked), plus stored groups and --elements objects."""
    ctx = click.get_current_context(silent=True)
    catalog = _fresh(catalog, ctx)
    files = _meta_value(ctx, META_ELEMENTS) or []
    from orbitview.data.freshness import stored_groups
    externals, problems = stored_groups()
    for p in problems[:3]:
        _warn(f"stored group {p.where}: {p.what}. Fix: {p.fix}")
    if not files and not externals:
        return catalog
    from orbitview.data.external import CatalogView, Resolver, read_elements_file
    externals += [ext for f in files for ext in read_elements_file(f)]
    view = CatalogView(catalog, Resolver(catalog, externals))
    if _meta_value(ctx, "orbitview.refresh"):
        _refresh_leaves_out(view, ctx)
    return view


def _refresh_leaves_out(view, ctx):
    """--refresh fetches the sets of orbitview's records: name the objects of element files
    and stored groups that it leaves as they are, and how to renew them."""
    from orbitview.data.external import ExternalSatellite
    if ctx is not None and ctx.params.get("all_"):
        outside = list(view.resolver.extra)
    else:
        outside = [s for s in _wanted(view, ctx) if isinstance(s, ExternalSatellite)]
    if not outside:
        return
    named = "; ".join(f"{s.name} ({s.source})" for s in outside[:3]) + \
        (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
    _note(f"--refresh fetches the sets of orbitview's own records, not of element files or "
          f"stored groups: {named} {'is' if len(outside) == 1 else 'are'} used as stored. Fix: "
          "when online, use a current copy of the file, or 'orbitview tle update --group NAME'")


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
            trows = pt.table_rows(rows, clock, time_format, table.bounds)
            chosen, dropped = fit_columns(trows, all_cols, pt.PASS_TABLE_DROP, width, headers,
                                          plain=plain, more=False)
            fmt_used = time_format
            if fits(trows, chosen, width, headers, plain=plain) and (
                    not dropped or time_format == formats[-1] or plain):
                break
    trows = pt.table_rows(rows, clock, fmt_used, table.bounds)
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


VISIBLE_OPTION = click.option(
    "--visible", is_flag=True,
    help="Only passes you can see by eye: satellite sunlit, sky dark (see --twilight); "
         "shows the visible part and, where a standard magnitude is recorded, brightness.")
TWILIGHT_OPTION = click.option(
    "--twilight", type=click.Choice(["civil", "nautical", "astronomical"]), default="civil",
    show_default=True, help="How dark the sky must be for --visible (Sun below -6/-12/-18 deg).")
WIDE_OPTION = click.option("--wide", is_flag=True,
                           help="Every column, however wide the terminal.")
PASS_FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "ics"]), default="table",
    show_default=True, help="Output format (ics: an iCalendar file, one event per pass).")


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
    click.echo(f"  azimuth   {row['azimuth_deg']:9.3f} deg (clockwise from true north)")
    click.echo(f"  elevation {row['elevation_deg']:9.3f} deg "
               f"({'visible' if row['visible'] else 'not visible'}: {row['rule']})")
    click.echo(f"  range     {row['range_km']:9.1f} km")
    click.echo(f"  elements  epoch {iso(es.epoch)}, {age:.1f} days old; {es.source}")
    if held is not None:
        click.echo(f"  slot      {held.describe(age)} (station-kept: {held.evidence}); "
                   "--no-hold for raw SGP4")
    timing = f", {bound.timing_text()} in timing" if bound.timing_s is not None else ""
    click.echo(f"  accuracy  90 % bound {bound.km_text()}{timing}: about "
               f"{row['pointing_bound_deg']:.2f} deg of pointing from here ({bound.basis})")


# --------------------------------------------------------------------------- now

def _now_table(rows, clock, when, site):
    from orbitview.data.localtime import countdown
    out = []
    for r in rows:
        b = r["bound"]
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
                     + (" held" if r["held"] else ""),
            "_style": "yellow" if abs(r["epoch_age_days"]) > 14 else None})
    return out


def _now_renderable(rows, clock, when, site, width):
    """The ``now`` table (an :class:`orbitview.products.tables.Table`) with the columns that fit."""
    from orbitview.products.text import _table, fit_columns, fits, left_out_note
    headers = {"name": "name", "subpoint": "sub-point", "alt": "alt km", "over": "over",
               "sun": "sun", "elaz": "el / az", "next": f"next pass {clock.abbreviation(when)}",
               "next_max": "max", "age": "age d", "bound": "± (90 %)"}
    cols = ["name", "subpoint", "alt", "over", "sun"]
    if site is not None:
        cols += ["elaz", "next", "next_max"]
    cols += ["age", "bound"]
    trows = _now_table(rows, clock, when, site)
    drop = ["alt", "sun", "next_max", "age", "subpoint", "over", "elaz", "next"]
    plain = False                   # (the error bound stays: without it a position misleads)
    for plain in (False, True):
        chosen, dropped = fit_columns(trows, cols, drop, width, headers, plain=plain,
                                      more=False)
        if fits(trows, chosen, width, headers, plain=plain) and len(chosen) >= len(cols) - 3:
            break
    if not fits(trows, chosen, width, headers, plain=plain):     # never cut a value: fewer
        chosen, dropped = fit_columns(trows, cols, drop, width, headers, plain=plain)
    title = (f"{clock.text(when, zone=True)} ({clock.name})"
             + (f" from {site.label()}" if site is not None else ""))
    return _table(trows, chosen, title, headers,
                  left_out_note([headers[c] for c in dropped], width) if dropped else None,
                  {"alt": "0", "age": "1"}, plain)


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--site", "where", type=params.SITE,
              help="Where you are (built-in site or LAT,LON[,HEIGHT_M]); default: the config "
                   "file's site. Adds elevation/azimuth and the next pass.")
@click.option("--at", "when", type=params.TIME, default="now", show_default=True,
              help="The moment to show (default now).")
@click.option("--watch", is_flag=True,
              help="Refresh every second until Ctrl-C (on a terminal; otherwise print once).")
@MIN_ELEVATION_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
def now(names, all_, where, when, watch, min_elevation, fmt):
    """Where each satellite is now: sub-point, what is below it, sky position, next pass."""
    import time
    from orbitview.studies.now import now_rows, upcoming_passes
    from orbitview.products.text import console, emit, terminal_width, write_table
    if not names and not all_:
        all_ = True
    sats = _select(names, all_)
    site = where if where is not None else _home_site()
    rule = _rule(min_elevation, None) if site is not None else None
    clock = clock_for(site)
    upcoming = upcoming_passes(sats, when, site, rule, hold=hold())
    rows, warnings = now_rows(sats, when, site, rule, upcoming=upcoming, hold=hold())
    stale = [w for w in warnings if "stale beyond" in w]
    for w in (warnings if len(stale) <= 2 else [w for w in warnings if w not in stale]):
        _warn(w)
    if len(stale) > 2:
        ages = [r["epoch_age_days"] for r in rows if abs(r["epoch_age_days"]) > 14]
        _warn(f"element sets of {len(stale)} objects are {min(ages):.0f} to {max(ages):.0f} "
              "days old: the ± column is each one's 90 % error bound ('unknown': where on its "
              "orbit it is cannot be said). Fix: 'orbitview tle update --all' when online.")
    if fmt != "table":
        columns = ["norad_id", "name", "time_utc", "lat_deg", "lon_deg", "altitude_km", "over",
                   "sunlit", "elevation_deg", "azimuth_deg", "range_km", "next_aos_utc",
                   "next_max_elevation_deg", "next_pass", "epoch_utc", "epoch_age_days",
                   "position_bound_km", "timing_bound_s"]
        emit(rows, columns, fmt)
        return
    width = terminal_width()
    if not watch or not sys.stdout.isatty():
        if watch:
            _note("--watch needs a terminal; printed once")
        table = _now_renderable(rows, clock, when, site, width)
        write_table(table, max(width, table.min_width()))
        return
    from rich.live import Live
    from rich.text import Text
    from orbitview.data.localtime import now_utc

    def screen(rows, t):
        table = _now_renderable(rows, clock, t, site, width)
        text = table.render(max(width, table.min_width()), styled=True)
        return Text.from_ansi(text.rstrip("\n"))

    try:
        with Live(screen(rows, when), console=console(), refresh_per_second=2,
                  screen=False) as live:
            while True:
                time.sleep(1.0 - (time.time() % 1.0))
                t = now_utc()
                rows, _ = now_rows(sats, t, site, rule, upcoming=upcoming, hold=hold())
                live.update(screen(rows, t))
    except KeyboardInterrupt:
        pass


# --------------------------------------------------------------------------- sky

@cli.command()
@click.argument("name")
@click.option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Lahore, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@click.option("--start", "t0", type=params.TIME, default="now", show_default=True,
              help="Look for the next pass from this time (e.g. tonight).")
@click.option("--days", type=params.DAYS, default=2.0, show_default=True,
              help="How far ahead to look.")
@MIN_ELEVATION_OPTION
@click.option("--visible", "only_visible", is_flag=True,
              help="The next pass you can see by eye, not just the next pass.")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
def sky(name, where, t0, days, min_elevation, only_visible, output, dpi):
    """Polar sky plot of the next pass: the path across the sky with times and shadow entry."""
    from orbitview.access.passes import find_passes
    from orbitview.products.plotting import save_figure
    from orbitview.access.sighting import add_visibility, load_magnitudes, sample_pass
    from orbitview.products.skyplot import sky_figure
    [sat] = _select([name], False)
    if sat.latest.is_deep_space:
        raise UsageError(f"{sat.name} is a geostationary (or high) satellite: it does not cross "
                         "the sky in a pass.\nFix: use 'orbitview look "
                         f"{sat.norad_id} --site {where.name}' for where to point.")
    t1 = window_end(t0, days)
    rule = _rule(min_elevation, None)
    from orbitview.products.text import round_event_times
    rows = round_event_times(find_passes(sat, where, t0, t1, rule, hold=hold()))   # the times passes prints
    add_visibility(rows, sat, where, "civil", load_magnitudes(), hold=hold())
    if only_visible:
        rows = [r for r in rows if r["visible"]]
    # Stale elements and SGP4 failures are said on stderr as passes says them, not only in
    # the figure's caption; over the plotted pass when there is one, else the window.
    span = (rows[0]["aos_utc"], rows[0]["los_utc"]) if rows else (t0, t1)
    for m in _state_warnings([sat], *span):
        _warn(m)
    if not rows:
        raise UsageError(f"no {'visible ' if only_visible else ''}pass of {sat.name} over "
                         f"{where.name} between {t0:%Y-%m-%d %H:%M} and {t1:%Y-%m-%d %H:%M} UTC."
                         "\nFix: look further ahead with --days, or lower --min-elevation.")
    row = rows[0]
    from orbitview.api.observe import pass_extras
    pass_extras([row], [sat], clock_for(where), hold())
    samples = sample_pass(sat, where, row["aos_utc"], row["los_utc"], hold=hold())
    fig = sky_figure(sat, where, row, samples, clock_for(where), rule.describe())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"orbitview: wrote {output}", err=True)


# --------------------------------------------------------------------------- groups

def update_group_command(group, names, all_, force):
    """``orbitview tle update --group NAME``."""
    from orbitview.util.atomic import OutputError
    from orbitview.util.errors import DownloadError
    from orbitview.data.freshness import check_group_name, update_group
    from orbitview.products.text import emit
    from orbitview.data.sources import StoreError, base_url
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
        raise click.exceptions.Exit(1)
    emit([row], ["group", "status", "objects", "note"], "table",
         title="CelesTrak group fetched into the user store (objects are not Pakistani records)")


# --------------------------------------------------------------------------- config

@cli.group("config", cls=click.Group)
def config_group():
    """The config file: home site, time zone, minimum elevation, automatic updates."""


@config_group.command("path")
def config_path_cmd():
    """Print where the config file is (it may not exist yet)."""
    from orbitview.data.config import config_path
    click.echo(str(config_path()))


@config_group.command("show")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def config_show(fmt):
    """Every setting, its value and where the value comes from."""
    from orbitview.data.config import config_path, read_config
    from orbitview.products.text import emit
    path = config_path()
    cfg = read_config(path)
    meaning = {"site": "home site: the default of --site",
               "tz": "time zone for local times (default: the site's zone, else UTC)",
               "min_elevation": "default minimum elevation of a pass, deg (default 10)",
               "auto_update": "never | notify | daily | weekly: fetch stale element sets "
                              "before commands (default notify: only say so)"}
    import tomllib
    try:
        written = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        written = {}
    rows = [{"key": k, "value": None if k in cfg.unreadable else v,
             "from": ("config file, unreadable" if k in cfg.unreadable else
                      "config file" if k in written else "default"),
             "meaning": meaning[k]} for k, v in cfg.as_dict().items()]
    if fmt == "json":
        emit(rows, ["key", "value", "from", "meaning"], "json")
    else:                 # the meanings are sentences: under the table, not squeezed in it
        from orbitview.products.text import fill_words, terminal_width
        emit(rows, ["key", "value", "from"], "table", title="orbitview config")
        for line in [f"file: {path}", *(f"{k}: {m}" for k, m in meaning.items())]:
            click.echo(fill_words(line, max(terminal_width(), 40), subsequent_indent="  "))
    if cfg.problems:                 # shown, not fatal: this is where one comes to fix them
        for p in cfg.problems:
            click.echo(f"orbitview: error: {p.message()}", err=True)
        raise click.exceptions.Exit(1)


@config_group.command("set")
@click.argument("key")
@click.argument("value")
def config_set(key, value):
    """Set one key: site, tz, min_elevation or auto_update."""
    from orbitview.data.config import set_value
    try:
        cfg = set_value(key, value)
    except UsageError as e:
        raise click.BadParameter(str(e), param_hint="KEY VALUE") from None
    click.echo(f"{key} = {cfg.as_dict()[key.strip().lower().replace('-', '_')]!r} "
               f"written to {cfg.path}")
    _still_wrong(cfg)


def _still_wrong(cfg) -> None:
    """After config set/unset: what the file still gets wrong elsewhere, and exit 1."""
    for p in cfg.problems:
        click.echo(f"orbitview: error: still wrong: {p.message()}", err=True)
    if cfg.problems:
        raise click.exceptions.Exit(1)


@config_group.command("unset")
@click.argument("key")
def config_unset(key):
    """Remove one key (back to its default)."""
    from orbitview.data.config import set_value
    try:
        cfg = set_value(key, None)
    except UsageError as e:
        raise click.BadParameter(str(e), param_hint="KEY") from None
    click.echo(f"{key} removed from {cfg.path}")
    _still_wrong(cfg)
