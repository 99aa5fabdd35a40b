"""compute() for tiles and tables and series() for charts — both through the same formula families, so they cannot disagree."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import duckdb
import polars as pl

import lake
from kpi.catalogue import CATALOGUE, Indicator, manual_indicator
from kpi.format import MANADER_KORT, STATUS_ORD, enligt_matt
from kpi.formler import FAMILJER, family_sums, indicator_value, period_sums
from kpi.period import GRAINS, SERVICEGRAD_DEFINITIONER, Filters, Period, add_months, buckets
from kpi.targets import EJ_BEDOMD, assess, choose_target, load_targets

SERIES_COLUMNS = ["period_start", "period", "grupp", "varde", "taljare", "namnare", "orsak", "anmarkning"]
BY_ALLOWED = ("enhet", "ko", "forvaltning", "veckodag_timme")


@dataclass(frozen=True)
class KpiResult:
    """One indicator for one period and selection, assessed against its target."""

    id: str
    namn: str
    varde: float | None
    mal: float | None
    kf_mal: float | None
    status: str  # uppfylls_helt | uppfylls_delvis | uppfylls_ej | ej_bedomd
    matt: str
    period: str
    orsak: str | None = None
    anmarkning: str | None = None
    decimaler: int = 0
    avsnitt: str = ""
    taljare: float | None = None
    namnare: float | None = None

    def as_json(self) -> dict:
        """The stable CLI/report contract: id, namn, varde, mal, kf_mal, status, matt, period, orsak, anmarkning."""
        d = asdict(self)
        return {k: d[k] for k in ("id", "namn", "varde", "mal", "kf_mal", "status", "matt", "period", "orsak", "anmarkning")}

    @property
    def varde_text(self) -> str:
        """The value in Swedish format ('6,5 %', '1 150', '2:23')."""
        return enligt_matt(self.varde, self.matt, self.decimaler)

    @property
    def mal_text(self) -> str:
        """The target in Swedish format."""
        return enligt_matt(self.mal, self.matt, self.decimaler)

    @property
    def status_ord(self) -> str:
        """'Uppfylls helt', 'Uppfylls delvis', 'Uppfylls ej' or 'Ej bedömd'."""
        return STATUS_ORD[self.status]


def _connection(con: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    return con if con is not None else lake.connect()


def manual_ids_in_data(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Manual indicator ids found in the `indikatorer` table, sorted."""
    df = lake.query(con, "SELECT DISTINCT indikator FROM indikatorer WHERE indikator IS NOT NULL ORDER BY 1")
    return df["indikator"].to_list()


def indicator(indikator_id: str, con: duckdb.DuckDBPyConnection | None = None) -> Indicator:
    """The catalogue entry for an id; an id found only in `indikatorer` gets a generic manual entry."""
    if indikator_id in CATALOGUE:
        return CATALOGUE[indikator_id]
    if con is not None and indikator_id in manual_ids_in_data(con):
        return manual_indicator(indikator_id)
    raise KeyError(f"Okänd indikator: {indikator_id}")


