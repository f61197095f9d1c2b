"""Rebuild ``data/tles/`` from the researched reference element sets.

Usage::

    python scripts/build_tles.py [REFERENCE_DIR] [--out data/tles]

REFERENCE_DIR defaults to ``../shared/reference/pakistan/tles`` next to the
repository.  Every line is copied exactly as found (no retyping), grouped by
NORAD catalog number (never by name: CelesTrak once used "PRSS-1" for two
objects), oldest epoch first, and each set's provenance is taken from the
reference's ``SOURCES.md`` tables and written to ``provenance.csv``.

The set in ``unconfirmed/`` is copied to ``data/tles/unconfirmed/`` and is not
loaded by orbitview: it is not proven to be Pakistani.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
from pathlib import Path

from sgp4.io import compute_checksum

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO.parent / "shared" / "reference" / "pakistan" / "tles"


def markdown_table(text: str, first_header: str) -> list[dict[str, str]]:
    """Rows of the Markdown table whose first header cell is ``first_header``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first_header:
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                values = [c.strip() for c in row.strip().strip("|").split("|")]
                rows.append(dict(zip(cells, values)))
            return rows
    raise SystemExit(f"SOURCES.md: no table headed {first_header!r}")


def read_sets(path: Path) -> list[tuple[str, str, str]]:
    lines = path.read_text().splitlines()
    if len(lines) % 3:
        raise SystemExit(f"{path}: {len(lines)} lines is not a whole number of 3LE sets")
    sets = [tuple(lines[i:i + 3]) for i in range(0, len(lines), 3)]
    for _name, l1, l2 in sets:
        for line in (l1, l2):
            if len(line) != 69 or int(line[68]) != compute_checksum(line):
                raise SystemExit(f"{path}: bad line {line!r}")
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "tles")
    args = parser.parse_args(argv)
    ref: Path = args.reference
    sources = (ref / "SOURCES.md").read_text()
    repos = {r["key"]: r for r in markdown_table(sources, "key")}
    entries = markdown_table(sources, "file")

    by_norad: dict[int, dict[str, tuple[str, str, str]]] = {}
    for path in sorted(ref.glob("*.tle")) + sorted((ref / "history").glob("*.tle")):
        for s in read_sets(path):
            norad = int(s[1][2:7])
            by_norad.setdefault(norad, {})[s[1][18:32]] = s

    args.out.mkdir(parents=True, exist_ok=True)
    provenance = []
    for norad, sets in sorted(by_norad.items()):
        ordered = [sets[k] for k in sorted(sets, key=lambda e: (int(e[:2]) < 57, e))]
        text = "".join(f"{n}\n{a}\n{b}\n" for n, a, b in ordered)
        (args.out / f"{norad}.tle").write_text(text)
        for index, (name, l1, _l2) in enumerate(ordered):
            epoch = l1[18:32]
            match = [e for e in entries
                     if e["NORAD"] == str(norad) and e["epoch (TLE)"] == epoch.strip()]
            if len(match) != 1:
                raise SystemExit(f"SOURCES.md: no single provenance row for {norad} {epoch}")
            row = match[0]
            repo = repos[row["source key"]]
            provenance.append({
                "norad_id": norad,
                "file": f"{norad}.tle",
                "line": 3 * index + 1,
                "name_line": name.strip(),
                "epoch_tle": epoch.strip(),
                "epoch_utc": row["epoch (UTC)"].replace(" ", "T") + "Z",
                "source": repo["what it is"].split(";")[0].split(",")[0],
                "repository": repo["repository"].strip(),
                "path": repo["path"],
                "commit": repo["commit"],
            })
    with open(args.out / "provenance.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(provenance[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(provenance)
    unconfirmed = ref / "unconfirmed"
    if unconfirmed.is_dir():
        shutil.copytree(unconfirmed, args.out / "unconfirmed", dirs_exist_ok=True)
    print(f"wrote {len(by_norad)} objects, {len(provenance)} element sets to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
