"""Who can reach which ground point from where: one access rule, two kinds.

An access rule answers "can this satellite serve this ground point now?" with
a continuous margin in degrees (>= 0: yes), so searches can bisect on it:

* :class:`VisibilityRule` (radio): elevation above a minimum and a horizon
  mask, as seen from the ground point;
* :class:`ImagingRule` (imaging): the point lies in the instrument's field of
  regard (off-nadir angle at the satellite, or within half the nadir swath;
  for a radar, incidence within its window on an allowed side), the Sun
  stands high enough at the point for an optical instrument, and optionally
  the view zenith angle is small enough.

Passes, footprints, coverage grids and imaging opportunities all call
:meth:`margin_deg_at` with the satellite's and the ground point's Earth-fixed
(ITRS) positions, so a footprint edge crosses a site at the moment the pass
list gives its start.  Angles are measured on the WGS84 ellipsoid: the ground
point's vertical is its ellipsoid normal (:func:`~orbitview.data.sites.enu_basis`),
the satellite's nadir is the ellipsoid normal through it (geodetic nadir).
A rule for a whole fleet is a :class:`RuleBySatellite`; engines ask any rule
:meth:`for_satellite` once per satellite.

What the engines (passes, coverage) ask of the rule :meth:`for_satellite` returns:

* ``margin_deg_at(sat_itrs_km, target_itrs_km, enu, sun_itrs_unit=None,
  sat_velocity_itrs_km_s=None)``: the margin, shapes broadcasting as in
  :meth:`VisibilityRule.margin_deg_at`;
* ``needs_sun`` / ``needs_velocity``: whether to pass the Earth-fixed Sun
  direction / satellite velocity (the engines compute them only then);
* ``reach_deg(sat_radius_km, target_radius_km)``: ``(certain, possible)`` Earth
  central angles between the satellite and a target at that geocentric distance:
  within ``certain`` the margin is >= 0, beyond ``possible`` it is < 0.  They must
  hold exactly on the ellipsoid (the engines skip margins on their strength;
  ``-inf`` for ``certain`` is always safe) and are tested on random geometry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbitview.util.errors import DataError, Problem, UsageError
from orbitview.util.names import names_text

WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
MEAN_EARTH_RADIUS_KM = 6371.0088

DEFAULT_MIN_ELEVATION_DEG = 10.0
MAX_MASK_BYTES = 16 << 20
"""Largest horizon mask read (one row per 0.01 deg of azimuth is under 1 MiB)."""
GEODETIC_TILT_DEG = 0.2
"""Largest angle between a WGS84 ellipsoid normal and the geocentric radius through the
same point (0.1924 deg, at 45 deg latitude), rounded up: elevations and off-nadir angles
measured from either differ by at most this."""


@dataclass
class HorizonMask:
    """Minimum elevation by azimuth, linearly interpolated (azimuth wraps at 360)."""

    azimuth_deg: np.ndarray
    min_elevation_deg: np.ndarray
    source: str = ""

    def __call__(self, azimuth_deg):
        return np.interp(np.mod(azimuth_deg, 360.0), self.azimuth_deg,
                         self.min_elevation_deg, period=360.0)

    @classmethod
    def read(cls, path: Path | str) -> "HorizonMask":
        """Read a CSV with columns ``azimuth_deg,min_elevation_deg``."""
        from orbitview.util.files import read_input
        path = Path(path)
        problems = []
        az, el = [], []
        try:
            text = read_input(path, what="horizon mask", max_bytes=MAX_MASK_BYTES,
                              fix="give the path of a CSV file with the columns "
                                  "azimuth_deg,min_elevation_deg", option="--mask"
                              ).decode("utf-8")
        except UnicodeDecodeError as e:
            raise DataError([Problem(path, e.object[:e.start].count(b"\n") + 1,
                                     f"not UTF-8 text (byte {e.object[e.start]:#04x} at offset "
                                     f"{e.start})", "", "save the file as UTF-8")]) from None
        except FileNotFoundError:
            text = None
        try:
            if text is None:
                raise FileNotFoundError(path)
            with io.StringIO(text, newline="") as f:
                reader = csv.DictReader(f)
                if reader.fieldnames is None or not {"azimuth_deg", "min_elevation_deg"} <= \
                        set(reader.fieldnames):
                    raise DataError([Problem(path, 1, "a horizon mask needs the columns "
                                             "azimuth_deg,min_elevation_deg",
                                             ",".join(reader.fieldnames or []),
                                             "write a header line azimuth_deg,min_elevation_deg")])
                for row in reader:
                    try:
                        a, e = float(row["azimuth_deg"]), float(row["min_elevation_deg"])
                    except (TypeError, ValueError):
                        problems.append(Problem(path, reader.line_num, "not two numbers",
                                                str(row), "give degrees, e.g. 90,12.5"))
                        continue
                    if not (0 <= a < 360 and -5 <= e <= 90):
                        problems.append(Problem(path, reader.line_num,
                                                f"azimuth {a} or elevation {e} out of range",
                                                str(row), "azimuth in [0, 360), elevation in "
                                                "[-5, 90] degrees"))
                        continue
                    az.append(a)
                    el.append(e)
        except csv.Error as e:
            raise DataError([Problem(path, None, f"not valid CSV ({e})", "",
                                     "write azimuth_deg,min_elevation_deg rows")]) from None
        except FileNotFoundError:
            raise UsageError(f"horizon mask file {str(path)!r} not found.\n"
                             "Fix: give the path of a CSV with azimuth_deg,min_elevation_deg."
                             ) from None
        if not problems and not az:
            problems.append(Problem(path, None, "the mask has no rows", "",
                                    "add at least one azimuth_deg,min_elevation_deg row"))
        if problems:
            raise DataError(problems)
        order = np.argsort(az)
        return cls(np.array(az)[order], np.array(el)[order], str(path))


@dataclass
class VisibilityRule:
    """Visible means elevation >= max(min_elevation_deg, mask(azimuth))."""

    min_elevation_deg: float = DEFAULT_MIN_ELEVATION_DEG
    mask: HorizonMask | None = None

    def required_deg(self, azimuth_deg):
        required = np.full(np.shape(azimuth_deg), float(self.min_elevation_deg))
        if self.mask is not None:
            required = np.maximum(required, self.mask(azimuth_deg))
        return required

    def margin_deg(self, azimuth_deg, elevation_deg):
        """Elevation above what the rule requires (>= 0: visible)."""
        return elevation_deg - self.required_deg(azimuth_deg)

    @property
    def lowest_deg(self) -> float:
        low = float(self.min_elevation_deg)
        return low if self.mask is None else max(low, float(self.mask.min_elevation_deg.min()))

    def describe(self) -> str:
        text = f"elevation >= {self.min_elevation_deg:g}\u00b0"
        return text + (f" and horizon mask {self.mask.source}" if self.mask else "")

    def reach_deg(self, sat_radius_km, target_radius_km):
        """(certain, possible) Earth central angles (deg) for engines that cull.

        A target at geocentric distance ``target_radius_km`` whose central angle
        from a satellite at ``sat_radius_km`` is within ``certain`` has access;
        beyond ``possible`` it has none (see :func:`elevation_reach_deg`).
        """
        highest = float(self.min_elevation_deg)
        if self.mask is not None:
            highest = max(highest, float(self.mask.min_elevation_deg.max()))
        return (elevation_reach_deg(sat_radius_km, target_radius_km,
                                    highest + GEODETIC_TILT_DEG),
                self.reach_bound_deg(sat_radius_km, target_radius_km))

    def reach_bound_deg(self, sat_radius_km, target_radius_km):
        """An upper bound of :meth:`reach_deg`'s possible angle (here the angle itself)
        that grows with ``sat_radius_km``: engines bound a satellite's samples by its
        highest one."""
        return elevation_reach_deg(sat_radius_km, target_radius_km,
                                   self.lowest_deg - GEODETIC_TILT_DEG)

    kind = "radio"
    needs_sun = False
    needs_velocity = False
    assumptions = ()

    def margin_deg_at(self, sat_itrs_km, target_itrs_km, enu, sun_itrs_unit=None,
                      sat_velocity_itrs_km_s=None, sat_up=None):
        """Elevation above the requirement (deg) of satellites seen from ground points.

        ``sat_itrs_km`` (3, ...) broadcastable against ``target_itrs_km`` (3, n_target);
        ``enu`` (3, 3, n_target) from :func:`~orbitview.data.sites.enu_basis`.  The Sun,
        velocity and ``sat_up`` arguments are accepted (and ignored) so every rule has one
        signature.
        """
        if self.mask is None:            # the elevation alone decides: skip the azimuth
            e, n, u = _enu_components(target_itrs_km, enu, sat_itrs_km)
            return np.degrees(np.arctan2(u, np.hypot(e, n))) - self.min_elevation_deg
        az, el, _ = look_angles(target_itrs_km, enu, sat_itrs_km)
        return self.margin_deg(az, el)

    def for_satellite(self, sat) -> "VisibilityRule":
        """The rule that applies to one satellite: the same for every radio link."""
        return self

    def geometric(self) -> "VisibilityRule":
        return self


def look_angles(site_itrs_km: np.ndarray, enu: np.ndarray, sat_itrs_km: np.ndarray):
    """Azimuth, elevation (deg) and range (km) from sites to satellites.

    ``site_itrs_km`` (3, n_site), ``enu`` (3, 3, n_site) from :func:`enu_basis`,
    ``sat_itrs_km`` (3, ...) broadcastable against (3, n_site).
    """
    e, n, u = _enu_components(site_itrs_km, enu, sat_itrs_km)
    horizontal = np.hypot(e, n)
    elevation = np.degrees(np.arctan2(u, horizontal))
    azimuth = np.degrees(np.arctan2(e, n)) % 360.0
    return azimuth, elevation, np.sqrt(horizontal * horizontal + u * u)


def elevation_deg(site_itrs_km: np.ndarray, enu: np.ndarray, sat_itrs_km: np.ndarray):
    """The elevation (deg) of :func:`look_angles` alone (searches that need no azimuth)."""
    e, n, u = _enu_components(site_itrs_km, enu, sat_itrs_km)
    return np.degrees(np.arctan2(u, np.hypot(e, n)))


def _enu_components(site_itrs_km, enu, sat_itrs_km):
    """East, north and up components (km) of the line from sites to satellites."""
    d = sat_itrs_km - site_itrs_km
    return _dot3(enu[0], d), _dot3(enu[1], d), _dot3(enu[2], d)


def _dot3(a, b):
    """Dot products over the leading axis (length 3), broadcasting the rest; written out,
    it is several times faster than ``einsum`` on broadcast operands."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def central_angle_deg(altitude_km: float, min_elevation_deg: float,
                      earth_radius_km: float = 6371.0088) -> float:
    """Closed-form Earth central angle of a visibility circle on a spherical Earth."""
    eps = np.radians(min_elevation_deg)
    return float(np.degrees(np.arccos(earth_radius_km * np.cos(eps)
                                      / (earth_radius_km + altitude_km)) - eps))


