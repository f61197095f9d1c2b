"""Text for people: paragraphs wrapped only at spaces."""

from __future__ import annotations

import textwrap


def fill_words(text: str, width: int, **options) -> str:
    """``textwrap.fill`` that breaks only at spaces: a source such as
    'jtmiclat/celestrak-historical@011c609c' or a number such as '-0.5' stays whole."""
    return textwrap.fill(text, width, break_on_hyphens=False, break_long_words=False,
                         **options)
