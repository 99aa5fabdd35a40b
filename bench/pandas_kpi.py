"""The analyst's KPI figures in plain pandas over their own Parquet files: same definitions as kpi/, written independently."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kpi import erlang
from kpi.catalogue import CATALOGUE, Indicator
from kpi.period import Filters, Period, add_months, buckets

LONESPEC = ("lönespecifikation maskinell", "lönespecifikation manuell")
PENSIONSARENDEN = ("pensionsärende", "försäkringsärende")
MANUELL = "Lönespecifikation manuell"
MASKINELL = "Lönespecifikation maskinell"
SAMTAL_MART = ("inkommande", "besvarade", "besvarade_inom_25s", "avbrutna", "avbrutna_inom_5s", "vantetid_s", "hanteringstid_s")


class Data:
    """The analyst's normalised tables, read from the Parquet files the pandas pipeline saved."""

    def __init__(self, root: str | Path, tables: tuple[str, ...]):
        self.root = Path(root)
        self.memo: dict = {}
        self.frames: dict[str, pd.DataFrame] = {}
        for name in tables:
            path = self.root / f"{name}.parquet"
            self.frames[name] = pd.read_parquet(path) if path.exists() else pd.DataFrame()
        for name in ("volymer", "bemanning"):
            if name in self.frames and not self.frames[name].empty:
                col = "kategori" if name == "volymer" else "roll"
                self.frames[name]["_lower"] = self.frames[name][col].str.lower()

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def load(self, name: str) -> pd.DataFrame:
        """A table not read up front (the full call log, needed only for a non-default threshold)."""
        if name not in self.frames:
            path = self.root / f"{name}.parquet"
            self.frames[name] = pd.read_parquet(path) if path.exists() else pd.DataFrame()
        return self.frames[name]


def _ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


def _months(df: pd.DataFrame, start: date, end: date, col: str = "manad") -> pd.DataFrame:
    return df[(df[col] >= _ts(start)) & (df[col] <= _ts(end))]


def _select(df: pd.DataFrame, col: str, values: tuple[str, ...]) -> pd.DataFrame:
    return df[df[col].isin(values)] if values else df


def _sum(s: pd.Series):
    """Σ like SQL: NULL (None) when no row takes part."""
    s = s.dropna()
    return None if s.empty else float(s.sum())


def _sums(df: pd.DataFrame, by: str | None, cols: dict[str, pd.Series], zero: bool = False) -> dict:
    """{grupp: {name: Σ}}; an ungrouped selection gets the single group ''. zero: a subset sum with no rows is 0."""
    frame = pd.DataFrame(cols, index=df.index)
    summa = (lambda s: _sum(s) or 0.0) if zero else _sum
    if by is None:
        return {"": {name: summa(frame[name]) for name in cols}} if len(df) else {}
    out = {}
    for grupp, part in frame.groupby(df[by], sort=False):
        out[grupp] = {name: summa(part[name]) for name in cols}
    return out


def fam_volymer(data: Data, start, slut, filters: Filters, by):
    v = _select(_select(_months(data["volymer"], start, slut), "enhet", filters.units), "forvaltning", filters.forvaltningar)
    antal = v["antal"].astype("float64")
    return _sums(
        v,
        by,
        {
            "maskinell": antal.where(v["_lower"] == LONESPEC[0]),
            "lonespec": antal.where(v["_lower"].isin(LONESPEC)),
            "pensionsarenden": antal.where(v["_lower"].isin(PENSIONSARENDEN)),
        },
        zero=True,
    )


