"""Rebuild orbitview's bundled Sun ephemeris: an excerpt of JPL DE421.

Usage::

    pip install skyfield-data==7.0.0        # carries JPL's de421.bsp (16.8 MB)
    python scripts/build_ephemeris.py [--source PATH/de421.bsp]

orbitview needs the ephemeris only for the Sun as seen from the Earth (sunlit
flags, Sun elevations, sunrise and sunset), so it ships the segments that give
it (Solar System barycentre -> Earth-Moon barycentre, -> Sun, Earth-Moon
barycentre -> Earth) and the Jupiter and Saturn barycentres that skyfield's
``apparent()`` asks for to bend the light, over the dates it supports, cut
from DE421 by jplephem's own ``excerpt`` tool (``python -m jplephem
excerpt``): about 4.6 MB instead of skyfield-data's 20 MB.  The excerpt keeps
DE421's Chebyshev coefficients unchanged, so positions are the same to the last bit.

Writes ``src/orbitview/data/ephemeris_data/de421_excerpt.bsp`` and
``PROVENANCE.json`` (source package and version, SHA-256 of input and output,
the command, the dates, the licence).  ``orbitview.util.timeutil.SUPPORTED_RANGE_UTC``
must match the dates here (a test checks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.metadata as md
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "orbitview" / "data" / "ephemeris_data"
NAME = "de421_excerpt.bsp"
START, END = "1957/10/01", "2053/10/01"
"""First and last day kept: from the first artificial satellite to just before DE421 ends
(2053-10-09)."""
TARGETS = "3,5,6,10,399"
"""Earth-Moon barycentre, Jupiter and Saturn barycentres, Sun and Earth: all that skyfield
needs for ``earth.at(t).observe(sun).apparent()`` (light deflection by the Sun, Jupiter and
Saturn)."""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="de421.bsp (default: skyfield-data's)")
    args = parser.parse_args()
    source = args.source
    package = "given on the command line"
    if source is None:
        try:
            from skyfield_data import get_skyfield_data_path
        except ImportError:
            sys.exit("skyfield-data is not installed.\n"
                     "Fix: pip install skyfield-data==7.0.0 (or give --source de421.bsp).")
        source = Path(get_skyfield_data_path()) / "de421.bsp"
        package = (f"skyfield-data {md.version('skyfield-data')} (PyPI), "
                   "skyfield_data/data/de421.bsp")
    OUT.mkdir(parents=True, exist_ok=True)
    output = OUT / NAME
    command = [sys.executable, "-m", "jplephem", "excerpt", "--targets", TARGETS, START, END,
               str(source), str(output)]
    listing = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    provenance = {
        "file": NAME,
        "what": "JPL planetary ephemeris DE421 (Folkner, Williams and Boggs 2008, IPN "
                "Progress Report 42-178), segments 0->3, 0->5, 0->6, 0->10 and 3->399 only",
        "source": package,
        "source_sha256": sha256(source),
        "source_bytes": source.stat().st_size,
        "tool": f"jplephem {md.version('jplephem')}: python -m jplephem excerpt --targets "
                f"{TARGETS} {START} {END} de421.bsp {NAME}",
        "start": START.replace("/", "-"),
        "end": END.replace("/", "-"),
        "segments": [line.strip() for line in listing.splitlines() if "Type 2" in line],
        "sha256": sha256(output),
        "bytes": output.stat().st_size,
        "licence": "DE421 is published by NASA's Jet Propulsion Laboratory (Solar System "
                   "Dynamics, https://ssd.jpl.nasa.gov/planets/eph_export.html) for free "
                   "use; skyfield-data, which carries it on PyPI, is MIT-licensed and "
                   "credits the file to JPL.",
        "built_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n")
    print(listing.strip())
    print(f"wrote {output} ({provenance['bytes']:,} bytes, sha256 {provenance['sha256']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
