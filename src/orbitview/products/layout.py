"""Figure layout from measured extents: every piece is placed from what it measures when
rendered, never at a guessed fraction of the figure.

A map figure is a row and a column of blocks, each measured with the figure's renderer
in inches (``get_window_extent`` / ``get_tightbbox``) and laid side by side::

    +----------------------------------------------------------+
    | title (the map axes' own, left-aligned)                   |
    | lat  +---------------------+  colour  | side column:      |
    | tick |   map (its aspect)  |  bar and | legend, panels    |
    | lbls +---------------------+  label   | (clock, GEO drift)|
    |        lon tick labels                                    |
    | caption, one line per text, wrapped to the figure width   |
    +----------------------------------------------------------+

The map keeps its projection's aspect; the figure is as tall as its blocks need (and
narrower when the map would be taller than ``max_map_height_in``).  Captions, legends
and panels are anchored in inches from the figure's lower left corner
(``fig.dpi_scale_trans``), so they stay put when the figure is resized.  Labels drawn on
the map (satellite names, cities, provinces, contour values) are then placed inside the
map frame without covering each other (:func:`place_map_labels`): a movable label tries
a few offsets around its point, a fixed one is kept or hidden.

Figures made with matplotlib's constrained layout (history, GEO belt, sweep, partners)
get a caption below and a title above them with :func:`caption_below`, which measures
both and sets the layout's rectangle so the axes never reach them.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

PAD_IN = 0.12
"""Figure edge to its content (inches)."""
GAP_IN = 0.16
"""Between two blocks: map and colour bar, colour bar and side column, body and caption."""
CAPTION_FONTSIZE = 7.6
LINE_PITCH = 1.28
"""Caption line pitch in multiples of a line's measured height (ascender to descender)."""
TITLE_FONTSIZE = 12.0
COLOUR_BAR_WIDTH_IN = 0.17
SIDE_MAX_FRACTION = 0.34
"""The side column takes at most this share of the figure's width; longer legend labels
are wrapped."""

# Map label kinds in the order they are placed: a label placed earlier is never covered by
# a later one (the later one moves or is hidden).  Satellites first; then the names that
# cannot move (provinces, contour values); then city names, which move around their dots
# to make room.  Set as the artist's gid.
LABEL_PRIORITY = ("satellite-label", "pointer-label", "province-label", "contour-label",
                  "site-label")


def renderer_of(fig):
    return fig.canvas.get_renderer()


# --------------------------------------------------------------------------- text

@functools.lru_cache(maxsize=64)
def _line_height_pt(fontsize: float, family: str, weight: str) -> float:
    """Height of one line of text (ascender to descender) in points, from the font."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath
    prop = FontProperties(size=fontsize, family=family, weight=weight)
    _, height, _ = TextToPath().get_text_width_height_descent("ÅgjÉ|", prop, ismath=False)
    return float(height)


def line_pitch_in(fontsize: float = CAPTION_FONTSIZE) -> float:
    """Distance between the baselines of two caption lines (inches)."""
    from matplotlib import rcParams
    family = rcParams["font.family"][0]
    return LINE_PITCH * _line_height_pt(fontsize, family, "normal") / 72.0


def wrap_to_width(text: str, width_in: float, fontsize: float, weight: str = "normal",
                  indent: str = "") -> str:
    """``text`` with newlines at spaces so that no line is wider than ``width_in``
    (measured with the font, as :func:`fit_caption` does)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath
    measure, prop = TextToPath(), FontProperties(size=fontsize, weight=weight)
    room = width_in * 72.0 * 0.95

    def width(s: str) -> float:
        return measure.get_text_width_height_descent(s, prop, ismath=False)[0]
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line.strip() and width(candidate) > room:
                out.append(line)
                line = indent + word
            else:
                line = candidate
        out.append(line)
    return "\n".join(out)


def write_caption(fig, lines, *, left_in: float = PAD_IN, bottom_in: float = PAD_IN,
                  fontsize: float = CAPTION_FONTSIZE) -> tuple[list, float]:
    """Write (text, colour) lines as one figure text each, the last line's bottom at
    ``bottom_in`` and each line one measured pitch above the next; positions in inches
    from the lower left corner.  Returns the texts and the block's height (inches)."""
    pitch = line_pitch_in(fontsize)
    texts = []
    n = len(lines)
    for k, (text, colour) in enumerate(lines):
        y = bottom_in + (n - 1 - k) * pitch
        texts.append(fig.text(left_in, y, text, fontsize=fontsize, color=colour, ha="left",
                              va="bottom", transform=fig.dpi_scale_trans, wrap=False))
    return texts, n * pitch if n else 0.0


