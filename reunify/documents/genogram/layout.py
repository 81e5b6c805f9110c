"""The genogram laid out to print.

The family is placed once. It is then drawn at the most natural proportions whose
smallest text prints at 8 pt or more on its landscape page (text larger against the
drawing, relationships in fewer lines, as the page needs), with the key below the drawing
or beside it, whichever lets the whole print larger. When no way of drawing it is large
enough, the one that prints largest is used, and the layout says it does not fit.

Drawn in this order, each over the last: household outlines, relationship lines, couple
and child lines, symbols, then text on white patches, then the key.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from dataclasses import replace

from reunify.documents.genogram.generations import Family
from reunify.documents.genogram.generations import family_of
from reunify.documents.genogram.items import AGE_SIZE
from reunify.documents.genogram.items import COMPACT
from reunify.documents.genogram.items import KEY_SIZE
from reunify.documents.genogram.items import LABEL_WIDTH
from reunify.documents.genogram.items import LARGEST_SCALE
from reunify.documents.genogram.items import MARGIN
from reunify.documents.genogram.items import NOTE_SIZE
from reunify.documents.genogram.items import PAGE_HEIGHT_MM
from reunify.documents.genogram.items import PAGE_WIDTH_MM
from reunify.documents.genogram.items import POINTS_PER_MM
from reunify.documents.genogram.items import SMALLEST_PRINTED_PT
from reunify.documents.genogram.items import Box
from reunify.documents.genogram.items import GenogramLayout
from reunify.documents.genogram.items import Item
from reunify.documents.genogram.items import Stroke
from reunify.documents.genogram.items import Text
from reunify.documents.genogram.key import KeyShape
from reunify.documents.genogram.key import key_items
from reunify.documents.genogram.key import key_shape
from reunify.documents.genogram.lines import tie_items
from reunify.documents.genogram.paths import FAMILY_LINE
from reunify.documents.genogram.paths import HOUSEHOLD_LINE
from reunify.documents.genogram.paths import obstacles
from reunify.documents.genogram.paths import soft_lines
from reunify.documents.genogram.paths import tie_path
from reunify.documents.genogram.paths import untangle
from reunify.documents.genogram.placement import Positions
from reunify.documents.genogram.placement import Sibship
from reunify.documents.genogram.placement import positions
from reunify.documents.genogram.placement import sibships_of
from reunify.documents.genogram.routing import Line
from reunify.documents.genogram.scene import Scene
from reunify.documents.genogram.scene import ages_on
from reunify.documents.genogram.text import age_label
from reunify.documents.genogram.text import text_width
from reunify.documents.genogram.text import wrap
from reunify.documents.genogram.together import keep_households_together
from reunify.records import Case
from reunify.records import models as m


@dataclass(frozen=True)
class _Frame:
    """The picture's size with its key in one place, and the scale it prints at."""

    width: float
    height: float
    key_left: float
    key_top: float
    key: KeyShape
    scale: float


def _scale(width: float, height: float) -> float:
    return min(LARGEST_SCALE, PAGE_WIDTH_MM * POINTS_PER_MM / width, PAGE_HEIGHT_MM * POINTS_PER_MM / height)


