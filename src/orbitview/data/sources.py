"""The one place that downloads element sets, and the user's element store.

Nothing here runs implicitly: only ``orbitview tle update`` fetches, from
CelesTrak's GP API (``gp.php?CATNR=N&FORMAT=JSON``; base URL from
``ORBITVIEW_CELESTRAK_URL``).  Fetched sets live in
``<user dir>/elements/<norad_id>.json`` (never in the installed package): a
JSON list, one entry per epoch, each with the OMM record exactly as received
and its provenance (URL, retrieval time in UTC, the server's Date header).

Guarantees:

- every read-modify-write of the store holds one file lock
  (``elements/.lock``, the ``filelock`` package), so concurrent updates each
  add their entry or fail with a message; nothing is lost;
- every write is atomic (:mod:`orbitview.util.atomic`): a process killed at any
  instant leaves the old file or the new one, and a temporary file that can
  never be mistaken for data; the next write removes it;
- a download has a total deadline (:data:`DEADLINE_S`, not per read) and a
  size cap (:data:`MAX_BODY_BYTES`); any malformed answer is a
  :class:`~orbitview.util.errors.DownloadError` with the URL and a fix, and
  nothing is written;
- reading never raises on a damaged store: a bad file is a list of
  problems that affects only the object it holds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from orbitview.data.datadir import user_dir
from orbitview.data.elements import (
    OMM_FIX,
    ElementSet,
    ElementStore,
    json_items,
    omm_record_to_set,
    parse_tle_text,
)
from orbitview.util.atomic import OutputError, atomic_write_text, kill_point
from orbitview.util.errors import DataError, DownloadError, OrbitviewError, Problem, UsageError
from orbitview.util.files import read_input

DEFAULT_BASE_URL = "https://celestrak.org"
MIN_REFETCH = dt.timedelta(hours=2)
"""CelesTrak's usage policy: do not fetch the same object again within two hours."""
DEADLINE_S = 30.0
"""Total time one download may take: connecting, headers and the whole body."""
TIMEOUT_S = DEADLINE_S        # the name earlier versions used
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_HISTORY_BYTES = 64 << 20
"""Largest history file (or fetch log) read: years of sets of one object are a few MiB."""
"""Largest answer accepted; one object's OMM record is about 1 KB."""
LOCK_TIMEOUT_S = 120.0
"""How long an update waits for another orbitview writing the store."""
USER_AGENT = "orbitview (+https://github.com/orbitview/orbitview)"
LOG_NAME = "fetch_log.json"
LOCK_NAME = ".lock"


class StoreError(OrbitviewError):
    """The element store cannot be changed now (busy, or damaged); nothing was changed."""


def elements_dir() -> Path:
    return user_dir() / "elements"


def base_url() -> str:
    """``ORBITVIEW_CELESTRAK_URL`` (checked) or CelesTrak's address."""
    raw = os.environ.get("ORBITVIEW_CELESTRAK_URL")
    if raw is None or raw == "":
        return DEFAULT_BASE_URL
    shown = raw if len(raw) <= 80 else raw[:77] + "..."
    fix = ("Fix: set it to an http(s) address such as https://celestrak.org (no spaces, no "
           "query), or unset it to use CelesTrak.")
    try:
        parts = urllib.parse.urlsplit(raw.strip())
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        parts, port_ok = None, False
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or not port_ok or parts.query or parts.fragment
            or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in raw.strip())):
        raise UsageError(f"ORBITVIEW_CELESTRAK_URL={shown!r} is not a usable http(s) URL.\n"
                         + fix)
    return raw.strip().rstrip("/")


def gp_url(norad_id: int, fmt: str = "omm") -> str:
    return (f"{base_url()}/NORAD/elements/gp.php?CATNR={norad_id}"
            f"&FORMAT={'JSON' if fmt == 'omm' else 'TLE'}")


# --------------------------------------------------------------------------- reading

def _stem_norad(path: Path) -> set[int]:
    return {int(path.stem)} if path.stem.isdecimal() and path.stem.isascii() else set()