@functools.lru_cache(maxsize=8192)
def _text_width_pt(text: str, fontsize: float) -> float:
    """Width of ``text`` in points in the caption font, measured once per process (each
    word of a caption is measured again at every layout pass and every frame)."""
    return _text_measure().get_text_width_height_descent(text, _font(fontsize),
                                                         ismath=False)[0]


@functools.lru_cache(maxsize=None)
def _text_measure():
    from matplotlib.textpath import TextToPath
    return TextToPath()


@functools.lru_cache(maxsize=None)
def _font(fontsize: float):
    from matplotlib.font_manager import FontProperties
    return FontProperties(size=fontsize)


def fit_caption(lines, width_in: float, fontsize: float = CAPTION_FONTSIZE):
    """Caption lines wrapped at spaces to fit a figure ``width_in`` inches wide.

    Widths are measured with the caption's font (matplotlib's ``TextToPath``), so a
    long source line is never cut at the right edge; continuations are indented and
    keep their line's colour.  Each word is measured once and a line's width is the
    sum of its words and spaces; every line made is then measured whole, and a source
    line whose sum fell short (kerning) is wrapped again prefix by prefix.
    :func:`finish_map` and :func:`caption_below` wrap captions with it.
    """
    # The caption spans 98 % of the width; text hinted to whole pixels at 50-100 dpi is
    # up to 7 % wider than its outline, so lines are fitted to 90 %.
    room_pt = 0.90 * width_in * 72.0

    def width_pt(text: str) -> float:
        return _text_width_pt(text, fontsize)

    def wrap(text, line_width):
        made, line = [], ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            if line.strip() and line_width(line, word) > room_pt:
                made.append(line)
                line = "    " + word
            else:
                line = candidate
        return made + [line]

    space = width_pt("a a") - width_pt("aa")

    def summed(line, word):                     # words and spaces measured apart
        parts = line.split(" ")
        return sum(width_pt(w) for w in parts if w) + space * len(parts) + width_pt(word)

    out = []
    for text, colour in lines:
        made = wrap(text, summed)
        if any(width_pt(m) > room_pt for m in made if " " in m.strip()):
            made = wrap(text, lambda line, word: width_pt(f"{line} {word}"))
        out += [(m, colour) for m in made]
    return out


def fit_lines(lines, width_in: float, fontsize: float = CAPTION_FONTSIZE):
    """(text, colour) lines wrapped to ``width_in`` (:func:`fit_caption`)."""
    return fit_caption(lines, width_in, fontsize) if lines else []


def _too_wide(texts, fig, right_in: float) -> bool:
    r = renderer_of(fig)
    return any(t.get_window_extent(r).x1 / fig.dpi > right_in + 1e-6 for t in texts)


# --------------------------------------------------------------------------- maps

@dataclasses.dataclass
class Panel:
    """An axes in the side column (a clock, a GEO drift plot): its frame's size in
    inches; its title, tick labels and axis labels are measured around it."""

    axes: object
    width_in: float
    height_in: float


@dataclasses.dataclass
class MapLayout:
    """What :func:`finish_map` made and where (inches from the lower left corner)."""

    width_in: float
    height_in: float
    map_box_in: tuple
    """(x0, y0, width, height) of the map frame."""
    caption: list
    legend: object = None
    colour_bar: object = None
    panels: tuple = ()


def decorations_in(ax, r, fig) -> tuple[float, float, float, float]:
    """How far an axes' tick labels, axis labels and title reach beyond its frame
    (left, bottom, right, top; inches, never negative)."""
    frame = ax.get_window_extent(r)
    boxes = [frame]
    for axis in (getattr(ax, "xaxis", None), getattr(ax, "yaxis", None)):
        if axis is not None and axis.get_visible() and ax.axison:
            b = axis.get_tightbbox(r)
            if b is not None and b.width > 0:
                boxes.append(b)
    for t in (ax.title, *_side_titles(ax)):
        if t.get_visible() and t.get_text():
            boxes.append(t.get_window_extent(r))
    for child in ax.get_children():         # texts drawn outside the frame on purpose
        if getattr(child, "get_gid", lambda: None)() == "outside" and child.get_visible():
            boxes.append(child.get_window_extent(r))
    x0 = min(b.x0 for b in boxes)
    y0 = min(b.y0 for b in boxes)
    x1 = max(b.x1 for b in boxes)
    y1 = max(b.y1 for b in boxes)
    d = fig.dpi
    return (max(frame.x0 - x0, 0) / d, max(frame.y0 - y0, 0) / d, max(x1 - frame.x1, 0) / d,
            max(y1 - frame.y1, 0) / d)


