"""Which file each source is written to and in which export style (the real-world variation lives here)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from sample.format import NBSP, PLAIN, Fmt, write
from sample.malstruktur import malstruktur as malstruktur_tabell
from sample.modell import KATEGORI_MANUELL, Verksamhet

CP1252 = dict(encoding="cp1252", sep=";", decimal=",", line_end="\r\n")  # Excel on Windows, Swedish locale
BOM = dict(encoding="utf-8-sig", sep=";", decimal=",")  # "CSV UTF-8" from Excel
XLSX = Fmt(kind="xlsx")

Written = list[tuple[str, int]]  # (path relative to out, data rows)


def _variant(v: Verksamhet, month: date, variants: list[Fmt]) -> Fmt:
    """The style for a month: one per year of the range, the last one repeating."""
    return variants[min(month.year - v.first.year, len(variants) - 1)]


def _emit(df: pl.DataFrame, out: Path, rel: str, fmt: Fmt, varied: bool) -> tuple[str, int]:
    if not varied:
        fmt, rel = PLAIN, rel.rsplit(".", 1)[0] + ".csv"
    return rel, write(df, out / rel, fmt)


def _in_range(df: pl.DataFrame, v: Verksamhet, col: str = "manad") -> pl.DataFrame:
    return df.filter(pl.col(col).is_between(v.first, v.last))


# ---------------------------------------------------------------- volymer
VOLYMER_FMT = [
    Fmt(),
    Fmt(**CP1252, thousands=" ", month="%Y%m"),
    Fmt(**BOM, thousands=NBSP, month="%Y-%m-01", varied_headers=True, order=("Enhet", "Kategori", "Månad", "Förvaltning", "Antal")),
    XLSX,
]


def rattelse_month(v: Verksamhet) -> date | None:
    """The month delivered twice: March of the third year (or the middle month of a short range)."""
    candidate = date(v.first.year + 2, 3, 1)
    return candidate if candidate in v.months else v.months[len(v.months) // 2]


def alias(enhet: str) -> str:
    """A short name people write for a unit: 'LE Nord' for Löneenhet Nord, 'PE' for Pensionsenheten."""
    if enhet.startswith("Löneenhet "):
        return "LE " + enhet.removeprefix("Löneenhet ")
    return "PE" + enhet.removeprefix("Pensionsenhet").removeprefix("en")


def _stavning(v: Verksamhet, m: date, month: pl.DataFrame) -> pl.DataFrame:
    """Two months whose export writes names in another letter case: the ETL loads them in the canonical spelling."""
    if m == date(v.first.year + 1, 6, 1):
        return month.with_columns(pl.col("Kategori").str.to_uppercase())  # 'LÖNESPECIFIKATION MASKINELL'
    if m == date(v.first.year + 2, 6, 1):
        forsta = v.enheter[0].namn
        return month.with_columns(
            pl.when(pl.col("Enhet") == forsta).then(pl.col("Enhet").str.to_uppercase()).otherwise(pl.col("Enhet")).alias("Enhet"),
            pl.when(pl.col("Kategori") == KATEGORI_MANUELL).then(pl.lit("lönespecifikation Manuell")).otherwise(pl.col("Kategori")).alias("Kategori"),
        )
    return month


def volymer(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """One file per month; one month re-delivered with corrections in a file sorting after the original."""
    written = []
    data = _in_range(data, v).rename({"manad": "Månad", "enhet": "Enhet", "forvaltning": "Förvaltning", "kategori": "Kategori", "antal": "Antal"})
    redelivered = rattelse_month(v) if varied else None
    for m in v.months:
        month = data.filter(pl.col("Månad") == m)
        if varied:
            month = _stavning(v, m, month)
        fmt = _variant(v, m, VOLYMER_FMT)
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        if m == redelivered:
            # The first delivery missed the manual payslips of one administration and mistyped one count.
            forv = month["Förvaltning"].unique(maintain_order=True)[0]
            wrong = month.filter(~((pl.col("Förvaltning") == forv) & (pl.col("Kategori") == KATEGORI_MANUELL)))
            wrong = wrong.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.col("Antal") + 90).otherwise(pl.col("Antal")).alias("Antal"))
            written.append(_emit(wrong, out, f"volymer/volymer_{m:%Y-%m}.{ext}", fmt, varied))
            written.append(_emit(month, out, f"volymer/volymer_{m:%Y-%m}_rattelse.{ext}", fmt, varied))
        else:
            written.append(_emit(month, out, f"volymer/volymer_{m:%Y-%m}.{ext}", fmt, varied))
    return written


# ---------------------------------------------------------------- bemanning
def bemanning(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """Per year: an xlsx, a Windows-1252 CSV with decimal commas, then one tab-separated file with a Kommentar column."""
    data = _in_range(data, v).rename({"manad": "Månad", "enhet": "Enhet", "roll": "Roll", "arsarbetare": "Årsarbetare", "anstallda": "Anställda"})
    years = sorted({m.year for m in v.months})
    written = []
    if not varied:
        for y in years:
            written.append(_emit(data.filter(pl.col("Månad").dt.year() == y), out, f"bemanning/bemanning_{y}.csv", PLAIN, False))
        return written
    for i, y in enumerate(years[:2]):
        fmt = XLSX if i == 0 else Fmt(**CP1252)
        ext = "xlsx" if i == 0 else "csv"
        written.append(_emit(data.filter(pl.col("Månad").dt.year() == y), out, f"bemanning/bemanning_{y}.{ext}", fmt, True))
    if len(years) > 2:
        rest = data.filter(pl.col("Månad").dt.year() >= years[2])
        comment = (
            pl.when((pl.col("Roll") == "Löneadministratör") & (pl.col("Månad").dt.month() == 6))
            .then(pl.lit("Sommarvikarier ej medräknade"))
            .otherwise(pl.lit(None, pl.String))
        )
        rest = rest.with_columns(comment.alias("Kommentar"))
        fmt = Fmt(sep="\t", month="%Y%m")
        written.append(_emit(rest, out, f"bemanning/bemanning_{years[2]}-{years[-1]}.csv", fmt, True))
    return written


# ---------------------------------------------------------------- telefoni and samtal
TELEFONI_FMT = [
    Fmt(),
    Fmt(
        **CP1252,
        duration="hh:mm:ss",
        duration_overrides=(("Längsta väntetid", "mm:ss"),),
        order=(
            "Kö",
            "Datum",
            "Intervall",
            "Inkommande",
            "Besvarade",
            "Avbrutna",
            "Besvarade inom 25 s",
            "Total väntetid",
            "Längsta väntetid",
            "Total samtalstid",
            "Total efterarbetstid",
        ),
    ),
    XLSX,
    Fmt(duration="hh:mm:ss"),  # newer CallGuide version: also reports short abandons
]
SAMTAL_FMT = [Fmt(), Fmt(**CP1252, duration="mm:ss"), Fmt(**BOM, duration="hh:mm:ss")]


def telefoni_och_samtal(v: Verksamhet, out: Path, varied: bool) -> tuple[Written, Written]:
    """Month by month so memory stays bounded: the interval report, and the call log for the log months."""
    intervall_text = np.array(v.intervall_text())
    koer = np.array([k.namn for k in v.koer])
    tele, samtal = [], []
    for m in v.months:
        interval, calls = v.telefoni_manad(m)
        fmt = _variant(v, m, TELEFONI_FMT)
        columns = {
            "Datum": pl.Series(interval["datum"]).cast(pl.Date),
            "Intervall": intervall_text[interval["intervall"]],
            "Kö": koer[interval["ko"]],
            "Inkommande": interval["inkommande"],
            "Besvarade": interval["besvarade"],
            "Besvarade inom 25 s": interval["besvarade_inom_25s"],
            "Avbrutna": interval["avbrutna"],
            "Avbrutna inom 5 s": interval["avbrutna_inom_5s"],
            "Total väntetid": interval["total_vantetid"],
            "Längsta väntetid": interval["langsta_vantetid"],
            "Total samtalstid": interval["total_samtalstid"],
            "Total efterarbetstid": interval["total_efterarbetstid"],
        }
        if not (varied and fmt is TELEFONI_FMT[-1]):
            del columns["Avbrutna inom 5 s"]
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        tele.append(_emit(pl.DataFrame(columns), out, f"telefoni/telefoni_{m:%Y-%m}.{ext}", fmt, varied))
        if m in v.samtal_months:
            log = pl.DataFrame(
                {
                    "Starttid": pl.Series(calls["starttid"]).cast(pl.Datetime("us")),
                    "Kö": koer[calls["ko"]],
                    "Väntetid": calls["vantetid"],
                    "Samtalstid": calls["samtalstid"],
                    "Efterarbete": calls["efterarbete"],
                    "Utfall": np.where(calls["besvarad"], "Besvarad", "Avbruten"),
                }
            )
            fmt = SAMTAL_FMT[v.samtal_months.index(m) % len(SAMTAL_FMT)]
            samtal.append(_emit(log, out, f"samtal/samtal_{m:%Y-%m}.csv", fmt, varied))
        del interval, calls
    return tele, samtal


# ---------------------------------------------------------------- sjukfranvaro
SJUK_FMT = [
    Fmt(),
    Fmt(**CP1252, thousands=" ", month="%Y-%m-01"),
    Fmt(month="%Y%m"),
    XLSX,
]
SJUK_COLUMNS = {
    "manad": "Månad",
    "enhet": "Enhet",
    "anstallda": "Anställda",
    "ordinarie_h": "Ordinarie arbetstid",
    "sjuk_dag1_14_h": "Sjukfrånvaro dag 1-14",
    "sjuk_dag15_h": "Sjukfrånvaro dag 15-",
}


def sjukfranvaro(v: Verksamhet, person: pl.DataFrame, out: Path, varied: bool) -> Written:
    """Unit-level monthly reports, except four months exported per person (the ETL must aggregate them)."""
    person = _in_range(person, v)
    unit = v.sjukfranvaro_enhet(person).rename(SJUK_COLUMNS)
    person_months = [date(v.first.year + 2, mo, 1) for mo in (1, 2, 3, 4)] if varied else []
    total_row_month = max(m for m in v.months if m.year == v.first.year)
    written = []
    for m in v.months:
        fmt = _variant(v, m, SJUK_FMT)
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        rel = f"sjukfranvaro/sjukfranvaro_{m:%Y-%m}.{ext}"
        if m in person_months:
            rows = person.filter(pl.col("manad") == m).rename(SJUK_COLUMNS | {"anstallningsnummer": "Anställningsnummer"}, strict=False)
            if m.month > 2:
                rows = rows.with_columns(pl.lit(1).alias("Anställda"))  # some HR exports put 1 per person
            rows = rows.select("Anställningsnummer", "Månad", "Enhet", pl.exclude("Anställningsnummer", "Månad", "Enhet"))
            written.append(_emit(rows, out, f"sjukfranvaro/sjukfranvaro_{m:%Y-%m}.csv", Fmt(**BOM), varied))
            continue
        rows = unit.filter(pl.col("Månad") == m)
        if varied and m == total_row_month:
            fmt = Fmt(total_row=True, order=("Enhet", "Månad", "Anställda", "Ordinarie arbetstid", "Sjukfrånvaro dag 1-14", "Sjukfrånvaro dag 15-"))
        written.append(_emit(rows, out, rel, fmt, varied))
    return written


# ---------------------------------------------------------------- ekonomi and prognos
EKONOMI_FMT = [
    Fmt(**CP1252, month="%Y%m"),
    Fmt(**CP1252, month="%Y%m"),
    Fmt(**CP1252, month="%Y%m", thousands=NBSP),
    Fmt(kind="xlsx", month="%Y%m"),
]


def _agresso_sign(df: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Agresso convention: revenue negative, costs positive."""
    sign = pl.when(pl.col("typ") == "intakt").then(-1.0).otherwise(1.0)
    return df.with_columns((pl.col(c) * sign).round(2) for c in columns)


