"""Beyond the fleet: ``geo-belt`` (the geostationary neighbourhood) and ``design`` (what-if
constellations)."""

from __future__ import annotations

import click

from orbitview.util.errors import UsageError
from orbitview.access.imaging import imaging_rule
from orbitview.products.text import emit
from orbitview.util.timeutil import iso
from orbitview.cli import common, coverage, messages, options, params, session
from orbitview.cli.common import cli

WITHIN_DEG = params.Number("deg", min=0.0, min_open=True, max=180.0, example="5")
ELEMENTS_FILE = params.InputFile("give a TLE/3LE or OMM file, e.g. a CelesTrak GROUP=geo "
                                 "download.")


@cli.command("geo-belt")
@click.option("--around", default="PakSat-MM1", show_default=True,
              help="Reference: an object (name, NORAD number, COSPAR id or orbitview record) "
                   "or a longitude such as 38.2E, 70W or -70.")
@click.option("--within", "within_deg", type=WITHIN_DEG, default=5.0, show_default=True,
              help="Half-width of the longitude window (deg).")
@options.time_option("--at", "when", type=options.TIME, default=None,
              help="Time of the survey (ISO 8601). Default: the newest epoch of the "
                   "catalogue, where every set is fresh.")
@click.option("--elements", "elements_file", type=ELEMENTS_FILE, default=None,
              help="GEO catalogue to survey (TLE/3LE/OMM). Default: the bundled CelesTrak "
                   "GROUP=geo file (574 objects, May 2026).")
@click.option("-o", "--output", type=params.FIGURE,
              help="Figure: longitude x inclination, labelled (.png, .svg, .pdf).")
@click.option("--timeline", type=params.FIGURE,
              help="Figure: mean longitude of the reference and its neighbours within 1 deg "
                   "across their element history.")
@click.option("--dpi", type=params.DPI, default=150, show_default=True)
@options.FORMAT_OPTION
@options.WIDE_OPTION
@options.TZ
def geo_belt(around, within_deg, when, elements_file, output, timeline, dpi, fmt, wide):
    """Who shares the geostationary arc near a slot: longitude, drift, station-keeping."""
    from orbitview.products.geobelt_plot import plot_belt, plot_slot_history
    from orbitview.studies.geobelt import STATUS_TEXT, load_belt, survey
    from orbitview.products.plotting import save_figure
    catalog = session.catalog()
    belt = load_belt(elements_file, catalog)
    at = when or belt.epochs[1].replace(microsecond=0)
    ref, rows, warnings = survey(belt, at, around, within_deg, catalog)
    for w in warnings:
        messages.warn(w)
    if output:
        save_figure(plot_belt(ref, rows, within_deg, at, belt, warnings), output, dpi=dpi)
        click.echo(f"orbitview: wrote {output}", err=True)
    if timeline:
        near = [r["norad_id"] for r in rows if abs(r["separation_deg"]) <= 1.0]
        objects = [belt.by_norad(n) for n in near]
        objects.sort(key=lambda o: (o.norad_id != ref.norad_id, -len(o.history)))
        save_figure(plot_slot_history(objects, ref, at, belt), timeline, dpi=dpi)
        click.echo(f"orbitview: wrote {timeline}", err=True)
    columns = ["name", "norad_id", "owner", "mean_lon_deg", "separation_deg", "separation_km",
               "inclination_deg", "eccentricity", "drift_deg_per_day", "status", "epoch",
               "age_days"]
    headers = {"mean_lon_deg": "lon \u00b0E", "separation_deg": "sep \u00b0",
               "separation_km": "sep km", "inclination_deg": "incl \u00b0",
               "eccentricity": "ecc", "drift_deg_per_day": "drift \u00b0/d",
               "norad_id": "NORAD", "age_days": "age d"}
    full = ["name", "norad_id", "cospar_id", "record", "owner", "mean_lon_deg",
            "separation_deg", "separation_km", "inclination_deg", "lat_excursion_deg",
            "eccentricity", "drift_deg_per_day", "status", "epoch_utc", "age_days",
            "position", "reference", "owner_source", "elements_source"]
    for r in rows:
        r["epoch"] = f"{r['epoch_utc']:%Y-%m-%d}"
        if r["reference"]:
            r["_style"] = "bold"
    emit(rows, full, fmt, table_columns=columns, headers=headers, wide=wide,
         wide_option=True,
         drop_order=["eccentricity", "owner", "separation_km", "inclination_deg", "epoch",
                     "norad_id", "drift_deg_per_day", "age_days"],   # the age says how good
         styles={"mean_lon_deg": "3", "separation_deg": "3", "separation_km": "0",
                 "inclination_deg": "3", "eccentricity": "5", "drift_deg_per_day": "4",
                 "age_days": "1"},
         title=f"GEO objects within {within_deg:g} deg of {ref.label} "
               f"({ref.lon_deg:.3f} E) at {iso(at)}: {_count_text(rows, ref)}",
         caption="status: " + "; ".join(f"{k}: {v}" for k, v in STATUS_TEXT.items())
                 + ". separation_km: along the geostationary arc. owner: CelesTrak SATCAT "
                   "code where orbitview holds it with a source, else blank. Elements: "
                 + belt.source + ".")


