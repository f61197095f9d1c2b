"""Shared figure helpers: headless backend, house colours, saving."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def pyplot():
    """matplotlib.pyplot on the Agg backend unless a backend was chosen already."""
    import matplotlib
    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def check_output(path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() not in FIGURE_SUFFIXES:
        raise UsageError(f"cannot tell the figure format from {str(path)!r}.\n"
                         f"Fix: end the file name with {', '.join(FIGURE_SUFFIXES)}.")
    if not path.parent.exists():
        raise UsageError(f"directory {str(path.parent)!r} does not exist.\n"
                         "Fix: create it first or choose another -o path.")
    return path


def save_figure(fig, path: Path, dpi: int = 150) -> None:
    """Save atomically: a failed save never leaves a half-written file behind."""
    from .atomic import atomic_write
    path = check_output(path)
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format=path.suffix[1:].lower()))
    finally:
        pyplot().close(fig)
