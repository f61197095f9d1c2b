"""Rebuild the Leaflet copy that ``orbitview map`` inlines into its HTML pages.

Usage::

    python scripts/vendor_leaflet.py            # the version pinned below
    python scripts/vendor_leaflet.py 1.9.4      # or another one

Fetches the package tarball from the npm registry with ``npm pack`` (the
ordinary client; no CDN), checks it against the registry's ``integrity``
(SHA-512) field, and writes into ``src/orbitview/products/webmap/vendor/leaflet/``:

* ``leaflet.js`` (the minified build, minus its ``sourceMappingURL`` comment:
  the map file is not shipped, and a page opened offline must ask for nothing);
* ``leaflet.css`` with its three PNG images inlined as ``data:`` URIs, so the
  layer control never fetches ``images/layers.png`` beside the HTML file;
* ``LICENSE`` (BSD-2-Clause), exactly as published;
* ``VENDOR.json``: name, version, licence, tarball URL, npm integrity, the
  tarball's SHA-256, and the SHA-256 of every file written and of its source
  in the tarball.  A test checks the files against it.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tempfile
from pathlib import Path

from npm_registry import fetch, sha256

PACKAGE = "leaflet"
VERSION = "1.9.4"
OUT = (Path(__file__).resolve().parents[1] / "src" / "orbitview" / "products" / "webmap"
       / "vendor" / "leaflet")


def inline_images(css: str, members: dict[str, bytes]) -> str:
    def repl(m: re.Match) -> str:
        name = m.group(1)
        data = members[f"package/dist/{name}"]
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"
    return re.sub(r"url\((images/[\w.-]+\.png)\)", repl, css)


def main(version: str = VERSION) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        members, raw, info = fetch(f"{PACKAGE}@{version}", Path(tmp), lambda name: True)
    package = json.loads(members["package/package.json"])
    js_src = members["package/dist/leaflet.js"]
    js = re.sub(rb"\n//# sourceMappingURL=\S+\s*$", b"\n", js_src)
    if f't.version="{version}"'.encode() not in js:
        sys.exit(f"leaflet.js does not declare version {version}; not vendored")
    css_src = members["package/dist/leaflet.css"]
    css = inline_images(css_src.decode(), members).encode()
    if b"url(images/" in css:
        sys.exit("leaflet.css still refers to images/; not vendored")
    licence = members["package/LICENSE"]
    OUT.mkdir(parents=True, exist_ok=True)
    files = {"leaflet.js": (js, "package/dist/leaflet.js", js_src),
             "leaflet.css": (css, "package/dist/leaflet.css", css_src),
             "LICENSE": (licence, "package/LICENSE", licence)}
    record = {
        "name": package["name"], "version": package["version"], "license": package["license"],
        "homepage": package.get("homepage", ""),
        "tarball": f"https://registry.npmjs.org/{PACKAGE}/-/{PACKAGE}-{version}.tgz",
        "npm_integrity": info["integrity"], "tarball_sha256": sha256(raw),
        "rebuilt_by": "scripts/vendor_leaflet.py",
        "changes": {"leaflet.js": "sourceMappingURL comment removed",
                    "leaflet.css": "images/*.png inlined as data: URIs"},
        "files": {name: {"sha256": sha256(data), "from": src, "source_sha256": sha256(orig)}
                  for name, (data, src, orig) in files.items()},
    }
    for name, (data, _, _) in files.items():
        (OUT / name).write_bytes(data)
    (OUT / "VENDOR.json").write_text(json.dumps(record, indent=1) + "\n")
    print(f"vendored {PACKAGE} {version} ({package['license']}) into {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
