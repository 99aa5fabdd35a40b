"""Every format variation of every source parses to the same table rows (reading, parsing and shaping; no GX)."""

from __future__ import annotations

from datetime import date, datetime, time

import polars as pl
import pytest

from etl import lasa
from etl.kallor import KALLOR, STANDARD_INTAKTSGRUPPER, tolka_kolumner
from etl.skriva import enligt_kontrakt
from tests.etl.filer import KANON, VARIANTER, Variant, skriv_csv, skriv_variant


def tabell(fil, kalla: str) -> pl.DataFrame:
    """A raw file as its Parquet table rows (what the ETL would write), sorted by natural key."""
    k = KALLOR[kalla]
    ra = lasa.las(fil, k)
    stegad = k.stega(tolka_kolumner(ra.data, k), STANDARD_INTAKTSGRUPPER)
    return enligt_kontrakt(k.till_tabell(stegad), k.tabell).sort(list(k.nyckel), nulls_last=True)


@pytest.fixture(scope="module")
def referens(tmp_path_factory) -> dict[str, pl.DataFrame]:
    mapp = tmp_path_factory.mktemp("ref")
    return {k: tabell(skriv_variant(mapp, k, VARIANTER[0]), k) for k in KANON}


@pytest.mark.parametrize("variant", VARIANTER[1:], ids=lambda v: v.namn)
@pytest.mark.parametrize("kalla", list(KANON))
def test_variant_ger_samma_rader(kalla: str, variant: Variant, referens, tmp_path):
    fil = skriv_variant(tmp_path, kalla, variant)
    assert tabell(fil, kalla).equals(referens[kalla]), f"{kalla} i varianten {variant.namn} gav andra rader"


def test_referensen_har_ratt_varden(referens):
    assert sorted(referens["volymer"]["antal"].to_list()) == [180, 4321, 12345]
    assert referens["volymer"]["manad"].unique().to_list() == [date(2024, 3, 1)]
    assert referens["bemanning"].filter(pl.col("roll") == "Löneadministratör")["arsarbetare"].item() == 450.25
    t = referens["telefoni"].row(0, named=True)
    assert (t["manad"], t["intervall_start"], t["intervall_slut"]) == (date(2024, 3, 1), time(8, 0), time(8, 15))
    assert (t["total_samtalstid_s"], t["langsta_vantetid_s"], t["avbrutna_inom_5s"]) == (3725.0, 143.0, None)
    s = referens["samtal"].row(0, named=True)
    assert (s["starttid"], s["besvarad"], s["vantetid_s"]) == (datetime(2024, 3, 15, 8, 3, 12), True, 143.0)
    assert referens["samtal"]["besvarad"].to_list() == [True, False]
    # Agresso books revenue negative; Parquet holds it positive with typ telling which
    e = {r["typ"]: r for r in referens["ekonomi"].to_dicts()}
    assert (e["intakt"]["budget_kr"], e["intakt"]["utfall_kr"]) == (2302100.0, 2176550.93)
    assert (e["kostnad"]["budget_kr"], e["kostnad"]["konto"]) == (1422800.0, None)
    assert referens["prognos"].filter(pl.col("typ") == "intakt")["helarsprognos_kr"].item() == 26235000.5
    assert referens["mal"].select("ar", "arsmal", "kf_arsmal", "enhet").rows() == [(2024, 1150.0, 1100.5, None), (2024, 6.5, None, "Löneenhet Nord")]
    i = {r["period"]: r for r in referens["indikatorer"].to_dicts()}
    assert (i["2024"]["period_typ"], i["2024"]["period_start"], i["2024"]["period_slut"]) == ("ar", date(2024, 1, 1), date(2024, 12, 1))
    assert (i["2024-T2"]["period_typ"], i["2024-T2"]["period_start"], i["2024-T2"]["period_slut"]) == ("tertial", date(2024, 5, 1), date(2024, 8, 1))
    assert (i["2024-05"]["period_typ"], i["2024-05"]["enhet"]) == ("manad", "Pensionsenheten")


@pytest.mark.parametrize(
    "kolumner",
    [
        ("Kontotyp",),  # Intäkt/Kostnad stated
        ("Konto",),  # 3xxx revenue, 4xxx–8xxx cost
        (),  # neither: the revenue-group list decides
    ],
    ids=["kontotyp", "konto", "intaktsgrupper"],
)
def test_ekonomi_typ_fran_kontotyp_konto_eller_grupplista(kolumner, tmp_path, referens):
    konto = {"Försäljning av tjänster": "3510", "Personalkostnader": "5110"}
    rader = [
        {
            **{k: v for k, v in r.items() if k != "Kontotyp"},
            **({"Konto": konto[r["Kontogrupp"]]} if "Konto" in kolumner else {}),
            **({"Kontotyp": r["Kontotyp"]} if "Kontotyp" in kolumner else {}),
        }
        for r in KANON["ekonomi"]
    ]
    t = tabell(skriv_variant(tmp_path, "ekonomi", VARIANTER[0], rader), "ekonomi")
    assert t.drop("konto").equals(referens["ekonomi"].drop("konto"))
    assert t["konto"].to_list() == ([None, None] if "Konto" not in kolumner else ["3510", "5110"])


