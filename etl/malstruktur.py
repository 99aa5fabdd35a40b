"""The goal hierarchy source (malstruktur/): row types, levels and periodicities normalised, and the checks its suite reads."""

from __future__ import annotations

import polars as pl

# Levels top-down; a goal's parent must sit on a higher level (so the hierarchy can have no cycles).
NIVAER = {"kf_inriktningsmal": "KF:s inriktningsmål", "kf_mal": "KF:s mål", "namndmal": "Nämndmål", "enhetsmal": "Enhetsmål"}
RADTYPER = {"mal": "Mål", "indikator": "Indikator", "aktivitet": "Aktivitet"}
PERIODICITETER = ("månad", "tertial", "år")  # the catalogue's own words (kpi.catalogue.PERIODICITET)
MALTEXTER = ("forvantat_resultat", "arbetssatt", "uppfoljning")

# Words as people write them, compared without case, spaces, colons or apostrophes ("KF:s mål" = "kfs mål").
_RADTYP_ORD = {
    "mål": ("mal", False),
    "indikator": ("indikator", False),
    "manuellindikator": ("indikator", True),
    "aktivitet": ("aktivitet", False),
}
_NIVA_ORD = {
    "kfsinriktningsmål": "kf_inriktningsmal",
    "kfinriktningsmål": "kf_inriktningsmal",
    "inriktningsmål": "kf_inriktningsmal",
    "kfsmål": "kf_mal",
    "kfmål": "kf_mal",
    "kfsmålförverksamhetsområdet": "kf_mal",
    "nämndmål": "namndmal",
    "nämndensmål": "namndmal",
    "enhetsmål": "enhetsmal",
    "enhetensmål": "enhetsmal",
}
_PERIODICITET_ORD = {
    "månad": "månad",
    "månadsvis": "månad",
    "tertial": "tertial",
    "tertialvis": "tertial",
    "år": "år",
    "årsvis": "år",
    "helår": "år",
}

# Staged check columns (true = the row passes) and the raw columns a quarantine report quotes for each.
URSPRUNG = {
    "manuell": ("radtyp",),
    "niva_giltig": ("radtyp", "niva"),
    "text_ifylld": ("radtyp", "text"),
    "overordnat_finns": ("radtyp", "niva", "overordnat"),
    "overordnat_niva": ("niva", "overordnat"),
    "indikator_kand": ("radtyp", "id"),
    "periodicitet_giltig": ("radtyp", "periodicitet"),
    "datum_ifyllda": ("radtyp", "startdatum", "slutdatum"),
    "unik_nyckel": ("radtyp", "id", "overordnat"),
}


def _ord(e: pl.Expr) -> pl.Expr:
    return e.str.to_lowercase().str.replace_all(r"[\s:'’\u00a0]", "")


def _id(e: pl.Expr) -> pl.Expr:
    """An id as text; Excel turns a typed 3 into the number 3.0, which is the id '3'."""
    return e.str.replace(r"^(\d+)\.0$", "${1}")


