"""Beyond the fleet: ``geo-belt`` (the geostationary neighbourhood) and ``design`` (what-if
constellations)."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..output import emit
from ..timeutil import iso
from . import params
from .common import FORMAT_OPTION, _catalog, _Group, _warn, cli

WITHIN_DEG = params.Number("deg", min=0.0, min_open=True, max=180.0, example="5")
ELEMENTS_FILE = params.InputFile("give a TLE/3LE or OMM file, e.g. a CelesTrak GROUP=geo "
                                 "download.")


@cli.command("geo-belt")
@click.option("--around", default="PakSat-MM1", show_default=True,
              help="Reference: an object (name, NORAD number, COSPAR id or orbitview record) "
                   "or a longitude such as 38.2E, 70W or -70.")
@click.option("--within", "within_deg", type=WITHIN_DEG, default=5.0, show_default=True,
              help="Half-width of the longitude window (deg).")
@click.option("--at", "when", type=params.TIME, default=None,
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
@FORMAT_OPTION
def geo_belt(around, within_deg, when, elements_file, output, timeline, dpi, fmt):
    """Who shares the geostationary arc near a slot: longitude, drift, station-keeping."""
    from ..geobelt import STATUS_TEXT, load_belt, plot_belt, plot_slot_history, survey
    from ..plotting import save_figure
    catalog = _catalog()
    belt = load_belt(elements_file, catalog)
    at = when or belt.epochs[1].replace(microsecond=0)
    ref, rows, warnings = survey(belt, at, around, within_deg, catalog)
    for w in warnings:
        _warn(w)
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
    emit(rows, full, fmt, table_columns=columns, headers=headers,
         drop_order=["age_days", "eccentricity", "epoch", "owner", "separation_km",
                     "inclination_deg", "norad_id", "drift_deg_per_day"],
         styles={"mean_lon_deg": "3", "separation_deg": "3", "separation_km": "0",
                 "inclination_deg": "3", "eccentricity": "5", "drift_deg_per_day": "4",
                 "age_days": "1"},
         title=f"GEO objects within {within_deg:g} deg of {ref.label} "
               f"({ref.lon_deg:.3f} E) at {iso(at)}: {len(rows)}",
         caption="status: " + "; ".join(f"{k}: {v}" for k, v in STATUS_TEXT.items())
                 + ". separation_km: along the geostationary arc. owner: CelesTrak SATCAT "
                   "code where orbitview holds it with a source, else blank. Elements: "
                 + belt.source + ".")


# --------------------------------------------------------------------------- design

ALTITUDE_KM = params.Number("km", min=160.0, max=3000.0, example="550")
OMM_FILE = params.OutputPath((".json",))
SENSORS_OUT = params.OutputPath((".csv",))


@cli.group(cls=_Group)
def design():
    """What-if constellations: hypothetical element sets (Walker, sun-synchronous), sweeps."""


def _design_options(f):
    f = click.option("--epoch", type=params.TIME, default=None,
                     help="Epoch of the generated sets (ISO 8601). Default: today 00:00 UTC.")(f)
    f = click.option("-o", "--output", type=OMM_FILE,
                     help="Write the element sets here as OMM JSON (CelesTrak's fields), "
                          "readable by every command's --elements.")(f)
    f = click.option("--instrument", default=None,
                     help="Give every satellite the imager of this satellite in "
                          "data/sensors.csv (e.g. PRSC-EO1), written with --sensors-out.")(f)
    f = click.option("--sensors-out", type=SENSORS_OUT,
                     help="Write the instrument rows (sensors.csv columns) for --sensors.")(f)
    return FORMAT_OPTION(f)


def _finish_design(records, what, output, instrument, sensors_out, fmt):
    from ..atomic import atomic_write_text
    from ..design import design_rows, to_json
    if output:
        atomic_write_text(output, to_json(records))
        click.echo(f"orbitview: wrote {len(records)} HYPOTHETICAL element sets to {output}",
                   err=True)
    if sensors_out or instrument:
        if not (sensors_out and instrument):
            raise UsageError("--instrument and --sensors-out go together: the first names the "
                             "imager to copy, the second the file to write.\nFix: give both, "
                             "e.g. --instrument PRSC-EO1 --sensors-out fleet_sensors.csv.")
        from ..design import sensor_rows_like
        text, note = sensor_rows_like(records, instrument, _catalog())
        atomic_write_text(sensors_out, text)
        click.echo(f"orbitview: wrote instrument rows to {sensors_out} ({note})", err=True)
    if not output:
        _warn("no file written; give -o FILE.json to keep the element sets.")
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
    from ..timeutil import now
    return epoch or now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=dt.timezone.utc)


@design.command("walker")
@click.argument("spec")
@click.option("--altitude", "altitude_km", type=ALTITUDE_KM, required=True,
              help="Altitude of the circular orbits above the equatorial radius (km).")
@click.option("--pattern", type=click.Choice(["delta", "star"]), default="delta",
              show_default=True, help="Nodes spread over 360 deg (delta) or 180 deg (star).")
@_design_options
def design_walker(spec, altitude_km, pattern, epoch, output, instrument, sensors_out, fmt):
    """A Walker constellation i:t/p/f, e.g. 53:12/3/1 (12 satellites, 3 planes, phasing 1)."""
    from ..design import parse_walker, walker
    ws = parse_walker(spec, pattern)
    records = walker(ws, altitude_km, _epoch(epoch))
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
def design_sso(altitude_km, ltdn, per_plane, epoch, output, instrument, sensors_out, fmt):
    """Sun-synchronous planes at given local times of the descending node."""
    from ..design import parse_local_time, sso_inclination_deg, sun_synchronous
    hours = [parse_local_time(t) for t in ltdn]
    e = _epoch(epoch)
    records = sun_synchronous(altitude_km, hours, per_plane, e)
    _finish_design(records, f"sun-synchronous at {altitude_km:g} km "
                            f"(inclination {sso_inclination_deg(altitude_km, e):.3f} deg), "
                            f"descending nodes {', '.join(ltdn)}", output, instrument,
                   sensors_out, fmt)
