"""Animations of the track map: moving satellites, fading past track, terminator, clock.

The basemap, graticule, province names, full tracks (faint), caption and
legend are drawn once; every frame restores that background and draws only
the artists that move (matplotlib's blitting): each satellite's marker,
label and fading trail, the night side (cartopy's ``Nightshade`` at the
frame's time), optional footprints and the clock in UTC and local time
(``clock``: --tz, the config file, else Pakistan's zone).  Frames go
to a GIF through Pillow (one shared palette, so the background does not
flicker) or to an MP4 through the ffmpeg that ``imageio-ffmpeg`` ships.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from orbitview.products.maps import (COLOURS, caption_lines, figure_width_in,
                                     max_map_height_in, split_at_seam, wrap180)
from orbitview.util.timeutil import PKT, iso

TRAIL_MIN = 30.0
NIGHT_COLOUR = "#0b1a33"
MAX_FRAMES = 2000


@dataclass
class Frames:
    """The propagation behind an animation and which of its times are frames."""

    prop: object
    frame_index: np.ndarray
    footprints: dict | None = None
    """NORAD number -> FootprintSeries at the frame times, with ``index_at`` {time: row}."""


def _night_path(ax, when: dt.datetime, delta: float):
    """Matplotlib path of the night side at ``when`` in the axes' projection."""
    from cartopy.feature.nightshade import Nightshade
    from cartopy.mpl.path import shapely_to_path
    shade = Nightshade(when, delta=delta)
    geometry = next(iter(shade.geometries()))
    return shapely_to_path(ax.projection.project_geometry(geometry, shade.crs))


