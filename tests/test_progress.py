"""Long work says how long: estimates from the measured cost per chunk, tested with a fake
clock (no test times anything).

The fake clock advances one second each time it is read: the estimator reads it once when
it starts and once per report, so every chunk 'costs' one second whatever the machine.
"""

from __future__ import annotations

import io
import itertools

import pytest
from conftest import run_cli


def fake_clock(step_s: float = 1.0):
    ticks = itertools.count()
    return lambda: next(ticks) * step_s


def fake_time(monkeypatch, step_s: float) -> None:
    """The clock of orbitview.util.progress (only there) advancing ``step_s`` a reading."""
    import types

    import orbitview.util.progress as progress
    monkeypatch.setattr(progress, "time", types.SimpleNamespace(monotonic=fake_clock(step_s)))


# --------------------------------------------------------------------------- the helper

def test_duration_text():
    from orbitview.util.progress import duration_text
    assert [duration_text(s) for s in (0.4, 8, 59.6, 200, 601, 3599, 4000, 90061)] == \
        ["0 s", "8 s", "1 min", "3 min 20 s", "10 min", "1 h 00 min", "1 h 07 min", "25 h 01 min"]


def test_estimate_leaves_out_the_first_chunk_and_waits_for_two_seconds():
    """The first chunk pays for setting the run up: its time is not a chunk's cost."""
    from orbitview.util.progress import Estimator
    times = iter([0.0, 30.0, 31.0, 32.0, 33.0])      # start; a 30 s set-up in chunk 1
    est = Estimator("coverage", "time steps", clock=lambda: next(times))
    assert est.report(100, 10_000) == []               # chunk 1 at 30 s: not a rate
    assert est.report(200, 10_000) == []               # 1 s measured: too little
    [(kind, e)] = est.report(300, 10_000)              # 2 s measured: 100 steps a second
    assert kind == "estimate" and e.remaining_s == pytest.approx(97.0)
    assert e.chunk_s == pytest.approx(1.0) and e.chunks_left == 97
    assert e.estimate_text() == (
        "coverage will take about 1 min 37 s more (97 chunks of work left at 1 s each, "
        "measured on the chunks done so far; 300 of 10,000 time steps done)")


def test_short_runs_are_not_announced():
    from orbitview.util.progress import Estimator
    est = Estimator("coverage", clock=fake_clock())
    events = [est.report(min(n * 10, 80), 80) for n in range(1, 9)]
    assert all(e == [] for e in events) and not est.announced     # 8 s in all


def test_updates_every_ten_seconds_then_done():
    from orbitview.util.progress import Estimator
    est = Estimator("coverage", "time steps", clock=fake_clock())
    total = 345_602                                  # 48 h every 1 s, twice (imaging)
    kinds = []
    for n in itertools.count(1):
        done = min(n * 4096, total)
        kinds += [k for k, _ in est.report(done, total)]
        if done == total:
            break
    assert kinds == ["estimate"] + ["update"] * 8 + ["done"]
    assert est.events[1][1].update_text() == (
        "coverage: 15 % done (53,248 of 345,602 time steps) after 13 s, about 1 min 11 s "
        "to go")
    assert est.events[-1][1].done_text() == "coverage: done in 1 min 25 s"


def test_counting_turns_increments_into_done_and_total():
    from orbitview.util.progress import counting
    seen = []
    tick = counting(lambda done, total: seen.append((done, total)), 10)
    for n in (4, 4, 2):
        tick(n)
    assert seen == [(4, 10), (8, 10), (10, 10)] and counting(None, 10) is None


# --------------------------------------------------------------------------- the CLI

def test_the_cli_says_the_estimate_off_a_terminal():
    from orbitview.cli.common import progress_display
    err = io.StringIO()
    with progress_display("coverage", clock=fake_clock(), stream=err) as progress:
        for n in range(1, 31):
            progress(n * 1000, 30_000)
    lines = err.getvalue().splitlines()
    assert lines[0] == ("orbitview: coverage will take about 27 s more (27 chunks of work left "
                        "at 1 s each, measured on the chunks done so far; 3,000 of 30,000 "
                        "time steps done)")
    assert lines[1].startswith("orbitview: coverage: 43 % done (13,000 of 30,000 time "
                               "steps) after 13 s, about 17 s to go")
    assert lines[-1] == "orbitview: coverage: done in 30 s"
    assert len(lines) == 4          # the estimate, two updates ten seconds apart, done


@pytest.mark.parametrize("args,what", [
    (("coverage", "PRSS-1", "--start", "2026-09-01T00:00Z", "--hours", "48", "--step", "1"),
     "coverage"),
    (("partners", "GAOFEN-1", "--region", "Sindh", "--start", "2026-06-01T00:00Z", "--days",
      "1", "--resolution", "0.5"), "partners"),
    (("design", "sweep", "--satellites", "4,8", "--planes", "1,2", "--start",
      "2026-06-01T00:00Z", "--days", "1", "--step", "120", "--resolution", "1"),
     "design sweep"),
    (("opportunities", "--all", "--target", "Sindh", "--start", "2026-09-01T00:00Z",
      "--days", "1", "--format", "csv"), "opportunities"),
])
def test_long_commands_say_how_long_they_will_take(args, what, monkeypatch):
    """Each chunk made to cost ten seconds by the clock: every command that runs the
    coverage engine (or searches satellite by satellite) announces its estimate on stderr,
    off a terminal."""
    fake_time(monkeypatch, 10.0)
    status, out, err = run_cli(*args)
    assert status == 0, err
    said = [line for line in err.splitlines() if line.startswith(f"orbitview: {what} ")]
    assert said and said[0].startswith(f"orbitview: {what} will take about ")
    assert "measured on the chunks done so far" in said[0]
    assert any(line.startswith(f"orbitview: {what}: done in ") for line in err.splitlines())


def test_positions_streams_say_how_long_too(monkeypatch):
    fake_time(monkeypatch, 10.0)
    status, out, err = run_cli("positions", "PRSS-1", "--start", "2026-09-01T00:00Z",
                               "--days", "2", "--step", "1", "--format", "csv")
    assert status == 0, err
    assert "orbitview: positions will take about " in err and " rows done)" in err
    assert out.count("\n") == 172_802                       # header + 2 days every second


def test_on_a_terminal_a_bar_shows_progress_and_the_estimate_is_still_said():
    from orbitview.cli.common import progress_display

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    with progress_display("coverage", clock=fake_clock(), stream=err) as progress:
        for n in range(1, 31):
            progress(n * 1000, 30_000)
    text = err.getvalue()
    assert "orbitview: coverage will take about 27 s more" in text
    assert "% done (" not in text                      # the bar, not update lines
    assert "orbitview: coverage: done in 30 s" in text
