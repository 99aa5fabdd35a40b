"""Reconciliation: every figure a page, APT slide or report shows equals the catalogue's figure for the same period and filter.

Parametrized over the committed sample and over lakes built from every format variant of every source (with category
values in other letter cases and a year-to-date Agresso extract with unbooked months), loaded by the real ETL."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest

import kpi
import lake
from kpi.period import Filters, Period
from kpi.queries import SIDOR, hittills_i_ar
from tests.etl.filer import KANON, VARIANTER, skriv_variant

M = date(2024, 3, 1)
# Category spellings exports use; the catalogue must count them all (the ETL canonicalises, the SQL compares lower-case).
KATEGORIER = ["LÖNESPECIFIKATION MASKINELL", "lönespecifikation Manuell", "Lönespecifikation maskinell", "pensionsÄRENDE"]


def _volymer() -> list[dict]:
    rader = []
    for i, (enhet, forv) in enumerate([("Löneenhet Nord", "Utbildningsförvaltningen"), ("Löneenhet Syd", "Kulturförvaltningen")]):
        for j, kategori in enumerate(KATEGORIER):
            for manad in (date(2024, 2, 1), M):
                rader.append(
                    {
                        "Månad": manad,
                        "Enhet": enhet,
                        "Förvaltning": f"{forv} {j}",
                        "Kategori": kategori,
                        "Antal": 1000 * (i + 1) + 17 * j + manad.month,
                    }
                )
    return rader


def _bemanning() -> list[dict]:
    return [
        {"Månad": manad, "Enhet": enhet, "Roll": roll, "Årsarbetare": fte, "Anställda": anst}
        for manad in (date(2024, 2, 1), M)
        for enhet, roll, fte, anst in [
            ("Löneenhet Nord", "LÖNEADMINISTRATÖR", 20.5, 22),
            ("Löneenhet Syd", "löneadministratör", 18.0, 19),
            ("Pensionsenheten", "Pensionshandläggare", 4.75, 5),
        ]
    ]


def _ekonomi_hittills() -> list[dict]:
    """A year-to-date extract: the whole year's budget, outcome booked January–August and empty for the rest."""
    rader = []
    for m in range(1, 13):
        for ansvar, skala in [("Löneenhet Nord", 1.0), ("Löneenhet Syd", 0.8)]:
            for grupp, typ, budget, utfall in [
                ("Försäljning av tjänster", "Intäkt", -2_300_000, -2_290_000 - 3_100 * m),
                ("Personalkostnader", "Kostnad", 1_900_000, 1_880_000 + 4_700 * m),
                ("Lokalkostnader", "Kostnad", 160_000, 158_500),
            ]:
                rader.append(
                    {"Period": date(2024, m, 1), "Ansvar": ansvar, "Kontogrupp": grupp, "Kontotyp": typ, "Budget": budget * skala,
                     "Utfall": utfall * skala if m <= 8 else None}
                )  # fmt: skip
    return rader


def _prognos() -> list[dict]:
    return [
        {"Prognosmånad": date(2024, pm, 1), "Ansvar": a, "Kontogrupp": g, "Helårsprognos": v * s}
        for pm in (4, 8)
        for a, s in [("Löneenhet Nord", 1.0), ("Löneenhet Syd", 0.8)]
        for g, v in [("Försäljning av tjänster", -27_700_000 - 10_000 * pm), ("Personalkostnader", 22_900_000), ("Lokalkostnader", 1_900_000)]
    ]


def _variant_lake(root, variant) -> str:
    """Every source written in one export variant, loaded by the ETL into a fresh lake."""
    import etl

    raw = root / "raw"
    for kalla in KANON:
        rader = {"volymer": _volymer(), "bemanning": _bemanning(), "ekonomi": _ekonomi_hittills(), "prognos": _prognos()}.get(kalla)
        skriv_variant(raw, kalla, variant, rader)
    resultat = etl.run(raw, root / "parquet", root / "quarantine")
    assert resultat.exit_code == 0, [f"{f.fil}: {f.meddelande}" for f in resultat.files if f.utfall == "avvisad"]
    return str(root / "parquet")


def _lakes():
    yield pytest.param("sample", id="exempeldata")
    for v in VARIANTER:
        yield pytest.param(v, id=v.namn)


