"""Value parsers as polars expressions: Swedish numbers, months, dates, durations, intervals and periods."""

from __future__ import annotations

import polars as pl

# Spaces of every kind are thousands separators in Swedish exports ('1 150', '1\u00a0150', '1\u202f150').
_MELLANRUM = r"[\s\u00a0\u202f]"


def text(e: pl.Expr) -> pl.Expr:
    """Trimmed text; empty → null."""
    s = e.str.strip_chars()
    return pl.when(s.str.len_chars() > 0).then(s)


def tal(e: pl.Expr) -> pl.Expr:
    """'1 150,5' / '1150.5' / '−3' / '85 %' → float; anything else → null."""
    s = e.str.replace_all(_MELLANRUM, "").str.replace_all("\u2212", "-").str.strip_suffix("%")
    normaliserad = (
        # '1.150,5': dots group thousands only when a decimal comma follows
        pl.when(s.str.contains(r"^[+-]?\d{1,3}(\.\d{3})+,\d+$"))
        .then(s.str.replace_all(r"\.", "").str.replace(",", "."))
        # '1,150.5': English grouping, only with a decimal point after it
        .when(s.str.contains(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$"))
        .then(s.str.replace_all(",", ""))
        .otherwise(s.str.replace(",", "."))
    )
    # Only decimal notation (Excel may write '1.2e-05') counts as a number, so 'nan'/'inf' text is rejected by validation.
    return pl.when(normaliserad.str.contains(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")).then(normaliserad).cast(pl.Float64, strict=False)


def heltal(e: pl.Expr) -> pl.Expr:
    """Whole numbers only ('1 150', '12.0'); '12,5' → null so validation names it."""
    v = tal(e)
    return pl.when(v == v.round(0)).then(v).cast(pl.Int64, strict=False)


def ar(e: pl.Expr) -> pl.Expr:
    """A year such as '2024' (or Excel's '2024.0') → Int32."""
    return heltal(e).cast(pl.Int32, strict=False)


_DATUM_DEL = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"  # Excel dates arrive as '2024-03-01 00:00:00'


def _datum_av(ar_: pl.Expr, manad_: pl.Expr, dag: pl.Expr) -> pl.Expr:
    return pl.concat_str([ar_, pl.lit("-"), manad_.str.zfill(2), pl.lit("-"), dag.str.zfill(2)]).str.to_date("%Y-%m-%d", strict=False)


def manad(e: pl.Expr) -> pl.Expr:
    """'2024-03' / '202403' / '2024-03-01' (any valid day) → first day of that month."""
    g = e.str.strip_chars().str.extract_groups(r"^(\d{4})-?(\d{2})(?:-(\d{2}))?" + _DATUM_DEL + "$")
    dag = g.struct.field("3").fill_null("01")
    return _datum_av(g.struct.field("1"), g.struct.field("2"), dag).dt.truncate("1mo")


def datum(e: pl.Expr) -> pl.Expr:
    """'2024-03-15' (or '20240315', Excel '2024-03-15 00:00:00') → date."""
    g = e.str.strip_chars().str.extract_groups(r"^(\d{4})-?(\d{2})-?(\d{2})" + _DATUM_DEL + "$")
    return _datum_av(g.struct.field("1"), g.struct.field("2"), g.struct.field("3"))


def tidpunkt(e: pl.Expr) -> pl.Expr:
    """'2024-03-15 08:03:12' (T or space, seconds optional, fractions allowed) → datetime[us]."""
    s = e.str.strip_chars().str.replace("T", " ")
    return pl.coalesce(
        s.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        s.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us"),
        s.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
    )


def varaktighet(e: pl.Expr) -> pl.Expr:
    """Seconds from '143' / '02:23' / '1:02:23' / Excel time '1899-12-31 00:02:23' → float seconds."""
    s = e.str.strip_chars()
    klocka = s.str.extract_groups(r"^(?:(\d+):)?(\d+):(\d+(?:[.,]\d+)?)$")
    h = klocka.struct.field("1").cast(pl.Float64, strict=False).fill_null(0)
    m = klocka.struct.field("2").cast(pl.Float64, strict=False)
    sek = klocka.struct.field("3").str.replace(",", ".").cast(pl.Float64, strict=False)
    # Excel stores a duration as a fraction of a day; calamine renders it as a timestamp after 1899-12-31.
    excel = s.str.extract_groups(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)$")
    dagar = (excel.struct.field("1").str.to_date("%Y-%m-%d", strict=False) - pl.date(1899, 12, 31)).dt.total_days()
    excel_s = (
        dagar * 86400
        + excel.struct.field("2").cast(pl.Float64, strict=False) * 3600
        + excel.struct.field("3").cast(pl.Float64, strict=False) * 60
        + excel.struct.field("4").cast(pl.Float64, strict=False)
    )
    return pl.coalesce(h * 3600 + m * 60 + sek, excel_s, tal(s))


def intervall(e: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """'08:00-08:15' (or '8.00 – 8.15') → (start, end) times."""
    g = e.str.strip_chars().str.extract_groups(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?\s*[-\u2013]\s*(\d{1,2})[:.](\d{2})(?::\d{2})?$")

    def klockslag(h: str, m: str) -> pl.Expr:
        timme = g.struct.field(h).str.zfill(2)
        # an interval ending at midnight is written '24:00'; TIME has no 24:00, so it becomes the last second
        return (
            pl.when(timme == "24")
            .then(pl.lit("23:59:59"))
            .otherwise(pl.concat_str([timme, pl.lit(":"), g.struct.field(m), pl.lit(":00")]))
            .str.to_time("%H:%M:%S", strict=False)
        )

    return klockslag("1", "2"), klockslag("3", "4")


def period(e: pl.Expr) -> dict[str, pl.Expr]:
    """'2024' / '2024-T2' / '2024-05' (also '202405', '2024-05-01', 'T2 2024') → normalised period columns."""
    s = e.str.strip_chars().str.to_uppercase().str.replace_all(r"\s+", " ")
    helar = s.str.extract(r"^(\d{4})$", 1)
    t = s.str.extract_groups(r"^(?:(\d{4}) ?-? ?T([1-3])|T([1-3]) ?-? ?(\d{4}))$")
    t_ar = pl.coalesce(t.struct.field("1"), t.struct.field("4"))
    t_nr = pl.coalesce(t.struct.field("2"), t.struct.field("3"))
    m = manad(e)
    ar_text = pl.coalesce(helar, t_ar, m.dt.year().cast(pl.String))
    typ = pl.when(helar.is_not_null()).then(pl.lit("ar")).when(t_ar.is_not_null()).then(pl.lit("tertial")).when(m.is_not_null()).then(pl.lit("manad"))
    tertial_start = pl.date(t_ar.cast(pl.Int32, strict=False), (t_nr.cast(pl.Int32, strict=False) - 1) * 4 + 1, 1)
    start = pl.when(typ == "ar").then(pl.date(helar.cast(pl.Int32, strict=False), 1, 1)).when(typ == "tertial").then(tertial_start).otherwise(m)
    # period_slut follows the KPI layer's Period.end: the first day of the period's last month
    slut = (
        pl.when(typ == "ar")
        .then(pl.date(helar.cast(pl.Int32, strict=False), 12, 1))
        .when(typ == "tertial")
        .then(tertial_start.dt.offset_by("3mo"))
        .otherwise(m)
    )
    norm = pl.when(typ == "ar").then(helar).when(typ == "tertial").then(pl.concat_str([t_ar, pl.lit("-T"), t_nr])).otherwise(m.dt.strftime("%Y-%m"))
    return {
        "ar": ar_text.cast(pl.Int32, strict=False),
        "period": norm,
        "period_typ": typ,
        "period_start": start,
        "period_slut": slut,
    }


# Fast paths for the plain formats most files use; a value they cannot read goes to the full parser above.
SNABB: dict[str, object] = {
    "tal": lambda e: e.str.strip_chars().cast(pl.Float64, strict=False),
    "tid": lambda e: e.str.strip_chars().cast(pl.Float64, strict=False),
    "heltal": lambda e: e.str.strip_chars().cast(pl.Int64, strict=False),
    # exact format, no trimming, no cache (a call log's timestamps are nearly all distinct): padded values take the full
    # parser. strptime accepts one-digit fields and signs, so dates and months are shape-checked first (the full
    # parsers, which define what is valid, do not accept '2024-3-5'); test_snabbvag holds every fast parser to them.
    "tidpunkt": lambda e: e.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False, exact=True, cache=False),
    "datum": lambda e: pl.when(e.str.contains(r"^\d{4}-\d{2}-\d{2}$")).then(
        e.str.strptime(pl.Date, "%Y-%m-%d", strict=False, exact=True, cache=False)
    ),
    # exactly 'YYYY-MM': strptime alone is lenient and would accept '2024-3', '+024-03' or '24-03'
    "manad": lambda e: pl.when(e.str.contains(r"^\d{4}-\d{2}$")).then(
        pl.concat_str([e, pl.lit("-01")]).str.strptime(pl.Date, "%Y-%m-%d", strict=False, exact=True, cache=False)
    ),
}
