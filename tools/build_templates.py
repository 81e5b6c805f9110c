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

import copy
import sys
from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.section import WD_SECTION
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
    # The authority's logo and name (from the caseload profile) when it names one, then the
    # marking, the document and, where there are proceedings, the court and its case number.
    first = section.header.paragraphs[0]
    first.add_run("{%p if doc.authority %}")
    letterhead = section.header.add_paragraph()
    letterhead.add_run("{{ doc.logo }}")
    name = letterhead.add_run("  {{ doc.authority }}")
    name.bold = True
    name.font.size = Pt(10)
    name.font.color.rgb = INK
    section.header.add_paragraph().add_run("{%p endif %}")
    header = section.header.add_paragraph()
    marking = header.add_run("OFFICIAL-SENSITIVE")
    marking.bold = True
    marking.font.size = Pt(8)
    header.add_run("    {{ doc.title }}{% if doc.court_case %}  ·  {{ doc.court_case }}{% endif %}").font.size = Pt(8)
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
    fields_table(doc, rows, optional=COURT_ROWS)


# Shown only where the child is the subject of proceedings.
COURT_ROWS = [("doc.court_case", "Court and case number", "{{ doc.court_case }}")]


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


def fields_table(doc: Doc, rows: list[tuple[str, str]], widths: tuple[float, float] = (5.0, 12.0),
                 optional: list[tuple[str, str, str]] | None = None) -> None:
    """Label and value rows; each `optional` row (condition, label, value) only when its
    condition holds."""
    optional = optional or []
    table = doc.add_table(rows=len(rows) + 3 * len(optional), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    content = list(rows)
    for condition, label, value in optional:
        content += [("{%tr if " + condition + " %}", ""), (label, value), ("{%tr endif %}", "")]
    for row, (label, value) in zip(table.rows, content, strict=True):
        _keep_together(row)
        is_tag = label.startswith("{%tr")
        _set_cell(row.cells[0], label, bold=not is_tag)
        if not is_tag:
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


def prompt(doc: Doc, words: str, style: str | None = None, keep: bool = False) -> None:
    """A question put to the assessor: italic and grey, so that the answer stands out."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.paragraph_format.keep_with_next = keep
    run = paragraph.add_run(words)
    run.italic = True
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def field_label(doc: Doc, words: str) -> None:
    """A bold label on a line of its own, kept on the page of what follows it."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(words).bold = True


def answer_body(doc: Doc, item: str) -> None:
    """The fields a domain shows (each with its label) and the recorded answer; where the
    domain shows no field, the answer or "Not recorded.", else the answer only when written."""
    tag(doc, f"for f in {item}.parts")
    tag(doc, 'if f.kind == "inline"')
    paragraph = doc.add_paragraph()
    paragraph.add_run("{{ f.label }}: ").bold = True
    paragraph.add_run("{% if f.text %}{{ f.text }}{% else %}Not recorded.{% endif %}")
    tag(doc, 'elif f.kind == "list"')
    field_label(doc, "{{ f.label }}")
    bullets(doc, "i in f.entries", "{{ i }}")
    tag(doc, 'elif f.kind == "checks"')
    loop_table(doc, ["Person", "Date", "Result"], "c in f.rows", ["{{ c.name }}", "{{ c.date }}", "{{ c.result }}"],
               [4.5, 3.0, 9.5])
    tag(doc, "else")
    field_label(doc, "{{ f.label }}")
    text(doc, "f.text")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "if d.has_fields")
    tag(doc, f"if {item}.answer")
    field_label(doc, "Analysis")
    doc.add_paragraph("{{ " + item + ".answer }}")
    tag(doc, "endif")
    tag(doc, "else")
    text(doc, f"{item}.answer")
    tag(doc, "endif")


def factors_cell(cell: object, factors: str) -> None:
    """A table cell listing a level's factors, one a line: those found ticked and in bold."""
    lines = ["{%p for f in " + factors + " %}", "{%p if f.found %}", "☑ {{ f.text }}", "{%p else %}",
             "☐ {{ f.text }}", "{%p endif %}", "{%p endfor %}"]
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    for index, words in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        run = paragraph.add_run(words)
        run.font.size = Pt(9)
        run.bold = words.startswith("☑")
        paragraph.paragraph_format.space_after = Pt(0 if words.startswith("{%") else 2)


