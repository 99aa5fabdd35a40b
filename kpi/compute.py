"""compute() for tiles and tables, per_grupp() for tables per unit/queue/account group, jamforelse() for last year and
series() for charts — all through the same formula families and the same assessment, so they cannot disagree."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import date

import duckdb
import polars as pl

import lake
from kpi.catalogue import CATALOGUE, Indicator, manual_indicator
from kpi.format import STATUS_ORD, Visning, manadsspann
from kpi.formler import FAMILJER, GRUPPSEPARATOR, Varde, familjers_summor, grupperingar, indicator_value, perioders_summor
from kpi.minne import per_anslutning
from kpi.period import GRAINS, SERVICEGRAD_DEFINITIONER, Filters, Period, add_months, buckets
from kpi.targets import EJ_BEDOMD, Target, assess, choose_target, load_targets
from lake.schema import TABLES

# Half of a page's formula families go to these workers while the calling thread runs the other half: DuckDB releases
# the GIL while it parses, plans and runs a statement, so the two overlap on a second core (bounded for a rush).
_ANDRA_HALVAN = ThreadPoolExecutor(max_workers=4, thread_name_prefix="familjer")


def _familjers_summor(con, planer: list, filters: Filters, dims: tuple[str, ...], manuella: tuple[str, ...]) -> list[list[dict]]:
    """familjers_summor in two statements side by side when there are several families (one statement each half)."""
    if len(planer) < 3:
        return familjers_summor(con, planer, filters, dims, manuella)
    halv = (len(planer) + 1) // 2
    forsta = _ANDRA_HALVAN.submit(familjers_summor, con, planer[:halv], filters, dims, manuella)
    andra = familjers_summor(con, planer[halv:], filters, dims, manuella)
    return forsta.result() + andra


SERIES_COLUMNS = ["period_start", "period", "grupp", "varde", "taljare", "namnare", "orsak", "anmarkning"]
BY_ALLOWED = ("enhet", "ko", "forvaltning", "veckodag_timme", "timme", "kontogrupp", "typ")
_SERIES_SCHEMA = {
    "period_start": pl.Date,
    "period": pl.String,
    "grupp": pl.String,
    "varde": pl.Float64,
    "taljare": pl.Float64,
    "namnare": pl.Float64,
    "orsak": pl.String,
    "anmarkning": pl.String,
}


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
    visning: Visning | None = field(default=None, compare=False)

    def __post_init__(self):
        if self.visning is None:
            # A result built by hand (tests, a manual indicator) reads like its catalogue entry, or by its measure.
            ind = CATALOGUE.get(self.id)
            visning = ind.visning if ind else manual_indicator(self.id).visning
            object.__setattr__(self, "visning", Visning(self.matt, visning.enhet if ind else self.matt, self.decimaler, visning.forandring_som))

    def as_json(self) -> dict:
        """The stable CLI/report contract: id, namn, varde, mal, kf_mal, status, matt, period, orsak, anmarkning."""
        d = asdict(self)
        return {k: d[k] for k in ("id", "namn", "varde", "mal", "kf_mal", "status", "matt", "period", "orsak", "anmarkning")}

    def text(self, x: float | None) -> str:
        """Any figure of this indicator (value, target, a comparison) formatted as everywhere else."""
        return self.visning.text(x)

    @property
    def varde_text(self) -> str:
        """The value in Swedish format ('6,5 %', '1 150', '2:23', '−276 tkr')."""
        return self.text(self.varde)

    @property
    def mal_text(self) -> str:
        """The target in Swedish format."""
        return self.text(self.mal)

    @property
    def status_ord(self) -> str:
        """'Uppfylls helt', 'Uppfylls delvis', 'Uppfylls ej' or 'Ej bedömd'."""
        return STATUS_ORD[self.status]


@dataclass(frozen=True)
class GruppResultat:
    """An indicator for one group of a grouping (e.g. {'enhet': 'Löneenhet Nord', 'kontogrupp': 'Personalkostnader'})."""

    grupp: dict[str, str]
    resultat: KpiResult


def _connection(con: duckdb.DuckDBPyConnection | None) -> duckdb.DuckDBPyConnection:
    return con if con is not None else lake.connect()


def manual_ids_in_data(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Manual indicator ids found in the `indikatorer` table, sorted (read once per connection)."""

    def las() -> list[str]:
        return lake.query(con, "SELECT DISTINCT indikator FROM indikatorer WHERE indikator IS NOT NULL ORDER BY 1")["indikator"].to_list()

    return list(per_anslutning(con, ("manuella_id",), las))


