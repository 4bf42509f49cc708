"""Thai text for pictures drawn on the server: word edges, estimated widths, line wrapping.

Thai is written without spaces between words, so a line should break at a word's edge (or,
inside a long word, between syllables), and never in front of a vowel or tone mark that sits
on the letter before it. The word edges come from PyThaiNLP's dictionary segmenter
(``newmm``) and the syllable edges from its syllable dictionary, both bundled in the package,
so they work offline; everything else here is plain Unicode.

There is no font engine on the server, so widths are estimates, generous enough for Sarabun
and for the Tlwg fonts that stand in for it. The SVG charts (:mod:`core.charts`) and the
process flowchart use these helpers; anything else that lays out Thai text can too.

``baht_words`` writes an amount of money in Thai words (PyThaiNLP's ``bahttext``).

This module imports no app of the project.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

__all__ = [
    "ZWSP",
    "baht_words",
    "char_width",
    "fit",
    "is_attached",
    "syllable_boundaries",
    "syllables",
    "text_width",
    "word_boundaries",
    "words",
    "wrap",
]

ZWSP = "\u200b"
ELLIPSIS = "\u2026"

# Characters that belong to the one before them and so may never begin a line: the Thai
# above/below vowels and tone marks, and the following vowels that cannot stand alone.
_TH_NO_START = frozenset(
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a"
    "\u0e45\u0e46\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e\u0e2f"
)
# Leading vowels are written before the consonant they belong to: never end a line with one.
_TH_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
# After these a Thai syllable has usually ended.
_TH_SYLLABLE_END = frozenset("\u0e30\u0e33\u0e4c\u0e46")
_NO_LINE_START = frozenset(",.;:!?)]}%'\"\u2026\u201d\u2019")
_NO_LINE_END = frozenset("([{\u201c\u2018")
_BLANK = " " + ZWSP

# Estimated advance of a character, as a share of the font size.
_WIDE_ASCII = frozenset("MWmw@%")
_NARROW_ASCII = frozenset("il.,:;'|!()[]{}")
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf"})


# --- words ---------------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def words(text: str) -> tuple[str, ...]:
    """``text`` cut into words (spaces and punctuation are words of their own).

    Thai runs are segmented by PyThaiNLP's ``newmm`` dictionary segmenter; the pieces always
    join back into ``text``. An empty string gives no words.
    """
    if not text:
        return ()
    from pythainlp.tokenize import word_tokenize  # heavy import: only when text is cut

    pieces = tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))
    return pieces if "".join(pieces) == text else (text,)


@lru_cache(maxsize=2048)
def syllables(text: str) -> tuple[str, ...]:
    """``text`` cut into Thai syllables (PyThaiNLP's syllable dictionary); joins back."""
    if not text:
        return ()
    from pythainlp.tokenize import syllable_tokenize

    pieces = tuple(syllable_tokenize(text, engine="dict", keep_whitespace=True))
    return pieces if "".join(pieces) == text else (text,)


def _edges(pieces: tuple[str, ...]) -> frozenset[int]:
    cuts: set[int] = set()
    offset = 0
    for piece in pieces[:-1]:
        offset += len(piece)
        cuts.add(offset)
    return frozenset(cuts)


def word_boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` where one word ends and the next begins (0 < offset < len)."""
    return _edges(words(text))


def syllable_boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` between two syllables (every word boundary is one too)."""
    return _edges(syllables(text)) | word_boundaries(text)


# --- widths --------------------------------------------------------------------------------


def is_attached(ch: str) -> bool:
    """True for a character that belongs to the one before it (never starts a line)."""
    return ch in _TH_NO_START or unicodedata.category(ch) in ("Mn", "Me", "Mc")


def _ascii_factor(ch: str) -> float:
    if ch == " ":
        return 0.3
    if ch in _WIDE_ASCII:
        return 0.85
    if ch.isupper() or ch.isdigit():
        return 0.64
    if ch in _NARROW_ASCII:
        return 0.32
    return 0.56


def char_width(ch: str, size: float) -> float:
    """Estimated advance of one character at font size ``size``.

    Marks that sit on the letter before them (Thai vowel and tone marks) and invisible format
    characters (the zero-width space) take no room.
    """
    if unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES:
        return 0.0
    if "\u0e00" <= ch <= "\u0e7f":
        factor = 0.62
    elif ch.isascii():
        factor = _ascii_factor(ch)
    elif unicodedata.east_asian_width(ch) in ("W", "F"):
        factor = 1.0
    else:
        factor = 0.62
    return factor * size


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width of ``text`` on one line; bold text runs about 6 % wider."""
    width = sum(char_width(ch, size) for ch in text)
    return width * 1.06 if bold else width


def fit(text: str, budget: float, size: float) -> str:
    """``text``, cut short with an ellipsis so that it is no wider than ``budget``.

    The cut never separates a letter from the marks that sit on it.
    """
    if text_width(text, size) <= budget:
        return text
    room = budget - char_width(ELLIPSIS, size)
    width, cut = 0.0, 0
    for i, ch in enumerate(text):
        width += char_width(ch, size)
        if width > room:
            break
        # Only cut where the next character is not a mark belonging to this one.
        if i + 1 < len(text) and char_width(text[i + 1], size) == 0.0:
            continue
        cut = i + 1
    return text[:cut].rstrip() + ELLIPSIS


# --- wrapping ------------------------------------------------------------------------------


def _break_allowed(text: str, p: int) -> bool:
    before, after = text[p - 1], text[p]
    if is_attached(after) or before in _TH_LEADING:
        return False
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum())