def _count_text(rows, ref) -> str:
    """'PakSat-MM1 and 17 neighbours' (as the figure counts them), or '18' for a longitude."""
    others = sum(not r["reference"] for r in rows)
    if others == len(rows):
        return str(others)
    return f"{ref.label} and {others} neighbour{'s' if others != 1 else ''}"


# --------------------------------------------------------------------------- design

ALTITUDE_KM = params.Number("km", min=160.0, max=3000.0, example="550")
OMM_FILE = params.OutputPath((".json",))
SENSORS_OUT = params.OutputPath((".csv",))


@cli.group(cls=common.OrderedGroup)
def design():
    """What-if constellations: hypothetical element sets (Walker, sun-synchronous), sweeps."""


def _design_options(f):
    f = options.time_option("--epoch", type=options.TIME, default=None,
                     help="Epoch of the generated sets (ISO 8601). Default: today 00:00 UTC.")(f)
    f = click.option("-o", "--output", type=OMM_FILE,
                     help="Write the element sets here as OMM JSON (CelesTrak's fields), "
                          "readable by every command's --elements.")(f)
    f = click.option("--instrument", default=None,
                     help="Give every satellite the imager of this satellite in "
                          "data/sensors.csv (e.g. PRSC-EO1), written with --sensors-out.")(f)
    f = click.option("--sensors-out", type=SENSORS_OUT,
                     help="Write the instrument rows (sensors.csv columns) for --sensors.")(f)
    return options.FORMAT_OPTION(f)


def _finish_design(records, what, output, instrument, sensors_out, fmt):
    from orbitview.util.atomic import atomic_write_text
    from orbitview.orbit.design import design_rows, to_json
    if output:
        atomic_write_text(output, to_json(records))
        click.echo(f"orbitview: wrote {len(records)} HYPOTHETICAL element sets to {output}",
                   err=True)
    if sensors_out or instrument:
        if not (sensors_out and instrument):
            raise UsageError("--instrument and --sensors-out go together: the first names the "
                             "imager to copy, the second the file to write.\nFix: give both, "
                             "e.g. --instrument PRSC-EO1 --sensors-out fleet_sensors.csv.")
        from orbitview.orbit.design import sensor_rows_like
        text, note = sensor_rows_like(records, instrument, session.catalog())
        atomic_write_text(sensors_out, text)
        click.echo(f"orbitview: wrote instrument rows to {sensors_out} ({note})", err=True)
    if not output:
        messages.warn("no file written; give -o FILE.json to keep the element sets.")
    rows = design_rows(records)
    emit(rows, list(rows[0]), fmt,
         table_columns=["name", "norad_id", "period_min", "inclination_deg", "raan_deg",
                        "mean_anomaly_deg"],
         styles={"inclination_deg": "4", "raan_deg": "3", "mean_anomaly_deg": "3",
                 "period_min": "3"},
         title=f"HYPOTHETICAL constellation: {what} ({len(rows)} satellites, epoch "
               f"{rows[0]['epoch_utc']})",
         caption="Generated by orbitview design: not real satellites. SGP4 mean elements, "
                 "circular (eccentricity 0, perigee 0, so mean anomaly = argument of "
                 "latitude), no drag (BSTAR 0); catalog numbers from 990000001 up.")