def domains_body(doc: Doc, ns: str, level: int) -> None:
    """The assessment's domains (the workflow's), numbered: the questions as prompts, then
    the answer, for the child or the family, or parent by parent."""
    tag(doc, f"for d in {ns}.domains")
    doc.add_heading("{{ d.number }}. {{ d.title }}", level=level)
    prompt(doc, "Questions for this part of the assessment:", keep=True)
    tag(doc, "for q in d.questions")
    prompt(doc, "{{ q }}", "List Bullet")
    tag(doc, "endfor")
    tag(doc, "if d.per_parent")
    tag(doc, "for p in d.parents")
    doc.add_heading("{{ p.name }}{% if p.relationship %} ({{ p.relationship }}){% endif %}", level=level + 1)
    answer_body(doc, "p")
    tag(doc, "else")
    note(doc, "No parent assessed yet.")
    tag(doc, "endfor")
    tag(doc, "else")
    answer_body(doc, "d")
    tag(doc, "endif")
    tag(doc, "endfor")


def cautions_body(doc: Doc, ns: str) -> None:
    """The cautionary factors the records show, each with the records that show it."""
    tag(doc, f"if {ns}.cautions")
    doc.add_paragraph("Reunification is to be considered cautiously: the records show risk factors that the "
                      "framework associates with future harm.")
    tag(doc, f"for c in {ns}.cautions")
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.add_run("{{ c.title }}").bold = True
    paragraph.add_run("{% if c.source %} ({{ c.source }}){% endif %}").font.size = Pt(9)
    loop_table(doc, ["Date", "Record", "What the record shows"], "r in c.records",
               ["{{ r.date }}", "{{ r.record }}", "{{ r.says }}"], [2.6, 5.0, 9.4], size=9)
    tag(doc, "endfor")
    tag(doc, "else")
    note(doc, "The records show none of the cautionary factors (parental alcohol or drug misuse, a previous "
              "unsuccessful return home).")
    tag(doc, "endif")


def assessment_body(doc: Doc, ns: str, flags: bool, level: int = 1) -> None:
    def flag(name: str) -> str | None:
        return name if flags else None

    labelled(doc, "Assessment started", f"{ns}.started")

    def family() -> None:
        loop_table(doc, ["Name", "Relationship", "Age", "Household"], f"p in {ns}.genogram.people",
                   ["{{ p.name }}", "{{ p.relationship }}", "{{ p.age }}", "{{ p.household }}"],
                   [4.5, 5.0, 2.5, 5.0])
        genogram_page(doc, f"{ns}.genogram.picture")
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

    domains_body(doc, ns, level)
    section(doc, flag("cautionary_factors"), "Cautionary factors", level, lambda: cautions_body(doc, ns))

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

    # The nominated officer's approval of the placement: Decision 3's ratification and any
    # emergency approval, from the records (reunify/documents/monitoring.py).
    def decision() -> None:
        a = f"{ns}.approval"
        doc.add_paragraph("A placement with parents is approved by a nominated officer{% if " + a + ".officer_role %}"
                          " (here the {{ " + a + ".officer_role | lower }}){% endif %} before it starts.")
        tag(doc, f"if {a}.source")
        source_line(doc, "{{ " + a + ".source }}")
        tag(doc, "endif")
        fields_table(doc, [("Approved by the nominated officer",
                            "{{ " + a + ".approved or 'Not yet approved by the nominated officer' }}")])
        tag(doc, f"for r in {a}.rows")
        fields_table(doc, [("{{ r.what }}", "{{ r.outcome }}"), ("{{ r.approved_label }}", "{{ r.approved_by }}")],
                     optional=[("r.by", "Made by", "{{ r.by }}"), ("r.note", "Reason or note", "{{ r.note }}")])
        tag(doc, "endfor")
    section(doc, flag("decision"), "Approval of the placement with parents", level, decision)

    # The statutory visit rule for the child's legal status, and the visits since the placement.
    def visits() -> None:
        visit_rules(doc, ns, "No visit rule of the workflow applies to this child.")
        doc.add_heading("Visits since the placement with parents", level=level + 1)
        tag(doc, f"if {ns}.visits_since")
        doc.add_paragraph("Placed with parents since {{ " + ns + ".visits_since }}. {{ " + ns + ".visits_summary }}")
        visit_table(doc, f"{ns}.visit_log")
        tag(doc, "else")
        note(doc, "Not placed with parents yet: visits are logged here from the day the placement starts.")
        tag(doc, "endif")
    section(doc, flag("visits"), "Visits", level, visits)

    def contact() -> None:
        loop_table(doc, ["With", "Arrangement", "Supervised", "From"], f"c in {ns}.contact",
                   ["{{ c.with }}", "{{ c.arrangement }}", "{{ c.supervised }}", "{{ c.from }}"],
                   [3.0, 8.1, 2.6, 3.3], size=9.5, empty="No contact arrangements in the plan.")
        doc.add_heading("Court orders about contact", level=level + 1)
        loop_table(doc, ["Order", "With", "Made", "Court", "Terms"], f"o in {ns}.orders",
                   ["{{ o.kind }}", "{{ o.with }}", "{{ o.made }}", "{{ o.court }}",
                    "{{ o.terms }}{% if o.until %} In force until {{ o.until }}.{% endif %}"],
                   [2.6, 2.6, 3.2, 3.0, 5.6], size=9.5, empty="No court order about contact recorded.")
    section(doc, flag("contact"), "Contact and court orders", level, contact)


