"""Animations of the track map: moving satellites, fading past track, terminator, clock.

The basemap, graticule, province names, full tracks (faint), legend, clock panel and
caption are laid out and drawn once (:func:`orbitview.products.layout.finish_map`);
every frame restores that background and draws only the artists that move
(matplotlib's blitting): the night side, each satellite's fading trail, marker and
name, arrowheads pointing to satellites off a regional map, optional footprints, and
the clock in UTC and local time (``clock``: --tz, the config file, else Pakistan's
zone).  The legend and clock sit beside the map, so the night never shades them; the
caption is a few lines (each satellite's element age and error bound are in the legend).

Frames are written as they are drawn, so memory does not grow with their number: a GIF
frame by frame with one palette for every frame (:class:`GifWriter`: the satellites'
colours reserved exactly, the rest from the background by day and by night), an MP4 by
piping raw frames into the ffmpeg that ``imageio-ffmpeg`` ships.  Both write to a
temporary file that replaces the target only when the whole animation is written.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import struct
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from orbitview.products.maps import (
    COLOURS,
    caption_lines,
    figure_width_in,
    max_map_height_in,
    split_at_seam,
    wrap180,
)
from orbitview.util.timeutil import PKT, iso

if TYPE_CHECKING:
    from orbitview.orbit.sgp4run import Propagation

TRAIL_MIN = 30.0
TRAIL_STEPS = 12
"""Steps in which a trail fades, oldest to newest."""
CLOCK_FONTSIZE = 13.0
POINTER_FONTSIZE = 8.5
NIGHT_COLOUR = "#0b1a33"
NIGHT_ALPHA = 0.2
NIGHT_ELEVATION_DEG = -0.83
"""Sun elevation at the edge of the night shading: sunset (refraction and the Sun's
radius), as cartopy's Nightshade draws it on the still maps."""
MAX_FRAMES = 2000
CAPTION_FONTSIZE = 7.6
SOURCE_FONTSIZE = 7.0


@dataclass
class Frames:
    """The propagation behind an animation and which of its times are frames."""

    prop: Propagation
    frame_index: np.ndarray
    footprints: dict | None = None
    """NORAD number -> FootprintSeries at the frame times, with ``index_at`` {time: row}."""


@dataclass(frozen=True)
class FrameProgress:
    """How far writing an animation is, for a progress display."""

    done: int
    total: int
    elapsed_s: float

    @property
    def s_per_frame(self) -> float | None:
        return self.elapsed_s / self.done if self.done else None

    @property
    def remaining_s(self) -> float | None:
        """Estimate: the mean time of the frames so far times the frames left."""
        return None if not self.done else self.s_per_frame * (self.total - self.done)

    def text(self) -> str:
        """'120 of 1441 frames, 0.05 s a frame, about 66 s left'."""
        if not self.done:
            return f"0 of {self.total} frames"
        return (f"{self.done} of {self.total} frames, {self.s_per_frame:.2f} s a frame, "
                f"about {self.remaining_s:.0f} s left")


# --------------------------------------------------------------------------- night side

def night_path(sun_lat_deg: float, sun_lon_deg: float, central_longitude: float,
               elevation_deg: float = NIGHT_ELEVATION_DEG, points: int = 360):
    """Matplotlib Path of where the Sun is below ``elevation_deg``, in the coordinates of
    ``PlateCarree(central_longitude)`` (x = longitude - central, y = latitude).

    The night side is a spherical cap around the antisolar point, of angular radius
    90 deg + ``elevation_deg``; its edge is computed directly (no reprojection), so a
    frame's night costs well under a millisecond.  A cap holding a pole is closed along
    that pole's edge of the map; one holding neither (near an equinox) is drawn with
    copies 360 deg either side, so the part across the map's seam shows too.
    """
    from matplotlib.path import Path
    lat_a = np.radians(-sun_lat_deg)
    lon_a = np.radians(sun_lon_deg + 180.0)
    rho = np.radians(90.0 + elevation_deg)
    bearing = np.linspace(0.0, 2 * np.pi, points, endpoint=False)
    lat = np.arcsin(np.sin(lat_a) * np.cos(rho) + np.cos(lat_a) * np.sin(rho) * np.cos(bearing))
    lon = lon_a + np.arctan2(np.sin(bearing) * np.sin(rho) * np.cos(lat_a),
                             np.cos(rho) - np.sin(lat_a) * np.sin(lat))
    lat_deg = np.degrees(lat)
    x = wrap180(np.degrees(lon) - central_longitude)
    if sun_lat_deg > -elevation_deg or sun_lat_deg < elevation_deg:
        pole = -90.0 if sun_lat_deg > 0 else 90.0           # the pole inside the night
        order = np.argsort(x)
        xs, ys = x[order], lat_deg[order]
        edge = np.interp([-180.0, 180.0], xs, ys, period=360.0)
        vx = np.r_[-180.0, xs, 180.0, 180.0, -180.0]
        vy = np.r_[edge[0], ys, edge[1], pole, pole]
        verts = np.column_stack([vx, vy])
        codes = np.full(len(verts), Path.LINETO, dtype=Path.code_type)
        codes[0] = Path.MOVETO
        return Path(np.vstack([verts, verts[:1]]), np.r_[codes, Path.CLOSEPOLY])
    xu = np.degrees(np.unwrap(np.radians(x)))
    loop = np.column_stack([xu, lat_deg])
    parts, codes = [], []
    for shift in (-360.0, 0.0, 360.0):
        part = loop + [shift, 0.0]
        parts.append(np.vstack([part, part[:1]]))
        c = np.full(len(part) + 1, Path.LINETO, dtype=Path.code_type)
        c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
        codes.append(c)
    return Path(np.vstack(parts), np.concatenate(codes))


