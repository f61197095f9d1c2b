"""The user's element store under concurrency and sudden death.

Real ``orbitview tle update`` processes run against a gp.php look-alike on
127.0.0.1.  Concurrent updates must each add their entry or fail with a message;
a process killed (SIGKILL) at any write step must leave a store that every
command accepts, without deleting anything by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import threading

import pytest
from conftest import PAKSAT_MM1_OMM, run_cli
from gpserver import send

EPOCH0 = dt.datetime(2026, 11, 1, 0, 0, 0)


class EpochCounter:
    """Answers every request with PakSat-MM1's record at a new epoch (one minute later)."""

    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def __call__(self, handler):
        with self.lock:
            self.n += 1
            epoch = EPOCH0 + dt.timedelta(minutes=self.n)
        record = {**PAKSAT_MM1_OMM, "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f")}
        send(handler, 200, json.dumps([record]).encode())


def start_update(*extra_env: tuple[str, str]) -> subprocess.Popen:
    env = {**os.environ, **dict(extra_env)}
    env.pop("ORBITVIEW_DATA_DIR", None)
    return subprocess.Popen([sys.executable, "-m", "orbitview", "tle", "update", "PakSat-MM1",
                             "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def stored_epochs(user_dir) -> list[str]:
    path = user_dir / "elements" / "59915.json"
    return [e["omm"]["EPOCH"] for e in json.loads(path.read_text())] if path.exists() else []


def test_twenty_pairs_of_concurrent_updates_lose_nothing(server, user_dir):
    server.routes[59915] = EpochCounter()
    succeeded, failed = 0, []
    for _ in range(20):
        pair = [start_update(), start_update()]
        for p in pair:
            out, err = p.communicate(timeout=120)
            assert "Traceback" not in err, err
            if p.returncode == 0:
                assert "updated" in out and "new epoch added" in out, out
                succeeded += 1
            else:
                # A clean failure: one message, exit 1, nothing half-written.
                assert p.returncode == 1 and "orbitview: error:" in err, (p.returncode, err)
                failed.append(err)
    epochs = stored_epochs(user_dir)
    # Every successful run added its own epoch; none was lost to a concurrent writer.
    assert len(epochs) == succeeded == 40 - len(failed)
    assert epochs == sorted(set(epochs))
    assert succeeded >= 38, failed
    log = json.loads((user_dir / "elements" / "fetch_log.json").read_text())
    assert list(log) == ["59915"]
    assert sorted(p.name for p in (user_dir / "elements").iterdir()) == [
        ".lock", "59915.json", "fetch_log.json"]
    status, out, err = run_cli("data", "check")
    assert status == 0, err


KILL_STEPS = ["fetched", "locked", "history:temp-half", "history:temp-synced",
              "history:replaced", "fetch-log:temp-half", "fetch-log:temp-synced",
              "fetch-log:replaced"]


@pytest.mark.parametrize("step", KILL_STEPS)
def test_sigkill_at_each_write_step_leaves_a_working_store(server, user_dir, step):
    server.routes[59915] = EpochCounter()
    assert run_cli("tle", "update", "PakSat-MM1")[0] == 0          # one stored epoch
    before = stored_epochs(user_dir)
    p = start_update(("ORBITVIEW_TEST_KILL_AT", step))
    p.communicate(timeout=120)
    assert p.returncode == -9, f"the test hook did not stop the process at {step}"
    # The history holds the old epochs or the old ones plus the new one: never half.
    after = stored_epochs(user_dir)
    assert after in (before, before + ["2026-11-01T00:02:00.000000"]), after
    assert after == before + ["2026-11-01T00:02:00.000000"] or \
        step in ("fetched", "locked", "history:temp-half", "history:temp-synced")
    # Every command works, with no file deleted by hand.
    for args in (("data", "check"),
                 ("tle", "status", "PakSat-MM1", "--at", "2026-11-02", "--format", "json"),
                 ("positions", "PakSat-MM1", "--start", "2026-11-02", "--hours", "0"),
                 ("look", "PakSat-MM1", "--site", "Karachi", "--at", "2026-11-02")):
        status, out, err = run_cli(*args)
        assert status == 0, (step, args, err)
        assert "orbitview-tmp" not in out + err
    # The next update succeeds and removes whatever the killed one left behind.
    status, out, err = run_cli("tle", "update", "PakSat-MM1", "--force")
    assert status == 0, err
    assert stored_epochs(user_dir)[-1] == "2026-11-01T00:03:00.000000"
    assert not [p.name for p in (user_dir / "elements").iterdir()
                if p.name.endswith(".orbitview-tmp")]


def test_leftover_temporary_files_are_ignored_and_cleaned(server, user_dir):
    server.routes[59915] = EpochCounter()
    elements = user_dir / "elements"
    elements.mkdir(parents=True)
    # What a writer killed mid-write leaves: a temporary file with half a history in it.
    (elements / ".59915.json.k2j3h4.orbitview-tmp").write_text('[{"omm": {"OBJECT_NA')
    # ... and one named like an older orbitview's temporary files, never read either.
    status, out, err = run_cli("data", "check")
    assert status == 0, err
    assert run_cli("tle", "update", "PakSat-MM1")[0] == 0
    assert sorted(p.name for p in elements.iterdir()) == [".lock", "59915.json",
                                                         "fetch_log.json"]


def test_busy_store_is_a_clean_failure(server, user_dir, monkeypatch):
    from filelock import FileLock

    import orbitview.data.sources as sources
    server.routes[59915] = EpochCounter()
    monkeypatch.setattr(sources, "LOCK_TIMEOUT_S", 0.2)
    (user_dir / "elements").mkdir(parents=True)
    with FileLock(user_dir / "elements" / ".lock"):
        done = {}
        # filelock is re-entrant within a thread; another thread is another writer.
        t = threading.Thread(target=lambda: done.update(r=run_cli("tle", "update",
                                                                    "PakSat-MM1")))
        t.start()
        t.join(60)
    status, out, err = done["r"]
    assert status == 1
    assert "another orbitview has been writing the element store" in err
    assert "Fix: let it finish, then run the command again." in err
    assert stored_epochs(user_dir) == []
