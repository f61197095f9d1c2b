"""Fetch CesiumJS's built library from the npm registry for the CZML tests.

Usage::

    python scripts/fetch_cesium.py          # into .cache/cesium/ (not committed)

The CZML export tests load each file with CesiumJS's own ``CzmlDataSource`` in
headless Chromium and read positions back; they need ``Build/Cesium/Cesium.js``
from the ``cesium`` package (Apache-2.0).  ``npm pack`` downloads the tarball,
whose SHA-512 must match the registry's integrity field; only ``Cesium.js``
and the licence are kept, with a ``VENDOR.json`` naming version and hashes.
``.ci/run`` runs this before the tests; it does nothing when the copy is there.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from npm_registry import fetch, sha256

VERSION = "1.145.0"
OUT = Path(__file__).resolve().parents[1] / ".cache" / "cesium"
KEEP = {"package/Build/Cesium/Cesium.js": "Cesium.js", "package/LICENSE.md": "LICENSE.md"}


def main(version: str = VERSION) -> None:
    record_path = OUT / "VENDOR.json"
    if record_path.is_file():
        record = json.loads(record_path.read_text())
        if record.get("version") == version and all(
                (OUT / n).is_file() and sha256((OUT / n).read_bytes()) == h
                for n, h in record["files"].items()):
            print(f"cesium {version} already in {OUT}")
            return
    with tempfile.TemporaryDirectory() as tmp:
        members, raw, info = fetch(f"cesium@{version}", Path(tmp), lambda n: n in KEEP)
    if set(members) != set(KEEP):
        sys.exit(f"the cesium {version} tarball lacks {sorted(set(KEEP) - set(members))}")
    OUT.mkdir(parents=True, exist_ok=True)
    for src, name in KEEP.items():
        (OUT / name).write_bytes(members[src])
    record_path.write_text(json.dumps({
        "name": "cesium", "version": version, "license": "Apache-2.0",
        "npm_integrity": info["integrity"], "tarball_sha256": sha256(raw),
        "files": {name: sha256(members[src]) for src, name in KEEP.items()}}, indent=1) + "\n")
    print(f"fetched cesium {version} into {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