def _side_titles(ax):
    """The left and right titles of an axes (matplotlib keeps them as attributes)."""
    return [t for t in (getattr(ax, "_left_title", None), getattr(ax, "_right_title", None))
            if t is not None]


def _map_ticks_in(ax, r, fig) -> tuple[float, float, float, float]:
    """How far the map's tick labels reach beyond its frame (left, bottom, right, top)."""
    frame = ax.get_window_extent(r)
    boxes = [frame]
    for axis in (ax.xaxis, ax.yaxis):
        b = axis.get_tightbbox(r)
        if b is not None and b.width > 0:
            boxes.append(b)
    d = fig.dpi
    return (max(frame.x0 - min(b.x0 for b in boxes), 0) / d,
            max(frame.y0 - min(b.y0 for b in boxes), 0) / d,
            max(max(b.x1 for b in boxes) - frame.x1, 0) / d,
            max(max(b.y1 for b in boxes) - frame.y1, 0) / d)


def _title_height_in(ax, r, fig, width_in: float) -> float:
    """Height the map's left title takes above the frame (inches); a title wider than
    ``width_in`` is folded at a space first."""
    title = getattr(ax, "_left_title", None)
    if title is None or not title.get_text():
        return 0.0
    box = title.get_window_extent(r)
    if box.width / fig.dpi > width_in:
        title.set_text(wrap_to_width(title.get_text(), width_in, title.get_fontsize(),
                                     weight=title.get_fontweight()))
        box = title.get_window_extent(r)
    from matplotlib import rcParams
    return box.height / fig.dpi + rcParams["axes.titlepad"] / 72.0