def _frames(scene: Scene, taken: list[Box]) -> list[_Frame]:
    """The key in an empty corner of the drawing (clear of everything `taken`), below the
    drawing (as many columns as fit its width), or beside it (one to three columns)."""
    count = len(scene.key.entries())
    title_right = scene.text_boxes[0].right if scene.text_boxes else MARGIN
    width = max(scene.right + MARGIN, title_right + MARGIN, MARGIN * 2 + 420)
    height = scene.bottom + MARGIN
    frames = []
    for columns in range(1, min(count, 4) + 1):
        shape = key_shape(scene.key, columns, scene.text)
        kw, kh = shape.width(), shape.height(count)
        for left, top in ((width - MARGIN - kw, MARGIN), (width - MARGIN - kw, height - MARGIN - kh),
                          (MARGIN, height - MARGIN - kh)):
            room = Box(left - 12, top - 12, left + kw + 12, top + kh + 12)
            if left >= MARGIN and top >= MARGIN and not any(room.overlaps(box) for box in taken):
                frames.append(_Frame(width, height, left, top, shape, _scale(width, height)))
    columns = count
    shape = key_shape(scene.key, columns, scene.text)
    while columns > 1 and shape.width() > width - 2 * MARGIN:
        columns -= 1
        shape = key_shape(scene.key, columns, scene.text)
    top = scene.bottom + 20
    below_width = max(width, MARGIN * 2 + shape.width())
    below_height = top + shape.height(count) + MARGIN
    frames.append(_Frame(below_width, below_height, MARGIN, top, shape, _scale(below_width, below_height)))
    for columns in (1, 2, 3):
        shape = key_shape(scene.key, columns, scene.text)
        left = scene.right + 8
        top = scene.rows.top[0] if scene.rows.top else MARGIN * 3
        beside_width = max(left + shape.width() + MARGIN, title_right + MARGIN)
        beside_height = max(scene.bottom + MARGIN, top + shape.height(count) + MARGIN)
        frames.append(_Frame(beside_width, beside_height, left, top, shape, _scale(beside_width, beside_height)))
    return frames


def _taken(scene: Scene, items: list[Item]) -> list[Box]:
    """Boxes round everything drawn: text, symbols and the segments of lines."""
    boxes = [*scene.text_boxes, *(p.symbol for p in scene.placed)]
    for item in items:
        if isinstance(item, Stroke):
            for (x0, y0), (x1, y1) in zip(item.points, item.points[1:], strict=False):
                boxes.append(Box(min(x0, x1) - 3, min(y0, y1) - 3, max(x0, x1) + 3, max(y0, y1) + 3))
    return boxes


def _smallest(scene: Scene) -> float:
    return min(NOTE_SIZE, KEY_SIZE) * scene.text


def _could_print(scene: Scene, best: float) -> bool:
    """Whether the scene, its title made, could print its smallest text larger than `best`
    or at 8 pt: at most as large as with no room at all for the key, as every frame of it
    (see _frames) is at least as wide and as high as that."""
    title_right = scene.text_boxes[0].right if scene.text_boxes else MARGIN
    most = _smallest(scene) * _scale(max(scene.right + MARGIN, title_right + MARGIN), scene.bottom + MARGIN)
    return most > best + 1e-6 or most >= SMALLEST_PRINTED_PT - 1e-6


def _ties(scene: Scene, family_lines: list[Item], outlines: list[Item]) -> list[Item]:
    """Relationship lines: between neighbours, level and above any couple line; else
    routed round everyone in their way, crossing as few lines as they can."""
    x, pos = scene.x, scene.pos
    items: list[Item] = []
    by_id = {p.id: p for p in scene.placed}
    frame = Box(MARGIN / 2, scene.rows.top[0] - 8, scene.right, scene.bottom)
    lines = soft_lines(family_lines, FAMILY_LINE) + soft_lines(outlines, HOUSEHOLD_LINE)
    # where family lines meet a symbol (a child's top, a partner's side): no relationship line leaves there
    taken = {point for item in family_lines if isinstance(item, Stroke) and item.ends
             for point in (item.points[0], item.points[-1])}
    for tie in _drawn_ties(scene):
        a, b = tie.people
        if pos.row[a] == pos.row[b] and not any(
                pos.row[p] == pos.row[a] and min(x[a], x[b]) < x[p] < max(x[a], x[b]) for p in scene.order):
            a, b = sorted((a, b), key=lambda p: x[p])
            y = scene.rows.centre[pos.row[a]] - 11
            path = [(x[a] + scene.half(a, 11) + 2, y), (x[b] - scene.half(b, 11) - 2, y)]
        else:
            around = [*obstacles(scene.placed, (a, b), own_symbols=True), *scene.house_boxes, *scene.text_boxes[:1]]
            path = tie_path(by_id[a], by_id[b], {p: scene.exits(p) for p in (a, b)}, around, lines, frame, taken)
        drawn = tie_items(tie.quality, path, (a, b))
        lines += [Line(p, q, FAMILY_LINE) for p, q in itertools.pairwise(path)]
        items += drawn
    return items