def subsolar_deg(t) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (deg) of the sub-solar point at each skyfield time of
    ``t``: the Sun direction the imaging rule uses (DE421, Earth-fixed)."""
    from orbitview.access.rules import sun_unit_itrs
    x, y, z = sun_unit_itrs(t)
    return np.degrees(np.arcsin(np.clip(z, -1, 1))), np.degrees(np.arctan2(y, x))


# --------------------------------------------------------------------------- the caption

def element_note(prop, i: int) -> tuple[str, bool]:
    """('147 d old, ±7,900 km', stale) for satellite ``i``: the age of its element set
    furthest from the frames and the 90 % bound of its position there; where on its
    orbit it is cannot be said there, 'position unknown (elements 147 d old)'."""
    from orbitview.data.elements import STALE_AFTER_DAYS
    from orbitview.orbit.design import is_hypothetical
    from orbitview.products.unknowns import bound_of, legend_text
    if is_hypothetical(prop.elements[i][-1]):
        return "HYPOTHETICAL design", False
    ages = np.abs(prop.epoch_age_days[i])
    k = int(np.nanargmax(ages))
    age = float(ages[k])
    holds = getattr(prop, "holds", None)
    hold = holds[i] if holds else None
    bound = bound_of(prop, i, k)
    if bound is not None and bound.phase_lost:
        records = getattr(prop, "records", None)
        return legend_text(bound, records[i] if records else None, prop.times_utc[k]), True
    days = f"{age:.0f} d" if age >= 2 else f"{age * 24:.0f} h"
    held = f" (held at {hold.slot_text()})" if hold is not None else ""
    return f"{days} old, {bound.km_text()}{held}", age > STALE_AFTER_DAYS


def animation_caption(prop, start: dt.datetime, end: dt.datetime, trail_min: float,
                      regional: bool) -> list[tuple[str, str]]:
    """The few caption lines an animation's frames carry: what is drawn and (red) what
    is stale, hypothetical or failed.  Each satellite's element age and error bound are
    in the legend, the element sources in a panel beside it (:func:`source_lines`)."""
    from orbitview.data.elements import STALE_AFTER_DAYS
    lines = [(f"Positions by orbitview (SGP4, WGS84) from {iso(start)} to {iso(end)}; each "
              f"dot trails its last {trail_min:g} minutes"
              + ("; arrowheads on the edge point to satellites off the map, with the distance"
                 if regional else "")
              + ". Legend: element age and 90 % position error of each satellite.",
              "#222222")]
    notes = [element_note(prop, i) for i in range(len(prop.names))]
    stale = sum(s for _, s in notes)
    unknown = [prop.names[i] for i, (t, _) in enumerate(notes)
               if t.startswith("position unknown")]
    full = caption_lines(prop, start)[1:]
    red = [t for t, c in full if c == "#b00000" and not t.startswith("\u26a0 STALE ")
           and not t.startswith("\u26a0 Element sets more than")]
    if stale:
        gone = " (no dot where the legend says 'position unknown')" if unknown else ""
        red.insert(0, f"\u26a0 {stale} of {len(notes)} satellites have element sets more than "
                      f"{STALE_AFTER_DAYS:.0f} days from the frames (red in the legend): they "
                      f"may be far from where they are drawn{gone}. Refresh with 'orbitview "
                      "tle update --all' when online.")
    return lines + [(t, "#b00000") for t in red]


def source_lines(prop) -> list[str]:
    """Where the element sets came from, one line per source with its commits:
    'CelesTrak GROUP=active via jtmiclat/celestrak-historical@066cca90, @011c609c'."""
    grouped: dict[str, list[str]] = {}
    for sets in prop.elements:
        for es in sets:
            source = getattr(es, "source", None) or ""
            if not source:
                continue
            base, at, commit = source.rpartition("@")
            key, rev = (base, commit) if at else (source, None)
            revs = grouped.setdefault(key, [])
            if rev and rev not in revs:
                revs.append(rev)
    return [key + ("@" + ", @".join(revs) if revs else "") for key, revs in grouped.items()]


# --------------------------------------------------------------------------- the figure

@dataclass
class _LabelSize:
    width: float
    height: float


class Animation:
    """A figure whose moving parts are redrawn per frame over a saved background."""

    def __init__(self, frames: Frames, region_extent=None, central_longitude: float = 70.0,
                 trail_min: float = TRAIL_MIN, title: str | None = None, dpi: int = 100,
                 sites=(), clock=None):
        import matplotlib.patheffects as pe
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, PathPatch
        from matplotlib.transforms import IdentityTransform

        from orbitview.products.layout import Panel, finish_map
        from orbitview.products.maps import base_map
        self.frames = frames
        self.zone = clock.zone if clock is not None else PKT
        prop = frames.prop
        self.prop = prop
        self.times = prop.times_utc
        self.seconds = np.array([(t - self.times[0]).total_seconds() for t in self.times])
        self.trail_s = trail_min * 60.0
        self.extent = region_extent
        fig, ax, central = base_map(region_extent, central_longitude)
        fig.set_dpi(dpi)
        self.fig, self.ax, self.central = fig, ax, central
        # Map coordinates of every position, once: x = longitude - central.
        self.x = wrap180(prop.lon_deg - central)
        self.y = np.asarray(prop.lat_deg, dtype=float)
        frame_t = prop.t[np.asarray(frames.frame_index)]
        self.sun_lat, self.sun_lon = subsolar_deg(frame_t)
        halo = [pe.withStroke(linewidth=3, foreground="white")]
        pixels = IdentityTransform()
        handles = []
        self.sats = []
        # Where on its orbit each satellite is cannot be said at these frames: no dot,
        # trail, name or footprint there (orbitview.products.unknowns).
        from orbitview.products.unknowns import phase_lost_mask
        self.lost = phase_lost_mask(prop, frames.frame_index)
        for i, name in enumerate(prop.names):
            colour = COLOURS[i % len(COLOURS)]
            geo = bool(prop.elements[i][-1].is_deep_space)
            unknown = bool(self.lost[i].any())
            if unknown:
                from orbitview.products.maps import draw_unknown
                draw_unknown(ax, prop, i, colour, central)
            else:
                for x, y in split_at_seam(prop.lon_deg[i], prop.lat_deg[i], central):
                    ax.plot(x, y, color=colour, lw=0.8, alpha=0.35, transform=ax.transData,
                            zorder=2.6)
            trail = LineCollection([], colors=colour, linewidths=2.4, transform=ax.transData,
                                   zorder=3, capstyle="round", animated=True)
            ax.add_collection(trail, autolim=False)
            marker, = ax.plot([], [], marker="D" if geo else "o", ms=9, color=colour,
                              mec="black", mew=0.9, transform=ax.transData, zorder=5,
                              animated=True, linestyle="none")
            # Names and pointer labels are placed in pixels each frame, clear of each other,
            # and pasted as images made once (orbitview.products.sprites); these texts
            # hold what is written where, and are drawn only by frame_full_redraw.
            label = ax.text(0, 0, name, transform=pixels, fontsize=10, fontweight="bold",
                            color=colour, zorder=6, va="bottom", ha="left", path_effects=halo,
                            animated=True, gid="animated", visible=False)
            pointer, = ax.plot([], [], marker="^", ms=11, color=colour, mec="black", mew=0.8,
                               transform=ax.transData, zorder=6, animated=True,
                               linestyle="none", clip_on=False)
            pointer_label = ax.text(0, 0, "", transform=pixels, fontsize=8.5, color=colour,
                                    fontweight="bold", zorder=6, animated=True,
                                    path_effects=halo, ha="center", va="center",
                                    gid="animated", visible=False)
            footprint = None
            if frames.footprints is not None:
                footprint = LineCollection([], colors=colour, linewidths=1.3, alpha=0.9,
                                           transform=ax.transData, zorder=2.8, animated=True)
                ax.add_collection(footprint, autolim=False)
            self.sats.append({"i": i, "colour": colour, "trail": trail, "marker": marker,
                              "label": label, "footprint": footprint, "pointer": pointer,
                              "pointer_label": pointer_label,
                              "rgb": np.array(_rgb(colour))})
            note, stale = element_note(prop, i)
            if unknown and self.lost[i].all():
                from orbitview.products.maps import UNKNOWN_STYLE
                handles.append(Line2D([], [], color=colour, lw=1.6, ls=UNKNOWN_STYLE,
                                      label=f"{name} ({prop.norad_ids[i]}): {note}"))
            else:
                handles.append(Line2D([], [], color=colour, lw=2.4,
                                      marker="D" if geo else "o", mec="black",
                                      label=f"{name} ({prop.norad_ids[i]}): {note}"))
            self.sats[-1]["stale"] = stale
        self.night = PathPatch(night_path(self.sun_lat[0], self.sun_lon[0], central),
                               transform=ax.transData, facecolor=NIGHT_COLOUR,
                               alpha=NIGHT_ALPHA, edgecolor="none", zorder=1.5, animated=True)
        ax.add_patch(self.night)
        handles.append(Patch(facecolor=NIGHT_COLOUR, alpha=0.3, label="night"))
        if frames.footprints:
            rules = sorted({fs.rule for fs in frames.footprints.values()})
            handles.append(Line2D([], [], color="#333333", lw=1.3,
                                  label="footprint" + (f" ({rules[0]})" if len(rules) == 1
                                                       else "s (each satellite's rule)")))
        # The clock: a panel above the legend, sized for its longest text.
        clock_ax = fig.add_axes((0.0, 0.0, 0.1, 0.1))
        clock_ax.set_axis_off()
        widest = self._clock_text(max(self.times, key=lambda t: len(self._clock_text(t))))
        # The box is drawn once with the background (its text invisible); the time is
        # pasted into it each frame.  self.clock holds the text of the last frame.
        self.clock_box = clock_ax.text(0.0, 1.0, widest, transform=clock_ax.transAxes,
                                       fontsize=CLOCK_FONTSIZE, fontweight="bold", va="top",
                                       ha="left", zorder=7, family="DejaVu Sans Mono",
                                       color="none",
                                       bbox=dict(boxstyle="round,pad=0.35",
                                                 facecolor="white", edgecolor="#666666"))
        self.clock = clock_ax.text(0.0, 1.0, "", transform=clock_ax.transAxes,
                                   fontsize=CLOCK_FONTSIZE, fontweight="bold", va="top",
                                   ha="left", zorder=8, family="DejaVu Sans Mono",
                                   animated=True, visible=False)
        self.clock_axes = clock_ax
        w_in, h_in = self._text_size_in(self.clock_box, widest)
        names = ", ".join(prop.names) if len(prop.names) <= 4 else \
            f"{len(prop.names)} satellites"
        where = "" if region_extent is None else (
            " over Pakistan" if region_extent == (59.0, 80.5, 22.0, 38.5) else "")
        ax.set_title(title or f"{names}{where}, {self.times[0]:%Y-%m-%d}", loc="left",
                     fontsize=12, fontweight="bold")
        if sites:
            from orbitview.products.maps import mark_sites
            mark_sites(ax, sites, region_extent)
        end = self.times[int(frames.frame_index[-1])]
        lines = animation_caption(prop, self.times[0], end, trail_min,
                                  region_extent is not None)
        panels = [Panel(clock_ax, w_in, h_in)]
        sources = source_lines(prop)
        if sources:
            from orbitview.products.layout import wrap_to_width
            notes_ax = fig.add_axes((0.0, 0.0, 0.1, 0.1))
            notes_ax.set_axis_off()
            width_in = 0.3 * figure_width_in(region_extent)
            text = wrap_to_width("Element sets: " + "; ".join(sources) + ".", width_in,
                                 SOURCE_FONTSIZE, indent="  ")
            notes = notes_ax.text(0.0, 1.0, text, transform=notes_ax.transAxes, va="top",
                                  ha="left", fontsize=SOURCE_FONTSIZE, color="#333333")
            panels.append(Panel(notes_ax, *self._text_size_in(notes, text)))
        self.layout = finish_map(fig, ax, caption=lines, legend_handles=handles,
                                 legend_kwargs={"fontsize": 8.5}, panels=panels,
                                 panels_first=1,
                                 width_in=figure_width_in(region_extent),
                                 max_map_height_in=max_map_height_in(region_extent),
                                 caption_fontsize=CAPTION_FONTSIZE, even_pixels=True)
        legend = ax.get_legend()
        for s, text in zip(self.sats, legend.get_texts(), strict=False):
            if s["stale"]:
                text.set_color("#b00000")
        r = fig.canvas.get_renderer()
        self._frame_px = ax.get_window_extent(r)
        self._clear_px = 2.0 * fig.dpi / 72.0       # labels keep this far from each other
        # What the background writes on the map (city and province names, city dots): the
        # moving labels keep off it.
        from orbitview.products.layout import map_labels, marker_boxes, text_extent
        self._static_boxes = [tuple(b.extents) for b in
                              [text_extent(t, r) for t in map_labels(ax)]
                              + marker_boxes(ax, r)]
        from orbitview.products.sprites import Sprites, mono_size
        self.sprites = Sprites(fig.dpi)
        for s in self.sats:       # label sizes, measured once: placement is arithmetic
            name = prop.names[s["i"]]
            s["name_sprite"] = self.sprites.text(name, fontsize=10, fontweight="bold",
                                                 color=s["colour"], halo=3.0)
            s["label_size"] = _LabelSize(s["name_sprite"].box_width,
                                         s["name_sprite"].box_height)
            s["pointer_sprite"] = self.sprites.text(name, fontsize=POINTER_FONTSIZE,
                                                    fontweight="bold", color=s["colour"],
                                                    halo=3.0)
            dw, dh = mono_size(self.sprites, "20,000 km", POINTER_FONTSIZE)
            s["pointer_size"] = _LabelSize(max(s["pointer_sprite"].box_width, dw),
                                           s["pointer_sprite"].box_height + dh)
        fig.canvas.draw()
        self._clock_at = self.clock_box.get_window_extent(fig.canvas.get_renderer())
        self.background = fig.canvas.copy_from_bbox(fig.bbox)
        w, h = fig.canvas.get_width_height()
        self.size = (w, h)

    def _clock_text(self, when: dt.datetime) -> str:
        local = when.astimezone(self.zone)
        return f"{when:%Y-%m-%d %H:%M:%S} UTC" + (
            "" if local.utcoffset() == dt.timedelta(0) and local.tzname() in ("UTC", None)
            else f"\n{local:%Y-%m-%d %H:%M:%S} {local.tzname()}")

    def _text_size_in(self, artist, text: str) -> tuple[float, float]:
        from orbitview.products.layout import text_extent
        old = artist.get_text()
        artist.set_text(text)
        box = text_extent(artist, self.fig.canvas.get_renderer())
        artist.set_text(old)
        return box.width / self.fig.dpi + 0.04, box.height / self.fig.dpi + 0.04

    # ------------------------------------------------------------------ one frame

    def _update(self, k: int) -> None:
        j = int(self.frames.frame_index[k])
        now = self.seconds[j]
        when = self.times[j]
        first = int(np.searchsorted(self.seconds, now - self.trail_s))
        to_px = self.ax.transData.transform
        frame = self._frame_px
        placed = list(self._static_boxes)    # pixel boxes already taken by labels, markers
        on_map = []
        for s in self.sats:
            i = s["i"]
            s["pointer"].set_data([], [])
            s["pointer_label"].set_text("")
            s["label"].set_text("")
            s["label_at"] = s["pointer_label_at"] = None
            if self.lost[i, k]:               # where on its orbit it is: unknown
                s["trail"].set_segments([])
                s["marker"].set_data([], [])
                if s["footprint"] is not None:
                    s["footprint"].set_segments([])
                continue
            self._trail(s, self.x[i, first:j + 1], self.y[i, first:j + 1])
            x0, y0 = self.x[i, j], self.y[i, j]
            if np.isnan(x0) or np.isnan(y0):
                s["marker"].set_data([], [])
                continue
            s["marker"].set_data([x0], [y0])
            px, py = to_px((x0, y0))
            if frame.x0 <= px <= frame.x1 and frame.y0 <= py <= frame.y1:
                on_map.append((s, px, py))
                half = 5.0 * self.fig.dpi / 72.0
                placed.append((px - half, py - half, px + half, py + half))
            elif self.extent is not None:
                self._point_to(s, float(x0), float(y0))
            if s["footprint"] is not None:
                self._footprint(s, when)
        for s, px, py in on_map:             # names beside their markers, clear of others
            self._place_name(s, px, py, placed)
        self._place_pointer_labels(placed)
        self.night.set_path(night_path(self.sun_lat[k], self.sun_lon[k], self.central))
        self.clock.set_text(self._clock_text(when))

    def _trail(self, s, x, y) -> None:
        """The trail as a few polylines fading in steps with age (the newest opaque);
        broken across the seam and at gaps.  A few long paths draw far faster than a
        segment each."""
        n = len(x)
        if n < 2:
            s["trail"].set_segments([])
            return
        with np.errstate(invalid="ignore"):
            ok = (np.isfinite(x[:-1]) & np.isfinite(x[1:]) & np.isfinite(y[:-1])
                  & np.isfinite(y[1:]) & (np.abs(np.diff(x)) <= 180.0))
        steps = min(TRAIL_STEPS, n - 1)
        level = np.minimum(np.arange(n - 1) * steps // (n - 1), steps - 1)
        key = np.where(ok, level, -1)
        cuts = np.flatnonzero(np.diff(key)) + 1
        lines, alpha = [], []
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, n - 1], strict=True):
            if key[a] < 0:
                continue
            lines.append(np.column_stack([x[a:b + 1], y[a:b + 1]]))
            alpha.append(0.08 + 0.92 * (key[a] + 1) / steps)
        rgba = np.empty((len(lines), 4))
        rgba[:, :3] = s["rgb"]
        rgba[:, 3] = np.clip(alpha, 0.0, 1.0)
        s["trail"].set_segments(lines)
        s["trail"].set_color(rgba)

    def _footprint(self, s, when) -> None:
        prop = self.prop
        fs = self.frames.footprints.get(prop.norad_ids[s["i"]])
        at = fs.index_at.get(when) if fs is not None else None
        segs = []
        edges = [] if at is None else [(fs.ring_lon_deg, fs.ring_lat_deg)] + (
            [] if fs.inner_lon_deg is None else [(fs.inner_lon_deg, fs.inner_lat_deg)])
        for lon_deg, lat_deg in edges:       # a radar: its near and far edges
            ring_lon = np.append(lon_deg[at], lon_deg[at][0])
            ring_lat = np.append(lat_deg[at], lat_deg[at][0])
            for x, y in split_at_seam(ring_lon, ring_lat, self.central):
                if len(x) > 1:
                    pts = np.column_stack([x, y])
                    segs.extend(np.stack([pts[:-1], pts[1:]], axis=1))
        s["footprint"].set_segments(segs)

    def _place_name(self, s, px: float, py: float, placed: list) -> None:
        """The satellite's name beside its marker: the first of eight spots inside the
        map that covers no other name or marker; left out when none is free."""
        size = s["label_size"]
        gap = 6.0 * self.fig.dpi / 72.0
        frame = self._frame_px
        for dx, dy, ha, va in ((gap, 1, "left", "bottom"), (gap, -1, "left", "top"),
                               (-gap, 1, "right", "bottom"), (-gap, -1, "right", "top"),
                               (0, gap, "center", "bottom"), (0, -gap, "center", "top"),
                               (2 * gap, 2 * gap, "left", "bottom"),
                               (-2 * gap, -2 * gap, "right", "top")):
            x = px + dx
            y = py + dy
            x0 = x if ha == "left" else x - size.width if ha == "right" else x - size.width / 2
            y0 = y if va == "bottom" else y - size.height
            box = (x0, y0, x0 + size.width, y0 + size.height)
            if _box_inside(box, frame) and not _crowded(box, placed, self._clear_px):
                label = s["label"]
                label.set_text(self.prop.names[s["i"]])
                label.set_position((x, y))
                label.set_horizontalalignment(ha)
                label.set_verticalalignment(va)
                s["label_at"] = box[:2]
                placed.append(box)
                return

    def _point_to(self, s, x0: float, lat: float) -> None:
        """A satellite off a regional map: an arrowhead on the map's edge pointing to it,
        with its name and great-circle distance from that point (placed later)."""
        w, e, south, north = self.extent
        xw, xe = wrap180(w - self.central), wrap180(e - self.central)
        cx, cy = (xw + xe) / 2, (south + north) / 2
        dx, dy = x0 - cx, lat - cy
        inset = 0.035 * (xe - xw)
        half_w, half_h = (xe - xw) / 2 - inset, (north - south) / 2 - inset
        f = min(half_w / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf)
        px, py = cx + f * dx, cy + f * dy
        angle = float(np.degrees(np.arctan2(dy, dx)))
        s["pointer"].set_data([px], [py])
        s["pointer"].set_marker((3, 0, angle - 90.0))
        lon_p, lon_s = np.radians(px + self.central), np.radians(x0 + self.central)
        lat_p, lat_s = np.radians(py), np.radians(lat)
        arc = np.arccos(np.clip(np.sin(lat_p) * np.sin(lat_s) + np.cos(lat_p) * np.cos(lat_s)
                                * np.cos(lon_s - lon_p), -1, 1))
        s["pointer_label"].set_text(f"{self.prop.names[s['i']]}\n{6371.0 * arc:,.0f} km")
        s["pointer_at"] = (px, py, dx, dy)

    def _place_pointer_labels(self, placed: list) -> None:
        """Each edge arrow's label just inside the map from it, slid along that edge until
        it covers no other label, marker or arrow; left out when the edge is full."""
        frame = self._frame_px
        to_px = self.ax.transData.transform
        scale = self.fig.dpi / 72.0
        half = 7.0 * scale
        arrows = {}
        for s in self.sats:
            if s["pointer_label"].get_text():
                x, y = to_px(s["pointer_at"][:2])
                arrows[id(s)] = (x, y)
                placed.append((x - half, y - half, x + half, y + half))
        # Along each edge, bottom to top and left to right: a label pushed off its arrow's
        # spot moves on past its neighbour's, so the labels keep their arrows' order.
        for s in sorted((s for s in self.sats if id(s) in arrows),
                        key=lambda s: (arrows[id(s)][1], arrows[id(s)][0])):
            label = s["pointer_label"]
            x, y = arrows[id(s)]
            size = s["pointer_size"]
            # The edge the arrow is on: the label goes inward from it, then along it.
            gaps = {"left": x - frame.x0, "right": frame.x1 - x, "bottom": y - frame.y0,
                    "top": frame.y1 - y}
            edge = min(gaps, key=gaps.get)
            if edge in ("left", "right"):
                inward = (1.0, 0.0) if edge == "left" else (-1.0, 0.0)
                along, step = (0.0, 1.0), size.height * 1.08
                back = half + 3 * scale + size.width / 2
            else:
                inward = (0.0, 1.0) if edge == "bottom" else (0.0, -1.0)
                along, step = (1.0, 0.0), size.width * 1.08
                back = half + 3 * scale + size.height / 2
            cx, cy = x + inward[0] * back, y + inward[1] * back
            for k in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8):
                bx = cx + along[0] * step * k
                by = cy + along[1] * step * k
                box = (bx - size.width / 2, by - size.height / 2, bx + size.width / 2,
                       by + size.height / 2)
                if _box_inside(box, frame) and not _crowded(box, placed, self._clear_px):
                    label.set_position((bx, by))
                    s["pointer_label_at"] = box
                    placed.append(box)
                    break
            else:
                label.set_text("")

    def _moving(self):
        """The animated artists matplotlib draws, in drawing order (the texts are
        pasted after them: :meth:`_paste_texts`)."""
        out = [self.night]
        out += [s["footprint"] for s in self.sats if s["footprint"] is not None]
        out += [s["trail"] for s in self.sats]
        for s in self.sats:
            out += [s["marker"], s["pointer"]]
        return out

    def _paste_texts(self, buffer: np.ndarray) -> None:
        """Names, edge labels and the clock, pasted as images onto the drawn frame."""
        from orbitview.products.sprites import paste, paste_mono
        for s in self.sats:
            if s["label_at"] is not None:
                paste(buffer, s["name_sprite"], *s["label_at"])
        for s in self.sats:
            box = s["pointer_label_at"]
            if box is None:
                continue
            x0, y0, x1, y1 = box
            centre = (x0 + x1) / 2
            name = s["pointer_sprite"]
            paste(buffer, name, centre - name.box_width / 2, y1 - name.box_height)
            distance = s["pointer_label"].get_text().split("\n")[1]
            paste_mono(buffer, self.sprites, distance, centre, y1 - name.box_height,
                       POINTER_FONTSIZE, s["colour"], halo=3.0, ha="center")
        at = self._clock_at
        paste_mono(buffer, self.sprites, self.clock.get_text(), at.x0, at.y1,
                   CLOCK_FONTSIZE, "black")

    def draw_frame(self, k: int):
        """Draw frame ``k`` on the canvas; returns its RGBA pixels (h, w, 4) as a view of
        the canvas (valid until the next frame is drawn)."""
        self._update(k)
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        for a in self._moving():
            self.ax.draw_artist(a)
        buffer = np.asarray(canvas.buffer_rgba())
        self._paste_texts(buffer)
        return buffer

    def frame(self, k: int) -> np.ndarray:
        """RGB pixels (h, w, 3) of frame ``k``: background restored, moving artists drawn."""
        return self.draw_frame(k)[:, :, :3].copy()

    def frame_full_redraw(self, k: int) -> np.ndarray:
        """The same frame drawn the slow way (every artist, then the same text images),
        for tests and the benchmark."""
        self._update(k)
        for a in self._moving():
            a.set_animated(False)
        try:
            self.fig.canvas.draw()
            buffer = np.asarray(self.fig.canvas.buffer_rgba())
            self._paste_texts(buffer)
            return buffer[:, :, :3].copy()
        finally:
            for a in self._moving():
                a.set_animated(True)

    def background_rgb(self) -> np.ndarray:
        """The saved background's RGB pixels (h, w, 3): the map without what moves."""
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()

    def __len__(self) -> int:
        return len(self.frames.frame_index)

    def close(self) -> None:
        from orbitview.products.plotting import pyplot
        pyplot().close(self.fig)


