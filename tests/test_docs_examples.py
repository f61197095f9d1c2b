"""Every example on the documentation site (docs/**/*.md) and in README.md runs, and
prints what the page shows.

* ```python blocks run page by page, in order, in one namespace per page, in a scratch
  directory. A ```text block right after a Python block is the output it prints
  (compared line by line); other blocks check themselves with ``assert``.
  A block with ``<!-- not run: REASON -->`` on the line before (a batch system) is only
  compiled.
* ```console blocks are terminal sessions: each ``$ COMMAND`` line (a trailing ``\\``
  continues it) runs in bash in the page's scratch directory, and the lines up to the
  next ``$`` are what it prints, stdout and stderr as a terminal shows them.
  ``<!-- console: columns=N -->`` on the line before a block sets the terminal width
  (default 100).
* In expected output a line ``...`` stands for any number of lines. Outputs are compared
  after normalising: trailing spaces, the scratch directory (``.``), the home directory
  (``~``) and the data directory (``.../orbitview/_data``). Inside a line, ``...`` stands
  for any text (a time taken that varies from run to run).
* The scratch directory holds ``data/``, ``examples/`` and ``tests/`` of the repository,
  so the paths the pages give work. No example reads the clock (they give explicit
  times) or the network: each page runs with an empty home directory (no config file,
  no stored element sets) and CelesTrak's address pointed at a closed local port.
* ```sh blocks are set-up lines (pip, mkdocs), not examples: an ``orbitview`` command in
  one needs ``<!-- not run: REASON -->`` on the line before (the network, a cluster).

``ORBITVIEW_DOCS_UPDATE=1 python -m pytest tests/test_docs_examples.py`` writes the real
output into the pages instead of failing (read the diff before committing it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import importlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md"] + sorted(DOCS.rglob("*.md"))
DEFAULT_COLUMNS = 100
UPDATE = os.environ.get("ORBITVIEW_DOCS_UPDATE") == "1"
COMMAND_TIMEOUT_S = 600
COMPILED_ONLY = {
    "docs/accuracy.md": "its Python block sketches the error-bound call with placeholder "
                        "names (satellite_or_history, at): a signature, not an example",
}
"""Pages whose Python blocks are only compiled, with the reason. The page's owner can mark
the block ``<!-- not run: REASON -->`` (or make it run) and drop the page from here."""
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")


@dataclasses.dataclass
class Block:
    lang: str
    code: str
    start: int            # line index of the first content line
    end: int              # line index of the closing fence
    indent: str
    before: str           # the nearest non-blank line above the opening fence


def blocks(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page, in order."""
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m["indent"], m["fence"]
        lang = (m["info"].split() or [""])[0].lstrip("{.").rstrip("}")
        j = i + 1
        while j < len(lines) and not (lines[j].startswith(indent) and
                                      lines[j].strip().startswith(fence[0] * len(fence)) and
                                      set(lines[j].strip()) == {fence[0]}):
            j += 1
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip()
                for line in lines[i + 1:j]]
        k = i - 1
        while k >= 0 and not lines[k].strip():
            k -= 1
        out.append(Block(lang, "\n".join(body), i + 1, j, indent,
                         lines[k].strip() if k >= 0 else ""))
        i = j + 1
    return out


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------- matching

PROGRESS = re.compile(r"orbitview: (.+ will take about .+ more \(.+|.+: \d+ % done \(.+"
                      r"|.+: done in .+)")
"""The lines of orbitview.util.progress: said only when a run is measured to need more
than about ten seconds, so a loaded machine adds them to a transcript; left out of the
comparison (tests/test_progress.py tests them)."""