def read_history_file(path: Path) -> tuple[list[ElementSet], list[Problem]]:
    """Element sets and problems from one ``<norad_id>.json`` history file; never raises."""
    fix = (f"restore {path.name} from a backup, or move it aside and run "
           f"'orbitview tle update {path.stem}' to start its history again")
    affects = _stem_norad(path)
    try:
        text = read_input(path, what="history file", max_bytes=MAX_HISTORY_BYTES,
                          fix=fix).decode("utf-8")
    except DataError as e:                 # not a regular file, too large, unreadable
        for p in e.problems:
            p.affects = frozenset(affects)
        return [], e.problems
    except OSError as e:
        return [], [Problem(path, None, f"cannot be read ({e.strerror or e})", "", fix,
                            affects)]
    except UnicodeDecodeError as e:
        return [], [Problem(path, e.object[:e.start].count(b"\n") + 1,
                            f"not UTF-8 text (byte {e.object[e.start]:#04x})", "", fix,
                            affects)]
    if not text.lstrip().startswith("["):
        return [], [Problem(path, 1, "history file is not a JSON list", text[:80], fix,
                            affects)]
    items, problem = json_items(text, path, fix)
    if problem is not None:
        problem.affects = frozenset(affects)
        return [], [problem]
    if not items:                    # '[]': the history was emptied, not a history
        return [], [Problem(path, 1, "history file holds no element sets (an empty list)",
                            text.strip()[:80], fix, affects)]
    sets, problems = [], []
    for i, (entry, line) in enumerate(items):
        where = f"entry {i + 1}"
        omm = entry.get("omm") if isinstance(entry, dict) else None
        prov = entry.get("provenance") if isinstance(entry, dict) else None
        if not isinstance(omm, dict):
            problems.append(Problem(path, line, f"{where} has no OMM record (an object under "
                                    "'omm')", repr(entry)[:120], fix, affects))
            continue
        es, found = omm_record_to_set(omm, where, path, line)
        if es is not None:
            if not _stem_norad(path):       # a file not named by its object: what it holds
                affects = affects | {es.norad_id}
            elif _stem_norad(path) != {es.norad_id}:
                found.append(Problem(path, line, f"{where} is for NORAD {es.norad_id}, not "
                                     f"{path.stem}", "", fix, affects))
        if not isinstance(prov, dict) or not isinstance(prov.get("url"), str) \
                or not isinstance(prov.get("retrieved_utc"), str):
            found.append(Problem(path, line, f"{where} has no provenance (an object with "
                                 "'url' and 'retrieved_utc' texts)", repr(prov)[:120], fix))
        if found:
            problems += found
            continue
        es.source = f"CelesTrak GP API {prov['url'][:300]}, retrieved {prov['retrieved_utc'][:40]}"
        es.origin = f"{path}:{line} ({where})"
        es.extra["provenance"] = prov
        sets.append(es)
    for p in problems:
        p.affects = frozenset(affects) | p.affects
    return sets, problems


def history_files(directory: Path | None = None) -> list[Path]:
    """The history files readers read: ``*.json`` except the fetch log and hidden files."""
    directory = directory or elements_dir()
    return sorted(p for p in directory.glob("*.json")
                  if p.name != LOG_NAME and not p.name.startswith("."))


def merge_user_elements(store: ElementStore) -> tuple[ElementStore, list[Problem]]:
    """Add the element sets fetched into the user directory to ``store``."""
    problems: list[Problem] = []
    directory = elements_dir()
    if directory.parent.exists() and not directory.parent.is_dir():
        return store, [Problem(directory.parent, None, "the user directory is not a directory",
                               "", "set ORBITVIEW_USER_DIR to a directory (or unset it)")]
    if not directory.exists():
        return store, problems
    if not directory.is_dir():
        return store, [Problem(directory, None, "the element store is not a directory", "",
                               f"move {directory} aside; 'orbitview tle update' creates it")]
    try:
        paths = history_files(directory)
    except OSError as e:
        return store, [Problem(directory, None, f"cannot be listed ({e.strerror or e})", "",
                               "check the directory's permissions")]
    for path in paths:
        sets, found = read_history_file(path)
        problems += found
        for es in sets:
            store.add(es)
    _, found = read_fetch_log()
    return store, problems + found


def read_fetch_log() -> tuple[dict[str, str], list[Problem]]:
    """{norad id: last fetch time (ISO UTC)} and problems; a damaged log reads as empty."""
    path = elements_dir() / LOG_NAME
    fix = ("delete it: it only records when each object was last fetched, and the next "
           "'orbitview tle update' writes a new one")
    try:
        text = read_input(path, what="fetch log", max_bytes=MAX_HISTORY_BYTES,
                          fix=fix).decode("utf-8")
    except FileNotFoundError:
        return {}, []
    except DataError as e:
        return {}, e.problems
    except (OSError, UnicodeDecodeError) as e:
        return {}, [Problem(path, None, f"cannot be read ({e})"[:200], "", fix)]
    items, problem = json_items(text, path, fix)
    if problem is not None:
        return {}, [problem]
    if len(items) != 1 or not isinstance(items[0][0], dict):
        return {}, [Problem(path, 1, "not a JSON object of NORAD number: time", text[:80], fix)]
    log, problems = {}, []
    for key, value in items[0][0].items():
        if key.isdecimal() and isinstance(value, str) and _parse_utc(value) is not None:
            log[key] = value
        else:
            problems.append(Problem(path, None, f"entry {key[:20]!r}: {str(value)[:40]!r} is "
                                    "not a NORAD number and an ISO 8601 UTC time", "", fix))
    return log, problems


