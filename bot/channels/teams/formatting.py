"""The assistant's answers in the Markdown that Teams renders.

Answers put one line per sentence or list item, separated by single newlines. Teams joins lines
that a single newline separates, except inside a list, so every other line break is doubled.
"""
from __future__ import annotations

import re

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def teams_markdown(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    previous: str | None = None
    for line in lines:
        if not line.strip():
            continue
        if previous is not None:
            in_list = bool(_LIST_ITEM.match(previous) and _LIST_ITEM.match(line))
            out.append("\n" if in_list else "\n\n")
        out.append(line)
        previous = line
    return "".join(out)
