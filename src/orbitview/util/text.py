"""Text for people: paragraphs wrapped only at spaces, and text safe to show on a terminal."""

from __future__ import annotations

import re
import textwrap


def fill_words(text: str, width: int, **options) -> str:
    """``textwrap.fill`` that breaks only at spaces: a source such as
    'jtmiclat/celestrak-historical@011c609c' or a number such as '-0.5' stays whole."""
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False,
                         **options)


_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                         "\u2066-\u2069\ud800-\udfff]")
"""What a terminal would act on or hide instead of showing: C0 controls but newline and
tab (ESC starts escape codes, BEL rings, CR overwrites the line), DEL, C1 controls (CSI
and OSC in their 8-bit forms), the bidirectional overrides and isolates that reorder what
is shown, and lone surrogates (bytes that were not UTF-8, as ``surrogateescape`` keeps
them)."""


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xdc80 <= code <= 0xdcff:                 # an undecodable byte, surrogateescape'd
        return f"\\x{code - 0xdc00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with everything a terminal would act on escaped as ``\\x1b``, ``\\u202e``:
    file names, evidence and values from files reach the screen as text, never as
    escape codes.  Newlines and tabs are kept; applying it twice changes nothing more."""
    text = str(text)
    return _UNSHOWABLE.sub(_escape, text) if _UNSHOWABLE.search(text) else text