def _epoch(epoch):
    import datetime as dt
    from orbitview.util.timeutil import now
    return epoch or now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=dt.timezone.utc)


FIRST_LTDN_OPTION = click.option(
    "--first-ltdn", default=None, metavar="HH:MM",
    help="Put the first plane's descending node at this local mean solar time at the epoch "
         "(default: its ascending node at right ascension 0). For inclinations other than "
         "sun-synchronous the local time drifts afterwards.")


def _raan0(first_ltdn, epoch) -> float:
    from orbitview.orbit.design import parse_local_time, raan_for_ltdn_deg
    return 0.0 if first_ltdn is None else raan_for_ltdn_deg(epoch,
                                                             parse_local_time(first_ltdn))


@design.command("walker")
@click.argument("spec")
@click.option("--altitude", "altitude_km", type=ALTITUDE_KM, required=True,
              help="Altitude of the circular orbits above the equatorial radius (km).")
@click.option("--pattern", type=click.Choice(["delta", "star"]), default="delta",
              show_default=True, help="Nodes spread over 360 deg (delta) or 180 deg (star).")
@FIRST_LTDN_OPTION
@_design_options
@options.TZ
def design_walker(spec, altitude_km, pattern, first_ltdn, epoch, output, instrument,
                  sensors_out, fmt):
    """A Walker constellation i:t/p/f, e.g. 53:12/3/1 (12 satellites, 3 planes, phasing 1)."""
    from orbitview.orbit.design import parse_walker, walker
    ws = parse_walker(spec, pattern)
    e = _epoch(epoch)
    records = walker(ws, altitude_km, e, raan0_deg=_raan0(first_ltdn, e))
    _finish_design(records, f"{ws} at {altitude_km:g} km", output, instrument, sensors_out, fmt)


@design.command("sso")
@click.option("--altitude", "altitude_km", type=ALTITUDE_KM, required=True,
              help="Altitude of the circular orbits above the equatorial radius (km).")
@click.option("--ltdn", "ltdn", multiple=True, required=True,
              help="Local mean solar time of the descending node, HH:MM (repeat for more "
                   "planes), e.g. --ltdn 10:30 --ltdn 13:30.")
@click.option("--per-plane", type=params.Number("", min=1, max=1000, integer=True,
                                                example="2"), default=1, show_default=True,
              help="Satellites per plane, equally spaced.")
@_design_options
@options.TZ
def design_sso(altitude_km, ltdn, per_plane, epoch, output, instrument, sensors_out, fmt):
    """Sun-synchronous planes at given local times of the descending node."""
    from orbitview.orbit.design import parse_local_time, sso_inclination_deg, sun_synchronous
    hours = [parse_local_time(t) for t in ltdn]
    e = _epoch(epoch)
    records = sun_synchronous(altitude_km, hours, per_plane, e)
    _finish_design(records, f"sun-synchronous at {altitude_km:g} km "
                            f"(inclination {sso_inclination_deg(altitude_km, e):.3f} deg), "
                            f"descending nodes {', '.join(ltdn)}", output, instrument,
                   sensors_out, fmt)


@design.command("sweep")
@click.option("--altitude", "altitude_km", type=ALTITUDE_KM, default=550.0, show_default=True,
              help="Altitude of every design (km).")
