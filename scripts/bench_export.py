"""Benchmark: `orbitview export swaths --all --hours 24` against `export tracks --all
--hours 24`, side by side in one run.

Both are fresh processes of the installed command (what a user waits for), alternating
(paired runs); the time is the CPU time of each child process, the ratio the median of
the paired ratios.  Target: swaths <= 3x tracks.  Also checks that the swaths file holds
one band piece per 10 minutes of track and satellite band, and says how many.

    python scripts/bench_export.py --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

START = "2026-09-07T00:00:00Z"
TARGET = 3.0


from paired import child_seconds  # noqa: E402  (scripts/ is the script's own directory)

run = child_seconds
"""(CPU seconds, wall seconds) of one child process (scripts/paired.py)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    base = [sys.executable, "-m", "orbitview", "export"]
    common = ["--all", "--start", START, "--hours", "24"]
    swaths = base + ["swaths", *common, "-o", str(tmp / "swaths.geojson")]
    tracks = base + ["tracks", *common, "-o", str(tmp / "tracks.geojson")]
    print(f"bench_export, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, Python "
          f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs, load "
          f"{os.getloadavg()[0]:.1f}")
    run(swaths, env)
    run(tracks, env)                                    # warm the caches for both
    pairs = []
    for _ in range(args.repeat):
        pairs.append((run(swaths, env), run(tracks, env)))
    cpu_s = statistics.median(s[0] for s, _ in pairs)
    cpu_t = statistics.median(t[0] for _, t in pairs)
    ratio = statistics.median(s[0] / t[0] for s, t in pairs)
    pieces = json.loads((tmp / "swaths.geojson").read_text())["features"]
    lines = json.loads((tmp / "tracks.geojson").read_text())["features"]
    print(f"export swaths --all --hours 24: {cpu_s:.2f} s CPU ({len(pieces)} band pieces); "
          f"export tracks --all --hours 24: {cpu_t:.2f} s CPU ({len(lines)} features); "
          f"median of {args.repeat} paired runs")
    print(f"swaths / tracks: {ratio:.2f}x (target <= {TARGET:g}: "
          f"{'met' if ratio <= TARGET else 'MISSED'}; runs "
          f"{min(s[0] / t[0] for s, t in pairs):.2f}-{max(s[0] / t[0] for s, t in pairs):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