def fam_produktivitet(data: Data, start, slut, filters: Filters, by):
    v = _select(_months(data["volymer"], start, slut), "enhet", filters.units)
    antal = v["antal"].astype("float64")
    out: dict[str, dict] = {}
    parts = [
        _sums(
            v, by, {"lonespec": antal.where(v["_lower"].isin(LONESPEC)), "pensionsarenden": antal.where(v["_lower"].isin(PENSIONSARENDEN))}, zero=True
        ),
    ]
    f = _select(_months(data["bemanning"], start, slut), "enhet", filters.units)
    loneadm, pension = f["_lower"] == "löneadministratör", f["_lower"] == "pensionshandläggare"
    parts.append(
        _sums(
            f,
            by,
            {
                "fte_manader_loneadm": f["arsarbetare"].where(loneadm),
                "fte_manader_lon_pension": f["arsarbetare"].where(loneadm | pension),
                "fte_manader_pension": f["arsarbetare"].where(pension),
            },
            zero=True,
        )
    )
    k = _select(_months(data["ekonomi"], start, slut), "ansvar", filters.units)
    parts.append(_sums(k, "ansvar" if by else None, {"kostnader": k["utfall_kr"].where(k["typ"] == "kostnad")}, zero=True))
    for part in parts:
        for grupp, values in part.items():
            out.setdefault(grupp, {}).update(values)
    return out


def fam_telefoni(data: Data, start, slut, filters: Filters, by):
    t = _select(_months(data["telefoni"], start, slut), "ko", filters.queues)
    cols = {
        "inkommande": t["inkommande"].astype("float64"),
        "besvarade": t["besvarade"].astype("float64"),
        "inom_troskel": t["besvarade_inom_25s"].astype("float64"),
        "avbrutna": t["avbrutna"].astype("float64"),
        "vantetid_s": t["total_vantetid_s"],
        "hanteringstid_s": t["total_samtalstid_s"],
        "_efter": t["total_efterarbetstid_s"],
        "_kort": t["avbrutna_inom_5s"].astype("float64"),
        "_har_kort": t["avbrutna_inom_5s"].notna().astype("float64"),
        "_rader": pd.Series(1.0, index=t.index),
    }
    out = _sums(t, by, cols)
    for values in out.values():
        komplett = values["_har_kort"] == values["_rader"]  # short abandons only when every interval has them
        values["avbrutna_inom_5s"] = values["_kort"] if komplett else None
        h, e = values["hanteringstid_s"], values.pop("_efter")
        values["hanteringstid_s"] = None if h is None or e is None else h + e
        values["servicegrad_namnare"] = {
            "besvarade": values["besvarade"],
            "inkommande_utan_korta_avbrutna": values["inkommande"] - values["_kort"] if komplett else None,
        }.get(filters.servicegrad_definition, values["inkommande"])
        for k in ("_kort", "_har_kort", "_rader"):
            values.pop(k)
    return out


def fam_samtal(data: Data, start, slut, filters: Filters, by):
    if filters.servicegrad_troskel_s == 25 and "samtal_manad" in data.frames:
        # The analyst's monthly mart answers the default threshold without touching the 20 million rows.
        m = _select(_months(data["samtal_manad"], start, slut), "ko", filters.queues)
        out = _sums(m, by, {c: m[c].astype("float64") for c in SAMTAL_MART})
        out = {g: {**v, "inom_troskel": v.pop("besvarade_inom_25s")} for g, v in out.items()}
    else:
        s = _select(_months(data.load("samtal"), start, slut), "ko", filters.queues)
        besvarad = s["besvarad"].astype(bool)
        ett = pd.Series(1.0, index=s.index)
        out = _sums(
            s,
            by,
            {
                "inkommande": ett,
                "besvarade": ett.where(besvarad, 0.0),
                "inom_troskel": ett.where(besvarad & (s["vantetid_s"] <= filters.servicegrad_troskel_s), 0.0),
                "avbrutna": ett.where(~besvarad, 0.0),
                "avbrutna_inom_5s": ett.where(~besvarad & (s["vantetid_s"] <= 5), 0.0),
                "vantetid_s": s["vantetid_s"].where(besvarad),
                "hanteringstid_s": (s["samtalstid_s"].fillna(0) + s["efterarbete_s"].fillna(0)).where(besvarad),
            },
        )
    for values in out.values():
        values["servicegrad_namnare"] = {
            "besvarade": values["besvarade"],
            "inkommande_utan_korta_avbrutna": values["inkommande"] - values["avbrutna_inom_5s"],
        }.get(filters.servicegrad_definition, values["inkommande"])
    return out