def map_aspect(ax) -> float:
    """Width / height of the map frame: its projection's x and y ranges (equal scales)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return abs(x1 - x0) / abs(y1 - y0)


def finish_map(fig, ax, *, caption=(), legend_handles=None, legend_kwargs=None,
               colour_bar=None, panels=(), width_in: float = 11.0,
               max_map_height_in: float = 8.0, caption_fontsize: float = CAPTION_FONTSIZE,
               even_pixels: bool = False, panels_first: int = 0) -> MapLayout:
    """Size ``fig`` and place the map ``ax``, its title, colour bar, legend, side panels
    and caption from their measured extents; then place the labels drawn on the map.

    ``caption``: (text, colour) lines, wrapped here to the figure's width.
    ``legend_handles``: drawn as the map axes' legend (``ax.get_legend()``), but in the
    side column, outside the map (never under night shading or over the data).
    ``colour_bar``: a Colorbar, or ``(mappable, label)`` to make one; right of the map,
    its full height; returned as ``MapLayout.colour_bar``.  ``panels``: :class:`Panel`
    axes stacked below the legend (the first ``panels_first`` of them above it).
    ``even_pixels``: round the size to an even number of pixels each way (H.264 needs it).
    """
    r = renderer_of(fig)
    legend = None
    if legend_handles:
        kw = {"fontsize": 8, "framealpha": 0.95, "borderaxespad": 0.0}
        kw.update(legend_kwargs or {})
        max_w = SIDE_MAX_FRACTION * width_in
        for h in legend_handles:             # long labels fold rather than widen the column
            label = h.get_label()
            h.set_label(wrap_to_width(label, max_w * 0.82, kw["fontsize"], indent="  "))
        legend = ax.legend(handles=legend_handles, loc="upper left", bbox_to_anchor=(0, 0),
                           bbox_transform=fig.dpi_scale_trans, **kw)
    bar = None
    cax = None
    if colour_bar is not None and hasattr(colour_bar, "ax"):      # a Colorbar made already
        bar, cax = colour_bar, colour_bar.ax
    elif colour_bar is not None:
        mappable, label = colour_bar
        cax = fig.add_axes((0.0, 0.0, 0.02, 0.5))
        bar = fig.colorbar(mappable, cax=cax)
        bar.set_label(label)
    aspect = map_aspect(ax)
    lines = list(caption)
    layout = None
    bar_label = cax.get_ylabel().replace("\n", " ") if cax is not None else ""
    map_h = None
    measured = None
    for _ in range(3):            # later passes measure at the final size
        if cax is not None and bar_label and map_h is not None:
            # A label longer than the map is folded to its height, not left to overhang.
            label = cax.yaxis.label
            cax.set_ylabel(wrap_to_width(bar_label, 0.92 * map_h, label.get_fontsize()))
        left, below, right_over, top_over = _map_ticks_in(ax, r, fig)
        cb_block = cb_l = cb_b = cb_r = cb_t = 0.0
        if cax is not None:
            cb_l, cb_b, cb_r, cb_t = decorations_in(cax, r, fig)
            cb_block = cb_l + COLOUR_BAR_WIDTH_IN + cb_r
        side = []                                   # (kind, artist, w, h, deco)
        for p in panels:
            deco = decorations_in(p.axes, r, fig)
            side.append(("panel", p, p.width_in, p.height_in, deco))
        if legend is not None:
            box = legend.get_window_extent(r)
            side.insert(panels_first, ("legend", legend, box.width / fig.dpi,
                                       box.height / fig.dpi, (0, 0, 0, 0)))
        side_w = max((w + d[0] + d[2] for _, _, w, _, d in side), default=0.0)
        side_h = sum(h + d[1] + d[3] for _, _, _, h, d in side) + GAP_IN * max(len(side) - 1, 0)
        gap_map = max(GAP_IN, right_over + 0.05)
        fixed_w = (PAD_IN + left + gap_map + (cb_block + GAP_IN if cax is not None else 0.0)
                   + (side_w + GAP_IN if side else 0.0) + PAD_IN - GAP_IN)
        map_w = max(width_in - fixed_w, 1.0)
        map_h = map_w / aspect
        if map_h > max_map_height_in:
            map_h = max_map_height_in
            map_w = map_h * aspect
        fig_w = fixed_w + map_w
        title_h = _title_height_in(ax, r, fig, fig_w - PAD_IN - left - PAD_IN)
        now = np.round([left, below, right_over, top_over, cb_l, cb_b, cb_r, cb_t, side_w,
                        side_h, title_h], 4)
        if measured is not None and layout is not None and np.array_equal(now, measured):
            break                 # the extents are those the last pass laid out with
        measured = now
        wrapped = fit_lines(lines, fig_w - 2 * PAD_IN, caption_fontsize)
        cap_h = len(wrapped) * line_pitch_in(caption_fontsize)
        body_top_over = top_over
        body_h = max(body_top_over + map_h + below, top_over + side_h)
        fig_h = PAD_IN + cap_h + (GAP_IN if wrapped else 0.0) + body_h + title_h + PAD_IN
        if even_pixels:
            fig_w = _even(fig_w, fig.dpi)
            fig_h = _even(fig_h, fig.dpi)
        fig.set_size_inches(fig_w, fig_h, forward=False)
        map_top = fig_h - PAD_IN - title_h - body_top_over
        x0 = PAD_IN + left
        y0 = map_top - map_h
        ax.set_position((x0 / fig_w, y0 / fig_h, map_w / fig_w, map_h / fig_h))
        x = x0 + map_w + gap_map
        if cax is not None:           # its end labels stay level with the map, under the title
            bar_h = max(map_h - cb_t - cb_b, 0.5)
            cax.set_position(((x + cb_l) / fig_w, (y0 + cb_b) / fig_h,
                              COLOUR_BAR_WIDTH_IN / fig_w, bar_h / fig_h))
            x += cb_block + GAP_IN
        top = map_top
        placed = []
        for kind, artist, w, h, deco in side:
            dl, db, dr, dt = deco
            if kind == "legend":
                artist.set_bbox_to_anchor((x, top), transform=fig.dpi_scale_trans)
            else:
                artist.axes.set_position(((x + dl) / fig_w, (top - dt - h) / fig_h, w / fig_w,
                                          h / fig_h))
                placed.append(artist)
            top -= dt + h + db + GAP_IN
        layout = MapLayout(fig_w, fig_h, (x0, y0, map_w, map_h), wrapped, legend, bar,
                           tuple(placed))
    for t in list(fig.texts):                       # a caption written by an earlier call
        if t.get_gid() == "caption":
            t.remove()
    texts, _ = write_caption(fig, layout.caption, fontsize=caption_fontsize)
    for t in texts:
        t.set_gid("caption")
    if _too_wide(texts, fig, layout.width_in - PAD_IN / 2):   # hinting wider than outlines
        for t in texts:
            t.remove()
        narrower = fit_lines(lines, 0.9 * (layout.width_in - 2 * PAD_IN), caption_fontsize)
        return _refit(fig, ax, layout, narrower, caption_fontsize)
    place_map_labels(ax, r)
    return layout


def _refit(fig, ax, layout: MapLayout, lines, fontsize: float) -> MapLayout:
    """Grow the figure at the bottom for a caption that needed more lines; everything
    above it is anchored to the top, so it moves up by the added height."""
    extra = (len(lines) - len(layout.caption)) * line_pitch_in(fontsize)
    w, h = layout.width_in, layout.height_in + extra
    fig.set_size_inches(w, h, forward=False)
    for a in fig.axes:
        x0, y0, aw, ah = a.get_position().bounds
        a.set_position((x0, (y0 * layout.height_in + extra) / h, aw, ah * layout.height_in / h))
    if layout.legend is not None:
        (bx, by) = layout.legend.get_bbox_to_anchor().get_points()[0] / fig.dpi
        layout.legend.set_bbox_to_anchor((bx, by + extra), transform=fig.dpi_scale_trans)
    texts, _ = write_caption(fig, lines, fontsize=fontsize)
    for t in texts:
        t.set_gid("caption")
    x0, y0, mw, mh = layout.map_box_in
    place_map_labels(ax, renderer_of(fig))
    return dataclasses.replace(layout, height_in=h, map_box_in=(x0, y0 + extra, mw, mh),
                               caption=lines)


def _even(size_in: float, dpi: float) -> float:
    px = int(np.ceil(size_in * dpi - 1e-6))
    px += px % 2
    return (px + 0.25) / dpi


# --------------------------------------------------------------------------- map labels

def _label_kind(t) -> str:
    gid = t.get_gid() or ""
    return gid if gid in LABEL_PRIORITY else "other"


def map_labels(ax) -> list:
    """The visible, non-empty texts drawn on a map (not its title or tick labels)."""
    return [t for t in ax.texts if t.get_visible() and t.get_text().strip()]


def _anchor_inside(t, frame, r) -> bool:
    """Whether an annotation's point is on the map (matplotlib skips it otherwise)."""
    from matplotlib.text import Annotation
    if not isinstance(t, Annotation):
        return True
    xycoords = t.xycoords
    transform = xycoords if hasattr(xycoords, "transform") else \
        t.axes.transData if xycoords == "data" else None
    if transform is None:
        return True
    x, y = transform.transform(t.xy)
    return frame.x0 - 0.5 <= x <= frame.x1 + 0.5 and frame.y0 - 0.5 <= y <= frame.y1 + 0.5