def source_line(doc: Doc, expression: str) -> None:
    """Where a rule comes from, in small italic type under it."""
    run = doc.add_paragraph().add_run("Source: " + expression + ".")
    run.italic = True
    run.font.size = Pt(9)


def visit_rules(doc: Doc, ns: str, empty: str) -> None:
    """The statutory visit rules that apply, the one that sets the visits first, with sources;
    and that the child is seen alone at every visit."""
    tag(doc, f"if {ns}.visit_rules")
    tag(doc, f"for r in {ns}.visit_rules")
    paragraph = doc.add_paragraph(style="List Bullet")
    paragraph.add_run("{{ r.title }}: ").bold = True
    paragraph.add_run("{{ r.text }} ")
    source = paragraph.add_run("Source: {{ r.source }}.")
    source.italic = True
    source.font.size = Pt(9)
    tag(doc, "endfor")
    tag(doc, "else")
    note(doc, empty)
    tag(doc, "endif")
    tag(doc, f"if {ns}.seen_alone_rule")
    paragraph = doc.add_paragraph(style="List Bullet")
    paragraph.add_run("Seen alone: ").bold = True
    paragraph.add_run("the child is seen alone at every visit. ")
    source = paragraph.add_run("Source: {{ " + ns + ".seen_alone_rule }}.")
    source.italic = True
    source.font.size = Pt(9)
    tag(doc, "endif")


def visit_table(doc: Doc, items: str) -> None:
    loop_table(doc, ["Date", "Announced", "Child seen alone", "By", "Note"], f"v in {items}",
               ["{{ v.date }}", "{{ v.announced }}", "{{ v.seen_alone }}", "{{ v.by }}", "{{ v.note }}"],
               [3.6, 2.8, 2.4, 3.6, 4.6], size=9.5, empty="No visits recorded.")