def test_okand_kolumn_rapporteras_och_summarad_tas_bort(tmp_path):
    fil = skriv_csv(
        tmp_path / "volymer.csv",
        ["Månad", "Enhet", "Förvaltning", "Kategori", "Antal", "Kommentar"],
        [["2024-03", "E", "F", "K", "5", "hej"], ["2024-03", "E", "F", "K2", "7", ""], ["", "", "", "", "", ""], ["Summa", "", "", "", "12", ""]],
    )
    ra = lasa.las(fil, KALLOR["volymer"])
    assert ra.okanda_kolumner == ["Kommentar"]
    assert ra.borttagna_summarader == [5]
    assert ra.data["antal"].to_list() == ["5", "7"]
    assert ra.data["_rad"].to_list() == [2, 3]


def test_rad_med_for_manga_falt_avvisas_med_radnummer(tmp_path):
    # '12,5' unquoted in a comma-separated file would silently become 12 if extra fields were just cut off
    fil = tmp_path / "v.csv"
    fil.write_text("Månad,Enhet,Förvaltning,Kategori,Antal\n2024-03,E,F,K,12\n2024-03,E,F,K2,12,5\n", encoding="utf-8")
    with pytest.raises(lasa.LasFel, match=r"Rad 3 har 6 fält men rubrikraden har 5 \(överskott: '5'\)"):
        lasa.las(fil, KALLOR["volymer"])


def test_tomma_extra_falt_i_slutet_godtas(tmp_path):
    fil = tmp_path / "v.csv"
    fil.write_text("Månad;Enhet;Förvaltning;Kategori;Antal\n2024-03;E;F;K;12;\n2024-03;E;F;K2;7;;\n", encoding="utf-8")
    assert lasa.las(fil, KALLOR["volymer"]).data["antal"].to_list() == ["12", "7"]


@pytest.mark.parametrize(
    ("text", "rader"),
    [
        ("sep=;\nMånad;Enhet;Förvaltning;Kategori;Antal\n2024-03;E;F;K;5\n\n2024-03;E;F;K2;7\n", [3, 5]),
        ("Volymrapport Lisa\nUttag 2024-04-02\n\nMånad,Enhet,Förvaltning,Kategori,Antal\n2024-03,E,F,K,5\n2024-03,E,F,K2,7\n", [5, 6]),
    ],
    ids=["sep-rad", "titelrader"],
)
def test_rubrikraden_hittas_och_radnummer_stammer(text, rader, tmp_path):
    fil = tmp_path / "v.csv"
    fil.write_text(text, encoding="utf-8")
    data = lasa.las(fil, KALLOR["volymer"]).data
    assert data["_rad"].to_list() == rader
    assert data["antal"].to_list() == ["5", "7"]


RUBRIK = ["Månad", "Enhet", "Förvaltning", "Kategori", "Antal"]


@pytest.mark.parametrize(
    ("blad", "rader"),
    [
        # a title row above the header, an empty row between the data rows
        ({0: ["Volymer per månad"], 1: RUBRIK, 2: ["2024-03", "E", "F", "K", 5], 4: ["2024-03", "E", "F", "K2", 7]}, [(3, "5"), (5, "7")]),
        # three empty rows above the header: Excel shows it on row 4, and reports must use the same numbers
        ({3: RUBRIK, 4: ["2024-03", "E", "F", "K", 5], 6: ["2024-03", "E", "F", "K2", 7]}, [(5, "5"), (7, "7")]),
    ],
    ids=["titelrad_och_tom_rad", "tomma_rader_ovanfor_rubriken"],
)
def test_xlsx_radnummer_som_i_excel(blad, rader, tmp_path):
    import xlsxwriter

    fil = tmp_path / "v.xlsx"
    bok = xlsxwriter.Workbook(str(fil))
    ark = bok.add_worksheet()
    for nr, rad in blad.items():
        ark.write_row(nr, 0, rad)
    bok.close()
    data = lasa.las(fil, KALLOR["volymer"]).data
    assert data.select("_rad", "antal").rows() == rader
