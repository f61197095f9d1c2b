"""A hostile gp.php on 127.0.0.1: slow, endless and malformed answers.

Every answer below must end ``orbitview tle update`` within the total deadline with
exit status 1, one message that shows the URL intact and a fix, no traceback, and the
stored data byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time

import pytest
from conftest import PAKSAT_MM1_OMM, run_cli
from gpserver import send

DEADLINE_S = 1.5
"""The test deadline (orbitview's is 30 s): short, so the slow answers end quickly."""


@pytest.fixture(autouse=True)
def short_limits(monkeypatch):
    import orbitview.data.sources as sources
    monkeypatch.setattr(sources, "DEADLINE_S", DEADLINE_S)
    monkeypatch.setattr(sources, "MAX_BODY_BYTES", 256 * 1024)


def snapshot(directory):
    if not directory.exists():
        return {}
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file() and p.name != ".lock"}


def run_bounded(*args, limit_s: float = DEADLINE_S + 20):
    """run_cli in a thread: a hang fails the test instead of stalling the suite."""
    result = {}
    t = threading.Thread(target=lambda: result.update(r=run_cli(*args)), daemon=True)
    start = time.monotonic()
    t.start()
    t.join(limit_s)
    assert not t.is_alive(), f"orbitview {' '.join(args)} hung"
    return (*result["r"], time.monotonic() - start)


# --------------------------------------------------------------------------- hostile answers

def raw(*parts: bytes, pause_s: float = 0.0, forever: bytes = b""):
    """A route writing ``parts`` as they are, then ``forever`` again and again."""
    def route(handler):
        for part in parts:
            handler.wfile.write(part)
            handler.wfile.flush()
        while forever:
            handler.wfile.write(forever)
            handler.wfile.flush()
            if pause_s:
                time.sleep(pause_s)
    return route


def drip(head: bytes, then: bytes, pause_s=0.1):
    """Send ``head``, then ``then`` one byte at a time, forever if need be."""
    def route(handler):
        handler.wfile.write(head)
        handler.wfile.flush()
        for _ in range(100_000):
            for b in then:
                handler.wfile.write(bytes([b]))
                handler.wfile.flush()
                time.sleep(pause_s)
    return route


GOOD = json.dumps([PAKSAT_MM1_OMM]).encode()
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"