def stega(df: pl.DataFrame, katalog: frozenset[str] | None = None) -> pl.DataFrame:
    """Parsed rows (missing optional columns already added as nulls) → normalised words plus one check column per rule."""
    if katalog is None:
        from kpi.catalogue import CATALOGUE  # here, not at import: the ETL's start-up need not load the KPI layer

        katalog = frozenset(CATALOGUE)
    if not {"radtyp", "id", "niva", "overordnat", "ar"} <= set(df.columns):
        return df  # a required column is missing: the suite's column rule reports it
    typ = _ord(pl.col("radtyp"))
    df = df.with_columns(
        radtyp=typ.replace_strict({k: v[0] for k, v in _RADTYP_ORD.items()}, default=None, return_dtype=pl.String),
        manuell=typ == "manuellindikator",
        niva=_ord(pl.col("niva")).replace_strict(_NIVA_ORD, default=None, return_dtype=pl.String),
        periodicitet=_ord(pl.col("periodicitet")).replace_strict(_PERIODICITET_ORD, default=None, return_dtype=pl.String),
        id=_id(pl.col("id")),
        overordnat=_id(pl.col("overordnat")),
    )
    # A parent is a goal row with that id in the same year, whatever else is wrong with it (its own rule reports
    # that). An unreadable year matches any year on either side, so one bad year does not cascade to other rows.
    giltigt_ar = pl.col("ar").is_between(2000, 2100).fill_null(False)
    mal = df.filter(pl.col("radtyp") == "mal").select(
        "ar", pl.col("id").alias("overordnat"), pl.col("niva").alias("_foralder_niva"), giltigt_ar.alias("_giltigt")
    )
    exakt = mal.filter("_giltigt").drop("_giltigt").unique(["ar", "overordnat"], keep="first", maintain_order=True)
    alla = mal.group_by("overordnat", maintain_order=True).agg(
        pl.col("_foralder_niva").first().alias("_niva_alla"), (~pl.col("_giltigt")).any().alias("_los_foralder")
    )
    df = (
        df.join(exakt.with_columns(_exakt=pl.lit(True)), on=["ar", "overordnat"], how="left", maintain_order="left")
        .join(alla, on="overordnat", how="left", maintain_order="left")
        # matched on id alone: the parent's year is unreadable, or the row's own is (and a goal with that id exists)
        .with_columns(_los=pl.col("_los_foralder").fill_null(False) | (~giltigt_ar & pl.col("_los_foralder").is_not_null()))
        .with_columns(
            _foralder=pl.col("_exakt").fill_null(False) | pl.col("_los"),
            _foralder_niva=pl.when(pl.col("_exakt").fill_null(False)).then("_foralder_niva").when("_los").then("_niva_alla"),
        )
        .drop("_exakt", "_niva_alla", "_los_foralder", "_los")
    )
    rang = {k: i for i, k in enumerate(NIVAER)}
    niva_rang = pl.col("niva").replace_strict(rang, default=None, return_dtype=pl.Int32)
    foralder_rang = pl.col("_foralder_niva").replace_strict(rang, default=None, return_dtype=pl.Int32)
    r = pl.col("radtyp")
    ar_mal, ar_indikator, ar_aktivitet = r == "mal", r == "indikator", r == "aktivitet"
    toppmal = ar_mal & (pl.col("niva") == "kf_inriktningsmal")

    def ifyllt(kolumn: str) -> pl.Expr:
        # a value that is there but does not parse is the '_tolkad' rule's business, not "missing"
        return pl.col(kolumn).is_not_null() | ~pl.col(kolumn + "_tolkad")

    return df.with_columns(
        niva_giltig=pl.when(ar_mal).then(pl.col("niva").is_not_null()).otherwise(True),
        text_ifylld=pl.when(ar_mal | ar_aktivitet).then(pl.col("text").is_not_null()).otherwise(True),
        overordnat_finns=(
            pl.when(r.is_null() | (ar_mal & pl.col("niva").is_null()))
            .then(True)
            .when(toppmal)
            .then(pl.col("overordnat").is_null())
            .otherwise(pl.col("_foralder"))
        ),
        overordnat_niva=pl.when(ar_mal & ~toppmal & niva_rang.is_not_null() & foralder_rang.is_not_null())
        .then(foralder_rang < niva_rang)
        .otherwise(True),
        indikator_kand=pl.when(ar_indikator & ~pl.col("manuell")).then(pl.col("id").is_in(list(katalog))).otherwise(True),
        periodicitet_giltig=pl.when(ar_indikator).then(pl.col("periodicitet").is_not_null()).otherwise(True),
        datum_ifyllda=pl.when(ar_aktivitet).then(ifyllt("startdatum") & ifyllt("slutdatum")).otherwise(True),
        # goals and activities share one id space per year; an indicator may stand under several goals, once under each
        unik_nyckel=pl.when(pl.col("id").is_null())
        .then(pl.concat_str(pl.lit("rad "), pl.col("_rad").cast(pl.String)))
        .when(ar_indikator)
        .then(pl.concat_str(pl.lit("indikator "), pl.col("overordnat").fill_null(""), pl.lit(" "), pl.col("id")))
        .otherwise(pl.concat_str(pl.lit("id "), pl.col("id"))),
    ).drop("_foralder_niva", "_foralder")


def till_tabell(df: pl.DataFrame, kolumner: list[str]) -> pl.DataFrame:
    """Staged rows → the malstruktur table: the plan's order per year, and only the fields that apply to each row type."""
    r = pl.col("radtyp")

    def bara(villkor: pl.Expr, kolumn: str) -> pl.Expr:
        return pl.when(villkor).then(pl.col(kolumn)).alias(kolumn)

    return df.with_columns(
        pl.col("_rad").rank("ordinal").over("ar").cast(pl.Int32).alias("ordning"),
        bara(r == "mal", "niva"),
        *(bara(r == "mal", k) for k in MALTEXTER),
        bara(r == "indikator", "manuell"),
        bara(r == "indikator", "periodicitet"),
        bara(r == "aktivitet", "startdatum"),
        bara(r == "aktivitet", "slutdatum"),
    ).select(kolumner)