@dataclass(frozen=True)
class _Edges:
    words: frozenset[int]
    syllables: frozenset[int]


def _break_quality(text: str, p: int, edges: _Edges) -> float:
    before, after = text[p - 1], text[p]
    if after in _BLANK or before in (" ", ZWSP, "-", "/"):
        return 3.0
    if before in ",;" or after in "(":
        return 2.5
    if p in edges.words:
        return 2.0
    if p in edges.syllables or after in _TH_LEADING or before in _TH_SYLLABLE_END:
        return 1.5
    return 1.0


# quality -> the least share of the line a break of that quality must fill
_FILL_NEEDED = {3.0: 0.3, 2.5: 0.4, 2.0: 0.45, 1.5: 0.6, 1.0: 0.0}


def _advances(text: str, start: int, size: float, budget: float) -> list[float]:
    """Running widths from ``start``: ``[0, w(text[start]), w(text[start:start+2]), ...]``.

    Stops one character after the budget is exceeded (nothing further can fit on the line).
    """
    widths = [0.0]
    for ch in text[start:]:
        widths.append(widths[-1] + char_width(ch, size))
        if widths[-1] > budget:
            break
    return widths


def _best_break(text: str, start: int, widths: list[float], budget: float, edges: _Edges) -> int:
    """The best place to end the line that starts at ``start`` (an offset in ``text``).

    The best break is the one of highest quality, then the latest, that fills enough of the
    line for its quality; failing that the last allowed break; failing that (a long Latin
    word, or a very narrow budget) a hard cut that keeps a letter with its marks.
    """
    fit_len = max(p for p in range(len(widths)) if widths[p] <= budget)
    best: tuple[float, int] | None = None
    fallback = 0
    for p in range(1, min(fit_len, len(text) - start - 1) + 1):
        if not _break_allowed(text, start + p):
            continue
        fallback = p
        quality = _break_quality(text, start + p, edges)
        if widths[p] >= _FILL_NEEDED[quality] * budget and (best is None or (quality, p) > best):
            best = (quality, p)
    cut = best[1] if best else fallback
    if cut <= 0:
        cut = max(fit_len, 1)
        while start + cut < len(text) and is_attached(text[start + cut]):
            cut += 1
    return start + cut


def wrap(text: str, budget: float, size: float) -> list[str]:
    """Split ``text`` into lines no wider than ``budget`` (estimated) at font size ``size``.

    Breaks at spaces where that fills the line well enough, else at a word's edge, else between
    syllables, else between any two characters where a line may break (never in front of
    a combining mark or following vowel, never after a leading vowel, never inside a run of
    Latin letters or digits). A single character wider than the budget still gets a line of
    its own. Runs of white space count as one space; an empty text gives one empty line.
    """
    text = " ".join(text.split())
    edges = _Edges(word_boundaries(text), syllable_boundaries(text))
    budget = max(budget, size)
    lines: list[str] = []
    start = 0
    while start < len(text):
        widths = _advances(text, start, size, budget)
        end = len(text) if widths[-1] <= budget else _best_break(text, start, widths, budget, edges)
        head = text[start:end].rstrip(_BLANK)
        if head:
            lines.append(head)
        start = end
        while start < len(text) and text[start] in _BLANK:
            start += 1
    return lines or [""]


# --- money in words ------------------------------------------------------------------------


def baht_words(amount: Decimal | int | float | str) -> str:
    """An amount of money in Thai words as official documents write it, from PyThaiNLP:
    12000 -> 'หนึ่งหมื่นสองพันบาทถ้วน', 1500.25 -> 'หนึ่งพันห้าร้อยบาทยี่สิบห้าสตางค์'.

    Rounded to the satang first (half up, as money is); an amount under one baht reads
    'ห้าสิบสตางค์', not 'ศูนย์บาทห้าสิบสตางค์'.
    """
    from pythainlp.util import bahttext

    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("A negative amount has no words on a document.")
    words: str = bahttext(float(value))
    if 0 < value < 1:
        words = words.removeprefix("ศูนย์บาท")
    return words
