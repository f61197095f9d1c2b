"""Beyond the fleet: ``geo-belt`` (the geostationary neighbourhood)."""

from __future__ import annotations

import click

from ..output import emit
from ..timeutil import iso
from . import params
from .common import FORMAT_OPTION, _catalog, _warn, cli

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
