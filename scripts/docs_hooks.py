"""MkDocs hooks of the documentation site (mkdocs.yml ``hooks:``).

* A page holding ``<!-- script: PATH -->`` gets the ``# %%`` script at PATH (relative to
  the repository) rendered in its place: ``# %% [markdown]`` cells as Markdown, code
  cells as Python blocks. The script stays the one source (tests/test_docs_examples.py
  runs it), so the page cannot drift from what runs.

Docstrings are made Markdown by scripts/docs_griffe.py (a griffe extension).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_MARK = re.compile(r"^<!-- script: (\S+) -->$", re.M)


def render_script(text: str) -> str:
    """Markdown for a ``# %%`` (percent-format) script: its cells in order."""
    cells: list[tuple[str, list[str]]] = []
    kind, lines = "code", []
    for line in text.splitlines():
        if line.startswith("# %%"):
            cells.append((kind, lines))
            kind = "markdown" if "[markdown]" in line else "code"
            lines = []
            continue
        lines.append(line)
    cells.append((kind, lines))
    out = []
    for kind, lines in cells:
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        if kind == "markdown":
            out.append("\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                                 for line in lines))
        else:
            out.append("```python\n" + "\n".join(lines) + "\n```")
    return "\n\n".join(out) + "\n"


def on_page_markdown(markdown: str, page, config, files) -> str:
    def include(match: re.Match) -> str:
        return render_script((ROOT / match.group(1)).read_text(encoding="utf-8"))
    return SCRIPT_MARK.sub(include, markdown)