def _parse_utc(text: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


# --------------------------------------------------------------------------- locking

@contextlib.contextmanager
def store_lock(timeout_s: float | None = None):
    """Hold the element store's lock (one writer at a time, across processes)."""
    from filelock import FileLock, Timeout
    directory = elements_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create the element store {directory}: "
                          f"{e.strerror or e}.\nFix: set ORBITVIEW_USER_DIR to a directory "
                          "you can write to.") from None
    lock = FileLock(directory / LOCK_NAME,
                    timeout=LOCK_TIMEOUT_S if timeout_s is None else timeout_s)
    try:
        lock.acquire()
    except Timeout:
        raise StoreError(f"another orbitview has been writing the element store {directory} "
                         f"for more than {lock.timeout:g} s; nothing was changed.\n"
                         "Fix: let it finish, then run the command again.") from None
    except OSError as e:
        raise OutputError(f"cannot lock the element store {directory}: {e.strerror or e}.\n"
                          "Fix: set ORBITVIEW_USER_DIR to a directory you can write "
                          "to.") from None
    try:
        yield directory
    finally:
        lock.release()


# --------------------------------------------------------------------------- fetching

@dataclass
class Fetched:
    url: str
    body: bytes
    status: int
    server_date: str | None
    retrieved: dt.datetime


