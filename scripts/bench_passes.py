"""Benchmark: pass search against skyfield's find_events, side by side in one run.

Usage::

    python scripts/bench_passes.py [--repeat 7]

8 LEO orbits x 7 days over Islamabad, minimum elevation 10 deg: orbitview's
``find_passes`` (all satellites in one search) against skyfield's
``EarthSatellite.find_events`` on the same element sets (the set nearest the
start, as orbitview uses there), twice: ``find_passes`` called once per satellite
(target: at most 0.6x skyfield) and once for all of them (target: at most 0.35x).  Runs
alternate between the two and the ratio is the median of the paired ratios.

Then checks the result: the same passes as skyfield, and AOS, LOS and TCA
within 0.1 s of a brute force that samples the elevation every second
(interpolated between samples; TCA from a parabola through the best three).
Times are CPU time of this process (the machine is shared: CPU time does not count
waiting for other work).  Prints times and ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_coverage import satellites  # noqa: E402
from paired import paired  # noqa: E402

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 7, tzinfo=UTC)
DAYS = 7


def skyfield_search(sats, site, start, end):
    from skyfield.api import EarthSatellite, wgs84

    from orbitview.util.timeutil import timescale
    ts = timescale()
    topos = wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    t0, t1 = ts.from_datetime(start), ts.from_datetime(end)
    rises = []
    for s in sats:
        es = min(s.elements, key=lambda e: abs(e.age_days(start)))
        t, events = EarthSatellite.from_satrec(es.satrec, ts).find_events(
            topos, t0, t1, altitude_degrees=10.0)
        rises.append(np.sort(t.tt[events == 0]))
    return rises


def brute_force(sat, site, start, days):
    """(aos, los, tca) seconds of every pass from the elevation sampled each second."""
    from orbitview.access.rules import look_angles
    from orbitview.data.sites import enu_basis
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    enu = enu_basis([site.lat_deg], [site.lon_deg])
    el = []
    for d in range(days):
        t = time_grid(start + dt.timedelta(days=d), start + dt.timedelta(days=d + 1), 1.0)
        xyz = propagate([sat], t).itrs_km[:, 0, :]
        el.append(look_angles(site.itrs_km[:, None], enu, xyz)[1][:-1 if d < days - 1 else None])
    el = np.concatenate(el)
    sec = np.arange(len(el), dtype=float)
    f = el - 10.0
    up = f >= 0
    k = np.flatnonzero(up[1:] != up[:-1])
    cross = sec[k] + f[k] / (f[k] - f[k + 1])
    rises, sets = list(cross[up[k + 1]]), list(cross[~up[k + 1]])
    if up[0]:
        rises.insert(0, 0.0)
    if up[-1]:
        sets.append(sec[-1])
    tca = []
    for a, b in zip(rises, sets):
        j = int(np.ceil(a)) + int(np.argmax(el[int(np.ceil(a)):int(b) + 1]))
        if 0 < j < len(el) - 1:
            f0, f1, f2 = el[j - 1:j + 2]
            tca.append(j + 0.5 * (f0 - f2) / (f0 - 2 * f1 + f2))
        else:
            tca.append(float(j))
    return np.array(rises), np.array(sets), np.array(tca)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    from orbitview.access.passes import find_passes
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.sites import parse_site
    sats = [s for s in satellites() if not s.latest.is_deep_space]
    site = parse_site("Islamabad")
    rule = VisibilityRule(10.0)
    end = START + dt.timedelta(days=DAYS)
    from orbitview.orbit.backend import backend_name
    one, _, rises = paired(lambda: [find_passes(s, site, START, end, rule) for s in sats],
                           lambda: skyfield_search(sats, site, START, end), args.repeat)
    runs, rows, rises = paired(lambda: find_passes(sats, site, START, end, rule),
                               lambda: skyfield_search(sats, site, START, end), args.repeat)
    print(f"pass search, {len(sats)} LEO orbits x {DAYS} days over Islamabad, "
          f"median of {args.repeat} paired runs; SGP4 back end: {backend_name()}")
    print(f"  orbitview find_passes, one call per satellite {one.median('ours') * 1e3:6.1f} ms; "
          f"skyfield find_events {one.median('reference') * 1e3:6.1f} ms; orbitview / skyfield "
          f"{one.ratio:.2f}x (target <= 0.60x)")
    print(f"  orbitview find_passes, one call for all {runs.median('ours') * 1e3:6.1f} ms "
          f"({len(rows)} passes); skyfield find_events {runs.median('reference') * 1e3:6.1f} ms "
          f"({sum(len(r) for r in rises)} rises); orbitview / skyfield {runs.ratio:.2f}x "
          "(target <= 0.35x)")
    worst = {"aos": 0.0, "los": 0.0, "tca": 0.0}
    same = True
    for sat, sky_rises in zip(sats, rises):
        mine = find_passes(sat, site, START, end, rule)
        aos, los, tca = brute_force(sat, site, START, DAYS)
        same &= len(mine) == len(aos) == len(sky_rises)
        for row, a, b, c in zip(mine, aos, los, tca):
            for key, ref in (("aos", a), ("los", b), ("tca", c)):
                got = (row[f"{key}_utc"] - START).total_seconds()
                worst[key] = max(worst[key], abs(got - ref))
    print(f"  same passes as skyfield and the 1 s brute force: {'yes' if same else 'NO'}; "
          "largest difference from the brute force: "
          + ", ".join(f"{k.upper()} {v:.3f} s" for k, v in worst.items()) + " (target <= 0.1 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
