"""Benchmark: how long commands take from a cold process, side by side in one run.

Usage::

    python scripts/bench_startup.py [--repeat 9]

Each command runs as a fresh process, alternating with its reference, and the
ratio is the median of the paired ratios.  Times are the CPU time the child
process used (user + system: the machine is shared, and CPU time does not
count waiting for other work); wall times are printed beside them.  Children
run from compiled bytecode, as an installed package does.

* ``orbitview launches``, ``tle status``, ``look``, ``passes`` (one day)
  against ``orbitview --version`` (target: at most 1.3x): each may import only
  what it uses;
* ``orbitview track PRSS-1 PRSC-EO1 PakSat-MM1 -o x.png`` against a bare
  cartopy script that draws the same bundled basemap at the same size and dpi
  (target: at most 1.15x), twice: as it runs every time but the first (the basemap's
  projected outlines read from orbitview's cache, which the warming run fills) and as
  the first map in a fresh environment draws it (an empty cache each run).

Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

AT = "2026-09-07T00:00:00Z"

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


from paired import child_seconds  # noqa: E402  (scripts/ is the script's own directory)

run = child_seconds
"""(CPU seconds, wall seconds) of one child process (scripts/paired.py)."""


def paired(label: str, ours: list[str], reference: list[str], ref_label: str, target: float,
           repeat: int, env: dict, fresh_user_dirs_in: Path | None = None) -> None:
    def ours_env() -> dict:
        if fresh_user_dirs_in is None:
            return env
        return {**env, "ORBITVIEW_USER_DIR": tempfile.mkdtemp(dir=fresh_user_dirs_in)}
    run(ours, ours_env())
    run(reference, env)                                 # warm the file cache for both
    rows = []
    for _ in range(repeat):
        rows.append((run(ours, ours_env()), run(reference, env)))
    ratio = statistics.median(o[0] / r[0] for o, r in rows)
    cpu_o = statistics.median(o[0] for o, _ in rows)
    cpu_r = statistics.median(r[0] for _, r in rows)
    wall_o = statistics.median(o[1] for o, _ in rows)
    wall_r = statistics.median(r[1] for _, r in rows)
    print(f"{label:<34} {cpu_o:5.2f} s (wall {wall_o:5.2f}); {ref_label} {cpu_r:5.2f} s "
          f"(wall {wall_r:5.2f}); ratio {ratio:4.2f}x (target <= {target:.2f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    from orbitview.data.regions import BASEMAP_DIR
    tmp = Path(tempfile.mkdtemp())
    # As installed: pip compiles every module to bytecode at install time, so the
    # children may write it (to a private cache; the first, warming run fills it)
    # even where PYTHONDONTWRITEBYTECODE is set, as it is on some CI machines.
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPYCACHEPREFIX": str(tmp / "pycache"),
           "ORBITVIEW_USER_DIR": str(tmp / "user")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ov = [sys.executable, "-m", "orbitview"]
    version = ov + ["--version"]
    print(f"start-up, CPU time of fresh processes, median of {args.repeat} paired runs")
    for label, cmd in (
            ("orbitview launches", ["launches"]),
            ("orbitview tle status", ["tle", "status", "--at", AT]),
            ("orbitview look PakSat-MM1", ["look", "PakSat-MM1", "--site", "Karachi",
                                           "--at", AT]),
            ("orbitview passes PRSS-1 (1 day)", ["passes", "PRSS-1", "--site", "Islamabad",
                                                 "--start", AT, "--days", "1"])):
        paired(label, ov + cmd, version, "--version", 1.3, args.repeat, env)
    bare = tmp / "bare.py"
    bare.write_text(BARE_SCRIPT)
    # Same figure height as the track figure with its caption lines.
    height = str(6.9 + 0.26 * 5 + 0.15)
    track = ov + ["track", "PRSS-1", "PRSC-EO1", "PakSat-MM1", "--at", AT, "-o",
                  str(tmp / "ours.png")]
    reference = [sys.executable, str(bare), str(tmp / "bare.png"), str(BASEMAP_DIR), height]
    paired("orbitview track (3 satellites)", track, reference, "bare cartopy", 1.15,
           max(3, args.repeat // 2), env)
    paired("  the same, first map (empty cache)", track, reference, "bare cartopy", 1.15,
           max(3, args.repeat // 2), env, fresh_user_dirs_in=tmp)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
