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
