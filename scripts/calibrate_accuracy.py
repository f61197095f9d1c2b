"""Fit the constants of orbitview.orbit.accuracy from real CelesTrak pairs; print them.

Pairs: the 2026-05-30 CelesTrak sets of 95 Earth-resources (LEO) and 95
geosynchronous objects (tests/data/accuracy/*_2026-05-30.tle) propagated to the
epochs of their 2026-09-06/07 sets (*_2026-09-0?.tle), compared in the orbit
frame of the newer set.  Run from the repository root:

    python scripts/calibrate_accuracy.py

and copy the printed constants into src/orbitview/accuracy.py.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from orbitview.orbit import accuracy as acc  # noqa: E402
from orbitview.data.elements import parse_tle_text  # noqa: E402
from orbitview.orbit.geohold import is_geosynchronous, station_keeping  # noqa: E402

DATA = ROOT / "tests" / "data" / "accuracy"


def calibration_pairs(group: str) -> list[acc.PairError]:
    """(older, newer) pairs of one group, matched by NORAD number."""
    old_file = DATA / f"{group}_2026-05-30.tle"
    new_file = next(DATA.glob(f"{group}_2026-09-0?.tle"))
    old, p1 = parse_tle_text(old_file.read_text(), old_file)
    new, p2 = parse_tle_text(new_file.read_text(), new_file)
    assert not p1 and not p2, (p1, p2)
    by_id = {es.norad_id: es for es in old}
    return [acc.pair_error(by_id[es.norad_id], es) for es in new if es.norad_id in by_id]


def leo_log_ratios(pairs, floor):
    out = []
    for p in pairs:
        scale = (acc.drag_scale_s_per_day2(p.older) + floor) * p.age_days ** 2
        out.append(math.log10(max(abs(p.timing_s), 0.1) / scale))
    return np.array(out)


def sigma_log10(x):
    """Spread of log10 ratios for a one-sided 90 % bound.

    The ratios have a heavy upper tail, so the larger of the standard deviation and
    the upper-tail spread ((95th percentile - median) / 1.645) is used.
    """
    x = np.asarray(x, float)
    return max(float(np.std(x)), (np.percentile(x, 95) - np.median(x)) / 1.6448536269514722)


def main():
    leo = [p for p in calibration_pairs("resource") if not p.older.is_deep_space]
    best = None
    for floor in (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05):
        r = leo_log_ratios(leo, floor)
        s = sigma_log10(r)
        if best is None or s < best[1]:
            best = (floor, s, float(np.median(r)))
    floor, sigma, med = best
    cross = np.percentile([abs(p.cross_km) / p.age_days for p in leo], 90)
    print(f"LEO pairs: {len(leo)}, ages {min(p.age_days for p in leo):.1f}-"
          f"{max(p.age_days for p in leo):.1f} d; ambiguous (> {acc.ALIAS_FRACTION} period): "
          f"{sum(p.ambiguous for p in leo)}")
    print(f"LEO_F_MEDIAN = {10 ** med:.3g}")
    print(f"LEO_SIGMA_LOG10 = {sigma:.2f}")
    print(f"LEO_DRAG_FLOOR_S_PER_DAY2 = {floor}")
    print(f"LEO_CROSS_KM_PER_DAY_90 = {cross:.2f}")

    geo = [p for p in calibration_pairs("geo")
           if is_geosynchronous(p.older) and is_geosynchronous(p.newer)]
    kept = [p for p in geo if station_keeping([p.older, p.newer]) is not None]
    held = np.log10([acc._held_pair_km(p) / p.age_days for p in kept])
    raw = np.log10([p.total_km / p.age_days ** 2 for p in geo])
    print(f"GEO pairs: {len(geo)} geosynchronous, {len(kept)} station-kept")
    print(f"GEO_HELD_KM_PER_DAY_MEDIAN = {10 ** np.median(held):.3g}")
    print(f"GEO_HELD_SIGMA_LOG10 = {sigma_log10(held):.2f}")
    print(f"GEO_RAW_KM_PER_DAY2_MEDIAN = {10 ** np.median(raw):.3g}")
    print(f"GEO_RAW_SIGMA_LOG10 = {sigma_log10(raw):.2f}")


if __name__ == "__main__":
    main()
