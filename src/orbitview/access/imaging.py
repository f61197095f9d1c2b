"""Imaging access from the instrument records: each imager's rule, a fleet's rule, and the
notes that name every assumed instrument value a result rests on."""

from __future__ import annotations

from pathlib import Path

from orbitview.access.rules import ImagingRule, RuleBySatellite
from orbitview.data.datadir import data_dir
from orbitview.util.errors import DataError
from orbitview.util.names import names_text


def imaging_rule(sensor, max_off_nadir_deg: float | None = None,
                 min_sun_deg: float | None = None, max_view_zenith_deg: float | None = None):
    """The :class:`~orbitview.access.rules.ImagingRule` of ``sensor`` (a
    :class:`~orbitview.data.sensors.Sensor`).

    ``max_off_nadir_deg`` and ``min_sun_deg`` replace the file's values (a value
    given by the user is no longer listed as assumed).
    """
    if not sensor.is_imaging:
        raise ValueError(f"{sensor.name} has no imaging instrument")
    used = {"swath_km", "gsd_m", "look_sides"}
    sar = sensor.kind.value == "SAR"
    if sar:
        used |= {"incidence_min_deg", "incidence_max_deg"}
    off = sensor["max_off_nadir_deg"]
    if max_off_nadir_deg is not None:
        off = max_off_nadir_deg
    elif off is not None:
        used.add("max_off_nadir_deg")
    sun = sensor["min_sun_elevation_deg"] if sensor.is_optical else None
    if min_sun_deg is not None and sensor.is_optical:
        sun = min_sun_deg
    elif sun is not None:
        used.add("min_sun_elevation_deg")
    incidence = ((sensor["incidence_min_deg"], sensor["incidence_max_deg"]) if sar
                 and sensor["incidence_min_deg"] is not None else None)
    return ImagingRule(name=sensor.name, sensor_kind=sensor.kind.value,
                       max_off_nadir_deg=off, swath_km=sensor["swath_km"],
                       incidence_deg=incidence, sides=sensor["look_sides"] or "both",
                       min_sun_elevation_deg=sun, max_view_zenith_deg=max_view_zenith_deg,
                       assumptions=tuple(sensor.assumed(used)),
                       source=sensor.origin.rsplit(":", 1)[0] if sensor.origin else "")


def fleet_rule(satellites, access: str | None, radio_rule, sensors: dict,
               max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
               max_view_zenith_deg: float | None = None, mixed_default: str = "per-satellite",
               leave_out_damaged: bool = False):
    """The access rule of a run over ``satellites`` and who is left out of it, and why.

    ``access`` is ``"radio"``, ``"imaging"`` or None (the default: imaging for
    satellites with an imaging instrument, radio for the others; with
    ``mixed_default="radio"`` a selection that mixes the two is all radio, as a
    coverage map must mean one thing).  Imaging leaves out satellites without
    an imaging instrument and geostationary ones.  Returns ``(rule, used,
    excluded)`` with ``excluded`` a list of ``(satellite, reason)``.  A satellite whose
    sensors.csv row has a problem raises :class:`DataError` (with ``leave_out_damaged``:
    is left out, the problem its reason).
    """
    imaging, excluded = {}, []
    for sat in satellites:
        sensor = sensors.get(sat.norad_id) or sensors.get(sat.name)
        damaged = sensors.problems_for(sat) if hasattr(sensors, "problems_for") else []
        if damaged and access != "radio":
            if not leave_out_damaged:
                raise DataError(damaged)
            excluded.append((sat, f"{damaged[0].where}: {damaged[0].what}"))
        elif sensor is None or not sensor.is_imaging:
            purpose = sat.record.purpose or "no stated purpose"
            geo = "geostationary, " if _is_geo(sat) else ""
            excluded.append((sat, f"{geo}{purpose}; no imaging instrument in sensors.csv"))
        elif _is_geo(sat):
            excluded.append((sat, "geostationary: imaging access is computed for low orbits"))
        elif max_off_nadir_deg == 0 and not sensor["swath_km"]:
            excluded.append((sat, "nadir-only (--max-off-nadir 0) but its swath is unknown"))
        else:
            imaging[sat.norad_id] = imaging_rule(sensor, max_off_nadir_deg, min_sun_deg,
                                                  max_view_zenith_deg)
    if access is None:
        if not imaging or (excluded and mixed_default == "radio"):
            access = "radio"
        elif not excluded:
            access = "imaging"
        else:
            return RuleBySatellite(imaging, default=radio_rule), list(satellites), []
    if access == "radio":
        return radio_rule, list(satellites), []
    used = [s for s in satellites if s.norad_id in imaging]
    return RuleBySatellite(imaging, excluded={s.norad_id: why for s, why in excluded}), \
        used, excluded


def _is_geo(sat) -> bool:
    return sat.is_geo or (sat.latest is not None and sat.latest.is_deep_space)


COMPACT_ABOVE = 12
"""Lists of assumed values longer than this are written value by value (see below)."""


def compact_assumptions(items, names, above: int = 0) -> str:
    """'PRSS-1 min sun elevation 10°', 'HS-1 min sun elevation 10°' -> 'min sun elevation
    10° (PRSS-1, HS-1)': the assumed values once each, with the satellites they apply to.
    Lists of at most ``above`` items stay as they are ('PRSS-1 min sun elevation 10°, ...')."""
    items = list(items)
    if len(items) <= above:
        return ", ".join(items)
    groups: dict[str, list[str]] = {}
    for item in items:
        owner = max((n for n in names if item.startswith(n + " ")), key=len, default="")
        groups.setdefault(item[len(owner):].strip() if owner else item, []).append(owner)
    return "; ".join(f"{value} ({names_text([o for o in owners if o]).replace(' and ', ', ')})"
                     if any(owners) else value for value, owners in groups.items())


def assumption_sources(rule) -> list[str]:
    """The instrument files the assumed values of ``rule`` come from, data/sensors.csv
    first: bundled files as data/NAME, a --sensors file as the user named it."""
    rules = list(getattr(rule, "rules", {}).values()) or [rule]
    bundled = Path(data_dir())
    out = []
    for r in rules:
        if getattr(r, "assumptions", ()) and getattr(r, "source", ""):
            path = Path(r.source)
            text = f"data/{path.name}" if path.parent == bundled else r.source
            if text not in out:
                out.append(text)
    return sorted(out, key=lambda p: (p != "data/sensors.csv", out.index(p)))


def assumption_note(rule, names=None, above: int = COMPACT_ABOVE) -> str:
    """'Assumed instrument values (not published; see FILES): ...' naming every assumed
    value a result rests on and the files they were read from ('' if none)."""
    items = list(getattr(rule, "assumptions", ()))
    if not items:
        return ""
    if names is None:
        names = [r.name for r in getattr(rule, "rules", {}).values()] or \
            [getattr(rule, "name", "")]
    files = assumption_sources(rule)
    return ("Assumed instrument values (not published"
            + (f"; see {', '.join(files)}" if files else "") + "): "
            + compact_assumptions(items, names, above) + ".")
