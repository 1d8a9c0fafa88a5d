"""Charts as inline SVG, drawn server-side by matplotlib (Agg, no JavaScript), with a data table for each.

matplotlib writes its styling as `style` attributes and a <style> element, which the pages'
Content-Security-Policy (no inline styles) would drop; `_clean` turns them into SVG presentation
attributes, which the policy allows. It also keeps only SVG drawing elements, gives the chart its
accessible title and description, and makes its ids unique on the page. Labels are escaped as XML text.
"""
from __future__ import annotations

import functools
import io
import re
import threading
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Sequence, Tuple

import matplotlib

matplotlib.use("Agg")

from markupsafe import Markup  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.review.stats import Period  # noqa: E402

BLUE, ORANGE, GREY, INK = "#1d4f91", "#b35c00", "#6b6b6b", "#1b1b1b"
FONTS = "'DejaVu Sans', Arial, sans-serif"
MAX_LABEL = 38
_RC = {
    "svg.fonttype": "none",  # real text: selectable, read by screen readers, small
    "svg.hashsalt": "review",  # the same chart is the same SVG
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.edgecolor": GREY,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ELEMENTS = {"svg", "g", "defs", "clipPath", "path", "use", "rect", "line", "polyline", "polygon", "circle",
             "ellipse", "text", "tspan", "title", "desc"}
_ATTRIBUTES = {"d", "x", "y", "width", "height", "viewBox", "transform", "clip-path", "href", "id", "version",
               "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
               "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity",
               "font-size", "font-family", "font-style", "font-weight", "text-anchor", "x1", "x2", "y1", "y2",
               "points", "cx", "cy", "r", "rx", "ry", "clip-rule", "dominant-baseline"}
_lock = threading.RLock()  # matplotlib's settings are global: one chart at a time


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: Markup  # built here from numbers and escaped labels only
    headers: Tuple[str, ...]
    rows: Tuple[Tuple[str, ...], ...]  # the figures, for the table under the chart


