"""The bundled DE421 excerpt against the full DE421, its provenance and the supported dates.

Reference: JPL's full de421.bsp as the skyfield-data package ships it (a test extra).
"""

import datetime as dt
import hashlib
import json
import os
import warnings
from importlib.resources import files

import numpy as np
import pytest
from jplephem.spk import SPK
from skyfield.api import load, load_file

from orbitview.data.ephemeris import EPHEMERIS_FILE, ephemeris
from orbitview.util.timeutil import EPHEMERIS_RANGE_UTC

BUNDLED = files("orbitview").joinpath("data", "ephemeris_data")


@pytest.fixture(scope="module")
def full_de421():
    from skyfield_data import get_skyfield_data_path
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # its finals2000A.all expiry
        return load_file(os.path.join(get_skyfield_data_path(), "de421.bsp"))


def test_sun_is_bit_for_bit_the_full_de421(full_de421):
    # The excerpt keeps DE421's Chebyshev coefficients: identical numbers, whole range.
    ts = load.timescale(builtin=True)
    lo, hi = EPHEMERIS_RANGE_UTC
    t = ts.tt_jd(np.linspace(ts.from_datetime(lo).tt, ts.from_datetime(hi).tt, 5000))
    ours = (ephemeris()["sun"] - ephemeris()["earth"]).at(t).position.km
    theirs = (full_de421["sun"] - full_de421["earth"]).at(t).position.km
    assert np.array_equal(ours, theirs)
    # ... and the apparent Sun (light deflected by the Sun, Jupiter and Saturn) too.
    ours = ephemeris()["earth"].at(t[:50]).observe(ephemeris()["sun"]).apparent().position.km
    theirs = full_de421["earth"].at(t[:50]).observe(full_de421["sun"]).apparent().position.km
    assert np.array_equal(ours, theirs)


def test_supported_dates_lie_inside_the_excerpt():
    path = str(BUNDLED.joinpath(EPHEMERIS_FILE))
    spk = SPK.open(path)
    try:
        first = max(s.start_jd for s in spk.segments)
        last = min(s.end_jd for s in spk.segments)
        assert sorted((s.center, s.target) for s in spk.segments) == \
            [(0, 3), (0, 5), (0, 6), (0, 10), (3, 399)]
    finally:
        spk.close()
    jd = [(t - dt.datetime(2000, 1, 1, 12, tzinfo=dt.timezone.utc)).total_seconds() / 86400
          + 2451545.0 for t in EPHEMERIS_RANGE_UTC]
    # A day inside at each end: the Sun is read at hourly anchors around each time.
    assert first + 1 <= jd[0] and jd[1] <= last - 1
    assert EPHEMERIS_RANGE_UTC[0].year == 1957 and EPHEMERIS_RANGE_UTC[1].year == 2053


def test_provenance_matches_the_file():
    provenance = json.loads(BUNDLED.joinpath("PROVENANCE.json").read_text())
    data = BUNDLED.joinpath(EPHEMERIS_FILE).read_bytes()
    assert provenance["file"] == EPHEMERIS_FILE
    assert provenance["sha256"] == hashlib.sha256(data).hexdigest()
    assert provenance["bytes"] == len(data) < 5_000_000
    assert provenance["source"].startswith("skyfield-data ")
    assert "jplephem" in provenance["tool"] and "excerpt" in provenance["tool"]
    assert "Jet Propulsion Laboratory" in provenance["licence"]