def elevation_reach_deg(sat_radius_km, target_radius_km, elevation_deg):
    """Earth central angle (deg) at which a satellite stands ``elevation_deg`` above a
    target's geocentric horizon.

    Exact in the plane through the Earth's centre, the target and the satellite
    (no spherical Earth is assumed: only the two distances enter), and the
    elevation falls as the angle grows.  Measured from the ellipsoid normal
    instead, the elevation differs by at most :data:`GEODETIC_TILT_DEG`, which
    is how the rules' :meth:`reach_deg` bounds become exact.
    """
    e = np.radians(elevation_deg)
    ratio = np.asarray(target_radius_km, float) * np.cos(e) / np.asarray(sat_radius_km, float)
    return np.degrees(np.arccos(np.clip(ratio, -1.0, 1.0)) - e)


def off_nadir_reach_at_deg(sat_radius_km, target_radius_km, off_nadir_deg):
    """Earth central angle (deg) of the nearest target at ``target_radius_km`` seen from
    ``sat_radius_km`` at geocentric off-nadir angle ``off_nadir_deg``; infinite where that
    line of sight misses the target sphere (every point above the horizon is then within
    the angle).  Grows with the off-nadir angle."""
    eta = np.radians(off_nadir_deg)
    r, R = np.asarray(sat_radius_km, float), np.asarray(target_radius_km, float)
    s = r * np.sin(eta) / R
    elev = np.arccos(np.clip(s, -1.0, 1.0))           # law of sines: cos(elev) = r sin(eta) / R
    return np.where(s < 1.0, np.degrees(np.pi / 2 - eta - elev), np.inf)


