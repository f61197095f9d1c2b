"""Benchmark: orbitview propagation and the track command, side by side in one run.

Usage::

    python scripts/bench_track.py [--repeat 5]

1. orbitview's ``propagate`` (SGP4 + TEME->ITRS through skyfield's frames +
   WGS84 geodetic) against raw ``SatrecArray.sgp4`` on the same inputs, for
   10 satellites x 8,640 steps and 1,000 satellites x 1,440 steps
   (target: at most 1.3x raw).  The satellites are the bundled element sets,
   repeated.
2. End to end: ``orbitview track PRSS-1 PRSC-EO1 PakSat-MM1 -o x.png`` against
   a bare cartopy script that draws the same bundled basemap at the same size
   and dpi, each as a fresh process (target: at most 1.25x).

Timings are medians of ``--repeat`` runs, alternating the two sides so that
machine noise hits both.  Prints ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


BARE_SCRIPT = r'''
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import cartopy
import cartopy.crs as ccrs
import cartopy.feature as cfeature
cartopy.config["pre_existing_data_dir"] = sys.argv[2]
fig = plt.figure(figsize=(13.0, float(sys.argv[3])))
ax = fig.add_axes([0.035, 0.2, 0.93, 0.73], projection=ccrs.PlateCarree(central_longitude=70))
ax.set_global()
ax.add_feature(cfeature.NaturalEarthFeature("cultural", "admin_0_countries", "110m"),
               facecolor="#efeadf", edgecolor="none")
ax.add_feature(cfeature.NaturalEarthFeature("physical", "coastline", "110m"),
               facecolor="none", edgecolor="#6b7b88", linewidth=0.5)
ax.add_feature(cfeature.NaturalEarthFeature("cultural", "admin_0_boundary_lines_land", "110m"),
               facecolor="none", edgecolor="#555555", linewidth=0.4)
fig.savefig(sys.argv[1], dpi=150)
'''


def bench_propagation(n_sat: int, n_time: int, repeat: int) -> tuple[float, float]:
    from sgp4.api import SatrecArray
    from orbitview.catalog import load_catalog
    from orbitview.propagate import propagate, sgp4_jd
    from orbitview.timeutil import time_grid
    catalog = load_catalog()
    latest = [s.latest for s in catalog.with_elements()]
    histories = [[latest[i % len(latest)]] for i in range(n_sat)]
    start = dt.datetime(2026, 9, 7, tzinfo=dt.timezone.utc)
    step = 86400.0 / n_time if n_time >= 1440 else 60.0
    t = time_grid(start, start + dt.timedelta(seconds=step * (n_time - 1)), step)
    assert len(t) == n_time
    jd, fr = sgp4_jd(t)
    raw_array = SatrecArray([h[0].satrec for h in histories])
    raw, ours = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        raw_array.sgp4(jd, fr)
        raw.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = propagate(histories, t)
        ours.append(time.perf_counter() - t0)
    assert result.lat_deg.shape == (n_sat, n_time)
    return statistics.median(raw), statistics.median(ours)


def bench_end_to_end(repeat: int) -> tuple[float, float]:
    from orbitview.basemap import BASEMAP_DIR
    tmp = Path(tempfile.mkdtemp())
    bare = tmp / "bare.py"
    bare.write_text(BARE_SCRIPT)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    # Same figure height as the track figure with three caption lines (+ warning line).
    height = str(6.9 + 0.26 * 5 + 0.15)
    ours_cmd = [sys.executable, "-m", "orbitview", "track", "PRSS-1", "PRSC-EO1", "PakSat-MM1",
                "--at", "2026-09-07T00:00:00Z", "-o", str(tmp / "ours.png")]
    bare_cmd = [sys.executable, str(bare), str(tmp / "bare.png"), str(BASEMAP_DIR), height]
    bare_t, ours_t = [], []
    for _ in range(repeat):
        for cmd, sink in ((bare_cmd, bare_t), (ours_cmd, ours_t)):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            sink.append(time.perf_counter() - t0)
    return statistics.median(bare_t), statistics.median(ours_t)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"orbitview track benchmarks, median of {args.repeat} (machine: {os.cpu_count()} CPUs)")
    for n_sat, n_time in ((10, 8640), (1000, 1440)):
        raw, ours = bench_propagation(n_sat, n_time, args.repeat)
        print(f"propagate {n_sat:>5} sats x {n_time:>5} steps: raw SatrecArray.sgp4 "
              f"{raw * 1e3:8.1f} ms, orbitview (SGP4 + ITRS + geodetic) {ours * 1e3:8.1f} ms, "
              f"ratio {ours / raw:5.2f}x (target <= 1.30x)")
    bare, ours = bench_end_to_end(max(3, args.repeat // 2 + 1))
    print(f"end to end: bare cartopy basemap script {bare:6.2f} s, orbitview track "
          f"{ours:6.2f} s, ratio {ours / bare:5.2f}x (target <= 1.25x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
