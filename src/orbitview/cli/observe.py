"""Where satellites are and who sees them: positions, track, passes, look, footprint."""

from __future__ import annotations

import datetime as dt

import click

from ..errors import UsageError
from ..output import emit
from ..timeutil import iso
from . import params
from .common import (FORMAT_OPTION, MASK_OPTION, MIN_ELEVATION_OPTION, _catalog, _check_window,
                     _r, _rule, _select, _warn, _window, cli)
from .imaging import (ACCESS_OPTION, MAX_OFF_NADIR_OPTION, MIN_SUN_OPTION, _access_words,
                      _radio_unless_asked, access_rule, assumption_note)

# --------------------------------------------------------------------------- positions

POSITION_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                    "sunlit", "epoch_age_days"]


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--start", "t0", type=params.TIME, required=True,
              help="First time (ISO 8601, UTC unless offset; 'now').")
@click.option("--end", "t1", type=params.TIME, help="Last time (ISO 8601).")
@click.option("--hours", type=params.HOURS, help="Duration instead of --end.")
@click.option("--step", "step_s", type=params.STEP_S, default=60.0, show_default=True,
              help="Seconds between rows.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "table"]), default="csv",
              show_default=True, help="Output format.")
def positions(names, all_, t0, t1, hours, step_s, fmt):
    """Sub-satellite points: WGS84 latitude, longitude, altitude, sunlight, data age."""
    from ..propagate import propagate
    from ..timeutil import time_grid
    if (t1 is None) == (hours is None):
        raise click.UsageError("give exactly one of --end or --hours")
    t1 = t1 if t1 is not None else t0 + dt.timedelta(hours=hours)
    if t1 < t0:
        raise UsageError(f"--end {iso(t1)} is before --start {iso(t0)}.\n"
                         "Fix: give an end after the start, or use --hours.")
    _check_window(t0, t1)
    sats = _select(names, all_)
    n_rows = (int((t1 - t0).total_seconds() // step_s) + 1) * len(sats)
    if n_rows > 5_000_000:
        raise UsageError(f"{n_rows:,} rows is too many to print.\n"
                         "Fix: use a larger --step or a shorter span.")
    t = time_grid(t0, t1, step_s)
    prop = propagate(sats, t, sunlit=True)
    for m in prop.warnings():
        _warn(m)
    times = [iso(x) for x in prop.times_utc]
    rows = []
    for j, when in enumerate(times):
        for i in range(len(sats)):
            rows.append({"time_utc": when, "norad_id": prop.norad_ids[i],
                         "name": prop.names[i],
                         "lat_deg": _r(prop.lat_deg[i, j], 5), "lon_deg": _r(prop.lon_deg[i, j], 5),
                         "altitude_km": _r(prop.altitude_km[i, j], 3),
                         "sunlit": bool(prop.sunlit[i, j]) if not
                         (prop.lat_deg[i, j] != prop.lat_deg[i, j]) else None,
                         "epoch_age_days": round(float(prop.epoch_age_days[i, j]), 3)})
    emit(rows, POSITION_COLUMNS, fmt, title="Sub-satellite points (WGS84)",
         styles={"lat_deg": "4", "lon_deg": "4", "altitude_km": "2", "epoch_age_days": "2"})



# --------------------------------------------------------------------------- track

@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--at", "when", type=params.TIME, default="now", show_default=True,
              help="Map time (ISO 8601, UTC unless offset; 'now').")
@click.option("--before", "before_min", type=params.MINUTES, default=45.0, show_default=True,
              help="Minutes of past track (dashed).")
@click.option("--after", "after_min", type=params.MINUTES, default=95.0, show_default=True,
              help="Minutes of future track (solid).")
@click.option("--orbits", type=params.ORBITS,
              help="Future track of N orbits of the slowest non-GEO satellite (overrides --after).")
@click.option("--step", "step_s", type=params.STEP_S, default=30.0, show_default=True,
              help="Seconds between track points.")
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("--central-longitude", type=params.LONGITUDE,
              help="Centre of a world map, degrees east (default 70, near Pakistan).")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True,
              help="Resolution of PNG output.")
@click.option("--swath", is_flag=True,
              help="Draw each imaging satellite's field of regard and nadir swath along its "
                   "future track.")
@MAX_OFF_NADIR_OPTION
@MIN_SUN_OPTION
def track(names, all_, when, before_min, after_min, orbits, step_s, region, central_longitude,
          output, dpi, swath, max_off_nadir, min_sun):
    """Ground tracks on a map: past dashed, future solid, terminator, data age caption."""
    from ..basemap import parse_region
    from ..maps import DEFAULT_CENTRAL_LONGITUDE, track_figure
    from ..plotting import save_figure
    from ..propagate import propagate
    extent = parse_region(region)
    sats = _select(names, all_)
    if orbits is not None:
        periods = [1440.0 / s.latest.mean_motion_rev_per_day for s in sats
                   if not s.latest.is_deep_space]
        after_min = orbits * (max(periods) if periods else 1436.0)
        if after_min > params.MINUTES.max:
            raise UsageError(f"--orbits {orbits:g} is {after_min / 1440:.1f} days of track, "
                             f"more than the {params.MINUTES.max / 1440:g} days a track covers."
                             "\nFix: give fewer orbits.")
    if central_longitude is not None and central_longitude >= 180:
        central_longitude -= 360.0
    t, at_index = _window(when, before_min, after_min, step_s)
    prop = propagate(sats, t)
    for m in prop.warnings():
        _warn(m)
    swath_rule = None
    if swath:
        from ..access import VisibilityRule
        swath_rule, _, _ = access_rule(sats, "imaging", VisibilityRule(), max_off_nadir, min_sun)
    fig = track_figure(prop, at_index, extent,
                       central_longitude if central_longitude is not None
                       else DEFAULT_CENTRAL_LONGITUDE, swath_rule=swath_rule)
    save_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")



