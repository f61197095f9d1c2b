"""What orbitview assumes of skyfield, sgp4 and cartopy beyond their public APIs, checked
so that an upgrade that breaks an assumption fails here, loudly, by name.

orbitview uses public functions wherever they exist.  What remains private is checked
here, each by name:

* skyfield reads ``Time._nutation_angles_radians`` when it is set, and skyfield's own
  almanac sets it to the IAU 2000B series for speed; orbitview's Sun does the same
  (:func:`orbitview.orbit.frames.sun_teme_km`).  pyproject.toml bounds skyfield below 2.
"""

import numpy as np
import pytest
from skyfield.nutationlib import iau2000b_radians
from skyfield.sgp4lib import TEME

from orbitview.data.ephemeris import ephemeris
from orbitview.orbit.frames import sgp4_jd, sun_teme_km
from orbitview.util.timeutil import timescale

MAS_RAD = np.radians(1e-3 / 3600.0)
"""One milliarcsecond: IAU 2000B against 2000A differs by about this."""


def test_skyfield_reads_the_nutation_angles_a_time_carries():
    ts = timescale()
    t = ts.utc(2026, 9, 7, np.arange(0, 24, 6))
    sun = (ephemeris()["sun"] - ephemeris()["earth"]).at(t).xyz.km
    full = np.einsum("ijt,jt->it", TEME.rotation_at(t), sun)
    t2 = ts.utc(2026, 9, 7, np.arange(0, 24, 6))
    t2._nutation_angles_radians = iau2000b_radians(t2)
    fast = np.einsum("ijt,jt->it", TEME.rotation_at(t2), sun)
    # Set angles are used (results move, by ~1 mas), and they are the 2000B ones.
    angle = np.arccos(np.clip(np.sum(full * fast, axis=0)
                              / np.linalg.norm(full, axis=0) / np.linalg.norm(fast, axis=0),
                              -1, 1))
    assert 0 < angle.max() < 5 * MAS_RAD, (
        "skyfield no longer reads Time._nutation_angles_radians; orbitview.orbit.frames."
        "sun_teme_km must compute the TEME Sun another way")
    # orbitview's interpolated Sun agrees with the exact one to the interpolation error.
    ours = sun_teme_km(t)
    chord = np.arccos(np.clip(np.sum(ours * full, axis=0) / np.linalg.norm(ours, axis=0)
                              / np.linalg.norm(full, axis=0), -1, 1))
    assert chord.max() < 1e-6


@pytest.mark.parametrize("seconds", [0.0, 0.25, 59.5, 61.5, 43_260.5])
def test_sgp4_dates_from_public_calls_equal_skyfields_own(seconds):
    # skyfield's EarthSatellite gives SGP4 t.whole and the TAI fraction less the leap
    # seconds (a private method); orbitview gets the same instant from Time.utc and sgp4's
    # jday, both public.  Agreement to 1 microsecond either side of the leap second at the
    # end of 2016 (inside the inserted second itself UTC has no Julian date of its own,
    # and the two differ by up to a second).  1 us is 8 mm of track.
    ts = timescale()
    t = ts.utc(2016, 12, 31, 23, 59, np.array([seconds]))
    whole, fraction = sgp4_jd(t)
    private = t.whole + (t.tai_fraction - t._leap_seconds() / 86400.0)
    assert np.allclose((whole + fraction - private) * 86400.0, 0.0, atol=1e-6)