def _box_inside(box, frame) -> bool:
    return (box[0] >= frame.x0 + 1 and box[2] <= frame.x1 - 1 and box[1] >= frame.y0 + 1
            and box[3] <= frame.y1 - 1)


def _boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crowded(box, taken, clear: float) -> bool:
    """Whether ``box`` comes within ``clear`` pixels of any box taken (a label's white
    outline reaches that far)."""
    grown = (box[0] - clear, box[1] - clear, box[2] + clear, box[3] + clear)
    return any(_boxes_overlap(grown, b) for b in taken)


def frames_for(satellites, start: dt.datetime, hours: float, step_s: float,
               footprint_rule=None, hold: bool = True) -> Frames:
    """Propagate for an animation: samples every <= 20 s (smooth trails), a frame every
    ``step_s``; footprints under ``footprint_rule`` at the frame times."""
    import math

    from orbitview.orbit.propagate import propagate
    from orbitview.products.export.records import footprint_series
    from orbitview.util.timeutil import time_grid
    per_frame = max(1, math.ceil(step_s / 20.0 - 1e-9))
    n_frames = int(math.floor(hours * 3600.0 / step_s + 1e-9)) + 1
    end = start + dt.timedelta(seconds=(n_frames - 1) * step_s)
    prop = propagate(satellites, time_grid(start, end, step_s / per_frame), hold=hold)
    index = np.arange(0, len(prop.times_utc), per_frame)
    footprints = None
    if footprint_rule is not None:
        footprints = {}
        for fs in footprint_series(prop, footprint_rule, every=per_frame):
            fs.index_at = {t: k for k, t in enumerate(fs.times_utc)}
            footprints[fs.norad_id] = fs
    return Frames(prop, index, footprints)