def _drawn_ties(scene: Scene) -> list[m.Tie]:
    return [t for t in scene.case.people.relationships if t.people[0] in scene.x and t.people[1] in scene.x
            and t.people[0] != t.people[1]]


def _draw(scene: Scene, titled: tuple[str, list[Item]]) -> tuple[str, list[Item], list[Item], list[Item], list[Item],
                                                                list[Item], list[Item]]:
    """Everything but the relationship lines and the key (the title, `scene.title()`, made
    already: see `_could_print`), marking the key as it goes."""
    title, heading = titled
    outlines, house_names = scene.household_items()
    symbols, labels = scene.person_items()
    family_lines = scene.couple_items() + scene.child_items()
    frame = Box(MARGIN / 2, scene.rows.top[0] - 8, scene.right, scene.bottom) if scene.rows.top else None
    if frame is not None:
        family_lines = untangle(family_lines, scene.placed, [*scene.house_boxes, *scene.text_boxes[:1]], frame)
    for tie in _drawn_ties(scene):
        scene.key.mark(tie.quality)
    return title, heading, outlines, house_names, symbols, labels, family_lines


# Families placed lately: (people records, the child, spread, the placement). A case's
# documents draw its genogram for each day they show, nearly always from the same people.
# Placing them reads only the people records and the child (not the day: ages and labels
# come after): what else placement comes to read must join this key.
_PLACED: list[tuple[object, str, bool, Positions]] = []


def _placed(case: Case, family: Family, spread: bool, sibships: dict[str, Sibship]) -> Positions:
    for people, child, spread_then, found in _PLACED:
        if spread_then == spread and child == case.case.child and people == case.people:
            return found
    found = keep_households_together(case, family, positions(case, family, spread), sibships)
    _PLACED.insert(0, (case.people, case.case.child, spread, found))
    del _PLACED[4:]
    return found


# Layouts made lately, by what each was made from but the day (see _day_free), with the
# titles it tried and the subtitle it had: a case's documents draw its genogram for each
# day they show, and most days differ only in ages and a subtitle that take the same room.
_LAID: list[tuple[tuple[object, ...], GenogramLayout, list[tuple[str, float, float]], str]] = []


def layout_genogram(case: Case, today: dt.date) -> GenogramLayout:
    """Place everyone and build the drawing: the one layout both pictures are drawn from,
    sized for its page in the documents."""
    key, subtitle = _day_free(case, today), ages_on(today)
    for laid_key, laid, tried, laid_subtitle in _LAID:
        if laid_key == key and _same_room(tried, laid_subtitle, subtitle):
            found = _on(laid, case, today)
            if found is not None:
                return found
    titles: list[tuple[str, float, float]] = []
    layout = _layout(case, today, titles)
    _LAID.insert(0, (key, layout, titles, subtitle))
    del _LAID[4:]
    return layout


def _day_free(case: Case, today: dt.date) -> tuple[object, ...]:
    """What a layout is made from, with the day only as the room its ages take.

    The day enters a layout only through the ages in people's labels and the subtitle
    (`ages_on`): as their text, and as the room each line of it takes. Two days whose
    ages take the same room, line by line at each size of text tried (COMPACT), and
    whose subtitles leave the title's box as wide in each way of drawing tried
    (_same_room), give layouts that differ in that text alone (see _on). A layout reads
    nothing else of the case than its people, its child and the child's sibling group."""
    sizes = sorted({text for text, _ in COMPACT})
    ages = tuple(tuple(tuple(text_width(line, AGE_SIZE * text) for line in wrap(age, AGE_SIZE * text, LABEL_WIDTH))
                       for text in sizes) if age else () for age in (age_label(p, today) for p in case.people.people))
    return case.people, case.case.child, case.group, ages