PASS_COLUMNS = ["norad_id", "name", "aos_utc", "tca_utc", "los_utc", "max_elevation_deg",
                "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "sunlit_at_tca",
                "site_sun_elevation_deg", "epoch_age_days", "in_progress_at_start",
                "in_progress_at_end"]


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every satellite with element sets.")
@click.option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@click.option("--start", "t0", type=params.TIME, default="now", show_default=True,
              help="Search start (ISO 8601).")
@click.option("--days", type=params.DAYS, default=1.0, show_default=True,
              help="Search length.")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@ACCESS_OPTION
@MAX_OFF_NADIR_OPTION
@MIN_SUN_OPTION
@FORMAT_OPTION
def passes(names, all_, where, t0, days, min_elevation, mask, access, max_off_nadir, min_sun,
           fmt):
    """Passes over a site: AOS, TCA, LOS, maximum elevation, sunlight, data age.

    With imaging access (the default for Earth-observation satellites) a pass is the time
    the site lies in the instrument's field of regard, in daylight for optical ones."""
    from ..passes import find_passes, geo_visibility
    from ..timeutil import PKT
    t1 = t0 + dt.timedelta(days=days)
    _check_window(t0, t1)
    sats = _select(names, all_)
    rule, sats, _ = access_rule(sats, _radio_unless_asked(access, min_elevation, mask),
                                _rule(min_elevation, mask), max_off_nadir, min_sun)
    rows, notes, searched = [], [], []
    for sat in sats:
        if sat.latest.is_deep_space:
            state = geo_visibility(sat, where, t0, t1, rule.for_satellite(sat))
            if state is not None:
                notes.append(f"{sat.name} ({sat.norad_id}) is {state['visible']} visible from "
                             f"{where.name} ({rule.for_satellite(sat).describe()}): elevation "
                             f"{state['min_elevation_deg']:.2f} to "
                             f"{state['max_elevation_deg']:.2f} deg")
                if state["visible"] == "continuously":
                    rows.append({"norad_id": sat.norad_id, "name": sat.name, "aos_utc": t0,
                                 "tca_utc": None, "los_utc": t1,
                                 "max_elevation_deg": round(state["max_elevation_deg"], 2),
                                 "aos_azimuth_deg": None, "los_azimuth_deg": None,
                                 "duration_s": round((t1 - t0).total_seconds(), 1),
                                 "sunlit_at_tca": None, "site_sun_elevation_deg": None,
                                 "epoch_age_days": round(sat.latest.age_days(t0), 2),
                                 "in_progress_at_start": True, "in_progress_at_end": True})
                continue
        searched.append(sat)
    rows += find_passes(searched, where, t0, t1, rule)   # one search for all
    rows.sort(key=lambda r: r["aos_utc"])
    for r in rows:
        if abs(r["epoch_age_days"]) > 14:
            r["_style"] = "yellow"
    stale = sorted({r["name"] for r in rows if abs(r["epoch_age_days"]) > 14})
    for n in notes:
        _warn(n)
    if stale:
        _warn(f"element sets of {', '.join(stale)} are more than 14 days from the passes: "
              "event times may be off by minutes. Fix: 'orbitview tle update' when online.")
    if fmt == "table":
        for r in rows:
            r["aos_pkt"] = r["aos_utc"].astimezone(PKT).strftime("%H:%M:%S")
            r["start"] = ("* " if r["in_progress_at_start"] else "") + \
                r["aos_utc"].strftime("%m-%d %H:%M:%S")
            r["end"] = r["los_utc"].strftime("%H:%M:%S" if r["los_utc"].date() ==
                                             r["aos_utc"].date() else "%m-%d %H:%M:%S") + \
                (" *" if r["in_progress_at_end"] else "")
            r["tca"] = r["tca_utc"].strftime("%H:%M:%S") if r["tca_utc"] else "-"
            r["sun"] = ("" if r["sunlit_at_tca"] is None else
                        "sunlit" if r["sunlit_at_tca"] else "eclipsed")
            r["visible_by_eye"] = "yes" if (r["sunlit_at_tca"] and
                                           (r["site_sun_elevation_deg"] or 0) < -6) else ""
    emit(rows, PASS_COLUMNS, fmt,
         table_columns=["name", "start", "aos_pkt", "tca", "end", "max_elevation_deg",
                        "aos_azimuth_deg", "los_azimuth_deg", "duration_s", "sun",
                        "site_sun_elevation_deg", "visible_by_eye", "epoch_age_days"],
         headers={"start": "AOS UTC", "aos_pkt": "AOS PKT", "tca": "TCA UTC", "end": "LOS UTC",
                  "max_elevation_deg": "max el°", "aos_azimuth_deg": "AOS az°",
                  "los_azimuth_deg": "LOS az°", "duration_s": "s",
                  "site_sun_elevation_deg": "sun el°", "epoch_age_days": "age d", "visible_by_eye": "by eye"},
         title=f"Passes over {where.label()}, {iso(t0)} + {days:g} d, "
               f"{_access_words(rule)}: {rule.describe()}",
         caption="* pass already in progress at the start (or still in progress at the end). "
                 "visible by eye: satellite sunlit, site in darkness (sun below -6 deg)."
                 + ("\n" + assumption_note(rule) if assumption_note(rule) else ""))