# --------------------------------------------------------------------------- imaging

def geodetic_up(xyz_km):
    """Unit ellipsoid normal (3, ...) through Earth-fixed points above WGS84, and height (km).

    Bowring's closed form (1976): for points from the ground to GEO it agrees
    with skyfield's iterated ``wgs84`` latitude to 2e-10 radian in LEO and
    5e-9 at GEO (tested), and costs one pass over the arrays.  The satellite's geodetic
    nadir is ``-geodetic_up``.
    """
    x, y, z = np.asarray(xyz_km, float)
    a = WGS84_A_KM
    b = a * (1.0 - WGS84_F)
    e2 = WGS84_F * (2.0 - WGS84_F)
    ep2 = e2 / (1.0 - e2)
    p = np.hypot(x, y)
    theta = np.arctan2(z * a, p * b)
    st, ct = np.sin(theta), np.cos(theta)
    lat = np.arctan2(z + ep2 * b * st ** 3, p - e2 * a * ct ** 3)
    lon = np.arctan2(y, x)
    sl, cl = np.sin(lat), np.cos(lat)
    n = a / np.sqrt(1.0 - e2 * sl * sl)
    # Height: along the normal; the form below is well conditioned at all latitudes.
    height = p * cl + z * sl - a * a / n
    return np.array([cl * np.cos(lon), cl * np.sin(lon), sl]), height


