"""Requests that would pass the memory limit are streamed in chunks or refused up front.

Each refusal names the figure and a request that fits; streamed output is the same,
byte for byte, whatever the chunk size.
"""

import json
import tracemalloc

import pytest
from conftest import run_cli

import orbitview.cli.observe as observe

START = "2026-09-07T00:00:00Z"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_positions_stream_the_same_rows_in_any_chunks(monkeypatch, fmt):
    args = ("positions", "PRSS-1", "PRSC-S1", "--start", START, "--hours", "1", "--step", "30",
            "--format", fmt)
    status, whole, err_whole = run_cli(*args)
    assert status == 0, err_whole
    monkeypatch.setattr(observe, "POSITION_CHUNK_ROWS", 7)      # 3 times a chunk, 41 chunks
    status, chunked, err = run_cli(*args)
    assert status == 0, err
    assert chunked == whole
    # The stale warning covers the whole run and is given once, however many chunks.
    assert err.count("PRSS-1 (43530): element set epoch") == 1
    rows = json.loads(chunked) if fmt == "json" else chunked.splitlines()[1:]
    assert len(rows) == 2 * 121


def test_positions_memory_does_not_grow_with_rows(monkeypatch):
    peaks = []
    for hours in ("2", "16"):
        tracemalloc.start()
        status, out, err = run_cli("positions", "PRSS-1", "--start", START, "--hours", hours,
                                   "--step", "1", "--format", "csv")
        peaks.append(tracemalloc.get_traced_memory()[1] - len(out) * 2)
        tracemalloc.stop()
        assert status == 0, err
    # The output text itself is held by the test's capture; without it, 8x the rows
    # take about the memory of one chunk.
    assert peaks[1] < 1.5 * peaks[0] + 20e6


def test_positions_refuses_an_absurd_request_before_any_work():
    status, _, err = run_cli("positions", "PRSS-1", "--start", START, "--hours", "8000",
                             "--step", "0.5", "--format", "csv")
    assert status == 2
    assert "57,600,001 rows is too many to print as csv (about 5 GB of text)" in err
    assert "Fix: use a larger --step or a shorter span." in err
    status, _, err = run_cli("positions", "PRSS-1", "--start", START, "--hours", "24",
                             "--step", "1", "--format", "table")
    assert status == 2 and "86,401 rows is too many to print as table" in err
    assert "Fix: use --format csv or json" in err


def test_track_refuses_a_track_that_would_not_fit(tmp_path):
    status, _, err = run_cli("track", "PRSS-1", "--at", START, "--before", "0", "--after",
                             "43200", "--step", "0.05", "-o", str(tmp_path / "x.png"))
    assert status == 2
    assert "a track of 51,840,002 points would need about 19.3 GiB of memory" in err
    assert "Fix: give --step 0.3" in err
    assert not (tmp_path / "x.png").exists()


def test_memory_limit_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ORBITVIEW_MEMORY_GIB", "0.5")
    status, _, err = run_cli("coverage", "PRSC-EO1", "--start", START, "--resolution", "0.01")
    assert status == 2 and "more than the 0.5 GiB orbitview allows itself" in err
    monkeypatch.setenv("ORBITVIEW_MEMORY_GIB", "lots")
    status, _, err = run_cli("coverage", "PRSC-EO1", "--start", START, "--resolution", "0.5")
    assert status == 2 and "ORBITVIEW_MEMORY_GIB='lots' is not a memory size" in err