def outcomes_tool(doc: Doc, o: str) -> None:
    """The outcomes tool over the episode: the completions, then each area's rating at each
    (one table for each number of columns, so that each is laid out to fit), the scale, and
    the notes."""
    tag(doc, f"if {o}.completions")
    loop_table(doc, ["Date", "When in the episode", "Completed by", "With"], f"c in {o}.completions",
               ["{{ c.date }}", "{{ c.point }}", "{{ c.by }}", "{{ c.with }}"], [3.6, 5.0, 3.6, 4.8], size=9.5)
    doc.add_paragraph("Each area at each completion:")
    for count in range(1, 5):
        tag(doc, f"if {o}.count == {count}")
        width = round(12.0 / count, 2)
        loop_table(doc, ["Area", *("{{ " + o + f".columns[{i}] }}}}" for i in range(count))], f"r in {o}.rows",
                   ["{{ r.area }}", *("{% cellbg r.cells[" + str(i) + "].fill %}{{ r.cells[" + str(i) + "].label }}"
                                     for i in range(count))], [5.0, *([width] * count)], size=9.5)
        tag(doc, "endif")
    tag(doc, f"if {o}.left_out")
    note(doc, "Also completed on {{ " + o + ".left_out }} (not shown: the table shows the first completion and "
              "the latest).")
    tag(doc, "endif")
    doc.add_paragraph("The scale:")
    loop_table(doc, ["Rating", "What it means"], f"s in {o}.scale",
               ["{% cellbg s.fill %}{{ s.rating }} {{ s.label }}", "{{ s.meaning }}"], [4.0, 13.0], size=9)
    tag(doc, f"if {o}.notes")
    doc.add_paragraph().add_run("Notes").bold = True
    loop_table(doc, ["Date", "Area", "Rating", "Note"], f"n in {o}.notes",
               ["{{ n.date }}", "{{ n.area }}", "{{ n.rating }}", "{{ n.note }}"], [3.6, 4.0, 1.8, 7.6], size=9.5)
    tag(doc, "endif")
    tag(doc, "else")
    note(doc, "The outcomes tool has not been completed yet.")
    tag(doc, "endif")


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
    # Monitoring: the visits with the rule in force, SDQs, reviews and the outcomes tool.
    def visits() -> None:
        visit_rules(doc, ns, "No visit rule of the workflow applies today: the rules apply while the child is "
                             "placed with parents, or at home after leaving care.")
        tag(doc, f"if {ns}.visits_summary")
        doc.add_paragraph("{{ " + ns + ".visits_summary }}")
        tag(doc, "endif")
        visit_table(doc, f"{ns}.visits")
    section(doc, "visits", "Visits", 1, visits)
    section(doc, "sdq", "Strengths and Difficulties Questionnaires", 1,
            lambda: loop_table(doc, ["Date", "Completed by", "Total (0-40)", "Band", "Recorded by"],
                               f"q in {ns}.sdq", ["{{ q.date }}", "{{ q.informant }}", "{{ q.total }}", "{{ q.band }}",
                                                  "{{ q.by }}"], [3.6, 3.6, 2.6, 3.2, 4.0], size=9.5,
                               empty="No SDQ recorded."))
    section(doc, "reviews", "Reviews", 1,
            lambda: loop_table(doc, ["Date", "Meeting", "Who attended", "What was decided"], f"r in {ns}.reviews",
                               ["{{ r.date }}", "{{ r.meeting }}", "{{ r.attendees }}", "{{ r.decided }}"],
                               [3.6, 3.0, 5.1, 5.3], size=9.5, empty="No reviews recorded."))
    section(doc, "outcomes_tool", "Outcomes tool", 1, lambda: outcomes_tool(doc, f"{ns}.outcomes_tool"))
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
    # Its authors sign it: the chronologist who compiled it, the social worker who owns it.
    doc.add_heading("Signed", level=1)
    signatures(doc, [("{{ doc.roles.chronologist }}", "{{ " + ns + ".chronologist }}"),
                     ("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}")])
    return doc


def genogram_page(doc: Doc, expression: str) -> None:
    """The genogram picture (`expression`) on a landscape A4 page of its own, then back to
    portrait for what follows: section breaks either side of the picture's paragraph, which
    ends its own section, so that nothing else shares its page. The picture is sized for this
    page (2 cm margins; reunify/documents/genogram/items.py). Without a picture, both
    breaks go with it."""
    tag(doc, f"if {expression}")
    orientation(doc, landscape=True)
    picture = doc.add_paragraph("{{ " + expression + " }}")
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.space_before = picture.paragraph_format.space_after = Pt(0)
    orientation(doc, landscape=False)
    ends = doc.paragraphs[-1]._p  # the empty paragraph that ends the landscape section: the picture ends it
    picture._p.get_or_add_pPr().append(ends.pPr.sectPr)
    ends.getparent().remove(ends)
    tag(doc, "endif")
    # Every section names the page header and footer itself, so that none is left without
    # them when a template leaves a section out.
    body = doc.element.body
    every = [*body.xpath("./w:p/w:pPr/w:sectPr"), body.sectPr]
    named = next(s for s in every if s.xpath("w:headerReference|w:footerReference"))
    for properties in every:
        if not properties.xpath("w:headerReference|w:footerReference"):
            for position, reference in enumerate(named.xpath("w:headerReference|w:footerReference")):
                properties.insert(position, copy.deepcopy(reference))