OFFSETS_PT = [(7, 3, "left", "bottom"), (7, -3, "left", "top"), (-7, 3, "right", "bottom"),
              (-7, -3, "right", "top"), (0, 8, "center", "bottom"), (0, -8, "center", "top"),
              (14, 0, "left", "center"), (-14, 0, "right", "center"),
              (12, 12, "left", "bottom"), (-12, 12, "right", "bottom"),
              (12, -12, "left", "top"), (-12, -12, "right", "top")]
"""Where a movable label may go around its point (offset points, alignment), in order."""


def place_map_labels(ax, renderer=None, obstacles=()) -> None:
    """Place the labels drawn on a map so that each lies inside the map frame and none
    covers another; a label that cannot be placed so is hidden.

    Labels are taken in :data:`LABEL_PRIORITY` order (satellites first, then off-map
    pointers, provinces, contour values, sites).  An annotation offset from its point
    in points (satellite and site names) is movable: it tries :data:`OFFSETS_PT` around
    its point; any other text keeps its place or is hidden.  ``obstacles`` are display
    Bboxes no label may cover (markers).
    """
    from matplotlib.text import Annotation
    r = renderer or renderer_of(ax.figure)
    from matplotlib.transforms import Bbox
    box = ax.get_window_extent(r)
    frame = Bbox.from_extents(box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1)
    labels = map_labels(ax)
    order = {k: i for i, k in enumerate(LABEL_PRIORITY)}
    labels.sort(key=lambda t: order.get(_label_kind(t), len(order)))
    taken = list(obstacles) + marker_boxes(ax, r)
    for t in labels:
        movable = isinstance(t, Annotation) and t.anncoords == "offset points" \
            and _label_kind(t) in ("satellite-label", "site-label")
        if isinstance(t, Annotation) and not _anchor_inside(t, frame, r):
            continue                           # matplotlib does not draw it
        candidates = [None]
        if movable:
            first = (*t.xyann, t.get_horizontalalignment(), t.get_verticalalignment())
            candidates = [first] + [c for c in OFFSETS_PT if c != first]
        for c in candidates:
            if c is not None:
                dx, dy, ha, va = c
                t.xyann = (dx, dy)
                t.set_horizontalalignment(ha)
                t.set_verticalalignment(va)
            box = text_extent(t, r)
            if _inside(box, frame) and not any(box.overlaps(b) for b in taken):
                taken.append(box)
                break
        else:
            t.set_visible(False)


