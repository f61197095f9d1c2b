"""A command's session: the config file, the zone times are read and shown in, the
catalogue (refreshed when asked), element and instrument files, and the slot hold.

Shared options (:mod:`orbitview.cli.options`) record what they are given in the context's
``meta``; the functions here read it, so each command gets exactly what it was asked for.
"""

from __future__ import annotations

import datetime as dt

import click

from orbitview.cli import params
from orbitview.cli.messages import defer_warning, note, warn, warn_all
from orbitview.util.errors import UsageError

META_TZ = "orbitview.tz"
META_ELEMENTS = "orbitview.elements"
META_READ_IN = "orbitview.read_in"
META_CATALOG = "orbitview.catalog"
MAX_PROBLEM_WARNINGS = 6


def config():
    """The config file as far as it can be read (read once per command; never raises)."""
    from orbitview.data.config import read_config
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    if root is not None and "orbitview.config" in root.meta:
        return root.meta["orbitview.config"]
    config = read_config()
    if root is not None:
        root.meta["orbitview.config"] = config
    for p in config.problems:
        if not p.affects:           # an unknown key that changes nothing: said, not fatal
            defer_warning(f"{p.where}: {p.what}.\nFix: {p.fix}")
    return config


def config_value(key: str):
    """A value of the config file this command needs; ConfigError (file:line, the fix)
    when the file has it but it cannot be read: never another site, zone or elevation."""
    from orbitview.data.config import OPTION_OF, ConfigError
    try:
        return config().value(key)
    except ConfigError as e:
        ctx = click.get_current_context(silent=True)
        takes = {o for p in ctx.command.params for o in p.opts} if ctx is not None else set()
        options = [option for option in OPTION_OF.values() if option in takes]
        raise ConfigError(e.problems, key, options) from None


def site_in(ctx):
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
    site = site if site is not None else site_in(ctx)
    zone, why = choose_zone(tz, site, None if tz else config_value("tz"))
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


def auto_update() -> str:
    """The config's auto_update; when it cannot be read, 'notify' (no fetch; stale sets are
    still named) and one warning at the end of the command: the setting decides only
    whether stored sets are refreshed first, never what is computed from them."""
    from orbitview.data.config import ConfigError
    try:
        return config_value("auto_update")
    except ConfigError as e:
        p = e.problems[0]
        defer_warning(f"{p.where}: {p.what}; its auto_update was not read, so no element "
                      f"sets were fetched automatically.\nFix: {p.fix}")
        return "notify"


def home_site():
    from orbitview.data.sites import parse_site
    text = config_value("site")
    return parse_site(text) if text else None


class LocalTime(params.Time):
    """params.Time, but times without an offset (and relative words) are read in the
    command's zone; 'tonight' runs from sunset to sunrise at the command's site."""

    def convert(self, value, param, ctx):
        from orbitview.data.localtime import UTC, parse_when
        from orbitview.util.timeutil import check_supported
        if isinstance(value, dt.datetime):
            return value
        if completing(ctx):             # TAB: no note about zones, no refusal
            return value
        try:
            clock = clock_for(ctx=ctx)
            site = site_in(ctx) or (home_site() if "tonight" in str(value).lower()
                                     else None)          # only 'tonight' needs a site
            t = parse_when(str(value), clock.zone, site, option="")
            if self.supported:
                check_supported(t, t, "")
                if t.end_utc is not None:
                    check_supported(t.end_utc, t.end_utc, "")
        except UsageError as e:
            self.fail(str(e), param, ctx)
        if t.note:
            warn(t.note)
        if t.read_in and clock.zone is not UTC and ctx is not None:
            ctx.meta[META_READ_IN] = clock
            name = params.option_name(param)
            if not ctx.meta.get("orbitview.read_in_said"):
                ctx.meta["orbitview.read_in_said"] = True
                note(f"{name} {t.text} read in {clock.describe(t)}, {clock.why}; add Z or "
                      "an offset (+05:00) for another zone")
        return t


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


def set_tz(ctx, param, value):
    if value is not None:
        from orbitview.data.localtime import get_zone
        try:
            get_zone(value)
        except UsageError as e:
            raise click.BadParameter(str(e), ctx, param) from None
        ctx.meta[META_TZ] = value
    return value


META_HOLD = "orbitview.hold"


def set_no_hold(ctx, param, value):
    if value:
        ctx.meta[META_HOLD] = False
    return value


def hold() -> bool:
    """Whether this command holds station-kept GEO slots (``--no-hold`` says no)."""
    ctx = click.get_current_context(silent=True)
    return True if ctx is None else bool(ctx.meta.get(META_HOLD, True))


def set_refresh(ctx, param, value):
    if value:
        ctx.meta["orbitview.refresh"] = True
    return value


def set_elements(ctx, param, value):
    if value:
        ctx.meta[META_ELEMENTS] = list(value)
    return value


def completing(ctx=None) -> bool:
    """Whether the command line is only being completed (TAB) or its help shown: then
    defaults and checks say nothing and refuse nothing (click's ``resilient_parsing``)."""
    ctx = ctx or click.get_current_context(silent=True)
    return ctx is not None and ctx.resilient_parsing


