"""Polish text: search folding and alphabetical order that are the same on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})
ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}


def fold(text: str) -> str:
    """Casefolded and without diacritics: "Żółć" → "zolc". Used for search columns and terms."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def polish_sort_key(text: str) -> str:
    """A string whose binary order is Polish alphabetical order (ą after a, ł after l, ż last).

    Letters of the Polish alphabet become two-digit ranks; other characters keep their code
    point, shifted above the letters. Case is ignored.
    """
    parts = []
    for ch in text.casefold():
        if ch in _RANK:
            parts.append(f"{_RANK[ch] + 10:02d}")
        elif ch.isspace():
            parts.append("00")
        elif ch.isdigit():
            parts.append(f"0{ch}")  # digits sort before letters, after space: 01..09 < 10
        else:
            base = fold(ch) or ch
            parts.append(f"{_RANK[base] + 10:02d}" if base in _RANK else f"9{ord(ch):05d}")
    return "".join(parts)[:255]