def ekonomi(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """Monthly Agresso extracts: a Kontotyp column in the first years, a Konto column (3xxx/4xxx–7xxx) later.

    A year still in progress arrives as one year-to-date extract with the whole year's budget and Utfall
    left empty for months not yet booked, as Agresso reports it, so forecasts can be set against the full budget."""
    pagaende_ar = v.last.year if v.last.month < 12 else None
    ar_start = date(pagaende_ar, 1, 1) if pagaende_ar else None
    data = data.filter(pl.col("manad").is_between(v.first, v.last) | (pl.col("manad").dt.year() == pl.lit(pagaende_ar if pagaende_ar else -1)))
    data = _agresso_sign(data, ["budget", "utfall"]).with_columns(
        pl.when(pl.col("manad") > v.last).then(None).otherwise(pl.col("utfall")).alias("utfall")
    )
    written = []
    perioder = [m for m in v.months if m.year != pagaende_ar] + ([ar_start] if pagaende_ar else [])
    for m in perioder:
        hela_aret = m == ar_start
        month = data.filter((pl.col("manad").dt.year() == m.year) if hela_aret else (pl.col("manad") == m))
        fmt = _variant(v, m, EKONOMI_FMT)
        with_konto = varied and m.year >= v.first.year + 2
        if with_konto:
            rows = month.select(
                pl.col("manad").alias("Period"),
                pl.col("ansvar").alias("Ansvar"),
                pl.col("kontogrupp").alias("Kontogrupp"),
                pl.col("konto").alias("Konto"),
                pl.col("budget").alias("Budget"),
                pl.col("utfall").alias("Utfall"),
            )
        else:
            rows = (
                month.group_by("manad", "ansvar", "kontogrupp", "typ", maintain_order=True)
                .agg(
                    pl.col("budget").sum().round(2),
                    # a month not yet booked stays empty (polars would sum nulls to 0)
                    pl.when(pl.col("utfall").is_not_null().any()).then(pl.col("utfall").sum().round(2)).alias("utfall"),
                )
                .select(
                    pl.col("manad").alias("Period"),
                    pl.col("ansvar").alias("Ansvar"),
                    pl.col("kontogrupp").alias("Kontogrupp"),
                    pl.when(pl.col("typ") == "intakt").then(pl.lit("Intäkt")).otherwise(pl.lit("Kostnad")).alias("Kontotyp"),
                    pl.col("budget").alias("Budget"),
                    pl.col("utfall").alias("Utfall"),
                )
            )
        if varied and m == date(v.first.year + 2, 5, 1) and len(v.enheter) > 1:
            andra = v.enheter[1].namn  # this month's extract names the second unit by its short name (an alias in the register)
            rows = rows.with_columns(pl.when(pl.col("Ansvar") == andra).then(pl.lit(alias(andra))).otherwise(pl.col("Ansvar")).alias("Ansvar"))
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        namn = f"ekonomi_{m:%Y}_hittills" if hela_aret else f"ekonomi_{m:%Y%m}"
        written.append(_emit(rows, out, f"ekonomi/{namn}.{ext}", fmt, varied))
    return written


PROGNOS_FMT = [Fmt(**CP1252), XLSX, Fmt(month="%Y%m"), Fmt(**BOM, month="%Y-%m-01")]


def prognos(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """One file per year holding every forecast month of that year."""
    data = _agresso_sign(data, ["helarsprognos"]).select(
        pl.col("prognosmanad").alias("Prognosmånad"),
        pl.col("ansvar").alias("Ansvar"),
        pl.col("kontogrupp").alias("Kontogrupp"),
        pl.col("helarsprognos").alias("Helårsprognos"),
    )
    written = []
    for y in sorted({m.year for m in v.months}):
        rows = data.filter(pl.col("Prognosmånad").dt.year() == y)
        if rows.height == 0:
            continue
        fmt = _variant(v, date(y, 1, 1), PROGNOS_FMT)
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        written.append(_emit(rows, out, f"prognos/prognos_{y}.{ext}", fmt, varied))
    return written


# ---------------------------------------------------------------- mal and indikatorer
def mal(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """Targets as a verksamhetsutvecklare keeps them: older years in xlsx, recent years in a CSV saved from Excel."""
    data = data.select(
        pl.col("indikator").alias("Indikator"),
        pl.col("ar").alias("År"),
        pl.col("arsmal").alias("Årsmål"),
        pl.col("kf_arsmal").alias("KF:s årsmål"),
        pl.col("enhet").alias("Enhet"),
    )
    years = sorted(data["År"].unique())
    if not varied:
        return [_emit(data, out, "mal/mal.csv", PLAIN, False)]
    split = years[(len(years) + 1) // 2 - 1] if len(years) > 1 else years[-1]
    written = [_emit(data.filter(pl.col("År") <= split), out, f"mal/mal_{years[0]}-{split}.xlsx", XLSX, True)]
    if split < years[-1]:
        later = data.filter(pl.col("År") > split)
        written.append(_emit(later, out, f"mal/mal_{split + 1}-{years[-1]}.csv", Fmt(**BOM, trim_decimals=True), True))
    return written


def indikatorer(v: Verksamhet, data: pl.DataFrame, out: Path, varied: bool) -> Written:
    """All manual indicator results in one hand-kept file."""
    data = data.select(
        pl.col("indikator").alias("Indikator"), pl.col("period").alias("Period"), pl.col("utfall").alias("Utfall"), pl.col("enhet").alias("Enhet")
    )
    return [_emit(data, out, "indikatorer/indikatorer.csv", Fmt(**CP1252, trim_decimals=True), varied)]


# ---------------------------------------------------------------- malstruktur
MALSTRUKTUR_FMT = [XLSX, Fmt(**CP1252), Fmt(**BOM), XLSX]


def malstruktur(v: Verksamhet, out: Path, varied: bool) -> Written:
    """The goal hierarchy as a verksamhetsutvecklare keeps it: one file per year, saved from Excel in the year's style."""
    data = malstruktur_tabell(sorted({m.year for m in v.months}))
    written = []
    for ar in data["År"].unique(maintain_order=True).to_list():
        fmt = MALSTRUKTUR_FMT[min(ar - v.first.year, len(MALSTRUKTUR_FMT) - 1)]
        ext = "xlsx" if fmt.kind == "xlsx" else "csv"
        written.append(_emit(data.filter(pl.col("År") == ar), out, f"malstruktur/malstruktur_{ar}.{ext}", fmt, varied))
    return written


# ---------------------------------------------------------------- enheter (the unit register)
def enheter(v: Verksamhet, out: Path, varied: bool) -> Written:
    """The unit register kept by hand: each unit's canonical name, and (in the varied sample) the short names in use."""
    namn = [e.namn for e in v.enheter]
    rows = pl.DataFrame({"Enhet": namn, "Alias": [None] * len(namn)}, schema={"Enhet": pl.String, "Alias": pl.String})
    if varied:
        rows = pl.concat([rows, pl.DataFrame({"Enhet": namn, "Alias": [alias(n) for n in namn]})])
    return [_emit(rows, out, "enheter/enheter.csv", Fmt(**BOM), varied)]
