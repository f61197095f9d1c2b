"""Imaging: ``opportunities`` and the access options shared with passes, footprint, coverage.

``--access radio|imaging`` chooses the kind of access rule; without it,
satellites with an imaging instrument (``sensors.csv``) get the imaging rule
and the others the radio rule.  Every output built on an assumed instrument
value names it.
"""

from __future__ import annotations

import click

from orbitview.cli import common, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.products.text import emit
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso


def access_rule(sats, access, radio_rule, max_off_nadir=None, min_sun=None,
                max_view_zenith=None, mixed_default="per-satellite", all_=False):
    """(rule, satellites used) for a command; warns about satellites left out of imaging."""
    from orbitview.access.imaging import fleet_rule
    sensors = session.load_command_sensors()
    rule, used, excluded = fleet_rule(sats, access, radio_rule, sensors, max_off_nadir, min_sun,
                                      max_view_zenith, mixed_default, leave_out_damaged=all_)
    if excluded:
        messages.warn("excluded from imaging: "
                      + "; ".join(f"{s.name} ({why})" for s, why in excluded))
    for s, _ in excluded:
        if sensors.problems_for(s):
            messages.leave_out(s.name)          # a data problem: the run exits 1 (cli.main)
    if not used:
        raise UsageError("none of the satellites asked for can image.\n"
                         "Fix: name Earth-observation satellites (PRSS-1, PRSC-EO1, HS-1, ...), "
                         "or use --access radio.")
    return rule, used, sensors


def radio_unless_asked(access, min_elevation, mask):
    """An explicit --min-elevation or --mask asks for radio access when --access is not given."""
    if access is not None:
        return access
    from click.core import ParameterSource
    ctx = click.get_current_context()
    given = ctx.get_parameter_source("min_elevation") is not ParameterSource.DEFAULT
    return "radio" if given or mask else None


def access_words(rule) -> str:
    return {"radio": "radio access", "imaging": "imaging access",
            "mixed": "imaging access for imagers, radio for the others"}[rule.kind]


def assumption_note(rule) -> str:
    """One line naming every assumed instrument value a result rests on and the files
    they were read from ('' if none)."""
    from orbitview.access.imaging import assumption_note as note
    return note(rule)


OPPORTUNITY_FORMATS = ["table", "csv", "json", "ics"]
OPPORTUNITY_TABLE_DROP = ["sun_azimuth_deg", "view_azimuth_deg", "duration_s", "view_zenith_deg",
                          "gsd_m", "dir", "cumulative_share_pct", "sun_elevation_deg"]
"""Columns of the opportunity table left out first to last when the terminal is narrow: the
satellite, its time (UTC and local), the off-nadir angle, the area share, the element age
and the timing bound stay."""


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--target", required=True, type=params.TARGET,
              help="Built-in site (Gwadar, Karachi, ...), LAT,LON, a province (Sindh, Punjab, "
                   "...), Pakistan, or a GeoJSON polygon file (e.g. a flood extent).")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="Search start (ISO 8601).")
@click.option("--days", type=params.DAYS, default=7.0, show_default=True,
              help="Search length.")
@options.MAX_OFF_NADIR_OPTION
@options.MIN_SUN_OPTION
@click.option("--max-view-zenith", "max_view_zenith",
              type=params.Number("deg", min=0.0, max=89.0, example="40"),
              help="Largest view zenith (incidence) angle at the target, deg.")
@click.option("--tz", "tz", help="Zone of the local-time column (IANA name, e.g. "
              "Asia/Karachi, the default, or UTC).")
@click.option("--format", "fmt", type=click.Choice(OPPORTUNITY_FORMATS), default="table",
              show_default=True, help="Output format (ics: a calendar file on stdout).")
