"""Seconds per animation frame: blitting the moving artists vs redrawing everything.

Usage::

    python scripts/bench_animate.py [--frames 40]

Builds the animation of ``orbitview animate PRSS-1 PRSC-EO1 HS-1 --region pakistan
--hours 2`` (bundled data, 2026-11-21 04:00 UTC) and renders the same frames both
ways in interleaved pairs; prints the medians and their ratio.  Encoding (GIF or
MP4) is not included; 'orbitview animate' reports the whole cost per frame.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args()
    from orbitview.products.animate import Animation, frames_for
    from orbitview.data.regions import REGIONS
    from orbitview.data.catalog import load_catalog
    sats = load_catalog().resolve_many(["PRSS-1", "PRSC-EO1", "HS-1"])
    start = dt.datetime(2026, 11, 21, 4, tzinfo=dt.timezone.utc)
    movie = Animation(frames_for(sats, start, 2.0, 30.0), REGIONS["pakistan"])
    blit, full = [], []
    for k in range(min(args.frames, len(movie))):
        t = time.perf_counter()
        movie.frame(k)
        blit.append(time.perf_counter() - t)
        t = time.perf_counter()
        movie.frame_full_redraw(k)
        full.append(time.perf_counter() - t)
    b, f = statistics.median(blit), statistics.median(full)
    print(f"{len(blit)} frames of {movie.size[0]}x{movie.size[1]} px")
    print(f"blit (moving artists only): {b:.3f} s per frame (median)")
    print(f"full redraw:                {f:.3f} s per frame (median)")
    print(f"ratio full/blit:            {f / b:.1f}x")
    movie.close()


if __name__ == "__main__":
    main()
