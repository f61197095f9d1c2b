"""Ground-track maps: tracks without seam streaks, terminator, caption with data age.

Tracks are drawn in ``PlateCarree(central_longitude=c)`` coordinates and split
wherever consecutive points cross the map's seam (``c + 180``), with the
crossing interpolated onto the map edge, so no segment spans more than 180
degrees of longitude.  Sun-synchronous tracks pass within 8 degrees of the
poles each orbit; there the longitude changes fast but continuously and the
split only happens at the seam.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS
from orbitview.products.basemap import add_basemap, label_provinces
from orbitview.products.layout import CAPTION_FONTSIZE, finish_map, fit_caption  # noqa: F401
from orbitview.products.plotting import pyplot
from orbitview.util.timeutil import PKT, iso

DEFAULT_CENTRAL_LONGITUDE = 70.0
COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#7f7f7f"]


def wrap180(lon_deg):
    """Longitudes into [-180, 180)."""
    return (np.asarray(lon_deg) + 180.0) % 360.0 - 180.0


def split_at_seam(lon_deg, lat_deg, central_longitude: float = 0.0):
    """Split a track into pieces that never cross the seam of a map centred at ``c``.

    Returns a list of ``(x, lat)`` arrays, with ``x`` the longitude relative
    to ``central_longitude`` in [-180, 180] (the x coordinate of
    ``PlateCarree(central_longitude=c)``).  Where the track crosses the seam,
    the crossing latitude is interpolated and each piece ends on the map edge.
    NaN positions break the track too.
    """
    x = wrap180(np.asarray(lon_deg, dtype=float) - central_longitude)
    y = np.asarray(lat_deg, dtype=float)
    pieces = []
    ok = ~(np.isnan(x) | np.isnan(y))
    start = 0
    n = len(x)
    while start < n:
        while start < n and not ok[start]:
            start += 1
        if start >= n:
            break
        end = start
        while end + 1 < n and ok[end + 1]:
            end += 1
        xs, ys = x[start:end + 1], y[start:end + 1]
        jumps = np.flatnonzero(np.abs(np.diff(xs)) > 180.0)
        bounds = [0, *(jumps + 1), len(xs)]
        for k in range(len(bounds) - 1):
            a, b = bounds[k], bounds[k + 1]
            px, py = list(xs[a:b]), list(ys[a:b])
            if k > 0:  # entered through the edge: prepend the crossing point
                j = a - 1
                ex, ey = _edge_crossing(xs[j], ys[j], xs[j + 1], ys[j + 1])
                px.insert(0, -ex)
                py.insert(0, ey)
            if k < len(bounds) - 2:  # leaves through the edge
                j = b - 1
                ex, ey = _edge_crossing(xs[j], ys[j], xs[j + 1], ys[j + 1])
                px.append(ex)
                py.append(ey)
            pieces.append((np.array(px), np.array(py)))
        start = end + 1
    return pieces


def _edge_crossing(x0, y0, x1, y1):
    """Where the segment from (x0, y0) to (x1, y1) crosses x = +-180 (x0's side)."""
    edge = 180.0 if x0 > 0 else -180.0
    x1u = x1 + (360.0 if x0 > 0 else -360.0)      # unwrap across the seam
    f = (edge - x0) / (x1u - x0) if x1u != x0 else 0.5
    return edge, y0 + f * (y1 - y0)


def _arrow_points(x, y, count: int):
    """Indices along a piece where direction arrows go (away from its ends)."""
    n = len(x)
    if n < 6 or count <= 0:
        return []
    return [int(i) for i in np.linspace(n * 0.2, n * 0.8, count).astype(int)]


def draw_tracks(ax, prop, at_index: int, central_longitude: float, extent=None,
                arrows: int = 3, geo_drift_inset: bool = True):
    """Draw every satellite of a :class:`~orbitview.orbit.propagate.Propagation` on ``ax``.

    The part before ``at_index`` is dashed, the part after solid; a marker and
    the satellite's name mark its position at ``at_index``; arrows show the
    direction of motion.  A satellite whose position at ``at_index`` is unknown (its
    90 % bound is phase lost: :mod:`orbitview.products.unknowns`) gets no marker and no
    name on the map: its track is drawn faint and dotted, one of the tracks it may be
    on, and the legend says 'position unknown (elements N d old)'.  Returns legend
    handles and the rows of the geostationary satellites whose position is known.
    """
    import cartopy.crs as ccrs
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D

    from orbitview.products.unknowns import bound_of, legend_text
    data_crs = ccrs.PlateCarree(central_longitude=central_longitude)
    handles = []
    halo = [pe.withStroke(linewidth=3, foreground="white")]
    geo_rows = []
    records = getattr(prop, "records", None) or [None] * len(prop.names)
    at = prop.times_utc[at_index]
    unknown = False
    for i, name in enumerate(prop.names):
        colour = COLOURS[i % len(COLOURS)]
        lon, lat = prop.lon_deg[i], prop.lat_deg[i]
        bound = bound_of(prop, i, at_index)
        if bound is not None and bound.phase_lost:
            unknown = True
            draw_unknown(ax, prop, i, colour, central_longitude)
            handles.append(Line2D([], [], color=colour, lw=1.4, ls=UNKNOWN_STYLE,
                                  alpha=UNKNOWN_ALPHA + 0.25,
                                  label=f"{name} ({prop.norad_ids[i]}): "
                                        f"{legend_text(bound, records[i], at)}"))
            continue
        is_geo = prop.elements[i][-1].is_deep_space and \
            np.nanmax(lon) - np.nanmin(lon) < 5 and np.nanmax(np.abs(lat)) < 5
        if is_geo:
            geo_rows.append(i)
        for part, style in ((slice(0, at_index + 1), (0, (4, 3))),
                            (slice(at_index, None), "-")):
            for x, y in split_at_seam(lon[part], lat[part], central_longitude):
                ax.plot(x, y, color=colour, lw=1.6, ls=style, transform=data_crs, zorder=3,
                        solid_capstyle="round")
                if style == "-" and not is_geo:
                    px, py = projected(ax, data_crs, x, y)
                    for k in _arrow_points(x, y, arrows):
                        ax.annotate("", xy=(px[k + 1], py[k + 1]), xytext=(px[k], py[k]),
                                    xycoords="data", textcoords="data",
                                    arrowprops=dict(arrowstyle="-|>", color=colour, lw=1.4,
                                                    mutation_scale=13), zorder=4,
                                    annotation_clip=True)
        x0 = wrap180(lon[at_index] - central_longitude)
        y0 = lat[at_index]
        if not np.isnan(x0):
            ax.plot(x0, y0, marker="D" if is_geo else "o", ms=8, color=colour, mec="black",
                    mew=0.8, transform=data_crs, zorder=5)
            # Placed beside its marker inside the map, clear of the other labels, once
            # the figure's layout is known (layout.place_map_labels).
            ax.annotate(name, projected_point(ax, data_crs, x0, y0), xycoords="data",
                        xytext=(7, 3), textcoords="offset points", fontsize=9,
                        fontweight="bold", color=colour, va="bottom", ha="left", zorder=6,
                        path_effects=halo, annotation_clip=True, gid="satellite-label")
        handles.append(Line2D([], [], color=colour, lw=2, marker="D" if is_geo else "o",
                              mec="black", label=f"{name} ({prop.norad_ids[i]})"))
    handles += [Line2D([], [], color="#333333", lw=1.4, ls=(0, (4, 3)), label="past track"),
                Line2D([], [], color="#333333", lw=1.4, label="future track")]
    if unknown:
        handles.append(Line2D([], [], color="#333333", lw=1.4, ls=UNKNOWN_STYLE,
                              alpha=UNKNOWN_ALPHA + 0.25,
                              label="faint, dotted: a track it may be on (where on it, unknown)"))
    return handles, geo_rows


def projected(ax, crs, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Points ``x, y`` given in ``crs`` in the map's own (data) coordinates, for
    annotations, which take data coordinates rather than a CRS."""
    xyz = ax.projection.transform_points(crs, np.atleast_1d(np.asarray(x, float)),
                                         np.atleast_1d(np.asarray(y, float)))
    return xyz[:, 0], xyz[:, 1]


def projected_point(ax, crs, x, y) -> tuple[float, float]:
    """One point given in ``crs`` in the map's data coordinates."""
    px, py = projected(ax, crs, x, y)
    return float(px[0]), float(py[0])


def draw_unknown(ax, prop, i, colour, central_longitude) -> None:
    """Where satellite ``i`` may be when where on its orbit it is cannot be said: its track
    faint and dotted (one of the tracks its unknown phase allows), and for a
    near-equatorial high orbit (a geostationary satellite that drifts or was moved) the
    band of latitudes its orbit covers, right round the Earth."""
    import cartopy.crs as ccrs
    data_crs = ccrs.PlateCarree(central_longitude=central_longitude)
    lon, lat = prop.lon_deg[i], prop.lat_deg[i]
    es = prop.elements[i][-1]
    for x, y in split_at_seam(lon, lat, central_longitude):
        ax.plot(x, y, color=colour, lw=1.2, ls=UNKNOWN_STYLE, alpha=UNKNOWN_ALPHA,
                transform=data_crs, zorder=2.9, gid="track-position-unknown")
    inclination = float(np.degrees(es.satrec.inclo))
    if es.is_deep_space and inclination < GEO_BAND_MAX_DEG:
        half = max(inclination, 0.3)
        x = np.linspace(-180.0, 180.0, 361)
        ax.fill_between(x, -half, half, color=colour, alpha=0.18, lw=0, transform=data_crs,
                        zorder=2.8, gid="band-position-unknown")
        ax.plot(x, np.zeros_like(x), color=colour, lw=1.2, ls=UNKNOWN_STYLE,
                alpha=UNKNOWN_ALPHA, transform=data_crs, zorder=2.9,
                gid="band-position-unknown")


GEO_BAND_MAX_DEG = 5.0
"""A high orbit inclined less than this whose position is unknown is drawn as a band
right round the Earth (its sub-point is somewhere along it)."""
UNKNOWN_STYLE = (0, (1.5, 2.5))
"""Line style of the track of a satellite whose position is unknown (dotted)."""
UNKNOWN_ALPHA = 0.45


GEO_PANEL_IN = (2.3, 1.5)
"""Size of the GEO drift panel's frame (inches), in the side column under the legend."""


def _geo_inset(fig, ax, prop, rows, at_index):
    """A panel of each GEO satellite's drift around its mean position (for the side
    column, :class:`~orbitview.products.layout.Panel`); None without a day of GEO track."""
    from orbitview.products.layout import Panel
    span_h = (prop.t[-1] - prop.t[0]) * 24.0
    if not rows or span_h < 23.0:
        return None
    inset = fig.add_axes((0.0, 0.0, 0.1, 0.1))
    for i in rows:
        colour = COLOURS[i % len(COLOURS)]
        lon, lat = prop.lon_deg[i], prop.lat_deg[i]
        mean_lon = float(np.nanmean(lon))
        inset.plot(lon - mean_lon, lat, color=colour, lw=1.2)
        inset.plot(lon[at_index] - mean_lon, lat[at_index], "D", color=colour, mec="black",
                   ms=5)
        inset.text(0.03, 0.95 - 0.12 * rows.index(i),
                   f"{prop.names[i]} at {mean_lon:.2f}\u00b0E", color=colour, fontsize=7,
                   transform=inset.transAxes, va="top")
    inset.set_title(f"GEO drift over {span_h:.0f} h", fontsize=7.5, pad=2, loc="left")
    inset.set_xlabel("longitude - mean (deg)", fontsize=6.5, labelpad=1)
    inset.set_ylabel("latitude (deg)", fontsize=6.5, labelpad=1)
    inset.tick_params(labelsize=6, pad=1)
    inset.grid(color="#dddddd", lw=0.5)
    inset.margins(0.15, 0.35)
    return Panel(inset, *GEO_PANEL_IN)


def local_beside(at: dt.datetime, clock=None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """' (2026-11-21 14:30 PKT)': ``at`` beside its UTC text in the zone the command shows
    local times in (``clock``, a :class:`~orbitview.data.localtime.Clock`: --tz, the config
    file, a built-in site's zone), else Pakistan's; named by the zone's abbreviation
    (GMT/BST, EST/EDT), with the date when it differs from the UTC date; '' for UTC."""
    local = at.astimezone(clock.zone if clock is not None else PKT)
    if local.utcoffset() == dt.timedelta(0) and local.tzname() in ("UTC", None):
        return ""
    if "%d" not in fmt and local.date() != at.astimezone(dt.timezone.utc).date():
        fmt = "%Y-%m-%d " + fmt
    return f" ({local.strftime(fmt)} {local.tzname()})"


def caption_lines(prop, at: dt.datetime, now: dt.datetime | None = None,
                  clock=None) -> list[tuple[str, str]]:
    """(text, colour) lines: the map time in UTC and local time (``clock``, see
    :func:`local_beside`), then each satellite's element source, epoch and age."""
    lines = [(f"Map time {at:%Y-%m-%d %H:%M:%S} UTC{local_beside(at, clock)}."
              f"  Tracks from {iso(prop.times_utc[0])} to {iso(prop.times_utc[-1])}.",
              "#222222")]
    any_stale = False
    from orbitview.orbit.design import is_hypothetical
    designs = [i for i in range(len(prop.names)) if is_hypothetical(prop.elements[i][-1])]
    if designs:                  # generated sets: one line, and no error bound (no truth)
        epochs = sorted({f"{prop.elements[i][-1].epoch:%Y-%m-%d %H:%M}" for i in designs})
        lines.append((f"HYPOTHETICAL: {len(designs)} of the {len(prop.names)} satellites are "
                      "designs generated by 'orbitview design', not real satellites (elements "
                      f"of {', '.join(epochs)} UTC, propagated as designed, no drag).",
                      "#b00000"))
    for i, name in enumerate(prop.names):
        if i in designs:
            continue
        ages = prop.epoch_age_days[i]
        k = int(np.nanargmax(np.abs(ages)))
        es = prop.elements[i][int(prop.set_index[i][k])]
        age = abs(ages[k])
        stale = age > STALE_AFTER_DAYS
        text = (f"{name} ({prop.norad_ids[i]}): elements of {es.epoch:%Y-%m-%d %H:%M} UTC, "
                f"{age:.1f} days from the map times{_bound_phrase(prop, i, age, es)}. "
                f"Source: {es.source}")
        lines.append(("\u26a0 STALE " + text if stale else text,
                      "#b00000" if stale else "#222222"))
        any_stale = any_stale or stale
    if any_stale:
        lines.append((f"\u26a0 Element sets more than {STALE_AFTER_DAYS:.0f} days from the map "
                      "time: each line gives the 90 % error bound of its positions. Refresh "
                      "with 'orbitview tle update --all' when online.", "#b00000"))
    for ms in prop.messages:
        for m in ms:
            if "SGP4 error" in m:
                lines.append(("\u26a0 " + m, "#b00000"))
    return lines


def _bound_phrase(prop, i, age, es) -> str:
    """'; held at its 38.2 E slot; ±96 km (90 %)' or '; ±11,000 km, ±24 min (90 %)'."""
    from orbitview.orbit.accuracy import error_bound
    holds = getattr(prop, "holds", None)
    hold = holds[i] if holds else None
    bound = error_bound(prop.elements[i], age, held=hold is not None, element_set=es,
                        record=prop.records[i] if prop.records else None)
    held = f"; held at its {hold.slot_text()} slot" if hold is not None else ""
    if bound.phase_lost:
        return f"{held}; 90 % error: anywhere along its orbit"
    timing = f", {bound.timing_text()}" if bound.timing_s is not None else ""
    return f"{held}; 90 % error {bound.km_text()}{timing}"


REGION_WIDTH_IN = 11.0
WORLD_WIDTH_IN = 13.0
MAX_REGION_MAP_HEIGHT_IN = 7.5


def figure_width_in(region_extent, figsize=None) -> float:
    """Width (inches) of the figure :func:`base_map` makes for ``region_extent``."""
    if figsize:
        return float(figsize[0])
    return REGION_WIDTH_IN if region_extent is not None else WORLD_WIDTH_IN


def add_caption(fig, lines, fontsize=CAPTION_FONTSIZE):
    """Write caption lines at the bottom of the figure, one measured line pitch apart
    (:func:`orbitview.products.layout.write_caption`); the maps themselves leave room for
    them with :func:`orbitview.products.layout.finish_map`."""
    from orbitview.products.layout import write_caption
    write_caption(fig, lines, fontsize=fontsize)


def draw_swaths(ax, prop, rule, central_longitude: float, at_index: int = 0):
    """Imaging bands along each track: field of regard (light) and nadir swath (darker).

    ``rule`` is an access rule for the fleet (``rule.for_satellite(norad_id)``);
    satellites whose rule is not an imaging rule get no band.  The bands follow the
    future part of the track (from ``at_index``).  Returns legend handles.
    """
    import cartopy.crs as ccrs
    from matplotlib.patches import Patch

    from orbitview.access.swath import band_geometry, swath_edges
    from orbitview.products.unknowns import phase_lost_mask
    data_crs = ccrs.PlateCarree(central_longitude=central_longitude)
    handles = []
    lost = phase_lost_mask(prop, [at_index])[:, 0]   # no band where it is, unknown
    for i, name in enumerate(prop.names):
        try:
            r = rule.for_satellite(prop.norad_ids[i])
        except KeyError:
            continue
        if getattr(r, "kind", "radio") != "imaging" or lost[i]:
            continue
        colour = COLOURS[i % len(COLOURS)]
        part = slice(at_index, None)
        edges = swath_edges(prop.lat_deg[i, part], prop.lon_deg[i, part],
                            prop.itrs_km[:, i, part], r)
        for left, right in edges["field_of_regard"]:
            geom = band_geometry(left, right, central_longitude)
            ax.add_geometries([geom], crs=data_crs, facecolor=colour, alpha=0.16,
                              edgecolor="none", zorder=2.1)
            for lat, lon in (left, right):
                for x, y in split_at_seam(lon, lat, central_longitude):
                    ax.plot(x, y, color=colour, lw=0.7, alpha=0.8, transform=data_crs,
                            zorder=2.2)
        what = (f"incidence {r.incidence_deg[0]:g}-{r.incidence_deg[1]:g}\u00b0"
                if r.incidence_deg is not None else
                f"off-nadir \u2264 {r.max_off_nadir_deg:g}\u00b0" if r.max_off_nadir_deg
                else "nadir swath only")
        handles.append(Patch(facecolor=colour, alpha=0.25, label=f"{name} field of regard "
                             f"({what})"))
        if edges["nadir_swath"] is not None:
            geom = band_geometry(*edges["nadir_swath"], central_longitude)
            ax.add_geometries([geom], crs=data_crs, facecolor=colour, alpha=0.45,
                              edgecolor="none", zorder=2.3)
            handles.append(Patch(facecolor=colour, alpha=0.55,
                                 label=f"{name} nadir swath ({r.swath_km:g} km)"))
    return handles


def tracks_over(lat_deg, lon_deg, extent) -> np.ndarray:
    """Per satellite (rows of ``(n_sat, n_time)`` arrays): whether its track enters the
    W, E, S, N box, at a sample or between two (each step taken as a straight lon/lat
    segment, the shorter way round): a city-sized box lies between the 30-60 s samples
    of a low orbit."""
    w, e, s, n = extent
    lat = np.asarray(lat_deg, dtype=float)
    x = wrap180(np.asarray(lon_deg, dtype=float) - w)       # the box is 0 <= x <= e - w
    x0, y0 = x[:, :-1], lat[:, :-1]
    dx = wrap180(x[:, 1:] - x0)
    dy = lat[:, 1:] - y0
    t_in = np.zeros_like(x0)
    t_out = np.ones_like(x0)
    ok = np.isfinite(x0) & np.isfinite(dx) & np.isfinite(dy)
    with np.errstate(divide="ignore", invalid="ignore"):      # Liang-Barsky clipping
        for p, q in ((-dx, x0), (dx, (e - w) - x0), (-dy, y0 - s), (dy, n - y0)):
            r = q / p
            ok &= ~((p == 0) & (q < 0))
            t_in = np.where(p < 0, np.maximum(t_in, r), t_in)
            t_out = np.where(p > 0, np.minimum(t_out, r), t_out)
    crosses = ok & (t_in <= t_out)
    point = (x >= 0) & (x <= e - w) & (lat >= s) & (lat <= n)
    return crosses.any(axis=1) | point.any(axis=1)


def track_figure(prop, at_index: int, region_extent=None,
                 central_longitude: float = DEFAULT_CENTRAL_LONGITUDE, title: str | None = None,
                 figsize=None, terminator: bool = True, swath_rule=None, clock=None):
    """A complete ground-track figure: basemap, tracks, terminator, legend, caption; times
    in UTC and in ``clock``'s zone (else Pakistan's).

    With ``swath_rule`` (an access rule) each imaging satellite's field of regard and
    nadir swath are drawn as bands along its future track (not for a satellite whose
    position is unknown), and the caption names the assumed instrument values they rest on.
    """
    from cartopy.feature.nightshade import Nightshade
    from matplotlib.patches import Patch
    at = prop.times_utc[at_index]
    lines = caption_lines(prop, at, clock=clock)
    if region_extent is not None:
        from orbitview.products.unknowns import phase_lost_mask
        over = tracks_over(prop.lat_deg, prop.lon_deg, region_extent)
        lost = phase_lost_mask(prop, [at_index])[:, 0]     # may be anywhere: not 'away'
        away = [f"{name} ({prop.lat_deg[i, at_index]:.1f}\u00b0, "
                f"{prop.lon_deg[i, at_index]:.1f}\u00b0 at map time)"
                for i, name in enumerate(prop.names) if not over[i] and not lost[i]]
        if away:
            lines.insert(1, ("Not over this map during the window: " + ", ".join(away) + ".",
                             "#222222"))
    if swath_rule is not None:
        lines += _assumption_lines(swath_rule)
    fig, ax, central_longitude = base_map(region_extent, central_longitude, 0, figsize)
    if terminator:
        # The default 0.1 deg outline costs 0.6 s to project; 1 deg is 5 px on a world
        # map, 0.25 deg keeps a regional map's terminator smooth.
        ax.add_feature(Nightshade(at, delta=1.0 if region_extent is None else 0.25,
                                  alpha=0.18, color="#0b1a33"), zorder=1.5)
    band_handles = [] if swath_rule is None else \
        draw_swaths(ax, prop, swath_rule, central_longitude, at_index)
    handles, geo_rows = draw_tracks(ax, prop, at_index, central_longitude, region_extent)
    handles += band_handles
    if terminator:
        handles.append(Patch(facecolor="#0b1a33", alpha=0.25, label="night at map time"))
    panel = _geo_inset(fig, ax, prop, geo_rows, at_index)
    default_title = (f"Ground tracks, {at:%Y-%m-%d %H:%M} UTC{local_beside(at, clock, '%H:%M')}"
                     + (", with imaging field of regard and swath" if swath_rule is not None
                        else ""))
    ax.set_title(title or default_title, loc="left", fontsize=12, fontweight="bold")
    # The legend and the GEO panel go in a column beside the map, the caption under it:
    # measured, so they never cover the map or its labels (layout.finish_map).
    finish_map(fig, ax, caption=lines, legend_handles=handles,
               panels=[panel] if panel is not None else [],
               width_in=figure_width_in(region_extent, figsize),
               max_map_height_in=max_map_height_in(region_extent, figsize))
    return fig


def _assumption_lines(rule) -> list[tuple[str, str]]:
    """Caption lines naming the assumed instrument values a map rests on, and their file."""
    from orbitview.access.imaging import assumption_note
    note = assumption_note(rule)
    return [(note, "#7a4b00")] if note else []


def _colour_bar_axes(fig, ax):
    """Axes for a colour bar (placed beside the map by :func:`finish_map`)."""
    return fig.add_axes((0.0, 0.0, 0.02, 0.5))


def max_map_height_in(region_extent, figsize=None) -> float:
    """Tallest the map of a figure may be (inches): a tall region's figure is narrower
    instead of taller; ``figsize`` (width, height) caps it at the height asked for."""
    if figsize:
        return float(figsize[1]) * 0.8
    return MAX_REGION_MAP_HEIGHT_IN if region_extent is not None else WORLD_WIDTH_IN / 2.0


def _graticule(ax, extent) -> None:
    """Labelled lon/lat ticks and a light grid.

    On these PlateCarree maps cartopy's tick locators do the job of its
    Gridliner at a tenth of the drawing time.
    """
    import cartopy.crs as ccrs
    from cartopy.mpl.ticker import LatitudeFormatter, LongitudeFormatter
    if extent is None:
        # -180 and 180 are one meridian: the two edges of a map centred on 0, but one line
        # (labelled twice, over itself) on a map centred anywhere else.
        plate = ccrs.PlateCarree()
        one_line = np.isclose(ax.projection.transform_point(-180.0, 0.0, plate)[0],
                              ax.projection.transform_point(180.0, 0.0, plate)[0])
        xticks = np.arange(-180, 180 if one_line else 181, 30)
        yticks = np.arange(-90, 91, 30)
    else:
        w, e, s, n = extent
        # A tick every 0.1 deg on a city's box, up to every 30 deg: 3 to 12 of them.
        step = next(v for v in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30)
                    if (e - w) / v <= 12)
        xticks = np.round(np.arange(np.ceil(w / step - 1e-9) * step, e + 1e-9, step), 6)
        yticks = np.round(np.arange(np.ceil(s / step - 1e-9) * step, n + 1e-9, step), 6)
    ax.set_xticks(xticks, crs=ccrs.PlateCarree())
    ax.set_yticks(yticks, crs=ccrs.PlateCarree())
    ax.xaxis.set_major_formatter(LongitudeFormatter())
    ax.yaxis.set_major_formatter(LatitudeFormatter())
    ax.tick_params(labelsize=7.5, labelcolor="#444444", length=3)
    ax.grid(True, color="#888888", alpha=0.5, linewidth=0.4, linestyle=":")


def _shows_pakistan(extent) -> bool:
    w, e, s, n = extent
    return w < 77 and e > 61 and s < 37 and n > 24


# --------------------------------------------------------------------------- footprints

GEO_CONTOURS_DEG = (0, 5, 10, 20, 30)
LABEL_LEFT = {"Faisalabad", "Peshawar"}   # names written left of their dot, to avoid clashes


def base_map(region_extent, central_longitude, n_caption_lines=0, figsize=None,
             axes_width: float = 0.86):
    """Figure and GeoAxes with basemap, graticule and (over Pakistan) province names.

    Returns ``(fig, ax, central_longitude)``; a regional map is centred on its region.
    The figure's size and the axes' place are provisional: :func:`finish_map` sets them
    from the measured title, legend, colour bar and caption (``n_caption_lines`` and
    ``axes_width`` are no longer needed and ignored).
    """
    import cartopy.crs as ccrs
    plt = pyplot()
    if region_extent is not None:
        w, e, s, n = region_extent
        central_longitude = (w + e) / 2.0
    width = figure_width_in(region_extent, figsize)
    fig = plt.figure(figsize=(width, figsize[1] if figsize else width * 0.75))
    ax = fig.add_axes((0.05, 0.2, 0.7, 0.7),
                      projection=ccrs.PlateCarree(central_longitude=central_longitude))
    if region_extent is None:
        ax.set_global()
    else:
        ax.set_extent(region_extent, crs=ccrs.PlateCarree())
    add_basemap(ax, region_extent)
    if region_extent is not None and _shows_pakistan(region_extent):
        label_provinces(ax, extent=region_extent)
    _graticule(ax, region_extent)
    return fig, ax, central_longitude


def mark_sites(ax, sites, extent) -> None:
    """Dots and names of ground sites inside the map (names placed beside their dots,
    clear of other labels, by :func:`orbitview.products.layout.place_map_labels`)."""
    import cartopy.crs as ccrs
    import matplotlib.patheffects as pe
    if extent is None:
        return  # a world map has no room for city names
    w, e, s, n = extent
    plate = ccrs.PlateCarree()
    for site in sites:
        if not (w <= site.lon_deg <= e and s <= site.lat_deg <= n):
            continue
        left = site.name in LABEL_LEFT
        ax.plot(site.lon_deg, site.lat_deg, "o", ms=3.5, color="black", transform=plate,
                zorder=7)
        ax.annotate(site.name, projected_point(ax, plate, site.lon_deg, site.lat_deg),
                    xycoords="data", xytext=(-3, 1) if left else (3, 1),
                    textcoords="offset points", fontsize=7.5, zorder=7, va="bottom",
                    ha="right" if left else "left", annotation_clip=True, gid="site-label",
                    path_effects=[pe.withStroke(linewidth=2, foreground="white")])


def footprint_figure(prop, rule, region_extent=None,
                     central_longitude: float = DEFAULT_CENTRAL_LONGITUDE, sites=(),
                     clock=None):
    """Footprints at ``prop``'s single time; GEO satellites get elevation contours.  Times
    in UTC and in ``clock``'s zone (else Pakistan's).

    ``rule`` may be a fleet rule: a satellite whose rule is an imaging rule gets the
    edge of its field of regard (a radar: the near and far edges of its incidence
    window), the map shades where the Sun is too low for its optical images, and the
    caption names the assumed instrument values.
    """
    import cartopy.crs as ccrs
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from orbitview.access.footprint import edge_rules, footprint
    from orbitview.access.rules import look_angles
    from orbitview.data.sites import enu_basis, ground_itrs_km
    at = prop.times_utc[0]
    lines = caption_lines(prop, at, clock=clock)
    kinds = {getattr(rule.for_satellite(n), "kind", "radio") for n in prop.norad_ids}
    word = "Imaging footprints" if kinds == {"imaging"} else \
        "Visibility footprints" if kinds == {"radio"} else "Imaging and visibility footprints"
    lines[0] = (f"Map time {at:%Y-%m-%d %H:%M:%S} UTC{local_beside(at, clock)}.  Inside where "
                f"{rule.describe()} (the rule the pass list uses).", "#222222")
    lines += _assumption_lines(rule)
    fig, ax, central = base_map(region_extent, central_longitude)
    data_crs = ccrs.PlateCarree(central_longitude=central)
    handles = []
    bar = None
    suns = sorted({r.min_sun_elevation_deg for r in map(rule.for_satellite, prop.norad_ids)
                   if getattr(r, "needs_sun", False)})
    if suns:
        from cartopy.feature.nightshade import Nightshade
        ax.add_feature(Nightshade(at, delta=1.0 if region_extent is None else 0.25,
                                  refraction=suns[0], alpha=0.18, color="#0b1a33"), zorder=1.5)
        handles.append(Patch(facecolor="#0b1a33", alpha=0.25,
                             label=f"Sun below {suns[0]:g}\u00b0: no optical image"))
    from orbitview.products.unknowns import bound_of, legend_text
    records = getattr(prop, "records", None) or [None] * len(prop.names)
    for i, name in enumerate(prop.names):
        sat_rule = rule.for_satellite(prop.norad_ids[i])
        colour = COLOURS[i % len(COLOURS)]
        lat0, lon0 = prop.lat_deg[i, 0], prop.lon_deg[i, 0]
        if np.isnan(lat0):
            continue
        bound = bound_of(prop, i, 0)
        if bound is not None and bound.phase_lost:
            # Where on its orbit it is cannot be said: no sub-point, footprint or
            # elevation contours as if known; the legend says why.
            handles.append(Line2D([], [], color=colour, lw=1.4, ls=UNKNOWN_STYLE,
                                  alpha=UNKNOWN_ALPHA + 0.25,
                                  label=f"{name}: {legend_text(bound, records[i], at)}; "
                                        "footprint not drawn"))
            continue
        pos = prop.itrs_km[:, i, 0]
        is_geo = prop.elements[i][-1].is_deep_space and abs(lat0) < 5
        if is_geo and region_extent is not None:
            w, e, s, n = region_extent
            glat, glon = np.meshgrid(np.linspace(s, n, 120), np.linspace(w, e, 160),
                                     indexing="ij")
            site = ground_itrs_km(glat.ravel(), glon.ravel(), np.zeros(glat.size))
            _, el, _ = look_angles(site, enu_basis(glat.ravel(), glon.ravel()), pos[:, None])
            el = el.reshape(glat.shape)
            bands = np.arange(np.floor(el.min()), np.ceil(el.max()) + 1.0, 1.0)
            filled = ax.contourf(glon, glat, el, levels=bands, cmap="YlGnBu", alpha=0.5,
                                 transform=ccrs.PlateCarree(), zorder=1.1)
            levels = sorted({v for v in (*GEO_CONTOURS_DEG, *range(0, 91, 5))
                             if el.min() <= v <= el.max()})
            if levels:
                cs = ax.contour(glon, glat, el, levels=levels, colors="#1d3557",
                                linewidths=0.9, transform=ccrs.PlateCarree(), zorder=2)
                for t in ax.clabel(cs, fmt="%g\u00b0", fontsize=8.5):
                    t.set_gid("contour-label")
            if bar is None:             # one colour bar: the first geostationary satellite's
                bar = fig.colorbar(filled, cax=_colour_bar_axes(fig, ax))
                bar.set_label(f"elevation of {name} above the horizon (deg)")
        rings = [r for r in edge_rules(sat_rule) if r is not None]
        if getattr(sat_rule, "incidence_deg", None) is not None:   # radar: an annulus
            label = (f"{name}: sub-point and incidence {sat_rule.incidence_deg[0]:g}-"
                     f"{sat_rule.incidence_deg[1]:g}\u00b0 edges")
        else:
            label = (f"{name}: sub-point and field of regard ({sat_rule.describe()})"
                     if sat_rule.kind == "imaging" else
                     f"{name}: sub-point and edge at {sat_rule.min_elevation_deg:g}\u00b0 "
                     "elevation")
        for ring in rings:
            lon_b, lat_b, _ = footprint(pos, lat0, lon0, ring)
            for x, y in split_at_seam(lon_b, lat_b, central):
                ax.plot(x, y, color=colour, lw=1.8, transform=data_crs, zorder=3)
        x0 = wrap180(lon0 - central)
        ax.plot(x0, lat0, marker="D" if is_geo else "o", ms=8, color=colour, mec="black",
                transform=data_crs, zorder=5)
        ax.annotate(name, projected_point(ax, data_crs, x0, lat0), xycoords="data",
                    xytext=(7, 3),
                    textcoords="offset points", fontsize=9, fontweight="bold", color=colour,
                    va="bottom", annotation_clip=True, zorder=6, gid="satellite-label",
                    path_effects=[pe.withStroke(linewidth=3, foreground="white")])
        handles.append(Line2D([], [], color=colour, lw=2, marker="D" if is_geo else "o",
                              mec="black", label=label))
    mark_sites(ax, sites, region_extent)
    ax.set_title(f"{word}, {at:%Y-%m-%d %H:%M} UTC{local_beside(at, clock, '%H:%M')}",
                 loc="left", fontsize=12, fontweight="bold")
    finish_map(fig, ax, caption=lines, legend_handles=handles, colour_bar=bar,
               width_in=figure_width_in(region_extent),
               max_map_height_in=max_map_height_in(region_extent))
    return fig


# --------------------------------------------------------------------------- coverage

def coverage_figure(result, metric: str, rule, region_extent, polygons=None, sites=(),
                    clock=None, target_min: float | None = None):
    """Heatmap of a coverage metric with province boundaries and a colour bar; the window
    in UTC and in ``clock``'s zone (else Pakistan's).

    The colour bar starts at zero (a percentage runs to 100), so a small spread looks
    small; ``target_min`` marks a gap target (minutes) on it for the gap metrics."""
    from orbitview.access.coverage import METRICS
    column, label = METRICS[metric]
    prop = result.prop
    start = result.start
    end = prop.times_utc[-1]
    summary = result.summary(polygons)[-1]
    lines = caption_lines(prop, start, clock=clock)
    lines[0] = (f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
                f"{_local_window(start, end, clock)}, step {result.step_s:g} s, "
                f"grid {result.grid.resolution_deg:g}\u00b0, {rule.describe()}.  "
                f"{summary['region']}: {summary['coverage_percent']}% of the time covered, "
                f"{summary['accesses']} accesses, mean gap {summary['mean_gap_min']} min, "
                f"longest {summary['max_gap_min']} min.", "#222222")
    geo = [prop.names[i] for i in range(len(prop.names)) if prop.elements[i][-1].is_deep_space]
    # Count steps, not percentages: 97 * (100 / 97) is 99.99999999999999.
    covered_steps = np.rint(result.coverage_percent * result.n_time / 100.0)
    if geo and np.all(covered_steps == result.n_time):
        lines.insert(1, (f"Geostationary {', '.join(geo)} stand above {rule.describe()} over "
                         "every cell at every step, so coverage is complete; map LEO "
                         "satellites alone to see their revisits.", "#222222"))
    values = result.as_grid(metric)
    cmap = "viridis" if metric in ("percent", "accesses") else "magma_r"
    vmax = 100.0 if metric == "percent" else scale_top(values)
    target = None
    if target_min is not None and metric in ("max-gap", "mean-gap"):
        target = (float(target_min), f"target {target_min:g} min")
        vmax = max(vmax, scale_top(np.array([target_min])))
    names = _fleet_text(result.names)
    return _heatmap_figure(result.grid, values, label, cmap, 0.0, vmax, lines,
                           f"{label[0].upper() + label[1:]} over {summary['region']}, "
                           f"{_access_title(rule)}: {names}",
                           region_extent, polygons, sites, target=target)


def scale_top(values) -> float:
    """Top of a colour scale that starts at zero: the largest finite value rounded up to
    a round tick (23.3 h -> 25 h, 33 h -> 40 h); 1 when there is nothing positive."""
    from matplotlib.ticker import MaxNLocator
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    top = float(finite.max()) if finite.size else 0.0
    if top <= 0:
        return 1.0
    return float(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]).tick_values(0.0, top)[-1])