def fam_sjukfranvaro(data: Data, start, slut, filters: Filters, by):
    s = _select(_months(data["sjukfranvaro"], start, slut), "enhet", filters.units)
    out = _sums(
        s,
        by,
        {
            "sjuk_dag1_14_h": s["sjuk_dag1_14_h"],
            "sjuk_dag15_h": s["sjuk_dag15_h"],
            "ordinarie_h": s["ordinarie_arbetstid_h"],
            "anstallda": s["anstallda"].astype("float64"),
        },
    )
    months = s.groupby(s[by] if by else pd.Series("", index=s.index))["manad"].nunique() if len(s) else {}
    for grupp, values in out.items():
        values["sjuk_h"] = values["sjuk_dag1_14_h"] + values["sjuk_dag15_h"]
        values["anstallda"] = values["anstallda"] / months[grupp]  # average headcount per month
    return out


def _signed(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].where(df["typ"] == "intakt", -df[col])


def fam_ekonomi(data: Data, start, slut, filters: Filters, by):
    e = _select(_months(data["ekonomi"], start, slut), "ansvar", filters.units)
    out = _sums(
        e,
        "ansvar" if by else None,
        {
            "intakter": e["utfall_kr"].where(e["typ"] == "intakt"),
            "kostnader": e["utfall_kr"].where(e["typ"] == "kostnad"),
            "resultat": _signed(e, "utfall_kr"),
            "budget_resultat": _signed(e, "budget_kr"),
        },
    )
    for values in out.values():
        values["intakter"] = values["intakter"] or 0.0
        values["kostnader"] = values["kostnader"] or 0.0
        r, b = values["resultat"], values["budget_resultat"]
        values["budgetavvikelse"] = None if r is None or b is None else r - b
    return out


def fam_prognos(data: Data, start, slut, filters: Filters, by):
    p = _select(data["prognos"], "ansvar", filters.units)
    p = p[(p["prognosmanad"] <= _ts(slut)) & (p["prognosmanad"].dt.year == slut.year)]
    senaste = p.groupby("ansvar")["prognosmanad"].transform("max")
    p = p[p["prognosmanad"] == senaste]
    out = _sums(p, "ansvar" if by else None, {"prognos_resultat": _signed(p, "helarsprognos_kr")})
    e = _select(data["ekonomi"], "ansvar", filters.units)
    e = e[e["manad"].dt.year == slut.year]
    budget = _sums(e, "ansvar" if by else None, {"budget_ar": _signed(e, "budget_kr")})
    for grupp, values in out.items():
        b = budget.get(grupp, {}).get("budget_ar")
        values["budget_ar"] = b
        values["prognosavvikelse"] = None if b is None or values["prognos_resultat"] is None else values["prognos_resultat"] - b
    return out


def fam_manuell(data: Data, start, slut, filters: Filters, by, fonster_start, indikatorer):
    d = data["indikatorer"]
    d = d[d["indikator"].isin(indikatorer)]
    slut_manad = d["period_slut"].dt.to_period("M").dt.to_timestamp()
    s, e, f = _ts(start), _ts(slut), _ts(fonster_start)
    d = d[(d["period_start"] <= e) & (slut_manad >= f) & ((d["period_start"] >= f) | (slut_manad >= e))]
    if by:
        d = d[d["enhet"].notna()]
    elif len(filters.units) == 1:
        d = d[d["enhet"].isna() | (d["enhet"] == filters.units[0])]
    else:
        d = d[d["enhet"].isna()]
    slut_manad = slut_manad.loc[d.index]
    d = d.assign(
        enhetsordning=np.where(d["enhet"].notna(), 0, 1),
        passform=np.select([(d["period_start"] == s) & (slut_manad == e), (d["period_start"] >= s) & (slut_manad <= e)], [0, 1], 2),
        grupp=d["enhet"] if by else "",
    ).sort_values(["enhetsordning", "passform", "period_slut"], ascending=[True, True, False])
    best = d.drop_duplicates(["grupp", "indikator"])
    out: dict = {}
    for r in best.itertuples():
        out.setdefault(r.grupp, {})[r.indikator] = float(r.utfall)
    return out


