"""A quiz answer typed instead of pressed: "b", "B.", "answer c", "the second one", "first", "option 3".

The message must be only the choice, with at most a few framing words ("I think it's", "option", "please"):
"b" answers, "b and c" or "plan b for the weekend" do not. A number or an ordinal counts the answers in the
order shown, so "option 3" and "the third one" are C.
"""
from __future__ import annotations

import re
from typing import Sequence

ORDINALS = {
    "first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
    "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5,
}
# Words that may frame a choice without changing it.
FRAMING = frozenset("""
i i'd id i'll ill i'm im think say go going with choose pick guess it it's its is the my answer option
choice letter number please pls then ok okay so um erm hmm final one
""".split())
WORD = re.compile(r"[a-z0-9']+")
LONGEST = 8  # words: anything longer is a sentence, not a choice


def typed_choice(text: str, letters: Sequence[str]) -> str | None:
    """The letter of `letters` (the question's choices, in order) that `text` chooses, else None."""
    words = WORD.findall((text or "").lower().replace("’", "'"))
    if not words or len(words) > LONGEST:
        return None
    chosen = [word for word in words if word not in FRAMING]
    if not chosen and "one" in words:  # "one", "option one": the first
        chosen = ["one"]
    if len(chosen) != 1:
        return None
    word = chosen[0]
    if len(word) == 1 and word.isalpha():
        return word if word in letters else None
    if word == "last":
        return letters[-1] if letters else None
    position = int(word) if word.isdigit() else ORDINALS.get(word)
    if position is None or not 1 <= position <= len(letters):
        return None
    return letters[position - 1]