def imaging_angles(sat_itrs_km, target_itrs_km, enu):
    """Viewing geometry of ground points from satellites, on the WGS84 ellipsoid.

    Shapes as in :meth:`VisibilityRule.margin_deg_at`.  Returns a dict of arrays:
    ``off_nadir_deg`` (angle at the satellite between its geodetic nadir and the
    line of sight), ``view_zenith_deg`` (angle at the ground point between its
    ellipsoid normal and the direction to the satellite: the incidence angle),
    ``view_azimuth_deg`` (direction from the ground point to the satellite,
    clockwise from north), ``range_km`` and ``altitude_km`` (satellite height).
    """
    sat = np.asarray(sat_itrs_km, float)
    d = sat - target_itrs_km                       # ground point -> satellite
    e = np.einsum("i...,i...->...", enu[0], d)
    n = np.einsum("i...,i...->...", enu[1], d)
    u = np.einsum("i...,i...->...", enu[2], d)
    rng = np.sqrt(e * e + n * n + u * u)
    up_sat, height = geodetic_up(sat)
    # cos(off-nadir) = nadir . (target - sat) / range = up_sat . d / range
    cos_off = np.einsum("i...,i...->...", up_sat, d) / rng
    return {
        "off_nadir_deg": np.degrees(np.arccos(np.clip(cos_off, -1.0, 1.0))),
        "view_zenith_deg": np.degrees(np.arccos(np.clip(u / rng, -1.0, 1.0))),
        "view_azimuth_deg": np.degrees(np.arctan2(e, n)) % 360.0,
        "range_km": rng,
        "altitude_km": np.broadcast_to(height, np.shape(rng)),
    }


def _view_angles(sat, target_itrs_km, enu, up_sat, height):
    """What :meth:`ImagingRule.margin_deg_at` needs of :func:`imaging_angles` (off-nadir
    and view zenith angles, altitude), with the satellite's ellipsoid normal ``up_sat``
    and ``height`` given: the same arithmetic, without the azimuth nobody reads."""
    d = sat - target_itrs_km                       # ground point -> satellite
    e, n, u = _dot3(enu[0], d), _dot3(enu[1], d), _dot3(enu[2], d)
    rng = np.sqrt(e * e + n * n + u * u)
    cos_off = _dot3(up_sat, d) / rng
    return {"off_nadir_deg": np.degrees(np.arccos(np.minimum(np.maximum(cos_off, -1.0), 1.0))),
            "view_zenith_deg": np.degrees(np.arccos(np.minimum(np.maximum(u / rng, -1.0),
                                                               1.0))),
            "altitude_km": np.broadcast_to(height, np.shape(rng))}


def half_swath_off_nadir_deg(half_swath_km, altitude_km,
                             earth_radius_km: float = MEAN_EARTH_RADIUS_KM):
    """Off-nadir angle (deg) that reaches ``half_swath_km`` of ground arc from nadir.

    Spherical Earth: the ground point at central angle lambda = s / R is seen
    from height h at tan(eta) = R sin(lambda) / (R + h - R cos(lambda)).
    """
    lam = np.asarray(half_swath_km, float) / earth_radius_km
    r = earth_radius_km
    h = np.asarray(altitude_km, float)
    return np.degrees(np.arctan2(r * np.sin(lam), r + h - r * np.cos(lam)))


