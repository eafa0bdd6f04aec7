"""Vietnamese alphabetical order (a ă â b c d đ e ê … ơ p q r s t u ư v x y).

Python's `sorted()` puts accented capitals after `Z`, and the Unicode default (DUCET) treats ă/â as
accents of `a`; both are wrong for Vietnamese lists. This key gives the order of ICU's `vi` collation:
letters first (primary), then tones none < huyền < hỏi < ngã < sắc < nặng (secondary), then case.
The same function is registered as the SQLite collation `vi`; PostgreSQL uses ICU's `vi-x-icu`, so
lists sort alike on both databases (notes/stack.md §16).
"""

from __future__ import annotations

import functools
import unicodedata

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 400 + index for index, letter in enumerate(ALPHABET)}
# Combining marks that make a new letter rather than a tone: ă (breve), â ê ô (circumflex), ơ ư (horn).
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tones in dictionary order: huyền, hỏi, ngã, sắc, nặng (no tone is 0).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Look-alikes typed by mistake for Đ/đ (Icelandic eth).
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ"})

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _primary_rank(letter: str) -> int:
    """Spaces and punctuation sort before digits, digits before letters, letters in ALPHABET order."""
    if letter in _LETTER_RANK:
        return _LETTER_RANK[letter]
    if letter.isascii() and letter.isdigit():
        return 300 + int(letter)
    if letter.isascii():
        return ord(letter)  # space (32) and ASCII punctuation
    if unicodedata.category(letter)[0] in "PSZ":
        return 200
    return 1000 + ord(letter)


@functools.lru_cache(maxsize=65536)
def vi_sort_key(text: str) -> SortKey:
    """A key such that `sorted(names, key=vi_sort_key)` is Vietnamese dictionary order."""
    letters: list[str] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFD", text.translate(_LOOKALIKES)):
        if unicodedata.combining(char):
            if letters and (letters[-1], char) in _LETTER_MARKS:
                letters[-1] = _LETTER_MARKS[(letters[-1], char)]
            elif letters and char in _TONE_RANK:
                tones[-1] = _TONE_RANK[char]
            continue
        lower = char.lower()
        letters.append(lower)
        tones.append(0)
        cases.append(0 if lower == char else 1)
    primary = tuple(_primary_rank(letter) for letter in letters)
    return primary, tuple(tones), tuple(cases)


def vi_compare(left: str, right: str) -> int:
    """-1, 0 or 1: the comparison SQLite calls for `COLLATE vi`."""
    a, b = vi_sort_key(left), vi_sort_key(right)
    return (a > b) - (a < b)


def vi_sorted(names, key=lambda item: item):
    """Sort any items by a Vietnamese text taken from each with `key`."""
    return sorted(names, key=lambda item: vi_sort_key(key(item)))


def search_key(text: str) -> str:
    """Lower case, tones and marks removed, đ → d: for search that works the same on both databases."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LOOKALIKES).lower().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))
