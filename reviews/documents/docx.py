"""The review report as an editable Word file: the print view's context through the Word
template kept beside this module (templates/report.docx, docxtpl tags), so that an office can
change its look in Word without code. The tables are laid out here from documents.tables, the
sizes and margins come from documents.styles, the charts are the pages' SVG as PNG."""

import functools
import io
import re
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from coordination.models import Body

from ..templatetags.assessment_tags import indicator_charts, task_status_label
from ..templatetags.report_tags import (
    document_date,
    document_number,
    issuer_name,
    recipient_lines,
)
from .styles import DEVANAGARI_FONT, TEXT_FONT, Typeset, typeset_for
from .tables import Table, counting_note, figures_tables, plain_text, programme_results_tables

TEMPLATE = Path(__file__).parent / "templates" / "report.docx"
TEXT_WIDTH_MM = 210 - 30 - 15  # A4 less the left and right margins
CHART_WIDTH_MM = 75

# The template's paragraph styles and the size (documents.styles.Typeset) each takes.
STYLE_SIZES = {
    "Normal": "body",
    "Report Text": "body",
    "Part": "body",
    "Section": "body",
    "Subsection": "body",
    "LeadIn": "body",
    "Figure Note": "body",
    "Superior": "superior",
    "Issuer": "issuer",
    "Number": "number",
    "National": "national",
    "Motto": "motto",
    "DateLine": "date_line",
    "DocTitle": "title",
    "Subject": "subject",
    "Table Text": "table",
    "Signature": "signature",
    "Signer": "signature",
    "RecipientsLabel": "recipients_label",
    "Recipients": "recipients",
    "Page Number": "page_number",
}


@functools.cache
def _docx():
    """docxtpl and python-docx, imported when a Word copy is asked for."""
    import docx.enum.text
    import docx.oxml
    import docx.oxml.ns
    import docx.shared
    import docxtpl

    return docxtpl, docx


