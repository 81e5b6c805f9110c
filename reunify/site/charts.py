"""Small charts drawn as inline SVG from data: the risk level over time, and bars.

Each chart is an image with a title and a description (`role="img"`), and the page
shows the same figures in a table beside it; text in a chart is escaped here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from markupsafe import Markup

LEVELS = ("low", "medium", "high", "severe")  # bottom to top
SHAPES = {"low": "●", "medium": "◆", "high": "▲", "severe": "■", "none": "○"}

WIDTH = 720
ROW = 34
LEFT = 96
RIGHT = 16
TOP = 14


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"'
            f'{f" class={chr(34)}{css}{chr(34)}" if css else ""}>{escape(text)}</text>')


def _marker(level: str, x: float, y: float) -> str:
    """The level's shape, drawn (not a font glyph), so that it reads without colour."""
    css = f'class="mark risk-{level}"'
    if level == "low":
        return f'<circle {css} cx="{x:.1f}" cy="{y:.1f}" r="6"/>'
    if level == "medium":
        return f'<path {css} d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} L{x - 7:.1f} {y:.1f} Z"/>'
    if level == "high":
        return f'<path {css} d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y + 6:.1f} L{x - 7:.1f} {y + 6:.1f} Z"/>'
    return f'<rect {css} x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12"/>'


def risk_chart(points: list[dict[str, Any]], today: dt.date, label: Callable[[str], str]) -> Markup | None:
    """The risk level over time: a step line across the levels, a shape at each
    classification, the first day and today under it; None without a classification."""
    if not points:
        return None
    start: dt.date = points[0]["date"]
    span = max((today - start).days, 1)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(LEVELS) + 40

    def x_of(day: dt.date) -> float:
        return LEFT + plot * (day - start).days / span

    def y_of(level: str) -> float:
        return TOP + ROW * (len(LEVELS) - 1 - LEVELS.index(level)) + ROW / 2

    parts = [f'<svg class="chart risk-chart" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="risk-chart-title risk-chart-desc">',
             '<title id="risk-chart-title">Risk level over time</title>',
             '<desc id="risk-chart-desc">' + escape(_describe(points, today, label)) + "</desc>"]
    for level in LEVELS:
        y = y_of(level)
        parts.append(f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>')
        parts.append(_text(LEFT - 10, y + 4, label(level), "end"))
    path = []
    for number, point in enumerate(points):
        end = points[number + 1]["date"] if number + 1 < len(points) else today
        y = y_of(point["level"])
        path.append(f'{"M" if not number else "L"}{x_of(point["date"]):.1f} {y:.1f} H{x_of(end):.1f}')
    parts.append(f'<path class="line" d="{" ".join(path)}"/>')
    parts += [_marker(point["level"], x_of(point["date"]), y_of(point["level"])) for point in points]
    base = TOP + ROW * len(LEVELS)
    parts.append(f'<line class="axis" x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}"/>')
    parts.append(_text(LEFT, base + 20, start.isoformat()))
    parts.append(_text(WIDTH - RIGHT, base + 20, f"{today.isoformat()} (as of)", "end"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _describe(points: list[dict[str, Any]], today: dt.date, label: Callable[[str], str]) -> str:
    steps = [f"{label(p['level'])} from {p['date'].isoformat()}" for p in points]
    return "Risk level " + "; then ".join(steps) + f"; up to {today.isoformat()}."


def bar_chart(key: str, title: str, bars: list[tuple[str, int]], of: int | None = None) -> Markup:
    """Horizontal bars, each with its label and figure written beside it; `of`: the
    whole the bars are parts of (else the largest bar is the whole width)."""
    whole = max([of or 0, *(value for _, value in bars), 1])
    label_width = 300
    plot = WIDTH - label_width - 80
    height = TOP + ROW * max(len(bars), 1) + 8
    described = "; ".join(f"{name}: {value}" for name, value in bars) or "nothing to show yet"
    parts = [f'<svg class="chart bar-chart" viewBox="0 0 {WIDTH} {height}" '
             f'role="img" aria-labelledby="chart-{key}-title chart-{key}-desc">',
             f'<title id="chart-{key}-title">{escape(title)}</title>',
             f'<desc id="chart-{key}-desc">{escape(described)}</desc>']
    for number, (name, value) in enumerate(bars):
        y = TOP + ROW * number
        width = plot * value / whole
        parts.append(_text(label_width - 10, y + ROW / 2 + 4, name, "end"))
        parts.append(f'<rect class="bar-back" x="{label_width}" y="{y + 6}" width="{plot}" height="{ROW - 12}"/>')
        parts.append(f'<rect class="bar" x="{label_width}" y="{y + 6}" width="{width:.1f}" height="{ROW - 12}"/>')
        parts.append(_text(label_width + plot + 8, y + ROW / 2 + 4, f"{value}" + (f" of {of}" if of else ""),
                           css="figure"))
    if not bars:
        parts.append(_text(label_width, TOP + ROW / 2, "Nothing to show yet"))
    parts.append("</svg>")
    return Markup("".join(parts))