def normalise(text: str, work: Path, home: Path) -> list[str]:
    text = "\n".join(line for line in text.split("\n") if not PROGRESS.fullmatch(line))
    text = text.replace(str(home), "~").replace(str(work), ".")
    text = text.replace(str(ROOT / "data"), ".../orbitview/_data")
    text = re.sub(r"\S*/site-packages/orbitview/_data", ".../orbitview/_data", text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_matches(expected: str, actual: str) -> bool:
    """One line: equal, or equal but for ``...`` inside it, which stands for any text
    (a time taken or a file size that varies from run to run)."""
    if "..." not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` equals ``actual``, a line ``...`` standing for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        rest = expected[1:]
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    return (bool(actual) and line_matches(expected[0], actual[0])
            and matches(expected[1:], actual[1:]))


def updated(expected: list[str], actual: list[str]) -> list[str]:
    """What ORBITVIEW_DOCS_UPDATE=1 writes for a transcript that no longer matches: the
    actual lines, but each expected line that still matches its counterpart kept as it is
    (its ``...`` for a time taken, a port or a size survive the update)."""
    if len(expected) != len(actual) or "..." in expected:
        return actual
    return [e if line_matches(e, a) else a for e, a in zip(expected, actual)]


def show(expected: list[str], actual: list[str]) -> str:
    return ("expected:\n" + "\n".join(expected) + "\n\nactual:\n" + "\n".join(actual))


# --------------------------------------------------------------------------- set-up

@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A scratch directory and an empty home; the environment of a new user offline."""
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    for folder in ("data", "examples", "tests"):            # paths as the pages give them
        (work / folder).symlink_to(ROOT / folder)
    for name in list(os.environ):
        if name.startswith(("ORBITVIEW_", "XDG_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", "http://127.0.0.1:9")   # closed port
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep
                       + os.environ.get("PATH", ""))
    monkeypatch.chdir(work)
    return work, home


def console_sessions(code: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` for each ``$`` line of a console block."""
    out: list[tuple[str, list[str]]] = []
    lines = code.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("$ "):
            if out:
                out[-1][1].append(line.rstrip())
            elif line.strip():
                raise AssertionError(f"console block starts with output, not '$ ': {line!r}")
            i += 1
            continue
        command = line[2:]
        while command.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command.rstrip()[:-1].rstrip() + " " + lines[i].strip()
        out.append((command, []))
        i += 1
    for _, expected in out:
        while expected and not expected[-1]:
            expected.pop()
    return out


def columns_of(block: Block) -> int:
    m = re.match(r"<!-- console: columns=(\d+) -->", block.before)
    return int(m.group(1)) if m else DEFAULT_COLUMNS


def run_command(command: str, columns: int, work: Path) -> str:
    env = dict(os.environ, COLUMNS=str(columns), LINES="50")
    done = subprocess.run(["bash", "-c", command], cwd=work, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=COMMAND_TIMEOUT_S)
    return done.stdout


def rewrite(page: Path, replacements: dict[tuple[int, int], list[str]]) -> None:
    """Replace line ranges (start, end) of ``page`` (UPDATE mode)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    for (start, end), new in sorted(replacements.items(), reverse=True):
        lines[start:end] = new
    page.write_text("\n".join(lines), encoding="utf-8")


# --------------------------------------------------------------------------- the tests

CONSOLE_PAGES = [p for p in PAGES if any(b.lang == "console"
                                         for b in blocks(p.read_text(encoding="utf-8")))]
PYTHON_PAGES = [p for p in PAGES if any(b.lang == "python"
                                        for b in blocks(p.read_text(encoding="utf-8")))]


@pytest.mark.slow                  # minutes: every example of every page
@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=page_id)
def test_console_examples(page, scratch):
    work, home = scratch
    failures, replacements = [], {}
    for block in blocks(page.read_text(encoding="utf-8")):
        if block.lang != "console":
            continue
        new_lines, changed = [], False
        for command, expected in console_sessions(block.code):
            actual = normalise(run_command(command, columns_of(block), work), work, home)
            new_lines += [f"$ {command}"] + (expected if matches(expected, actual)
                                             else updated(expected, actual))
            if not matches(expected, actual):
                changed = True
                failures.append(f"{page_id(page)}:{block.start}: $ {command}\n"
                                + show(expected, actual))
        if changed and UPDATE:
            replacements[(block.start, block.end)] = [block.indent + line if line else line
                                                      for line in new_lines]
    if UPDATE and replacements:
        rewrite(page, replacements)
        return
    assert not failures, "\n\n".join(failures)