class _Sidor(dict):
    """Each page function's data for (page, period, selection), computed once per lake and shared by the tests."""

    def __init__(self, con):
        super().__init__()
        self.con = con

    def __missing__(self, nyckel):
        sid, p, f = nyckel
        self[nyckel] = SIDOR[sid](self.con, p, f)
        return self[nyckel]


@pytest.fixture(scope="module", params=list(_lakes()))
def fall(request, tmp_path_factory):
    """(connection, periods, selections, page data) to reconcile on."""
    if request.param == "sample":
        con = lake.connect(request.getfixturevalue("sample_lake"))
        senaste = kpi.senaste_manad(con)
        # the running tertial (partly loaded: same-months comparisons, unbooked economy months) and a whole year
        perioder = [Period(senaste.year, tertial=(senaste.month - 1) // 4 + 1), Period(senaste.year - 1)]
        urval = [Filters(), Filters(units=("Löneenhet Nord",)), Filters(units=("Pensionsenheten",))]
    else:
        con = lake.connect(_variant_lake(tmp_path_factory.mktemp(request.param.namn), request.param))
        perioder = [Period(2024, tertial=1)]
        urval = [Filters(), Filters(units=("Löneenhet Nord",))]
    return con, perioder, urval, _Sidor(con)


def lika(a, b) -> bool:
    """Equal figures: both missing, or equal to floating-point noise."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def _serie(con, ind, start, slut, filters, **kw) -> dict:
    return {(r["period_start"], r["grupp"]): r["varde"] for r in kpi.series(ind, start, slut, filters, con=con, **kw).iter_rows(named=True)}


def _forvantad_serie(df: pl.DataFrame, kolumn: str = "varde") -> dict:
    return {(r["period_start"], r["grupp"]): r[kolumn] for r in df.iter_rows(named=True)}


def _samma_serie(sida: dict, katalog: dict, vad: str) -> None:
    assert set(sida) == set(katalog), f"{vad}: olika perioder/grupper"
    for k in katalog:
        assert lika(sida[k], katalog[k]), f"{vad} {k}: sidan {sida[k]} ≠ katalogen {katalog[k]}"


def _samma_resultat(sida: list, katalog: list, vad: str) -> None:
    assert [r.id for r in sida] == [r.id for r in katalog], vad
    for a, b in zip(sida, katalog):
        assert lika(a.varde, b.varde) and lika(a.mal, b.mal) and a.status == b.status and a.period == b.period, f"{vad}: {a} ≠ {b}"


def test_indikatorrutorna_ar_katalogens(fall):
    con, perioder, urval, sidor = fall
    for p in perioder:
        for f in urval:
            katalog = {r.id: r for r in kpi.compute(p, f, con=con)}
            for sid in ("oversikt", "produktivitet", "telefoni", "sjukfranvaro", "ekonomi", "maluppfyllelse"):
                data = sidor[sid, p, f]
                _samma_resultat(data["indikatorer"], [katalog[r.id] for r in data["indikatorer"]], f"{sid} {p.label} {f.units}")
                if sid == "maluppfyllelse":
                    for r, rad in zip(data["indikatorer"], data["tabell"].iter_rows(named=True)):
                        assert (rad["Periodens utfall"], rad["Årsmål"], rad["Bedömning"]) == (r.varde_text, r.mal_text, r.status_ord)


def test_oversikt_jamforelse(fall):
    """Översikt's two periods come from one statement (kpi.med_jamforelse); each equals compute() and jamforelse() alone."""
    con, perioder, urval, sidor = fall
    for p in perioder:
        for f in urval:
            data = sidor["oversikt", p, f]
            ids = [r.id for r in data["indikatorer"]]
            _samma_resultat(data["indikatorer"], kpi.compute(p, f, ids, con), "perioden")
            _samma_resultat(data["foregaende_ar"], kpi.jamforelse(p, f, ids, con, kpi.senaste_manad(con)), "jämförelse")


def test_produktivitet(fall):
    con, perioder, urval, sidor = fall
    for p in perioder:
        for f in urval:
            d = sidor["produktivitet", p, f]
            jan = date(p.year, 1, 1)
            _samma_serie(_forvantad_serie(d["loner_per_manad"]), _serie(con, "loner_per_arsarbetare", jan, p.end, f, by="enhet"), "löner per enhet")
            _samma_serie(
                _forvantad_serie(d["loner_per_tertial"]),
                _serie(con, "loner_per_arsarbetare", date(p.year - 2, 1, 1), p.end, f, grain="tertial"),
                "tertial",
            )
            _samma_serie(_forvantad_serie(d["andel_maskinell"]), _serie(con, "andel_maskinell", date(p.year - 2, 1, 1), p.end, f), "andel maskinell")
            # the stacked volumes: both categories add up to the payslip count, month by month, in any letter case
            per_manad = d["volymer"].group_by("manad").agg(pl.col("antal").sum())
            katalog = {k[0]: v for k, v in _serie(con, "antal_lonespec", jan, p.end, f).items() if v is not None}
            assert {r["manad"]: float(r["antal"]) for r in per_manad.iter_rows(named=True)} == katalog
            maskinella = {
                r["manad"]: float(r["antal"]) for r in d["volymer"].filter(pl.col("kategori") == "Lönespecifikation maskinell").iter_rows(named=True)
            }
            assert maskinella == {k[0]: v for k, v in _serie(con, "antal_maskinella", jan, p.end, f).items() if v is not None}
            (manuella,) = kpi.compute(p, f, ids=["antal_manuella"], con=con)
            topp = d["topp_forvaltningar"]
            if topp.height < 10:  # every förvaltning listed: they add up to the period's manual payslips
                assert lika(topp["manuella"].sum() or None, manuella.varde or None)


def test_telefoni(fall):
    con, perioder, urval, sidor = fall
    for p in perioder:
        f = urval[0]
        d = sidor["telefoni", p, f]
        jan = date(p.year, 1, 1)
        for i in ("servicegrad", "svarsfrekvens"):
            _samma_serie(_forvantad_serie(d["per_ko"].filter(pl.col("id") == i)), _serie(con, i, jan, p.end, f, by="ko"), i)
        for i in ("medel_vantetid", "medel_hanteringstid"):
            _samma_serie(_forvantad_serie(d["tider"].filter(pl.col("id") == i)), _serie(con, i, jan, p.end, f), i)
        karta = kpi.series("servicegrad", p.start, p.end, f, grain="ar", by="veckodag_timme", con=con)
        assert sorted(d["servicegrad_karta"]["servicegrad"].drop_nulls().to_list()) == pytest.approx(sorted(karta["varde"].drop_nulls().to_list()))
        bem = d["bemanning"]
        if not bem.is_empty():
            manad = bem["manad"][0]
            katalog = _serie(con, "inkommande_per_dag", manad, manad, f, by="timme")
            for r in bem.iter_rows(named=True):
                assert lika(r["inkommande_per_dag"], katalog[(manad, r["tid"][:2])])


def test_sjukfranvaro(fall):
    con, perioder, urval, sidor = fall
    for p in perioder:
        for f in urval:
            d = sidor["sjukfranvaro", p, f]
            grupper = {(g.grupp["enhet"], g.resultat.id): g.resultat for g in kpi.per_grupp(p, f, [r.id for r in d["indikatorer"]], "enhet", con=con)}
            for r in d["per_enhet"].iter_rows(named=True):
                g = grupper[(r["enhet"], r["id"])]
                assert lika(r["varde"], g.varde) and lika(r["mal"], g.mal) and r["status"] == g.status
                if not r["enhet"].startswith("Små enheter") and r["varde"] is not None:
                    (ensam,) = kpi.compute(p, Filters(units=(r["enhet"],)), ids=[r["id"]], con=con)
                    assert lika(r["varde"], ensam.varde), "en enhets rad är samma tal som enheten vald ensam"
            _samma_serie(_forvantad_serie(d["rullande"]), _serie(con, "sjukfranvaro_12m", date(p.year - 2, 1, 1), p.end, f, by="enhet"), "rullande")
            assert d["rullande"]["taljare"].is_null().all() and d["kort_lang"]["namnare"].is_null().all()


def test_ekonomi_hittills_i_ar_samma_manader_pa_bada_sidor(fall):
    con, perioder, urval, sidor = fall
    for p in perioder:
        for f in urval:
            d = sidor["ekonomi", p, f]
            hittills = hittills_i_ar(p)
            avv = d["avvikelser"]
            for ansvar in avv["ansvar"].unique().to_list():
                (katalog,) = kpi.compute(hittills, Filters(units=(ansvar,)), ids=["budgetavvikelse"], con=con)
                summa = avv.filter(pl.col("ansvar") == ansvar)["avvikelse"].sum()
                assert lika(summa, katalog.varde), f"{ansvar}: kontogrupperna {summa} ≠ budgetavvikelsen {katalog.varde}"
            if not avv.is_empty():
                (alla,) = kpi.compute(hittills, f, ids=["budgetavvikelse"], con=con)
                assert lika(avv["avvikelse"].sum(), alla.varde)
            prognos = d["prognos_per_grupp"]
            for ansvar in prognos["ansvar"].unique().to_list():
                (katalog,) = kpi.compute(p, Filters(units=(ansvar,)), ids=["prognosavvikelse"], con=con)
                assert lika(prognos.filter(pl.col("ansvar") == ansvar)["avvikelse"].sum(), katalog.varde)
            for r in d["per_manad"].iter_rows(named=True):
                manad = Period(r["manad"].year, month=r["manad"].month)
                ytd = Period(r["manad"].year, month=r["manad"].month, ytd=True)
                m, y = (
                    {x.id: x.varde for x in kpi.compute(q, f, ids=["resultat", "budget_resultat", "intakter", "kostnader"], con=con)}
                    for q in (manad, ytd)
                )  # fmt: skip
                assert lika(r["resultat"], m["resultat"]) and lika(r["budget_resultat"], m["budget_resultat"]) and lika(r["intakter"], m["intakter"])
                assert lika(r["resultat_ackumulerat"], y["resultat"]) and lika(r["budget_ackumulerad"], y["budget_resultat"])
            for r in d["prognosforandring"].iter_rows(named=True):
                (katalog,) = kpi.compute(Period(r["prognosmanad"].year, month=r["prognosmanad"].month), f, ids=["helarsprognos_resultat"], con=con)
                assert lika(r["resultat"], katalog.varde)


def test_arbudget_utdrag_med_obokforda_manader(tmp_path):
    """The issue's case: a year-to-date extract with four unbooked months; deviations over the booked months only."""
    con = lake.connect(_variant_lake(tmp_path, VARIANTER[2]))
    d = SIDOR["ekonomi"](con, Period(2024, tertial=3), Filters())
    assert d["per_manad"]["manad"].to_list() == [date(2024, m, 1) for m in range(1, 9)]
    nord = {r["kontogrupp"]: r for r in d["avvikelser"].filter(pl.col("ansvar") == "Löneenhet Nord").iter_rows(named=True)}
    # Personalkostnader: Σ over January–August of budget 1 900 000 − outcome (1 880 000 + 4 700 m), by hand
    assert nord["Personalkostnader"]["avvikelse"] == pytest.approx(8 * 20_000 - 4_700 * 36)
    assert nord["Personalkostnader"]["budget"] == pytest.approx(8 * 1_900_000)
    # revenue above budget is better: outcome 2 290 000 + 3 100 m against 2 300 000
    assert nord["Försäljning av tjänster"]["avvikelse"] == pytest.approx(8 * -10_000 + 3_100 * 36)


def test_apt_och_rapport_visar_katalogens_tal(sample_lake):
    from report import dokument
    from report.slides import KATALOG, bygg_sidor

    con = lake.connect(sample_lake)
    senaste = kpi.senaste_manad(con)
    period = Period(senaste.year, tertial=(senaste.month - 1) // 4 + 1)
    for f in (Filters(), Filters(units=("Löneenhet Syd",))):
        resultat = {r.id: r for r in kpi.compute(period, f, con=con)}
        sidor = dict(zip(KATALOG, bygg_sidor(list(KATALOG), period, f, con)))
        for bild_id, sida in sidor.items():
            if bild_id in resultat:
                r = resultat[bild_id]
                assert r.varde_text in sida.text or r.orsak in sida.text, f"{bild_id}: {sida.text}"
                linjer = [s for s in sida.figur.layout.shapes if s.type == "line"]
                if r.mal is not None and linjer:
                    assert linjer[0].y0 == pytest.approx(r.mal / r.visning.divisor), f"{bild_id}: mållinjen är inte indikatorns mål"
        dok = dokument.tertialrapport(period.year, period.tertial, f, con)
        for rad in dok.tabell:
            r = next(x for x in resultat.values() if x.namn == rad.celler[0])
            assert rad.celler[1:4] == (r.varde_text, r.mal_text, r.text(r.kf_mal)) and rad.status == r.status
