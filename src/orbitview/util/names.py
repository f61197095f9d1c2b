"""Names as people type them: folded so that 'PRSS 1', 'prss-1' and 'ＰＲＳＳ－１' match."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Fold case and accents, keep letters and digits of any script: 'PRSS 1' -> 'prss1'.

    Unicode-aware (NFKD, casefold): 'Pakistán' matches 'pakistan', Urdu and
    Chinese names keep their letters, and text with no letter or digit folds
    to '' (which matches nothing).
    """
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in folded if c.isalnum())


def names_text(names: list[str]) -> str:
    """'PRSS-1' / 'A, B and C' / 'A, B, C and 9 more'."""
    if len(names) <= 3:
        return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return f"{', '.join(names[:3])} and {len(names) - 3} more"