@pytest.mark.slow                  # minutes: every example of every page
@pytest.mark.parametrize("page", PYTHON_PAGES, ids=page_id)
def test_python_examples(page, scratch):
    work, home = scratch
    text = page.read_text(encoding="utf-8")
    found = blocks(text)
    namespace: dict = {"__name__": "__docs__"}
    replacements = {}
    for i, block in enumerate(found):
        if block.lang != "python":
            continue
        code = compile(block.code, f"{page_id(page)}:{block.start}", "exec")
        if block.before.startswith("<!-- not run:") or page_id(page) in COMPILED_ONLY:
            continue                                # compiled (its syntax checked) only
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, namespace)                                       # noqa: S102
        shown = found[i + 1] if i + 1 < len(found) else None
        between = text.split("\n")[block.end + 1:shown.start - 1] if shown else None
        if shown is None or shown.lang != "text" or any(line.strip() for line in between):
            continue
        expected = normalise(shown.code, work, home)
        actual = normalise(out.getvalue(), work, home)
        if matches(expected, actual):
            continue
        if UPDATE:
            replacements[(shown.start, shown.end)] = [shown.indent + a if a else a
                                                      for a in actual]
            continue
        raise AssertionError(f"{page_id(page)}:{block.start}: output differs\n"
                             + show(expected, actual))
    if replacements:
        rewrite(page, replacements)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_shell_blocks_run_no_orbitview_unless_said_why(page):
    """A ```sh block is not run: an orbitview command in one must say why it is not an
    example that runs (``<!-- not run: REASON -->`` above it)."""
    for block in blocks(page.read_text(encoding="utf-8")):
        if block.lang in ("sh", "bash", "shell") and re.search(r"\borbitview\s+[a-z]",
                                                              block.code):
            assert block.before.startswith("<!-- not run:"), (
                f"{page_id(page)}:{block.start}: an orbitview command in a ```{block.lang} "
                "block is never run. Fix: make it a ```console example with its output, or "
                "put '<!-- not run: REASON -->' on the line before the block.")


def test_every_front_door_name_is_in_the_api_reference():
    import orbitview
    page = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"^::: orbitview\.[\w.]+\.(\w+)$", page, re.M))
    missing = sorted(set(orbitview._HOMES) - shown)
    assert not missing, (f"docs/reference/api.md does not show {missing}. Fix: add "
                         "'::: HOME.NAME' lines for them (HOME from orbitview._HOMES).")
    for line in re.findall(r"^::: (orbitview\.[\w.]+)$", page, re.M):
        home, name = line.rsplit(".", 1)
        assert orbitview._HOMES.get(name) == home, f"{line}: orbitview.{name} lives elsewhere"


def test_every_page_is_in_the_navigation():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*\"?([\w/.-]+\.md)\"?\s*$", config, re.M))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert pages - listed == set(), f"pages not in mkdocs.yml's nav: {sorted(pages - listed)}"


@pytest.mark.slow                  # minutes: every example of every page
@pytest.mark.parametrize("module", sorted(set(
    __import__("orbitview")._HOMES.values())))
def test_docstring_examples(module, scratch):
    """The ``>>>`` examples in the docstrings the API reference shows."""
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.slow                  # minutes: every example of every page
def test_the_analysts_script_runs(scratch):
    """examples/analyst.py, as a script (its own asserts check the answers)."""
    work, _ = scratch
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "analyst.py")], cwd=work,
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_analysts_script_is_a_notebook():
    """jupytext reads its ``# %%`` cells: a notebook of Markdown and code cells."""
    import jupytext
    notebook = jupytext.read(ROOT / "examples" / "analyst.py")
    kinds = [c.cell_type for c in notebook.cells]
    assert "markdown" in kinds and kinds.count("code") >= 5