def mark_target(bar, value: float, text: str) -> None:
    """A target on a vertical colour bar: a line across it and its name to its left
    (measured with the bar, so the layout leaves room for it)."""
    import matplotlib.transforms as mtransforms
    lo, hi = bar.mappable.get_clim()
    if not lo <= value <= hi:
        return
    bar.ax.axhline(value, color="black", lw=2.0, zorder=5)
    bar.ax.axhline(value, color="white", lw=0.8, zorder=6)
    mark = bar.ax.text(-0.25, value, text + " \u2192", fontsize=7.5, ha="right",
                       va="center", fontweight="bold",
                       transform=mtransforms.blended_transform_factory(bar.ax.transAxes,
                                                                      bar.ax.transData))
    mark.set_gid("outside")

def _local_window(start: dt.datetime, end: dt.datetime, clock=None) -> str:
    """' (2026-11-21 05:00 to 2026-11-22 05:00 PKT)'; '' when the local zone is UTC; both
    abbreviations when the window crosses a daylight-saving change (GMT to BST)."""
    if not local_beside(start, clock):
        return ""
    zone = clock.zone if clock is not None else PKT
    a, b = start.astimezone(zone), end.astimezone(zone)
    first = f"{a:%Y-%m-%d %H:%M}" + ("" if a.tzname() == b.tzname() else f" {a.tzname()}")
    return f" ({first} to {b:%Y-%m-%d %H:%M} {b.tzname()})"