@click.option("--inclination", default="53", show_default=True,
              help="Inclination (deg) of every design, or 'sso' for the sun-synchronous "
                   "inclination at the altitude.")
@click.option("--satellites", "satellites", default="4,8,12,16,24", show_default=True,
              help="Fleet sizes to try (comma-separated).")
@click.option("--planes", "planes", default="1,2,3,4", show_default=True,
              help="Numbers of planes to try (comma-separated); combinations that do not "
                   "divide evenly are skipped.")
@click.option("--instrument", default="PRSC-EO1", show_default=True,
              help="Every satellite gets the imager of this satellite in data/sensors.csv.")
@click.option("--first-ltdn", default="10:30", show_default=True, metavar="HH:MM",
              help="Local mean solar time of the first plane's descending node at the start "
                   "(so designs of one plane are compared in morning light, not by chance).")
@options.time_option("--start", "t0", type=options.TIME, default=None,
              help="Start of the revisit window and epoch of the designs (default: today "
                   "00:00 UTC).")
@click.option("--days", type=params.Number("days", min=0.0, min_open=True, max=366.0,
                                           example="14"), default=14.0, show_default=True)
@click.option("--step", "step_s", type=params.STEP_S, default=30.0, show_default=True,
              help="Seconds between time steps.")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.25, show_default=True,
              help="Grid cell size over Pakistan (deg).")
@coverage.DASK_OPTIONS
@click.option("-o", "--output", type=params.FIGURE,
              help="Figure: revisit against fleet size (.png, .svg, .pdf).")
@options.FORMAT_OPTION
@options.TZ
def design_sweep(altitude_km, inclination, satellites, planes, instrument, first_ltdn, t0, days,
                 step_s, resolution, use_dask, dask_workers, scheduler, output, fmt):
    """Imaging revisit over Pakistan's provinces for Walker designs of growing size."""
    import datetime as dt
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.access.coverage import make_grid
    from orbitview.orbit.design import parse_int_list, sso_inclination_deg
    from orbitview.products.sweep_plot import plot_sweep
    from orbitview.studies.sweep import sweep, sweep_configs
    from orbitview.products.plotting import save_figure
    from orbitview.data.sensors import load_sensors
    start = _epoch(t0)
    end = start + dt.timedelta(days=days)
    catalog = session.catalog()
    if str(inclination).strip().lower() == "sso":
        incl = sso_inclination_deg(altitude_km, start)
    else:
        incl = params.Number("deg", min=0.0, max=180.0, min_open=True, max_open=True,
                             example="53").convert(inclination, None, None)
    specs, skipped = sweep_configs(parse_int_list(satellites, "--satellites"),
                                   parse_int_list(planes, "--planes"), incl)
    for s in skipped:
        messages.warn(f"skipped {s}")
    sensor = load_sensors(catalog).get(catalog.resolve(instrument).norad_id)
    if sensor is None or not sensor.is_imaging:
        raise UsageError(f"{instrument} has no imaging instrument in data/sensors.csv.\n"
                         "Fix: give --instrument PRSS-1, PRSC-EO1, HS-1 or another imager.")
    grid = make_grid(REGIONS["pakistan"], resolution, pakistan_polygon())
    coverage.check_cluster_options(use_dask, dask_workers, scheduler)
    with coverage.engine_for(use_dask, dask_workers, scheduler) as engine:
        rows = sweep(specs, altitude_km, sensor, grid, province_polygons(), start, end,
                     step_s, engine, raan0_deg=_raan0(first_ltdn, start))
    rule = imaging_rule(sensor)
    assumed = ", ".join(rule.assumptions)
    what = (f"Walker designs at {altitude_km:g} km, {incl:.2f} deg, first plane's descending "
            f"node at {first_ltdn} local time at the start, each satellite with "
            f"{sensor.name}'s imager ({rule.describe()})")
    caption = (f"HYPOTHETICAL designs generated by 'orbitview design', not real satellites. "
               f"{what}. Window {start:%Y-%m-%d} + {days:g} days, step {step_s:g} s, grid "
               f"{resolution:g} deg. Revisit counted between imaging opportunities (daylight "
               "and field of regard); longest wait includes the window's ends. "
               + (f"Assumed instrument values: {assumed}." if assumed else ""))
    if output:
        save_figure(plot_sweep(rows, f"HYPOTHETICAL constellations: imaging revisit over "
                                     f"Pakistan against fleet size ({len(specs)} designs)",
                               caption), output)
        click.echo(f"orbitview: wrote {output}", err=True)
    columns = ["design", "satellites", "planes", "region", "mean_revisit_h", "max_revisit_h",
               "first_image_h", "never_imaged_pct", "hypothetical"]
    emit(rows, columns, fmt, table_columns=columns[:-1],
         styles={"mean_revisit_h": "1", "max_revisit_h": "1", "first_image_h": "1"},
         title=f"HYPOTHETICAL constellations: {what}",
         caption=caption)