def _drawn(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    """Draws with the dashboard's matplotlib settings, one chart at a time."""

    @functools.wraps(draw)
    def drawing(*args: Any, **kwargs: Any) -> Chart:
        with _lock, matplotlib.rc_context(_RC), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a glyph missing from the font
            return draw(*args, **kwargs)

    return drawing


@_drawn
def per_day(chart_id: str, days: Sequence[Period], title: str = "Queries per day") -> Chart:
    total = sum(day.total for day in days)
    busiest = max(days, key=lambda day: day.total, default=None)
    description = f"{total} queries over {len(days)} days"
    if busiest and busiest.total:
        description += f"; the busiest day was {busiest.start:%-d %b %Y} with {busiest.total}"
    figure, axes = _figure(7.5, 2.8)
    x = [day.start for day in days]
    axes.fill_between(x, [day.total for day in days], color=BLUE, alpha=0.15, linewidth=0)
    axes.plot(x, [day.total for day in days], color=BLUE, linewidth=1.8, label="all queries")
    axes.plot(x, [day.fell_back for day in days], color=ORANGE, linewidth=1.5, linestyle="--",
              label="not understood")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(axes)
    locator = AutoDateLocator(maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    rows = tuple((f"{day.start:%a %-d %b %Y}", str(day.total), str(day.fell_back)) for day in days)
    return _chart(chart_id, title, description + ".", figure, ("Day", "Queries", "Not understood"), rows)


@_drawn
def per_week(chart_id: str, weeks: Sequence[Period], title: str = "Queries per week") -> Chart:
    labels = [f"{week.start:%-d %b}" for week in weeks]
    answered = [week.total - week.fell_back for week in weeks]
    figure, axes = _figure(7.5, 2.8)
    positions = range(len(weeks))
    axes.bar(positions, answered, color=BLUE, label="answered")
    axes.bar(positions, [week.fell_back for week in weeks], bottom=answered, color=ORANGE, label="not understood")
    axes.set_xticks(list(positions))
    axes.set_xticklabels(labels, rotation=45 if len(weeks) > 8 else 0, ha="right" if len(weeks) > 8 else "center")
    if len(weeks) > 26:
        for index, label in enumerate(axes.get_xticklabels()):
            label.set_visible(index % 4 == 0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(axes)
    description = "Weeks run Monday to Sunday and are labelled with their Monday; " + (
        "; ".join(f"week of {label}: {week.total}" for label, week in zip(labels[:6], weeks[:6], strict=True))
        + ("…" if len(weeks) > 6 else "")
    )
    rows = tuple((f"{week.start:%-d %b %Y}", str(week.total), str(week.fell_back)) for week in weeks)
    return _chart(chart_id, title, description, figure, ("Week beginning", "Queries", "Not understood"), rows)


@_drawn
def bars(chart_id: str, title: str, items: Sequence[Tuple[str, int]], unit: str = "queries") -> Chart:
    """Horizontal bars, biggest at the top."""
    items = list(items)
    figure, axes = _figure(7.5, 0.9 + 0.32 * max(len(items), 1))
    labels = [_short(label) for label, _ in items][::-1]
    values = [value for _, value in items][::-1]
    axes.barh(range(len(items)), values, color=BLUE, height=0.7)
    axes.set_yticks(list(range(len(items))))
    axes.set_yticklabels(labels)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, value in enumerate(values):
        axes.annotate(str(value), (value, position), xytext=(3, 0), textcoords="offset points", va="center",
                      color=INK)
    axes.margins(x=0.12)
    description = "; ".join(f"{label}: {value} {unit}" for label, value in items[:10]) or f"No {unit}"
    rows = tuple((label, str(value)) for label, value in items)
    return _chart(chart_id, title, description + ".", figure, ("", unit.capitalize()), rows)


@_drawn
def percentages(chart_id: str, title: str, items: Sequence[Tuple[str, float, int, int]]) -> Chart:
    """Horizontal bars on a 0–100% scale, first item at the top: (label, percent, count, out of)."""
    items = list(items)
    figure, axes = _figure(7.5, 0.9 + 0.32 * max(len(items), 1))
    labels = [_short(label) for label, *_ in items][::-1]
    values = [value for _, value, *_ in items][::-1]
    axes.barh(range(len(items)), values, color=BLUE, height=0.7)
    axes.set_yticks(list(range(len(items))))
    axes.set_yticklabels(labels)
    axes.set_xlim(0, 112)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
    for position, value in enumerate(values):
        axes.annotate(f"{value:g}%", (value, position), xytext=(3, 0), textcoords="offset points", va="center",
                      color=INK)
    description = "; ".join(f"{label}: {value:g}% of {total}" for label, value, _, total in items[:10]) or "No answers"
    rows = tuple((label, f"{value:g}%", str(count), str(total)) for label, value, count, total in items)
    return _chart(chart_id, title, description + ".", figure, ("", "Correct", "Answered correctly", "Answering"),
                  rows)


@_drawn
def helpfulness(chart_id: str, helpful: int, unhelpful: int, no_feedback: int) -> Chart:
    items = [("Helpful", helpful), ("Not helpful", unhelpful), ("No feedback", no_feedback)]
    figure, axes = _figure(7.5, 1.6)
    colours = [BLUE, ORANGE, "#c9c9c9"]
    axes.barh(range(3), [value for _, value in items][::-1], color=colours[::-1], height=0.7)
    axes.set_yticks([0, 1, 2])
    axes.set_yticklabels([label for label, _ in items][::-1])
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for position, (_, value) in enumerate(items[::-1]):
        axes.annotate(str(value), (value, position), xytext=(3, 0), textcoords="offset points", va="center",
                      color=INK)
    axes.margins(x=0.12)
    description = "; ".join(f"{label}: {value}" for label, value in items) + "."
    return _chart(chart_id, "Feedback on answers", description, figure, ("Feedback", "Answers"),
                  tuple((label, str(value)) for label, value in items))


def _legend(axes: Any) -> None:
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=2, borderaxespad=0.2)


def _figure(width: float, height: float) -> Tuple[Figure, Any]:
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    axes.grid(axis="both", color="#e3e3e3", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _chart(chart_id: str, title: str, description: str, figure: Figure, headers: Tuple[str, ...],
           rows: Tuple[Tuple[str, ...], ...]) -> Chart:
    if not re.fullmatch(r"[a-z][a-z0-9-]*", chart_id):
        raise ValueError(f"chart id {chart_id!r}: lower-case letters, digits and hyphens")
    for text in figure.findobj(Text):
        text.set_parse_math(False)  # a "$" in a label is a dollar, not mathematics
    buffer = io.StringIO()
    figure.tight_layout()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    svg = _clean(buffer.getvalue(), chart_id, title, description)
    return Chart(chart_id, title, description, Markup(svg), headers, rows)


def _clean(svg: str, chart_id: str, title: str, description: str) -> str:
    root = ET.fromstring(svg)  # expat: no external entities or DTDs are fetched
    _strip(root)
    renamed: Dict[str, str] = {}
    for element in root.iter():
        for reference in _references(element):
            renamed.setdefault(reference, f"{chart_id}-{len(renamed) + 1}")
    for element in root.iter():
        _attributes(element, renamed)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.attrib.update({"role": "img", "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
                        "stroke-linejoin": "round", "stroke-linecap": "butt", "class": "chart-svg"})
    title_element, desc_element = ET.Element("title", id=f"{chart_id}-title"), ET.Element("desc",
                                                                                            id=f"{chart_id}-desc")
    title_element.text, desc_element.text = title, description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _strip(parent: ET.Element) -> None:
    """Namespaces off (inline SVG in HTML needs none), and only drawing elements kept."""
    parent.tag = parent.tag.removeprefix(_SVG)
    for child in list(parent):
        if not isinstance(child.tag, str) or child.tag.removeprefix(_SVG) not in _ELEMENTS:
            parent.remove(child)
        else:
            _strip(child)


def _references(element: ET.Element) -> List[str]:
    found = re.findall(r"url\(#([^)]+)\)", element.get("clip-path", ""))
    href = element.get(_XLINK_HREF) or element.get("href") or ""
    if href.startswith("#"):
        found.append(href[1:])
    return found


def _attributes(element: ET.Element, renamed: Dict[str, str]) -> None:
    attributes = dict(element.attrib)
    style = attributes.pop("style", "")
    if _XLINK_HREF in attributes:
        attributes["href"] = attributes.pop(_XLINK_HREF)
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name == "font":
            attributes.update(_font(value))
        elif name:
            attributes[name] = value
    if "font-family" in attributes:
        attributes["font-family"] = FONTS
    cleaned: Dict[str, str] = {}
    for name, value in attributes.items():
        if name not in _ATTRIBUTES:
            continue
        if name == "id":
            if value in renamed:
                cleaned["id"] = renamed[value]
            continue
        if name == "href":
            if not value.startswith("#") or value[1:] not in renamed:
                continue
            value = "#" + renamed[value[1:]]
        if name == "clip-path":
            value = re.sub(r"url\(#([^)]+)\)", lambda match: f"url(#{renamed.get(match[1], 'none')})", value)
        cleaned[name] = value
    element.attrib.clear()
    element.attrib.update(cleaned)


def _font(value: str) -> Dict[str, str]:
    """matplotlib's CSS `font` shorthand, e.g. "oblique 10px 'DejaVu Sans'", as presentation attributes."""
    attributes = {"font-family": FONTS}
    for part in value.replace("'", " ").split():
        if part.endswith("px"):
            attributes["font-size"] = part
        elif part in ("italic", "oblique"):
            attributes["font-style"] = part
        elif part in ("bold", "bolder", "600", "700", "800", "900"):
            attributes["font-weight"] = part
    return attributes


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
