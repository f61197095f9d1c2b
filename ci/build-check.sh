#!/usr/bin/env bash
# Release check: build the sdist and the wheel as PyPI would get them, and check them.
#
#   bash ci/build-check.sh           # from anywhere; builds into a temporary directory
#   DIST=dist bash ci/build-check.sh # keep the artifacts in ./dist
#
# - `python -m build` (an isolated build: hatchling and hatch-fancy-pypi-readme come from
#   the package registry), sdist first and the wheel built from the sdist, so a file the
#   sdist leaves out fails here;
# - `twine check --strict` (the description renders; metadata PyPI accepts: hatchling
#   >= 1.32 writes Metadata-Version 2.5, which needs twine >= 7 / packaging >= 26.2);
# - LICENSE in both artifacts (and Leaflet's in the wheel's licenses/), the bundled data (orbitview/_data/...) and
#   orbitview/py.typed in the wheel, and no relative link left in the description.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

say() { printf 'ci/build-check.sh: %s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/orbitview-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${DIST:-$work/dist}
mkdir -p "$out"
rm -f "$out"/orbitview-*.whl "$out"/orbitview-*.tar.gz
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip install -q "build>=1.2" "twine>=7"
"$work/venv/bin/python" -m build --outdir "$out" . >"$work/build.log" 2>&1 || {
    cat "$work/build.log" >&2
    say "python -m build failed (its output is above)"
    exit 1
}
"$work/venv/bin/python" -m twine check --strict "$out"/*

"$work/venv/bin/python" - "$out" <<'EOF'
import re, sys, tarfile, zipfile
from email.parser import HeaderParser
from pathlib import Path

out = Path(sys.argv[1])
wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
if len(wheels) != 1 or len(sdists) != 1:
    sys.exit(f"ci/build-check.sh: expected one wheel and one sdist in {out}, "
             f"found {[p.name for p in out.iterdir()]}")
wheel, sdist = wheels[0], sdists[0]
wheel_names = zipfile.ZipFile(wheel).namelist()
with tarfile.open(sdist) as tar:
    sdist_names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
dist_info = next(n.split("/")[0] for n in wheel_names if n.endswith(".dist-info/METADATA"))
metadata = zipfile.ZipFile(wheel).read(f"{dist_info}/METADATA").decode("utf-8")

problems = []
def need(names, name, where, why):
    if name not in names:
        problems.append(f"{where} has no {name} ({why})")

need(sdist_names, "LICENSE", sdist.name, "the MIT licence")
need(wheel_names, f"{dist_info}/licenses/LICENSE", wheel.name, "the MIT licence")
# Leaflet's BSD-2-Clause licence, named by license-files (hatchling drops a path that
# matches nothing without a word).
if not any(n.startswith(f"{dist_info}/licenses/") and n.endswith("leaflet/LICENSE")
           for n in wheel_names):
    problems.append(f"{wheel.name} has no {dist_info}/licenses/.../leaflet/LICENSE (the "
                    "vendored Leaflet's licence: does license-files in pyproject.toml name "
                    "its path?)")
# The data the package cannot work without, as tests/test_install.py names it.
for name in ("launches.csv", "tles/provenance.csv", "tles/43530.tle"):
    need(wheel_names, f"orbitview/_data/{name}", wheel.name, "bundled data from data/")
need(wheel_names, "orbitview/py.typed", wheel.name, "PEP 561 marker for type checkers")

headers = HeaderParser().parsestr(metadata)
description = metadata.split("\n\n", 1)[1] if "\n\n" in metadata else ""
if headers.get("Description-Content-Type") != "text/markdown":
    problems.append(f"Description-Content-Type is {headers.get('Description-Content-Type')!r}, "
                    "not text/markdown")
# Relative targets PyPI cannot resolve (pyproject's fancy-pypi-readme substitutions
# rewrite them): Markdown links and images, <img src>, <a href>, reference definitions.
relative = re.compile(r'(?:\]\(\s*<?|(?:src|href)\s*=\s*"|^ {0,3}\[[^\]\n]+\]:[ \t]*<?)'
                      r'(?![A-Za-z][A-Za-z0-9+.-]*:|/)([^\s)">]+)', re.M | re.I)
left = sorted(set(relative.findall(description)))
if left:
    problems.append("the description keeps relative links PyPI cannot follow: "
                    + ", ".join(left[:10]))

data = [n for n in wheel_names if n.startswith("orbitview/_data/")]
print(f"ci/build-check.sh: {wheel.name} ({len(wheel_names)} files, {len(data)} under "
      f"orbitview/_data/), {sdist.name} ({len(sdist_names)} files); "
      f"Metadata-Version {headers['Metadata-Version']}, "
      f"License-Expression {headers['License-Expression']}",
      file=sys.stderr)
if problems:
    sys.exit("ci/build-check.sh: the artifacts are not releasable:\n  " + "\n  ".join(problems))
EOF
say "sdist and wheel in $out pass (in $((SECONDS - start)) s)"
