"""Scoring remembered sources against the text being translated."""

from __future__ import annotations

from translations.memory_match import rank_matches
from translations.memory_match import similarity


def test_similarity_counts_shared_words() -> None:
    assert similarity("Мёд горный 500 г", "Мёд горный 500 г") == 100
    assert similarity("Мёд горный 500 г", "Мёд горный 250 г") == 75
    assert similarity("Мёд горный", "Чай зелёный") == 0


def test_identical_sources_come_first_then_by_score() -> None:
    remembered = [
        ("Мёд горный 250 г", "Тау балы 250 г"),
        ("Мёд горный 500 г", "Тау балы 500 г"),
        ("Чай зелёный", "Жасыл шай"),
        ("Мёд горный липовый 500 г", "Тау жөке балы 500 г"),
    ]
    ranked = rank_matches("Мёд горный 500 г", remembered, 3)
    assert [(m.target, m.score, m.identical) for m in ranked] == [
        ("Тау балы 500 г", 100, True),
        ("Тау жөке балы 500 г", 89, False),
        ("Тау балы 250 г", 75, False),
    ]
    assert ranked[0].diff == ()
    assert ranked[2].diff == (("equal", "Мёд горный "), ("delete", "250"), ("insert", "500"), ("equal", " г"))


def test_a_translation_is_offered_once_with_its_best_source() -> None:
    ranked = rank_matches("Мёд 500 г", [("Мёд 250 г", "Бал"), ("Мёд 500 г", "Бал")], 5)
    assert [(m.target, m.identical) for m in ranked] == [("Бал", True)]