FAMILJER = {
    "volymer": fam_volymer,
    "produktivitet": fam_produktivitet,
    "telefoni": fam_telefoni,
    "samtal": fam_samtal,
    "sjukfranvaro": fam_sjukfranvaro,
    "ekonomi": fam_ekonomi,
    "prognos": fam_prognos,
}


def value(ind: Indicator, row: dict | None) -> float | None:
    """Σ numerator ÷ Σ denominator × factor; None where data are missing or the group is too small."""
    if not row:
        return None
    if ind.familj == "manuell":
        return row.get(ind.id)
    if ind.minsta_antal_anstallda is not None and row.get("anstallda") is not None and row["anstallda"] < ind.minsta_antal_anstallda:
        return None
    t = row.get(ind.taljare)
    if ind.namnare is None:
        return None if t is None else t * ind.faktor
    n = row.get(ind.namnare)
    if t is None or not n:
        return None
    return t / n * ind.faktor


def _fonster(data: Data, ind: Indicator, start: date, slut: date) -> tuple[date, date] | None:
    """A rolling window ends at the last month with data (≤ the bucket's end) and must be whole; None when it cannot be."""
    manader = data[ind.tabeller[0]]["manad"]
    if manader.empty:
        return None
    forsta, sista = manader.min().date(), manader.max().date()
    if sista < start:
        return None
    slut = min(slut, sista)
    fonster_start = add_months(slut, 1 - ind.fonster_manader)
    return None if fonster_start < forsta else (fonster_start, slut)


def family_rows(data: Data, ind: Indicator, start: date, slut: date, filters: Filters, by: str | None = None) -> dict:
    """{grupp: sums} for one indicator over one bucket (its rolling window included)."""
    fonster = start
    if ind.fonster_manader:
        window = _fonster(data, ind, start, slut)
        if window is None:
            return {}
        fonster, slut = window
    if ind.familj == "manuell":
        return fam_manuell(data, start, slut, filters, by, fonster, (ind.id,))
    # Indicators of one family share their sums within a page call, as an analyst reuses one groupby.
    key = (ind.familj, fonster, slut, filters, by)
    if key not in data.memo:
        data.memo[key] = FAMILJER[ind.familj](data, fonster, slut, filters, by)
    return data.memo[key]


def compute(data: Data, period: Period, filters: Filters, ids: list[str] | None = None) -> dict[str, float | None]:
    """{id: value} for the period; one family evaluation per family, as an analyst would reuse a groupby."""
    ids = [i for i, ind in CATALOGUE.items() if ind.visas] if ids is None else ids
    cache: dict[tuple, dict] = {}
    out = {}
    for i in ids:
        ind = CATALOGUE[i]
        key = (ind.familj, ind.fonster_manader, i if ind.familj == "manuell" else None)
        if key not in cache:
            cache[key] = family_rows(data, ind, period.start, period.end, filters)
        out[i] = value(ind, cache[key].get(""))
    return out


def series(data: Data, kpi_id: str, start: date, slut: date, filters: Filters, grain: str = "manad", by: str | None = None) -> pd.DataFrame:
    """One row per bucket (and group): period_start, period, grupp, varde."""
    ind = CATALOGUE[kpi_id]
    rows = []
    for b_start, b_slut, label in buckets(start, slut, grain):
        sums = family_rows(data, ind, b_start, b_slut, filters, by)
        if by is None:
            rows.append({"period_start": b_start, "period": label, "grupp": None, "varde": value(ind, sums.get(""))})
        else:
            rows += [{"period_start": b_start, "period": label, "grupp": g, "varde": value(ind, v)} for g, v in sums.items()]
    return pd.DataFrame(rows, columns=["period_start", "period", "grupp", "varde"])


# --- Page counterparts: the same figures and tables as kpi/queries.py, the pandas way -----------------------

