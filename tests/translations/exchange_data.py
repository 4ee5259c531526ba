"""Products shared by the exchange tests."""

from __future__ import annotations

from translations.exchange import ExportEntry
from translations.exchange import listing_export_entries
from translations.workflow import ListingText
from translations.workflow import source_hashes

FLOUR = "KZ-FLOUR-001"
TEA = "LK-TEA-007"

SOURCES: dict[str, ListingText] = {
    FLOUR: ListingText(
        "哈萨克斯坦面粉",
        "优质<b>小麦粉</b>，{weight}公斤装。",
        ("高筋", "无添加"),
    ),
    TEA: ListingText("锡兰红茶 Dilmah", "来自斯里兰卡的红茶，100%原装。"),
}

KK_TRANSLATIONS: dict[str, ListingText] = {
    FLOUR: ListingText("Қазақстан ұны", "Жоғары сортты <b>бидай ұны</b>, {weight} кг.", ("Күшті",)),
}


TRANSLATION_REVISION = 2  # the flour's Kazakh text is its second revision


def export_rows(sources: dict[str, ListingText] = SOURCES) -> list[ExportEntry]:
    """Rows as the catalog would export them for Kazakh: flour half done, tea missing."""
    rows: list[ExportEntry] = []
    for sku, source in sources.items():
        translation = KK_TRANSLATIONS.get(sku)
        hashes = source_hashes(source) if translation else {}
        revision = TRANSLATION_REVISION if translation else 0
        rows += listing_export_entries(sku, source, translation, hashes, reviewed=False, revision=revision)
    return rows
