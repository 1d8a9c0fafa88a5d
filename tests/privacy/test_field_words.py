from __future__ import annotations

from bot.privacy.field_words import field_words


def test_the_vocabulary_is_listed_in_the_spellings_people_type() -> None:
    vocabulary = field_words().vocabulary
    for spelling in ("self-harm", "self harm", "selfharm", "cp plans", "section 47s", "ehcps", "allergies"):
        assert spelling in vocabulary


def test_a_plural_that_is_a_name_is_not_listed() -> None:
    assert "brook" in field_words().vocabulary
    assert "brooks" not in field_words().vocabulary


def test_places_and_brands_are_not_vocabulary() -> None:
    words = field_words()
    for word in ("chelsea", "armani", "wigan"):
        assert word in words
        assert word not in words.vocabulary
