"""Whether a draft name and highlights fit the on-air card and overlay, and that card drawn with them."""

from __future__ import annotations

import dataclasses
import typing as t

from sqlalchemy.orm import Session

import media
from catalog.models import Product
from catalog.services.card_png import card_content
from catalog.services.pricing import all_rates
from catalog.services.readiness import LAYOUTS

PARTS: tuple[str, ...] = ("name", "highlights")


@dataclasses.dataclass(frozen=True)
class Draft:
    """The text a translator is typing: the name and the highlights the card shows."""

    name: str
    highlights: tuple[str, ...] = ()

    def on_card(self) -> tuple[str, ...]:
        """The highlights the card draws (the first few that are not blank)."""
        return tuple(h for h in self.highlights if h.strip())[: media.cards.MAX_HIGHLIGHTS]


@dataclasses.dataclass(frozen=True)
class DraftFit:
    """Which parts of a draft each layout cuts short."""

    cut: dict[media.Layout, tuple[str, ...]]

    @property
    def fits(self) -> bool:
        return not any(self.cut.values())

    def cut_in(self, part: str) -> list[media.Layout]:
        """The layouts in which *part* (``name`` or ``highlights``) is cut short."""
        return [layout for layout, parts in self.cut.items() if part in parts]


def draft_fit(draft: Draft) -> DraftFit:
    """Typeset *draft* as the card and overlay do, in each layout the show uses."""
    return DraftFit({layout: media.overflow(draft.name, draft.on_card(), layout) for layout in LAYOUTS})


def draft_card(
    session: Session,
    read: t.Callable[[str], bytes],
    product: Product,
    locale: str,
    draft: Draft,
    layout: media.Layout,
    product_url: str,
) -> bytes:
    """The card of *product* in *locale* as ``card.png`` draws it, with the draft's name and highlights."""
    content = card_content(
        session, read, product, locale, product.price_currency, all_rates(session), product_url
    )
    drafted = dataclasses.replace(content, name=draft.name, highlights=draft.on_card())
    return media.render_card(drafted, layout)