def off_nadir_reach_deg(off_nadir_deg, altitude_km,
                        earth_radius_km: float = MEAN_EARTH_RADIUS_KM):
    """Earth central angle (deg) from nadir to the ground point seen at ``off_nadir_deg``.

    The closed form on a sphere: sin(off_nadir) = R cos(elev) / (R + h), and
    lambda = 90 - off_nadir - elev.  NaN beyond the horizon.
    """
    eta = np.radians(np.asarray(off_nadir_deg, float))
    s = (earth_radius_km + np.asarray(altitude_km, float)) / earth_radius_km * np.sin(eta)
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arcsin(np.where(s <= 1.0, s, np.nan)) - eta)


SIDES = ("left", "right", "both")


@dataclass
class ImagingRule:
    """Imaging access: the ground point lies where the instrument can image it now.

    A point is imageable when every constraint holds; :meth:`margin_deg_at`
    returns the smallest constraint margin (deg), so it is >= 0 exactly then:

    * field of regard: off-nadir angle <= ``max_off_nadir_deg``, or the point
      within half of ``swath_km`` from nadir (a nadir-pointing instrument);
    * radar: incidence (view zenith) within ``incidence_deg`` = (min, max), on
      one of ``sides`` of the ground track (``both``, ``left`` or ``right``);
    * light: Sun elevation at the point >= ``min_sun_elevation_deg`` (optical);
    * view: view zenith angle <= ``max_view_zenith_deg`` (default: the point
      must see the satellite above its horizon).

    ``assumptions`` lists, for people, every value here that is assumed rather
    than published; outputs built on the rule repeat it, naming ``source``, the
    instrument file the values come from (data/sensors.csv or a --sensors file).
    """

    name: str = ""
    sensor_kind: str = "optical"
    max_off_nadir_deg: float | None = None
    swath_km: float | None = None
    incidence_deg: tuple | None = None
    sides: str = "both"
    min_sun_elevation_deg: float | None = None
    max_view_zenith_deg: float | None = None
    assumptions: tuple = ()
    source: str = ""

    kind = "imaging"

    def __post_init__(self):
        if self.max_off_nadir_deg is None and not self.swath_km and self.incidence_deg is None:
            raise UsageError(f"the imaging rule for {self.name or 'this instrument'} has no "
                             "field of regard.\nFix: give a maximum off-nadir angle "
                             "(--max-off-nadir), a swath, or a radar incidence range.")
        if self.sides not in SIDES:
            raise UsageError(f"look side {self.sides!r} is not one of {', '.join(SIDES)}.\n"
                             "Fix: use left, right or both.")

    @property
    def needs_sun(self) -> bool:
        return self.min_sun_elevation_deg is not None

    @property
    def needs_velocity(self) -> bool:
        return self.sides != "both"

    @property
    def side_looking(self) -> bool:
        """A radar: it images a point only while the point is abeam (zero Doppler), at an
        incidence within its window.  :meth:`margin_deg_at` is the window swept round
        nadir (what a pass covers on the ground over time: coverage, footprints); an
        opportunity search finds the abeam instants (:meth:`broadside_margin_deg_at`,
        :mod:`orbitview.access.opportunities`), so a point inside the near-nadir gap
        is not imaged ahead of or behind the satellite."""
        return self.incidence_deg is not None

    @property
    def bounded_by_swath(self) -> bool:
        """Whether the nadir swath bounds the field of regard (not for a radar: its swath
        lies within the incidence window, off to the side)."""
        return bool(self.swath_km) and self.incidence_deg is None

    @property
    def fixed_field_of_regard_deg(self) -> float | None:
        """The field of regard (deg) when it is the same at every altitude (a largest
        off-nadir angle alone); None when a swath or an incidence window sets it."""
        if (self.max_off_nadir_deg is None or self.bounded_by_swath
                or self.incidence_deg is not None):
            return None
        return float(self.max_off_nadir_deg)

    def for_satellite(self, sat) -> "ImagingRule":
        return self

    def geometric(self) -> "ImagingRule":
        """The same rule without the Sun constraint (where geometry alone is wanted)."""
        from dataclasses import replace
        return replace(self, min_sun_elevation_deg=None)

    def field_of_regard_deg(self, altitude_km):
        """Largest off-nadir angle (deg) at which a point can be imaged, per altitude.

        For a radar it is the off-nadir angle of the far incidence edge.
        """
        reach = np.full(np.shape(altitude_km), -np.inf)
        if self.max_off_nadir_deg is not None:
            reach = np.maximum(reach, self.max_off_nadir_deg)
        if self.bounded_by_swath:
            reach = np.maximum(reach, half_swath_off_nadir_deg(self.swath_km / 2.0,
                                                               altitude_km))
        if self.incidence_deg is not None:
            reach = np.maximum(reach, incidence_to_off_nadir_deg(self.incidence_deg[1],
                                                                 altitude_km))
        return reach

    def margin_deg_at(self, sat_itrs_km, target_itrs_km, enu, sun_itrs_unit=None,
                      sat_velocity_itrs_km_s=None, sat_up=None):
        """Smallest constraint margin (deg); >= 0 where the point can be imaged.

        Arguments as in :meth:`VisibilityRule.margin_deg_at`; ``sun_itrs_unit``
        (3, ...) is the Earth-fixed unit vector towards the Sun (needed when
        :attr:`needs_sun`), ``sat_velocity_itrs_km_s`` the Earth-fixed velocity
        (needed when :attr:`needs_velocity`, i.e. a one-sided radar).  ``sat_up``, if
        given, is ``geodetic_up(sat_itrs_km)`` computed once per satellite position
        (engines that test one position against many points pass it; the margin is the
        same number either way).
        """
        sat = np.asarray(sat_itrs_km, float)
        up_sat, height = geodetic_up(sat) if sat_up is None else sat_up
        g = _view_angles(sat, target_itrs_km, enu, up_sat, height)
        vza = g["view_zenith_deg"]
        limit = 90.0 if self.max_view_zenith_deg is None else self.max_view_zenith_deg
        margins = [limit - vza]
        if self.incidence_deg is not None:
            lo, hi = self.incidence_deg
            margins.append(np.minimum(vza - lo, hi - vza))
        if self.max_off_nadir_deg is not None or self.bounded_by_swath:
            reach = self.max_off_nadir_deg if self.max_off_nadir_deg is not None else -np.inf
            if self.bounded_by_swath:
                reach = np.maximum(reach, half_swath_off_nadir_deg(self.swath_km / 2.0,
                                                                   g["altitude_km"]))
            margins.append(reach - g["off_nadir_deg"])
        if self.needs_velocity:
            if sat_velocity_itrs_km_s is None:
                raise ValueError(f"the {self.sides}-looking rule for {self.name} needs the "
                                 "satellite velocity")
            cross = cross_track_angle_deg(sat_itrs_km, sat_velocity_itrs_km_s,
                                          target_itrs_km)
            margins.append(cross if self.sides == "right" else -cross)
        if self.needs_sun:
            if sun_itrs_unit is None:
                raise ValueError(f"the imaging rule for {self.name} needs the Sun direction")
            margins.append(sun_elevation_deg(enu, sun_itrs_unit) - self.min_sun_elevation_deg)
        return np.minimum.reduce(np.broadcast_arrays(*margins))

    def broadside_margin_deg_at(self, sat_itrs_km, target_itrs_km, enu, sun_itrs_unit=None,
                                sat_velocity_itrs_km_s=None):
        """:meth:`margin_deg_at`, and for a side-looking radar also the point abeam: within
        :data:`BROADSIDE_HALF_BEAM_DEG` of the zero-Doppler plane (needs the velocity)."""
        m = self.margin_deg_at(sat_itrs_km, target_itrs_km, enu, sun_itrs_unit,
                               sat_velocity_itrs_km_s)
        if not self.side_looking:
            return m
        if sat_velocity_itrs_km_s is None:
            raise ValueError(f"the side-looking rule for {self.name} needs the satellite "
                             "velocity")
        along = along_track_angle_deg(sat_itrs_km, sat_velocity_itrs_km_s, target_itrs_km)
        return np.minimum(m, BROADSIDE_HALF_BEAM_DEG - np.abs(along))

    def reach_deg(self, sat_radius_km, target_radius_km):
        """(certain, possible) Earth central angles (deg), as :meth:`VisibilityRule.reach_deg`.

        Possible: within the field of regard (widened by :data:`GEODETIC_TILT_DEG`,
        the geodetic nadir's tilt) and above the horizon.  Certain only for a
        plain field-of-regard rule (no Sun, incidence window, side or view
        zenith limit), narrowed the same way; otherwise no angle is certain.
        """
        r = np.asarray(sat_radius_km, float)
        R = np.asarray(target_radius_km, float)
        # The field of regard may depend on altitude (a nadir swath): the geodetic
        # altitude lies between r - 6378.1 and r - 6356.8 km.
        eta = [self.field_of_regard_deg(r - radius) for radius in (6378.137, 6356.752)]
        eta_hi, eta_lo = np.maximum(*eta), np.minimum(*eta)
        possible = np.minimum(off_nadir_reach_at_deg(r, R, eta_hi + GEODETIC_TILT_DEG),
                              self.reach_bound_deg(r, R))
        plain = not (self.needs_sun or self.needs_velocity or self.incidence_deg is not None
                     or self.max_view_zenith_deg is not None)
        if not plain:
            return np.full(np.shape(possible), -np.inf), possible
        certain = np.minimum(
            np.where(eta_lo > GEODETIC_TILT_DEG,
                     off_nadir_reach_at_deg(r, R, np.maximum(eta_lo - GEODETIC_TILT_DEG, 0.0)),
                     -np.inf),
            elevation_reach_deg(r, R, GEODETIC_TILT_DEG))
        return certain, possible

    def reach_bound_deg(self, sat_radius_km, target_radius_km):
        """An upper bound of :meth:`reach_deg`'s possible angle that grows with
        ``sat_radius_km`` (the horizon's reach at the lowest elevation allowed)."""
        lowest_elevation = 0.0 if self.max_view_zenith_deg is None else \
            90.0 - self.max_view_zenith_deg
        return elevation_reach_deg(sat_radius_km, target_radius_km,
                                   lowest_elevation - GEODETIC_TILT_DEG)

    def describe(self) -> str:
        parts = []
        if self.incidence_deg is not None:
            side = "" if self.sides == "both" else f" {self.sides}-looking"
            parts.append(f"incidence {self.incidence_deg[0]:g}-{self.incidence_deg[1]:g}"
                         f"\u00b0{side}")
        if self.max_off_nadir_deg is not None:
            parts.append(f"off-nadir <= {self.max_off_nadir_deg:g}\u00b0")
        if self.bounded_by_swath and not self.max_off_nadir_deg:
            parts.append(f"within the {self.swath_km:g} km nadir swath")
        if self.needs_sun:
            parts.append(f"sun >= {self.min_sun_elevation_deg:g}\u00b0")
        if self.max_view_zenith_deg is not None:
            parts.append(f"view zenith <= {self.max_view_zenith_deg:g}\u00b0")
        return ", ".join(parts)


