"""One normaliser for what people type or paste into numbers: phones, amounts, areas, counts.

Chinese input methods and office sheets produce full-width digits (``１３８``), full-width
punctuation (``９８．５``, ``1，234``), ideographic spaces and assorted dashes. NFKC folds them
to ASCII, so ``13８１２３４５６７８`` and ``13812345678`` are one number everywhere — the import,
the API and every form call the functions below (common/phones.py for phones).
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Dashes NFKC leaves alone but people type between digits (一 is not among them: it is a word).
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]")
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")

# Units an amount or an area may be written with, after NFKC (so ￥ is ¥ and ㎡ is m2), longest
# first; each maps to the factor that turns it into yuan or m².
MONEY_PREFIXES = ("¥", "rmb", "cny")
MONEY_SUFFIXES = (
    ("亿元", Decimal("100000000")),
    ("万元", Decimal("10000")),
    ("亿", Decimal("100000000")),
    ("万", Decimal("10000")),
    ("元", Decimal("1")),
    ("rmb", Decimal("1")),
    ("cny", Decimal("1")),
)
AREA_SUFFIXES = (
    ("平方米", Decimal("1")),
    ("平方", Decimal("1")),
    ("平米", Decimal("1")),
    ("m²", Decimal("1")),
    ("m2", Decimal("1")),
    ("平", Decimal("1")),
)


def nfkc(value) -> str:
    """Text folded to its plain form: NFKC (full-width digits, punctuation and spaces become
    ASCII), dashes as "-", runs of whitespace as one space, trimmed."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else ""))
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip()


def number_text(value) -> str:
    """A number as typed, ready for Decimal(): folded, without spaces or thousands commas
    (``１，２３４．５０`` → ``1234.50``)."""
    text = nfkc(value).replace(" ", "")
    return _THOUSANDS.sub("", text)


def _with_units(value, *, prefixes: tuple[str, ...], suffixes: tuple) -> Decimal:
    text = number_text(value).lower()
    for prefix in prefixes:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    factor = Decimal("1")
    for suffix, multiplier in suffixes:
        if text.endswith(suffix):
            text, factor = text[: -len(suffix)], multiplier
            break
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(value)
    try:
        return Decimal(text) * factor
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise ValueError(value) from None


def parse_amount(value) -> Decimal:
    """Money as people write it: ``1,234.50``, ``￥98.5``, ``100万``, ``125.5万元``, ``９８．５``
    → yuan (not yet rounded). Raises ValueError when it is no amount."""
    return _with_units(value, prefixes=MONEY_PREFIXES, suffixes=MONEY_SUFFIXES)


def parse_area(value) -> Decimal:
    """Floor area as people write it: ``98.5``, ``98.5平米``, ``98.5㎡``, ``98.5平方米`` → m².
    Raises ValueError when it is no area."""
    return _with_units(value, prefixes=(), suffixes=AREA_SUFFIXES)
