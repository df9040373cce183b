"""Which characters a text typed into the workshop may hold.

Direction controls (embeddings, overrides, isolates) would let one text turn the text shown
after it around: a note ending in U+202E reverses its author's name. Control characters have no
place in a note or a name either (NUL cannot even be stored on PostgreSQL; the others print as
nothing, or as garbage), and a lone surrogate is not a character at all. A line break or a tab
is text only in a field of several lines.
"""

from __future__ import annotations

DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_CHARACTERS = frozenset("\n\r\t")  # a textarea sends its line breaks as \r\n


def is_control(character: str) -> bool:
    """C0 (line breaks and tabs included), DEL and C1."""
    code = ord(character)
    return code < 0x20 or 0x7F <= code < 0xA0


def is_surrogate(character: str) -> bool:
    return 0xD800 <= ord(character) < 0xE000


def refused(character: str, *, multiline: bool) -> bool:
    """Whether ``character`` has no place in a text (of several lines, if ``multiline``)."""
    if character in DIRECTION_CONTROLS or is_surrogate(character):
        return True
    return is_control(character) and not (multiline and character in LINE_CHARACTERS)