class _Deadline:
    """Shuts down every socket of one request when its total time is up."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.05, self.expires - time.monotonic())

    def register(self, sock):
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shutdown(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shutdown(sock)

    @staticmethod
    def _shutdown(sock) -> None:
        import socket
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


def _opener(deadline: _Deadline):
    """A urllib opener whose connections register their sockets with ``deadline``."""
    import http.client
    import socket
    import urllib.request

    def watched(cls):
        def factory(host, **kwargs):
            connection = cls(host, **kwargs)
            connection._create_connection = lambda *a, **k: deadline.register(
                socket.create_connection(*a, **k))
            return connection
        return factory

    class HTTP(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(watched(http.client.HTTPConnection), req)

    class HTTPS(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(watched(http.client.HTTPSConnection), req,
                                context=self._context)

    return urllib.request.build_opener(HTTP(), HTTPS())


def _read_body(response, url: str, max_bytes: int, deadline: _Deadline) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.strip().isdecimal() and int(declared) > max_bytes:
        raise DownloadError(f"{url} announced an answer of {int(declared):,} bytes, more than "
                            f"the {max_bytes:,} accepted; nothing was changed.\n"
                            "Fix: check ORBITVIEW_CELESTRAK_URL; one object's element set "
                            "is about 1 KB.")
    chunks, total = [], 0
    while True:
        chunk = response.read(65536)
        if deadline.expired:
            raise TimeoutError
        if not chunk:
            break
        total += len(chunk)
        if total > max_bytes:
            raise DownloadError(f"{url} sent more than {max_bytes:,} bytes; the download was "
                                "stopped and nothing was changed.\nFix: check "
                                "ORBITVIEW_CELESTRAK_URL; one object's element set is about "
                                "1 KB.")
        chunks.append(chunk)
    if response.length:          # http.client counts what a Content-Length still owes
        import http.client
        raise http.client.IncompleteRead(b"".join(chunks), response.length)
    return b"".join(chunks)


def fetch(url: str, deadline_s: float | None = None,
          max_bytes: int | None = None) -> Fetched:
    """GET ``url`` within a total deadline and a size cap; any failure is a DownloadError."""
    # The network modules load only here: commands that read the store stay quick to start.
    import http.client
    import urllib.error
    import urllib.request
    deadline_s = DEADLINE_S if deadline_s is None else deadline_s
    max_bytes = MAX_BODY_BYTES if max_bytes is None else max_bytes
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = _Deadline(deadline_s)
    nothing = "nothing was changed"
    try:
        with _opener(deadline).open(request, timeout=deadline.remaining()) as response:
            body = _read_body(response, url, max_bytes, deadline)
            return Fetched(url, body, response.status, response.headers.get("Date"),
                           dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    except DownloadError:
        raise
    except urllib.error.HTTPError as e:
        hint = {403: "the server refused: CelesTrak blocks clients that fetch too often; "
                     "wait two hours",
                404: "no such object or path: check the NORAD number and "
                     "ORBITVIEW_CELESTRAK_URL"}.get(e.code, "the server failed; try later")
        raise DownloadError(f"{url} answered HTTP {e.code} {str(e.reason)[:100]}; {nothing}.\n"
                            f"Fix: {hint}.") from None
    except Exception as e:  # noqa: BLE001 - every way a request can fail gets one message
        if deadline.expired or isinstance(e, TimeoutError) or \
                isinstance(getattr(e, "reason", None), TimeoutError):
            raise DownloadError(f"could not fetch {url}: no complete answer within "
                                f"{deadline_s:g} s (timed out); {nothing}.\n"
                                "Fix: try again later; everything else works offline from "
                                "the stored data.") from None
        if isinstance(e, (http.client.HTTPException, ValueError)) and \
                not isinstance(e, http.client.InvalidURL):
            raise DownloadError(f"{url} sent a malformed HTTP answer "
                                f"({_describe_http_error(e)}); {nothing}.\n"
                                "Fix: try again later; if it persists, check "
                                "ORBITVIEW_CELESTRAK_URL.") from None
        reason = getattr(e, "reason", e)
        raise DownloadError(f"could not fetch {url}: {str(reason)[:200] or type(e).__name__}; "
                            f"{nothing}.\nFix: check the network (or ORBITVIEW_CELESTRAK_URL) "
                            "and try again; everything else works offline from the stored "
                            "data.") from None
    finally:
        deadline.cancel()


def _describe_http_error(e: Exception) -> str:
    import http.client
    if isinstance(e, http.client.IncompleteRead):
        return f"the body ended early: {len(e.partial)} bytes received"
    if isinstance(e, http.client.BadStatusLine):
        line = str(e.args[0] if e.args else e)
        return f"bad status line {line[:60]!r}" if line.strip() else "no status line"
    text = str(e)[:120]
    return text if text else type(e).__name__


# --------------------------------------------------------------------------- updating

def update_one(norad_id: int, fmt: str = "omm", force: bool = False,
               now: dt.datetime | None = None, expected_cospar: str = "",
               expected_from: str = "launches.csv", deadline_s: float | None = None) -> dict:
    """Fetch the current set of one object and append it to its history.

    Returns a summary dict (``status`` is "updated", "unchanged" or "skipped").
    Raises DownloadError (or StoreError/OutputError) with nothing written if
    anything is wrong.  ``expected_cospar`` (from the launch record) must match
    the answer's international designator.  ``deadline_s`` bounds the download
    (default :data:`DEADLINE_S`; ``--refresh`` and automatic updates give less).
    """
    now = now or dt.datetime.now(dt.timezone.utc)
    log, _ = read_fetch_log()
    last = _parse_utc(log.get(str(norad_id), ""))
    if last is not None and not force and dt.timedelta(0) <= now - last < MIN_REFETCH:
        minutes = (now - last).total_seconds() / 60
        return {"norad_id": norad_id, "status": "skipped",
                "note": f"fetched {minutes:.0f} min ago; CelesTrak asks for at least 2 h "
                        "between fetches of one object (use --force to override)"}
    url = gp_url(norad_id, fmt)
    got = fetch(url, deadline_s)
    kill_point("fetched")
    if got.status != 200:
        raise DownloadError(f"{url} answered HTTP {got.status}; nothing was changed.\n"
                            "Fix: try again later.")
    sets, notes = _parse_answer(got, url, norad_id, fmt)
    for es in sets:
        if expected_cospar and es.cospar_id and es.cospar_id != expected_cospar:
            raise DownloadError(
                f"{url} says NORAD {norad_id} is {es.cospar_id[:20]!r}, but {expected_from} "
                f"says {expected_cospar}; nothing was changed.\n"
                "Fix: check both against the SATCAT (celestrak.org/satcat); correct "
                "launches.csv if it is wrong, else try again later.")
    provenance = {"url": url, "retrieved_utc": got.retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "server_date": _iso_server_date(got.server_date), "format": fmt}
    with store_lock():
        kill_point("locked")
        path = elements_dir() / f"{norad_id}.json"
        stored: list[tuple[dt.datetime, dict]] = []
        if path.exists():
            stored = _stored_entries(path)
        epochs = {epoch for epoch, _ in stored}
        new = [es for es in sets if es.epoch not in epochs]
        for es in new:
            stored.append((es.epoch, {"omm": es.extra.get("omm") or _tle_as_omm(es),
                                      "provenance": provenance}))
        if new:
            stored.sort(key=lambda pair: pair[0])
            atomic_write_text(path, json.dumps([entry for _, entry in stored], indent=1) + "\n",
                              step="history", clean_leftovers=True)
        log, _ = read_fetch_log()
        log[str(norad_id)] = provenance["retrieved_utc"]
        atomic_write_text(elements_dir() / LOG_NAME, json.dumps(log, indent=1) + "\n",
                          step="fetch-log", clean_leftovers=True)
    newest = max(sets, key=lambda es: es.epoch)
    note = (f"new epoch{'s' if len(new) > 1 else ''} added" if new else "epoch already stored")
    return {"norad_id": norad_id, "status": "updated" if new else "unchanged",
            "epoch_utc": newest.epoch, "url": url, "added": len(new),
            "note": "; ".join([note, *notes])}


def _stored_entries(path: Path) -> list[tuple[dt.datetime, dict]]:
    """The entries of a history file with their epochs; refuses a damaged file."""
    sets, problems = read_history_file(path)
    if problems:
        raise StoreError(
            f"the stored history {path} has problems, so it was left as it is and nothing "
            "was added:\n" + "\n".join(p.message() for p in problems[:5])
            + f"\nFix: move {path} aside (keep it: it holds earlier element sets) and run "
            "the update again.")
    entries = [entry for entry, _ in json_items(path.read_text(encoding="utf-8"), path, "")[0]]
    return [(es.epoch, entry) for es, entry in zip(sets, entries)]


def _parse_answer(got: Fetched, url: str, norad_id: int, fmt: str):
    """The valid element sets for ``norad_id`` in an answer, and notes on the rest."""
    try:
        text = got.body.decode("utf-8")
    except UnicodeDecodeError:
        raise DownloadError(f"{url} sent a body that is not UTF-8 text; nothing was changed.\n"
                            "Fix: try again later.") from None
    if text.strip().lower().startswith("no gp data found"):
        raise DownloadError(f"{url}: CelesTrak has no element set for {norad_id}; nothing was "
                            "changed.\nFix: check the NORAD number; decayed objects have none.")
    others: set[str] = set()
    if fmt == "omm":
        items, problem = json_items(text, url, OMM_FIX)
        if problem is not None:
            raise DownloadError(f"{url} sent a malformed answer; nothing was changed.\n"
                                f"{problem.message()}")
        mine, problems = [], []
        for i, (record, line) in enumerate(items):
            catnr = record.get("NORAD_CAT_ID") if isinstance(record, dict) else None
            if str(catnr).strip() != str(norad_id):
                others.add(str(catnr)[:12])
                continue
            es, found = omm_record_to_set(record, f"#{i + 1}", url, line)
            problems += found
            if es is not None:
                mine.append(es)
    else:
        sets, problems = parse_tle_text(text, url)
        mine = [es for es in sets if es.norad_id == norad_id]
        others = {str(es.norad_id) for es in sets if es.norad_id != norad_id}
        if mine:
            problems = []          # lines about other objects do not matter here
    if problems:
        raise DownloadError(f"{url} sent a malformed answer; nothing was changed.\n"
                            + "\n".join(p.message() for p in problems[:5]))
    if not mine:
        what = (f"the element sets of {', '.join(sorted(others))}" if others
                else "no element set")
        raise DownloadError(f"{url} answered with {what} instead of one for {norad_id}; "
                            "nothing was changed.\n"
                            "Fix: check ORBITVIEW_CELESTRAK_URL and try again later.")
    notes = []
    if others:
        notes.append(f"the answer also held {len(others)} other object(s) "
                     f"({', '.join(sorted(others)[:5])}), not stored")
    if len(mine) > 1:
        notes.append(f"the answer held {len(mine)} element sets of {norad_id}")
    return mine, notes


def _iso_server_date(header: str | None) -> str | None:
    if not header:
        return None
    try:
        import email.utils
        return email.utils.parsedate_to_datetime(header).astimezone(
            dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError, OverflowError, IndexError):
        return header[:100]


def _tle_as_omm(es) -> dict:
    """The OMM fields of an element set read from TLE lines (so history is one format)."""
    from orbitview.data.elements import tle_values
    s = es.satrec
    return {"OBJECT_NAME": es.name or str(es.norad_id), "OBJECT_ID": es.cospar_id,
            "EPOCH": es.epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"), **tle_values(s),
            "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": s.classification or "U",
            "NORAD_CAT_ID": es.norad_id, "ELEMENT_SET_NO": s.elnum, "REV_AT_EPOCH": s.revnum,
            "TLE_LINE1": es.line1, "TLE_LINE2": es.line2}