def paragraphs(text: str) -> list[str]:
    """A text field's paragraphs (blank lines and single line breaks alike start one)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _labels(figures: dict) -> dict:
    """The report's fixed words, with the print view's messages."""
    programme = figures["programme"]
    return {
        "report": pgettext("type of a document", "REPORT"),
        "results": pgettext("part of a review report", "RESULTS"),
        "rolled_out": _("How the programme was rolled out"),
        "by_area": _("Results by content area"),
        "figures_for": _("Figures for %(year)s") % {"year": figures["year"]},
        "programme_results": _("Results over the programme, %(start)s–%(end)s")
        % {"start": programme["start_year"], "end": programme["end_year"]},
        "limitations_part": _("LIMITATIONS, DIFFICULTIES AND THEIR CAUSES"),
        "limitations": _("Limitations and difficulties:"),
        "causes": _("Causes:"),
        "directions": _("DIRECTIONS, TASKS AND SOLUTIONS FOR THE COMING PERIOD"),
        "recommendations": _("Recommendations"),
        "recipients": pgettext("list at the foot of a document", "Recipients:"),
    }


def _letterhead(context: dict) -> dict:
    review, style = context["review"], context["document_style"]
    code = document_number(review.number, context["issuers"], style)
    state = style == Body.DocumentStyle.STATE
    if state:
        number = pgettext("number of a state document", "No.: %(code)s") % {"code": code}
    else:
        number = pgettext("number of a party document", "No. %(code)s") % {"code": code}
    date_line = f"{review.place}, " if review.place else ""
    if review.held_on:
        date_line += pgettext("date line of a document", "%(day)s/%(month)s/%(year)s") % (
            document_date(review.held_on)
        )
    return {
        "issuers": [
            {
                "superior": issuer_name(body["parent"]["name"]) if body["parent"] else "",
                "name": issuer_name(body["name"]),
            }
            for body in context["issuers"]
        ],
        "issuer_mark": "" if state else "*",
        "number_line": number,
        "national": _("SOCIALIST REPUBLIC OF VIETNAM")
        if state
        else _("COMMUNIST PARTY OF VIETNAM"),
        "motto": _("Independence - Freedom - Happiness") if state else "",
        "date_line": date_line,
    }


def _signature_columns(signatures) -> dict:
    """Two columns; a single signature block stands at the right, as on paper."""
    blocks = [
        {
            "authority": signature.authority,
            "signer_title": signature.signer_title,
            "signer_name": signature.signer_name,
        }
        for signature in signatures
    ]
    blocks = [{}] * (2 - len(blocks)) + blocks if len(blocks) < 2 else blocks
    return {"left": blocks[0], "right": blocks[1]}


def _sections(context: dict) -> list[dict]:
    sections = []
    for item in context["sections"]:
        section, tasks = item["section"], item["tasks"] or {}
        progress = ""
        if tasks.get("total"):
            progress = _(
                "Tasks: %(done)s of %(total)s done, %(in_progress)s in progress, "
                "%(overdue)s overdue."
            ) % {key: tasks[key] for key in ("done", "total", "in_progress", "overdue")}
        sections.append(
            {
                "title": tasks.get("title") or section.content_area.title,
                "results": paragraphs(section.results),
                "limitations": paragraphs(section.limitations),
                "causes": paragraphs(section.causes),
                "solutions": paragraphs(section.solutions),
                "task_progress": progress,
            }
        )
    return sections


def _mark_header_row(row, docx) -> None:
    """The header row repeats on each page (w:tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    element = docx.oxml.OxmlElement("w:tblHeader")
    element.set(docx.oxml.ns.qn("w:val"), "true")
    properties.append(element)


def _keep_rows_whole(table, docx) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(docx.oxml.OxmlElement("w:cantSplit"))


def _styler(document, name: str):
    """Sets a paragraph style by its id: python-docx looks a style's name up in about 3 ms,
    which for every cell of a national report's tables would take seconds."""
    style_id = document.styles[name].style_id

    def apply(paragraph) -> None:
        paragraph._p.get_or_add_pPr().style = style_id

    return apply


def add_table(document, table: Table) -> None:
    """One table of documents.tables into a python-docx document (a subdocument)."""
    _docxtpl, docx = _docx()
    table_text = _styler(document, "Table Text")
    right = docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    centre = docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    if table.heading:
        document.add_paragraph(table.heading, style="Subsection")
    grid = document.add_table(rows=len(table.rows) + 1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.autofit = False
    total = sum(table.widths)
    widths = [docx.shared.Mm(TEXT_WIDTH_MM * width / total) for width in table.widths]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    rows = grid.rows
    _mark_header_row(rows[0], docx)
    _keep_rows_whole(grid, docx)
    for cell, text, width in zip(rows[0].cells, table.header, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        table_text(paragraph)
        paragraph.alignment = centre
        paragraph.add_run(text).bold = True
    for row, values in zip(rows[1:], table.rows, strict=True):
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            table_text(paragraph)
            if value.number:
                paragraph.alignment = right
            paragraph.add_run(value.text)
            if value.note:
                paragraph.add_run().add_break()
                note = paragraph.add_run(value.note)
                note.italic = True
                note.font.size = docx.shared.Pt(8)
    for note in table.notes:
        document.add_paragraph(note, style="Table Note")


def chart_images(indicators: list[dict]) -> list[tuple[str, bytes]]:
    """The final review's charts (one per indicator), the SVG the pages show, as PNG."""
    import cairosvg

    html = render_to_string("partials/charts/series.html", indicator_charts(indicators))
    charts = re.findall(r"<figcaption[^>]*>(.*?)</figcaption>.*?(<svg.*?</svg>)", html, re.S)
    return [
        (plain_text(caption), cairosvg.svg2png(bytestring=svg.encode(), scale=3))
        for caption, svg in charts
    ]


def _add_charts(document, indicators: list[dict]) -> None:
    _docxtpl, docx = _docx()
    charts = chart_images(indicators)
    if not charts:
        return
    grid = document.add_table(rows=(len(charts) + 1) // 2, cols=2)
    for index, (caption, png) in enumerate(charts):
        cell = grid.rows[index // 2].cells[index % 2]
        cell.paragraphs[0].style = "Table Text"
        cell.paragraphs[0].add_run(caption).italic = True
        picture = cell.add_paragraph().add_run()
        picture.add_picture(io.BytesIO(png), width=docx.shared.Mm(CHART_WIDTH_MM))


def _programme_results(template, context: dict):
    """A final review's part I.4 as a subdocument, or None."""
    figures = context["figures"]
    results = figures.get("programme_results")
    if not results:
        return None
    document = template.new_subdoc()
    indicators, zones = programme_results_tables(results, figures["programme"])
    add_table(document, indicators)
    _add_charts(document, results["indicators"])
    add_table(document, zones)
    document.add_paragraph(_("Tasks over the programme"), style="Subsection")
    tasks = results["tasks"]
    counts = "; ".join(
        f"{task_status_label(status)}: {count}" for status, count in tasks["counts"].items()
    )
    overdue = ngettext(
        "%(overdue)s task overdue.", "%(overdue)s tasks overdue.", tasks["overdue"]
    ) % {"overdue": tasks["overdue"]}
    document.add_paragraph(f"{counts}. {overdue}", style="Report Text")
    if tasks["open"]:
        document.add_paragraph(_("Tasks still open, carried into the next programme:"), "LeadIn")
        for task in tasks["open"]:
            line = (
                f"- {task['title']} ({task['content_area']}; {task_status_label(task['status'])})"
            )
            document.add_paragraph(line, style="Report Text")
    carried = paragraphs(context["review"].carried_forward)
    if carried:
        document.add_paragraph(_("Carried into the next programme:"), style="LeadIn")
        for paragraph in carried:
            document.add_paragraph(paragraph, style="Report Text")
    return document


def apply_typeset(document, typeset: Typeset) -> None:
    """The page, margins and sizes of the leading body's rules on the rendered document."""
    _docxtpl, docx = _docx()
    for section in document.sections:
        section.page_width, section.page_height = docx.shared.Mm(210), docx.shared.Mm(297)
        section.top_margin = docx.shared.Mm(typeset.margin_top)
        section.bottom_margin = docx.shared.Mm(typeset.margin_bottom)
        section.left_margin = docx.shared.Mm(typeset.margin_left)
        section.right_margin = docx.shared.Mm(typeset.margin_right)
    styles = document.styles
    for name, size in STYLE_SIZES.items():
        styles[name].font.size = docx.shared.Pt(getattr(typeset, size))
    styles["National"].font.underline = typeset.rule_under_national
    fonts = styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(docx.oxml.ns.qn(attribute), TEXT_FONT)
    fonts.set(docx.oxml.ns.qn("w:cs"), DEVANAGARI_FONT)


def build_docx(context: dict) -> bytes:
    """The Word copy of a review from the print view's context (reviews.selectors.
    programme_reviews.review_context), in the active language."""
    docxtpl, _docx_module = _docx()
    review, figures = context["review"], context["figures"]
    template = docxtpl.DocxTemplate(TEMPLATE)
    tables = template.new_subdoc()
    for table in figures_tables(context):
        add_table(tables, table)
    draft = not review.is_final
    values = {
        "review": review,
        "draft": draft,
        "draft_mark": _("DRAFT") if draft else "",
        "draft_note": f"{_('DRAFT')} {plain_text(render_to_string('reviews/report/scope_note.html', context))}"
        if draft
        else "",
        "labels": _labels(figures),
        **_letterhead(context),
        "summary": paragraphs(review.summary),
        "sections": _sections(context),
        "counting_note": counting_note(figures),
        "figures_tables": tables,
        "programme_results": _programme_results(template, context),
        "recommendations": paragraphs(review.recommendations),
        **_signature_columns(context["signatures"]),
        "recipients": recipient_lines(review.recipients),
    }
    template.render(values, autoescape=True)
    apply_typeset(template.docx, typeset_for(context["document_style"]))
    template.docx.core_properties.title = review.title
    output = io.BytesIO()
    template.save(output)
    return output.getvalue()
