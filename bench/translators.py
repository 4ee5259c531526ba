"""Translator tools: quality checks per field, the fit on the on-air card, and translation-memory
lookups over a large memory.

``python -m bench.translators --products 100000`` fills the memory's FTS5 index with generated
reviewed texts (four target locales per product, name and two highlights each), then times
what one field costs: the checks (:func:`translations.check_field`) and a suggestion lookup
(index candidates plus scoring, as the suggestions endpoint does per field), and the fit check of a
draft field as the editor asks for it while its user types (typeset in the portrait and landscape
layouts, every draft different, as keystrokes are). ``--parts fit,checks`` skips the memory.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from functools import partial

import media
from bench.harness import percentile
from bench.harness import table
from catalog.services.translating_fit import Draft
from catalog.services.translating_fit import draft_fit
from search.memory import MemoryEntry
from search.memory import MemoryIndex
from translations import CheckContext
from translations import GlossaryTerm
from translations import check_field
from translations.memory_match import rank_matches
from translations.quality_scripts import kazakh_dictionary

TARGETS = ("zh", "kk", "en", "uz")
GOODS = (
    "Мёд",
    "Чай",
    "Мука",
    "Рис",
    "Масло",
    "Сыр",
    "Орехи",
    "Курага",
    "Изюм",
    "Кумыс",
    "Шубат",
    "Сухофрукты",
)
KINDS = (
    "горный",
    "липовый",
    "зелёный",
    "чёрный",
    "пшеничная",
    "высший сорт",
    "домашний",
    "степной",
    "органический",
)
PLACES = ("Алтай", "Жетысу", "Тянь-Шань", "Иссык-Куль", "Ферганы", "Бухары", "Семей", "Тараза")
WEIGHTS = ("250 г", "500 г", "1 кг", "750 мл", "1 л", "2 кг", "100 г")
HIGHLIGHTS = ("Без сахара", "Собран вручную", "Урожай этого года", "Без консервантов", "В стеклянной банке")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(GOODS)} {rng.choice(KINDS)} «{rng.choice(PLACES)}» {rng.choice(WEIGHTS)}"


def _fill(index: MemoryIndex, products: int, seed: int) -> float:
    rng = random.Random(seed)
    started = time.perf_counter()
    batch: list[MemoryEntry] = []
    ids: list[int] = []
    for product_id in range(1, products + 1):
        ids.append(product_id)
        fields = [
            ("name", _name(rng)),
            ("highlights.0", rng.choice(HIGHLIGHTS)),
            ("highlights.1", rng.choice(WEIGHTS)),
        ]
        for locale in TARGETS:
            batch += [
                MemoryEntry(product_id, f, "ru", locale, text, f"{locale}: {text}") for f, text in fields
            ]
        if len(ids) == 1000:
            index.replace_products(ids, batch)
            ids, batch = [], []
    index.replace_products(ids, batch)
    return time.perf_counter() - started


def _times(run: list[tuple[float, float]]) -> list[str]:
    wall = [w * 1000 for w, _ in run]
    cpu = [c * 1000 for _, c in run]
    return [
        f"{percentile(wall, 0.5):.2f}",
        f"{percentile(wall, 0.95):.2f}",
        f"{max(wall):.1f}",
        f"{percentile(cpu, 0.95):.2f}",
    ]


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--parts", default="checks,fit,memory", help="comma-separated: checks, fit, memory")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    if "checks" in parts:
        _bench_checks(args.queries)
    if "fit" in parts:
        _bench_fit(args.queries)
    if "memory" in parts:
        _bench_memory(args.products, args.queries)


KAZAKH_WORDS = (
    "тау",
    "балы",
    "шығыс",
    "қазақстан",
    "табиғи",
    "таза",
    "ақ",
    "шыны",
    "құмырада",
    "грамм",
    "жабайы",
    "гүлдерден",
    "жиналған",
    "алтайдың",
    "биік",
    "жайылымдарындағы",
    "қантсыз",
)


def _bench_fit(queries: int) -> None:
    """The fit of a draft name, or of three highlights, in both layouts; a new text each time."""
    rng = random.Random(5)
    media.overflow("Тау балы", (), "portrait")  # fonts loaded once per process, as in a worker

    def words(count: int) -> str:
        return " ".join(rng.choice(KAZAKH_WORDS) for _ in range(count)) + f" {rng.randrange(10_000)} г"

    drafts = {
        "name, short": lambda: Draft(words(3)),
        "name, long (overflows)": lambda: Draft(words(16)),
        "three highlights": lambda: Draft("Тау балы", tuple(words(6) for _ in range(3))),
    }
    rows = []
    for label, make in drafts.items():
        texts = [make() for _ in range(queries)]
        run = [_timed(partial(draft_fit, draft)) for draft in texts]
        rows.append([label, queries, *_times(run)])
    table(
        "Fit on the on-air card, one draft field, both layouts (ms)",
        ["field", "n", "p50", "p95", "max", "cpu p95"],
        rows,
    )


def _bench_checks(queries: int) -> None:
    """The quality checks of one field."""

    glossary = (GlossaryTerm("мёд", "бал"), GlossaryTerm("Алтай", None), GlossaryTerm("чай", "шай"))
    context = CheckContext("ru", "kk", glossary, kazakh_dictionary({"қазақ", "бал", "тау", "шай", "таза"}))
    description = "Горный мёд «Алтай», 500 г, собран вручную (без сахара). " * 8
    fields = {
        "name": ("Мёд горный «Алтай» 500 г", 'Тау бaлы "Алтай" 0,5 кг'),
        "highlight": ("Объём 750 мл", "Көлемі 0,75 л"),
        "description (450 chars)": (description, description.replace("Горный мёд", "Казак балы")),
    }
    rows = []
    for label, (source, target) in fields.items():
        run = [_timed(partial(check_field, source, target, context)) for _ in range(queries)]
        rows.append([label, queries, *_times(run)])
    table("Quality checks of one field (ms)", ["field", "n", "p50", "p95", "max", "cpu p95"], rows)


def _bench_memory(products: int, queries: int) -> None:
    """Suggestions for one field from a memory of *products* × four locales."""
    rng = random.Random(7)
    index = MemoryIndex()
    seconds = _fill(index, products, seed=11)
    entries = index.size()
    print(
        f"\nMemory: {products:,} products × {len(TARGETS)} locales = {entries:,} entries in {seconds:.1f} s"
    )

    def suggest(text: str, locale: str) -> None:
        found = index.candidates(text, "ru", locale, None, 24)
        rank_matches(text, [(e.source, e.target) for e in found], 3)

    rows = []
    makers: tuple[tuple[str, Callable[[], str]], ...] = (
        ("name", partial(_name, rng)),
        ("highlight", partial(rng.choice, HIGHLIGHTS)),
    )
    for label, make in makers:
        asked = [(make(), rng.choice(TARGETS)) for _ in range(queries)]
        run = [_timed(partial(suggest, text, locale)) for text, locale in asked]
        rows.append([label, queries, *_times(run)])
    table(
        f"Suggestions for one field, {entries:,} entries (ms)",
        ["field", "n", "p50", "p95", "max", "cpu p95"],
        rows,
    )


if __name__ == "__main__":
    main()
