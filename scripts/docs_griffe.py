"""A griffe extension for the API reference (mkdocs.yml, mkdocstrings ``extensions``).

orbitview's docstrings are written for Python's own tools (help(), doctest): reST roles
(``:class:`~orbitview.api.results.Result```), ``>>>`` examples and ``::`` literal blocks.
mkdocstrings renders docstrings as Markdown, where ``>>>`` would be a quotation and
``[r[0] for r in t][:2]`` a link. This turns, in each docstring before it is rendered:

* ``>>>`` examples (with their ``...`` lines and expected output) into ``pycon`` blocks;
* a paragraph ending in ``::`` and the indented block after it into a Python block;
* reST roles into code (``~`` keeps the last name, as Sphinx shows it).
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(~?)([^`]+)`")


def _role(match: re.Match) -> str:
    name = match.group(2)
    return f"`{name.rsplit('.', 1)[-1] if match.group(1) else name}`"


def to_markdown(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith(">>>"):
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i].strip() if lines[i].lstrip().startswith((">>>", "..."))
                             else lines[i])
                i += 1
            out += ["```pycon", *block, "```"]
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(":"):
            out.append(line.rstrip()[:-1])          # "...like this::" reads "...like this:"
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            indent = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
            out += ["", "```python", *(b[indent:] for b in block), "```", ""]
            continue
        out.append(ROLE.sub(_role, line).replace("``", "`"))
        i += 1
    return "\n".join(out)


class RestToMarkdown(griffe.Extension):
    """Docstrings of every object, rewritten by :func:`to_markdown` as they are loaded."""

    def on_instance(self, **kwargs) -> None:
        obj = kwargs.get("obj")
        doc = getattr(obj, "docstring", None)
        if doc is not None and doc.value:
            doc.value = to_markdown(doc.value)
