"""Build the bundled Word templates in templates/ (run `make templates`).

The .docx files are the source an authority edits in Word; this script is how the
bundled ones are made, so that they share one look: A4, Arial, a details table under the
title, tables with a shaded header row that repeats on every page, an OFFICIAL-SENSITIVE
marking, and the case reference and page number in the footer.

Tags are docxtpl's: `{{ value }}`; `{%p ... %}` on a paragraph of its own; `{%tr ... %}`
on a table row of its own; `{% cellbg colour %}` at the start of a cell. Every section
an authority may switch off is wrapped in `{%p if show.<section> %}`, heading included.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.shared import Pt
from docx.shared import RGBColor
from docx.table import Table

OUT = Path(__file__).resolve().parent.parent / "reunify" / "templates"
INK = RGBColor(0x1F, 0x3A, 0x5F)
HEADER_FILL = "DCE6F0"
LABEL_FILL = "F2F2F2"
Doc = Document().__class__  # python-docx's Document type
NONE_RECORDED = "None recorded."


# -- the page -------------------------------------------------------------------------


def new_document(title_note: str, landscape: bool = False) -> Doc:
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = INK
        style.font.bold = True
        style.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("List Bullet", "List Number"):
        styles[name].font.name = "Arial"
        styles[name].font.size = Pt(10.5)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    header = section.header.paragraphs[0]
    marking = header.add_run("OFFICIAL-SENSITIVE")
    marking.bold = True
    marking.font.size = Pt(8)
    header.add_run("    {{ doc.title }}").font.size = Pt(8)
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.add_run("{{ doc.reference }}  ·  {{ child.name }}  ·  {{ doc.date }}  ·  version {{ doc.version }}  ·  page ").font.size = Pt(8)
    _page_number(footer)
    footer.add_run(" of ").font.size = Pt(8)
    _page_number(footer, "NUMPAGES")
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    doc.core_properties.comments = title_note
    return doc


def _page_number(paragraph: object, field: str = "PAGE") -> None:
    """A field Word fills in: this page's number, or with NUMPAGES the number of pages."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    run.font.size = Pt(8)
    for kind, text in (("begin", None), (None, f" {field} "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def status_line(doc: Doc) -> None:
    """Under the title: issued (signed on its day, by whom) or DRAFT with its version and date."""
    paragraph = doc.add_paragraph()
    run = paragraph.add_run("{{ doc.status }}")
    run.bold = True
    run.font.size = Pt(10)


def title_block(doc: Doc, rows: list[tuple[str, str]] | None = None) -> None:
    doc.add_paragraph("{{ doc.title }}", style="Title")
    status_line(doc)
    rows = rows if rows is not None else [
        ("Child", "{{ child.name }}"),
        ("Date of birth (age)", "{{ child.born }} ({{ child.age }})"),
        ("Legal status", "{{ child.legal_status }}"),
        ("Placement", "{{ child.placement }}"),
        ("Case reference", "{{ doc.reference }}"),
        ("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}"),
        ("{{ doc.roles.team_manager }}", "{{ doc.team_manager }}"),
        ("Date of this document", "{{ doc.date }}"),
    ]
    fields_table(doc, rows)


# A shared document (the agreement, the plan) is for every child of a sibling group.
GROUP_ROWS = [
    ("{{ child.label }}", "{{ child.names }}"),
    ("Date of birth (age)", "{{ child.births }}"),
    ("Legal status", "{{ child.legal_statuses }}"),
    ("Placement", "{{ child.placements }}"),
    ("Case reference", "{{ doc.reference }}"),
    ("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}"),
    ("{{ doc.roles.team_manager }}", "{{ doc.team_manager }}"),
    ("Date of this document", "{{ doc.date }}"),
]


# -- building blocks --------------------------------------------------------------------


def tag(doc: Doc, text: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag, e.g. 'if show.x' or 'endif'."""
    doc.add_paragraph("{%p " + text + " %}")


def section(doc: Doc, flag: str | None, title: str, level: int, body: Callable[[], None]) -> None:
    """A heading and its body, left out whole when `show.<flag>` is false."""
    if flag:
        tag(doc, f"if show.{flag}")
    doc.add_heading(title, level=level)
    body()
    if flag:
        tag(doc, "endif")


def text(doc: Doc, expression: str, empty: str = "Not recorded.") -> None:
    """A paragraph of free text, or a note that there is none."""
    tag(doc, f"if {expression}")
    doc.add_paragraph("{{ " + expression + " }}")
    tag(doc, "else")
    note(doc, empty)
    tag(doc, "endif")


def note(doc: Doc, words: str) -> None:
    run = doc.add_paragraph().add_run(words)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def labelled(doc: Doc, label: str, expression: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.add_run(label + ": ").bold = True
    paragraph.add_run("{{ " + expression + " }}")


def bullets(doc: Doc, loop: str, item: str, empty: str = NONE_RECORDED) -> None:
    items = loop.split(" in ", 1)[1]
    tag(doc, f"if {items}")
    tag(doc, f"for {loop}")
    doc.add_paragraph(item, style="List Bullet")
    tag(doc, "endfor")
    tag(doc, "else")
    note(doc, empty)
    tag(doc, "endif")


def _shade(cell: object, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _widths(table: Table, widths: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _set_cell(cell: object, content: str, bold: bool = False, size: float | None = None) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    run = paragraph.add_run(content)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    paragraph.paragraph_format.space_after = Pt(0)


def _repeat_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_together(row: object) -> None:
    """A row that never splits across a page (a court or panel reads each row whole)."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    properties.append(OxmlElement("w:cantSplit"))


def fields_table(doc: Doc, rows: list[tuple[str, str]], widths: tuple[float, float] = (5.0, 12.0)) -> None:
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _keep_together(row)
        _set_cell(row.cells[0], label, bold=True)
        _shade(row.cells[0], LABEL_FILL)
        _set_cell(row.cells[1], value)
    _widths(table, list(widths))
    doc.add_paragraph()


def loop_table(doc: Doc, headers: list[str], loop: str, cells: list[str], widths: list[float],
               size: float | None = None, empty: str = NONE_RECORDED) -> None:
    """A table with a header row and one row per item of `loop` ('x in xs')."""
    items = loop.split(" in ", 1)[1]
    tag(doc, f"if {items}")
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _set_cell(cell, header, bold=True, size=size)
        _shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    _keep_together(table.rows[0])
    _set_cell(table.rows[1].cells[0], "{%tr for " + loop + " %}")
    _keep_together(table.rows[2])
    for cell, content in zip(table.rows[2].cells, cells, strict=True):
        _set_cell(cell, content, size=size)
    _set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    _widths(table, widths)
    tag(doc, "else")
    note(doc, empty)
    tag(doc, "endif")


def signatures(doc: Doc, rows: list[tuple[str, str]]) -> None:
    """Who signs, their name, and space for a signature and a date."""
    table = doc.add_table(rows=1 + len(rows), cols=4)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, ["Role", "Name", "Signature", "Date"], strict=True):
        _set_cell(cell, header, bold=True)
        _shade(cell, HEADER_FILL)
    for row, (role, name) in zip(table.rows[1:], rows, strict=True):
        _set_cell(row.cells[0], role, bold=True)
        _set_cell(row.cells[1], name)
        row.height = Cm(1.2)
    _widths(table, [4.0, 5.0, 5.0, 3.0])
    doc.add_paragraph()


def page_break(doc: Doc) -> None:
    doc.add_page_break()


# -- the documents' bodies (shared with the CPAG pack) ---------------------------------


def chronology_table(doc: Doc, ns: str, court: bool = False, size: float = 9) -> None:
    if court:
        loop_table(doc, ["Date", "Child's age", "What happened", "Source", "Factors", "Impact on the child",
                         "Response"], f"e in {ns}.entries",
                   ["{{ e.date }}", "{{ e.age }}", "{{ e.event }}", "{{ e.source }}", "{{ e.factors }}",
                    "{{ e.impact }}", "{{ e.response }}"],
                   [2.4, 1.6, 6.4, 3.0, 2.8, 5.0, 4.5], size=size, empty="No entries recorded.")
        return
    loop_table(doc, ["Date", "Age", "What happened", "Source", "Factors", "Impact on the child", "Response",
                     "Analysis"], f"e in {ns}.entries",
               ["{{ e.date }}", "{{ e.age }}", "{{ e.event }}", "{{ e.source }}", "{{ e.factors }}",
                "{{ e.impact }}", "{{ e.response }}", "{{ e.analysis }}"],
               [2.3, 1.5, 5.2, 2.4, 2.4, 4.0, 3.8, 4.1] if size >= 9 else [1.9, 1.2, 3.2, 1.7, 1.7, 2.6, 2.4, 2.7],
               size=size, empty="No entries recorded.")


def assessment_body(doc: Doc, ns: str, flags: bool, level: int = 1) -> None:
    def flag(name: str) -> str | None:
        return name if flags else None

    labelled(doc, "Assessment started", f"{ns}.started")

    def family() -> None:
        tag(doc, f"if {ns}.genogram.picture")
        doc.add_paragraph("{{ " + ns + ".genogram.picture }}")
        tag(doc, "endif")
        loop_table(doc, ["Name", "Relationship", "Age", "Household"], f"p in {ns}.genogram.people",
                   ["{{ p.name }}", "{{ p.relationship }}", "{{ p.age }}", "{{ p.household }}"],
                   [4.5, 5.0, 2.5, 5.0])
    section(doc, flag("genogram"), "Family and genogram", level, family)

    def summary() -> None:
        loop_table(doc, ["Date", "Age", "What happened", "Factors"], f"e in {ns}.chronology_summary",
                   ["{{ e.date }}", "{{ e.age }}", "{{ e.event }}", "{{ e.factors }}"],
                   [2.6, 1.6, 9.3, 3.5], size=9, empty="No chronology entries recorded.")
        tag(doc, f"if {ns}.factors")
        doc.add_paragraph("How often each factor appears in the chronology:")
        loop_table(doc, ["Factor", "Entries"], f"f in {ns}.factors", ["{{ f.factor }}", "{{ f.count }}"], [8.0, 3.0])
        tag(doc, "endif")
    section(doc, flag("chronology_summary"), "Chronology summary", level, summary)

    def parents() -> None:
        tag(doc, f"if {ns}.parents")
        tag(doc, f"for p in {ns}.parents")
        doc.add_heading("{{ p.name }} ({{ p.relationship }})", level=level + 1)
        doc.add_paragraph().add_run("Risk factors").bold = True
        bullets(doc, "f in p.risk_factors", "{{ f }}")
        doc.add_paragraph().add_run("Protective factors").bold = True
        bullets(doc, "f in p.protective_factors", "{{ f }}")
        doc.add_paragraph().add_run("How the risk and protective factors interact").bold = True
        text(doc, "p.interaction")
        doc.add_paragraph().add_run("Capacity to change").bold = True
        text(doc, "p.capacity_to_change")
        tag(doc, "endfor")
        tag(doc, "else")
        note(doc, "No parent assessed yet.")
        tag(doc, "endif")
    section(doc, flag("parents"), "Risk and protective factors, parent by parent", level, parents)

    def views() -> None:
        labelled(doc, "Seen alone", f"{ns}.child_seen_alone")
        text(doc, f"{ns}.child_views")
    section(doc, flag("child_views"), "The child's views", level, views)
    section(doc, flag("housing"), "Housing", level, lambda: text(doc, f"{ns}.housing"))
    section(doc, flag("finances"), "Finances", level, lambda: text(doc, f"{ns}.finances"))
    section(doc, flag("school"), "School", level, lambda: text(doc, f"{ns}.school"))
    section(doc, flag("support_needs"), "Support needs and referrals", level,
            lambda: bullets(doc, f"s in {ns}.support_needs", "{{ s }}"))
    section(doc, flag("police_checks"), "Police checks", level,
            lambda: loop_table(doc, ["Person", "Date", "Result"], f"c in {ns}.police_checks",
                               ["{{ c.name }}", "{{ c.date }}", "{{ c.result }}"], [4.5, 3.0, 9.5]))

    def conclusion() -> None:
        text(doc, f"{ns}.conclusion")
        tag(doc, f"if {ns}.classification")
        fields_table(doc, [
            ("Risk classification", "{{ " + ns + ".classification.id }}: {{ " + ns + ".classification.level }}"),
            ("Date", "{{ " + ns + ".classification.date }}"),
            ("Recommended by", "{{ " + ns + ".classification.recommended_by }}"),
            ("Confirmed by", "{{ " + ns + ".classification.confirmed_by }} {{ " + ns + ".classification.confirmed }}"),
        ])
        tag(doc, "else")
        note(doc, "Risk not classified yet.")
        tag(doc, "endif")
    section(doc, flag("conclusion"), "Conclusion and risk classification", level, conclusion)

    doc.add_heading("Completed by the assessing social worker", level=level)
    fields_table(doc, [("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}"), ("Date", ""),
                       ("Signature", "")])
    doc.add_heading("Sign-off by the team manager", level=level)
    fields_table(doc, [("Signed off by", "{{ " + ns + ".signed_off_by }}"),
                       ("Date", "{{ " + ns + ".signed_off }}"), ("Signature", "")])


def agreement_body(doc: Doc, ns: str, flags: bool, level: int = 1) -> None:
    def flag(name: str) -> str | None:
        return name if flags else None

    fields_table(doc, [("Agreed on", "{{ " + ns + ".agreed }}"), ("Next review", "{{ " + ns + ".review_date }}")])
    tag(doc, f"for p in {ns}.parents")
    doc.add_heading("{{ p.name }} ({{ p.relationship }})", level=level)

    def strengths() -> None:
        doc.add_paragraph().add_run("Strengths").bold = True
        bullets(doc, "s in p.strengths", "{{ s }}")
        doc.add_paragraph().add_run("Concerns").bold = True
        bullets(doc, "c in p.concerns", "{{ c }}")
    section(doc, flag("strengths_concerns"), "Strengths and concerns", level + 1, strengths)
    doc.add_heading("Goals", level=level + 1)
    tag(doc, "for g in p.goals")
    fields_table(doc, [
        ("Goal {{ g.number }}: what must change", "{{ g.change }}"),
        ("Steps", "{{ g.steps }}"),
        ("How it will be evidenced", "{{ g.evidence }}"),
        ("By when", "{{ g.due }}"),
        ("Support", "{{ g.support }}"),
        ("Latest progress", "{% if g.latest %}{{ g.latest.label }}{% else %}Not reviewed yet{% endif %}"),
    ])

    def reviews() -> None:
        loop_table(doc, ["Review", "Progress", "Evidence"], "r in g.reviews",
                   ["{{ r.date }}", "{% cellbg r.rating.fill %}{{ r.rating.label }}", "{{ r.evidence }}"],
                   [3.0, 2.8, 11.2], empty="Not reviewed yet.")
    if flags:
        tag(doc, "if show.reviews")
        reviews()
        tag(doc, "endif")
    else:
        reviews()
    tag(doc, "endfor")
    tag(doc, "endfor")


def plan_body(doc: Doc, ns: str, flags: bool, level: int = 1) -> None:
    def flag(name: str) -> str | None:
        return name if flags else None

    services = (["Service", "Provider", "For", "How often", "From", "Until"],
                ["{{ s.service }}", "{{ s.provider }}", "{{ s.for }}", "{{ s.frequency }}", "{{ s.from }}",
                 "{{ s.until }}"], [4.0, 3.2, 2.6, 3.0, 2.1, 2.1])
    section(doc, flag("support"), "Support and services", level,
            lambda: loop_table(doc, services[0], f"s in {ns}.support", services[1], services[2], size=9.5))
    section(doc, flag("contact"), "Contact", level,
            lambda: loop_table(doc, ["With", "Arrangement", "Supervised", "From"], f"c in {ns}.contact",
                               ["{{ c.with }}", "{{ c.arrangement }}", "{{ c.supervised }}", "{{ c.from }}"],
                               [3.0, 9.0, 2.3, 2.7]))
    section(doc, flag("transition"), "Transition home, step by step", level,
            lambda: loop_table(doc, ["Step", "Date"], f"t in {ns}.transition", ["{{ t.step }}", "{{ t.date }}"],
                               [13.0, 4.0]))
    section(doc, flag("communication"), "Communication with the child", level,
            lambda: text(doc, f"{ns}.child_communication"))
    section(doc, flag("contingency"), "Contingency plan", level, lambda: text(doc, f"{ns}.contingency"))

    def after() -> None:
        tag(doc, f"if {ns}.return_date")
        labelled(doc, "Returned home on", f"{ns}.return_date")
        tag(doc, "endif")
        doc.add_paragraph("Support continues for at least 12 months after the return; the child is seen "
                          "alone at every visit.")
        loop_table(doc, services[0], f"s in {ns}.after_return", services[1], services[2], size=9.5)
    section(doc, flag("after_return"), "Support and visits after the return", level, after)


def front_sheet_body(doc: Doc, ns: str, flags: bool, level: int = 1) -> None:
    def flag(name: str) -> str | None:
        return name if flags else None

    def household() -> None:
        fields_table(doc, [("Household", "{{ " + ns + ".household }}"), ("Address", "{{ " + ns + ".address }}"),
                           ("Placed with parents from", "{{ " + ns + ".placed_from }}"),
                           ("Returned home on", "{{ " + ns + ".return_date }}"),
                           ("Current risk level", "{{ " + ns + ".level }}"),
                           ("Return Home Assessment signed off", "{{ " + ns + ".assessment_signed_off }}")])
        loop_table(doc, ["Name", "Relationship", "Age", "In the home", "Police check"], f"p in {ns}.people",
                   ["{{ p.name }}", "{{ p.relationship }}", "{{ p.age }}", "{{ p.role }}", "{{ p.police_check }}"],
                   [3.5, 3.5, 1.5, 3.0, 5.5])
    section(doc, flag("household"), "The household", level, household)

    def decision() -> None:
        tag(doc, f"if {ns}.decision")
        fields_table(doc, [("Decision", "{{ " + ns + ".decision.title }}"),
                           ("Outcome", "{{ " + ns + ".decision.outcome }}"),
                           ("Made by", "{{ " + ns + ".decision.by }}, {{ " + ns + ".decision.date }}"),
                           ("Ratified by", "{{ " + ns + ".decision.ratified_by }} {{ " + ns + ".decision.ratified }}"),
                           ("Reason", "{{ " + ns + ".decision.reason }}")])
        tag(doc, "else")
        note(doc, "Decision 3 is not recorded yet.")
        tag(doc, "endif")
    section(doc, flag("decision"), "Approval of the return", level, decision)
    section(doc, flag("visits"), "Visits", level, lambda: doc.add_paragraph("{{ " + ns + ".visits }}"))


# -- the documents -----------------------------------------------------------------------


def monitoring_form() -> Doc:
    doc = new_document("Reunification monitoring form")
    title_block(doc)
    ns = "monitoring_form"
    fields_table(doc, [("Current risk level", "{{ " + ns + ".current_level }}"),
                       ("Outcome", "{{ " + ns + ".outcome }}"), ("Outcome date", "{{ " + ns + ".outcome_date }}")])
    doc.add_heading("Legal status", level=1)
    loop_table(doc, ["Legal status", "From"], f"s in {ns}.legal_status", ["{{ s.status }}", "{{ s.from }}"],
               [12.0, 5.0])
    section(doc, "key_dates", "Key dates", 1,
            lambda: loop_table(doc, ["What", "Date"], f"k in {ns}.key_dates", ["{{ k.label }}", "{{ k.date }}"],
                               [12.0, 5.0]))
    section(doc, "decisions", "Decisions", 1,
            lambda: loop_table(doc, ["Decision", "Outcome", "Date", "By", "Ratified"], f"d in {ns}.decisions",
                               ["{{ d.title }}", "{{ d.outcome }}", "{{ d.date }}", "{{ d.by }}",
                                "{{ d.ratified_by }} {{ d.ratified }}"], [4.5, 4.0, 2.8, 2.8, 2.9]))
    section(doc, "classifications", "Risk classifications", 1,
            lambda: loop_table(doc, ["Classification", "Level", "Date", "Confirmed by"], f"c in {ns}.classifications",
                               ["{{ c.title }}", "{{ c.level }}", "{{ c.date }}", "{{ c.confirmed_by }} {{ c.confirmed }}"],
                               [5.0, 2.5, 3.5, 6.0]))
    section(doc, "steps", "Steps completed", 1,
            lambda: loop_table(doc, ["Stage", "Step", "Date", "By", "Manager's override"], f"s in {ns}.steps",
                               ["{{ s.stage }}", "{{ s.step }}", "{{ s.date }}", "{{ s.by }}", "{{ s.override }}"],
                               [2.8, 6.0, 2.6, 2.6, 3.0], size=9))
    return doc


def chronology(court: bool = False) -> Doc:
    doc = new_document("Analytical chronology" + (" (court version)" if court else ""), landscape=True)
    ns = "chronology_court" if court else "chronology"
    title_block(doc)
    labelled(doc, "{{ doc.roles.chronologist }}", f"{ns}.chronologist")
    if court:
        doc.add_paragraph("This version sets out what happened, its source, the factors, the impact on the child "
                          "and the response. The analysis of the analytical chronology is not included.")
    chronology_table(doc, ns, court=court)
    if not court:
        section(doc, "factors", "Factors across the chronology", 1,
                lambda: loop_table(doc, ["Factor", "Entries"], f"f in {ns}.factors",
                                   ["{{ f.factor }}", "{{ f.count }}"], [8.0, 3.0]))
    return doc


def genogram() -> Doc:
    doc = new_document("Genogram")
    title_block(doc)
    doc.add_paragraph("{{ genogram.picture }}")
    doc.add_heading("Key", level=1)
    fields_table(doc, [
        ("□ square / ○ circle / ◇ diamond", "male / female / sex not recorded"),
        ("Double outline", "the child this case is about (each child of a sibling group)"),
        ("Cross through a symbol", "died (years shown)"),
        ("Solid / dashed line between partners", "married / living together"),
        ("One slash / two slashes", "separated / divorced"),
        ("Dashed line to a child", "adopted or fostered"),
        ("Dashed box", "a household"),
    ], widths=(7.0, 10.0))

    def people() -> None:
        loop_table(doc, ["Name", "Relationship", "Sex", "Born", "Age", "Household"], "p in genogram.people",
                   ["{{ p.name }}", "{{ p.relationship }}", "{{ p.sex }}", "{{ p.born }}", "{{ p.age }}",
                    "{{ p.household }}"], [3.6, 3.8, 1.6, 2.8, 2.2, 3.0], size=9.5)
    section(doc, "people", "The people in the genogram", 1, people)
    return doc


def return_home_assessment() -> Doc:
    doc = new_document("Return Home Assessment")
    title_block(doc)
    assessment_body(doc, "return_home_assessment", flags=True)
    return doc


def risk_classification() -> Doc:
    doc = new_document("Risk classification record")
    title_block(doc)
    ns = "risk_classification"
    doc.add_heading("{{ " + ns + ".current.title }}: {{ " + ns + ".current.level }}", level=1)
    fields_table(doc, [("Level", "{{ " + ns + ".current.level }}"), ("Date", "{{ " + ns + ".current.date }}"),
                       ("Recommended by", "{{ " + ns + ".current.recommended_by }}"),
                       ("Confirmed by", "{{ " + ns + ".current.confirmed_by }}"),
                       ("Confirmed on", "{{ " + ns + ".current.confirmed }}")])
    doc.add_heading("Rationale", level=2)
    doc.add_paragraph("{{ " + ns + ".current.rationale }}")

    def levels() -> None:
        loop_table(doc, ["Level", "What it means", "What follows", "This case"], f"l in {ns}.levels",
                   ["{% cellbg l.fill %}{{ l.shape }} {{ l.level }}", "{{ l.meaning }}", "{{ l.follows }}",
                    "{{ l.this_case }}"], [2.8, 5.4, 6.3, 2.5])
    section(doc, "levels", "The four levels", 1, levels)
    section(doc, "history", "Classifications so far", 1,
            lambda: loop_table(doc, ["Classification", "Level", "Date", "Confirmed by"], f"c in {ns}.history",
                               ["{{ c.title }}", "{{ c.level }}", "{{ c.date }}",
                                "{{ c.confirmed_by }} {{ c.confirmed }}"], [5.0, 2.5, 3.5, 6.0]))
    signatures(doc, [("{{ doc.roles.service_manager }}", "{{ " + ns + ".current.confirmed_by }}")])
    return doc


def accessible_risk_table() -> Doc:
    doc = new_document("Accessible risk classification table")
    doc.add_paragraph("{{ doc.title }}", style="Title")
    status_line(doc)
    ns = "accessible_risk_table"
    doc.add_paragraph("For {{ child.first_name }}. This table shows how worried we are about you going home. "
                      "Each level has a colour, a shape and a word, so you can tell them apart.")
    loop_table(doc, ["Level", "What it means for you", "You are here"], f"l in {ns}.levels",
               ["{% cellbg l.fill %}{{ l.shape }} {{ l.colour }}: {{ l.level }}", "{{ l.plain }}",
                "{% if l.this_case %}◀ This is where we are{% endif %}"], [4.2, 9.3, 3.5])
    tag(doc, f"if {ns}.current")
    doc.add_paragraph("On {{ " + ns + ".date }} we decided: {{ " + ns + ".current.shape }} "
                      "{{ " + ns + ".current.colour }}, {{ " + ns + ".current.level }}.")
    tag(doc, "else")
    doc.add_paragraph("We have not decided the level yet. We will tell you when we have, and explain why.")
    tag(doc, "endif")
    doc.add_paragraph("If you want to talk about this, you can ask {{ doc.social_worker }}"
                      "{% if child.trusted_adult %} or {{ child.trusted_adult }}{% endif %}.")
    return doc


def young_persons_report() -> Doc:
    doc = new_document("Young person's report")
    doc.add_paragraph("{{ doc.title }}", style="Title")
    status_line(doc)
    ns = "young_persons_report"
    doc.add_paragraph("Dear {{ child.first_name }},")
    doc.add_paragraph("This letter tells you what we have decided about you going home, why, and what "
                      "happens next. You can ask us about anything in it.")
    doc.add_heading("What we decided", level=1)
    tag(doc, f"if {ns}.decision")
    doc.add_paragraph("On {{ " + ns + ".decision.date }}, {{ " + ns + ".decision.by }} decided: "
                      "{{ " + ns + ".decision.outcome }}.")
    tag(doc, "endif")
    tag(doc, f"if {ns}.level")
    doc.add_paragraph("On {{ " + ns + ".level_date }} we said the risk is {{ " + ns + ".level.shape }} "
                      "{{ " + ns + ".level.colour }}: {{ " + ns + ".level.level }}. {{ " + ns + ".level.plain }}")
    tag(doc, "endif")
    doc.add_heading("Why", level=1)
    doc.add_paragraph("{{ " + ns + ".why }}")

    def views() -> None:
        doc.add_paragraph("This is what you told us:")
        text(doc, f"{ns}.views", empty="We have not written down your views yet.")
    section(doc, "views", "What you told us", 1, views)

    def next_steps() -> None:
        tag(doc, f"if {ns}.on_permanence_path")
        doc.add_paragraph("We will plan with you where you will live and grow up. You will be part of the plan.")
        tag(doc, "endif")
        loop_table(doc, ["What happens", "When"], f"s in {ns}.next_steps", ["{{ s.what }}", "{{ s.when }}"],
                   [12.0, 5.0], empty="We will tell you about the next steps when we meet.")
    section(doc, "next_steps", "What happens next", 1, next_steps)

    def trusted() -> None:
        tag(doc, f"if {ns}.trusted_adult")
        doc.add_paragraph("Your trusted adult is {{ " + ns + ".trusted_adult }}"
                          "{% if " + ns + ".trusted_adult_is %} ({{ " + ns + ".trusted_adult_is }}){% endif %}. "
                          "You can talk to them about anything in this letter.")
        tag(doc, "else")
        doc.add_paragraph("We will help you choose a trusted adult to talk to.")
        tag(doc, "endif")
    section(doc, "trusted_adult", "Who you can talk to", 1, trusted)
    doc.add_paragraph("From {{ " + ns + ".worker }}, your social worker")
    return doc


def parental_agreement() -> Doc:
    doc = new_document("Parental agreement and goal setting")
    title_block(doc, GROUP_ROWS)
    ns = "parental_agreement"
    doc.add_paragraph("This agreement sets out what needs to change for {{ child.first_names }} to go home, how "
                      "each change will be shown, by when, and the support offered. Progress is rated at each "
                      "review: ● Green on track, ▲ Amber some progress, ■ Red not on track.")
    agreement_body(doc, ns, flags=True)
    section(doc, "communication", "Communication with the child", 1, lambda: text(doc, f"{ns}.child_communication"))
    section(doc, "contingency", "Contingency plan", 1, lambda: text(doc, f"{ns}.contingency"))

    def signed() -> None:
        loop_table(doc, ["Parent", "Signed on", "Signature"], f"p in {ns}.parents",
                   ["{{ p.name }}", "{{ p.signed }}", ""], [5.0, 4.0, 8.0])
        signatures(doc, [("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}"),
                         ("{{ doc.roles.team_manager }}", "{{ doc.team_manager }}")])
    section(doc, "signatures", "Signatures", 1, signed)
    return doc


def reunification_plan() -> Doc:
    doc = new_document("Reunification plan")
    title_block(doc, GROUP_ROWS)
    plan_body(doc, "reunification_plan", flags=True)
    return doc


def pwp_front_sheet() -> Doc:
    doc = new_document("Placed with parents front sheet")
    title_block(doc)
    front_sheet_body(doc, "pwp_front_sheet", flags=True)
    return doc


def cpag_pack() -> Doc:
    doc = new_document("CPAG pack")
    title_block(doc)
    ns = "cpag_pack"
    doc.add_heading("Contents", level=1)
    bullets(doc, f"c in {ns}.contents", "{{ c }}")
    parts: list[tuple[str, str, Callable[[], None]]] = [
        ("assessment", "Return Home Assessment", lambda: assessment_body(doc, f"{ns}.assessment", False, level=2)),
        ("chronology", "Analytical chronology",
         lambda: chronology_table(doc, f"{ns}.chronology", size=7.5)),
        ("decisions", "Latest review decisions",
         lambda: loop_table(doc, ["Decision", "Outcome", "Date", "By", "Reason"], f"d in {ns}.decisions",
                            ["{{ d.title }}", "{{ d.outcome }}", "{{ d.date }}", "{{ d.by }}", "{{ d.reason }}"],
                            [3.6, 3.4, 2.5, 2.5, 5.0], size=9.5)),
        ("agreement", "Parental agreement and goal setting",
         lambda: agreement_body(doc, f"{ns}.agreement", False, level=2)),
        ("plan", "Reunification plan", lambda: plan_body(doc, f"{ns}.plan", False, level=2)),
        ("front_sheet", "Placed with parents front sheet",
         lambda: front_sheet_body(doc, f"{ns}.front_sheet", False, level=2)),
    ]
    for flag, title, body in parts:
        tag(doc, f"if show.{flag}")
        page_break(doc)
        doc.add_heading(title, level=1)
        body()
        tag(doc, "endif")
    return doc


TEMPLATES: dict[str, Callable[[], Doc]] = {
    "monitoring_form": monitoring_form,
    "chronology": chronology,
    "chronology_court": lambda: chronology(court=True),
    "genogram": genogram,
    "return_home_assessment": return_home_assessment,
    "risk_classification": risk_classification,
    "accessible_risk_table": accessible_risk_table,
    "young_persons_report": young_persons_report,
    "parental_agreement": parental_agreement,
    "reunification_plan": reunification_plan,
    "pwp_front_sheet": pwp_front_sheet,
    "cpag_pack": cpag_pack,
}


def build(out: Path = OUT) -> list[Path]:
    out.mkdir(exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        path = out / f"{name}.docx"
        make().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