PRODUKTIVITET_IDS = [
    "loner_per_arsarbetare",
    "lonespec_per_arsarbetare",
    "andel_maskinell",
    "pensionsarenden_per_handlaggare",
    "kostnad_per_lonespec",
]
TELEFONI_IDS = ["servicegrad", "svarsfrekvens", "andel_avbrutna", "medel_vantetid", "medel_hanteringstid"]
SJUK_IDS = ["sjukfranvaro_12m", "sjukfranvaro", "sjukfranvaro_kort", "sjukfranvaro_lang"]
EKONOMI_IDS = ["intakter", "kostnader", "resultat", "budget_resultat", "budgetavvikelse", "helarsprognos_resultat", "prognosavvikelse"]
ALLA = ("volymer", "bemanning", "telefoni", "samtal_manad", "sjukfranvaro", "ekonomi", "prognos", "mal", "indikatorer")


def oversikt(data: Data, period: Period, filters: Filters):
    """All indicators now and a year ago, latest month per source (the page draws no trends, so neither side computes them)."""
    nu = compute(data, period, filters)
    forra = compute(data, Period(period.year - 1, tertial=period.tertial, month=period.month, ytd=period.ytd), filters)
    farskhet = {t: data[t]["manad"].max() for t in ("volymer", "bemanning", "telefoni", "sjukfranvaro", "ekonomi")}
    return nu, forra, farskhet


def produktivitet(data: Data, period: Period, filters: Filters):
    """Productivity figures, series per unit and tertial, volumes per category, top manual förvaltningar."""
    start, tre_ar = date(period.year, 1, 1), date(period.year - 2, 1, 1)
    v = _select(_select(_months(data["volymer"], start, period.end), "enhet", filters.units), "forvaltning", filters.forvaltningar)
    volymer = v[v["kategori"].isin([MASKINELL, MANUELL])].groupby(["manad", "kategori"], as_index=False)["antal"].sum()
    m = _months(v, period.start, period.end)
    m = m[m["kategori"] == MANUELL].groupby("forvaltning", as_index=False)["antal"].sum()
    m["andel"] = 100.0 * m["antal"] / m["antal"].sum()
    topp = m.sort_values(["antal", "forvaltning"], ascending=[False, True]).head(10)
    return (
        compute(data, period, filters, PRODUKTIVITET_IDS),
        series(data, "loner_per_arsarbetare", start, period.end, filters, by="enhet"),
        series(data, "loner_per_arsarbetare", tre_ar, period.end, filters, grain="tertial"),
        volymer,
        series(data, "andel_maskinell", tre_ar, period.end, filters),
        topp,
        series(data, "pensionsarenden_per_handlaggare", tre_ar, period.end, filters, grain="tertial"),
    )


def telefoni(data: Data, period: Period, filters: Filters):
    """Telephony figures, per-queue and time series, weekday × hour maps, Erlang C staffing."""
    start = date(period.year, 1, 1)
    per_ko = [series(data, i, start, period.end, filters, by="ko") for i in ("servicegrad", "svarsfrekvens")]
    tider = [series(data, i, start, period.end, filters) for i in ("medel_vantetid", "medel_hanteringstid")]
    t = _select(_months(data["telefoni"], period.start, period.end), "ko", filters.queues)
    timme = t["intervall"].str.slice(0, 2).astype("int64")
    kartor = t.groupby([t["datum"].dt.dayofweek, timme]).agg(
        inkommande=("inkommande", "sum"), dagar=("datum", "nunique"), inom=("besvarade_inom_25s", "sum")
    )
    kartor["per_dag"] = kartor["inkommande"] / kartor["dagar"]
    kartor["servicegrad"] = 100.0 * kartor["inom"] / kartor["inkommande"].replace(0, np.nan)
    sista = t[t["manad"] == _ts(period.end)]
    h = sista.groupby(sista["intervall"].str.slice(0, 2).astype("int64")).agg(
        dagar=("datum", "nunique"),
        inkommande=("inkommande", "sum"),
        besvarade=("besvarade", "sum"),
        samtal=("total_samtalstid_s", "sum"),
        efter=("total_efterarbetstid_s", "sum"),
    )
    bemanning = [
        erlang.agenter_som_behovs(r.inkommande / r.dagar, (r.samtal + r.efter) / r.besvarade if r.besvarade else 0.0, 3600, 0.85, 25)
        for r in h.itertuples()
    ]
    return compute(data, period, filters, TELEFONI_IDS), per_ko, tider, kartor, bemanning


