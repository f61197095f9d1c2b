"""A whole catalogue at one time: 10,395 Starlink objects, orbitview against skyfield.

    python scripts/bench_catalogue.py [--repeat 9]

Every side gives WGS84 latitude, longitude and height of all objects at one instant:

* orbitview: ``propagate`` (element sets as read from the file, SGP4 through
  sgp4's ``SatrecArray``, TEME -> ITRS, geodetic), the call every command makes;
* skyfield's vectorised path: one ``SatrecArray.sgp4`` call for all objects
  (skyfield's ``EarthSatellite`` works one object at a time), positions turned
  into GCRS with skyfield's ``TEME`` frame and into latitude, longitude and
  height by ``wgs84`` on the array of positions;
* skyfield one object at a time (``EarthSatellite.at`` and ``wgs84.subpoint_of``
  per object), what most scripts do, timed once.

CPU time of this process, medians of paired runs (scripts/paired.py); the target
is orbitview / skyfield's vectorised path <= 0.5 (and under 50 ms).  orbitview's SGP4
arrays are cached per element sets (what a web map, ``now --watch`` or an animation
gets from its second call on); the first call, which builds them, is timed too.  The
positions are checked against each other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from paired import cpu_seconds, paired  # noqa: E402

CATALOGUE = Path(__file__).resolve().parent / "data" / "starlink.tle"
TARGET_MS = 50.0
TARGET_RATIO = 0.5


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    from sgp4.api import SatrecArray
    from skyfield.api import EarthSatellite, wgs84
    from skyfield.functions import mxv
    from skyfield.positionlib import build_position
    from skyfield.sgp4lib import TEME

    from orbitview.data.external import read_elements_file
    from orbitview.orbit.frames import sgp4_jd
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale

    sats = read_elements_file(CATALOGUE)
    ts = timescale()
    t = ts.utc(2026, 6, 1, 0, 0, [0.0])
    t1 = ts.utc(2026, 6, 1, 0, 0, 0.0)
    satrecs = [s.elements[-1].satrec for s in sats]

    def ours():
        p = propagate(sats, t)
        return p.lat_deg[:, 0], p.lon_deg[:, 0], p.altitude_km[:, 0]

    def skyfield_vectorised():
        jd, fr = sgp4_jd(t)
        e, r, _ = SatrecArray(satrecs).sgp4(jd, fr)              # (n, 1, 3) km, TEME
        # The rotation transposed (TEME to GCRS), as skyfield does with its _T.
        r_gcrs = mxv(np.swapaxes(TEME.rotation_at(t1), 0, 1), r[:, 0, :].T)   # (3, n) km
        pos = build_position(r_gcrs / 149597870.7, center=399, t=t1)
        lat, lon = wgs84.latlon_of(pos)
        return lat.degrees, lon.degrees, wgs84.height_of(pos).km

    from orbitview.orbit.backend import backend_name
    from orbitview.orbit.sgp4run import clear_cache
    print(f"SGP4 back end: {backend_name()}")

    def ours_cold():
        clear_cache()
        return ours()

    cold, _, _ = paired(ours_cold, skyfield_vectorised, args.repeat)
    result, mine, theirs = paired(ours, skyfield_vectorised, args.repeat)
    dlat = np.nanmax(np.abs(mine[0] - theirs[0]))
    dlon = np.nanmax(np.abs((mine[1] - theirs[1] + 180) % 360 - 180))
    print(f"{len(sats):,} objects at one time (CPU time, median of {args.repeat} paired runs)")
    print(f"  orbitview propagate        : {result.median('ours') * 1000:7.1f} ms   "
          f"target < {TARGET_MS:g} ms: "
          f"{'met' if result.median('ours') * 1000 < TARGET_MS else 'MISSED'}")
    print(f"  skyfield, vectorised path  : {result.median('reference') * 1000:7.1f} ms")
    print(f"  orbitview / skyfield       : {result.ratio:.2f}x   (target <= {TARGET_RATIO}: "
          f"{'met' if result.ratio <= TARGET_RATIO else 'MISSED'}; positions agree to "
          f"{max(dlat, dlon) * 3600:.3f} arcsec)")
    print(f"  first call (SGP4 arrays built): {cold.median('ours') * 1000:7.1f} ms, "
          f"{cold.ratio:.2f}x skyfield")
    earth = [EarthSatellite(es.line1, es.line2, es.name, ts)
             for es in (s.elements[-1] for s in sats)]
    loop_s, _ = cpu_seconds(lambda: [wgs84.subpoint_of(e.at(t1)) for e in earth])
    print(f"  skyfield, one object at a time: {loop_s * 1000:7.0f} ms "
          f"({loop_s / statistics.median(result.ours):.0f}x orbitview)")


if __name__ == "__main__":
    main()
