#!/usr/bin/env bash
# Minimum-versions job: orbitview with every runtime dependency at its floor.
#
# Makes a fresh venv with the lowest Python that requires-python allows (pyproject.toml),
# installs orbitview and its test extras with `-c ci/min-constraints.txt` (each runtime
# dependency pinned == its floor; the test tools float), checks that the pins equal the
# pyproject floors and that they are what got installed, and runs the tests below.
#
#   bash ci/min-versions.sh          # from anywhere; 6-8 minutes on 2 busy cores
#   MIN_PYTHON=/path/to/python3.11 bash ci/min-versions.sh
#
# The lowest Python is looked for as $MIN_PYTHON, then pyenv's versions (~/.pyenv or
# $PYENV_ROOT), then python3.X on PATH. Without it the job says so and runs on the
# current python3, which checks the floors on that Python only.
# Compiled dependencies must come as wheels (--only-binary): a floor that only builds
# from source on the lowest Python is a floor users cannot install either.
# As .ci/run does, Debian's chromium and npm are installed with apt-get when missing:
# the CZML tests load the exports in CesiumJS (fetched from the npm registry).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

say() { printf 'ci/min-versions.sh: %s\n' "$*" >&2; }

lowest=$(sed -n 's/^requires-python *= *">=\([0-9]*\.[0-9]*\)".*/\1/p' pyproject.toml)
if [ -z "$lowest" ]; then
    say "cannot read requires-python = \">=X.Y\" from pyproject.toml"
    exit 2
fi

version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true; }

python=""
candidates=("${MIN_PYTHON:-}")
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$lowest".*/bin/python; do
    candidates+=("$p")
done
candidates+=("$(command -v "python$lowest" || true)")
for p in "${candidates[@]}"; do
    if [ -n "$p" ] && [ -x "$p" ] && [ "$(version_of "$p")" = "$lowest" ]; then
        python=$p
        break
    fi
done
if [ -z "$python" ]; then
    python=$(command -v python3 || command -v python)
    say "Python $lowest (the lowest that requires-python allows) was not found; running on"
    say "Python $(version_of "$python") ($python), so the floors are checked on that Python only."
    say "Fix: install Python $lowest (pyenv install $lowest) or set MIN_PYTHON=/path/to/python$lowest."
fi
say "Python $("$python" -c 'import platform; print(platform.python_version())') at $python"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

venv=$(mktemp -d "${TMPDIR:-/tmp}/orbitview-min.XXXXXX")
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv" || {
    say "$python cannot make a venv. Fix: on Debian, apt-get install python$lowest-venv (or set MIN_PYTHON)."
    exit 1
}
py="$venv/bin/python"
"$py" -m pip install -q --upgrade pip
"$py" scripts/fetch_cesium.py

# Compiled dependencies (and theirs) only as wheels; pure-Python ones may be sdists
# (jplephem 2.15 has no wheel).
"$py" -m pip install -q \
    --only-binary numpy,matplotlib,cartopy,shapely,sgp4,pyproj,contourpy,kiwisolver,pillow,pydantic-core,lxml,pandas,pyogrio,netcdf4,cftime \
    -c ci/min-constraints.txt -e ".[test]"

# The pins are the pyproject floors, and they are what is installed.
"$py" - <<'EOF'
import re, sys, tomllib
from importlib.metadata import version

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

floors = {}
for dep in tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]:
    m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)(?:\s*,\s*<\s*[0-9][0-9A-Za-z.]*)?",
                     dep.split(";")[0].strip())
    if not m:
        sys.exit(f"ci/min-versions.sh: pyproject dependency {dep!r} has no plain >= floor")
    floors[norm(m[1])] = m[2]
