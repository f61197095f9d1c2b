"""Partner satellites: how much more often a province could be imaged with them.

Pakistan is to get access to partners' Earth-observation satellites (China's
Gaofen series is the one named in the cooperation literature).  This module
compares the imaging revisit of Pakistan's own imagers with that of the same
fleet plus partner satellites, province by province, on one grid and one
window, with the same coverage engine and the same kind of access rule.  A
partner is any object of an element file (by default CelesTrak's Earth
resources group, bundled) with an instrument record in the columns of
``data/sensors.csv`` (by default ``data/partner_sensors.csv``), every value
with its basis and source; the comparison names that basis.
"""

from __future__ import annotations

import datetime as dt

from orbitview.access.imaging import imaging_rule
from orbitview.util.errors import UsageError

DEFAULT_ELEMENTS = ("catalogs", "resource.tle")
DEFAULT_SENSORS = "partner_sensors.csv"
BASIS_COLUMNS = (("swath_km", "swath"), ("max_off_nadir_deg", "off-nadir"),
                 ("incidence_min_deg", "incidence"), ("min_sun_elevation_deg", "min sun"),
                 ("gsd_m", "GSD"))


def default_paths():
    """The bundled partner element file and instrument records."""
    from orbitview.data.datadir import data_dir
    base = data_dir()
    return base.joinpath(*DEFAULT_ELEMENTS), base / DEFAULT_SENSORS


def basis_text(sensor) -> str:
    """'published: swath, off-nadir, GSD; assumed: min sun' for an instrument record."""
    groups: dict[str, list[str]] = {}
    if sensor.kind.basis:
        groups.setdefault(sensor.kind.basis, []).append("kind")
    for column, label in BASIS_COLUMNS:
        v = sensor.values.get(column)
        if v is not None and v.value is not None:
            groups.setdefault(v.basis, []).append(label)
    order = ("published", "derived", "assumed")
    return "; ".join(f"{b}: {', '.join(groups[b])}" for b in order if b in groups)


def instrument_rows(partners, sensors) -> list[dict]:
    """One row per partner: the instrument values and the basis of each."""
    rows = []
    for sat in partners:
        s = sensors[sat.norad_id]
        rule = imaging_rule(s)
        rows.append({"name": sat.name, "norad_id": sat.norad_id, "kind": s.kind.value,
                     "swath_km": s["swath_km"], "max_off_nadir_deg": s["max_off_nadir_deg"],
                     "min_sun_elevation_deg": s["min_sun_elevation_deg"], "gsd_m": s["gsd_m"],
                     "rule": rule.describe(), "basis": basis_text(s),
                     "instrument_source": _short_origin(s.origin)})
    return rows


def _short_origin(origin: str) -> str:
    """'/path/to/partner_sensors.csv:2' -> 'partner_sensors.csv:2'."""
    from pathlib import Path
    path, _, line = origin.rpartition(":")
    return f"{Path(path).name}:{line}" if path else origin


def check_fleets(fleet, partners) -> None:
    """Refuse a comparison without an imager of Pakistan's or without a partner."""
    if not fleet:
        raise UsageError("none of Pakistan's satellites can image (no imaging instrument in "
                         "data/sensors.csv with element sets).\nFix: restore data/sensors.csv.")
    if not partners:
        raise UsageError("no partner satellite to add.\nFix: name objects of the --elements "
                         "file that have rows in the --sensors file (e.g. GAOFEN-1).")


def compare(fleet, partners, fleet_rule, all_rule, grid, polygons, start: dt.datetime,
            end: dt.datetime, step_s: float, engine=None, progress=None) -> list[dict]:
    """Imaging revisit per region of ``fleet`` alone and of ``fleet + partners``.

    Returns one row per region and fleet with mean revisit (h), longest wait (h),
    opportunities and time to first image, as :meth:`RevisitResult.summary` gives.
    Either fleet may be empty (satellites not yet launched are left out by the caller:
    see :func:`check_fleets` for what is refused up front).
    """
    from orbitview.access.revisit import compute_revisit
    out = []
    days = (end - start).total_seconds() / 86400.0
    for label, sats, rule in ((f"Pakistan ({len(fleet)} imagers)", fleet, fleet_rule),
                              (f"+ {len(partners)} partners ({len(fleet) + len(partners)})",
                               list(fleet) + list(partners), all_rule)):
        rev = compute_revisit(sats, grid, rule, start, end, step_s, daylight=False,
                              progress=progress, engine=engine)
        for r in rev.summary(polygons):
            out.append({"region": r["region"], "fleet": label, "satellites": len(sats),
                        "cells": r["cells"],
                        "opportunities_per_day": None if r["opportunities"] is None
                        else round(r["opportunities"] / days, 2),
                        "mean_revisit_h": r["mean_revisit_h"],
                        "max_revisit_h": r["max_revisit_h"],
                        "first_image_h": r["first_image_h"],
                        "never_imaged_pct": r["never_imaged_pct"]})
    return out