def incidence_to_off_nadir_deg(incidence_deg, altitude_km,
                               earth_radius_km: float = MEAN_EARTH_RADIUS_KM):
    """Off-nadir angle (deg) at which a spherical Earth is seen at ``incidence_deg``."""
    r = earth_radius_km
    return np.degrees(np.arcsin(r / (r + np.asarray(altitude_km, float))
                                * np.sin(np.radians(incidence_deg))))


BROADSIDE_HALF_BEAM_DEG = 0.25
"""A side-looking radar images a point while it is abeam (zero Doppler): within this angle
of the plane perpendicular to the satellite's Earth-fixed motion.  Half of an along-track
beam of 0.5 deg (a 5 m X-band antenna's is 0.34 deg, a 10 m C-band one's 0.32 deg); it
sets how long an opportunity lasts (about a second), not whether there is one."""


def along_track_angle_deg(sat_itrs_km, sat_velocity_itrs_km_s, target_itrs_km):
    """Angle (deg) of the line of sight out of the plane perpendicular to the satellite's
    Earth-fixed velocity: positive while the target is ahead, zero abeam (zero Doppler,
    where a side-looking radar images it), negative once passed."""
    sat = np.asarray(sat_itrs_km, float)
    v = np.asarray(sat_velocity_itrs_km_s, float)
    v = v / np.linalg.norm(v, axis=0)
    d = target_itrs_km - sat
    d = d / np.linalg.norm(d, axis=0)
    return np.degrees(np.arcsin(np.clip(np.einsum("i...,i...->...", v, d), -1, 1)))


