"""The PowerPoint exports as LibreOffice Impress renders them: titles in title placeholders, alt text, Swedish, clean properties, no overflow."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from kpi import Filters, Period
from report import dokument
from report.model import alt_text
from report.pptx_export import skriv_pptx
from tests.ui.conftest import REPO

SKARMBILDER = REPO / "out" / "screenshots" / "pptx"
PT = 12700  # EMU per point
TOLERANS = 2.0  # points: glyph boxes reach a little past the text box insets
# poppler sizes a word by the font's bounding box (1.3 em for Carlito) while a line takes 1.2 em: a word may reach a
# tenth of its height past the box; a line that overflows lies a whole line (≥ 0.9 of its height) outside.
TOLERANS_HOJD = 0.15

LANG_TITEL = "Lönespecifikationer per årsarbetare och pensionsärenden per handläggare, lön och pension, rullande tolv månader"
LANG_TEXT = " ".join(["Utfallet för perioden ligger under målet och har försämrats jämfört med föregående tertial."] * 5)
LANG_FOTNOT = " · ".join(["Definition: lönespecifikationer (maskinella + manuella) ÷ årsarbetare löneadministratör, per månad"] * 3)


class _Ord(HTMLParser):
    """Words and their boxes from `pdftotext -bbox`, page by page."""

    def __init__(self) -> None:
        super().__init__()
        self.sidor: list[list[tuple[str, float, float, float, float]]] = []
        self._ord: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.sidor.append([])
        elif tag == "word":
            self._ord = {k: float(a[k]) for k in ("xmin", "ymin", "xmax", "ymax")}

    def handle_data(self, data):
        if self._ord is not None and data.strip():
            o = self._ord
            self.sidor[-1].append((data.strip(), o["xmin"], o["ymin"], o["xmax"], o["ymax"]))

    def handle_endtag(self, tag):
        if tag == "word":
            self._ord = None


def rendera(pptx: bytes, katalog: Path, namn: str) -> list[list[tuple[str, float, float, float, float]]]:
    """LibreOffice headless → PDF → words with boxes (points); PNGs of the slides for people to look at."""
    fil = katalog / f"{namn}.pptx"
    fil.write_bytes(pptx)
    # A profile of its own, so a parallel LibreOffice (another test run) never locks this one out.
    profil = f"-env:UserInstallation=file://{katalog / 'lo_profil'}"
    subprocess.run(
        ["soffice", profil, "--headless", "--convert-to", "pdf", "--outdir", str(katalog), str(fil)], check=True, capture_output=True, timeout=180
    )
    pdf = katalog / f"{namn}.pdf"
    SKARMBILDER.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "48", "-png", str(pdf), str(SKARMBILDER / namn)], check=True)
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    tolk = _Ord()
    tolk.feed(xml)
    return tolk.sidor


def _ruta(form) -> tuple[float, float, float, float]:
    return form.left / PT, form.top / PT, (form.left + form.width) / PT, (form.top + form.height) / PT


def _tecken(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def kontrollera(pres, sidor) -> None:
    """Every rendered word lies inside the text box or table it belongs to; boxes neither overlap nor leave the slide."""
    bredd, hojd = pres.slide_width / PT, pres.slide_height / PT
    assert len(sidor) == len(pres.slides)
    for nr, (slide, ord_) in enumerate(zip(pres.slides, sidor), start=1):
        former = [f for f in slide.shapes if f.has_text_frame or f.has_table or f.shape_type == MSO_SHAPE_TYPE.PICTURE]
        rutor = [_ruta(f) for f in former]
        for f, (x0, y0, x1, y1) in zip(former, rutor):
            assert x0 >= 0 and y0 >= 0 and x1 <= bredd + 0.5 and y1 <= hojd + 0.5, f"bild {nr}: {f.name} går utanför bilden"
        for i in range(len(former)):
            for j in range(i + 1, len(former)):
                a, b = rutor[i], rutor[j]
                overlapp = min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1
                assert not overlapp, f"bild {nr}: {former[i].name} och {former[j].name} överlappar"
        i_ruta = [0] * len(former)
        for text, x0, y0, x1, y1 in ord_:
            ty = max(TOLERANS, TOLERANS_HOJD * (y1 - y0))
            hem = [i for i, (a0, b0, a1, b1) in enumerate(rutor) if x0 >= a0 - TOLERANS and y0 >= b0 - ty and x1 <= a1 + TOLERANS and y1 <= b1 + ty]
            assert hem, f"bild {nr}: ordet {text!r} ({x0:.0f}, {y0:.0f}–{y1:.0f} pt) ligger utanför alla textrutor"
            i_ruta[hem[0]] += _tecken(text)
        for f, antal in zip(former, i_ruta):
            vantat = (
                _tecken(f.text_frame.text)
                if f.has_text_frame
                else _tecken(" ".join(c.text for r in f.table.rows for c in r.cells))
                if f.has_table
                else 0
            )
            assert antal == vantat, f"bild {nr}: {f.name} har {antal} tecken inom rutan, texten har {vantat}"


def kontrollera_tillganglighet(pres, dok, pptx: bytes) -> None:
    """Title placeholders with the slide's title, alt text on pictures, Swedish everywhere, properties of this document."""
    for nr, slide in enumerate(pres.slides, start=1):
        titel = slide.shapes.title
        assert titel is not None and titel.is_placeholder, f"bild {nr} saknar rubrikplatshållare"
        assert titel.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert titel.text_frame.text.strip(), f"bild {nr}: tom rubrik"
        assert slide.shapes[0] is not None and slide.shapes[0].shape_id == titel.shape_id, "rubriken läses först"
    bilder = [s for slide in pres.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    sidor_med_bild = [s for s in dok.sidor if s.figur is not None and s.figur.data and s.figur.data[0].type != "table"]
    assert [b._element.nvPicPr.cNvPr.get("descr") for b in bilder] == [alt_text(s) for s in sidor_med_bild]
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        for namn in z.namelist():
            if namn.endswith(".xml"):
                xml = z.read(namn).decode("utf-8")
                sprak = set(re.findall(r'\blang="([^"]*)"', xml))
                assert sprak <= {"sv-SE"}, f"{namn}: språk {sprak}"
                if namn.startswith("ppt/slides/slide"):
                    utan = [t for t in re.findall(r"<a:rPr\b[^>]*>", xml) if 'lang="sv-SE"' not in t]
                    assert not utan, f"{namn}: textkörningar utan språk: {utan[:3]}"
        egenskaper = z.read("docProps/core.xml").decode() + z.read("docProps/app.xml").decode()
    for rest in ("2013", "Steve Canny", "python-pptx", "Microsoft Macintosh", "Office Theme"):
        assert rest not in egenskaper, f"mallens {rest!r} finns kvar i dokumentegenskaperna"
    cp = pres.core_properties
    assert cp.title == dok.titel and cp.author == "Verksamhetsuppföljning" and cp.language == "sv-SE"
    assert abs((datetime.now() - cp.created).total_seconds()) < 24 * 3600 and cp.modified == cp.created


@pytest.fixture(scope="module")
def apt_dok(con, hel_tertial):
    period = Period.parse(f"{hel_tertial.end:%Y-%m}")
    return dokument.rendera(dokument.apt_deck(["maluppfyllelse", "lonespec_per_arsarbetare", "servicegrad"], period, Filters(), con), "pptx")


def test_aptbildspelet_i_libreoffice(apt_dok, tmp_path):
    # One slide with text far longer than any catalogue title, takeaway or source line, to prove the boxes grow and shrink.
    extrem = replace(apt_dok.sidor[1], titel=LANG_TITEL, text=LANG_TEXT, fotnot=LANG_FOTNOT)
    dok = replace(apt_dok, sidor=[*apt_dok.sidor, extrem], bilder=[*apt_dok.bilder, apt_dok.bilder[1]])
    pptx = skriv_pptx(dok)
    pres = Presentation(io.BytesIO(pptx))
    kontrollera_tillganglighet(pres, dok, pptx)
    kontrollera(pres, rendera(pptx, tmp_path, "apt"))
    # The long title wraps to two lines and the chart moves down below it.
    sista = pres.slides[-1]
    bild = next(s for s in sista.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert sista.shapes.title.top + sista.shapes.title.height <= bild.top


def test_tertialrapporten_i_libreoffice(con, hel_tertial, tmp_path):
    dok = dokument.rendera(
        dokument.tertialrapport(hel_tertial.year, hel_tertial.tertial, Filters(), con, ids=["lonespec_per_arsarbetare", "sjukfranvaro_12m"]), "pptx"
    )
    pptx = skriv_pptx(dok)
    pres = Presentation(io.BytesIO(pptx))
    kontrollera_tillganglighet(pres, dok, pptx)
    kontrollera(pres, rendera(pptx, tmp_path, "tertialrapport"))
