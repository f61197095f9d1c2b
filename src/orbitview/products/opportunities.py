"""Imaging opportunities for people: the calendar an opportunity table becomes (one event
per opportunity, from the start to the end of its access, described at its best instant)."""

from __future__ import annotations


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
    events = []
    for r in result.rows:
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
                                  f"sun {r['sun_elevation_deg']:.0f}\u00b0)",
                       "description": description, "location": where.name,
                       "geo": (r["point_lat_deg"], r["point_lon_deg"])})
    return events_to_ics(events, calendar_name=m["title"], stamp_utc=stamp_utc)