def cross_track_angle_deg(sat_itrs_km, sat_velocity_itrs_km_s, target_itrs_km):
    """Angle (deg) of the line of sight out of the satellite's vertical plane of motion.

    Positive to the right of the Earth-fixed direction of motion (looking down),
    negative to the left.
    """
    sat = np.asarray(sat_itrs_km, float)
    up, _ = geodetic_up(sat)
    v = np.asarray(sat_velocity_itrs_km_s, float)
    right = np.cross(v, up, axis=0)
    right = right / np.linalg.norm(right, axis=0)
    d = target_itrs_km - sat
    d = d / np.linalg.norm(d, axis=0)
    return np.degrees(np.arcsin(np.clip(np.einsum("i...,i...->...", right, d), -1, 1)))


def sun_elevation_deg(enu, sun_itrs_unit):
    """Sun elevation (deg) above ground points' horizons from the Earth-fixed Sun direction.

    The Sun's parallax from one Earth radius (0.0024 deg) is neglected.
    """
    return np.degrees(np.arcsin(np.clip(_dot3(enu[2], sun_itrs_unit),
                                        -1.0, 1.0)))


def sun_azimuth_deg(enu, sun_itrs_unit):
    east = np.einsum("i...,i...->...", enu[0], sun_itrs_unit)
    north = np.einsum("i...,i...->...", enu[1], sun_itrs_unit)
    return np.degrees(np.arctan2(east, north)) % 360.0