def indicator(indikator_id: str, con: duckdb.DuckDBPyConnection | None = None) -> Indicator:
    """The catalogue entry for an id; an id found only in `indikatorer` gets a generic manual entry."""
    if indikator_id in CATALOGUE:
        return CATALOGUE[indikator_id]
    if con is not None and indikator_id in manual_ids_in_data(con):
        return manual_indicator(indikator_id)
    raise KeyError(f"Okänd indikator: {indikator_id}")


def catalogue_with_data(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """Every indicator shown as a tile (helper measures left out) plus generic entries for manual ids only in the data."""
    extra = [manual_indicator(i) for i in manual_ids_in_data(con) if i not in CATALOGUE]
    return [i for i in CATALOGUE.values() if i.visas] + extra


def _indicators(ids, con) -> list[Indicator]:
    if ids is None:
        return catalogue_with_data(con)
    known, inds = None, []
    for i in ids:
        if i in CATALOGUE:
            inds.append(CATALOGUE[i])
            continue
        known = manual_ids_in_data(con) if known is None else known
        if i not in known:
            raise KeyError(f"Okänd indikator: {i}")
        inds.append(manual_indicator(i))
    return inds


def _filter_notes(ind: Indicator, filters: Filters, row: dict | None) -> list[str]:
    notes = []
    if filters.units and "enhet" not in ind.dimensioner and filters.omfang is None:
        notes.append(f"{ind.anmarkning or 'Indikatorn saknar enhetsuppdelning'} – enhetsfiltret gäller inte")
    if filters.forvaltningar and "forvaltning" not in ind.dimensioner:
        notes.append("Finns inte per förvaltning – förvaltningsfiltret gäller inte")
    if ind.familj in ("telefoni", "samtal") and ind.taljare == "inom_troskel":
        troskel = filters.servicegrad_troskel_s if ind.familj == "samtal" else 25
        if filters.servicegrad_definition != "inkommande" or troskel != 25:
            definition = SERVICEGRAD_DEFINITIONER[filters.servicegrad_definition].replace("tröskeln", f"{troskel} s")
            notes.append(f"Servicegrad = {definition}")
    if ind.fonster_manader and row is not None and row.get("fonster_start"):
        notes.append(f"{ind.fonster_manader} månader {manadsspann(row['fonster_start'], row['period_slut'])}")
    if ind.familj == "manuell" and row is not None and row.get("utfall") is not None:
        if row.get("kalla_period") and row["kalla_period"] != row.get("period_key"):
            notes.append(f"Mätning {row['kalla_period']}")
        if filters.units and row.get("hela_verksamheten"):
            notes.append("Värdet gäller hela verksamheten")
    return notes


def _family_key(ind: Indicator) -> tuple[str, int | None]:
    return ind.familj, ind.fonster_manader


def _dataspann(con: duckdb.DuckDBPyConnection, ind: Indicator) -> tuple[date | None, date | None]:
    """First and last month with data in the indicator's source table (read once per connection)."""
    t = TABLES[ind.tabeller[0]]

    def las() -> tuple[date | None, date | None]:
        rad = lake.query(con, f"SELECT min({t.manad}) AS forsta, max({t.manad}) AS sista FROM {t.name} WHERE {t.har_data}").row(0)
        return rad[0], rad[1]

    return per_anslutning(con, ("dataspann", t.name), las)


def _fonster(ind: Indicator, start: date, slut: date, spann: tuple[date | None, date | None]) -> tuple[date, date, str | None]:
    """A rolling window for a bucket: it ends at the last month with data (≤ the bucket's end), and must be whole.

    (window start, window end, why there is no value)."""
    forsta, sista = spann
    if sista is None or sista < start:
        return add_months(slut, 1 - ind.fonster_manader), slut, ind.saknas_taljare
    fonster_slut = min(slut, sista)
    fonster_start = add_months(fonster_slut, 1 - ind.fonster_manader)
    if forsta is None or fonster_start < forsta:
        return fonster_start, fonster_slut, f"Färre än {ind.fonster_manader} månader med data före {manadsspann(fonster_slut, fonster_slut)}"
    return fonster_start, fonster_slut, None


def _resultat(ind: Indicator, v: Varde, label: str, target: Target | None, mal_orsak: str | None, notes: list[str]) -> KpiResult:
    """A KpiResult from an evaluated value and its target: the one place a status is decided."""
    mal = target.arsmal if target else None
    status = assess(v.varde, mal, ind, v.bas)
    orsak = v.orsak if v.orsak is not None or status != EJ_BEDOMD else mal_orsak
    dolj = ind.minsta_antal_anstallda is not None  # sick-leave hours never leave the KPI layer, only the rate
    return KpiResult(
        id=ind.id,
        namn=ind.namn,
        varde=v.varde,
        mal=mal,
        kf_mal=target.kf_arsmal if target else None,
        status=status,
        matt=ind.matt,
        period=label,
        orsak=orsak,
        anmarkning="; ".join(notes) or None,
        decimaler=ind.decimaler,
        avsnitt=ind.avsnitt,
        taljare=None if dolj else v.taljare,
        namnare=None if dolj else v.namnare,
        visning=ind.visning,
    )


def _berakna(
    con: duckdb.DuckDBPyConnection,
    bucket: tuple[date, date, str],
    key: str,
    year: int,
    filters: Filters,
    inds: list[Indicator],
) -> list[KpiResult]:
    """Every indicator for one bucket (start month, end month, label): one SQL statement, then value, target, status."""
    return _berakna_flera(con, [(bucket, key, year)], filters, inds)[0]


def _berakna_flera(
    con: duckdb.DuckDBPyConnection,
    perioder: list[tuple[tuple[date, date, str], str, int]],
    filters: Filters,
    inds: list[Indicator],
) -> list[list[KpiResult]]:
    """Every indicator for each of several buckets (bucket, period key, target year) from ONE SQL statement."""
    manual_ids = tuple(i.id for i in inds if i.familj == "manuell")
    families = list(dict.fromkeys(_family_key(i) for i in inds))
    fonster_per: list[dict[int, tuple[date, date, str | None]]] = []
    for bucket, _, _ in perioder:
        fonster: dict[int, tuple[date, date, str | None]] = {}
        for ind in inds:
            if ind.fonster_manader and ind.fonster_manader not in fonster:
                fonster[ind.fonster_manader] = _fonster(ind, bucket[0], bucket[1], _dataspann(con, ind))
        fonster_per.append(fonster)
    summor = perioders_summor(
        con, [b for b, _, _ in perioder], filters, families, manual_ids, [{w: f[1] for w, f in fonster.items()} for fonster in fonster_per]
    )
    ut = []
    for (bucket, key, year), fonster, sums in zip(perioder, fonster_per, summor):
        rows: dict[tuple, dict] = {}
        for fam_key, value in sums.items():
            if fam_key[0] == "manuell":
                rows.update({(fam_key, r["indikator"]): r for r in value})
            else:
                rows[(fam_key, None)] = value
        targets = load_targets(con, year, [i.id for i in inds])
        results = []
        for ind in inds:
            row = dict(rows.get((_family_key(ind), ind.id if ind.familj == "manuell" else None)) or {})
            row.update(period_slut=bucket[1], period_key=key)
            v = indicator_value(ind, row)
            if ind.fonster_manader:
                start, slut, saknas = fonster[ind.fonster_manader]
                row.update(fonster_start=start, period_slut=slut)
                if saknas:
                    v = Varde(None, orsak=saknas)
            notes = _filter_notes(ind, filters, row)
            target, mal_orsak, mal_note = choose_target(targets.get(ind.id, []), filters.units, ind.har_enhetsdimension, year)
            if mal_note:
                notes.append(mal_note)
            results.append(_resultat(ind, v, bucket[2], target, mal_orsak, notes))
        ut.append(results)
    return ut


def compute(
    period: Period,
    filters: Filters | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[KpiResult]:
    """Every requested indicator (default: every tile, incl. manual ones found in the data) for one period and selection."""
    con = _connection(con)
    return _berakna(con, (period.start, period.end, period.label), period.key, period.end.year, filters or Filters(), _indicators(ids, con))


def jamforelse(
    period: Period,
    filters: Filters | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    senaste: date | None = None,
) -> list[KpiResult]:
    """The same indicators last year, comparable with `period`: the same months when the period is only partly loaded.

    T3 with September–October loaded is compared with September–October last year, not with a whole T3 (counts would
    look halved); a full-year forecast is compared with last year's full-year forecast made at the same month."""
    con = _connection(con)
    filters = filters or Filters()
    inds = _indicators(ids, con)
    jamforbar, hela, delvis_slut = _forra_aret(period, senaste)
    return _jamforelsens_resultat(con, filters, inds, _berakna_flera(con, [jamforbar], filters, inds)[0], hela, delvis_slut)


def med_jamforelse(
    period: Period,
    filters: Filters | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    senaste: date | None = None,
) -> tuple[list[KpiResult], list[KpiResult]]:
    """compute() and jamforelse() together, from one statement for both periods (Översikt shows them side by side)."""
    con = _connection(con)
    filters = filters or Filters()
    inds = _indicators(ids, con)
    jamforbar, hela, delvis_slut = _forra_aret(period, senaste)
    nu, forra = _berakna_flera(con, [((period.start, period.end, period.label), period.key, period.end.year), jamforbar], filters, inds)
    return nu, _jamforelsens_resultat(con, filters, inds, forra, hela, delvis_slut)


def _forra_aret(period: Period, senaste: date | None) -> tuple[tuple, tuple | None, date | None]:
    """Last year's comparable bucket (bucket, key, target year); the whole period too when only part of it is loaded, and the last loaded month."""
    forra = Period(period.year - 1, tertial=period.tertial, month=period.month, ytd=period.ytd)
    hela = ((forra.start, forra.end, forra.label), forra.key, forra.year)
    if senaste is None or not period.start <= senaste < period.end:
        return hela, None, None
    start = date(period.start.year - 1, period.start.month, 1)
    slut = date(senaste.year - 1, senaste.month, 1)
    return ((start, slut, manadsspann(start, slut)), f"{start:%Y-%m}..{slut:%Y-%m}", forra.year), hela, slut


def _jamforelsens_resultat(con, filters: Filters, inds: list[Indicator], resultat: list[KpiResult], hela, delvis_slut) -> list[KpiResult]:
    """Last year's results as jamforelse() gives them: for a partly loaded period, manual measurements for the whole period."""
    if hela is None:
        return resultat
    # Manual measurements (a yearly survey, a tertial figure) belong to the whole period, not to loaded months.
    manuella = [i for i in inds if i.familj == "manuell"]
    hela_res = {r.id: r for r in _berakna_flera(con, [hela], filters, manuella)[0]} if manuella else {}
    ut = []
    for ind, r in zip(inds, resultat):
        if ind.familj == "manuell":
            r = hela_res[ind.id]
        elif ind.helarsvarde:
            r = replace(r, period=f"prognos {manadsspann(delvis_slut, delvis_slut)}")
        ut.append(r)
    return ut


def per_grupp(
    period: Period,
    filters: Filters | None,
    ids: list[str] | tuple[str, ...],
    by: str | tuple[str, ...],
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[GruppResultat]:
    """Each indicator for each group of a grouping in one period: value, the group's own target and the assessment."""
    con = _connection(con)
    filters = filters or Filters()
    dims = grupperingar(by)
    inds = _indicators(ids, con)
    for ind in inds:
        _kontrollera_gruppering(ind, dims)
    targets = load_targets(con, period.end.year, [i.id for i in inds])
    ut: list[GruppResultat] = []
    planer = []
    for (familj, fonster_manader), grupp_inds in _per_familj(inds).items():
        bucket, saknas, fonster_start = (period.start, period.end, period.label), None, None
        if fonster_manader:
            fonster_start, slut, saknas = _fonster(grupp_inds[0], period.start, period.end, _dataspann(con, grupp_inds[0]))
            bucket = (period.start, slut, period.label)
        planer.append((familj, grupp_inds, bucket, saknas, fonster_start, fonster_manader))
    # A table per unit or account group has thousands of rows at city scale: what is the same for every row of a
    # unit (its selection, its target) is worked out once per unit, not once per row.
    period_key, ar, label = period.key, period.end.year, period.label
    urval: dict[tuple[str, ...], Filters] = {}
    mal: dict[tuple[str, tuple[str, ...]], tuple] = {}
    manuella = tuple(i.id for i in inds if i.familj == "manuell")
    summor = _familjers_summor(con, [(p[0], [p[2]], p[5]) for p in planer], filters, dims, manuella)
    for (familj, grupp_inds, bucket, saknas, fonster_start, _), rader in zip(planer, summor):
        for r in rader:
            if r["grupp"] is None:
                continue
            grupp = dict(zip(dims, r["grupp"].split(GRUPPSEPARATOR)))
            units = (grupp["enhet"],) if "enhet" in grupp else filters.units
            if units not in urval:
                urval[units] = replace(filters, units=units, omfang=None)
            row = dict(r, period_slut=bucket[1], period_key=period_key, fonster_start=fonster_start)
            for ind in grupp_inds:
                if familj == "manuell" and r.get("indikator") != ind.id:
                    continue
                v = Varde(None, orsak=saknas) if saknas else indicator_value(ind, row)
                if (ind.id, units) not in mal:
                    mal[(ind.id, units)] = choose_target(targets.get(ind.id, []), units, ind.har_enhetsdimension, ar)
                target, mal_orsak, _ = mal[(ind.id, units)]
                notes = _filter_notes(ind, urval[units], row)
                ut.append(GruppResultat(grupp, _resultat(ind, v, label, target, mal_orsak, notes)))
    return ut


def _per_familj(inds: list[Indicator]) -> dict[tuple[str, int | None], list[Indicator]]:
    out: dict[tuple[str, int | None], list[Indicator]] = {}
    for ind in inds:
        out.setdefault(_family_key(ind), []).append(ind)
    return out


def _kontrollera_gruppering(ind: Indicator, dims: tuple[str, ...]) -> None:
    for dim in dims:
        if dim not in BY_ALLOWED or dim not in ind.dimensioner or dim not in FAMILJER[ind.familj]["grupper"]:
            raise ValueError(f"{ind.namn} kan inte delas upp per {dim}")


def series(
    id: str,
    start: date | Period,
    end: date | Period,
    filters: Filters | None = None,
    grain: str = "manad",
    by: str | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """One indicator per month/tertial/year in start..end (buckets clipped to it), optionally per enhet/ko/forvaltning/….

    Columns: period_start, period, grupp, varde, taljare, namnare, orsak, anmarkning — from the very SQL compute() runs;
    with several grouping dimensions also one column per dimension (grupp then joins them with ' · ')."""
    return serier([id], start, end, filters, grain, by, con).drop("id")


def serier(
    ids: list[str] | tuple[str, ...],
    start: date | Period,
    end: date | Period,
    filters: Filters | None = None,
    grain: str = "manad",
    by: str | tuple[str, ...] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Several indicators' series in one long frame (column `id` first): one SQL statement per formula family."""
    con = _connection(con)
    filters = filters or Filters()
    if grain not in GRAINS:
        raise ValueError(f"Okänd periodlängd: {grain} ({', '.join(GRAINS)})")
    dims = grupperingar(by)
    inds = [indicator(i, con) for i in ids]
    for ind in inds:
        _kontrollera_gruppering(ind, dims)
    start_d = start.start if isinstance(start, Period) else start
    end_d = end.end if isinstance(end, Period) else end
    alla_buckets = buckets(start_d, end_d, grain)
    key_by_start = {s: _bucket_key(s, e, grain) for s, e, _ in alla_buckets}
    out = []
    planer = []
    for (familj, fonster_manader), grupp_inds in _per_familj(inds).items():
        bucket_list, fonster = alla_buckets, {}
        if fonster_manader:
            # The same window rule as compute(): each bucket's window ends at its last month with data and must be whole.
            spann = _dataspann(con, grupp_inds[0])
            fonster = {s: _fonster(grupp_inds[0], s, e, spann) for s, e, _ in bucket_list}
            bucket_list = [(s, fonster[s][1], label) for s, _, label in bucket_list]
        planer.append((familj, fonster_manader, grupp_inds, bucket_list, fonster))
    manuella = tuple(i.id for i in inds if i.familj == "manuell")
    summor = _familjers_summor(con, [(p[0], p[3], p[1]) for p in planer], filters, dims, manuella)
    for (familj, fonster_manader, grupp_inds, bucket_list, fonster), rader in zip(planer, summor):
        slut_by_start = {s: e for s, e, _ in bucket_list}
        if familj == "manuell" and not dims:
            # one statement serves several manual indicators: a bucket measured for one of them only still gets an
            # (empty) row for each of the others, as a single-indicator series would
            har = {(r["period_start"], r.get("indikator")) for r in rader}
            etiketter = {s: label for s, _, label in bucket_list}
            rader = [r for r in rader if r.get("indikator") is not None] + [
                {"period_start": s, "period": etiketter[s], "grupp": None, "indikator": i.id}
                for s in etiketter
                for i in grupp_inds
                if (s, i.id) not in har
            ]
        for r in rader:
            row = dict(r, period_slut=slut_by_start[r["period_start"]], period_key=key_by_start[r["period_start"]])
            if fonster_manader:
                row["fonster_start"] = fonster[r["period_start"]][0]
            for ind in grupp_inds:
                if familj == "manuell" and r.get("indikator") not in (None, ind.id):
                    continue
                out.append(_serierad(ind, row, filters, dims, fonster.get(r["period_start"])))
    schema = {"id": pl.String} | _SERIES_SCHEMA | ({d: pl.String for d in dims} if len(dims) > 1 else {})
    if not out:
        return pl.DataFrame(schema=schema)
    ordning = {i: n for n, i in enumerate(ids)}
    return pl.DataFrame(out, schema=schema, orient="row").sort(
        pl.col("id").replace_strict(ordning, return_dtype=pl.Int64), "period_start", "grupp", nulls_last=True
    )


def _serierad(ind: Indicator, row: dict, filters: Filters, dims: tuple[str, ...], fonster) -> dict:
    """One bucket (and group) of a series: value or reason; sick-leave hour sums never leave the KPI layer."""
    v = indicator_value(ind, row)
    if fonster and fonster[2]:
        v = Varde(None, orsak=fonster[2])
    dolj = ind.minsta_antal_anstallda is not None
    grupp = row["grupp"]
    rad = {
        "id": ind.id,
        "period_start": row["period_start"],
        "period": row["period"],
        "grupp": grupp.replace(GRUPPSEPARATOR, " · ") if grupp else grupp,
        "varde": v.varde,
        "taljare": None if dolj else v.taljare,
        "namnare": None if dolj else v.namnare,
        "orsak": v.orsak,
        "anmarkning": "; ".join(_filter_notes(ind, filters, row)) or None,
    }
    if len(dims) > 1:
        rad.update(zip(dims, grupp.split(GRUPPSEPARATOR) if grupp else [None] * len(dims)))
    return rad


def ackumulerad(id: str, df: pl.DataFrame) -> pl.DataFrame:
    """A monthly series of an additive amount (resultat, budget) summed from its first month: 'hittills' at every month."""
    ind = CATALOGUE[id]
    if ind.namnare is not None or ind.faktor != 1:
        raise ValueError(f"{ind.namn} är en kvot och kan inte summeras månad för månad")
    # A month without value (not yet booked) ends the running total instead of carrying it on.
    return df.sort("period_start").with_columns(pl.when(pl.col("varde").is_not_null()).then(pl.col("varde").fill_null(0).cum_sum()).alias("varde"))


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
    f = replace(base, servicegrad_definition=definition, servicegrad_troskel_s=troskel_s)
    return compute(period, f, ids=["servicegrad_samtal"], con=con)[0]
