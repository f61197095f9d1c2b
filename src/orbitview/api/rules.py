"""The access rule of a question: radio (elevation and horizon mask) or imaging (the
instrument's field of regard, the Sun, SAR incidence), chosen once for every face."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orbitview.api.results import Note
from orbitview.util.errors import UsageError

if TYPE_CHECKING:
    from typing import TypeAlias

    from orbitview.access.rules import ImagingRule, RuleBySatellite, VisibilityRule

    AccessRule: TypeAlias = VisibilityRule | ImagingRule | RuleBySatellite
    """What :func:`choose` gives: the radio rule, one imaging rule, or a rule per satellite
    (imaging, with radio for the others when mixed)."""

DEFAULT_MIN_ELEVATION_DEG = 10.0
ACCESS_KINDS = ("radio", "imaging")


def radio_rule(min_elevation_deg: float | None = None, mask=None):
    """The radio visibility rule: elevation >= ``min_elevation_deg`` (default 10) and
    above the horizon ``mask`` (a CSV path or a HorizonMask)."""
    from orbitview.access.rules import HorizonMask, VisibilityRule
    from orbitview.api.inputs import number
    el = DEFAULT_MIN_ELEVATION_DEG if min_elevation_deg is None else \
        number(min_elevation_deg, "min_elevation_deg", -90.0, 90.0)
    if mask is not None and not isinstance(mask, HorizonMask):
        mask = HorizonMask.read(mask)
    return VisibilityRule(el, mask)


@dataclass
class Choice:
    """The rule chosen, the satellites it is used for, and what was said about the rest."""

    rule: AccessRule
    used: list
    notes: list[Note] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    """Names left out because of a data problem (the CLI then exits 1)."""

    @property
    def access_words(self) -> str:
        return {"radio": "radio access", "imaging": "imaging access",
                "mixed": "imaging access for imagers, radio for the others"}[self.rule.kind]

    @property
    def assumption_note(self) -> str:
        from orbitview.access.imaging import assumption_note
        return assumption_note(self.rule)


def choose(sats, sensors, access: str | None = None, min_elevation_deg: float | None = None,
           mask=None, max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
           max_view_zenith_deg: float | None = None, mixed_default: str = "per-satellite",
           leave_out_damaged: bool = False, require_imager: bool = True) -> Choice:
    """The rule for ``sats``.

    ``access`` is ``"radio"``, ``"imaging"`` or None: imaging for satellites with an
    imaging instrument, radio for the others (``min_elevation_deg`` and ``mask`` make the
    radio rule).  Imaging leaves out satellites without an imager (each named, with why);
    none left is an error.
    """
    from orbitview.access.imaging import fleet_rule
    if access is not None and access not in ACCESS_KINDS:
        raise UsageError(f"access={access!r} is not radio or imaging.\n"
                         "Fix: give access='radio' or access='imaging' (or leave it out).")
    radio = radio_rule(min_elevation_deg, mask)
    rule, used, excluded = fleet_rule(sats, access, radio, sensors, max_off_nadir_deg,
                                      min_sun_deg, max_view_zenith_deg, mixed_default,
                                      leave_out_damaged=leave_out_damaged)
    notes, left_out = [], []
    if excluded:
        notes.append(Note("excluded", "excluded from imaging: "
                          + "; ".join(f"{s.name} ({why})" for s, why in excluded)))
    for s, _ in excluded:
        if sensors.problems_for(s):
            left_out.append(s.name)
    if not used and require_imager:
        raise UsageError("none of the satellites asked for can image.\n"
                         "Fix: name Earth-observation satellites (PRSS-1, PRSC-EO1, HS-1, "
                         "...), or use --access radio.")
    notes += unused_options(rule, used, min_elevation_deg, mask,
                            max_off_nadir_deg, min_sun_deg)
    return Choice(rule, used, notes, left_out)


def unused_options(rule, sats, min_elevation_deg=None, mask=None, max_off_nadir_deg=None,
                   min_sun_deg=None) -> list[Note]:
    """Notes naming the limits given that no satellite's rule uses, so that none is
    dropped without a word: an elevation limit or horizon mask under imaging access (an
    imager's rule is its off-nadir and Sun limits), off-nadir and Sun limits under radio
    access, a Sun limit for a radar (it images by night and day)."""
    rules = []
    for s in sats:
        try:
            rules.append(rule.for_satellite(s) if hasattr(rule, "for_satellite") else rule)
        except KeyError:                  # left out of an imaging run: no rule of its own
            continue
    if not rules:
        return []
    radio = [r for r in rules if getattr(r, "kind", "radio") == "radio"]
    imaging = [r for r in rules if getattr(r, "kind", "radio") == "imaging"]
    notes = []
    given = [o for o, v in (("--min-elevation", min_elevation_deg), ("--mask", mask))
             if v is not None]
    if given and not radio:
        notes.append(Note("unused", f"{' and '.join(given)} do{'es' if len(given) == 1 else ''}"
                          " not apply to imaging access (each imager's rule is its off-nadir "
                          "and Sun limits): not used. Fix: leave it out, or give --access "
                          "radio for visibility above an elevation."))
    given = [o for o, v in (("--max-off-nadir", max_off_nadir_deg), ("--min-sun", min_sun_deg))
             if v is not None]
    if given and not imaging:
        notes.append(Note("unused", f"{' and '.join(given)} do{'es' if len(given) == 1 else ''}"
                          " not apply to radio access (elevation above the horizon): not used. "
                          "Fix: leave it out, or give --access imaging."))
    radars = sorted({r.name for r in imaging if getattr(r, "incidence_deg", None) is not None})
    if min_sun_deg is not None and radars:
        notes.append(Note("unused", f"--min-sun does not apply to {', '.join(radars)}: a radar "
                          "images by night and day, so its rule has no Sun limit."))
    return notes