class Animation:
    """A figure whose moving parts are redrawn per frame over a saved background."""

    def __init__(self, frames: Frames, region_extent=None, central_longitude: float = 70.0,
                 trail_min: float = TRAIL_MIN, title: str | None = None, dpi: int = 100,
                 sites=(), clock=None):
        import cartopy.crs as ccrs
        import matplotlib.patheffects as pe
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, PathPatch
        from orbitview.products.maps import base_map
        self.frames = frames
        self.zone = clock.zone if clock is not None else PKT
        prop = frames.prop
        self.prop = prop
        self.times = prop.times_utc
        self.seconds = np.array([(t - self.times[0]).total_seconds() for t in self.times])
        self.trail_s = trail_min * 60.0
        self.extent = region_extent
        lines = caption_lines(prop, self.times[0])
        lines[0] = (f"Positions by orbitview (SGP4, WGS84) from {iso(self.times[0])} to "
                    f"{iso(self.times[-1])}; each dot trails its last {trail_min:g} minutes"
                    + ("; arrowheads on the edge point to satellites off the map, with the "
                       "distance." if region_extent is not None else "."), "#222222")
        fig, ax, central = base_map(region_extent, central_longitude)
        fig.set_dpi(dpi)
        self.fig, self.ax, self.central = fig, ax, central
        self.data_crs = ccrs.PlateCarree(central_longitude=central)
        self.delta = 1.0 if region_extent is None else 0.5
        halo = [pe.withStroke(linewidth=3, foreground="white")]
        handles = []
        self.sats = []
        for i, name in enumerate(prop.names):
            colour = COLOURS[i % len(COLOURS)]
            geo = bool(prop.elements[i][-1].is_deep_space)
            for x, y in split_at_seam(prop.lon_deg[i], prop.lat_deg[i], central):
                ax.plot(x, y, color=colour, lw=0.8, alpha=0.35, transform=self.data_crs,
                        zorder=2.6)
            trail = LineCollection([], colors=colour, linewidths=2.4, transform=self.data_crs,
                                   zorder=3, capstyle="round", animated=True)
            ax.add_collection(trail)
            marker, = ax.plot([], [], marker="D" if geo else "o", ms=9, color=colour,
                              mec="black", mew=0.9, transform=self.data_crs, zorder=5,
                              animated=True, linestyle="none")
            label = ax.text(0, 0, f" {name}", transform=self.data_crs, fontsize=10,
                            fontweight="bold", color=colour, zorder=6, va="bottom",
                            path_effects=halo, animated=True, clip_on=True)
            pointer, = ax.plot([], [], marker="^", ms=11, color=colour, mec="black", mew=0.8,
                               transform=self.data_crs, zorder=6, animated=True,
                               linestyle="none", clip_on=False)
            pointer_label = ax.text(0, 0, "", transform=self.data_crs, fontsize=8.5,
                                    color=colour, fontweight="bold", zorder=6, animated=True,
                                    path_effects=halo, ha="center", va="center")
            footprint = None
            if frames.footprints is not None:
                footprint = LineCollection([], colors=colour, linewidths=1.3, alpha=0.9,
                                           transform=self.data_crs, zorder=2.8,
                                           animated=True)
                ax.add_collection(footprint)
            self.sats.append({"i": i, "colour": colour, "trail": trail, "marker": marker,
                              "label": label, "footprint": footprint, "pointer": pointer,
                              "pointer_label": pointer_label})
            handles.append(Line2D([], [], color=colour, lw=2.4, marker="D" if geo else "o",
                                  mec="black", label=f"{name} ({prop.norad_ids[i]})"))
        self.night = PathPatch(_night_path(ax, self.times[0], self.delta),
                               transform=ax.transData, facecolor=NIGHT_COLOUR, alpha=0.2,
                               edgecolor="none", zorder=1.5, animated=True)
        ax.add_patch(self.night)
        handles.append(Patch(facecolor=NIGHT_COLOUR, alpha=0.3, label="night"))
        if frames.footprints:
            rules = sorted({fs.rule for fs in frames.footprints.values()})
            handles.append(Line2D([], [], color="#333333", lw=1.3,
                                  label="footprint" + (f" ({rules[0]})" if len(rules) == 1
                                                       else "s (each satellite's rule)")))
        self.clock = ax.text(0.012, 0.985, "", transform=ax.transAxes, fontsize=13,
                             fontweight="bold", va="top", ha="left", zorder=7, animated=True,
                             family="DejaVu Sans Mono",
                             bbox=dict(boxstyle="round,pad=0.35", facecolor="white",
                                       edgecolor="#666666", alpha=0.92))
        names = ", ".join(prop.names) if len(prop.names) <= 4 else \
            f"{len(prop.names)} satellites"
        where = "" if region_extent is None else (
            " over Pakistan" if region_extent == (59.0, 80.5, 22.0, 38.5) else "")
        ax.set_title(title or f"{names}{where}, {self.times[0]:%Y-%m-%d}", loc="left",
                     fontsize=12, fontweight="bold")
        if sites:
            from orbitview.products.maps import mark_sites
            mark_sites(ax, sites, region_extent)
        # Legend beside the map (never under the night shading), caption under it: measured.
        from orbitview.products.layout import finish_map
        finish_map(fig, ax, caption=lines, legend_handles=handles,
                   legend_kwargs={"fontsize": 8.5}, width_in=figure_width_in(region_extent),
                   max_map_height_in=max_map_height_in(region_extent))
        fig.canvas.draw()
        self.background = fig.canvas.copy_from_bbox(fig.bbox)
        w, h = fig.canvas.get_width_height()
        self.size = (w, h)

    # ------------------------------------------------------------------ one frame

    def _update(self, k: int) -> None:
        prop, central = self.prop, self.central
        j = int(self.frames.frame_index[k])
        now = self.seconds[j]
        when = self.times[j]
        for s in self.sats:
            i = s["i"]
            lon, lat = prop.lon_deg[i], prop.lat_deg[i]
            first = int(np.searchsorted(self.seconds, now - self.trail_s))
            segments = []
            for x, y in split_at_seam(lon[first:j + 1], lat[first:j + 1], central):
                if len(x) < 2:
                    continue
                pts = np.column_stack([x, y])
                segments.extend(np.stack([pts[:-1], pts[1:]], axis=1))
            # Fade with age: the newest segment opaque, the oldest nearly transparent.
            n = len(segments)
            s["trail"].set_segments(segments)
            if n:
                rgba = np.tile(np.array(_rgb(s["colour"]) + (1.0,)), (n, 1))
                rgba[:, 3] = np.linspace(0.05, 1.0, n)
                s["trail"].set_color(rgba)
            s["pointer"].set_data([], [])
            s["pointer_label"].set_text("")
            if np.isnan(lat[j]):
                s["marker"].set_data([], [])
                s["label"].set_text("")
            else:
                x0 = wrap180(lon[j] - central)
                s["marker"].set_data([x0], [lat[j]])
                s["label"].set_position((x0, lat[j]))
                right = self.ax.get_xlim()[1]
                near_edge = x0 > right - 0.1 * (right - self.ax.get_xlim()[0])
                s["label"].set_horizontalalignment("right" if near_edge else "left")
                s["label"].set_text(f"{prop.names[i]} " if near_edge else f" {prop.names[i]}")
                if self.extent is not None:
                    self._point_to(s, x0, float(lat[j]), prop.names[i])
            if s["footprint"] is not None:
                fs = self.frames.footprints.get(prop.norad_ids[i])
                at = fs.index_at.get(when) if fs is not None else None
                segs = []
                edges = [] if at is None else [(fs.ring_lon_deg, fs.ring_lat_deg)] + (
                    [] if fs.inner_lon_deg is None else [(fs.inner_lon_deg, fs.inner_lat_deg)])
                for lon_deg, lat_deg in edges:       # a radar: its near and far edges
                    ring_lon = np.append(lon_deg[at], lon_deg[at][0])
                    ring_lat = np.append(lat_deg[at], lat_deg[at][0])
                    for x, y in split_at_seam(ring_lon, ring_lat, central):
                        if len(x) > 1:
                            pts = np.column_stack([x, y])
                            segs.extend(np.stack([pts[:-1], pts[1:]], axis=1))
                s["footprint"].set_segments(segs)
        self._unstack_pointer_labels()
        self.night.set_path(_night_path(self.ax, when, self.delta))
        local = when.astimezone(self.zone)
        self.clock.set_text(f"{when:%Y-%m-%d %H:%M:%S} UTC" + (
            "" if local.utcoffset() == dt.timedelta(0) and local.tzname() in ("UTC", None)
            else f"\n{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"))

    def _point_to(self, s, x0: float, lat: float, name: str) -> None:
        """A satellite off a regional map: an arrowhead on the map's edge pointing to it,
        with its name and great-circle distance from that point."""
        w, e, south, north = self.extent
        xw, xe = wrap180(w - self.central), wrap180(e - self.central)
        if xw <= x0 <= xe and south <= lat <= north:
            return
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
        back = 0.06 * (xe - xw)
        u = np.array([dx, dy]) / np.hypot(dx, dy)
        s["pointer_label"].set_position((px - back * u[0], py - back * u[1] * 0.6))
        s["pointer_label"].set_text(f"{name}\n{6371.0 * arc:,.0f} km")

    def _unstack_pointer_labels(self) -> None:
        """Move edge labels that would overlap an earlier one down (or up) a step."""
        to_px = self.ax.transData.transform
        to_data = self.ax.transData.inverted().transform
        placed = []
        for s in self.sats:
            label = s["pointer_label"]
            if not label.get_text():
                continue
            x, y = to_px(label.get_position())
            direction = -1.0 if y > self.ax.bbox.y0 + 60 else 1.0
            while any(abs(x - px) < 90 and abs(y - py) < 30 for px, py in placed):
                y += 30 * direction
            placed.append((x, y))
            label.set_position(to_data((x, y)))

    def frame(self, k: int) -> np.ndarray:
        """RGB pixels (h, w, 3) of frame ``k``: background restored, moving artists drawn."""
        self._update(k)
        canvas = self.fig.canvas
        canvas.restore_region(self.background)
        self.ax.draw_artist(self.night)
        for s in self.sats:
            if s["footprint"] is not None:
                self.ax.draw_artist(s["footprint"])
        for s in self.sats:
            self.ax.draw_artist(s["trail"])
        for s in self.sats:
            self.ax.draw_artist(s["marker"])
            self.ax.draw_artist(s["label"])
            self.ax.draw_artist(s["pointer"])
            self.ax.draw_artist(s["pointer_label"])
        self.ax.draw_artist(self.clock)
        canvas.blit(self.fig.bbox)
        return np.asarray(canvas.buffer_rgba())[:, :, :3].copy()

    def frame_full_redraw(self, k: int) -> np.ndarray:
        """The same frame drawn the slow way (every artist), for the benchmark only."""
        self._update(k)
        for a in self._animated():
            a.set_animated(False)
        try:
            self.fig.canvas.draw()
            return np.asarray(self.fig.canvas.buffer_rgba())[:, :, :3].copy()
        finally:
            for a in self._animated():
                a.set_animated(True)

    def _animated(self):
        out = [self.night, self.clock]
        for s in self.sats:
            out += [s["trail"], s["marker"], s["label"], s["pointer"], s["pointer_label"]]
            if s["footprint"] is not None:
                out.append(s["footprint"])
        return out

    def __len__(self) -> int:
        return len(self.frames.frame_index)

    def close(self) -> None:
        from orbitview.products.plotting import pyplot
        pyplot().close(self.fig)


