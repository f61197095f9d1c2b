"""Text rendered once and pasted onto animation frames.

matplotlib lays out and rasterises every new string from scratch (about 5 ms a label
with matplotlib 3.11), which is most of a frame when names, distances and a clock change
every frame.  Here a string (a satellite's name) or, for text that changes every frame
(the clock, a distance), each character of a monospaced font is rendered once with
matplotlib's Agg renderer on a transparent canvas and kept as an RGBA image; a frame
pastes them onto the canvas buffer with numpy (alpha over), in microseconds.
"""

from __future__ import annotations

import dataclasses

import numpy as np

MONO = "DejaVu Sans Mono"


@dataclasses.dataclass
class Sprite:
    """An RGBA image of a text and where its text box sits in it (pixels, y up)."""

    rgba: np.ndarray
    """(h, w, 4) float32: colour 0..1 and coverage 0..1 (straight alpha)."""
    box_x0: float
    box_y0: float
    box_width: float
    box_height: float
    origin_x: float = 0.0
    origin_y: float = 0.0
    """Where the text's anchor (left end of its baseline, for a character) sits."""


class Sprites:
    """Text images at one dpi, made on first use and cached by text and style."""

    def __init__(self, dpi: float):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        self.dpi = dpi
        self._fig = Figure(figsize=(2.0, 1.0), dpi=dpi)
        self._fig.patch.set_alpha(0.0)
        FigureCanvasAgg(self._fig)
        self._cache: dict = {}

    def text(self, text: str, **style) -> Sprite:
        """The sprite of ``text`` drawn with ``style`` (Text properties; a ``halo``
        width in points adds a white outline)."""
        key = (text, tuple(sorted(style.items())))
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self._render(text, dict(style))
        return got

    def _render(self, text: str, style: dict) -> Sprite:
        import matplotlib.patheffects as pe
        from matplotlib.transforms import IdentityTransform
        fig = self._fig
        for t in list(fig.texts):
            t.remove()
        halo = style.pop("halo", 0.0)
        baseline = style.pop("va", "bottom") == "baseline"
        if halo:
            style["path_effects"] = [pe.withStroke(linewidth=halo, foreground="white")]
        pad = int(np.ceil(halo * self.dpi / 72.0)) + 2
        t = fig.text(0, 0, text, transform=IdentityTransform(), ha="left",
                     va="baseline" if baseline else "bottom", **style)
        r = fig.canvas.get_renderer()
        box = t.get_window_extent(r)
        w = int(np.ceil(box.width)) + 2 * pad + 2
        h = int(np.ceil(box.height)) + 2 * pad + 2
        fig.set_size_inches(w / self.dpi, h / self.dpi)
        x = pad - np.floor(box.x0)
        y = pad - np.floor(box.y0)
        t.set_position((x, y))
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        box = t.get_window_extent(r)
        rgba = np.asarray(fig.canvas.buffer_rgba()).astype(np.float32) / 255.0
        t.remove()
        return Sprite(rgba.copy(), box.x0, box.y0, box.width, box.height, x, y)

    def monospaced(self, text: str, fontsize: float, colour: str, halo: float = 0.0,
                   weight: str = "bold") -> list[tuple[Sprite, Sprite | None]]:
        """(halo, fill) sprites of each character of ``text`` in the monospaced font."""
        out = []
        for ch in text:
            fill = self.text(ch, family=MONO, fontsize=fontsize, color=colour,
                             fontweight=weight, va="baseline")
            ring = self.text(ch, family=MONO, fontsize=fontsize, color="white",
                             fontweight=weight, va="baseline", halo=halo) if halo else None
            out.append((ring, fill))
        return out

    def advance(self, fontsize: float, weight: str = "bold") -> float:
        """Pixels from one monospaced character to the next."""
        a = self.text("0" * 10, family=MONO, fontsize=fontsize, fontweight=weight)
        b = self.text("0" * 20, family=MONO, fontsize=fontsize, fontweight=weight)
        return (b.box_width - a.box_width) / 10.0

    def line_metrics(self, fontsize: float, weight: str = "bold") -> tuple[float, float]:
        """(ascent above the baseline, line pitch) of the monospaced font, pixels."""
        s = self.text("\u00c5g", family=MONO, fontsize=fontsize, fontweight=weight,
                      va="baseline")
        ascent = s.box_y0 + s.box_height - s.origin_y
        return ascent, 1.2 * s.box_height


def paste(buffer: np.ndarray, sprite: Sprite, x: float, y: float, *,
          by_origin: bool = False) -> None:
    """Alpha-blend ``sprite`` into an RGBA canvas ``buffer`` (h, w, 4 uint8, rows from
    the top) with its text box's lower left corner (``by_origin``: its text's anchor)
    at display pixel (x, y), y up."""
    h_buf, w_buf = buffer.shape[:2]
    sh, sw = sprite.rgba.shape[:2]
    ax_, ay_ = (sprite.origin_x, sprite.origin_y) if by_origin else (sprite.box_x0,
                                                                        sprite.box_y0)
    left = int(round(x - ax_))
    bottom = int(round(y - ay_))
    top = h_buf - (bottom + sh)
    r0, c0 = max(top, 0), max(left, 0)
    r1, c1 = min(top + sh, h_buf), min(left + sw, w_buf)
    if r0 >= r1 or c0 >= c1:
        return
    src = sprite.rgba[r0 - top:r1 - top, c0 - left:c1 - left]
    a = src[:, :, 3:4]
    dst = buffer[r0:r1, c0:c1, :3]
    dst[...] = (dst * (1.0 - a) + src[:, :, :3] * 255.0 * a + 0.5).astype(np.uint8)


def paste_mono(buffer: np.ndarray, sprites: Sprites, text: str, x: float, top: float,
               fontsize: float, colour: str, halo: float = 0.0, ha: str = "left") -> None:
    """Paste monospaced ``text`` (lines split at newlines) with its first line's top at
    display pixel ``top``; ``x`` is its left edge, or its centre with ``ha='center'``."""
    advance = sprites.advance(fontsize)
    ascent, pitch = sprites.line_metrics(fontsize)
    layers = []
    for k, line in enumerate(text.split("\n")):
        baseline = top - ascent - k * pitch
        x0 = x - (len(line) * advance / 2.0 if ha == "center" else 0.0)
        for n, (ring, fill) in enumerate(sprites.monospaced(line, fontsize, colour, halo)):
            layers.append((ring, fill, x0 + n * advance, baseline))
    for ring, _, cx, base in layers:             # every outline first, then every glyph
        if ring is not None:
            paste(buffer, ring, cx, base, by_origin=True)
    for _, fill, cx, base in layers:
        paste(buffer, fill, cx, base, by_origin=True)


def mono_size(sprites: Sprites, text: str, fontsize: float) -> tuple[float, float]:
    """Width and height (pixels) :func:`paste_mono` gives ``text``."""
    advance = sprites.advance(fontsize)
    ascent, pitch = sprites.line_metrics(fontsize)
    lines = text.split("\n")
    s = sprites.text("\u00c5g", family=MONO, fontsize=fontsize, fontweight="bold",
                     va="baseline")
    return max(len(line) for line in lines) * advance, (len(lines) - 1) * pitch + s.box_height