# --------------------------------------------------------------------------- partners

@cli.command("partners")
@click.argument("names", nargs=-1)
@click.option("--region", default="pakistan", show_default=True,
              help="pakistan (every province) or one province, e.g. Sindh.")
@options.time_option("--start", "t0", type=options.TIME, default="now", show_default=True,
              help="Start of the window (ISO 8601).")
@click.option("--days", type=params.Number("days", min=0.0, min_open=True, max=366.0,
                                           example="14"), default=14.0, show_default=True)
@click.option("--step", "step_s", type=params.STEP_S, default=10.0, show_default=True,
              help="Seconds between time steps.")
@click.option("--resolution", type=params.RESOLUTION_DEG, default=0.1, show_default=True,
              help="Grid cell size (deg).")
@coverage.DASK_OPTIONS
@click.option("-o", "--output", type=params.FIGURE,
              help="Figure: revisit per region, Pakistan's fleet beside fleet + partners.")
@options.FORMAT_OPTION
@options.WIDE_OPTION
@options.sources
@options.SENSORS
def partners(names, region, t0, days, step_s, resolution, use_dask, dask_workers, scheduler,
             output, fmt, wide):
    """How much more often Pakistan's provinces could be imaged with partner satellites.

    PARTNERS are objects of the --elements file (default: CelesTrak's Earth resources
    group, bundled) with instrument rows in the --sensors file (default:
    data/partner_sensors.csv, Gaofen-1/-2/-6); without names, every such object."""
    import datetime as dt
    from orbitview.access.rules import VisibilityRule
    from orbitview.orbit.accuracy import window_summary
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.access.coverage import make_grid
    from orbitview.data.external import CatalogView, ExternalSatellite, Resolver, read_elements_file
    from orbitview.products.partners_plot import plot_comparison
    from orbitview.studies.partners import compare, default_paths, instrument_rows
    from orbitview.products.plotting import save_figure
    from orbitview.data.sensors import load_sensors
    from orbitview.access.imaging import assumption_note, fleet_rule
    bundled_elements, bundled_sensors = default_paths()
    ctx = click.get_current_context()
    element_files = ctx.meta.get(session.META_ELEMENTS) or [bundled_elements]
    sensor_paths = session.sensor_files() or [bundled_sensors]
    base = session.catalog()
    base = getattr(base, "base", base)
    view = CatalogView(base, Resolver(base, [e for f in element_files
                                             for e in read_elements_file(f)]))
    sensors = load_sensors(view, sensor_paths)
    own = load_sensors(base)
    fleet_rule_, fleet, excluded = fleet_rule(base.with_elements(), "imaging", VisibilityRule(),
                                              own)
    if names:
        chosen = view.resolve_many(names)
        for s in chosen:
            if not isinstance(s, ExternalSatellite):
                raise UsageError(f"{s.name} is one of Pakistan's own satellites, not a partner."
                                 "\nFix: name objects of the --elements file, e.g. GAOFEN-1.")
            if s.norad_id not in sensors:
                raise UsageError(f"{s.name} ({s.norad_id}) has no instrument row in "
                                 f"{', '.join(map(str, sensor_paths))}.\nFix: add one (the "
                                 "columns of data/sensors.csv, every value with its basis).")
    else:
        chosen = [e for e in view.resolver.extra if e.norad_id in sensors]
    all_rule, used, left = fleet_rule(list(fleet) + list(chosen), "imaging", VisibilityRule(),
                                      sensors)
    partner_sats = [s for s in used if isinstance(s, ExternalSatellite)]
    for s, why in left:
        if isinstance(s, ExternalSatellite):
            messages.warn(f"partner {s.name} left out: {why}")
    key = region.strip().lower()
    provinces = province_polygons()
    if key == "pakistan":
        extent, polygon, polygons = REGIONS["pakistan"], pakistan_polygon(), provinces
    else:
        match = {k.lower(): k for k in provinces}
        if key not in match:
            raise UsageError(f"--region {region!r} is neither pakistan nor a province.\n"
                             f"Fix: give one of pakistan, {', '.join(provinces)}.")
        polygon = provinces[match[key]]
        w, s_, e, n = polygon.bounds
        extent = (w - 0.2, e + 0.2, s_ - 0.2, n + 0.2)
        polygons = {match[key]: polygon}
    grid = make_grid(extent, resolution, polygon)
    start, end = t0, t0 + dt.timedelta(days=days)
    coverage.check_cluster_options(use_dask, dask_workers, scheduler)
    with coverage.engine_for(use_dask, dask_workers, scheduler) as engine:
        rows = compare(fleet, partner_sats, fleet_rule_, all_rule, grid, polygons, start, end,
                       step_s, engine)
    if key != "pakistan":
        rows = [r for r in rows if r["region"] != "Pakistan"]
    instruments = instrument_rows(partner_sats, sensors)
    names_used = [s.name for s in used]
    note = assumption_note(all_rule, names_used, above=0)
    caption = (f"Window {start:%Y-%m-%d %H:%M} UTC + {days:g} days, step {step_s:g} s, grid "
               f"{resolution:g} deg, imaging access (field of regard and, for optical "
               f"instruments, Sun >= the instrument's minimum). Pakistan's imagers: "
               f"{', '.join(s.name for s in fleet)}. Partners and the basis of their "
               "instrument values: " + "; ".join(f"{r['name']} ({r['basis']})"
                                                 for r in instruments) + ". " + note
               + " " + window_summary(list(fleet) + partner_sats, start, end))
    if output:
        save_figure(plot_comparison(rows, f"Imaging revisit over {', '.join(polygons) if key != 'pakistan' else 'Pakistan'}: "
                                          f"Pakistan's fleet alone and with {len(partner_sats)} "
                                          "partner satellites", caption), output)
        click.echo(f"orbitview: wrote {output}", err=True)
    columns = ["region", "fleet", "satellites", "opportunities_per_day", "mean_revisit_h",
               "max_revisit_h", "first_image_h", "never_imaged_pct", "cells"]
    emit(rows, columns, fmt, table_columns=columns[:8],
         styles={"mean_revisit_h": "1", "max_revisit_h": "1", "first_image_h": "1",
                 "opportunities_per_day": "2", "never_imaged_pct": "1"},
         drop_order=["never_imaged_pct", "first_image_h", "satellites"], wide=wide,
         wide_option=True,
         title=f"Imaging revisit {start:%Y-%m-%d} + {days:g} d: Pakistan's imagers alone and "
               f"with partner satellites",
         caption=caption)
    if fmt == "table":
        emit(instruments, ["name", "norad_id", "kind", "rule", "basis", "instrument_source"],
             "table", title="Partner instruments and the basis of their values")