def genogram() -> Doc:
    doc = new_document("Genogram")
    title_block(doc)
    # The key in words first (the picture has its own), then the picture on a landscape page
    # of its own, then everyone on it in a table.
    doc.add_heading("Key", level=1)
    fields_table(doc, [
        ("□ square / ○ circle / ◇ diamond", "male / female / sex not recorded"),
        ("Double outline", "the child this case is about (each child of a sibling group)"),
        ("Cross through a symbol", "died (years shown)"),
        ("Solid / dashed line between partners", "married / living together"),
        ("One slash / two slashes", "separated / divorced"),
        ("Dashed line to a child", "adopted or fostered"),
        ("Dashed box", "a household"),
        ("Double / zigzag / broken line between two people", "close / conflict / cut off"),
    ], widths=(7.0, 10.0))
    genogram_page(doc, "genogram.picture")

    def people() -> None:
        loop_table(doc, ["Name", "Relationship", "Sex", "Born", "Age", "Household"], "p in genogram.people",
                   ["{{ p.name }}", "{{ p.relationship }}", "{{ p.sex }}", "{{ p.born }}", "{{ p.age }}",
                    "{{ p.household }}"], [3.4, 3.6, 2.0, 2.8, 2.2, 3.0], size=9.5)
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
        doc.add_paragraph("Each level, what it means and what follows, and the factors that indicate it: "
                          "☑ found at this classification, ☐ not found.")
        loop_table(doc, ["Level", "What it means, and what follows", "Factors that indicate it", "This case"],
                   f"l in {ns}.levels",
                   ["{% cellbg l.fill %}{{ l.shape }} {{ l.level }}", "{{ l.meaning }}\nWhat follows: {{ l.follows }}",
                    "", "{{ l.this_case }}"], [2.4, 5.2, 7.4, 2.0], size=9)
        factors_cell(doc.tables[-1].rows[2].cells[2], "l.factors")
        tag(doc, f"if not {ns}.factors_recorded")
        note(doc, "No factors were recorded with this classification.")
        tag(doc, "endif")
    section(doc, "levels", "The risk classification table", 1, levels)
    section(doc, "cautionary_factors", "Cautionary factors", 1, lambda: cautions_body(doc, ns))
    section(doc, "history", "Classifications so far", 1,
            lambda: loop_table(doc, ["Classification", "Level", "Date", "Confirmed by"], f"c in {ns}.history",
                               ["{{ c.title }}", "{{ c.level }}", "{{ c.date }}",
                                "{{ c.confirmed_by }} {{ c.confirmed }}"], [5.0, 2.5, 3.5, 6.0]))
    doc.add_heading("Signed", level=1)
    signatures(doc, [("Recommended by", "{{ " + ns + ".current.recommended_by }}"),
                     ("{{ doc.roles.service_manager }} (confirms)", "{{ " + ns + ".current.confirmed_by }}")])
    return doc


# The documents for the child are written to the child, in a larger type; for a young child
# a carer reads them aloud, and a line at the top says so (reunify/documents/for_child.py).
CHILD_TYPE = 12


def for_the_child(doc: Doc, ns: str) -> None:
    """The larger type, the title, and for a young child the line to the carer, in a box."""
    doc.styles["Normal"].font.size = Pt(CHILD_TYPE)
    doc.styles["List Bullet"].font.size = Pt(CHILD_TYPE)
    doc.add_paragraph("{{ doc.title }}", style="Title")
    status_line(doc)
    tag(doc, f"if {ns}.young")
    table = doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    run = cell.paragraphs[0].add_run("{{ " + ns + ".carer }}")
    run.italic = True
    run.font.size = Pt(10.5)
    _shade(cell, LABEL_FILL)
    _widths(table, [17.0])
    doc.add_paragraph()
    tag(doc, "endif")


