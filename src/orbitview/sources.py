"""The one place that downloads element sets, and the user's element store.

Nothing here runs implicitly: only ``orbitview tle update`` fetches, from
CelesTrak's GP API (``gp.php?CATNR=N&FORMAT=JSON``; base URL from
``ORBITVIEW_CELESTRAK_URL``).  Fetched sets live in
``<user dir>/elements/<norad_id>.json`` (never in the installed package): a
JSON list, one entry per epoch, each with the OMM fields and its provenance
(URL, retrieval time in UTC, the server's Date header).  Every write is
atomic: a temporary file in the same directory, then ``os.replace``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .atomic import atomic_write_text
from .datadir import user_dir
from .elements import ElementStore, parse_omm, parse_tle_text
from .errors import DownloadError, Problem

DEFAULT_BASE_URL = "https://celestrak.org"
MIN_REFETCH = dt.timedelta(hours=2)
"""CelesTrak's usage policy: do not fetch the same object again within two hours."""
TIMEOUT_S = 20.0
USER_AGENT = "orbitview (+https://github.com/orbitview/orbitview)"


def elements_dir() -> Path:
    return user_dir() / "elements"


def base_url() -> str:
    return os.environ.get("ORBITVIEW_CELESTRAK_URL", DEFAULT_BASE_URL).rstrip("/")


def gp_url(norad_id: int, fmt: str = "omm") -> str:
    return (f"{base_url()}/NORAD/elements/gp.php?CATNR={norad_id}"
            f"&FORMAT={'JSON' if fmt == 'omm' else 'TLE'}")


# --------------------------------------------------------------------------- reading

