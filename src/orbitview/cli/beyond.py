"""Beyond the fleet: ``geo-belt`` (the geostationary neighbourhood), ``partners`` (partner
imagers) and ``design`` (what-if constellations)."""

from __future__ import annotations

import click

from orbitview.cli import common, coverage, messages, options, params, session
from orbitview.cli.common import cli
from orbitview.products.text import emit
from orbitview.util.errors import UsageError

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
    """Who shares the geostationary arc near a slot: longitude, drift, station-keeping.

    \b
    Examples:
      orbitview geo-belt
      orbitview geo-belt --around PakSat-MM1 --within 2 --format json
      orbitview geo-belt --around 70E -o belt.png
    """
    from orbitview.api.beyond import geo_belt as answer
    from orbitview.products.plotting import save_figure
    result = answer(around, within_deg, when, geo_catalogue=elements_file,
                    catalog=session.catalog())
    messages.say(result)
    if output:
        save_figure(result.plot(), output, dpi=dpi)
        click.echo(f"orbitview: wrote {output}", err=True)
    if timeline:
        save_figure(result.plot_slot_history(), timeline, dpi=dpi)
        click.echo(f"orbitview: wrote {timeline}", err=True)
    columns = ["name", "norad_id", "owner", "mean_lon_deg", "separation_deg", "separation_km",
               "inclination_deg", "eccentricity", "drift_deg_per_day", "status", "epoch",
               "age_days"]
    headers = {"mean_lon_deg": "lon \u00b0E", "separation_deg": "sep \u00b0",
               "separation_km": "sep km", "inclination_deg": "incl \u00b0",
               "eccentricity": "ecc", "drift_deg_per_day": "drift \u00b0/d",
               "norad_id": "NORAD", "age_days": "age d"}
    rows = [{**r, "epoch": f"{r['epoch_utc']:%Y-%m-%d}",
             **({"_style": "bold"} if r["reference"] else {})} for r in result.rows]
    emit(rows, result.columns, fmt, table_columns=columns, headers=headers, wide=wide,
         wide_option=True,
         drop_order=["eccentricity", "owner", "separation_km", "inclination_deg", "epoch",
                     "norad_id", "drift_deg_per_day", "age_days"],   # the age says how good
         styles={"mean_lon_deg": "3", "separation_deg": "3", "separation_km": "0",
                 "inclination_deg": "3", "eccentricity": "5", "drift_deg_per_day": "4",
                 "age_days": "1"},
         title=result.summary(),
         caption=result.caption())


# --------------------------------------------------------------------------- design

ALTITUDE_KM = params.Number("km", min=160.0, max=3000.0, example="550")
OMM_FILE = params.OutputPath((".json",))
SENSORS_OUT = params.OutputPath((".csv",))


@cli.group(cls=common.OrderedGroup)
def design():
    """What-if constellations: hypothetical element sets (Walker, sun-synchronous), sweeps.

    \b
    Examples:
      orbitview design walker 53:12/3/1 --altitude 550 -o walker.json
      orbitview design sso --altitude 600 --ltdn 10:30 --ltdn 13:30
    """


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
    return options.FORMAT_OPTION(options.WIDE_OPTION(f))


def _finish_design(design, output, instrument, sensors_out, fmt, wide=False):
    from orbitview.api.beyond import DESIGN_TABLE_COLUMNS
    from orbitview.util.atomic import atomic_write_text
    if output:
        atomic_write_text(output, design.to_json())
        click.echo(f"orbitview: wrote {len(design.rows)} HYPOTHETICAL element sets to {output}",
                   err=True)
    if sensors_out or instrument:
        if not (sensors_out and instrument):
            raise UsageError("--instrument and --sensors-out go together: the first names the "
                             "imager to copy, the second the file to write.\nFix: give both, "
                             "e.g. --instrument PRSC-EO1 --sensors-out fleet_sensors.csv.")
        text, note = design.instrument_rows(instrument, catalog=session.catalog())
        atomic_write_text(sensors_out, text)
        click.echo(f"orbitview: wrote instrument rows to {sensors_out} ({note})", err=True)
    if not output:
        messages.warn("no file written; give -o FILE.json to keep the element sets.")
    emit(design.rows, design.columns, fmt, wide=wide, wide_option=True,
         table_columns=DESIGN_TABLE_COLUMNS,
         styles={"inclination_deg": "4", "raan_deg": "3", "mean_anomaly_deg": "3",
                 "period_min": "3"},
         title=design.summary(),
         caption="Generated by orbitview design: not real satellites. SGP4 mean elements, "
                 "circular (eccentricity 0, perigee 0, so mean anomaly = argument of "
                 "latitude), no drag (BSTAR 0); catalog numbers from 990000001 up.")


