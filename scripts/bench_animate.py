"""Seconds per animation frame beside one track figure, and peak memory, in one run.

Usage::

    python scripts/bench_animate.py [--repeat 5] [--skip-mp4]

Each job runs in its own Python process (so its peak memory is its own: ``ru_maxrss`` of
the process, and apart that of the ffmpeg it starts); all use the bundled data and fixed
times:

* ``track``: the figure of ``orbitview track --all --region pakistan --at
  2026-11-21T06:00:00Z`` (propagation, figure and the 150 dpi PNG the command saves), made
  ``--repeat`` times in one process; the first (cold: fonts, basemap layers) and the
  median of the others (warm) are printed.
* ``gif 1441``: ``orbitview animate --all --region pakistan --start 2026-11-21T00:00:00Z
  --hours 24 --step 60 -o day.gif``: 1,441 frames, written as drawn;
* ``gif 145``: the same day every 600 s (145 frames), to show that peak memory does not
  grow with the number of frames;
* ``mp4 1441``: the 1,441 frames piped to ffmpeg (its own peak is printed apart).

Seconds per frame are the writer's whole time (drawing, palette, encoding, writing)
divided by the frames, after the figure is laid out (its set-up time is printed apart).
The ratio printed is seconds per frame over the warm track figure: the target is at
most 0.1.  CPU seconds are printed beside wall seconds (an MP4's include ffmpeg's), as
the ratio that holds on a busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRACK_AT = dt.datetime(2026, 11, 21, 6, tzinfo=dt.timezone.utc)
ANIMATE_START = dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)


def child_track(repeat: int, out: Path) -> dict:
    from orbitview.api.figures import track_window
    from orbitview.data.catalog import load_catalog
    from orbitview.data.regions import REGIONS
    from orbitview.orbit.propagate import propagate
    from orbitview.products.maps import track_figure
    from orbitview.products.plotting import save_figure
    sats = load_catalog().with_elements()
    times, cpu = [], []
    for k in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        t, at_index = track_window(TRACK_AT, 45.0, 95.0, 30.0)     # the command's defaults
        prop = propagate(sats, t)
        fig = track_figure(prop, at_index, REGIONS["pakistan"])
        save_figure(fig, out / f"track{k}.png")
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"seconds": times, "cpu_seconds": cpu, "satellites": len(sats)}


def child_animate(kind: str, step_s: float, out: Path) -> dict:
    from orbitview.data.catalog import load_catalog
    from orbitview.data.regions import REGIONS
    from orbitview.data.sites import load_sites
    from orbitview.products.animate import Animation, frames_for, write_gif, write_mp4
    sats = load_catalog().with_elements()
    t0 = time.perf_counter()
    frames = frames_for(sats, ANIMATE_START, 24.0, step_s)
    movie = Animation(frames, REGIONS["pakistan"], sites=load_sites().values())
    set_up = time.perf_counter() - t0
    import resource
    t0, c0 = time.perf_counter(), time.process_time()
    (write_gif if kind == "gif" else write_mp4)(movie, out / f"day.{kind}", 12.0)
    spent, cpu = time.perf_counter() - t0, time.process_time() - c0
    ffmpeg = resource.getrusage(resource.RUSAGE_CHILDREN)        # 0 for a GIF
    n = len(movie)
    return {"frames": n, "size": movie.size, "set_up_s": set_up, "write_s": spent,
            "s_per_frame": spent / n, "cpu_s_per_frame": cpu / n,
            "ffmpeg_cpu_s_per_frame": (ffmpeg.ru_utime + ffmpeg.ru_stime) / n,
            "bytes": (out / f"day.{kind}").stat().st_size}


def run_child(args: list[str]) -> tuple[dict, float, float]:
    """Run this script as a child job; (its JSON answer, its own peak RSS MB, the peak RSS
    MB of the processes it started: ffmpeg)."""
    done = subprocess.run([sys.executable, __file__, "--child", *args], cwd=ROOT,
                          stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench_animate: job {args} failed ({done.returncode})")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer, answer["peak_mb"], answer["children_peak_mb"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-mp4", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import resource
        with tempfile.TemporaryDirectory() as tmp:
            kind = args.child[0]
            answer = child_track(int(args.child[1]), Path(tmp)) if kind == "track" else \
                child_animate(kind, float(args.child[1]), Path(tmp))
        answer["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        answer["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps(answer))
        return

    print(f"bench_animate, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    track, track_mb, _ = run_child(["track", str(args.repeat)])
    cold, warm = track["seconds"][0], statistics.median(track["seconds"][1:])
    warm_cpu = statistics.median(track["cpu_seconds"][1:])
    print(f"track --all --region pakistan ({track['satellites']} satellites, PNG at 150 dpi): "
          f"{cold:.2f} s cold, {warm:.2f} s warm (median of {args.repeat - 1}; CPU "
          f"{warm_cpu:.2f} s); peak {track_mb:.0f} MB")
    jobs = [("gif", 60.0), ("gif", 600.0)] + ([] if args.skip_mp4 else [("mp4", 60.0)])
    for kind, step in jobs:
        a, mb, children = run_child([kind, str(step)])
        w, h = a["size"]
        cpu = a["cpu_s_per_frame"] + a["ffmpeg_cpu_s_per_frame"]
        extra = f", ffmpeg peak {children:.0f} MB" if kind == "mp4" else ""
        whole = (a["set_up_s"] + a["write_s"]) / a["frames"]
        print(f"animate {kind} {a['frames']} frames of {w}x{h} px (step {step:g} s): "
              f"{a['s_per_frame']:.3f} s a frame = {a['s_per_frame'] / warm:.3f} x the warm "
              f"track figure (CPU {cpu:.3f} s = {cpu / warm_cpu:.3f} x); with the set-up "
              f"({a['set_up_s']:.1f} s) {whole:.3f} s a frame; writing {a['write_s']:.0f} s, "
              f"{a['bytes'] / 1e6:.1f} MB; peak {mb:.0f} MB{extra}")


if __name__ == "__main__":
    main()