pins = {}
for line in open("ci/min-constraints.txt", encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if line:
        name, _, pinned = line.partition("==")
        pins[norm(name)] = pinned.strip()
problems = [f"{n}: pyproject >= {floors.get(n)}, ci/min-constraints.txt == {pins.get(n)}"
            for n in sorted(set(floors) | set(pins)) if floors.get(n) != pins.get(n)]
problems += [f"{n}: installed {version(n)}, pinned {v}" for n, v in sorted(pins.items())
             if n in floors and version(n) != v]
if problems:
    sys.exit("ci/min-versions.sh: floors, pins and installed versions disagree:\n  "
             + "\n  ".join(problems) + "\nFix: make each pin in ci/min-constraints.txt equal "
             "its floor in pyproject.toml.")
print("ci/min-versions.sh: installed at the floors: "
      + ", ".join(f"{n} {v}" for n, v in sorted(pins.items())), file=sys.stderr)
EOF

# The tests: every command whose floor was found by a failure, and the readers.
tests=(
    tests/test_export.py            # export footprints/tracks/passes: shapely.affinity, set_precision, simplekml
    tests/test_export_geo.py        # GeoJSON seam splitting (shapely)
    tests/test_export_coverage.py   # export coverage (KML colour classes, --dask gives the same file)
    tests/test_export_czml.py       # CZML loaded by CesiumJS in chromium: czml3 4's pydantic models
    tests/test_animate.py           # animate: cartopy.mpl.path, matplotlib, Pillow
    tests/test_sweep_views.py       # animate captions and clocks, figure views
    tests/test_maps.py              # track maps: cartopy, CRS._as_mpl_transform labels
    tests/test_swath.py             # track --swath bands (shapely union_all, affinity)
    tests/test_figure_zone.py       # track, footprint and coverage figures in local time (tzdata)
    tests/test_partners.py          # matplotlib 3.7's figure legend loc='outside ...'
    tests/test_geobelt.py           # skyfield's Earth-orientation tables (geo-belt longitudes)
    tests/test_passes.py            # passes
    tests/test_ics.py               # passes as iCalendar
    tests/test_sighting.py          # visible passes (Sun from DE421 via jplephem)
    tests/test_coverage.py          # coverage (shapely.contains_xy)
    tests/test_revisit.py           # coverage --access imaging
    tests/test_propagate.py         # SGP4 in blocks: sgp4's SatrecArray._sgp4 (private)
    tests/test_geometry.py          # TEME->ITRS against skyfield's frames
    tests/test_dependency_assumptions.py  # skyfield reads Time._nutation_angles_radians; SGP4 dates
    tests/test_accuracy.py          # error bounds
    tests/test_geohold.py           # GEO slot hold
    tests/test_imaging_rule.py      # imaging access rule (Sun: Time._nutation_angles_radians)
    tests/test_opportunities.py     # opportunities
    tests/test_ephemeris.py         # the DE421 excerpt read by jplephem, bit for bit
    tests/test_catalog.py           # readers: catalog, launches
    tests/test_validation.py        # readers: TLE and OMM checks
    tests/test_hostile_data.py      # readers: damaged files, row by row
    tests/test_sensors.py           # readers: sensors.csv
    tests/test_localtime.py         # time words and zones (tzdata)
    tests/test_store.py             # the element store under filelock, 20 concurrent writers
    tests/test_tables.py            # tables against rich's Table, rich.cells widths
    tests/test_live_cli.py          # config set/show (tomli-w, platformdirs), now
    tests/test_cli_foundation.py    # click: usage errors, exit codes
    tests/test_cli_values.py        # click parameter types
    tests/test_webmap.py            # map (shapely set_precision for the basemap layers)
)
# Left out, with the full suite still running them in .ci/run: test_startup (it asserts
# numpy.ma is not loaded, but numpy 1.x's own 'import numpy' loads it), test_distributed
# (dask's cluster, not a floor: 40 s), test_webmap_browser (the page's JavaScript),
# test_install (ci/build-check.sh builds the wheel), test_hostile_newer (hostile inputs
# through the entry point, minutes of subprocesses), and the network, fuzz, memory and
# table-fitting tests, which depend on no floor found here.
# PYTHONTZPATH="": zoneinfo takes every zone from the tzdata package (as on Windows),
# so the tzdata floor is what the tests see.
PYTHONTZPATH="" "$py" -m pytest -p no:cacheprovider -q "${tests[@]}"
say "done in $((SECONDS - start)) s"
