"""Server-side SVG charts: escaped, no inline styles for the CSP to drop, accessible, unique ids."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from bot.review import charts
from bot.review.stats import Period, weekly

DAYS = [Period(date(2024, 3, 1) + timedelta(days=n), n % 5, n % 2) for n in range(21)]


def all_charts() -> list:
    return [
        charts.per_day("per-day", DAYS),
        charts.per_week("per-week", weekly(DAYS)),
        charts.bars("topics", "Top topics", [("<script>alert(1)</script>", 7), ("costs $5 & $6", 3)]),
        charts.helpfulness("feedback", 3, 1, 10),
    ]


def test_labels_are_escaped_text_and_dollars_are_not_mathematics() -> None:
    svg = str(charts.bars("topics", "Top <b>topics</b>", [("<script>alert(1)</script>", 7), ("costs $5 & $6", 3)]).svg)
    assert "<script" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<b>" not in svg and "Top &lt;b&gt;topics&lt;/b&gt;" in svg
    root = ET.fromstring(svg)
    assert "costs $5 & $6" in ["".join(text.itertext()) for text in root.iter("text")]


def test_no_inline_styles_scripts_or_outside_references() -> None:
    for chart in all_charts():
        svg = str(chart.svg)
        root = ET.fromstring(svg)
        tags = {element.tag for element in root.iter()}
        assert tags <= {"svg", "g", "defs", "clipPath", "path", "use", "rect", "text", "tspan", "title", "desc",
                        "line", "polyline", "polygon", "circle", "ellipse"}, tags
        for element in root.iter():
            assert "style" not in element.attrib
            assert not any(name.startswith("on") for name in element.attrib)
            assert element.get("href", "#").startswith("#")
        assert "http" not in svg and "<style" not in svg and "<?xml" not in svg and "<!DOCTYPE" not in svg
        # the colours survived as presentation attributes
        assert re.search(r'fill="#1d4f91"', svg), chart.id


def test_accessible_name_description_and_unique_ids() -> None:
    ids: list = []
    for chart in all_charts():
        root = ET.fromstring(str(chart.svg))
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"
        assert root[0].tag == "title" and root[0].text == chart.title
        assert root[1].tag == "desc" and root[1].text == chart.description
        chart_ids = [element.get("id") for element in root.iter() if element.get("id")]
        assert all(value.startswith(chart.id + "-") for value in chart_ids)
        references = re.findall(r'(?:href="#|url\(#)([^")]+)', str(chart.svg))
        assert references and set(references) <= set(chart_ids)
        ids += chart_ids
    assert len(ids) == len(set(ids))


def test_data_tables_hold_the_figures() -> None:
    per_day = charts.per_day("per-day", DAYS)
    assert per_day.headers == ("Day", "Queries", "Not understood")
    assert per_day.rows[0] == ("Fri 1 Mar 2024", "0", "0") and len(per_day.rows) == 21
    assert per_day.description == "40 queries over 21 days; the busiest day was 5 Mar 2024 with 4."
    topics = charts.bars("topics", "Top topics", [("child_missing", 7)])
    assert topics.rows == (("child_missing", "7"),)


def test_the_same_figures_give_the_same_svg() -> None:
    assert charts.per_day("per-day", DAYS).svg == charts.per_day("per-day", DAYS).svg