def frames_for(satellites, start: dt.datetime, hours: float, step_s: float,
               footprint_rule=None, hold: bool = True) -> Frames:
    """Propagate for an animation: samples every <= 20 s (smooth trails), a frame every
    ``step_s``; footprints under ``footprint_rule`` at the frame times."""
    import math
    from orbitview.products.export.records import footprint_series
    from orbitview.orbit.propagate import propagate
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


# --------------------------------------------------------------------------- writers

def _shared_palette(picks, colours):
    """One 255-colour palette for every frame, so the background never flickers.

    Built from ``picks`` (up to 16 frames spread over the animation) plus ramps of each
    satellite's colour faded into the land and sea colours (the trails), so
    that colours seen only in a few frames still get exact entries.
    """
    from PIL import Image
    from matplotlib.colors import to_rgb
    from orbitview.products.basemap import LAND, OCEAN
    w, h = picks[0].size
    ramps = []
    for colour in colours:
        for ground in (LAND, OCEAN):
            for a in np.linspace(0.05, 1.0, 12):
                rgb = a * np.array(to_rgb(colour)) + (1 - a) * np.array(to_rgb(ground))
                ramps.append(np.round(rgb * 255).astype(np.uint8))
    strip = np.repeat(np.array(ramps, np.uint8)[None, :, :], max(1, h // 4), axis=0)
    strip = np.repeat(strip, max(1, w // len(ramps)), axis=1)
    mosaic = Image.new("RGB", (max(w, strip.shape[1]), h * len(picks) + strip.shape[0]),
                       (255, 255, 255))
    for n, im in enumerate(picks):
        mosaic.paste(im, (0, n * h))
    mosaic.paste(Image.fromarray(strip), (0, h * len(picks)))
    return mosaic.quantize(colors=255, method=Image.Quantize.MEDIANCUT)


GIF_BYTES_PER_PIXEL = 1.0
"""Pillow holds every frame of a GIF (one palette index a pixel) until it writes the file."""
WORKING_BYTES_PER_PIXEL = 24.0
"""The figure's canvas, its saved background and a frame's RGB copies (bytes a pixel)."""


def memory_bytes(animation: Animation, gif: bool) -> float:
    """Memory writing ``animation`` needs: the frames Pillow holds for a GIF (an MP4 is
    streamed frame by frame to ffmpeg) and the working copies of one frame."""
    w, h = animation.size
    held = len(animation) * w * h * GIF_BYTES_PER_PIXEL if gif else 0.0
    return held + w * h * WORKING_BYTES_PER_PIXEL


def write_gif(animation: Animation, path, fps: float, progress=None) -> None:
    """All frames as a looping GIF with one shared palette.

    The palette comes from up to 16 frames spread over the animation (drawn first);
    then each frame is drawn and quantised to it at once, so only its palette
    indices (one byte a pixel) are kept until Pillow writes the file.
    """
    from PIL import Image
    from orbitview.util.atomic import atomic_write
    n = len(animation)
    picks = list(range(0, n, max(1, n // 16)))[:16]
    palette = _shared_palette([Image.fromarray(animation.frame(k)) for k in picks],
                              [s["colour"] for s in animation.sats])

    def indexed(k):
        frame = Image.fromarray(animation.frame(k)).quantize(palette=palette,
                                                              dither=Image.Dither.NONE)
        if progress:
            progress(1)
        return frame
    duration_ms = int(100.0 / fps + 0.5) * 10      # GIF counts in hundredths of a second

    def write(tmp):
        indexed(0).save(tmp, format="GIF", save_all=True,
                        append_images=(indexed(k) for k in range(1, n)),
                        duration=duration_ms, loop=0, optimize=True, disposal=1)
    atomic_write(path, write)


def write_mp4(animation: Animation, path, fps: float, progress=None) -> None:
    """All frames as an H.264 MP4 (yuv420p, plays everywhere) through imageio-ffmpeg."""
    import imageio_ffmpeg
    from orbitview.util.atomic import atomic_write
    w, h = animation.size

    def write(tmp):
        writer = imageio_ffmpeg.write_frames(tmp, (w - w % 2, h - h % 2), fps=fps,
                                             codec="libx264", pix_fmt_out="yuv420p",
                                             output_params=["-f", "mp4"], quality=8,
                                             macro_block_size=2)
        writer.send(None)
        try:
            for k in range(len(animation)):
                pixels = animation.frame(k)[: h - h % 2, : w - w % 2]
                writer.send(np.ascontiguousarray(pixels))
                if progress:
                    progress(1)
        finally:
            writer.close()
    atomic_write(path, write)
