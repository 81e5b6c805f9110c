"""The key: each symbol and line the picture uses, and what it means."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from reunify.documents.genogram.households import rounded
from reunify.documents.genogram.items import HOUSEHOLD_COLOUR
from reunify.documents.genogram.items import KEY_SIZE
from reunify.documents.genogram.items import LEADING
from reunify.documents.genogram.items import OUTLINE
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import Dash
from reunify.documents.genogram.items import Item
from reunify.documents.genogram.items import Shape
from reunify.documents.genogram.items import ShapeKind
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.items import Text
from reunify.documents.genogram.lines import slashes
from reunify.documents.genogram.lines import tie_items
from reunify.documents.genogram.text import text_width


@dataclass
class Key:
    used: dict[str, bool] = field(default_factory=dict)
    children: int = 1  # the children marked: every child of a sibling group

    def mark(self, *names: str) -> None:
        for name in names:
            self.used[name] = True

    def entries(self) -> list[tuple[str, str]]:
        return [(name, "The children" if name == "child" and self.children > 1 else text)
                for name, text in KEY_ORDER if self.used.get(name)]


KEY_ORDER: tuple[tuple[str, str], ...] = (
    ("male", "Male"), ("female", "Female"), ("unknown", "Sex not known"),
    ("child", "The child"), ("deceased", "Died (years of life)"),
    ("married", "Married"), ("cohabiting", "Living together"),
    ("separated", "Separated"), ("divorced", "Divorced"),
    ("parents", "Parents, no couple recorded"),
    ("birth", "Birth child"), ("adopted", "Adopted or fostered child"), ("step", "Stepchild"),
    ("household", "Household"),
    ("close", "Close"), ("conflict", "Conflict"), ("cut_off", "Cut off"),
)


def key_icon(name: str, x: float, y: float, shapes: dict[str, ShapeKind]) -> list[Item]:
    """The key's picture for `name`, in a 44 by 24 box whose middle left is (x, y)."""
    cx = x + 22
    small = 20.0
    if name in ("male", "female", "unknown"):
        kind: ShapeKind = {"male": "square", "female": "circle", "unknown": "diamond"}[name]  # type: ignore[assignment]
        return [Shape(kind, cx, y, small, f"key-symbol {name}")]
    if name == "child":
        kind = shapes.get("child", "square")
        return [Shape(kind, cx, y, small, "key-symbol child"),
                Shape(kind, cx, y, small + 2 * OUTLINE - 2, "key-symbol outline", width=1.2, filled=False)]
    if name == "deceased":
        kind = shapes.get("deceased", "square")
        r = small / 2 * (0.72 if kind == "circle" else 0.5 if kind == "diamond" else 1.0)
        return [Shape(kind, cx, y, small, "key-symbol deceased"),
                Stroke(((cx - r, y - r), (cx + r, y + r)), "key-cross"),
                Stroke(((cx - r, y + r), (cx + r, y - r)), "key-cross")]
    if name in ("married", "cohabiting", "separated", "divorced", "parents"):
        dash: Dash = "dashed" if name == "cohabiting" else "dotted" if name == "parents" else "solid"
        items: list[Item] = [Stroke(((x + 2, y), (x + 42, y)), f"key-couple {name}", dash=dash)]
        if name in ("separated", "divorced"):
            items += slashes(cx, y, 1 if name == "separated" else 2)
        return items
    if name in ("birth", "adopted", "step"):
        dash = {"birth": "solid", "adopted": "dashed", "step": "dotted"}[name]  # type: ignore[assignment]
        return [Stroke(((cx, y - 11), (cx, y + 11)), f"key-child {name}", dash=dash)]
    if name == "household":
        return [Stroke(tuple(rounded([(x + 4, y - 10), (x + 40, y - 10), (x + 40, y + 10), (x + 4, y + 10)], 6)),
                       "key-household", dash="dashed", colour=HOUSEHOLD_COLOUR, width=1.3, closed=True)]
    return tie_items(name, [(x + 2, y), (x + 42, y)])


@dataclass(frozen=True)
class KeyShape:
    """How the key is set out: its columns, and the room it takes."""

    columns: int
    cell: float  # the width of one column
    step: float  # from one entry's row to the next
    head: float  # the heading's height, with the gap under it
    size: float  # the text size

    def width(self) -> float:
        return self.columns * self.cell - 20

    def height(self, entries: int) -> float:
        rows = (entries + self.columns - 1) // self.columns
        return self.head + (rows - 1) * self.step + 14


def key_shape(key: Key, columns: int, scale: float = 1.0) -> KeyShape:
    size = KEY_SIZE * scale
    entries = key.entries()
    cell = max(44 + 8 + text_width(text, size) + 20 for _, text in entries)
    return KeyShape(max(1, min(columns, len(entries))), cell, max(28.0, size * LEADING + 12),
                    (size + 1) * LEADING + 16, size)


def key_items(key: Key, shape: KeyShape, left: float, top: float, shapes: dict[str, ShapeKind],
              labels: list[Box]) -> tuple[list[Item], float]:
    """The key set out in `shape` from (left, top); its items, and where it ends below."""
    size = shape.size
    items: list[Item] = [Text(left, top + size + 1, "Key", size + 1, "key-title", anchor="start")]
    labels.append(Box(left, top, left + text_width("Key", size + 1), top + (size + 1) * LEADING))
    y0 = top + shape.head
    entries = key.entries()
    for i, (name, text) in enumerate(entries):
        x = left + (i % shape.columns) * shape.cell
        y = y0 + (i // shape.columns) * shape.step
        items += [replace(icon, cls=f"key-icon key-{name}") for icon in key_icon(name, x, y, shapes)]
        items.append(Text(x + 52, y + size * 0.35, text, size, "key-text", anchor="start"))
        labels.append(Box(x + 52, y - size * 0.6, x + 52 + text_width(text, size), y + size * 0.6))
    return items, top + shape.height(len(entries))