FIRST_LTDN_OPTION = click.option(
    "--first-ltdn", default=None, metavar="HH:MM",
    help="Put the first plane's descending node at this local mean solar time at the epoch "
         "(default: its ascending node at right ascension 0). For inclinations other than "
         "sun-synchronous the local time drifts afterwards.")


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
                  sensors_out, fmt, wide):
    """A Walker constellation i:t/p/f, e.g. 53:12/3/1 (12 satellites, 3 planes, phasing 1).

    \b
    Examples:
      orbitview design walker 53:12/3/1 --altitude 550
      orbitview design walker 98:6/2/1 --altitude 600 -o fleet.json --instrument PRSC-EO1 --sensors-out fleet_sensors.csv
    """  # noqa: E501 (examples run as printed)
    from orbitview.api.beyond import walker
    design = walker(spec, altitude_km, epoch, pattern=pattern, first_ltdn=first_ltdn)
    _finish_design(design, output, instrument, sensors_out, fmt, wide)


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
def design_sso(altitude_km, ltdn, per_plane, epoch, output, instrument, sensors_out, fmt,
               wide):
    """Sun-synchronous planes at given local times of the descending node.

    \b
    Examples:
      orbitview design sso --altitude 550 --ltdn 10:30 --ltdn 13:30 --per-plane 2
      orbitview design sso --altitude 600 --ltdn 10:30 -o sso.json
    """
    from orbitview.api.beyond import sun_synchronous
    design = sun_synchronous(altitude_km, list(ltdn), per_plane, epoch)
    _finish_design(design, output, instrument, sensors_out, fmt, wide)


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
@click.option("--target-revisit-h", "target_revisit_h",
              type=params.Number("h", min=0.0, min_open=True, max=8784.0, example="24"),
              default=24.0, show_default=True,
              help="Revisit asked for: a design meets it when every cell of the region is "
                   "imaged at least this often (longest wait, window's ends included).")
@coverage.DASK_OPTIONS
@click.option("-o", "--output", type=params.FIGURE,
              help="Figure: revisit against fleet size (.png, .svg, .pdf).")
@options.FORMAT_OPTION
@options.WIDE_OPTION
@options.TZ
def design_sweep(altitude_km, inclination, satellites, planes, instrument, first_ltdn, t0, days,
                 step_s, resolution, target_revisit_h, use_dask, dask_workers, scheduler,
                 output, fmt, wide):
    """Imaging revisit over Pakistan's provinces for Walker designs of growing size, and
    which meet a revisit target.

    \b
    Examples:
      orbitview design sweep --satellites 4,8 --planes 1,2 --days 1 --resolution 1
      orbitview design sweep --inclination sso --satellites 2,4 --planes 1,2 --days 1 --resolution 1 --format json
    """  # noqa: E501 (examples run as printed)
    from orbitview.api.beyond import design_sweep as answer
    from orbitview.orbit.design import parse_int_list
    from orbitview.products.plotting import save_figure
    if str(inclination).strip().lower() != "sso":
        ctx = click.get_current_context()
        option = next(p for p in ctx.command.params if p.name == "inclination")
        inclination = params.Number("deg", min=0.0, max=180.0, min_open=True, max_open=True,
                                    example="53").convert(inclination, option, ctx)
    fleet_sizes = parse_int_list(satellites, "--satellites")
    plane_counts = parse_int_list(planes, "--planes")
    coverage.check_cluster_options(use_dask, dask_workers, scheduler)
    with coverage.engine_for(use_dask, dask_workers, scheduler) as engine, \
            coverage.progress_bar("design sweep") as progress:
        result = answer(altitude_km, inclination, fleet_sizes, plane_counts,
                        instrument=instrument, first_ltdn=first_ltdn, start=t0, days=days,
                        step_s=step_s, resolution_deg=resolution,
                        target_revisit_h=target_revisit_h, engine=engine,
                        catalog=session.catalog(), progress=progress)
    messages.say(result)
    if output:
        save_figure(result.plot(), output)
        click.echo(f"orbitview: wrote {output}", err=True)
    columns = ["design", "satellites", "planes", "region", "mean_revisit_h", "max_revisit_h",
               "first_image_h", "never_imaged_pct", "meets_target"]
    emit(result.rows, result.columns, fmt, table_columns=columns, wide=wide, wide_option=True,
         headers={"meets_target": "meets target"},
         styles={"mean_revisit_h": "1", "max_revisit_h": "1", "first_image_h": "1"},
         title=result.meta["title"], caption=result.meta["caption"])
    line = result.target_text()            # which designs meet the target, the smallest
    if line and fmt == "table":
        from orbitview.products.text import fill_words, terminal_width
        click.echo(fill_words(line, max(terminal_width(), 40)))
    elif line:
        messages.note(line)                # stdout stays the CSV or JSON


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
    data/partner_sensors.csv, Gaofen-1/-2/-6); without names, every such object.

    \b
    Examples:
      orbitview partners --region Sindh --days 1 --resolution 0.5
      orbitview partners GAOFEN-1 GAOFEN-6 --region Punjab --days 1 --resolution 0.5 --format csv
    """
    from orbitview.api.beyond import INSTRUMENT_COLUMNS
    from orbitview.api.beyond import partners as answer
    from orbitview.products.plotting import save_figure
    ctx = click.get_current_context()
    coverage.check_cluster_options(use_dask, dask_workers, scheduler)
    with coverage.engine_for(use_dask, dask_workers, scheduler) as engine, \
            coverage.progress_bar("partners") as progress:
        result = answer(list(names) or None, region, t0, days=days, step_s=step_s,
                        resolution_deg=resolution, engine=engine,
                        elements=ctx.meta.get(session.META_ELEMENTS),
                        sensors=session.sensor_files(), catalog=session.catalog(),
                        progress=progress)
    messages.say(result)
    if output:
        save_figure(result.plot(), output)
        click.echo(f"orbitview: wrote {output}", err=True)
    emit(result.rows, result.columns, fmt, table_columns=result.columns[:8],
         styles={"mean_revisit_h": "1", "max_revisit_h": "1", "first_image_h": "1",
                 "opportunities_per_day": "2", "never_imaged_pct": "1"},
         drop_order=["never_imaged_pct", "first_image_h", "satellites"], wide=wide,
         wide_option=True, title=result.meta["title"], caption=result.meta["caption"])
    if fmt == "table":
        emit(result.instruments, INSTRUMENT_COLUMNS, "table",
             title="Partner instruments and the basis of their values")