def sun_unit_itrs(t) -> np.ndarray:
    """Earth-fixed unit vectors (3, n_time) towards the Sun at skyfield Time array ``t``.

    The geometric Sun of :func:`~orbitview.orbit.propagate.sun_teme_km` (the bundled
    JPL ephemeris, interpolated between hourly anchors), turned Earth-fixed by
    the rotation satellite positions take.  Aberration (0.006 deg) is neglected.
    """
    from orbitview.orbit.frames import gmst_rad, sun_teme_km, teme_to_itrs
    t = t if np.ndim(t.tt) else t.ts.tt_jd(np.atleast_1d(t.tt))
    sun = sun_teme_km(t)
    return teme_to_itrs((sun / np.linalg.norm(sun, axis=0)).T, gmst_rad(t))


class RuleBySatellite:
    """One access rule for a fleet: each satellite's own rule, resolved once per satellite.

    ``rules`` maps NORAD numbers to rules; satellites not in it get ``default``.
    The engines call :meth:`for_satellite` with a satellite (or its NORAD number)
    and then use that rule's :meth:`margin_deg_at`.
    """

    def __init__(self, rules: dict, default=None, excluded: dict | None = None):
        self.rules = dict(rules)
        self.default = default
        self.excluded = dict(excluded or {})
        """NORAD number -> reason, for satellites left out of an imaging run."""

    def for_satellite(self, sat):
        norad = sat if isinstance(sat, (int, np.integer)) else getattr(sat, "norad_id", None)
        rule = self.rules.get(norad, self.default)
        if rule is None:
            raise KeyError(f"no access rule for satellite {norad}")
        return rule

    def geometric(self) -> "RuleBySatellite":
        """The same fleet without any Sun constraint (what geometry alone allows)."""
        return RuleBySatellite({k: r.geometric() for k, r in self.rules.items()},
                               None if self.default is None else self.default.geometric(),
                               self.excluded)

    @property
    def kind(self) -> str:
        """``imaging``, or ``mixed`` when satellites without an instrument get a radio rule."""
        return "imaging" if self.default is None else "mixed"

    @property
    def needs_sun(self) -> bool:
        return any(r.needs_sun for r in self.rules.values())

    @property
    def assumptions(self) -> tuple:
        out = []
        for r in self.rules.values():
            out += [a for a in r.assumptions if a not in out]
        return tuple(out)

    def describe(self) -> str:
        groups: dict[str, list[str]] = {}    # one entry per distinct rule, not per satellite
        for r in self.rules.values():
            groups.setdefault(r.describe(), []).append(r.name)
        text = "; ".join(f"{names_text(names)}: {rule}" for rule, names in groups.items())
        if self.default is not None:
            text += f"; others (radio): {self.default.describe()}"
        return text