def accessible_risk_table() -> Doc:
    doc = new_document("Accessible risk classification table")
    ns = "accessible_risk_table"
    for_the_child(doc, ns)
    doc.add_paragraph("For {{ child.first_name }}. {{ " + ns + ".intro }}")
    loop_table(doc, ["Level", "What it means for you", "Where we are"], f"l in {ns}.levels",
               ["{% cellbg l.fill %}{{ l.shape }} {{ l.colour }}: {{ l.level }}", "{{ l.plain }}", "{{ l.marker }}"],
               [4.0, 9.5, 3.5])
    tag(doc, f"if {ns}.current")
    doc.add_paragraph("{% if " + ns + ".current.now %}On {{ " + ns + ".date }} we decided{% else %}The last level "
                      "we decided, on {{ " + ns + ".date }}, was{% endif %}: {{ " + ns + ".current.shape }} "
                      "{{ " + ns + ".current.colour }}, {{ " + ns + ".current.level }}."
                      ).paragraph_format.space_before = Pt(8)
    tag(doc, "else")
    doc.add_paragraph("We have not decided the level yet. We will tell you when we have, and explain why."
                      ).paragraph_format.space_before = Pt(8)
    tag(doc, "endif")
    doc.add_heading("Where things are now", level=1)
    doc.add_paragraph("{{ " + ns + ".now }}")
    doc.add_paragraph("If you want to talk about this, you can ask {{ " + ns + ".worker }}, your social worker"
                      "{% if " + ns + ".trusted_adult %}, or {{ " + ns + ".trusted_adult }}{% endif %}.")
    return doc


def young_persons_report() -> Doc:
    doc = new_document("Young person's report")
    ns = "young_persons_report"
    for_the_child(doc, ns)
    doc.add_paragraph("Dear {{ child.first_name }},")
    doc.add_paragraph("{{ " + ns + ".opening }}")
    doc.add_heading("Where things are now", level=1)
    doc.add_paragraph("{{ " + ns + ".now }}")
    tag(doc, f"if {ns}.level")
    doc.add_heading("What we decided", level=1)
    tag(doc, f"if {ns}.level.now")
    doc.add_paragraph("On {{ " + ns + ".level.date }} we decided how worried we are about you living at home: "
                      "{{ " + ns + ".level.shape }} {{ " + ns + ".level.colour }}, {{ " + ns + ".level.level }}.")
    doc.add_paragraph("{{ " + ns + ".level.plain }}")
    tag(doc, "else")
    doc.add_paragraph("The last time we decided how worried we are about you living at home was on "
                      "{{ " + ns + ".level.date }}: {{ " + ns + ".level.shape }} {{ " + ns + ".level.colour }}, "
                      "{{ " + ns + ".level.level }}.")
    tag(doc, "endif")
    tag(doc, f"if {ns}.for_child")
    doc.add_paragraph("{{ " + ns + ".for_child }}")
    tag(doc, "endif")
    tag(doc, "endif")

    def views() -> None:
        tag(doc, f"if {ns}.seen_alone")
        doc.add_paragraph("We met you on your own on {{ " + ns + ".seen_alone }} and listened to what you told "
                          "us. What you think and feel matters to us, and it helps us decide.")
        tag(doc, "else")
        doc.add_paragraph("We want to hear what you think and feel. You can tell us at any time.")
        tag(doc, "endif")
    section(doc, "views", "What you told us", 1, views)

    def next_steps() -> None:
        doc.add_paragraph("{{ " + ns + ".next }}")
        tag(doc, f"if {ns}.next_steps")
        loop_table(doc, ["What happens", "When"], f"s in {ns}.next_steps", ["{{ s.what }}", "{{ s.when }}"],
                   [12.0, 5.0])
        tag(doc, "endif")
    section(doc, "next_steps", "What happens next", 1, next_steps)

    def trusted() -> None:
        tag(doc, f"if {ns}.trusted_adult")
        doc.add_paragraph("Your trusted adult is {{ " + ns + ".trusted_adult }}. You can talk to them about "
                          "anything in this letter.")
        tag(doc, "else")
        doc.add_paragraph("We will help you choose a trusted adult to talk to.")
        tag(doc, "endif")
        doc.add_paragraph("You can also talk to me, {{ " + ns + ".worker }}, at any time.")
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
    doc.add_heading("Signed", level=1)
    signatures(doc, [("{{ doc.roles.social_worker }}", "{{ doc.social_worker }}"),
                     ("{{ doc.roles.team_manager }}", "{{ doc.team_manager }}")])
    return doc


def pwp_front_sheet() -> Doc:
    doc = new_document("Placed with parents front sheet")
    title_block(doc)
    front_sheet_body(doc, "pwp_front_sheet", flags=True)
    return doc