@options.WIDE_OPTION
@options.ELEMENTS
@options.NO_HOLD
@options.REFRESH
@options.VERBOSE
@options.SENSORS
def opportunities(names, all_, target, t0, days, max_off_nadir, min_sun, max_view_zenith, tz,
                  fmt, wide):
    """When Earth-observation satellites can image a place or an area, at what angle, in what
    light, and (for an area) how much of it and how soon all of it.

    \b
    Examples:
      orbitview opportunities PRSS-1 --target Gwadar --days 3
      orbitview opportunities --all --target Sindh --days 2 --format csv
      orbitview opportunities PRSC-EO1 --target 30.2,71.5 --max-off-nadir 20
    """
    from orbitview.api.imaging import opportunities as answer
    from orbitview.data.localtime import abbreviation
    with common.progress_display("opportunities", "satellites") as progress:
        result = answer(common.which(names, all_), target, t0, days=days,
                        max_off_nadir_deg=max_off_nadir, min_sun_deg=min_sun,
                        max_view_zenith_deg=max_view_zenith, sensors=session.sensor_files(),
                        hold=session.hold(), tz=tz, catalog=session.catalog(),
                        progress=progress)
    for n in result.notes:
        if n.kind != "assumed":               # in the caption, the calendar, or said last
            messages.warn(n.text)
    for name in result.left_out:
        messages.leave_out(name)
    note, where, m = result.assumptions, result.target, result.meta
    if fmt == "ics":
        _write_bytes(result.to_ics())
        return
    if fmt != "table":
        emit(result.rows, result.columns, fmt)
        if note:
            messages.warn(note)
        return
    from orbitview.products.opportunities import table_rows, unknown_captions
    rows = table_rows(result)
    columns = ["name", "when", "local", "duration_s", "look", "view_azimuth_deg",
               "view_zenith_deg", "sun_elevation_deg", "sun_azimuth_deg", "dir", "gsd_m"]
    if where.kind == "area":
        columns += ["area_share_pct", "cumulative_share_pct"]
    columns += ["epoch_age_days", "timing_error"]
    caption = [f"Rule: {m['rule']}.",
               "look: off-nadir angle (deg) and side of the ground track (L/R); view: from the "
               "target to the satellite (zenith = incidence); GSD at that angle, from the nadir "
               "GSD (blank: not published); timing \u00b1: 90 % bound on the time error "
               "from the element set's age (unknown: too old to tell where on its orbit the "
               "satellite is)."]
    if where.kind == "area":
        caption.append(_area_summary(result.seen, m["start"]))
    caption += unknown_captions(result)
    if note:
        caption.append(note)
    emit(rows, result.columns, "table", table_columns=columns,
         drop_order=OPPORTUNITY_TABLE_DROP, wide=wide, wide_option=True,
         headers={"when": "time UTC", "local": abbreviation(m["zone"], m["start"]),
                  "duration_s": "s", "look": "off-nadir\u00b0",
                  "view_azimuth_deg": "view az\u00b0", "view_zenith_deg": "view zen\u00b0",
                  "sun_elevation_deg": "sun el\u00b0", "sun_azimuth_deg": "sun az\u00b0",
                  "dir": "pass", "gsd_m": "GSD m", "area_share_pct": "area %",
                  "cumulative_share_pct": "cum. %", "epoch_age_days": "age d",
                  "timing_error": "timing \u00b1"},
         styles={"gsd_m": "2", "view_zenith_deg": "1", "sun_elevation_deg": "1",
                 "epoch_age_days": "1"},
         title=m["title"], caption="\n".join(caption))


def _area_summary(summary, t0) -> str:
    if summary["fully_seen_utc"] is not None:
        return (f"The whole of {summary['target']} has been within a field of regard at least "
                f"once by {iso(summary['fully_seen_utc'])}, {summary['hours_to_full'] / 24:.1f} "
                f"days after {iso(t0)} (area %: share of the area each opportunity could image; "
                "cum. %: seen so far).")
    return (f"Only {summary['share_seen_pct']}% of {summary['target']} comes within a field of "
            "regard in this window (area %: share each opportunity could image; cum. %: seen so "
            "far).")


def _write_bytes(data: bytes) -> None:
    """Bytes on stdout (a calendar file), or their text on a text-only stream (tests, some
    notebooks)."""
    import sys
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        out.write(data)
        out.flush()
