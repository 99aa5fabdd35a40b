"""The goal hierarchy source: read in every export variant, each rule rejects its bad delivery, the sample's tree as the plan reads."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
import xlsxwriter

import etl
import lake
from etl import lasa
from etl.kallor import KALLOR, STANDARD_INTAKTSGRUPPER, tolka_kolumner
from etl.validera import Validerare, forkontroll
from tests.etl.filer import VARIANTER, skriv_variant
from tests.etl.test_varianter import tabell
from uppfoljning import ar_med_malstruktur, las_maltrad


def rad(typ, id_, overordnat=None, niva=None, text=None, periodicitet=None, start=None, slut=None, **texter) -> dict:
    return {
        "År": 2025,
        "Typ": typ,
        "Id": id_,
        "Nivå": niva,
        "Överordnat": overordnat,
        "Text": text,
        "Förväntat resultat": texter.get("resultat"),
        "Arbetssätt": texter.get("arbetssatt"),
        "Uppföljning": texter.get("uppfoljning"),
        "Periodicitet": periodicitet,
        "Startdatum": start,
        "Slutdatum": slut,
    }


KANON = [
    rad("Mål", "KF3", niva="KF:s inriktningsmål", text="Ett Stockholm med en stabil och hållbar ekonomi"),
    rad("Mål", "KF3.1", "KF3", "KF:s mål", "Stockholms ekonomi är stark"),
    rad("Mål", "NM1", "KF3.1", "Nämndmål", "Servicenämnden har en ekonomi i balans; med semikolon, och komma"),
    rad(
        "Mål",
        "EM1",
        "NM1",
        "Enhetsmål",
        "Verksamhetsområde lön och pension har en ekonomi i balans",
        resultat="God ekonomisk kontroll",
        arbetssatt='Månadsvis "genomgång"',
        uppfoljning="Prognos månadsvis",
    ),
    rad("Indikator", "resultat", "EM1", periodicitet="Tertial"),
    rad("Manuell indikator", "feriejobb", "KF3.1", text="Antal feriejobb", periodicitet="år"),
    rad("Aktivitet", "A1", "EM1", text="Utbilda i Smart lönehantering", start=date(2025, 1, 1), slut=date(2025, 12, 31)),
    rad("Indikator", "resultat", "NM1", periodicitet="Månad"),  # the same indicator under another goal
]


def fil(tmp_path, rader, namn="malstruktur_2025.csv", variant=VARIANTER[0]):
    return skriv_variant(tmp_path, "malstruktur", variant, rader, namn=namn)


@pytest.fixture(scope="module")
def referens(tmp_path_factory) -> pl.DataFrame:
    return tabell(fil(tmp_path_factory.mktemp("ref"), KANON), "malstruktur")


def test_kanonisk_fil_blir_tabellen(referens):
    assert referens.select("ordning", "radtyp", "id", "niva", "overordnat", "manuell", "periodicitet").rows() == [
        (1, "mal", "KF3", "kf_inriktningsmal", None, None, None),
        (2, "mal", "KF3.1", "kf_mal", "KF3", None, None),
        (3, "mal", "NM1", "namndmal", "KF3.1", None, None),
        (4, "mal", "EM1", "enhetsmal", "NM1", None, None),
        (5, "indikator", "resultat", None, "EM1", False, "tertial"),
        (6, "indikator", "feriejobb", None, "KF3.1", True, "år"),
        (7, "aktivitet", "A1", None, "EM1", None, None),
        (8, "indikator", "resultat", None, "NM1", False, "månad"),
    ]
    em1 = referens.row(3, named=True)
    assert (em1["forvantat_resultat"], em1["arbetssatt"], em1["uppfoljning"]) == (
        "God ekonomisk kontroll",
        'Månadsvis "genomgång"',
        "Prognos månadsvis",
    )
    a1 = referens.row(6, named=True)
    assert (a1["startdatum"], a1["slutdatum"], a1["text"]) == (date(2025, 1, 1), date(2025, 12, 31), "Utbilda i Smart lönehantering")
    assert referens["text"][2] == "Servicenämnden har en ekonomi i balans; med semikolon, och komma"


@pytest.mark.parametrize("variant", VARIANTER[1:], ids=lambda v: v.namn)
def test_varje_exportvariant_ger_samma_tabell(variant, referens, tmp_path):
    assert tabell(fil(tmp_path, KANON, f"m.{'xlsx' if variant.xlsx else 'csv'}", variant), "malstruktur").equals(referens)


def test_excel_gor_id_till_tal(tmp_path):
    """Ids typed as numbers in Excel (3, 3.1) match their parent written the same way."""
    sokvag = tmp_path / "malstruktur" / "m.xlsx"
    sokvag.parent.mkdir()
    bok = xlsxwriter.Workbook(str(sokvag))
    blad = bok.add_worksheet()
    for i, r in enumerate(
        [
            ["År", "Typ", "Id", "Nivå", "Överordnat", "Text"],
            [2025, "Mål", 3, "KF:s inriktningsmål", None, "A"],
            [2025, "Mål", 3.1, "KF:s mål", 3, "B"],
        ]
    ):
        for j, v in enumerate(r):
            if v is not None:
                blad.write(i, j, v)
    bok.close()
    assert tabell(sokvag, "malstruktur").select("id", "overordnat").rows() == [("3", None), ("3.1", "3")]


@pytest.mark.parametrize("variant", VARIANTER, ids=lambda v: v.namn)
def test_forkontrollen_godkanner_giltig_fil_som_gx(variant, tmp_path, gx):
    k = KALLOR["malstruktur"]
    sokvag = fil(tmp_path, KANON, f"m.{'xlsx' if variant.xlsx else 'csv'}", variant)
    ram = k.stega(tolka_kolumner(lasa.las(sokvag, k).data, k), STANDARD_INTAKTSGRUPPER).with_columns(_fil=pl.lit("m"))
    assert forkontroll("malstruktur", ram) is not None
    assert all(u.lyckades for u in gx.validera("malstruktur", ram)["m"])


@pytest.fixture(scope="module")
def gx():
    return Validerare()


def andra(i: int, **varden):
    def f(rader):
        rader = [dict(r) for r in rader]
        rader[i].update({k.replace("_", " "): v for k, v in varden.items()})
        return rader

    return f


# (id, change, rule text, raw row numbers, a value quoted in the report)
FALL = [
    ("kolumn_saknas", lambda r: [{k: v for k, v in x.items() if k != "Nivå"} for x in r], "Obligatoriska kolumner ska finnas", (), None),
    ("ar", andra(1, År="tjugo"), "År ska vara ett årtal", (3,), "tjugo"),
    ("ar_utanfor", andra(1, År=1999), "År ska ligga mellan 2000 och 2100", (3,), "1999"),
    ("typ", andra(6, Typ="Projekt"), "Typ ska vara Mål, Indikator, Manuell indikator eller Aktivitet", (8,), "Projekt"),
    ("id_tomt", andra(6, Id=None), "Id får inte vara tomt", (8,), None),
    ("id_dubblett", andra(6, Id="NM1"), "Id ska vara unikt inom ett år", (4, 8), "NM1"),
    ("indikator_dubblett", lambda r: [*r, dict(r[4])], "en indikator får bara stå en gång under samma mål", (6, 10), "resultat"),
    ("niva", andra(2, Nivå="Delmål"), "Nivå ska vara KF:s inriktningsmål, KF:s mål, Nämndmål eller Enhetsmål", (4,), "Delmål"),
    ("text", andra(3, Text=None), "Text ska vara ifylld för mål och aktiviteter", (5,), None),
    ("overordnat_saknas", andra(6, Överordnat="EM9"), "Överordnat ska vara Id för ett mål samma år i filen", (8,), "EM9"),
    ("overordnat_tomt", andra(3, Överordnat=None), "Överordnat ska vara Id för ett mål samma år i filen", (5,), None),
    ("inriktningsmal_med_overordnat", andra(0, Överordnat="KF3.1"), "Överordnat ska vara Id för ett mål samma år", (2,), "KF3.1"),
    ("overordnat_annat_ar", andra(3, År=2026), "Överordnat ska vara Id för ett mål samma år i filen", (5,), "NM1"),
    ("niva_under_lagre", andra(1, Överordnat="NM1"), "Ett mål ska ligga under ett mål på en högre nivå", (3,), "NM1"),
    ("indikator_okand", andra(4, Id="servicegrd"), "Indikator ska vara ett id ur indikatorkatalogen", (6,), "servicegrd"),
    ("periodicitet", andra(4, Periodicitet="Varannan vecka"), "Periodicitet ska vara Månad, Tertial eller År", (6,), "Varannan vecka"),
    ("periodicitet_tom", andra(5, Periodicitet=None), "Periodicitet ska vara Månad, Tertial eller År", (7,), None),
    ("startdatum", andra(6, Startdatum="1 januari"), "Startdatum ska vara ett datum", (8,), "1 januari"),
    ("slutdatum_saknas", andra(6, Slutdatum=None), "En aktivitet ska ha både Startdatum och Slutdatum", (8,), None),
    ("slut_fore_start", andra(6, Slutdatum=date(2024, 12, 31)), "Slutdatum får inte vara före Startdatum", (8,), "2024-12-31"),
]


@pytest.fixture(scope="module")
def korning(tmp_path_factory):
    """A valid delivery loaded, then every bad one (same year, later names) in a second run."""
    bas = tmp_path_factory.mktemp("malstruktur")
    raw, parquet, karantan = bas / "raw", bas / "parquet", bas / "karantan"
    fil(raw, KANON, "a.csv")
    assert etl.run(raw, parquet, karantan, sources=["malstruktur"]).exit_code == 0
    fore = (parquet / "malstruktur" / "2025.parquet").read_bytes()
    for id_, forandring, *_ in FALL:
        fil(raw, forandring(KANON), f"zz_{id_}.csv")
    resultat = etl.run(raw, parquet, karantan, sources=["malstruktur"])
    return {"resultat": resultat, "karantan": karantan, "fore": fore, "parquet": parquet}


@pytest.mark.parametrize(("id_", "forandring", "regel", "rader", "varde"), FALL, ids=[f[0] for f in FALL])
def test_regelbrott_avvisas_med_svensk_rapport(korning, id_, forandring, regel, rader, varde):
    r = next(f for f in korning["resultat"].files if f.fil == f"malstruktur/zz_{id_}.csv")
    assert r.utfall == "avvisad"
    fel = [u for u in r.regler if not u.lyckades and not u.undantag]
    assert len(fel) == 1 and regel in fel[0].regel, [u.regel for u in fel]
    rapport = (korning["karantan"] / "malstruktur" / f"zz_{id_}.csv.rapport.txt").read_text(encoding="utf-8")
    for nr in rader:
        assert f"rad {nr}:" in rapport
    if varde is not None:
        assert f'"{varde}"' in rapport


def test_avvisad_leverans_lamnar_aret_orort(korning):
    assert (korning["parquet"] / "malstruktur" / "2025.parquet").read_bytes() == korning["fore"]


def test_ny_leverans_ersatter_aret(tmp_path):
    raw, parquet = tmp_path / "raw", tmp_path / "parquet"
    fil(raw, KANON, "malstruktur_2025.csv")
    etl.run(raw, parquet, tmp_path / "q", sources=["malstruktur"])
    fil(raw, KANON[:3], "malstruktur_2025_ny.csv")
    assert etl.run(raw, parquet, tmp_path / "q", sources=["malstruktur"]).exit_code == 0
    assert pl.read_parquet(parquet / "malstruktur" / "2025.parquet")["id"].to_list() == ["KF3", "KF3.1", "NM1"]


@pytest.fixture(scope="module")
def con(sample_lake):
    return lake.connect(sample_lake)


def test_exempeldatans_malstruktur_2024_som_verksamhetsplanen(con):
    assert ar_med_malstruktur(con) == [2023, 2024, 2025, 2026]
    trad = las_maltrad(con, 2024)
    assert [m.id for m in trad.rotter] == ["KF3"]
    kf3 = trad.rotter[0]
    assert kf3.niva_namn == "KF:s inriktningsmål" and not kf3.kraver_analys
    assert [(m.id, m.niva) for m in kf3.delmal] == [("KF3.1", "kf_mal"), ("KF3.2", "kf_mal"), ("KF3.4", "kf_mal"), ("KF3.5", "kf_mal")]
    nm1 = trad.mal("NM1")
    assert nm1.text == "Servicenämnden har en ekonomi i balans" and [d.id for d in nm1.delmal] == ["EM1"]
    assert trad.mal("EM1").text == "Verksamhetsområde lön och pension har en ekonomi i balans"
    nm2 = trad.mal("NM2")
    assert [(i.id, i.periodicitet) for i in nm2.indikatorer] == [("lonespec_per_arsarbetare", "tertial"), ("nki", "år")]
    assert nm2.indikatorer[0].namn == "Lönespecifikationer per årsarbetare (lön och pension)"
    em2 = trad.mal("EM2")
    assert [(a.text, a.startdatum, a.slutdatum) for a in em2.aktiviteter] == [
        ("Erbjuda förvaltningarna utbildning i Smart lönehantering", date(2024, 1, 1), date(2024, 12, 31)),
        ("Uppdatera pensionsbrev som sänds till blivande pensionärer", date(2024, 1, 1), date(2024, 8, 31)),
    ]
    utb = next(i for i in em2.indikatorer if i.id == "utbildningstillfallen")
    # declared as a manual indicator in the goal file; the catalogue now declares it too (the plan's manual indicators)
    assert (utb.manuell, utb.i_katalogen, utb.namn) == (True, True, "Antal utbildningstillfällen till kund i Smart lönehantering")
    assert [i.id for i in trad.mal("KF3.2").indikatorer] == ["feriejobb", "stockholmsjobb", "praktikplatser"]
    assert [(i.id, i.periodicitet) for i in trad.mal("KF3.4").indikatorer] == [
        ("ami", "år"),
        ("sjukfranvaro", "tertial"),
        ("sjukfranvaro_kort", "tertial"),
    ]
    assert trad.mal("EM5").text == "Verksamheten fungerar ändamålsenligt även vid oönskade händelser"
    assert [m.id for m, djup in trad.alla() if djup == 3] == ["EM1", "EM2", "EM3", "EM4", "EM5"]
    assert las_maltrad(con, 2023).mal("KF3.5") is None, "beredskapsmålet kom 2024"
    assert not las_maltrad(con, 2019)


def test_exempeldatans_manuella_indikatorer_har_mal_och_utfall(con):
    """Every indicator the sample's goals follow has a target each year; the manual ones have measurements."""
    for ar in ar_med_malstruktur(con):
        ids = las_maltrad(con, ar).indikator_ids()
        mal = set(lake.query(con, "SELECT indikator FROM mal WHERE ar = $ar", {"ar": ar})["indikator"])
        assert set(ids) <= mal, set(ids) - mal
    utfall = set(lake.query(con, "SELECT DISTINCT indikator FROM indikatorer")["indikator"])
    assert {"feriejobb", "stockholmsjobb", "praktikplatser", "utbildningstillfallen"} <= utfall
