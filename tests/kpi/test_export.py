"""Downloads: Swedish headers with units, numbers as displayed and stored as numbers, safe sheet names, formulas neutralised."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date

import openpyxl
import polars as pl
import pytest

import kpi
import lake
from kpi.period import Filters, Period
from kpi.queries import SIDOR
from kpi.tabell import Kolumn, bladnamn, csv_bytes, exportram, indikatorkolumn, resultatram, visningsram, xlsx_bytes


@pytest.mark.parametrize(
    ("titel", "namn"),
    [
        ("Lönespecifikationer per månad: maskinell och manuell", "Lönespecifikationer per månad m"),
        ("Avvikelser [tkr] / budget? *", "Avvikelser tkr budget"),
        ("'Citerad'", "Citerad"),
        ("History", "Data history"),
        ("", "Data"),
    ],
)
def test_bladnamn_ar_giltiga(titel, namn):
    assert bladnamn(titel) == namn
    assert len(bladnamn(titel)) <= 31


def test_bladnamn_unika():
    forsta = bladnamn("Sjukfrånvaro per enhet och månad 2026 (alla)")
    andra = bladnamn("Sjukfrånvaro per enhet och månad 2026 (alla)", {forsta})
    assert forsta != andra and len(andra) <= 31


def test_excel_med_kolon_i_titeln_oppnas_och_haller_tal():
    ram = exportram(
        pl.DataFrame({"manad": [date(2026, 3, 1)], "varde": [1_234_567.89], "namn": ['=HYPERLINK("http://evil.example/x","Klicka")']}),
        [Kolumn("manad", "Månad"), indikatorkolumn("resultat"), Kolumn("namn", "Förvaltning")],
    )
    assert ram.columns == ["Månad", "Resultat (tkr)", "Förvaltning"]
    bok = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(ram, "Lönespecifikationer per månad: maskinell och manuell")))
    blad = bok.active
    assert blad.title == "Lönespecifikationer per månad m"
    rad = [c.value for c in blad[2]]
    assert rad[1] == 1235 and isinstance(rad[1], (int, float)), "talet som det visas (tkr), lagrat som tal"
    assert blad.cell(2, 3).data_type == "s", "ett namn som ser ut som en formel är text i Excel"


@pytest.mark.parametrize("nyttolast", ['=HYPERLINK("http://evil.example/x","Klicka")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3+cmd|' /C calc'!A0"])
def test_csv_neutraliserar_formler(nyttolast):
    text = csv_bytes(pl.DataFrame({"Förvaltning": [nyttolast], "Antal": [-12.5]})).decode("utf-8-sig")
    rader = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rader[1] == ["'" + nyttolast, "-12,5"]


def test_visning_och_export_ar_samma_tal():
    df = pl.DataFrame({"enhet": ["Löneenhet Nord"], "varde": [6.4243], "belopp": [-275_697.0]})
    kolumner = [Kolumn("enhet", "Enhet"), indikatorkolumn("sjukfranvaro_12m"), indikatorkolumn("resultat", "belopp")]
    assert visningsram(df, kolumner).row(0) == ("Löneenhet Nord", "6,4\u00a0%", "−276\u00a0tkr")
    assert exportram(df, kolumner).row(0) == ("Löneenhet Nord", 6.4, -276.0)
    assert exportram(df, kolumner).columns == ["Enhet", "Sjukfrånvaro, rullande 12 månader (%)", "Resultat (tkr)"]


def test_maluppfyllelse_exporteras_som_tal(sample_lake):
    con = lake.connect(sample_lake)
    resultat = SIDOR["maluppfyllelse"](con, Period(2025, tertial=2), Filters())["indikatorer"]
    ram = resultatram(resultat)
    assert ram.schema["Periodens utfall"] == pl.Float64 and ram.schema["Årsmål"] == pl.Float64
    for r, rad in zip(resultat, ram.iter_rows(named=True)):
        assert rad["Periodens utfall"] == r.visning.tal(r.varde) and rad["Enhet"] == r.visning.enhet


def test_libreoffice_oppnar_excel_och_talen_ar_skarmens(sample_lake, tmp_path):
    """The Ekonomi deviations download, opened by LibreOffice headless, holds the numbers the page shows."""
    assert shutil.which("soffice"), "LibreOffice saknas: scripts/ensure_system.sh installerar libreoffice-calc"
    con = lake.connect(sample_lake)
    senaste = kpi.senaste_manad(con)
    d = SIDOR["ekonomi"](con, Period(senaste.year, tertial=3), Filters())
    kolumner = [Kolumn("ansvar", "Enhet"), Kolumn("kontogrupp", "Kontogrupp"), indikatorkolumn("budgetavvikelse", "avvikelse")]
    fil = tmp_path / "avvikelser.xlsx"
    fil.write_bytes(xlsx_bytes(exportram(d["avvikelser"], kolumner), "Avvikelser mot budget: hittills i år"))
    profil = tmp_path / "lo-profil"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profil}", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1",
         "--outdir", str(tmp_path), str(fil)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    rader = list(csv.reader((tmp_path / "avvikelser.csv").read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rader[0] == ["Enhet", "Kontogrupp", "Budgetavvikelse (tkr)"]
    skarm = visningsram(d["avvikelser"], kolumner)
    for lo, visad in zip(rader[1:], skarm.iter_rows()):
        assert lo[:2] == list(visad[:2])
        assert float(lo[2]) == float(visad[2].replace("\u00a0tkr", "").replace("\u00a0", "").replace("−", "-").replace(",", "."))


def test_dokumentationen_ar_genererad_ur_katalogen():
    from kpi.dokumentation import FIL, markdown

    assert FIL.read_text(encoding="utf-8") == markdown(), "docs/indikatorer.md är inaktuell: kör python -m kpi.dokumentation"


def test_png_bar_period_urval_och_datadatum():
    import diagram

    fig = diagram.linje_mot_mal(
        pl.DataFrame({"period_start": [date(2026, 9, 1), date(2026, 10, 1)], "varde": [84.0, 86.0]}),
        mal=85,
        matt=kpi.CATALOGUE["servicegrad"].visning,
    )
    stampad = diagram.stampla(fig, "T3 2026 · Alla köer · data t.o.m. oktober 2026")
    assert any("data t.o.m. oktober 2026" in a.text for a in stampad.layout.annotations)
    assert not any("data t.o.m." in (a.text or "") for a in fig.layout.annotations), "originalet på sidan lämnas orört"