def catalogue_with_data(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """Every declared indicator plus generic entries for manual indicators that appear only in the data."""
    extra = [manual_indicator(i) for i in manual_ids_in_data(con) if i not in CATALOGUE]
    return list(CATALOGUE.values()) + extra


def _filter_notes(ind: Indicator, filters: Filters, row: dict | None) -> list[str]:
    notes = []
    if filters.units and "enhet" not in ind.dimensioner:
        notes.append(f"{ind.anmarkning or 'Indikatorn saknar enhetsuppdelning'} – enhetsfiltret gäller inte")
    if filters.forvaltningar and "forvaltning" not in ind.dimensioner:
        notes.append("Finns inte per förvaltning – förvaltningsfiltret gäller inte")
    if ind.familj in ("telefoni", "samtal") and ind.taljare == "inom_troskel":
        troskel = filters.servicegrad_troskel_s if ind.familj == "samtal" else 25
        if filters.servicegrad_definition != "inkommande" or troskel != 25:
            definition = SERVICEGRAD_DEFINITIONER[filters.servicegrad_definition].replace("tröskeln", f"{troskel} s")
            notes.append(f"Servicegrad = {definition}")
    if ind.fonster_manader and row is not None:
        slut = row["period_slut"]
        start = add_months(slut, 1 - ind.fonster_manader)
        notes.append(f"{ind.fonster_manader} månader {MANADER_KORT[start.month - 1]} {start.year}–{MANADER_KORT[slut.month - 1]} {slut.year}")
    if ind.familj == "manuell" and row is not None and row.get("utfall") is not None:
        if row.get("kalla_period") and row["kalla_period"] != row.get("period_key"):
            notes.append(f"Mätning {row['kalla_period']}")
        if filters.units and row.get("hela_verksamheten"):
            notes.append("Värdet gäller hela verksamheten")
    return notes


def _family_key(ind: Indicator) -> tuple[str, int | None]:
    return ind.familj, ind.fonster_manader


def compute(
    period: Period,
    filters: Filters | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[KpiResult]:
    """Every requested indicator (default: all, incl. manual ones found in the data) for one period and selection."""
    con = _connection(con)
    filters = filters or Filters()
    if ids is None:
        inds = catalogue_with_data(con)
    else:
        known = None
        inds = []
        for i in ids:
            if i in CATALOGUE:
                inds.append(CATALOGUE[i])
            else:
                known = manual_ids_in_data(con) if known is None else known
                if i not in known:
                    raise KeyError(f"Okänd indikator: {i}")
                inds.append(manual_indicator(i))
    manual_ids = tuple(i.id for i in inds if i.familj == "manuell")

    families = list(dict.fromkeys(_family_key(i) for i in inds))
    sums = period_sums(con, (period.start, period.end, period.label), filters, families, manual_ids)
    rows: dict[tuple, dict] = {}
    for key, value in sums.items():
        if key[0] == "manuell":
            rows.update({(key, r["indikator"]): r for r in value})
        else:
            rows[(key, None)] = value

    targets = load_targets(con, period.end.year, [i.id for i in inds])
    results = []
    for ind in inds:
        key = _family_key(ind)
        row = dict(rows.get((key, ind.id if ind.familj == "manuell" else None)) or {})
        row.update(period_slut=period.end, period_key=period.key)
        varde, taljare, namnare, orsak = indicator_value(ind, row)
        notes = _filter_notes(ind, filters, row)
        target, mal_orsak, mal_note = choose_target(targets.get(ind.id, []), filters.units, ind.har_enhetsdimension, period.end.year)
        if mal_note:
            notes.append(mal_note)
        mal = target.arsmal if target else None
        status = assess(varde, mal, ind)
        if status == EJ_BEDOMD and orsak is None:
            orsak = mal_orsak
        results.append(
            KpiResult(
                id=ind.id,
                namn=ind.namn,
                varde=varde,
                mal=mal,
                kf_mal=target.kf_arsmal if target else None,
                status=status,
                matt=ind.matt,
                period=period.label,
                orsak=orsak,
                anmarkning="; ".join(notes) or None,
                decimaler=ind.decimaler,
                avsnitt=ind.avsnitt,
                taljare=taljare,
                namnare=namnare,
            )
        )
    return results


def series(
    id: str,
    start: date | Period,
    end: date | Period,
    filters: Filters | None = None,
    grain: str = "manad",
    by: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """One indicator per month/tertial/year in start..end (buckets clipped to it), optionally per enhet/ko/forvaltning."""
    # Columns: period_start, period, grupp, varde, taljare, namnare, orsak, anmarkning — from the very SQL compute() runs.
    con = _connection(con)
    filters = filters or Filters()
    ind = indicator(id, con)
    if grain not in GRAINS:
        raise ValueError(f"Okänd periodlängd: {grain} ({', '.join(GRAINS)})")
    if by is not None and (by not in BY_ALLOWED or by not in ind.dimensioner or by not in FAMILJER[ind.familj]["grupper"]):
        raise ValueError(f"{ind.namn} kan inte delas upp per {by}")
    start_d = start.start if isinstance(start, Period) else start
    end_d = end.end if isinstance(end, Period) else end
    bucket_list = buckets(start_d, end_d, grain)
    df = family_sums(con, ind.familj, bucket_list, filters, by, ind.fonster_manader, (ind.id,))
    slut_by_start = {s: e for s, e, _ in bucket_list}
    key_by_start = {s: _bucket_key(s, e, grain) for s, e, _ in bucket_list}
    out = []
    for r in df.iter_rows(named=True):
        row = dict(r, period_slut=slut_by_start[r["period_start"]], period_key=key_by_start[r["period_start"]])
        varde, taljare, namnare, orsak = indicator_value(ind, row)
        notes = _filter_notes(ind, filters, row)
        out.append(
            {
                "period_start": r["period_start"],
                "period": r["period"],
                "grupp": r["grupp"],
                "varde": varde,
                "taljare": taljare,
                "namnare": namnare,
                "orsak": orsak,
                "anmarkning": "; ".join(notes) or None,
            }
        )
    schema = {
        "period_start": pl.Date,
        "period": pl.String,
        "grupp": pl.String,
        "varde": pl.Float64,
        "taljare": pl.Float64,
        "namnare": pl.Float64,
        "orsak": pl.String,
        "anmarkning": pl.String,
    }
    return pl.DataFrame(out, schema=schema, orient="row") if out else pl.DataFrame(schema=schema)


def _bucket_key(start: date, slut: date, grain: str) -> str:
    """The key a manual measurement must have to match the bucket exactly ('2025', '2025-T2', '2025-03')."""
    if grain == "manad":
        return f"{start:%Y-%m}"
    if grain == "tertial":
        return f"{start.year}-T{(start.month - 1) // 4 + 1}"
    return str(start.year)


def servicegrad_samtal(
    period: Period,
    troskel_s: int = 25,
    filters: Filters | None = None,
    definition: str = "inkommande",
    con: duckdb.DuckDBPyConnection | None = None,
) -> KpiResult:
    """Service level from the call log with any threshold in seconds (the telephony page's slider)."""
    base = filters or Filters()
    f = Filters(base.units, base.queues, base.forvaltningar, definition, troskel_s)
    return compute(period, f, ids=["servicegrad_samtal"], con=con)[0]
