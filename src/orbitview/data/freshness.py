"""Fresh data on the way in: refresh stale sets before a command, and CelesTrak groups.

Both go through :mod:`orbitview.data.sources` (the one module that downloads): the
same atomic, locked, throttled writes as ``orbitview tle update``.

* :func:`refresh_stale` fetches the sets of the objects a command uses when
  their newest set is older than a limit, within one total deadline; offline
  it stops at the first network failure and says so in one line, and the
  command goes on with the stored sets.  ``--refresh`` asks for it; the config
  file's ``auto_update = "daily" | "weekly"`` does it with a short deadline,
  and after a failure waits :data:`RETRY_AFTER` before trying again.
* :func:`update_group` stores a CelesTrak group (``GROUP=stations``) in the user
  store with its provenance; :func:`stored_groups` reads them back as external
  objects (:mod:`orbitview.data.external`), never as Pakistani records.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

from orbitview.util.errors import DownloadError, UsageError

REFRESH_OLDER_THAN_DAYS = 1.0
"""--refresh fetches sets older than a day (CelesTrak publishes most objects daily)."""
REFRESH_DEADLINE_S = 20.0
"""Total time --refresh may spend fetching, all objects together."""
AUTO_DEADLINE_S = 4.0
"""Total time an automatic update may spend before the command goes on offline."""
RETRY_AFTER = dt.timedelta(hours=1)
"""After an automatic update failed (offline), commands do not try again for this long."""
GROUP_MAX_BYTES = 64 * 1024 * 1024
"""The largest group answer accepted (CelesTrak's starlink group is ~10,000 objects)."""
_GROUP_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _utcnow() -> dt.datetime:
    from orbitview.data.localtime import now_utc
    return now_utc()


def _state_path() -> Path:
    from orbitview.data.sources import elements_dir
    return elements_dir().parent / "auto_update.json"


def _last_failure() -> dt.datetime | None:
    from orbitview.util.files import read_input
    try:
        data = json.loads(read_input(_state_path(), what="auto-update state",
                                     max_bytes=1 << 16, fix="delete it").decode("utf-8"))
        return dt.datetime.fromisoformat(data["failed_utc"].replace("Z", "+00:00"))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None         # DataError (not a regular file, too large) is a ValueError


def _remember_failure(when: dt.datetime | None) -> None:
    from orbitview.util.atomic import atomic_write_text
    path = _state_path()
    try:
        if when is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write_text(path, json.dumps({"failed_utc": when.strftime(
                "%Y-%m-%dT%H:%M:%SZ")}) + "\n")
    except OSError:
        pass                         # only a hint for the next command; never an error


def refresh_stale(sats, older_than_days: float, deadline_s: float, automatic: bool = False,
                  now: dt.datetime | None = None) -> tuple[int, list[str]]:
    """Fetch the current sets of ``sats`` whose newest set is older than the limit.

    Returns (number of objects updated, one-line notes).  Never raises for a
    network problem: the first one stops the fetching and becomes a note.
    """
    from orbitview.data.sources import update_one
    now = now or _utcnow()
    if automatic:
        failed = _last_failure()
        if failed is not None and dt.timedelta(0) <= now - failed < RETRY_AFTER:
            return 0, []
    todo = [s for s in sats if s.norad_id and getattr(s, "record", None) is not None
            and (not s.elements or s.elements[-1].age_days(now) > older_than_days)]
    updated, notes, start = 0, [], time.monotonic()
    for sat in todo:
        left = deadline_s - (time.monotonic() - start)
        if left <= 0.2:
            notes.append(f"stopped refreshing after {deadline_s:g} s; "
                         f"{len(todo) - todo.index(sat)} object(s) still use stored sets")
            break
        try:
            row = update_one(sat.norad_id, force=False, deadline_s=left,   # 2-h rule: real clock
                             expected_cospar=getattr(sat.record, "cospar_id", "") or "",
                             expected_from=getattr(sat.record, "origin", "") or "launches.csv")
        except DownloadError as e:
            first = str(e).splitlines()[0]
            notes.append(f"could not refresh {sat.name} ({first[:160]}); using the stored "
                         "sets (offline is fine: everything else works)")
            if automatic:
                _remember_failure(now)
            break
        except Exception as e:      # noqa: BLE001 - a store problem must not stop the command
            notes.append(f"could not store {sat.name}'s new set ({str(e).splitlines()[0]})")
            break
        if row.get("status") == "updated":
            updated += 1
    else:
        if automatic and todo:
            _remember_failure(None)
    if updated:
        notes.insert(0, f"refreshed {updated} element set{'s' if updated != 1 else ''} from "
                        "CelesTrak")
    return updated, notes


# --------------------------------------------------------------------------- groups

def groups_dir() -> Path:
    from orbitview.data.sources import elements_dir
    return elements_dir().parent / "groups"


def check_group_name(name: str) -> str:
    text = str(name).strip().lower()
    if not _GROUP_NAME.match(text):
        raise UsageError(f"group {name!r} is not a CelesTrak group name.\n"
                         "Fix: give a name such as stations, geo, resource, visual or starlink "
                         "(celestrak.org/NORAD/elements lists them).")
    return text


def group_url(name: str) -> str:
    from orbitview.data.sources import base_url
    return f"{base_url()}/NORAD/elements/gp.php?GROUP={name}&FORMAT=JSON"


def update_group(name: str, force: bool = False, deadline_s: float | None = None,
                 now: dt.datetime | None = None) -> dict:
    """Fetch one CelesTrak group (OMM JSON) and store it, replacing the previous copy.

    Checked before anything is written: every record must be valid OMM.  The
    same group is not fetched again within 2 hours unless ``force``.
    """
    from orbitview.data.elements import parse_omm
    from orbitview.data.sources import MIN_REFETCH, fetch, store_lock
    from orbitview.util.atomic import atomic_write_text
    name = check_group_name(name)
    now = now or dt.datetime.now(dt.timezone.utc)       # CelesTrak's 2-hour rule: real time
    path = groups_dir() / f"{name}.json"
    previous = _read_group_file(path)
    if previous is not None and not force:
        last = dt.datetime.fromisoformat(previous["provenance"]["retrieved_utc"]
                                         .replace("Z", "+00:00"))
        if dt.timedelta(0) <= now - last < MIN_REFETCH:
            return {"group": name, "status": "skipped", "objects": len(previous["records"]),
                    "note": f"fetched {(now - last).total_seconds() / 60:.0f} min ago; "
                            "CelesTrak asks for at least 2 h between fetches (--force "
                            "overrides)"}
    url = group_url(name)
    got = fetch(url, deadline_s, max_bytes=GROUP_MAX_BYTES)
    if got.status != 200:
        raise DownloadError(f"{url} answered HTTP {got.status}; nothing was changed.\n"
                            "Fix: try again later.")
    try:
        text = got.body.decode("utf-8")
    except UnicodeDecodeError:
        raise DownloadError(f"{url} sent a body that is not UTF-8; nothing was changed.\n"
                            "Fix: try again later.") from None
    if text.strip().lower().startswith("invalid query") or text.strip().lower().startswith(
            "no gp data"):
        raise DownloadError(f"{url}: CelesTrak has no group {name!r}; nothing was changed.\n"
                            "Fix: check the group name on celestrak.org/NORAD/elements.")
    try:
        records = json.loads(text)
    except json.JSONDecodeError as e:
        raise DownloadError(f"{url} sent malformed JSON ({e.msg}, line {e.lineno}); nothing "
                            "was changed.\nFix: try again later.") from None
    if not isinstance(records, list) or not records:
        raise DownloadError(f"{url} sent no element sets; nothing was changed.\n"
                            "Fix: check the group name, or try again later.")
    sets, problems = parse_omm(text, url, fmt="json")
    if problems:
        detail = "\n".join(p.message() for p in problems[:3])
        raise DownloadError(f"{url} sent {len(problems)} malformed record(s); nothing was "
                            f"changed.\n{detail}")
    provenance = {"url": url, "group": name,
                  "retrieved_utc": got.retrieved.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "server_date": got.server_date, "objects": len(sets)}
    with store_lock():
        atomic_write_text(path, json.dumps({"provenance": provenance, "records": records},
                                           indent=0) + "\n")
    return {"group": name, "status": "updated", "objects": len(sets), "url": url,
            "note": f"{len(sets)} objects stored in {path}"}


def _read_group_file(path: Path) -> dict | None:
    from orbitview.util.files import read_input
    try:
        data = json.loads(read_input(path, what="stored group", max_bytes=256 << 20,
                                     fix="delete it").decode("utf-8"))
    except (OSError, ValueError, RecursionError):    # DataError is a ValueError
        return None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list) or \
            not isinstance(data.get("provenance"), dict):
        return None
    return data


def stored_groups() -> tuple[list, list]:
    """(external satellites, problems) from every stored group; a damaged file is a problem."""
    from orbitview.data.elements import parse_omm
    from orbitview.util.errors import Problem
    out, problems = [], []
    directory = groups_dir()
    if not directory.is_dir():
        return out, problems
    from orbitview.data.external import satellites_from_sets
    for path in sorted(directory.glob("*.json")):
        data = _read_group_file(path)
        if data is None:
            problems.append(Problem(path, None, "unreadable group file", "",
                                    f"delete it and run 'orbitview tle update --group "
                                    f"{path.stem}' again"))
            continue
        prov = data["provenance"]
        sets, found = parse_omm(json.dumps(data["records"]), path, fmt="json")
        problems += found
        source = (f"CelesTrak group {prov.get('group', path.stem)} (fetched "
                  f"{prov.get('retrieved_utc', '?')})")
        for es in sets:
            es.source = f"{source} {prov.get('url', '')}".strip()
            es.extra["provenance"] = prov
        out += satellites_from_sets(sets, source)
    return out, problems
