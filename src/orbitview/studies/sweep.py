"""Constellation sweeps: imaging revisit over Pakistan for many hypothetical Walker designs."""

from __future__ import annotations

import datetime as dt

from orbitview.access.imaging import imaging_rule
from orbitview.access.revisit import compute_revisit
from orbitview.access.rules import RuleBySatellite
from orbitview.data.external import satellites_from_sets
from orbitview.orbit.design import WalkerSpec, to_sets, walker
from orbitview.util.errors import UsageError


def sweep_configs(satellites: list[int], planes: list[int], inclination_deg: float,
                  pattern: str = "delta") -> tuple[list[WalkerSpec], list[str]]:
    """Every Walker i:t/p/f with t in ``satellites`` and p in ``planes`` dividing t (phasing
    1 when there is more than one plane); the combinations skipped and why."""
    specs, skipped = [], []
    for t in satellites:
        for p in planes:
            if t % p:
                skipped.append(f"{t} satellites in {p} planes (not a whole number per plane)")
                continue
            specs.append(WalkerSpec(inclination_deg, t, p, 1 if p > 1 else 0, pattern))
    if not specs:
        raise UsageError("no combination of --satellites and --planes divides evenly.\n"
                         "Fix: give plane counts that divide the fleet sizes, e.g. "
                         "--satellites 4,8,12 --planes 1,2,4.")
    return specs, skipped


def sweep(specs: list[WalkerSpec], altitude_km: float, sensor, grid, polygons,
          start: dt.datetime, end: dt.datetime, step_s: float, engine=None,
          progress=None, raan0_deg: float = 0.0, hold: bool = True) -> list[dict]:
    """Imaging revisit of each Walker design over ``grid``: one row per design and region.

    Every satellite gets ``sensor``'s imaging rule (an instrument row of sensors.csv);
    ``engine`` runs the coverage engine (here, or on a dask cluster).
    """
    rows = []
    for spec in specs:
        sats = satellites_from_sets(to_sets(walker(spec, altitude_km, start,
                                                   raan0_deg=raan0_deg)),
                                    f"orbitview design ({spec})")
        base = imaging_rule(sensor)
        rule = RuleBySatellite({s.norad_id: base for s in sats})
        rev = compute_revisit(sats, grid, rule, start, end, step_s, daylight=False,
                              progress=progress, engine=engine, hold=hold)
        for r in rev.summary(polygons):
            rows.append({"design": f"{spec.inclination_deg:g}:{spec.total}/{spec.planes}/"
                                   f"{spec.phasing}",
                         "satellites": spec.total, "planes": spec.planes,
                         "region": r["region"], "mean_revisit_h": r["mean_revisit_h"],
                         "max_revisit_h": r["max_revisit_h"],
                         "first_image_h": r["first_image_h"],
                         "never_imaged_pct": r["never_imaged_pct"], "hypothetical": True})
    return rows


# --------------------------------------------------------------------------- targets

COUNTRY_REGIONS = ("Pakistan", "all cells")
"""Region names of a sweep's whole-grid rows (the others are provinces)."""


def meets_target(row: dict, target_revisit_h: float | None) -> bool | None:
    """Whether a sweep row meets a revisit target: every cell of its region imaged within
    the window and the longest wait anywhere in it at most ``target_revisit_h`` hours.
    None when there is no target or the region has no cell to judge."""
    if target_revisit_h is None:
        return None
    if row["max_revisit_h"] is None and row["never_imaged_pct"] is None:
        return None                        # no grid cell in the region

    if row["never_imaged_pct"]:
        return False
    return row["max_revisit_h"] is not None and row["max_revisit_h"] <= target_revisit_h


def smallest_meeting(rows: list[dict], target_revisit_h: float | None) -> dict | None:
    """The whole-country row of the design with the fewest satellites that meets the
    target (between equal sizes: the shorter longest wait, then fewer planes); None when
    no design does."""
    good = [r for r in rows if r["region"] in COUNTRY_REGIONS
            and meets_target(r, target_revisit_h)]
    if not good:
        return None
    return min(good, key=lambda r: (r["satellites"], r["max_revisit_h"], r["planes"]))


def target_text(rows: list[dict], target_revisit_h: float | None) -> str:
    """One line: which designs meet the target over the whole country, the smallest by
    name (or the best when none does)."""
    if target_revisit_h is None:
        return ""
    country = [r for r in rows if r["region"] in COUNTRY_REGIONS]
    met = [r for r in country if meets_target(r, target_revisit_h)]
    wanted = (f"Target: every cell imaged at least every {target_revisit_h:g} h (longest "
              "wait, window's ends included)")
    best = smallest_meeting(rows, target_revisit_h)
    if best is not None:
        return (f"{wanted}: met by {len(met)} of {len(country)} designs; the smallest is "
                f"{best['design']} ({best['satellites']} satellites in {best['planes']} "
                f"plane{'s' if best['planes'] != 1 else ''}, longest wait "
                f"{best['max_revisit_h']:.1f} h).")
    waits = [r for r in country if r["max_revisit_h"] is not None]
    closest = min(waits, key=lambda r: (r["never_imaged_pct"] or 0.0, r["max_revisit_h"]),
                  default=None)
    return (f"{wanted}: met by none of the {len(country)} designs"
            + (f"; the closest is {closest['design']} (longest wait "
               f"{closest['max_revisit_h']:.1f} h" + (
                   f", {closest['never_imaged_pct']:g} % of the area never imaged"
                   if closest["never_imaged_pct"] else "") + ")"
               if closest is not None else "") + ".")