def _same_room(titles: list[tuple[str, float, float]], subtitle: str, other: str) -> bool:
    """Whether the title's box (as wide as the title or the subtitle under it) is as wide
    with `other` as with `subtitle`, for each (title, its size, the subtitle's) tried."""
    return all(max(text_width(title, size), text_width(subtitle, note)) ==
               max(text_width(title, size), text_width(other, note)) for title, size, note in titles)


def _on(layout: GenogramLayout, case: Case, today: dt.date) -> GenogramLayout | None:
    """`layout`, made for another day whose text took the same room (see _day_free), with
    the ages and the subtitle of `today`; None if its text is not as that implies."""
    size = next((item.size for item in layout.items if isinstance(item, Text) and item.cls == "age"), AGE_SIZE)
    people = {p.id: p for p in case.people.people}
    ages = iter([line for placed in layout.people for line in wrap(age_label(people[placed.id], today), size,
                                                                    LABEL_WIDTH)])
    items: list[Item] = []
    for item in layout.items:
        if isinstance(item, Text) and item.cls in ("age", "subtitle"):
            text = next(ages, None) if item.cls == "age" else ages_on(today)
            if text is None:
                return None
            item = replace(item, text=text)
        items.append(item)
    return None if next(ages, None) is not None else replace(layout, items=tuple(items))


def _layout(case: Case, today: dt.date, titles: list[tuple[str, float, float]]) -> GenogramLayout:
    """The layout, made afresh; each title tried, with its size and the subtitle's, added to `titles`."""
    family = family_of(case)
    sibships = sibships_of(family)
    chosen: tuple[float, Scene, tuple[str, list[Item], list[Item], list[Item], list[Item], list[Item],
                                      list[Item]], _Frame] | None = None
    for spread in (False, True):  # then people on their own moved to rows with room
        placed = _placed(case, family, spread, sibships)
        for text, note_lines in COMPACT:
            scene = Scene(case, today, family, placed, sibships, text, note_lines)
            titled = scene.title()
            titles.append((titled[0], scene.title_size, scene.note_size))
            if chosen is not None and not _could_print(scene, chosen[0]):
                continue  # it cannot be chosen, nor end the search
            drawn = _draw(scene, titled)
            frame = max(_frames(scene, _taken(scene, [*drawn[2], *drawn[6]])), key=lambda f: f.scale)
            printed = _smallest(scene) * frame.scale
            if chosen is None or printed > chosen[0] + 1e-6:
                chosen = (printed, scene, drawn, frame)
            if printed >= SMALLEST_PRINTED_PT - 1e-6:
                break
        if chosen is not None and chosen[0] >= SMALLEST_PRINTED_PT - 1e-6:
            break
    assert chosen is not None
    _, scene, (title, heading, outlines, house_names, symbols, labels, family_lines), frame = chosen
    count = len(scene.key.entries())
    scene.house_boxes.append(Box(frame.key_left - 8, frame.key_top - 8, frame.key_left + frame.key.width() + 8,
                                 frame.key_top + frame.key.height(count) + 8))  # relationship lines keep clear
    ties = _ties(scene, family_lines, outlines) if scene.rows.top else []
    key, _ = key_items(scene.key, frame.key, frame.key_left, frame.key_top, scene.shapes, scene.text_boxes)
    items: list[Item] = [*heading, *outlines, *ties, *family_lines, *symbols, *house_names, *labels, *key]
    households = tuple((h.id, scene.households.square[h.id]) for h in case.people.households
                       if scene.households.bands.get(h.id))
    width, height = round(frame.width), round(frame.height)
    return GenogramLayout(width, height, title, tuple(scene.placed), tuple(scene.text_boxes), tuple(items),
                          _scale(width, height), households)

