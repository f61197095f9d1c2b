"""The options commands share, declared once and put on each command where it is declared.

Times are read in the command's zone (``--tz``, else the config file, else a built-in
site's zone, else UTC) unless they carry an offset; ``--site`` and ``--min-elevation``
default to the config file's values; ``--tz``, ``--elements``, ``--no-hold``,
``--refresh`` and ``--sensors`` record what they are given in the context for
:mod:`orbitview.cli.session` to read.
"""

from __future__ import annotations

import click

from orbitview.cli import params, session
from orbitview.products.text import FORMATS

TIME = session.LocalTime()
ANY_TIME = session.LocalTime(supported=False)

LOCAL_HELP = (" Local time unless it has an offset (Z, +05:00); also now, today, tonight, "
              "tomorrow, yesterday, +2h, -30min.")


def time_option(*decls, **attrs):
    """``click.option`` for a time read in the command's zone (type :data:`TIME` by
    default), its help saying so."""
    attrs.setdefault("type", TIME)
    text = attrs.get("help") or ""
    if "UTC unless offset" in text:
        attrs["help"] = text.replace("UTC unless offset", "local zone unless offset")
    elif "local" not in text:
        attrs["help"] = text + LOCAL_HELP
    return click.option(*decls, **attrs)


def site_option(*decls, **attrs):
    """``click.option`` for a site; eager (the zone may depend on it) and, when required,
    defaulting to the config file's home site."""
    attrs.setdefault("type", params.SITE)
    attrs["is_eager"] = True

    def decorator(f):
        option = click.option(*decls, **attrs)(f)
        param = option.__click_params__[-1]
        if param.required:
            param.required = False
            param.default = session.required_site(param)
            param.help = (param.help or "") + " Default: the config file's site."
        return option
    return decorator


MIN_ELEVATION_OPTION = click.option(
    "--min-elevation", type=params.MIN_ELEVATION_DEG,
    # None unless given or configured: the library's default (10) applies, and a limit
    # nobody gave is not reported as one that does not apply (imaging access).
    default=session.config_default("min_elevation", None),
    show_default="10, or the config file's min_elevation",
    help="Minimum elevation (deg) of the visibility rule.")
MASK_OPTION = click.option(
    "--mask", type=params.MASK_FILE,
    help="Horizon mask CSV (azimuth_deg,min_elevation_deg), combined with --min-elevation.")
FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")
WIDE_OPTION = click.option("--wide", is_flag=True,
                           help="Every column, however wide the terminal.")
REPORT_OPTION = click.option("--report", type=click.Choice(FORMATS), default="table",
                             show_default=True,
                             help="Format of what was done (where --format names what is "
                                  "fetched).")

# --------------------------------------------------------------------------- sources

TZ = click.option(
    "--tz", metavar="ZONE", is_eager=True, expose_value=False, callback=session.set_tz,
    help="Time zone for local times and for times typed without an offset (IANA name, e.g. "
         "Asia/Karachi; default: config file, else the site's zone, else UTC).")
ELEMENTS = click.option(
    "--elements", "elements_files", multiple=True, metavar="FILE", expose_value=False,
    type=params.InputFile("give a 3LE/TLE or OMM (JSON, CSV, XML) file, e.g. CelesTrak's "
                          "stations.tle."), callback=session.set_elements,
    help="Also know the objects in this 3LE/TLE/OMM file (repeatable); they are not "
         "Pakistani records.")
NO_HOLD = click.option(
    "--no-hold", is_flag=True, expose_value=False, callback=session.set_no_hold,
    help="Raw SGP4 for station-kept GEO satellites with stale elements (default: hold their "
         "slot).")
REFRESH = click.option(
    "--refresh", is_flag=True, expose_value=False, callback=session.set_refresh,
    help="First fetch current element sets (older than a day) of the objects used, from "
         "CelesTrak, as 'tle update' does; offline, go on with the stored sets.")
SENSORS = click.option(
    "--sensors", "sensors_files", multiple=True, metavar="FILE", expose_value=False,
    is_eager=True, callback=session.set_sensors,
    type=params.InputFile("give a CSV with the columns of data/sensors.csv (see "
                          "data/README.md), e.g. data/partner_sensors.csv."),
    help="Instrument records (data/sensors.csv columns) for more satellites, e.g. partners "
         "from an --elements file (repeatable); a row here replaces the bundled one.")


def _set_verbose(ctx, param, value):
    if value:
        from orbitview.cli.messages import META_VERBOSE
        ctx.find_root().meta[META_VERBOSE] = True
    return value


VERBOSE = click.option(
    "--verbose", "-v", is_flag=True, expose_value=False, callback=_set_verbose,
    help="Say each stale element set's epoch and bound on its own line (default: one line "
         "for them all; each one's bound is in the answer itself).")


def sources(f):
    """``--tz``, ``--elements``, ``--no-hold``, ``--refresh`` and ``--verbose``: what a
    command that takes satellites reads its answer from, and how much it says about it
    (in this order, after the command's own options)."""
    return TZ(ELEMENTS(NO_HOLD(REFRESH(VERBOSE(f)))))


# --------------------------------------------------------------------------- access

ACCESS_OPTION = click.option(
    "--access", type=click.Choice(["radio", "imaging"]), default=None,
    help="radio: elevation above the horizon; imaging: inside the instrument's field of "
         "regard, in daylight for optical (default: imaging for satellites with an imaging "
         "instrument, radio for the others).")
MAX_OFF_NADIR_OPTION = click.option(
    "--max-off-nadir", "max_off_nadir", type=params.Number("deg", min=0.0, max=70.0,
                                                           example="30"),
    help="Largest off-nadir (roll) angle, deg, instead of the instrument's (0: nadir swath "
         "only).")
MIN_SUN_OPTION = click.option(
    "--min-sun", "min_sun", type=params.Number("deg", min=-18.0, max=90.0, example="10"),
    help="Lowest Sun elevation at the target for optical imaging, deg, instead of the "
         "instrument's.")

# --------------------------------------------------------------------------- passes

VISIBLE_OPTION = click.option(
    "--visible", is_flag=True,
    help="Only passes you can see by eye: satellite sunlit, sky dark (see --twilight); "
         "shows the visible part and, where a standard magnitude is recorded, brightness.")
TWILIGHT_OPTION = click.option(
    "--twilight", type=click.Choice(["civil", "nautical", "astronomical"]), default="civil",
    show_default=True, help="How dark the sky must be for --visible (Sun below -6/-12/-18 deg).")
PASS_FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "ics"]), default="table",
    show_default=True, help="Output format (ics: an iCalendar file, one event per pass).")
