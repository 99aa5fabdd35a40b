"""PDF (A4, DejaVu Sans for Swedish characters) from a Dokument: title page, goal table, one page per chart."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from kpi.format import STATUS_FARG, STATUS_ORD, STATUS_SYMBOL, STATUS_TEXTFARG
from report.model import MALTABELL_RUBRIKER, Dokument

TYPSNITT_KATALOG = Path("/usr/share/fonts/truetype/dejavu")
MORK = (34, 34, 34)
GRA = (89, 89, 89)


def _hex(farg: str) -> tuple[int, int, int]:
    farg = farg.lstrip("#")
    return tuple(int(farg[i : i + 2], 16) for i in (0, 2, 4))


class _Rapport(FPDF):
    """A4 portrait with a running footer: report title and page 'N av M'."""

    sidfot_text = ""

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(*GRA)
        self.cell(0, 5, self.sidfot_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Sida {self.page_no()} av {{nb}}", align="R")


def _ny_pdf(dok: Dokument) -> _Rapport:
    saknas = [n for n in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf") if not (TYPSNITT_KATALOG / n).exists()]
    if saknas:
        raise RuntimeError(f"Typsnittet DejaVu Sans saknas ({', '.join(saknas)}): kör 'bash scripts/ensure_system.sh'.")
    pdf = _Rapport(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(TYPSNITT_KATALOG / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(TYPSNITT_KATALOG / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(dok.titel)
    pdf.set_lang("sv-SE")
    pdf.set_creator("Verksamhetsuppföljning")
    pdf.sidfot_text = dok.titel
    return pdf


def _titelsida(pdf: _Rapport, dok: Dokument) -> None:
    pdf.add_page()
    pdf.set_y(95)
    pdf.set_text_color(*MORK)
    pdf.set_font("DejaVu", "B", 30)
    pdf.multi_cell(0, 13, dok.titel, align="L")
    pdf.ln(4)
    pdf.set_draw_color(*_hex(STATUS_FARG["uppfylls_helt"]))
    pdf.set_line_width(1.2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 60, pdf.get_y())
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 15)
    pdf.set_text_color(*GRA)
    pdf.multi_cell(0, 8, dok.undertitel, align="L")
    pdf.set_y(-40)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"Framtagen {date.today().isoformat()} ur Verksamhetsuppföljning")


def _tabellsida(pdf: _Rapport, dok: Dokument) -> None:
    """The city's report table; Bedömning shows symbol + word on the status colour so colour is never alone."""
    pdf.add_page()
    pdf.set_text_color(*MORK)
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(0, 10, dok.tabell_rubrik, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    rubrik_stil = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(60, 60, 60))
    with pdf.table(
        col_widths=(62, 27, 19, 19, 17, 30),
        text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "LEFT"),
        headings_style=rubrik_stil,
        line_height=4.4,
        padding=1.3,
        borders_layout="HORIZONTAL_LINES",
        repeat_headings=1,
    ) as tabell:
        rad = tabell.row()
        for rubrik in MALTABELL_RUBRIKER:
            rad.cell(rubrik)
        for tabellrad in dok.tabell or []:
            rad = tabell.row()
            for kol, text in enumerate(tabellrad.celler):
                if kol == len(MALTABELL_RUBRIKER) - 1:
                    ej = tabellrad.status == "ej_bedomd"
                    stil = FontFace(
                        emphasis="BOLD",
                        color=_hex(STATUS_TEXTFARG[tabellrad.status]),
                        fill_color=(238, 238, 238) if ej else _hex(STATUS_FARG[tabellrad.status]),
                    )
                    rad.cell(f"{STATUS_SYMBOL[tabellrad.status]} {text}", style=stil)
                else:
                    rad.cell(text)
    if dok.tabell_fotnot:
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(*GRA)
        pdf.multi_cell(0, 4.2, dok.tabell_fotnot, align="L")


def _diagramsida(pdf: _Rapport, sida, png: bytes | None) -> None:
    pdf.add_page()
    pdf.set_text_color(*MORK)
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(0, 8, sida.titel, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if png is not None:
        bredd = pdf.w - pdf.l_margin - pdf.r_margin
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=bredd, alt_text=sida.titel)  # height follows the picture's proportions
        pdf.ln(4)
    if sida.nyckeltal:
        _nyckeltal(pdf, sida)
    pdf.set_text_color(*MORK)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, sida.text, align="L", new_x="LMARGIN", new_y="NEXT")
    if sida.fotnot:
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(*GRA)
        pdf.multi_cell(0, 4.2, sida.fotnot, align="L", new_x="LMARGIN", new_y="NEXT")


def _nyckeltal(pdf: _Rapport, sida) -> None:
    """A row of boxes: the period's value, target and comparisons; the first box carries the assessment badge."""
    bredd = (pdf.w - pdf.l_margin - pdf.r_margin) / len(sida.nyckeltal)
    x0, y0 = pdf.l_margin, pdf.get_y()
    for i, (etikett, varde) in enumerate(sida.nyckeltal):
        x = x0 + i * bredd
        pdf.set_fill_color(244, 244, 244)
        pdf.rect(x + 0.8, y0, bredd - 1.6, 17, style="F")
        pdf.set_xy(x + 3, y0 + 2)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(*GRA)
        pdf.cell(bredd - 6, 4, etikett)
        pdf.set_xy(x + 3, y0 + 7.5)
        pdf.set_font("DejaVu", "B", 14)
        pdf.set_text_color(*MORK)
        pdf.cell(bredd - 6, 7, varde)
    pdf.set_xy(x0, y0 + 20)
    if sida.status:
        ej = sida.status == "ej_bedomd"
        pdf.set_fill_color(*((238, 238, 238) if ej else _hex(STATUS_FARG[sida.status])))
        pdf.set_text_color(*_hex(STATUS_TEXTFARG[sida.status]))
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(
            pdf.get_string_width(STATUS_ORD[sida.status]) + 14,
            7,
            f"{STATUS_SYMBOL[sida.status]} {STATUS_ORD[sida.status]}",
            fill=True,
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(3)


def skriv_pdf(dok: Dokument) -> bytes:
    """The report as PDF bytes: title page, goal table when present, then one page per chart page."""
    pdf = _ny_pdf(dok)
    _titelsida(pdf, dok)
    if dok.tabell is not None:
        _tabellsida(pdf, dok)
    bilder = iter(dok.bilder)
    for sida in dok.sidor:
        _diagramsida(pdf, sida, next(bilder) if sida.figur is not None else None)
    return bytes(pdf.output())
