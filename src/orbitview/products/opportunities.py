"""Imaging opportunities for people: the cells of the opportunity table, and the calendar
an opportunity table becomes (one event per opportunity, from the start to the end of its
access, described at its best instant).

An opportunity whose time is unknown (its satellite's 90 % bound is phase lost: where on
its orbit it is cannot be said) is not listed or put in a calendar at a time that would
be a guess: one table row and one calendar event per such satellite say so
(:mod:`orbitview.products.unknowns`); CSV and JSON keep every row, with ``phase_lost``.
"""

from __future__ import annotations


def _bound_of(result, r):
    """The 90 % bound of opportunity row ``r`` (at its best instant)."""
    from orbitview.orbit.accuracy import bound_at
    sat = next((s for s in result.satellites if s.norad_id == r["norad_id"]), None)
    if sat is None:
        return None
    return bound_at(sat, r["time_utc"], hold=result.meta.get("hold", True))


def _records(result) -> dict:
    return {s.norad_id: getattr(s, "record", None) for s in result.satellites}


def _lost(result) -> dict:
    """NORAD number -> [(row, bound)] of the opportunities whose times are unknown."""
    out: dict = {}
    for r in result.rows:
        if r.get("phase_lost"):
            out.setdefault(r["norad_id"], []).append((r, _bound_of(result, r)))
    return out


def table_rows(result) -> list[dict]:
    """The cells of the opportunity table: each opportunity whose time is known, then one
    row per satellite whose opportunities' times are unknown ('unknown (elements 158 d
    old)' in place of the times, angles blank)."""
    from orbitview.products.unknowns import unknown_text
    out = []
    for r in result.rows:
        if r.get("phase_lost"):
            continue
        r = dict(r)
        r["when"] = ("* " if r["in_progress_at_start"] else "") + \
            r["time_utc"].strftime("%m-%d %H:%M:%S")
        # with its own date: a radar's 21:18 UTC pass is at 02:18 PKT the next day
        r["local"] = r["time_local"].strftime("%m-%d %H:%M")
        r["look"] = f"{r['off_nadir_deg']:.1f}" + \
            ("" if r["side"] == "nadir" else f" {r['side'][0].upper()}")
        r["dir"] = {"ascending": "asc", "descending": "desc"}[r["pass_direction"]]
        out.append(r)
    records = _records(result)
    for norad, found in _lost(result).items():
        r, bound = max(found, key=lambda rb: abs(rb[0]["epoch_age_days"]))
        out.append({"name": r["name"],
                    "when": unknown_text(bound, records.get(norad), r["time_utc"]),
                    "local": "unknown", "epoch_age_days": r["epoch_age_days"],
                    "timing_error": "unknown", "_style": "yellow"})
    return out


def unknown_captions(result) -> list[str]:
    """One caption line per satellite whose opportunities' times are unknown."""
    from orbitview.products.unknowns import reason
    records = _records(result)
    lines = []
    for norad, found in _lost(result).items():
        name = found[0][0]["name"]
        r, bound = max(found, key=lambda rb: abs(rb[1].age_days))
        n = len(found)
        area = (" (the area shares count them as computed)"
                if result.target.kind == "area" else "")
        lines.append(f"{name}: {reason(name, bound, records.get(norad), r['time_utc'])}, so "
                     "the times and "
                     f"angles of its {n} opportunit{'ies' if n != 1 else 'y'} are not shown"
                     f"{area}; --format csv/json gives SGP4's, with phase_lost.")
    return lines


def opportunities_ics(result, stamp_utc=None) -> bytes:
    """An :class:`~orbitview.api.imaging.Opportunities` as an iCalendar file (RFC 5545).

    Each event names the satellite and the target, the best instant in UTC and local
    time, the off-nadir angle and side, the view and Sun angles, the pass direction,
    the GSD, the area shares (for an area), the element age and the imaging rule with
    every assumed instrument value.  ``stamp_utc`` is every event's DTSTAMP (default:
    now; give a fixed time for reproducible files).
    """
    from orbitview.products.export.ics import event_uid, events_to_ics
    from orbitview.util.timeutil import iso
    m = result.meta
    where, rule, note = result.target, result.rule, m.get("assumptions") or ""
    from orbitview.products.unknowns import note_event, title_suffix
    events = []
    for r in result.rows:
        if r.get("phase_lost"):
            continue                       # one note event per satellite, below
        share = (f", {r['area_share_pct']:g}% of the area (cumulative "
                 f"{r['cumulative_share_pct']:g}%)" if where.kind == "area" else "")
        gsd = f", GSD {r['gsd_m']:.2f} m" if r["gsd_m"] is not None else ""
        description = (
            f"{r['name']} ({r['norad_id']}) can image {where.name} from {iso(r['start_utc'])} "
            f"to {iso(r['end_utc'])}; best at {iso(r['time_utc'])} "
            f"({r['time_local']:%H:%M:%S %Z}): off-nadir {r['off_nadir_deg']:.1f} deg "
            f"{r['side']}, view azimuth {r['view_azimuth_deg']:.0f} deg, zenith "
            f"{r['view_zenith_deg']:.1f} deg, sun elevation {r['sun_elevation_deg']:.1f} deg, "
            f"{r['pass_direction']} pass{gsd}{share}. Element set {r['epoch_age_days']:.1f} "
            f"days from this time. Rule: {rule.for_satellite(r['norad_id']).describe()}."
            + (f" {note}" if note else ""))
        events.append({"uid": event_uid(r["norad_id"], iso(r["start_utc"]), where.name),
                       "start_utc": r["start_utc"], "end_utc": r["end_utc"],
                       "summary": f"{r['name']} can image {where.name} "
                                  f"({r['off_nadir_deg']:.0f}\u00b0 {r['side']}, "
                                  f"sun {r['sun_elevation_deg']:.0f}\u00b0)"
                                  + title_suffix(_bound_of(result, r), r["time_utc"]),
                       "description": description, "location": where.name,
                       "geo": (r["point_lat_deg"], r["point_lon_deg"])})
    records = _records(result)
    for norad, found in _lost(result).items():
        events.append(note_event(found[0][0]["name"], norad, [b for _, b in found],
                                 records.get(norad), len(found), m["start"], m["end"],
                                 ("imaging opportunity", "imaging opportunities"), where.name))
    return events_to_ics(events, calendar_name=m["title"], stamp_utc=stamp_utc)