HOSTILE = {
    "slow drip body": (drip(HEAD + b"Content-Length: 100000\r\n\r\n", GOOD),
                       "no complete answer within 1.5 s (timed out)"),
    "slow drip headers": (drip(b"HTTP/1.1 200 OK\r\n", b"X-Slow: yes\r\n"),
                          "no complete answer within 1.5 s (timed out)"),
    "endless body": (raw(HEAD + b"Connection: close\r\n\r\n", forever=b"[" + b" " * 65535),
                     "sent more than 262,144 bytes; the download was stopped"),
    "endless chunked body": (raw(HEAD + b"Transfer-Encoding: chunked\r\n\r\n",
                                 forever=b"4000\r\n" + b" " * 0x4000 + b"\r\n"),
                             "sent more than 262,144 bytes"),
    "huge announced length": (raw(HEAD + b"Content-Length: 99999999999\r\n\r\n"),
                              "announced an answer of 99,999,999,999 bytes"),
    "truncated body": (raw(HEAD + b"Content-Length: 5000\r\n\r\n" + GOOD[:100]),
                       "malformed HTTP answer (the body ended early: 100 bytes received)"),
    "broken chunk size": (raw(HEAD + b"Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + GOOD),
                          "malformed HTTP answer"),
    "truncated chunk": (raw(HEAD + b"Transfer-Encoding: chunked\r\n\r\n400\r\n" + GOOD[:50]),
                        "malformed HTTP answer (the body ended early"),
    "bad status line": (raw(b"HTTP/1.1 OKAY\r\n\r\n" + GOOD),
                        "malformed HTTP answer (bad status line"),
    "not HTTP at all": (raw(b"\x16\x03\x01 hello\r\n\r\n"), "malformed HTTP answer"),
    "no answer": (raw(), "malformed HTTP answer"),
    "too many headers": (raw(HEAD + b"".join(b"X-%d: y\r\n" % i for i in range(150))
                             + b"\r\n" + GOOD), "got more than 100 headers"),
    "too long header": (raw(HEAD + b"X-Long: " + b"y" * 70000 + b"\r\n\r\n" + GOOD),
                        "got more than 65536 bytes when reading header line"),
    "redirect loop": (raw(b"HTTP/1.1 302 Found\r\nLocation: /NORAD/elements/gp.php?CATNR="
                          b"59915&FORMAT=JSON\r\nContent-Length: 0\r\n\r\n"),
                      "answered HTTP 302"),
    "HTTP 204": (lambda h: send(h, 204, b""), "answered HTTP 204"),
    "deep JSON": (lambda h: send(h, 200, b"[" * 200_000), "JSON nested too deeply to read"),
    "5,000-digit number": (lambda h: send(h, 200, json.dumps(
        [{**PAKSAT_MM1_OMM, "MEAN_MOTION": 7}]).replace(": 7", ": " + "7" * 5000).encode()),
        "JSON value cannot be read (Exceeds the limit (4300 digits)"),
    "mean motion 0": (lambda h: send(h, 200, json.dumps([{**PAKSAT_MM1_OMM,
                                                          "MEAN_MOTION": 0}]).encode()),
                      "MEAN_MOTION 0 rev/day is outside 0.05 to 20"),
    "not UTF-8": (lambda h: send(h, 200, b'[{"OBJECT_NAME": "\xff"}]'),
                  "sent a body that is not UTF-8 text"),
    "only other objects": (lambda h: send(h, 200, json.dumps(
        [{**PAKSAT_MM1_OMM, "NORAD_CAT_ID": n} for n in (43529, 43530)]).encode()),
        "answered with the element sets of 43529, 43530 instead of one for 59915"),
    "HTML error page": (lambda h: send(h, 200, b"<html><body>Service unavailable</body>"
                                               b"</html>"), "malformed answer"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_answer_fails_cleanly_and_changes_nothing(server, user_dir, name):
    route, message = HOSTILE[name]
    server.routes[59915] = (200, GOOD, 0)
    assert run_cli("tle", "update", "PakSat-MM1")[0] == 0
    before = snapshot(user_dir)
    server.routes[59915] = route
    status, out, err, took = run_bounded("tle", "update", "PakSat-MM1", "--force")
    assert status == 1, (name, err)
    assert "Traceback" not in err and "unexpected" not in err, err
    assert message in err, (name, err)
    assert f"{server.url}/NORAD/elements/gp.php?CATNR=59915&FORMAT=JSON" in err  # intact URL
    assert "Fix:" in err
    assert "stored data of those objects is unchanged" in err
    assert snapshot(user_dir) == before
    assert took < DEADLINE_S + 15


@pytest.mark.parametrize("fmt,edit,message", [
    ("tle", lambda l1, l2: (l1, l2[:52] + " 0.00000000" + l2[63:]),
     "MEAN_MOTION 0 rev/day is outside 0.05 to 20"),
    ("tle", lambda l1, l2: (l1[:20] + "000.09835388" + l1[32:], l2),
     "epoch day of year 000.09835388 is outside 1 to 366.99999999"),
])
def test_impossible_tle_answer(server, user_dir, fmt, edit, message):
    from sgp4.io import fix_checksum
    l1 = "1 59915U 24104A   26250.09835388  .00000136  00000+0  00000+0 0  9997"
    l2 = "2 59915   0.0370 224.0079 0001995 305.2912 250.4932  1.00269514  8349"
    a, b = edit(l1, l2)
    server.routes[59915] = (200, f"PAKSAT-MM1\n{fix_checksum(a)}\n{fix_checksum(b)}\n"
                            .encode(), 0)
    status, out, err, _ = run_bounded("tle", "update", "PakSat-MM1", "--format", fmt)
    assert status == 1 and message in err and "Traceback" not in err, err
    assert f"{server.url}/NORAD/elements/gp.php?CATNR=59915&FORMAT=TLE:2: " in err
    assert snapshot(user_dir) == {}


def test_answer_holding_other_objects_takes_the_requested_one(server, user_dir):
    records = [{**PAKSAT_MM1_OMM, "NORAD_CAT_ID": 43529, "OBJECT_ID": "2018-056A"},
               PAKSAT_MM1_OMM, {"NORAD_CAT_ID": "junk"}]
    server.routes[59915] = (200, json.dumps(records).encode(), 0)
    status, out, err, _ = run_bounded("tle", "update", "PakSat-MM1")
    assert status == 0, err
    assert "the answer also held 2 other object(s) (43529, junk), not stored" in out
    assert [e["omm"] for e in json.loads((user_dir / "elements" / "59915.json").read_text())] \
        == [PAKSAT_MM1_OMM]


def test_slow_but_steady_answer_within_the_deadline_succeeds(server, user_dir):
    # Per-read timeouts were the old behaviour; a body that arrives in pieces within the
    # total deadline is fine.
    def route(handler):
        handler.wfile.write(HEAD + f"Content-Length: {len(GOOD)}\r\n\r\n".encode())
        for k in range(0, len(GOOD), len(GOOD) // 4 + 1):
            handler.wfile.write(GOOD[k:k + len(GOOD) // 4 + 1])
            handler.wfile.flush()
            time.sleep(0.05)
    server.routes[59915] = route
    status, out, err, _ = run_bounded("tle", "update", "PakSat-MM1")
    assert status == 0, err


@pytest.mark.parametrize("url", ["http:/127.0.0.1:9", "ftp://celestrak.org", "http://",
                                 "http://127.0.0.1:99999", "http://celes trak.org",
                                 "https://celestrak.org/?x=1", "celestrak.org",
                                 "http://[::1", "http://127.0.0.1:9/\tx", "http://127.0.0.1:9/\x7f"])
def test_malformed_celestrak_url_is_refused_before_any_fetch(user_dir, monkeypatch, url):
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", url)
    status, out, err, took = run_bounded("tle", "update", "PakSat-MM1")
    assert status == 2, err
    assert "ORBITVIEW_CELESTRAK_URL=" in err and "is not a usable http(s) URL" in err
    assert "Fix: set it to an http(s) address such as https://celestrak.org" in err
    assert "Traceback" not in err and out == ""
    assert not user_dir.exists()


def test_unreachable_server_names_the_url(user_dir, monkeypatch):
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", "http://127.0.0.1:9/base")
    status, out, err, _ = run_bounded("tle", "update", "PakSat-MM1")
    assert status == 1
    assert "could not fetch http://127.0.0.1:9/base/NORAD/elements/gp.php?CATNR=59915" in err
    assert "Fix: check the network" in err
