"""Real Chromium downloads a table from Ekonomi as Excel and CSV: it opens, the headers are Swedish with units, the numbers are the catalogue's."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

import kpi
import lake
from kpi.period import Filters, Period, tertial_of
from kpi.queries import SIDOR
from scripts.skarmbilder import starta_webblasare, vanta_klar
from scripts.streamlit_server import server


@pytest.mark.browser
def test_avvikelsetabellen_laddas_ner_med_katalogens_tal(ui_lake, tmp_path):
    from playwright.sync_api import sync_playwright

    con = lake.connect(ui_lake)
    senaste = kpi.senaste_manad(con)
    avv = SIDOR["ekonomi"](con, Period(senaste.year, tertial=tertial_of(senaste.month)), Filters())["avvikelser"]
    with server(ui_lake) as url, sync_playwright() as p:
        webblasare = starta_webblasare(p)
        try:
            sida = webblasare.new_page(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
            sida.goto(f"{url}/ekonomi")
            vanta_klar(sida)
            sida.get_by_role("heading", name="Ekonomi").first.wait_for()
            filer = {}
            knappar = sida.locator(".st-key-vu_ned_avvikelser")
            knappar.wait_for(timeout=90_000)  # the page's last element: under load the page may take a while to finish
            for format in ("Excel", "CSV"):
                # the download buttons under the controller's deviation table (one row of buttons per table and chart)
                with sida.expect_download(timeout=60_000) as nedladdning:
                    knappar.get_by_role("button", name=format, exact=True).click()
                fil = tmp_path / nedladdning.value.suggested_filename
                nedladdning.value.save_as(fil)
                filer[format] = fil
        finally:
            webblasare.close()

    blad = openpyxl.load_workbook(filer["Excel"]).active
    rader = list(blad.iter_rows(values_only=True))
    assert rader[0][:4] == ("Enhet", "Kontogrupp", "Typ", "Budget (tkr)")
    assert "Avvikelse (+ = bättre) (tkr)" in rader[0] and "Avvikelse i procent av budget (%)" in rader[0]
    kol = rader[0].index("Avvikelse (+ = bättre) (tkr)")
    excel = {(r[0], r[1]): r[kol] for r in rader[1:]}
    for r in avv.iter_rows(named=True):
        (katalog,) = kpi.compute(Period(senaste.year, month=senaste.month, ytd=True), Filters(units=(r["ansvar"],)), ids=["budgetavvikelse"], con=con)
        assert excel[(r["ansvar"], r["kontogrupp"])] == round(r["avvikelse"] / 1000), "talet som det visas, i tkr"
        assert isinstance(excel[(r["ansvar"], r["kontogrupp"])], (int, float))
    per_ansvar = {}
    for (ansvar, _), v in excel.items():
        per_ansvar[ansvar] = per_ansvar.get(ansvar, 0) + v
    for ansvar, summa in per_ansvar.items():
        (katalog,) = kpi.compute(Period(senaste.year, month=senaste.month, ytd=True), Filters(units=(ansvar,)), ids=["budgetavvikelse"], con=con)
        assert abs(summa - katalog.varde / 1000) <= len(avv) * 0.5 + 1e-9, "kontogrupperna summerar till enhetens budgetavvikelse"

    text = filer["CSV"].read_bytes().decode("utf-8-sig")
    csv_rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert csv_rader[0] == list(rader[0])
    assert len(csv_rader) == len(rader)