def _fleet_text(names) -> str:
    """'PRSS-1, HS-1' or '12 satellites'; designs generated by 'orbitview design' are named
    HYPOTHETICAL ('12 HYPOTHETICAL satellites'; their caption line comes from
    :func:`caption_lines`)."""
    from orbitview.orbit.design import hypothetical_count
    names = list(names)
    if len(names) <= 4:
        return ", ".join(names)
    n = hypothetical_count(names)
    if n == len(names):
        return f"{n} HYPOTHETICAL satellites"
    return f"{len(names)} satellites" + (f", {n} of them HYPOTHETICAL" if n else "")


def _access_title(rule) -> str:
    kind = getattr(rule, "kind", "radio")
    return {"radio": "radio access", "imaging": "imaging access"}.get(kind, "mixed access")


def _heatmap_figure(grid, values, label, cmap, vmin, vmax, lines, title, region_extent,
                    polygons=None, sites=(), target=None, legend_handles=None):
    """A grid of values over the basemap, province lines, sites, colour bar and caption;
    ``target`` (value, text) is marked on the colour bar."""
    import cartopy.crs as ccrs
    fig, ax, _ = base_map(region_extent, DEFAULT_CENTRAL_LONGITUDE)
    res = grid.resolution_deg
    lon_edges = np.r_[grid.lon_deg - res / 2, grid.lon_deg[-1] + res / 2]
    lat_edges = np.r_[grid.lat_deg - res / 2, grid.lat_deg[-1] + res / 2]
    mesh = ax.pcolormesh(lon_edges, lat_edges, values, cmap=cmap, vmin=vmin, vmax=vmax,
                         shading="flat", transform=ccrs.PlateCarree(), zorder=1.2,
                         alpha=0.9, rasterized=True)
    if polygons:
        ax.add_geometries(list(polygons.values()), crs=ccrs.PlateCarree(), facecolor="none",
                          edgecolor="black", linewidth=0.7, zorder=2)
    mark_sites(ax, sites, region_extent)
    bar = fig.colorbar(mesh, cax=_colour_bar_axes(fig, ax))
    bar.set_label(label)
    if target is not None:
        mark_target(bar, *target)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    finish_map(fig, ax, caption=lines, colour_bar=bar, legend_handles=legend_handles,
               width_in=figure_width_in(region_extent),
               max_map_height_in=max_map_height_in(region_extent))
    return fig