def required_site(param):
    def default():
        if completing():                # TAB: no 'Missing option' in the shell
            return None
        site = config_value("site")
        if site:
            return site
        raise click.MissingParameter(ctx=click.get_current_context(), param=param,
                                     message="The config file names no home site either."
                                             "\nFix: give --site (a built-in site such as "
                                             "Lahore, or LAT,LON), or set a home site once: "
                                             "'orbitview config set site Lahore'.")
    return default


def config_default(key, original):
    def default():
        if completing():                # TAB: the config file is not read (nor its errors)
            return original
        value = config_value(key)
        return original if value is None else value
    return default


def meta_value(ctx, key):
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
    from orbitview.data.config import AUTO_UPDATE_AGE_DAYS
    from orbitview.data.elements import STALE_AFTER_DAYS
    from orbitview.data.freshness import (
        AUTO_DEADLINE_S,
        REFRESH_DEADLINE_S,
        REFRESH_OLDER_THAN_DAYS,
        refresh_stale,
    )
    from orbitview.data.localtime import now_utc
    asked = bool(meta_value(ctx, "orbitview.refresh"))
    mode = "notify" if asked else auto_update()
    if not asked and mode not in AUTO_UPDATE_AGE_DAYS:
        if mode == "notify" and ctx is not None and not ctx.meta.get("orbitview.notified") \
                and _command_words(ctx) not in NO_STALENESS_NOTE:
            ctx.meta["orbitview.notified"] = True
            from orbitview.data.external import ExternalSatellite
            old = [s for s in _wanted(catalog, ctx)           # what --refresh would fetch:
                   if not isinstance(s, ExternalSatellite)      # records, not files or groups
                   and s.elements and s.elements[-1].age_days(now_utc()) > STALE_AFTER_DAYS]
            if old:
                have = "has an element set" if len(old) == 1 else "have element sets"
                # 'today': the age that matters for fetching, whatever time is asked
                # about (the answer's own staleness is said against that time).
                note(f"{len(old)} of the objects used {have} older than "
                      f"{STALE_AFTER_DAYS:.0f} days today; --refresh fetches current ones (or "
                      "'orbitview config set auto_update daily')")
        return catalog
    limit = REFRESH_OLDER_THAN_DAYS if asked else AUTO_UPDATE_AGE_DAYS[mode]
    from orbitview.data.external import ExternalSatellite
    records = [s for s in _wanted(catalog, ctx)          # well-known objects of the bundled
               if not isinstance(s, ExternalSatellite)]  # groups are not records: not fetched
    updated, notes = refresh_stale(records, limit,
                                   REFRESH_DEADLINE_S if asked else AUTO_DEADLINE_S,
                                   automatic=not asked)
    for n in notes:
        note(n)
    if updated:
        from orbitview.data.catalog import load_catalog
        catalog = load_catalog()
    return catalog


def with_external(catalog):
    """The catalog (refreshed first if asked), plus stored groups and --elements objects."""
    ctx = click.get_current_context(silent=True)
    catalog = _fresh(catalog, ctx)
    files = meta_value(ctx, META_ELEMENTS) or []
    from orbitview.data.freshness import stored_groups
    externals, problems = stored_groups()
    for p in problems[:3]:
        warn(f"stored group {p.where}: {p.what}. Fix: {p.fix}")
    if not files and not externals:
        return catalog
    from orbitview.data.external import CatalogView, Resolver, read_elements_file
    from_files = [ext for f in files for ext in read_elements_file(f)]
    externals += from_files
    view = CatalogView(catalog, Resolver(catalog, externals))
    # One NORAD number under two names in a file: both names find it; say so (the notes
    # of --elements objects; a stored group's were said when it was stored).
    warn_all([n for ext in from_files for n in ext.notes])
    if meta_value(ctx, "orbitview.refresh"):
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
    note(f"--refresh fetches the sets of orbitview's own records, not of element files or "
          f"stored groups: {named} {'is' if len(outside) == 1 else 'are'} used as stored. Fix: "
          "when online, use a current copy of the file, or 'orbitview tle update --group NAME'")



# --------------------------------------------------------------------------- the catalogue

def catalog():
    """The catalog, read once per command; every data problem is announced (one line
    each) on stderr the first time."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is not None and META_CATALOG in root.meta:
        return root.meta[META_CATALOG]
    catalog = read_catalog()
    if root is not None:
        root.meta[META_CATALOG] = catalog
    return catalog


def read_catalog():
    from orbitview.data.catalog import load_catalog
    catalog = load_catalog()
    problems = catalog.problems
    for p in problems[:MAX_PROBLEM_WARNINGS]:
        warn(f"data problem in the {p.scope or 'data'}: {p.where}: {p.what}"[:300])
    if problems:
        more = len(problems) - MAX_PROBLEM_WARNINGS
        warn((f"... and {more} more. " if more > 0 else "")
              + "Only the objects and names these files hold are affected; "
              "'orbitview data check' shows the evidence and the fix for each.")
    return with_external(catalog)



# --------------------------------------------------------------------------- instruments

META_SENSORS = "orbitview.sensors"


def set_sensors(ctx, param, value):
    if value:
        ctx.meta[META_SENSORS] = list(value)
    return value


def sensor_files() -> list:
    """The --sensors files of the running command (none outside a command)."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.meta.get(META_SENSORS):
            return ctx.meta[META_SENSORS]
        ctx = ctx.parent
    return []


def load_command_sensors():
    """The bundled instruments plus those of the command's --sensors files."""
    from orbitview.data.sensors import load_sensors
    return load_sensors(catalog(), sensor_files())