@cli.command()
@click.argument("name")
@click.option("--site", "where", type=params.SITE, required=True,
              help="Built-in site (Islamabad, Karachi, ...) or LAT,LON[,HEIGHT_M].")
@click.option("--at", "when", type=params.TIME, default="now", show_default=True,
              help="Time (ISO 8601).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def look(name, where, when, min_elevation, mask, fmt):
    """Where to point: azimuth, elevation and range from a site (e.g. a dish for PakSat-MM1)."""
    from ..passes import site_view
    from ..timeutil import timescale
    sat = _catalog().resolve(name)
    sat.require_elements()
    rule = _rule(min_elevation, mask)
    t = timescale().from_datetime(when)
    t = t.ts.tt_jd([t.tt])
    az, el, rng = site_view(sat, where, t)
    es = sat.elements[int(min(range(len(sat.elements)),
                              key=lambda k: abs(sat.elements[k].age_days(when))))]
    age = es.age_days(when)
    row = {"time_utc": when, "norad_id": sat.norad_id, "name": sat.name, "site": where.name,
           "site_lat_deg": where.lat_deg, "site_lon_deg": where.lon_deg,
           "site_height_m": where.height_m,
           "azimuth_deg": round(float(az[0]), 3), "elevation_deg": round(float(el[0]), 3),
           "range_km": round(float(rng[0]), 3),
           "visible": bool(rule.margin_deg(az, el)[0] >= 0),
           "rule": rule.describe(), "elements_epoch_utc": es.epoch.replace(microsecond=0),
           "epoch_age_days": round(age, 2), "source": es.source}
    if abs(age) > 14:
        _warn(f"{sat.name}'s element set is {abs(age):.0f} days from {iso(when)}: pointing may "
              "be off. Fix: 'orbitview tle update' when online.")
    if fmt == "json":
        emit([row], list(row), "json")
        return
    from ..timeutil import pkt
    click.echo(f"{sat.name} ({sat.norad_id}) from {where.label()}")
    click.echo(f"  at {iso(when)} ({pkt(when)})")
    click.echo(f"  azimuth   {row['azimuth_deg']:9.3f} deg (clockwise from true north)")
    click.echo(f"  elevation {row['elevation_deg']:9.3f} deg "
               f"({'visible' if row['visible'] else 'not visible'}: {rule.describe()})")
    click.echo(f"  range     {row['range_km']:9.1f} km")
    click.echo(f"  elements  epoch {iso(es.epoch)}, {age:.1f} days old; {es.source}")


@cli.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--at", "when", type=params.TIME, default="now", show_default=True,
              help="Time (ISO 8601).")
@MIN_ELEVATION_OPTION
@MASK_OPTION
@click.option("--region", type=params.REGION, default="world", show_default=True,
              help="world, pakistan, or W,E,S,N in degrees.")
@click.option("-o", "--output", required=True, type=params.FIGURE,
              help="Figure file: .png, .svg or .pdf.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@ACCESS_OPTION
@MAX_OFF_NADIR_OPTION
@MIN_SUN_OPTION
def footprint(names, when, min_elevation, mask, region, output, dpi, access, max_off_nadir,
              min_sun):
    """Footprints on a map: radio visibility circles (GEO satellites get dish-elevation
    contours) or, for Earth-observation satellites, the field of regard."""
    from ..basemap import parse_region
    from ..sites import load_sites
    from ..maps import footprint_figure
    from ..plotting import save_figure
    from ..propagate import propagate
    from ..timeutil import timescale
    extent = parse_region(region)
    sats = _select(names, False)
    rule, sats, _ = access_rule(sats, _radio_unless_asked(access, min_elevation, mask),
                                _rule(min_elevation, mask), max_off_nadir, min_sun)
    t = timescale().from_datetime(when)
    prop = propagate(sats, t.ts.tt_jd([t.tt]))
    for m in prop.warnings():
        _warn(m)
    fig = footprint_figure(prop, rule, extent, sites=load_sites().values())
    save_figure(fig, output, dpi=dpi)
    click.echo(f"wrote {output}")