def text_extent(t, renderer):
    """Display box of a text and its background box, without an annotation's arrow."""
    from matplotlib.text import Annotation, Text
    if isinstance(t, Annotation):
        t.update_positions(renderer)             # the text's place from its point + offset
    box = Text.get_window_extent(t, renderer)
    patch = t.get_bbox_patch()
    if patch is not None:
        t.update_bbox_position_size(renderer)
        box = box.union([box, patch.get_window_extent(renderer)])
    return box


def _inside(box, frame) -> bool:
    return (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
            and box.y1 <= frame.y1)


def marker_boxes(ax, r) -> list:
    """Display boxes of the single-point markers on a map (satellites and sites)."""
    from matplotlib.transforms import Bbox
    out = []
    for line in ax.get_lines():
        if line.get_marker() in (None, "None", "", " ") or not line.get_visible():
            continue
        x, y = line.get_xdata(orig=False), line.get_ydata(orig=False)
        if np.size(x) != 1:
            continue
        px, py = line.get_transform().transform(np.column_stack([x, y]))[0]
        half = line.get_markersize() * ax.figure.dpi / 72.0 / 2.0
        out.append(Bbox.from_extents(px - half, py - half, px + half, py + half))
    return out


# --------------------------------------------------------------------------- other figures

def caption_below(fig, lines, *, title: str | None = None, fontsize: float = 7.5,
                  colour: str = "#333333", title_fontsize: float = TITLE_FONTSIZE,
                  grow: bool = False):
    """A caption under a constrained-layout figure (and a bold title over it), measured:
    the layout's rectangle stops where they begin, so no axes reaches them.

    ``lines`` is a string or a list of strings or (text, colour) pairs; they are wrapped
    to the figure's width.  With ``grow`` the figure gets taller by the caption and title
    instead of squeezing the axes.  Returns the caption's text artists.
    """
    if isinstance(lines, str):
        lines = [lines]
    lines = [(line, colour) if isinstance(line, str) else line for line in lines]
    w, h = fig.get_size_inches()
    wrapped = fit_lines([(t, c) for t, c in lines if t.strip()], w - 2 * PAD_IN, fontsize)
    cap_h = len(wrapped) * line_pitch_in(fontsize)
    title_h = 0.0
    title_text = None
    if title:
        title_text = wrap_to_width(title, w - 2 * PAD_IN, title_fontsize, weight="bold")
        title_h = (title_text.count("\n") + 1) * LINE_PITCH * _line_height_pt(
            title_fontsize, _family(), "bold") / 72.0
    if grow:
        h += cap_h + title_h + (GAP_IN if wrapped else 0.0)
        fig.set_size_inches(w, h, forward=False)
    texts, _ = write_caption(fig, wrapped, fontsize=fontsize)
    if title_text:
        fig.text(PAD_IN, h - PAD_IN, title_text, ha="left", va="top", fontweight="bold",
                 fontsize=title_fontsize, transform=fig.dpi_scale_trans)
    bottom = (PAD_IN + cap_h + (GAP_IN if wrapped else 0.0)) / h if wrapped else 0.0
    top = 1.0 - ((PAD_IN + title_h + GAP_IN / 2) / h if title_text else 0.0)
    fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, top - bottom))
    return texts


def _family() -> str:
    from matplotlib import rcParams
    return rcParams["font.family"][0]