def read_history_file(path: Path):
    """Element sets and problems from one ``<norad_id>.json`` history file."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        return [], [Problem(path, getattr(e, "lineno", None), f"unreadable history file ({e})",
                            "", f"delete {path} and run 'orbitview tle update' again")]
    if not isinstance(entries, list):
        return [], [Problem(path, None, "history file is not a JSON list", "",
                            f"delete {path} and run 'orbitview tle update' again")]
    sets, problems = [], []
    for i, entry in enumerate(entries):
        omm = entry.get("omm") if isinstance(entry, dict) else None
        found_sets, found = parse_omm(json.dumps([omm]), f"{path} entry {i + 1}", fmt="json")
        problems += found
        for es in found_sets:
            prov = entry.get("provenance", {})
            es.source = (f"CelesTrak GP API {prov.get('url', '?')}, retrieved "
                         f"{prov.get('retrieved_utc', '?')}")
            es.origin = f"{path} entry {i + 1}"
            es.extra["provenance"] = prov
            sets.append(es)
    return sets, problems


def merge_user_elements(store: ElementStore) -> tuple[ElementStore, list[Problem]]:
    """Add the element sets fetched into the user directory to ``store``."""
    problems: list[Problem] = []
    directory = elements_dir()
    if not directory.is_dir():
        return store, problems
    for path in sorted(directory.glob("*.json")):
        if path.name == "fetch_log.json":
            continue
        sets, found = read_history_file(path)
        problems += found
        for es in sets:
            store.add(es)
    return store, problems


# --------------------------------------------------------------------------- fetching

@dataclass
class Fetched:
    url: str
    body: bytes
    status: int
    server_date: str | None
    retrieved: dt.datetime


def fetch(url: str, timeout_s: float | None = None) -> Fetched:
    """GET ``url``; any failure becomes a DownloadError saying what happened."""
    timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            body = response.read()
            return Fetched(url, body, response.status, response.headers.get("Date"),
                           dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    except urllib.error.HTTPError as e:
        hint = {403: "the server refused: CelesTrak blocks clients that fetch too often; "
                     "wait two hours",
                404: "no such object or path: check the NORAD number and "
                     "ORBITVIEW_CELESTRAK_URL"}.get(e.code, "the server failed; try later")
        raise DownloadError(f"{url} answered HTTP {e.code} {e.reason}.\nFix: {hint}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise DownloadError(f"could not fetch {url}: {reason}.\n"
                            "Fix: check the network (or ORBITVIEW_CELESTRAK_URL) and try again; "
                            "everything else works offline from the stored data.") from None


def _load_log() -> dict:
    path = elements_dir() / "fetch_log.json"
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def update_one(norad_id: int, fmt: str = "omm", force: bool = False,
               now: dt.datetime | None = None) -> dict:
    """Fetch the current set of one object and append it to its history.

    Returns a summary dict (``status`` is "updated", "unchanged" or "skipped").
    Raises DownloadError with nothing written if anything is wrong.
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    log = _load_log()
    last = log.get(str(norad_id))
    if last and not force:
        when = dt.datetime.fromisoformat(last.replace("Z", "+00:00"))
        if now - when < MIN_REFETCH:
            minutes = (now - when).total_seconds() / 60
            return {"norad_id": norad_id, "status": "skipped",
                    "note": f"fetched {minutes:.0f} min ago; CelesTrak asks for at least 2 h "
                            "between fetches of one object (use --force to override)"}
    url = gp_url(norad_id, fmt)
    got = fetch(url)
    if got.status != 200:
        raise DownloadError(f"{url} answered HTTP {got.status}.\nFix: try again later.")
    try:
        text = got.body.decode("utf-8")
    except UnicodeDecodeError:
        raise DownloadError(f"{url} sent a body that is not UTF-8 text.\n"
                            "Fix: try again later; nothing was changed.") from None
    if text.strip().lower().startswith("no gp data found"):
        raise DownloadError(f"{url}: CelesTrak has no element set for {norad_id}.\n"
                            "Fix: check the NORAD number; decayed objects have none.")
    sets, problems = (parse_omm(text, url, fmt="json") if fmt == "omm"
                      else parse_tle_text(text, url))
    if problems or not sets:
        detail = "\n".join(p.message() for p in problems) or "no element set in the answer"
        raise DownloadError(f"{url} sent a malformed answer; nothing was changed.\n{detail}")
    wrong = [es.norad_id for es in sets if es.norad_id != norad_id]
    if wrong or len(sets) != 1:
        raise DownloadError(f"{url} answered with the element set of {wrong or len(sets)} "
                            f"instead of exactly one for {norad_id}; nothing was changed.\n"
                            "Fix: check ORBITVIEW_CELESTRAK_URL and try again later.")
    es = sets[0]
    omm = es.extra.get("omm") or _tle_as_omm(es)
    entry = {"omm": omm, "provenance": {
        "url": url, "retrieved_utc": got.retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "server_date": _iso_server_date(got.server_date), "format": fmt}}
    path = elements_dir() / f"{norad_id}.json"
    history = []
    if path.exists():
        existing, found = read_history_file(path)
        if found:
            raise DownloadError("\n".join(p.message() for p in found))
        history = json.loads(path.read_text(encoding="utf-8"))
    epochs = {h["omm"]["EPOCH"] for h in history}
    status = "unchanged" if omm["EPOCH"] in epochs else "updated"
    if status == "updated":
        history.append(entry)
        history.sort(key=lambda h: h["omm"]["EPOCH"])
        atomic_write_text(path, json.dumps(history, indent=1) + "\n")
    log[str(norad_id)] = got.retrieved.strftime("%Y-%m-%dT%H:%M:%SZ")
    atomic_write_text(elements_dir() / "fetch_log.json", json.dumps(log, indent=1) + "\n")
    return {"norad_id": norad_id, "status": status, "epoch_utc": es.epoch, "url": url,
            "note": "new epoch added" if status == "updated" else "epoch already stored"}


def _iso_server_date(header: str | None) -> str | None:
    if not header:
        return None
    try:
        return email.utils.parsedate_to_datetime(header).astimezone(
            dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return header


def _tle_as_omm(es) -> dict:
    """The OMM fields of an element set read from TLE lines (so history is one format)."""
    s = es.satrec
    import math
    deg = 180.0 / math.pi
    return {"OBJECT_NAME": es.name or str(es.norad_id), "OBJECT_ID": es.cospar_id,
            "EPOCH": es.epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "MEAN_MOTION": es.mean_motion_rev_per_day, "ECCENTRICITY": s.ecco,
            "INCLINATION": s.inclo * deg, "RA_OF_ASC_NODE": s.nodeo * deg,
            "ARG_OF_PERICENTER": s.argpo * deg, "MEAN_ANOMALY": s.mo * deg,
            "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": s.classification or "U",
            "NORAD_CAT_ID": es.norad_id, "ELEMENT_SET_NO": s.elnum, "REV_AT_EPOCH": s.revnum,
            "BSTAR": s.bstar, "MEAN_MOTION_DOT": s.ndot * 1036800.0 / math.pi,
            "MEAN_MOTION_DDOT": s.nddot * 2985984000.0 / 2.0 / math.pi,
            "TLE_LINE1": es.line1, "TLE_LINE2": es.line2}
