"""How a report is set on the page, per the rules its leading issuing body follows: Decree
30/2020/NĐ-CP for state documents, Guidance 36-HD/VPTW for party documents. The one place that
the Word copy (documents.docx) and the PDF's stylesheet (the `report_typeset` tag) read."""

from dataclasses import dataclass

from coordination.models import Body

TEXT_FONT = "Times New Roman"
"""Both rules name Times New Roman; on Linux, Debian's fonts-liberation2 answers with Liberation
Serif (same metrics, Vietnamese covered)."""
TEXT_FONTS_CSS = '"Times New Roman", "Liberation Serif", "Tinos"'
DEVANAGARI_FONT = "Noto Serif Devanagari"
"""Hindi: the face the PDF uses (Debian's fonts-noto-core)."""


@dataclass(frozen=True)
class Typeset:
    """Margins in millimetres, sizes in points."""

    margin_top: int
    margin_bottom: int
    margin_left: int
    margin_right: int
    body: float
    superior: float  # the superior body's name, top left
    issuer: float  # the issuing body's name, bold
    number: float  # "Số …"
    national: float  # ĐẢNG CỘNG SẢN VIỆT NAM, or the state's name
    motto: float  # Độc lập - Tự do - Hạnh phúc (state documents only)
    date_line: float
    title: float  # BÁO CÁO
    subject: float
    table: float
    signature: float
    recipients_label: float
    recipients: float
    page_number: float
    rule_under_national: bool  # the Party's name is ruled; the State rules its motto

    def css(self) -> str:
        """The page and the sizes as CSS custom properties and an @page rule (report.css uses
        them)."""
        sizes = "; ".join(f"--{name.replace('_', '-')}: {value}pt" for name, value in self.sizes())
        margins = (
            f"{self.margin_top}mm {self.margin_right}mm {self.margin_bottom}mm {self.margin_left}mm"
        )
        return f"@page {{ margin: {margins}; }} :root {{ {sizes}; --page-margins: {margins}; }}"

    def sizes(self) -> list[tuple[str, float]]:
        return [
            (name, getattr(self, name))
            for name in self.__dataclass_fields__
            if not name.startswith(("margin_", "rule_"))
        ]


TYPESETS = {
    # Guidance 36-HD/VPTW: the party's name 15 pt bold, the bodies 14 pt, the title 15–16 pt,
    # the text 13–14 pt, "Nơi nhận" 14 pt, its lines 12 pt.
    Body.DocumentStyle.PARTY: Typeset(
        margin_top=20,
        margin_bottom=20,
        margin_left=30,
        margin_right=15,
        body=13,
        superior=14,
        issuer=14,
        number=14,
        national=15,
        motto=14,
        date_line=14,
        title=16,
        subject=14,
        table=10,
        signature=14,
        recipients_label=14,
        recipients=12,
        page_number=14,
        rule_under_national=True,
    ),
    # Decree 30/2020 (Appendix I): the state's name 12–13 pt bold, the motto 13–14 pt bold, the
    # bodies 12–13 pt, the title 13–14 pt bold, the text 13–14 pt, "Nơi nhận" 12 pt bold
    # italic, its lines 11 pt.
    Body.DocumentStyle.STATE: Typeset(
        margin_top=20,
        margin_bottom=20,
        margin_left=30,
        margin_right=15,
        body=13,
        superior=13,
        issuer=13,
        number=13,
        national=13,
        motto=14,
        date_line=14,
        title=14,
        subject=14,
        table=10,
        signature=14,
        recipients_label=12,
        recipients=11,
        page_number=13,
        rule_under_national=False,
    ),
}


def typeset_for(document_style: str) -> Typeset:
    return TYPESETS.get(document_style, TYPESETS[Body.DocumentStyle.PARTY])