def revisit_figure(rev, metric: str, region_extent, polygons=None, sites=(), excluded=(),
                   clock=None, target_h: float | None = None):
    """Heat map of an imaging revisit metric (:mod:`orbitview.access.revisit`) with provinces.

    The colour bar starts at zero (a share runs to 100 %), so a spread of an hour in a
    day's wait looks like one; ``target_h`` marks a revisit target (hours) on it for the
    hour metrics.  The caption gives
    the window, the rules, the Pakistan-wide figures, the satellites left out (GEO
    and those without an imaging instrument) and every assumed instrument value.
    """
    from orbitview.access.revisit import METRICS
    column, label = METRICS[metric]
    cov = rev.coverage
    prop = cov.prop
    start, end = cov.start, cov.end
    total = rev.summary(polygons)[-1]
    head = (f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
            f"{_local_window(start, end, clock)}, step {cov.step_s:g} s, "
            f"grid {rev.grid.resolution_deg:g}\u00b0. Imaging rules: {rev.rule.describe()}. "
            f"{total['region']}: {total['opportunities']} opportunities per cell on average, "
            f"mean revisit {_fmt_h(total['mean_revisit_h'])}, longest wait "
            f"{_fmt_h(total['max_revisit_h'])}, first image after "
            f"{_fmt_h(total['first_image_h'])} on average"
            + (f", {total['never_imaged_pct']:g}% of the area never imaged"
               if total["never_imaged_pct"] else "") + ".")
    lines = [(head, "#222222")]           # wrapped to the figure's width by fit_caption
    if excluded:
        lines.append(("Left out of the imaging metrics: " + "; ".join(
            f"{s.name} ({why})" for s, why in excluded) + ".", "#222222"))
    lines += caption_lines(prop, start, clock=clock)[1:]
    if _timing_uncertain(prop):
        lines.append(("Element sets this old can put the satellites minutes (or anywhere) away "
                      "along their orbits: which cells wait longest may differ, the statistics "
                      "(opportunities, typical revisit) much less.", "#b00000"))
    lines += _assumption_lines(rev.rule)
    values = rev.as_grid(metric)
    vmax = 100.0 if metric == "daylight-share" else scale_top(values)
    target = None
    if target_h is not None and column.endswith("_h"):
        target = (float(target_h), f"target {target_h:g} h")
        vmax = max(vmax, scale_top(np.array([target_h])))
    cmap = "viridis" if metric in ("opportunities", "daylight-share") else "magma_r"
    names = _fleet_text(rev.names)
    days = rev.window_h / 24.0
    title = (f"{label[0].upper() + label[1:].split(' (')[0]} over {total['region']}, "
             f"{days:.3g} days, imaging access: {names}")
    handles = None
    if metric in ("first-image", "mean-revisit") and np.isnan(values[rev.grid.mask]).any():
        from matplotlib.patches import Patch
        handles = [Patch(facecolor="none", edgecolor="#888888",
                         label="blank cell: " + ("never imaged" if metric == "first-image"
                                                 else "imaged fewer than twice"))]
    return _heatmap_figure(rev.grid, values, label, cmap, 0.0, vmax, lines, title,
                           region_extent, polygons, sites, target=target,
                           legend_handles=handles)


def _timing_uncertain(prop, threshold_s: float = 60.0) -> bool:
    """Whether any satellite's 90 % timing bound over the map's times exceeds a minute."""
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.design import is_hypothetical
    for i in range(len(prop.names)):
        if is_hypothetical(prop.elements[i][-1]):       # a design is flown as designed
            continue
        ages = np.abs(prop.epoch_age_days[i])
        k = int(np.nanargmax(ages))
        es = prop.elements[i][int(prop.set_index[i][k])]
        bound = error_bound(prop.elements[i], ages[k], element_set=es,
                            record=prop.records[i] if prop.records else None)
        if bound.phase_lost or (bound.timing_s or 0.0) > threshold_s:
            return True
    return False


def _fmt_h(hours) -> str:
    if hours is None:
        return "n/a"
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"
