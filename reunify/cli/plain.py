"""Text exactly as rich draws it where rich draws no style: output piped to a file or to
another program, 80 columns wide. Importing rich's console costs a read-only command
about a tenth of its start-up; this draws the common case without it.

It draws only what it can draw to the byte: console markup of plain styles, text of
characters one cell wide, the lists `console.bullets` makes and the tables `console.rows`
makes (rich's column widths: measured, the widest narrowed first, then all evenly). For
anything else (an emoji code, a character of another width, a style with parameters) it
answers None and the console asks rich. tests/test_startup.py holds each to rich's output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

# rich.markup.RE_TAGS: a tag, with the backslashes that may escape it.
_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
# rich._emoji_replace's emoji code (":smile:", ":+1-text:"); rich replaces the names it
# knows, each with a letter in it but for these (the tests hold this to rich's table).
_EMOJI = re.compile(r"(:(\S*?)(?:(?:\-)(emoji|text))?:)")
_EMOJI_WITHOUT_LETTERS = frozenset({"100", "1234", "+1", "-1", "__1"})
# rich._wrap.re_word: a word and the spaces around it.
_WORD = re.compile(r"\s*\S+\s*")
# Characters rich counts one cell wide (each is checked against rich.cells in the tests),
# with no whitespace but the space and the line break: such text is measured by len().
# A table that deletes them (str.translate): text is one cell a character when nothing is left.
_ONE_CELL = dict.fromkeys((0x0A, *range(0x20, 0x7F), *range(0xA1, 0xAD), *range(0xAE, 0x250), *range(0x2010, 0x2028),
                           *range(0x2030, 0x205F), *range(0x2190, 0x2200), *range(0x2500, 0x2580)))
# Styles whose tags only style: a tag of other words (a link, a click handler) is rich's.
_STYLES = frozenset({"bold", "dim", "italic", "underline", "red", "green", "yellow", "blue", "magenta",
                     "cyan", "white"})


def _may_be_emoji(text: str) -> bool:
    """Whether rich might put an emoji in `text` (a piece of markup between tags)."""
    for match in _EMOJI.finditer(text):
        name = match.group(2).lower()
        if name in _EMOJI_WITHOUT_LETTERS or any(c.isalpha() for c in name):
            return True
    return False


def markup_text(markup: str) -> str | None:
    """The text rich shows for console `markup` (rich.markup.render, without the styles),
    or None when only rich can say."""
    pieces: list[str] = []
    if "[" not in markup:
        text = markup
        pieces.append(markup)
    else:
        opened = 0
        position = 0
        for match in _TAG.finditer(markup):
            whole, escapes, tag = match.groups()
            start, end = match.span()
            if start > position:
                pieces.append(markup[position:start].replace("\\[", "["))
            position = end
            if escapes:
                backslashes, escaped = divmod(len(escapes), 2)
                pieces.append("\\" * backslashes)
                if escaped:
                    pieces.append(whole[len(escapes):])
                    continue
            if tag == "/":
                if not opened:
                    return None  # rich raises MarkupError
                opened -= 1
            elif "=" in tag or not tag.split() or any(word not in _STYLES for word in tag.split()):
                return None
            else:
                opened += 1
        if position < len(markup):
            pieces.append(markup[position:].replace("\\[", "["))
        text = "".join(pieces)
    if any(_may_be_emoji(piece) for piece in pieces):  # rich replaces codes piece by piece
        return None
    return None if text.translate(_ONE_CELL) else text


def wrap(line: str, width: int) -> list[str]:
    """One line of one-cell text in lines of at most `width`, where rich breaks it
    (rich._wrap.divide_line, folding a word longer than a line)."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            chunks = [word[index:index + width] for index in range(0, len(word), width)]
            for number, chunk in enumerate(chunks, 1):
                if start:
                    breaks.append(start)
                if number == len(chunks):
                    offset = len(chunk)
                else:
                    start += len(chunk)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(line)]
    return [line[first:last] for first, last in pairwise(bounds)]


def text_lines(markup: str, width: int, soft_wrap: bool) -> list[str] | None:
    """`Console.print(markup)`'s lines (their trailing spaces aside), or None."""
    text = markup_text(markup)
    if text is None:
        return None
    if soft_wrap:
        return text.split("\n")
    return [piece for line in text.split("\n") for piece in wrap(line, width)]


def bullet_lines(items: Sequence[str], indent: int, width: int) -> list[str] | None:
    """The lines of `console.bullets(items, indent)` (a grid: the indent, "-", the item
    wrapped in what is left of the width), or None."""
    texts = [markup_text(item) for item in items]
    if any(text is None for text in texts):
        return None
    room = width - indent - 2
    if room < 1:
        return None
    lines = []
    for text in texts:
        assert text is not None
        wrapped = [piece for line in text.split("\n") for piece in wrap(line, room)]
        lines.append(" " * indent + "- " + wrapped[0])
        lines.extend(" " * (indent + 2) + piece for piece in wrapped[1:])
    return lines


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce: `total` taken from `values` in proportion to `ratios`."""
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            taken = min(most, round(ratio * remaining / total_ratio))
            result.append(value - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapsed(widths: list[int], room: int) -> list[int]:
    """rich's Table._collapse_widths with every column wrapping: the widest made narrower
    until the table fits, or no narrower can be made."""
    excess = sum(widths) - room
    while sum(widths) and excess > 0:
        widest = max(widths)
        next_widest = max((width for width in widths if width != widest), default=0)
        if not widest - next_widest:
            break
        ratios = [1 if width == widest else 0 for width in widths]
        widths = _ratio_reduce(excess, ratios, [min(excess, widest - next_widest)] * len(widths), widths)
        excess = sum(widths) - room
    return widths


def table_lines(header: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> list[str] | None:
    """The lines of `console.rows(*header)` with `rows` (rich's Table with a header, no
    box, two spaces between columns, every column folding), or None."""
    texts = [[markup_text(cell) for cell in row] for row in (header, *rows)]
    if not header or any(len(row) != len(header) for row in texts):
        return None
    cells: list[list[str]] = []
    for found in texts:
        if any(text is None for text in found):
            return None
        cells.append([text or "" for text in found])
    pads = [2] * (len(header) - 1) + [0]  # no padding at the right edge

    def widest(column: int, room: int) -> int:
        """The column's measured maximum within `room` (cells padded on their right)."""
        longest = max(max((len(line) for line in row[column].splitlines()), default=0) for row in cells)
        return min(longest + pads[column], room)

    if width <= sum(pads):
        return None
    widths = [widest(column, width) or 1 for column in range(len(header))]
    if sum(widths) > width:
        widths = _collapsed(widths, width)
        if sum(widths) > width:
            widths = _ratio_reduce(sum(widths) - width, [1] * len(widths), widths, widths)
        widths = [widest(column, room) for column, room in enumerate(widths)]
    if any(room - pad < 1 for room, pad in zip(widths, pads, strict=True)):
        return None
    lines: list[str] = []
    for number, row in enumerate(cells):
        drawn = [[piece[:room - pad].ljust(room) for line in text.split("\n") for piece in wrap(line, room - pad)]
                 for text, room, pad in zip(row, widths, pads, strict=True)]
        height = max(len(cell) for cell in drawn)
        if not number:  # the header's cells stand on its last line
            drawn = [[" " * room] * (height - len(cell)) + cell for cell, room in zip(drawn, widths, strict=True)]
        lines.extend("".join(cell[line] if line < len(cell) else " " * room
                             for cell, room in zip(drawn, widths, strict=True)) for line in range(height))
    return lines