def orientation(doc: Doc, landscape: bool) -> None:
    """Start a new page section, landscape or portrait (A4, the same margins)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def cpag_cover(doc: Doc, ns: str) -> None:
    """What the panel reads first: when it sits, what it is asked, on what decisions."""
    fields_table(doc, [
        ("Panel date", "{{ " + ns + ".panel.date or 'Not yet set' }}{% if not " + ns + ".panel.held %}"
                       "{% if " + ns + ".panel.date %} (booked){% endif %}{% endif %}"),
        ("Recommendation sought", "{{ " + ns + ".recommendation }}"),
        ("Current risk level", "{{ " + ns + ".level or 'Not classified yet' }}{% if " + ns + ".level_date %}, "
                               "confirmed {{ " + ns + ".level_date }}{% endif %}"),
        ("{% if " + ns + ".returned %}Returned home on{% else %}Planned return{% endif %}",
         "{{ " + ns + ".return_date or 'Not set' }}"),
        ("Last child-in-care review", "{% if " + ns + ".review %}{{ " + ns + ".review.date }}: "
                                      "{{ " + ns + ".review.decided }}{% else %}None recorded.{% endif %}"),
    ], optional=[(ns + ".panel.held", "The panel's recommendation",
                  "{{ " + ns + ".panel.outcome or 'Not recorded.' }}")])
    doc.add_heading("Decisions so far", level=2)
    loop_table(doc, ["Decision", "Outcome", "Made", "Reason"], f"d in {ns}.decisions",
               ["{{ d.title }}", "{{ d.outcome }}", "{{ d.date }}, {{ d.by }}{% if d.ratified_by %}; ratified "
                "{{ d.ratified }}, {{ d.ratified_by }}{% endif %}", "{{ d.reason }}"], [3.6, 3.0, 3.6, 6.8],
               size=9)
    doc.add_heading("Presented to the panel", level=2)
    signatures(doc, [("{{ doc.roles.social_worker }} (presenting)", "{{ doc.social_worker }}"),
                     ("{{ doc.roles.team_manager }}", "{{ doc.team_manager }}"),
                     ("Chair of the panel", "")])


def cpag_pack() -> Doc:
    doc = new_document("CPAG pack")
    title_block(doc)
    ns = "cpag_pack"
    doc.add_heading("Contents", level=1)
    bullets(doc, f"c in {ns}.contents", "{{ c }}")
    section(doc, "cover", "Summary for the panel", 1, lambda: cpag_cover(doc, f"{ns}.cover"))

    def review() -> None:
        tag(doc, f"if {ns}.review")
        fields_table(doc, [("Date", "{{ " + ns + ".review.date }}"), ("Attended", "{{ " + ns + ".review.attendees }}"),
                           ("Decided", "{{ " + ns + ".review.decided or 'Not recorded.' }}")])
        tag(doc, "else")
        note(doc, "No child-in-care review is recorded yet.")
        tag(doc, "endif")

    parts: list[tuple[str, str, Callable[[], None]]] = [
        ("assessment", "Return Home Assessment", lambda: assessment_body(doc, f"{ns}.assessment", False, level=2)),
        ("chronology", "Analytical chronology", lambda: chronology_table(doc, f"{ns}.chronology")),
        ("decisions", "Decisions of the last child-in-care review", review),
        ("agreement", "Parental agreement and goal setting",
         lambda: agreement_body(doc, f"{ns}.agreement", False, level=2)),
        ("plan", "Reunification plan", lambda: plan_body(doc, f"{ns}.plan", False, level=2)),
        ("front_sheet", "Placed with parents front sheet",
         lambda: front_sheet_body(doc, f"{ns}.front_sheet", False, level=2)),
    ]
    for flag, title, body in parts:
        # Each part starts a page (a page break before its heading, which adds no empty
        # page after a section break); the chronology reads across landscape pages of its
        # own, as it does on its own. A part switched off takes its section breaks with it.
        tag(doc, f"if show.{flag}")
        if flag == "chronology":
            orientation(doc, landscape=True)
        doc.add_heading(title, level=1).paragraph_format.page_break_before = True
        body()
        if flag == "chronology":
            orientation(doc, landscape=False)
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
