"""The nine sources: their raw columns, how a parsed file is staged for validation and shaped into its Parquet table."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from etl import malstruktur, tolka
from etl.text import Namnnotis, Namnregister, text_kolumn
from lake.schema import TABLES

# Revenue kontogrupper when an export has neither Kontotyp nor Konto (override with $VU_INTAKTSGRUPPER, ';'-separated).
STANDARD_INTAKTSGRUPPER = ("Försäljning av tjänster",)
TOLKAD = "_tolkad"  # suffix of the flag "an optional value is empty or parsed", checked by the suite
UTAN_PERSONNUMMER = "utan_personnummer"  # staged flag: no text cell of the row holds a personnummer (checked by every suite)


def intaktsgrupper_fran_miljo() -> tuple[str, ...]:
    """Revenue kontogrupper from $VU_INTAKTSGRUPPER, else the default list."""
    varde = os.environ.get("VU_INTAKTSGRUPPER", "")
    grupper = tuple(g.strip() for g in varde.split(";") if g.strip())
    return grupper or STANDARD_INTAKTSGRUPPER


@dataclass(frozen=True)
class Kolumn:
    """One raw column: its Swedish header, the name it gets after parsing, and its value type."""

    rubrik: str
    namn: str
    typ: str  # text | manad | datum | heltal | tal | tid | intervall | tidpunkt | ar | period
    alias: tuple[str, ...] = ()
    person: bool = False  # a person identifier: used to aggregate, never written, logged or shown
    valfri: bool = False  # optional: may be missing or empty, but a value that is there must parse
    tom_tillaten: bool = False  # the column must be there, but a cell may be empty (e.g. Utfall not yet booked)
    # Code-like text: the source spec's known spellings. A value differing only in case, whitespace or Unicode form
    # is loaded in the known spelling; an unknown value is loaded as written (normalised) and reported.
    kanon: tuple[str, ...] = ()
    kanon_okanda: bool = True  # report values outside `kanon` (False for free-text lists such as queues)
    enhet: bool = False  # a unit name: mapped through the unit register (data/raw/enheter/) when there is one


@dataclass(frozen=True)
class Kalla:
    """A raw source folder: columns, staging for validation, and the step into its Parquet table."""

    namn: str
    kolumner: tuple[Kolumn, ...]
    stega: Callable[[pl.DataFrame, tuple[str, ...]], pl.DataFrame]
    till_tabell: Callable[[pl.DataFrame], pl.DataFrame]
    nyckel: tuple[str, ...]
    # staged column → raw columns whose text a quarantine report quotes for it
    ursprung: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tabell(self) -> str:
        """The Parquet table this source loads (same name as the folder)."""
        return self.namn

    def rubrik(self, namn: str) -> str:
        """Swedish header for an internal column name (a derived column is named after the raw columns it comes from)."""
        namn = namn.removesuffix(TOLKAD)
        rubrik = next((k.rubrik for k in self.kolumner if k.namn == namn), None)
        if rubrik:
            return rubrik
        harledd = self.harledd_av(namn)
        return ", ".join(self.rubrik(u) for u in harledd) if harledd else namn

    def harledd_av(self, namn: str) -> tuple[str, ...]:
        """The raw columns a staged column is derived from (empty for a raw column)."""
        if namn == UTAN_PERSONNUMMER:
            return tuple(k.namn for k in self.kolumner if k.typ == "text" and not k.person)
        return self.ursprung.get(namn, ())

    def ar_person(self, namn: str) -> bool:
        """True for a person identifier column."""
        return any(k.person and k.namn == namn for k in self.kolumner)

    @property
    def har_enheter(self) -> bool:
        """True when a column holds unit names (the unit register applies)."""
        return any(k.enhet for k in self.kolumner)


def _med_tomma(df: pl.DataFrame, typer: dict[str, pl.DataType]) -> pl.DataFrame:
    """Add optional columns the file lacks as nulls, so one suite fits every variant."""
    saknas = [c for c in typer if c not in df.columns]
    return df.with_columns(
        *(pl.lit(None, dtype=typer[c]).alias(c) for c in saknas),
        *(pl.lit(True).alias(c + TOLKAD) for c in saknas if c + TOLKAD not in df.columns),
    )


def _ingen_stegning(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    return df


def _valj(tabell: str) -> Callable[[pl.DataFrame], pl.DataFrame]:
    return lambda df: df.select(list(TABLES[tabell].columns))


SEKUNDER_PER_DYGN = 86_400
TIMMAR_PER_MANAD = 744  # 31 days × 24 h: no one works more hours than a month has


def _stega_telefoni(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    if "datum" in df.columns:
        df = df.with_columns(manad=pl.col("datum").dt.truncate("1mo"))
    if "inkommande" in df.columns:
        # An interval's total wait, talk and wrap-up time cannot exceed a day per incoming call (expectations/telefoni.json).
        df = df.with_columns(tid_tak_s=pl.col("inkommande").cast(pl.Float64) * SEKUNDER_PER_DYGN)
    return _med_tomma(df, {"avbrutna_inom_5s": pl.Int64})


def _stega_samtal(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    if "starttid" in df.columns:

        def manad_av(e: pl.Expr) -> pl.Expr:
            return e.dt.date().dt.truncate("1mo")

        t = pl.col("starttid")
        forsta, sista = df.select(manad_av(t.min()).alias("a"), manad_av(t.max()).alias("b")).row(0)
        # a monthly export's calls all fall in one month: then the month is a constant, not 2 million truncations
        enda = forsta == sista and df["starttid"].null_count() == 0
        df = df.with_columns(manad=pl.lit(forsta, dtype=pl.Date) if enda else manad_av(t))
    if "utfall" in df.columns:
        # A call log has millions of rows but a handful of distinct outcomes: map those, not every row's text.
        utfall = {"besvarad": True, "besvarat": True, "answered": True, "avbruten": False, "avbrutet": False, "abandoned": False}
        u = pl.col("utfall")
        # The usual spellings by plain comparison (5× faster than a mapping); any other spelling takes the mapping.
        besvarad = df.select(pl.when(u == "Besvarad").then(True).when(u == "Avbruten").then(False)).to_series()
        if (besvarad.is_null() & df["utfall"].is_not_null()).any():
            varden = df["utfall"].drop_nulls().unique().to_list()
            karta = {v: utfall.get(v.casefold()) for v in varden}
            besvarad = df.select(u.replace_strict(karta, default=None, return_dtype=pl.Boolean)).to_series()
        df = df.with_columns(besvarad=besvarad)
    return df


def _stega_sjukfranvaro(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    if "anstallningsnummer" in df.columns:
        # a person-level row stands for one employee; duplicates are judged per person
        df = df.with_columns(anstallda=pl.lit(1, dtype=pl.Int64))
    else:
        df = df.with_columns(anstallningsnummer=pl.lit("", dtype=pl.String))
    if "sjuk_dag1_14_h" in df.columns and "sjuk_dag15_h" in df.columns:
        df = df.with_columns(sjuk_totalt_h=pl.col("sjuk_dag1_14_h") + pl.col("sjuk_dag15_h"))
    if "anstallda" in df.columns:
        # ordinary hours of a row cannot exceed the hours of a month for each employee (expectations/sjukfranvaro.json)
        df = df.with_columns(arbetstid_tak_h=pl.col("anstallda").cast(pl.Float64) * TIMMAR_PER_MANAD)
    return df


def _sjukfranvaro_tabell(df: pl.DataFrame) -> pl.DataFrame:
    if (df["anstallningsnummer"] != "").any():
        df = df.group_by("manad", "enhet").agg(
            anstallda=pl.col("anstallningsnummer").n_unique(),
            ordinarie_arbetstid_h=pl.col("ordinarie_arbetstid_h").sum(),
            sjuk_dag1_14_h=pl.col("sjuk_dag1_14_h").sum(),
            sjuk_dag15_h=pl.col("sjuk_dag15_h").sum(),
        )
    return df.select(list(TABLES["sjukfranvaro"].columns))


def _typ(df: pl.DataFrame, intaktsgrupper: tuple[str, ...]) -> pl.DataFrame:
    """Revenue or cost: Kontotyp when present, else Konto (3xxx revenue, 4xxx–8xxx cost), else the revenue-group list."""
    if "kontotyp" in df.columns:
        ord_ = pl.col("kontotyp").str.to_lowercase()
        typ = (
            pl.when(ord_.is_in(["intäkt", "intäkter", "intakt"]))
            .then(pl.lit("intakt"))
            .when(ord_.is_in(["kostnad", "kostnader"]))
            .then(pl.lit("kostnad"))
        )
    elif "konto" in df.columns:
        forsta = pl.col("konto").str.extract(r"^(\d)\d{2,}$", 1)
        typ = pl.when(forsta == "3").then(pl.lit("intakt")).when(forsta.is_in(["4", "5", "6", "7", "8"])).then(pl.lit("kostnad"))
    else:
        grupper = [g.casefold() for g in intaktsgrupper]
        typ = (
            pl.when(pl.col("kontogrupp").is_null())
            .then(None)
            .when(pl.col("kontogrupp").str.to_lowercase().is_in(grupper))
            .then(pl.lit("intakt"))
            .otherwise(pl.lit("kostnad"))
        )
    if "kontogrupp" not in df.columns and "kontotyp" not in df.columns and "konto" not in df.columns:
        return df
    return df.with_columns(typ=typ)


def _stega_ekonomi(df: pl.DataFrame, intaktsgrupper: tuple[str, ...]) -> pl.DataFrame:
    if "utfall" in df.columns and "manad" in df.columns:
        # Booked actuals cannot lie ahead of the current month; a budget may (expectations/ekonomi.json).
        df = df.with_columns(manad_utfall=pl.when(pl.col("utfall").is_not_null()).then(pl.col("manad")))
    return _med_tomma(_typ(df, intaktsgrupper), {"konto": pl.String})


def _positiv(kolumn: str) -> pl.Expr:
    """Agresso books revenue negative; Parquet holds both revenue and costs positive."""
    return pl.when(pl.col("typ") == "intakt").then(-pl.col(kolumn)).otherwise(pl.col(kolumn))


def _ekonomi_tabell(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(budget_kr=_positiv("budget"), utfall_kr=_positiv("utfall")).select(list(TABLES["ekonomi"].columns))


def _prognos_tabell(df: pl.DataFrame) -> pl.DataFrame:
    # A forecast delivered per konto is summed to the table's grain (prognosmånad × ansvar × kontogrupp × typ).
    return (
        df.with_columns(helarsprognos_kr=_positiv("helarsprognos"))
        .group_by("prognosmanad", "ansvar", "kontogrupp", "typ", maintain_order=True)
        .agg(pl.col("helarsprognos_kr").sum())
        .select(list(TABLES["prognos"].columns))
    )


def _stega_mal(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    return _med_tomma(df, {"kf_arsmal": pl.Float64, "enhet": pl.String})


def _stega_indikatorer(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    return _med_tomma(df, {"enhet": pl.String})


def _stega_register(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    df = _med_tomma(df, {"alias": pl.String})
    if "enhet" not in df.columns:
        return df
    from etl.text import nyckel

    # each name (the unit's own, or an alias) may appear once, whatever its case or spacing
    namn = [a if a is not None else e for e, a in df.select("enhet", "alias").iter_rows()]
    return df.with_columns(namn_nyckel=pl.Series([nyckel(n) if n is not None else None for n in namn], dtype=pl.String))


_MANAD = Kolumn("Månad", "manad", "manad")
_ENHET = Kolumn("Enhet", "enhet", "text", enhet=True)
# Known values from DESIGN.md §3 (more may appear: they are loaded and reported on Datakvalitet).
KATEGORIER = (
    "Lönespecifikation maskinell",
    "Lönespecifikation manuell",
    "Pensionsärende",
    "Försäkringsärende",
    "Anställningsunderlag",
    "Akut utbetalning",
)
ROLLER = ("Löneadministratör", "Pensionshandläggare", "Enhetschef", "Verksamhetsutvecklare", "Verksamhetschef", "Assistent")
KONTOGRUPPER = ("Försäljning av tjänster", "Personalkostnader", "Lokalkostnader", "IT och telefoni", "Övriga kostnader")
KOER = ("Löneservice", "Chefsstöd lön", "Pension")

KALLOR: dict[str, Kalla] = {
    k.namn: k
    for k in [
        Kalla(
            "volymer",
            (
                _MANAD,
                _ENHET,
                Kolumn("Förvaltning", "forvaltning", "text"),
                Kolumn("Kategori", "kategori", "text", kanon=KATEGORIER),
                Kolumn("Antal", "antal", "heltal"),
            ),
            _ingen_stegning,
            _valj("volymer"),
            ("manad", "enhet", "forvaltning", "kategori"),
        ),
        Kalla(
            "bemanning",
            (
                _MANAD,
                _ENHET,
                Kolumn("Roll", "roll", "text", kanon=ROLLER),
                Kolumn("Årsarbetare", "arsarbetare", "tal"),
                Kolumn("Anställda", "anstallda", "heltal"),
            ),
            _ingen_stegning,
            _valj("bemanning"),
            ("manad", "enhet", "roll"),
        ),
        Kalla(
            "telefoni",
            (
                Kolumn("Datum", "datum", "datum"),
                Kolumn("Intervall", "intervall", "intervall"),
                Kolumn("Kö", "ko", "text", kanon=KOER, kanon_okanda=False),
                Kolumn("Inkommande", "inkommande", "heltal"),
                Kolumn("Besvarade", "besvarade", "heltal"),
                Kolumn("Besvarade inom 25 s", "besvarade_inom_25s", "heltal"),
                Kolumn("Avbrutna", "avbrutna", "heltal"),
                Kolumn("Avbrutna inom 5 s", "avbrutna_inom_5s", "heltal", valfri=True),
                Kolumn("Total väntetid", "total_vantetid_s", "tid"),
                Kolumn("Längsta väntetid", "langsta_vantetid_s", "tid"),
                Kolumn("Total samtalstid", "total_samtalstid_s", "tid"),
                Kolumn("Total efterarbetstid", "total_efterarbetstid_s", "tid"),
            ),
            _stega_telefoni,
            _valj("telefoni"),
            ("datum", "intervall_start", "ko"),
            {"manad": ("datum",), "intervall_start": ("intervall",), "intervall_slut": ("intervall",), "tid_tak_s": ("inkommande",)},
        ),
        Kalla(
            "samtal",
            (
                Kolumn("Starttid", "starttid", "tidpunkt"),
                Kolumn("Kö", "ko", "text", kanon=KOER, kanon_okanda=False),
                Kolumn("Väntetid", "vantetid_s", "tid"),
                Kolumn("Samtalstid", "samtalstid_s", "tid"),
                Kolumn("Efterarbete", "efterarbete_s", "tid", alias=("Efterarbetstid",)),
                Kolumn("Utfall", "utfall", "text"),
            ),
            _stega_samtal,
            _valj("samtal"),
            ("starttid", "ko"),
            {"manad": ("starttid",), "besvarad": ("utfall",)},
        ),
        Kalla(
            "sjukfranvaro",
            (
                _MANAD,
                _ENHET,
                Kolumn("Anställda", "anstallda", "heltal"),
                Kolumn("Anställningsnummer", "anstallningsnummer", "text", alias=("Anst.nr", "Anstnr"), person=True),
                Kolumn("Ordinarie arbetstid", "ordinarie_arbetstid_h", "tal"),
                Kolumn("Sjukfrånvaro dag 1-14", "sjuk_dag1_14_h", "tal"),
                Kolumn("Sjukfrånvaro dag 15-", "sjuk_dag15_h", "tal"),
            ),
            _stega_sjukfranvaro,
            _sjukfranvaro_tabell,
            ("manad", "enhet"),
            {"sjuk_totalt_h": ("sjuk_dag1_14_h", "sjuk_dag15_h"), "arbetstid_tak_h": ("anstallda",)},
        ),
        Kalla(
            "ekonomi",
            (
                Kolumn("Period", "manad", "manad"),
                Kolumn("Ansvar", "ansvar", "text", enhet=True),
                Kolumn("Kontogrupp", "kontogrupp", "text", kanon=KONTOGRUPPER),
                Kolumn("Konto", "konto", "text"),
                Kolumn("Kontotyp", "kontotyp", "text"),
                Kolumn("Budget", "budget", "tal"),
                # A year-to-date extract carries the whole year's budget with Utfall empty for months not yet booked.
                Kolumn("Utfall", "utfall", "tal", tom_tillaten=True),
            ),
            _stega_ekonomi,
            _ekonomi_tabell,
            ("manad", "ansvar", "kontogrupp", "konto"),
            {"typ": ("kontotyp", "konto", "kontogrupp"), "manad_utfall": ("manad", "utfall")},
        ),
        Kalla(
            "prognos",
            (
                Kolumn("Prognosmånad", "prognosmanad", "manad"),
                Kolumn("Ansvar", "ansvar", "text", enhet=True),
                Kolumn("Kontogrupp", "kontogrupp", "text", kanon=KONTOGRUPPER),
                Kolumn("Konto", "konto", "text"),
                Kolumn("Kontotyp", "kontotyp", "text"),
                Kolumn("Helårsprognos", "helarsprognos", "tal"),
            ),
            _stega_ekonomi,
            _prognos_tabell,
            ("prognosmanad", "ansvar", "kontogrupp"),
            {"typ": ("kontotyp", "konto", "kontogrupp")},
        ),
        Kalla(
            "mal",
            (
                Kolumn("Indikator", "indikator", "text"),
                Kolumn("År", "ar", "ar"),
                Kolumn("Årsmål", "arsmal", "tal"),
                Kolumn("KF:s årsmål", "kf_arsmal", "tal", alias=("KFs årsmål", "KF årsmål"), valfri=True),
                _ENHET,
            ),
            _stega_mal,
            _valj("mal"),
            ("ar", "indikator", "enhet"),
        ),
        Kalla(
            "indikatorer",
            (
                Kolumn("Indikator", "indikator", "text"),
                Kolumn("Period", "period_text", "period"),
                Kolumn("Utfall", "utfall", "tal"),
                _ENHET,
            ),
            _stega_indikatorer,
            _valj("indikatorer"),
            ("ar", "indikator", "period", "enhet"),
            {c: ("period_text",) for c in ("ar", "period", "period_typ", "period_start", "period_slut")},
        ),
    ]
}


def _stega_malstruktur(df: pl.DataFrame, _: tuple[str, ...]) -> pl.DataFrame:
    valfria = {k: pl.String for k in ("text", "periodicitet", *malstruktur.MALTEXTER)} | {"startdatum": pl.Date, "slutdatum": pl.Date}
    return malstruktur.stega(_med_tomma(df, valfria))


# The city's goal hierarchy (DESIGN.md §7): one long table a verksamhetsutvecklare keeps in Excel, a row per goal,
# per indicator under a goal and per activity; the row type says which columns apply (data/raw/README.md).
KALLOR["malstruktur"] = Kalla(
    "malstruktur",
    (
        Kolumn("År", "ar", "ar"),
        Kolumn("Typ", "radtyp", "text", alias=("Radtyp",)),
        Kolumn("Id", "id", "text"),
        Kolumn("Nivå", "niva", "text"),
        Kolumn("Överordnat", "overordnat", "text", alias=("Överordnat mål", "Tillhör mål")),
        Kolumn("Text", "text", "text", alias=("Beskrivning", "Namn")),
        Kolumn("Förväntat resultat", "forvantat_resultat", "text"),
        Kolumn("Arbetssätt", "arbetssatt", "text"),
        Kolumn("Uppföljning", "uppfoljning", "text"),
        Kolumn("Periodicitet", "periodicitet", "text"),
        Kolumn("Startdatum", "startdatum", "datum", alias=("Start",), valfri=True),
        Kolumn("Slutdatum", "slutdatum", "datum", alias=("Slut",), valfri=True),
    ),
    _stega_malstruktur,
    lambda df: malstruktur.till_tabell(df, list(TABLES["malstruktur"].columns)),
    ("ar", "ordning"),
    dict(malstruktur.URSPRUNG),
)


# The unit register (data/raw/enheter/): canonical unit names and known aliases. Read before the sources, not a table.
REGISTER = Kalla(
    "enheter",
    (Kolumn("Enhet", "enhet", "text"), Kolumn("Alias", "alias", "text", valfri=True)),
    _stega_register,
    lambda df: df.select("enhet", "alias"),
    ("enhet", "alias"),
    {"namn_nyckel": ("enhet", "alias")},
)
ALLA_KALLOR: dict[str, Kalla] = {**KALLOR, REGISTER.namn: REGISTER}

_TOLKARE: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "text": tolka.text,
    "manad": tolka.manad,
    "datum": tolka.datum,
    "heltal": tolka.heltal,
    "tal": tolka.tal,
    "tid": tolka.varaktighet,
    "tidpunkt": tolka.tidpunkt,
    "ar": tolka.ar,
}


# Value types whose columns repeat a few distinct values (a month, a date, an interval, a queue) over many rows.
# (A date has a fast exact-format parser that beats deduplicating, so it is not among them.)
_FA_VARDEN = {"text", "manad", "intervall", "period", "ar"}
_LITEN_FIL = 5_000  # rows: below this a column parses directly faster than it is deduplicated and joined


def _per_unikt_varde(ra: pl.DataFrame, namn: str, uttryck: list[pl.Expr]) -> list[pl.Series] | None:
    """The parsed columns, each distinct value parsed once and joined back; None when values are mostly distinct."""
    # A month of telephony intervals is 2 million rows but a few hundred distinct '08:00-08:15'; regex parsing
    # every row cost more than reading the file. Parsing is per value, so the result is the same either way.
    if ra.height < _LITEN_FIL:
        return None
    unika = ra.select(pl.col(namn).unique())
    if unika.height * 10 > ra.height:
        return None
    tolkade = unika.select(pl.col(namn).alias("__varde"), *uttryck)
    rader = ra.select(pl.col(namn).alias("__varde"))
    return rader.join(tolkade, on="__varde", how="left", nulls_equal=True, maintain_order="left").drop("__varde").get_columns()


_KANON = {}  # Kolumn → Namnregister of its known values, built once


def _kanon(k: Kolumn) -> Namnregister | None:
    if not k.kanon:
        return None
    if k not in _KANON:
        _KANON[k] = Namnregister.av(k.kanon, flagga_okanda=k.kanon_okanda)
    return _KANON[k]


def _tolka(ra: pl.DataFrame, k: Kolumn) -> pl.Series:
    """Parse one column: the fast path for every row, the full parser only for the rows it could not read."""
    if ra[k.namn].dtype != pl.String:  # already parsed by the CSV reader (lasa.TYPADE)
        return ra[k.namn]
    if k.typ in _FA_VARDEN:
        per_varde = _per_unikt_varde(ra, k.namn, [_TOLKARE[k.typ](pl.col(k.namn)).alias(k.namn)])
        if per_varde is not None:
            return per_varde[0]
    full = _TOLKARE[k.typ]
    snabb = tolka.SNABB.get(k.typ)
    if snabb is None:
        return ra.select(full(pl.col(k.namn)).alias(k.namn)).to_series()
    v = ra.select(snabb(pl.col(k.namn))).to_series()
    if v.dtype == pl.Float64:
        v = pl.select(pl.when(v.is_finite()).then(v)).to_series()  # 'nan'/'inf' are not numbers here
    rester = (v.is_null() & ra[k.namn].is_not_null()).arg_true()
    if rester.len():
        omtolkat = ra[k.namn].gather(rester).to_frame().select(full(pl.col(k.namn))).to_series().cast(v.dtype)
        v = v.scatter(rester, omtolkat)
    return v.alias(k.namn)


def tolka_kolumner(ra: pl.DataFrame, kalla: Kalla, register: Namnregister | None = None, notiser: list[Namnnotis] | None = None) -> pl.DataFrame:
    """Raw text columns (already renamed to internal names) → typed columns; `_rad` is kept.

    Text is normalised (Unicode form, spaces), code-like values get their canonical spelling and unit names go
    through `register`; what was rewritten or not recognised is appended to `notiser`. The flag column
    `utan_personnummer` is false for a row where any text cell (the person identifier aside) holds a personnummer.
    """
    kolumner: list[pl.Series] = [ra["_rad"]]
    med_personnummer: dict[str, set[str]] = {}
    for k in kalla.kolumner:
        if k.namn not in ra.columns:
            continue
        if k.typ == "text" and ra[k.namn].dtype == pl.String:
            funna: set[str] = set()
            kolumner.append(
                text_kolumn(ra[k.namn], register if k.enhet else _kanon(k), notiser if (k.enhet or k.kanon) else None, None if k.person else funna)
            )
            if funna:
                med_personnummer[k.namn] = funna
            if k.valfri or k.tom_tillaten:
                kolumner.append(pl.Series(k.namn + TOLKAD, [True] * ra.height, dtype=pl.Boolean))
            continue
        if k.typ in ("intervall", "period"):
            uttryck = (
                [e.alias(n) for n, e in zip(("intervall_start", "intervall_slut"), tolka.intervall(pl.col(k.namn)))]
                if k.typ == "intervall"
                else [e.alias(n) for n, e in tolka.period(pl.col(k.namn)).items()]
            )
            kolumner += _per_unikt_varde(ra, k.namn, uttryck) or ra.select(uttryck).get_columns()
        else:
            v = _tolka(ra, k)
            kolumner.append(v)
            if k.valfri or k.tom_tillaten:
                tom = ra[k.namn].is_null() | ((ra[k.namn].str.strip_chars() == "") if ra[k.namn].dtype == pl.String else False)
                kolumner.append((tom | v.is_not_null()).alias(k.namn + TOLKAD))
    if med_personnummer:
        utan = ra.select(~pl.any_horizontal(pl.col(c).is_in(list(v)).fill_null(False) for c, v in med_personnummer.items())).to_series()
    else:
        utan = pl.repeat(True, ra.height, dtype=pl.Boolean, eager=True)
    kolumner.append(utan.alias(UTAN_PERSONNUMMER))
    return pl.DataFrame(kolumner)


@dataclass
class Stegning:
    """A parsed file staged for validation, and the values its text columns had rewritten or did not recognise."""

    df: pl.DataFrame
    notiser: list[Namnnotis]


def stega_fil(
    ra: pl.DataFrame, kalla: Kalla, intaktsgrupper: tuple[str, ...] = STANDARD_INTAKTSGRUPPER, register: Namnregister | None = None
) -> Stegning:
    """Raw columns → the staged frame the suite validates (parse, normalise names, derive, add the checks' helper columns)."""
    notiser: list[Namnnotis] = []
    return Stegning(kalla.stega(tolka_kolumner(ra, kalla, register, notiser), intaktsgrupper), notiser)
