"""Regenerate every figure the README shows (docs/img/*.png) from the current code.

Usage::

    python scripts/readme_figures.py [--only NAME ...] [--out DIR] [--list] [--verbose]

Each figure is made by the public command the README documents, run as
``python -m orbitview ...`` with a fixed ``--at``/``--start`` (the time the README's
text and alt text state), so the figures can be made again and compared. The script
prints every command before it runs it. Four figures are views of a command's
output rather than the command's own figure:

* ``map``, ``catalogue_map``: the HTML page of ``orbitview map``, opened in headless
  Chromium (Debian's ``chromium``, driven by Playwright as the browser tests do, network
  blocked) and captured at a fixed slider time;
* ``animate_frame``: one frame of the GIF ``orbitview animate`` writes;
* ``export_geojson``: the GeoJSON files of ``orbitview export`` read back with shapely
  and drawn on orbitview's basemap.

Everything works offline from the bundled data. Commands run in a scratch directory
that links this checkout's ``scripts/`` and ``tests/`` (so the README's paths such as
``scripts/data/starlink.tle`` work and intermediate files have the README's names), with
an empty config file and element store (``ORBITVIEW_CONFIG`` and ``ORBITVIEW_USER_DIR``
point into it), so a home site or stored element sets of the person running it do not
change the figures. Only ``history`` reads
the clock: it draws the launch record up to today.

Optional pieces (Chromium and Playwright for the two map screenshots; the Starlink
catalogue ``scripts/data/starlink.tle`` for ``catalogue_map``) are checked before
anything runs; when one is missing the script names it, the figures that need it and
the fix, and exits 1 without writing anything.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
STARLINK = Path("scripts/data/starlink.tle")
"""CelesTrak GROUP=starlink, 10,395 objects (provenance in scripts/data/SOURCES.md)."""
STATIONS = Path("tests/data/catalogs/stations.tle")
"""CelesTrak GROUP=stations of 2026-05-30 (provenance in tests/data/catalogs/SOURCES.md)."""
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@dataclasses.dataclass
class Step:
    """One command line (arguments after 'orbitview') or one Python view of its output."""
    args: list[str] | None = None
    view: Callable[[Path, Path], None] | None = None
    says: str = ""


@dataclasses.dataclass
class Figure:
    name: str
    steps: list[Step]
    needs: tuple[str, ...] = ()
    about: str = ""


# --------------------------------------------------------------------------- prerequisites

def chromium_path() -> str | None:
    """$ORBITVIEW_CHROMIUM when set (and only it), else Debian's chromium."""
    chosen = os.environ.get("ORBITVIEW_CHROMIUM")
    candidates = [chosen] if chosen else [shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def missing(need: str) -> str | None:
    """Why an optional piece is not there, with the fix; None when it is."""
    if need == "chromium":
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return ("Playwright for Python is not installed. Fix: pip install -e '.[test]' "
                    "(the test extra brings it; the browser itself is Debian's chromium)")
        if chromium_path() is None:
            chosen = os.environ.get("ORBITVIEW_CHROMIUM")
            where = (f"ORBITVIEW_CHROMIUM={chosen} is not a file" if chosen else
                     "no 'chromium' on PATH or at /usr/bin/chromium")
            return (f"Chromium is not installed ({where}). Fix: apt-get install chromium, or "
                    "point ORBITVIEW_CHROMIUM at a Chromium binary")
        return None
    if need == "starlink":
        if not (ROOT / STARLINK).is_file():
            return (f"the Starlink catalogue {STARLINK} is missing (the README's 'whole "
                    "catalogue' example reads it). Fix: restore it from git "
                    f"('git checkout -- {STARLINK}'); its source is scripts/data/SOURCES.md")
        return None
    if need == "stations":
        if not (ROOT / STATIONS).is_file():
            return (f"the space-station element file {STATIONS} is missing. Fix: restore it "
                    f"from git ('git checkout -- {STATIONS}')")
        return None
    raise ValueError(need)


# --------------------------------------------------------------------------- browser views

def _browser_shot(html: Path, png: Path, viewport: dict, seconds: float,
                  hover: str | None = None) -> None:
    """Open the page offline in headless Chromium, move the slider, capture the viewport."""
    from playwright.sync_api import sync_playwright
    blocked, errors = [], []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True,
            offline=True, viewport=viewport, timezone_id="UTC")
        try:
            def route(r):
                if r.request.url.startswith(("file://", "data:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(html.resolve().as_uri())
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
            page.locator("#slider").evaluate(
                "(el, v) => { el.value = String(v); "
                "el.dispatchEvent(new Event('input', {bubbles: true})); }", seconds)
            if hover:
                page.locator(f".sat-icon[title='{hover}'] .dot").hover()
                page.wait_for_selector(".leaflet-tooltip.sat-tip", timeout=10_000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(png))
        finally:
            context.close()
    if errors or blocked:
        raise SystemExit(f"readme_figures: {html.name} did not load cleanly in Chromium: "
                         f"errors {errors}, blocked requests {blocked}")


def map_view(work: Path, out: Path) -> None:
    _browser_shot(work / "map.html", out / "map.png", {"width": 1300, "height": 780},
                  seconds=5 * 3600 + 17 * 60, hover="PRSC-EO3")


def catalogue_view(work: Path, out: Path) -> None:
    _browser_shot(work / "starlink.html", out / "catalogue_map.png",
                  {"width": 1400, "height": 850}, seconds=55 * 60)


# --------------------------------------------------------------------------- animation frame

ANIMATE_START_UTC = "2026-11-21T04:00:00Z"
ANIMATE_FRAME = 156
"""Frame 156 of the 30 s frames from 04:00 UTC: 05:18 UTC, 10:18 PKT (HS-1 over Kashmir)."""


def animate_view(work: Path, out: Path) -> None:
    from PIL import Image
    with Image.open(work / "pass.gif") as gif:
        if gif.n_frames <= ANIMATE_FRAME:
            raise SystemExit(f"readme_figures: pass.gif has {gif.n_frames} frames, "
                             f"not the {ANIMATE_FRAME + 1} or more the README's frame needs")
        gif.seek(ANIMATE_FRAME)
        gif.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE).save(
            out / "animate_frame.png", optimize=True)


# --------------------------------------------------------------------------- export read-back

EXPORT_NAMES = ["PRSS-1", "HS-1", "PRSC-S1"]
EXPORT_START_UTC = "2026-11-21T00:00:00Z"
EXPORT_HOURS = "1.7"


def export_view(work: Path, out: Path) -> None:
    """Draw the exported GeoJSON as read back by shapely (no orbitview geometry code) on
    orbitview's basemap, laid out as the maps are (legend beside, caption measured)."""
    import cartopy.crs as ccrs
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from shapely.geometry import shape

    from orbitview.products.layout import finish_map
    from orbitview.products.maps import base_map

    def features(kind):
        return json.loads((work / f"{kind}.geojson").read_text(encoding="utf-8"))["features"]

    tracks, prints, bands = features("tracks"), features("footprints"), features("swaths")
    lines = [f for f in tracks if f["geometry"]["type"] != "Point"]
    start, end = lines[0]["properties"]["start_utc"], lines[0]["properties"]["end_utc"]
    caption = [(f"{start[:10]} {start[11:16]} to {end[11:16]} UTC; files: tracks.geojson, "
                "footprints.geojson, swaths.geojson, read back with shapely.", "#333333")]
    for f in lines:
        p = f["properties"]
        latest = p["element_sets"][-1]
        age = p["max_epoch_age_days"]
        caption.append((f"{'STALE ' if age > 14 else ''}{p['name']} ({p['norad_id']}): "
                        f"elements of {latest['epoch_utc'].replace('T', ' ')[:16]} UTC, "
                        f"{age:.1f} days from the window; {p['error_bound']}. "
                        f"Source: {latest['source']}", "#b00000" if age > 14 else "#222222"))
    fig, ax, _ = base_map(None, 0.0)
    pc = ccrs.PlateCarree()
    for f in prints:
        p = f["properties"]
        ax.add_geometries([shape(f["geometry"])], crs=pc, facecolor=p["colour"], alpha=0.12,
                          edgecolor=p["colour"], linewidth=0.4, zorder=2)
    rules = {}
    for f in bands:
        p = f["properties"]
        rules.setdefault(p["name"], p["rule"])
        nadir = p["band"] == "nadir_swath"
        ax.add_geometries([shape(f["geometry"])], crs=pc, facecolor=p["colour"],
                          alpha=0.55 if nadir else 0.3, edgecolor="none",
                          zorder=3 if nadir else 2.5)
    for f in lines:
        p = f["properties"]
        for line in shape(f["geometry"]).geoms:
            ax.plot(*line.xy, color=p["colour"], linewidth=1.3, transform=pc, zorder=4)
    radio = prints[0]["properties"]["rule"] if prints else ""
    handles = [Line2D([], [], color=f["properties"]["colour"], linewidth=1.6,
                      label=f"{f['properties']['name']}: track; field of regard "
                            f"({rules.get(f['properties']['name'], '-')})") for f in lines]
    handles += [Patch(facecolor="#888888", alpha=0.55, label="nadir swath (the darker band)"),
                Patch(facecolor="#888888", alpha=0.12, edgecolor="#888888",
                      label=f"radio footprint every 10 min ({radio})")]
    ax.set_title("orbitview export, read back with shapely: tracks, radio footprints and "
                 "imaging bands (PRSC-S1: a radar, both sides)", loc="left", fontsize=11,
                 fontweight="bold")
    finish_map(fig, ax, caption=caption, legend_handles=handles, width_in=13.0,
               max_map_height_in=5.0)
    fig.savefig(out / "export_geojson.png", dpi=100)
    plt.close(fig)


# --------------------------------------------------------------------------- the figures

def _figures(out: Path, work: Path) -> list[Figure]:
    def o(name: str) -> str:
        """The figure, as the README names it."""
        return str(out / name)

    def w(name: str) -> str:
        """An intermediate file (HTML page, GIF, GeoJSON, designs), named as the README
        names it: commands run in the scratch directory, so captions that name a file
        (walker_sensors.csv) name it as a user's would."""
        return name

    return [
        Figure("tracks", [Step(["track", "PRSS-1", "PRSC-EO1", "PakSat-MM1",
                                "--at", "2026-11-21T06:00:00Z", "-o", o("tracks.png")])],
               about="the first screen: today's tracks (2026-11-21 11:00 PKT)"),
        Figure("history", [Step(["history", "-o", o("history.png")])],
               about="every launch up to today"),
        Figure("tracks_pakistan", [Step(["track", "PRSS-1", "HS-1", "PRSC-EO1", "PRSC-EO3",
                                         "--region", "pakistan", "--at", "2026-09-06T05:50:00Z",
                                         "--before", "20", "--after", "20",
                                         "-o", o("tracks_pakistan.png")])]),
        Figure("footprint_paksat_mm1", [Step(["footprint", "PakSat-MM1", "--region", "pakistan",
                                              "--at", "2026-09-07T03:00:00Z",
                                              "-o", o("footprint_paksat_mm1.png")])]),
        Figure("coverage_max_gap", [Step(["coverage", "PRSS-1", "PRSC-EO1", "PRSC-S1",
                                          "PRSC-EO3", "HS-1", "PakTES-1A", "--access", "radio",
                                          "--start", "2026-09-07T00:00:00Z", "--hours", "24",
                                          "--metric", "max-gap",
                                          "-o", o("coverage_max_gap.png")])]),
        Figure("sky_css_lahore", [Step(["sky", "CSS (TIANHE)", "--elements", str(STATIONS),
                                        "--site", "Lahore", "--start",
                                        "2026-11-21T17:01:00+05:00", "--visible",
                                        "-o", o("sky_css_lahore.png")])],
               needs=("stations",), about="'--start tonight' on 2026-11-21 in Lahore"),
        Figure("swath_pakistan", [Step(["track", "PRSC-EO1", "PRSC-EO3", "PRSC-S1", "--swath",
                                        "--region", "pakistan", "--at", "2026-09-06T04:25:00Z",
                                        "--before", "0", "--after", "420",
                                        "-o", o("swath_pakistan.png")])]),
        Figure("revisit_max", [Step(["coverage", "PRSS-1", "PRSC-EO1", "PRSC-EO3", "HS-1",
                                     "--access", "imaging", "--start", "2026-09-06T00:00:00Z",
                                     "--days", "30", "--metric", "max-revisit",
                                     "-o", o("revisit_max.png")])]),
        Figure("map", [Step(["map", "--all", "--start", "2026-11-21T00:00:00Z", "--hours", "6",
                             "--site", "Islamabad", "--site", "Karachi", "-o", w("map.html")]),
                       Step(view=map_view, says="open map.html in headless Chromium, slider at "
                            "05:17 UTC, hover PRSC-EO3, capture 1300x780")],
               needs=("chromium",)),
        Figure("animate_frame", [Step(["animate", "PRSS-1", "PRSC-EO1", "HS-1", "--region",
                                       "pakistan", "--start", ANIMATE_START_UTC, "--hours", "2",
                                       "-o", w("pass.gif")]),
                                 Step(view=animate_view, says=f"frame {ANIMATE_FRAME} of "
                                      "pass.gif (05:18 UTC, 10:18 PKT) as PNG")]),
        Figure("export_geojson", [
            Step(["export", "tracks", *EXPORT_NAMES, "--start", EXPORT_START_UTC, "--hours",
                  EXPORT_HOURS, "-o", w("tracks.geojson")]),
            Step(["export", "footprints", *EXPORT_NAMES, "--access", "radio", "--start",
                  EXPORT_START_UTC, "--hours", EXPORT_HOURS, "--step", "600",
                  "-o", w("footprints.geojson")]),
            Step(["export", "swaths", *EXPORT_NAMES, "--start", EXPORT_START_UTC, "--hours",
                  EXPORT_HOURS, "-o", w("swaths.geojson")]),
            Step(view=export_view, says="read the three GeoJSON files back with shapely and "
                 "draw them on the basemap")]),
        Figure("tle_history_paksat_1r", [Step(["tle", "history", "PakSat-1R",
                                               "-o", o("tle_history_paksat_1r.png")])]),
        Figure("geo_belt_paksat_mm1", [Step(["geo-belt", "--around", "PakSat-MM1",
                                             "-o", o("geo_belt_paksat_mm1.png")])],
               about="at the newest epoch of the bundled GEO catalogue (the default --at)"),
        Figure("geo_slot_paksat_mm1", [Step(["geo-belt", "--around", "PakSat-MM1",
                                             "--timeline", o("geo_slot_paksat_mm1.png")])]),
        Figure("walker_year_max_revisit", [
            Step(["design", "walker", "53:12/3/1", "--altitude", "550", "--epoch",
                  "2026-11-21T00:00:00Z", "--instrument", "PRSC-EO1", "-o", w("walker.json"),
                  "--sensors-out", w("walker_sensors.csv")]),
            Step(["coverage", *[str(990000001 + k) for k in range(12)], "--elements",
                  w("walker.json"), "--sensors", w("walker_sensors.csv"), "--access", "imaging",
                  "--start", "2026-11-21T00:00:00Z", "--days", "365", "--dask",
                  "-o", o("walker_year_max_revisit.png")])],
            about="a year at 10 s steps: several minutes on two cores"),
        Figure("design_sweep", [Step(["design", "sweep", "--start", "2026-11-21T00:00:00Z",
                                      "-o", o("design_sweep.png")])]),
        Figure("partners_pakistan", [Step(["partners", "--start", "2026-06-01T00:00:00Z",
                                           "--days", "14", "-o", o("partners_pakistan.png")])]),
        Figure("catalogue_map", [
            Step(["map", "--all", "--elements", str(STARLINK), "--start", "2026-06-01T00:00:00Z",
                  "--hours", "1", "--step", "30", "-o", w("starlink.html")]),
            Step(view=catalogue_view, says="open starlink.html in headless Chromium, slider at "
                 "00:55 UTC, capture 1400x850")],
            needs=("chromium", "starlink")),
    ]


# --------------------------------------------------------------------------- running

def _environment(home: Path) -> dict:
    env = dict(os.environ)
    env["ORBITVIEW_CONFIG"] = str(home / "config.toml")       # no such file: defaults
    env["ORBITVIEW_USER_DIR"] = str(home / "store")            # an empty element store
    env["MPLBACKEND"] = "Agg"
    # This checkout's code, whatever orbitview the interpreter has installed.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    for key in ("ORBITVIEW_NOW", "ORBITVIEW_DATA_DIR", "TZ"):
        env.pop(key, None)
    return env


def _run(step: Step, env: dict, work: Path, out: Path, verbose: bool) -> None:
    if step.view is not None:
        print(f"  [view] {step.says}", flush=True)
        step.view(work, out)
        return
    argv = [sys.executable, "-m", "orbitview", *step.args]
    print("  $ " + shlex.join(["python", "-m", "orbitview", *step.args]), flush=True)
    done = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True)
    if verbose or done.returncode != 0:
        for stream in (done.stdout, done.stderr):
            for line in stream.splitlines():
                print("    " + line)
    if done.returncode != 0:
        raise SystemExit(f"readme_figures: the command above failed with exit status "
                         f"{done.returncode}; nothing more was run")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="make only this figure (repeatable; the PNG's name without .png)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img",
                        help="directory to write the PNGs to (default: docs/img)")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    parser.add_argument("--verbose", action="store_true",
                        help="show each command's own output (tables, warnings)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))       # the views read back with this checkout's code

    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="orbitview-figures-") as tmp:
        work, home = Path(tmp) / "work", Path(tmp) / "home"
        work.mkdir()
        home.mkdir()
        figures = _figures(out, work)
        names = [f.name for f in figures]
        if args.list:
            for f in figures:
                print(f"{f.name:26s} {f.about}".rstrip())
            return 0
        chosen = figures
        if args.only:
            unknown = [n.removesuffix(".png") for n in args.only
                       if n.removesuffix(".png") not in names]
            if unknown:
                print(f"readme_figures: no figure named {', '.join(unknown)}; the figures are: "
                      f"{', '.join(names)}", file=sys.stderr)
                return 2
            wanted = {n.removesuffix(".png") for n in args.only}
            chosen = [f for f in figures if f.name in wanted]
        problems = {}
        for f in chosen:
            for need in f.needs:
                why = missing(need)
                if why:
                    problems.setdefault(why, []).append(f.name)
        if problems:
            for why, which in problems.items():
                print(f"readme_figures: cannot make {', '.join(which)}: {why}", file=sys.stderr)
            print("readme_figures: nothing was written; leave those figures out with --only "
                  "NAME for each of the others, or install what is missing", file=sys.stderr)
            return 1
        out.mkdir(parents=True, exist_ok=True)
        env = _environment(home)
        for folder in ("scripts", "tests"):              # inputs by the README's own paths
            (work / folder).symlink_to(ROOT / folder, target_is_directory=True)
        print(f"Commands run in {work} (scripts/ and tests/ of {ROOT} linked in); "
              f"figures go to {out}", flush=True)
        for f in chosen:
            t0 = time.perf_counter()
            print(f"{f.name}.png" + (f"  ({f.about})" if f.about else ""), flush=True)
            for step in f.steps:
                _run(step, env, work, out, args.verbose)
            print(f"  -> {out / (f.name + '.png')} ({time.perf_counter() - t0:.0f} s)",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
