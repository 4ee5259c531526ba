"""Numbers and quantities of a text, with units brought to one base so that 750 мл equals 0.75 л."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation

#: Unit spellings (lowercase) → (family, factor to the family's base unit).
UNITS: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(("мг", "mg", "毫克"), ("mass", Decimal("0.001"))),
    **dict.fromkeys(("г", "гр", "g", "gr", "克"), ("mass", Decimal(1))),
    **dict.fromkeys(("кг", "kg", "公斤", "千克"), ("mass", Decimal(1000))),
    **dict.fromkeys(("мл", "ml", "毫升"), ("volume", Decimal(1))),
    **dict.fromkeys(("л", "l", "升", "litr"), ("volume", Decimal(1000))),
    **dict.fromkeys(("мм", "mm", "毫米"), ("length", Decimal(1))),
    **dict.fromkeys(("см", "cm", "厘米"), ("length", Decimal(10))),
    **dict.fromkeys(("м", "m", "米"), ("length", Decimal(1000))),
    **dict.fromkeys(("%", "％"), ("percent", Decimal(1))),
}
# Longest spellings first, so that "мл" wins over "м" and "кг" over "г".
_UNIT_ALTERNATIVES = "|".join(re.escape(unit) for unit in sorted(UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![^\W\d_])(?<![0-9.,])"
    r"(?P<number>[0-9]+(?:[ \u00a0\u202f][0-9]{3})*(?:[.,][0-9]+)?)"
    rf"(?:[ \u00a0\u202f]?(?P<unit>{_UNIT_ALTERNATIVES})(?![^\W\d_]))?",
    re.IGNORECASE,
)
#: Locales that write a decimal comma (1,5 л); the others write 1.5 and group with commas.
DECIMAL_COMMA = frozenset({"ru", "kk", "uz"})
#: Numbers longer than this are kept as written, not as values (serial numbers, codes).
_LONGEST_VALUE = 30


@dataclass(frozen=True)
class Quantity:
    """A number found in a text, its unit family and its value in the family's base unit."""

    written: str
    family: str
    value: str
    number: str

    @property
    def key(self) -> tuple[str, str]:
        """What two quantities must share to be the same amount."""
        return (self.family, self.value)


def _value(number: str, locale: str) -> Decimal | None:
    digits = re.sub(r"[ \u00a0\u202f]", "", number)
    if len(digits) > _LONGEST_VALUE:
        return None
    if locale in DECIMAL_COMMA:
        digits = digits.replace(",", ".")
    elif re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", digits):
        digits = digits.replace(",", "")
    else:
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    """*value* written without exponent or trailing zeros (750.0 → 750)."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def quantities(text: str, locale: str) -> list[Quantity]:
    """Every number in *text* with its unit, if any, brought to the unit family's base."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        unit = (match["unit"] or "").lower()
        family, factor = UNITS.get(unit, ("number", Decimal(1)))
        value = _value(match["number"], locale)
        written = match.group(0).strip()
        if value is None:
            found.append(Quantity(written, family, match["number"], match["number"]))
        else:
            found.append(Quantity(written, family, _plain(value * factor), _plain(value)))
    return found


def quantity_difference(
    source: str, source_locale: str, target: str, target_locale: str
) -> tuple[list[str], list[str]]:
    """Return ``(missing, unexpected)``: amounts of *source* not in *target*, and the reverse.

    A bare number in one text matches the same number with a unit in the other
    (a translation may leave the unit out or spell it as a word).
    """
    wanted = quantities(source, source_locale)
    got = quantities(target, target_locale)
    missing = _unmatched(wanted, got)
    unexpected = _unmatched(got, wanted)
    return [q.written for q in missing], [q.written for q in unexpected]


def _unmatched(these: list[Quantity], others: list[Quantity]) -> list[Quantity]:
    """The quantities of *these* that no distinct quantity of *others* stands for."""
    pool = list(others)
    left: list[Quantity] = []
    for quantity in these:
        partner = next((o for o in pool if o.key == quantity.key), None)
        if partner is None and quantity.family == "number":
            partner = next((o for o in pool if o.number == quantity.value), None)
        if partner is None and quantity.family != "number":
            partner = next((o for o in pool if o.family == "number" and o.value == quantity.number), None)
        if partner is None:
            left.append(quantity)
        else:
            pool.remove(partner)
    return left