def _rgb(colour: str) -> tuple:
    from matplotlib.colors import to_rgb
    return to_rgb(colour)


# --------------------------------------------------------------------------- the palette

TRANSPARENT_INDEX = 255
"""GIF palette index that marks a pixel unchanged since the previous frame."""
RESERVED_EXTRA = ("#000000", "#ffffff", "#222222", "#b00000", "#7a4b00", "#666666")
"""Colours kept exactly besides the satellites': marker edges, halos, caption text."""
KEEP_CLEAR = 12.0
"""No adaptive palette entry lies within this RGB distance of a reserved colour, so a
reserved colour is always its own nearest entry (Pillow's palette lookup works on
cells of 4 levels per channel)."""


def frame_palette(animation: Animation, first_rgb: np.ndarray) -> np.ndarray:
    """One palette (256 x 3 uint8) for every frame of ``animation``.

    Entries 0..m-1 are the reserved colours (each satellite's colour and
    :data:`RESERVED_EXTRA`), exactly; the rest are a median cut of what the frames are
    made of: the first frame, the background by day and under the night shading, and
    each satellite's trail colour faded over land and sea by day and by night.  The last
    entry is :data:`TRANSPARENT_INDEX`.  A colour seen in any frame thus maps to the same
    entry in every frame, day or night.
    """
    from matplotlib.colors import to_rgb
    from PIL import Image

    from orbitview.products.basemap import LAND, OCEAN
    reserved = []
    for c in [s["colour"] for s in animation.sats] + list(RESERVED_EXTRA):
        rgb = tuple(int(round(v * 255)) for v in to_rgb(c))
        if rgb not in reserved:
            reserved.append(rgb)
    background = animation.background_rgb()                     # (h, w, 3) uint8
    night = np.round(np.array(to_rgb(NIGHT_COLOUR)) * 255.0)
    keep = int(round((1 - NIGHT_ALPHA) * 256))
    shaded = ((background.astype(np.uint16) * keep
               + np.uint16(256 - keep) * night.astype(np.uint16)) >> 8).astype(np.uint8)
    ramps = []
    grounds = [np.array(to_rgb(g)) * 255.0 for g in (LAND, OCEAN)]
    grounds += [g * (1 - NIGHT_ALPHA) + night * NIGHT_ALPHA for g in list(grounds)]
    for s in animation.sats:
        colour = np.array(to_rgb(s["colour"])) * 255.0
        for g in grounds:
            for a in np.linspace(0.05, 1.0, 16):
                ramps.append(a * colour + (1 - a) * g)
    w = background.shape[1]
    rows = int(np.ceil(len(ramps) / w))
    strip = np.zeros((rows, w, 3), dtype=np.uint8)
    flat = np.clip(np.round(np.array(ramps)), 0, 255).astype(np.uint8)
    strip.reshape(-1, 3)[:len(flat)] = flat
    strip.reshape(-1, 3)[len(flat):] = flat[-1]
    strip = np.repeat(strip, 8, axis=0)             # weight: a ramp is a few pixels wide
    mosaic = np.vstack([first_rgb.astype(np.uint8), background, shaded, strip])
    del shaded
    free = 255 - len(reserved)
    adaptive = Image.fromarray(mosaic).quantize(colors=free, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
    entries = np.array(adaptive.getpalette()[:3 * free], dtype=np.float64).reshape(-1, 3)
    res = np.array(reserved, dtype=np.float64)
    far = np.min(np.linalg.norm(entries[:, None, :] - res[None, :, :], axis=2), axis=1) \
        > KEEP_CLEAR
    entries = entries[far]
    palette = np.zeros((256, 3), dtype=np.uint8)
    palette[:len(res)] = res
    palette[len(res):len(res) + len(entries)] = entries
    palette[len(res) + len(entries):] = palette[len(res) - 1]   # unused: repeat, never nearer
    palette[TRANSPARENT_INDEX] = (255, 0, 255)
    return palette


def _palette_image(palette: np.ndarray, usable: int = 255):
    """A Pillow palette image whose lookup never picks the transparent entry."""
    from PIL import Image
    im = Image.new("P", (1, 1))
    entries = palette[:usable].astype(np.uint8).ravel().tolist()
    im.putpalette(entries)
    return im


# --------------------------------------------------------------------------- GIF writer

class GifWriter:
    """A GIF written frame by frame to an open binary file, in constant memory.

    Every frame uses the one global palette; a frame after the first is stored as the
    rectangle of pixels that changed, the unchanged pixels inside it transparent (so it
    compresses), drawn over the previous frame (disposal 1).  Each rectangle is
    LZW-compressed by Pillow (a one-frame GIF written to memory) and copied in; the
    file's structure (header, palette, loop extension, frame headers) is written here,
    after the GIF89a specification.
    """

    def __init__(self, file, size: tuple[int, int], palette: np.ndarray, delay_cs: int,
                 loop: int = 0):
        self.file = file
        self.width, self.height = size
        self.palette = np.asarray(palette, dtype=np.uint8).reshape(256, 3)
        self.delay_cs = int(delay_cs)
        self.previous = None
        self.count = 0
        self._lookup = _palette_image(self.palette)
        file.write(b"GIF89a")
        file.write(struct.pack("<HHBBB", self.width, self.height, 0xF7, 0, 0))
        file.write(self.palette.tobytes())
        file.write(b"\x21\xff\x0bNETSCAPE2.0\x03\x01" + struct.pack("<H", loop) + b"\x00")

    def indices(self, rgba: np.ndarray) -> np.ndarray:
        """Palette indices (h, w) of an RGBA or RGB frame: each pixel's nearest entry."""
        from PIL import Image
        mode = "RGBA" if rgba.shape[2] == 4 else "RGB"
        im = Image.frombuffer(mode, (rgba.shape[1], rgba.shape[0]),
                              np.ascontiguousarray(rgba), "raw", mode, 0, 1)
        if mode == "RGBA":
            im = im.convert("RGB")
        return np.asarray(im.quantize(palette=self._lookup, dither=Image.Dither.NONE))

    def add(self, rgba: np.ndarray) -> None:
        """Append one frame (h, w, 3 or 4 uint8)."""
        idx = self.indices(rgba)
        if self.previous is None:
            x0, y0, sub, transparent = 0, 0, idx, False
        else:
            changed = idx != self.previous
            rows = np.flatnonzero(changed.any(axis=1))
            if rows.size == 0:                    # nothing moved: one transparent pixel
                x0, y0 = 0, 0
                sub = np.full((1, 1), TRANSPARENT_INDEX, dtype=np.uint8)
            else:
                cols = np.flatnonzero(changed[rows[0]:rows[-1] + 1].any(axis=0))
                y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
                sub = idx[y0:y1, x0:x1].copy()
                sub[~changed[y0:y1, x0:x1]] = TRANSPARENT_INDEX
            transparent = True
        self._write_image(sub, int(x0), int(y0), transparent)
        self.previous = idx
        self.count += 1

    def _write_image(self, sub: np.ndarray, x0: int, y0: int, transparent: bool) -> None:
        from PIL import Image
        im = Image.fromarray(np.ascontiguousarray(sub), "P")
        im.putpalette(self.palette.tobytes())
        buf = io.BytesIO()
        im.save(buf, format="GIF", optimize=False)
        table, image = _image_block(buf.getvalue())
        packed = (1 << 2) | (1 if transparent else 0)           # disposal 1: keep
        self.file.write(b"\x21\xf9\x04" + struct.pack("<BHB", packed, self.delay_cs,
                                                      TRANSPARENT_INDEX) + b"\x00")
        h, w = sub.shape
        flags = image[9]
        if table is not None and table != self.palette.tobytes()[:len(table)]:
            # Pillow wrote another palette: keep it as this image's local table.
            size_bits = int(np.log2(len(table) // 3)) - 1
            flags = 0x80 | size_bits
            body = table + image[10:]
        else:
            flags &= ~0x87 & 0xFF
            body = image[10:]
        self.file.write(b"\x2c" + struct.pack("<HHHHB", x0, y0, w, h, flags) + body)

    def close(self) -> None:
        self.file.write(b"\x3b")
        self.file.flush()


def _image_block(gif: bytes) -> tuple[bytes | None, bytes]:
    """The global colour table and the first image (descriptor with any local table, and
    the LZW data sub-blocks) of a GIF file's bytes."""
    pos = 13
    flags = gif[10]
    table = None
    if flags & 0x80:
        n = 3 * (2 << (flags & 7))
        table = gif[pos:pos + n]
        pos += n
    while pos < len(gif):
        kind = gif[pos]
        if kind == 0x21:                                  # an extension: skip its blocks
            pos += 2
            while gif[pos]:
                pos += gif[pos] + 1
            pos += 1
        elif kind == 0x2C:
            start = pos
            local = gif[pos + 9]
            pos += 10
            if local & 0x80:
                pos += 3 * (2 << (local & 7))
            pos += 1                                      # LZW minimum code size
            while gif[pos]:
                pos += gif[pos] + 1
            pos += 1
            return table, gif[start:pos]
        else:
            break
    raise ValueError("Pillow wrote a GIF without an image")


# --------------------------------------------------------------------------- writers

GIF_BYTES_PER_PIXEL = 0.0
"""Frames are written as they are drawn: a GIF holds no frame but the last."""
WORKING_BYTES_PER_PIXEL = 24.0
"""The canvas, its saved background, a frame's RGB copy, its palette indices and the
previous frame's, the changed-pixel mask (bytes a pixel), whatever the frame count."""


def memory_bytes(animation: Animation, gif: bool) -> float:
    """Memory writing ``animation`` needs: the working copies of one frame (frames are
    written as they are drawn, to a GIF as to an MP4)."""
    w, h = animation.size
    return w * h * WORKING_BYTES_PER_PIXEL


def _report(report, progress, done: int, total: int, started: float) -> None:
    if progress:
        progress(done, total)
    if report:
        report(FrameProgress(done, total, time.perf_counter() - started))


def write_gif(animation: Animation, path, fps: float, progress=None, report=None) -> None:
    """All frames as a looping GIF with one palette, written as they are drawn.

    ``progress(done, total)`` is called after each frame (the protocol of
    :mod:`orbitview.util.progress`); ``report(FrameProgress)`` too, with the
    frames done, the time so far and an estimate of the time left.  The file appears
    only when complete (a temporary file replaces ``path``); a failure raises
    :class:`orbitview.util.atomic.OutputError` and leaves any earlier file as it was.
    """
    from orbitview.util.atomic import atomic_write
    n = len(animation)
    delay_cs = int(100.0 / fps + 0.5)            # GIF counts in hundredths of a second
    started = time.perf_counter()

    def write(tmp):
        with open(tmp, "wb") as f:
            first = animation.draw_frame(0)[:, :, :3].copy()
            gif = GifWriter(f, animation.size, frame_palette(animation, first), delay_cs)
            for k in range(n):
                gif.add(animation.draw_frame(k))
                _report(report, progress, k + 1, n, started)
            gif.close()
    atomic_write(path, write)


def write_mp4(animation: Animation, path, fps: float, progress=None, report=None) -> None:
    """All frames as an H.264 MP4 (yuv420p, plays everywhere), piped to the ffmpeg that
    imageio-ffmpeg ships as they are drawn.

    ffmpeg writes a temporary file that replaces ``path`` only when it exits cleanly;
    when it fails (a full disk, a file-size limit) :class:`OutputError` is raised with
    ffmpeg's own last words, and any earlier file stays as it was."""
    import subprocess
    import tempfile

    import imageio_ffmpeg

    from orbitview.util.atomic import atomic_write
    w, h = animation.size
    n = len(animation)
    started = time.perf_counter()

    def write(tmp):
        with tempfile.TemporaryFile() as log:
            cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error",
                   "-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{w}x{h}", "-r", f"{fps:g}",
                   "-i", "-", "-an", "-vf", "crop=trunc(iw/2)*2:trunc(ih/2)*2",
                   "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
                   "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-f", "mp4", tmp]
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=log)
            broken = None
            try:
                for k in range(n):
                    pixels = animation.draw_frame(k)
                    try:
                        proc.stdin.write(memoryview(np.ascontiguousarray(pixels)))
                    except (BrokenPipeError, OSError) as e:
                        broken = e
                        break
                    _report(report, progress, k + 1, n, started)
            finally:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
                status = proc.wait()
            if status != 0 or broken is not None:
                log.seek(0)
                said = log.read().decode("utf-8", "replace").strip().splitlines()
                raise OSError(*_ffmpeg_failure(status, said))
    atomic_write(path, write)


def _ffmpeg_failure(status: int, said: list[str]) -> tuple[int, str]:
    """(errno, message) of a failed ffmpeg: its last words, or the signal that stopped it
    (a file-size limit stops a writer with SIGXFSZ)."""
    import signal
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        if name == "SIGXFSZ":
            return errno.EFBIG, "ffmpeg was stopped by SIGXFSZ: the file-size limit"
        return errno.EIO, f"ffmpeg was stopped by {name}"
    last = said[-1].strip() if said else f"exit status {status}"
    return _errno_of(" ".join(said)), f"ffmpeg failed ({last})"


def _errno_of(text: str) -> int:
    """The errno ffmpeg's message names (for the fix the error gives)."""
    low = text.lower()
    if "no space left" in low:
        return errno.ENOSPC
    if "file too large" in low:
        return errno.EFBIG
    if "quota" in low:
        return getattr(errno, "EDQUOT", errno.ENOSPC)
    if "permission denied" in low:
        return errno.EACCES
    return errno.EIO