def sjukfranvaro(data: Data, period: Period, filters: Filters):
    """Sick-leave figures per unit, 12-month rolling series per unit, short and long series."""
    start = date(period.year - 2, 1, 1)
    units = filters.units or tuple(sorted(set(data["sjukfranvaro"]["enhet"])))
    per_enhet = {u: compute(data, period, Filters(units=(u,)), SJUK_IDS) for u in units}
    return (
        compute(data, period, filters, SJUK_IDS),
        per_enhet,
        series(data, "sjukfranvaro_12m", start, period.end, filters, by="enhet"),
        [series(data, i, start, period.end, filters) for i in ("sjukfranvaro_kort", "sjukfranvaro_lang")],
    )


def ekonomi(data: Data, period: Period, filters: Filters):
    """Economy figures, per month with running result, forecast per group, forecast movement, deviations."""
    start = date(period.year, 1, 1)
    e = _select(_months(data["ekonomi"], start, period.end), "ansvar", filters.units)
    e = e.assign(resultat=_signed(e, "utfall_kr"), budget_resultat=_signed(e, "budget_kr"))
    per_manad = e.groupby("manad").agg(resultat=("resultat", "sum"), budget_resultat=("budget_resultat", "sum")).cumsum()
    avvikelser = e.groupby(["ansvar", "kontogrupp", "typ"], as_index=False)[["budget_kr", "utfall_kr"]].sum()
    p = _select(_months(data["prognos"], start, period.end, "prognosmanad"), "ansvar", filters.units)
    forandring = p.assign(r=_signed(p, "helarsprognos_kr")).groupby("prognosmanad")["r"].sum()
    senaste = p[p["prognosmanad"] == p["prognosmanad"].max()].groupby(["ansvar", "kontogrupp", "typ"])["helarsprognos_kr"].sum()
    budget = _select(data["ekonomi"], "ansvar", filters.units)
    budget = budget[budget["manad"].dt.year == period.year].groupby(["ansvar", "kontogrupp", "typ"])["budget_kr"].sum()
    per_grupp = pd.concat([senaste, budget], axis=1)
    return compute(data, period, filters, EKONOMI_IDS), per_manad, per_grupp, forandring, avvikelser


def maluppfyllelse(data: Data, period: Period, filters: Filters):
    """Every indicator with its year target."""
    varden = compute(data, period, filters)
    mal = data["mal"]
    mal = mal[(mal["ar"] == period.year) & mal["enhet"].isna()].set_index("indikator")["arsmal"].to_dict() if len(mal) else {}
    return {i: (v, mal.get(i)) for i, v in varden.items()}


def _per_call(page):
    """A page call starts with an empty memo, so a warm run recomputes everything like the first one."""

    def run(data: Data, period: Period, filters: Filters):
        data.memo = {}
        return page(data, period, filters)

    return run


PAGES = {
    name: _per_call(fn)
    for name, fn in {
        "oversikt": oversikt,
        "produktivitet": produktivitet,
        "telefoni": telefoni,
        "sjukfranvaro": sjukfranvaro,
        "ekonomi": ekonomi,
        "maluppfyllelse": maluppfyllelse,
    }.items()
}
TABLES_PER_PAGE = {
    "oversikt": ALLA,
    "maluppfyllelse": ALLA,
    "produktivitet": ("volymer", "bemanning", "ekonomi"),
    "telefoni": ("telefoni",),
    "sjukfranvaro": ("sjukfranvaro",),
    "ekonomi": ("ekonomi", "prognos"),
}
