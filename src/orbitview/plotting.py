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


def current_umask() -> int:
    import os
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_figure(fig, path: Path, dpi: int = 150) -> None:
    """Save atomically: a failed save never leaves a half-written file behind."""
    import os
    import tempfile
    path = check_output(path)
    fd, tmp = tempfile.mkstemp(suffix=path.suffix, dir=path.parent, prefix=".orbitview-")
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=dpi)
        os.chmod(tmp, 0o666 & ~current_umask())   # mkstemp makes 0600; use the user's umask
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
        pyplot().close(fig)
