"""The reference pipeline a competent analyst would write without this product: pandas read_csv (pyarrow), concat, normalise, groupby."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

# Raw header (lower-cased, stripped) → (normalised column, kind). Mirrors DESIGN.md §3 and lake/schema.py.
SPECS: dict[str, dict[str, tuple[str, str]]] = {
    "volymer": {
        "månad": ("manad", "month"),
        "enhet": ("enhet", "text"),
        "förvaltning": ("forvaltning", "text"),
        "kategori": ("kategori", "text"),
        "antal": ("antal", "int"),
    },
    "bemanning": {
        "månad": ("manad", "month"),
        "enhet": ("enhet", "text"),
        "roll": ("roll", "text"),
        "årsarbetare": ("arsarbetare", "num"),
        "anställda": ("anstallda", "int"),
    },
    "telefoni": {
        "datum": ("datum", "date"),
        "intervall": ("intervall", "text"),
        "kö": ("ko", "text"),
        "inkommande": ("inkommande", "int"),
        "besvarade": ("besvarade", "int"),
        "besvarade inom 25 s": ("besvarade_inom_25s", "int"),
        "avbrutna": ("avbrutna", "int"),
        "avbrutna inom 5 s": ("avbrutna_inom_5s", "int"),
        "total väntetid": ("total_vantetid_s", "seconds"),
        "längsta väntetid": ("langsta_vantetid_s", "seconds"),
        "total samtalstid": ("total_samtalstid_s", "seconds"),
        "total efterarbetstid": ("total_efterarbetstid_s", "seconds"),
    },
    "samtal": {
        "starttid": ("starttid", "timestamp"),
        "kö": ("ko", "text"),
        "väntetid": ("vantetid_s", "seconds"),
        "samtalstid": ("samtalstid_s", "seconds"),
        "efterarbete": ("efterarbete_s", "seconds"),
        "utfall": ("utfall", "text"),
    },
    "sjukfranvaro": {
        "månad": ("manad", "month"),
        "enhet": ("enhet", "text"),
        "anställda": ("anstallda", "int"),
        "anställningsnummer": ("anstallningsnummer", "text"),
        "ordinarie arbetstid": ("ordinarie_arbetstid_h", "num"),
        "sjukfrånvaro dag 1-14": ("sjuk_dag1_14_h", "num"),
        "sjukfrånvaro dag 15-": ("sjuk_dag15_h", "num"),
    },
    "ekonomi": {
        "period": ("manad", "month"),
        "ansvar": ("ansvar", "text"),
        "kontogrupp": ("kontogrupp", "text"),
        "konto": ("konto", "text"),
        "kontotyp": ("kontotyp", "text"),
        "budget": ("budget_kr", "num"),
        "utfall": ("utfall_kr", "num"),
    },
    "prognos": {
        "prognosmånad": ("prognosmanad", "month"),
        "ansvar": ("ansvar", "text"),
        "kontogrupp": ("kontogrupp", "text"),
        "konto": ("konto", "text"),
        "kontotyp": ("kontotyp", "text"),
        "helårsprognos": ("helarsprognos_kr", "num"),
    },
    "mal": {
        "indikator": ("indikator", "text"),
        "år": ("ar", "int"),
        "årsmål": ("arsmal", "num"),
        "kf:s årsmål": ("kf_arsmal", "num"),
        "enhet": ("enhet", "text"),
    },
    "indikatorer": {
        "indikator": ("indikator", "text"),
        "period": ("period", "text"),
        "utfall": ("utfall", "num"),
        "enhet": ("enhet", "text"),
    },
}
PARTITION = {s: ("prognosmanad" if s == "prognos" else "ar" if s in ("mal", "indikatorer") else "manad") for s in SPECS}
REVENUE_GROUPS = ("Försäljning av tjänster",)  # fallback when neither Kontotyp nor Konto is delivered


def _sniff(path: Path) -> tuple[str, str, list[str]]:
    """Encoding, separator and header names of a CSV file, from its first bytes."""
    head = path.open("rb").read(1 << 16)
    head = head[: head.rfind(b"\n") + 1] or head
    try:
        text, encoding = head.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = head.decode("cp1252"), "cp1252"
    first = text.splitlines()[0] if text else ""
    sep = max([";", "\t", ","], key=first.count)
    return encoding, sep, [h.strip().strip('"') for h in first.split(sep)]


def read_file(path: Path, source: str) -> pd.DataFrame:
    """One raw file (CSV or xlsx) with its known columns renamed to the normalised names."""
    spec = SPECS[source]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, dtype=str)
    else:
        encoding, sep, headers = _sniff(path)
        kind = {h: spec.get(h.strip().lower(), ("", ""))[1] for h in headers}
        # Text as strings (Konto would become a number); numbers and durations inferred by pyarrow.
        as_str = {h: "str" for h, k in kind.items() if k == "text"}
        df = pd.read_csv(path, sep=sep, encoding=encoding, engine="pyarrow", dtype=as_str)
        clocks = [h for h, k in kind.items() if k == "seconds" and h in df and not pd.api.types.is_numeric_dtype(df[h])]
        if clocks:
            # pyarrow reads '02:23' (mm:ss) as 02:23 o'clock: read such files' durations as text instead.
            df = pd.read_csv(path, sep=sep, encoding=encoding, engine="pyarrow", dtype={**as_str, **{h: "str" for h in clocks}})
    rename = {h: spec[h.strip().lower()][0] for h in df.columns if str(h).strip().lower() in spec}
    return df[list(rename)].rename(columns=rename)


def _number(s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    cleaned = s.astype("str").str.replace(r"[\s\u00a0]", "", regex=True).str.replace(",", ".", regex=False)
    return pd.to_numeric(cleaned.replace({"": None, "nan": None, "None": None}), errors="coerce").astype("float64")


def _month(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.to_period("M").dt.to_timestamp()
    digits = s.astype("str").str.replace("-", "", regex=False).str.slice(0, 6)
    return pd.to_datetime(digits, format="%Y%m", errors="coerce")


def _date(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.normalize().astype("datetime64[s]")
    return pd.to_datetime(s.astype("str").str.slice(0, 10), format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")


def _seconds(s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")
    s = s.astype("str").str.strip()
    parts = s.str.split(":", expand=True, n=2)
    if parts.shape[1] == 1:
        return _number(s)
    parts = parts.apply(_number)
    colons = s.str.count(":")
    hms = parts[0] * 3600 + parts[1] * 60 + (parts[2] if parts.shape[1] > 2 else 0)
    ms = parts[0] * 60 + parts[1]
    plain = parts[0]
    return pd.Series(np.select([colons == 2, colons == 1], [hms, ms], plain), index=s.index)


def normalise(df: pd.DataFrame, source: str) -> pd.DataFrame:
    """Types, signs and units as in lake/schema.py; person-level sick leave aggregated to unit × month."""
    kinds = {col: kind for col, kind in SPECS[source].values()}
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        kind = kinds[col]
        s = df[col]
        if kind == "month":
            out[col] = _month(s)
        elif kind == "date":
            out[col] = _date(s)
        elif kind == "timestamp":
            out[col] = pd.to_datetime(s) if not pd.api.types.is_datetime64_any_dtype(s) else s
        elif kind == "seconds":
            out[col] = _seconds(s)
        elif kind in ("num", "int"):
            out[col] = _number(s)
        else:
            out[col] = s.astype("str").str.strip()
    return _derive(out, source)


def _derive(df: pd.DataFrame, source: str) -> pd.DataFrame:
    if source == "telefoni":
        df["manad"] = df["datum"].dt.to_period("M").dt.to_timestamp()
        if "avbrutna_inom_5s" not in df:
            df["avbrutna_inom_5s"] = np.nan
    elif source == "samtal":
        df["manad"] = df["starttid"].dt.to_period("M").dt.to_timestamp()
        df["besvarad"] = df.pop("utfall").str.lower().eq("besvarad")
    elif source == "sjukfranvaro" and "anstallningsnummer" in df:
        # Person level: one row per person and month; the person identifier never leaves this function.
        df = df.groupby(["manad", "enhet"], as_index=False).agg(
            anstallda=("anstallningsnummer", "nunique"),
            ordinarie_arbetstid_h=("ordinarie_arbetstid_h", "sum"),
            sjuk_dag1_14_h=("sjuk_dag1_14_h", "sum"),
            sjuk_dag15_h=("sjuk_dag15_h", "sum"),
        )
    elif source in ("ekonomi", "prognos"):
        if "kontotyp" in df:
            revenue = df["kontotyp"].str.lower().str.startswith("int")
        elif "konto" in df:
            revenue = df["konto"].str.startswith("3")
        else:
            revenue = df["kontogrupp"].isin(REVENUE_GROUPS)
        df["typ"] = np.where(revenue, "intakt", "kostnad")
        amounts = [c for c in ("budget_kr", "utfall_kr", "helarsprognos_kr") if c in df]
        df[amounts] = df[amounts].mul(np.where(revenue, -1.0, 1.0), axis=0)  # Agresso: revenue negative
        df = df.drop(columns=["kontotyp"], errors="ignore")
    elif source == "indikatorer":
        p = df["period"].str.upper().str.replace(" ", "", regex=False)
        ar = p.str.slice(0, 4).astype("int64")
        tertial = p.str.extract(r"^\d{4}-?T([1-3])$")[0].astype("float64")
        manad = pd.to_numeric(p.str.extract(r"^\d{4}-?(\d{2})")[0], errors="coerce")
        typ = np.select([p.str.len() == 4, tertial.notna(), manad.notna()], ["ar", "tertial", "manad"], None)
        first = np.select([typ == "ar", typ == "tertial"], [1, (tertial - 1) * 4 + 1], manad).astype("int64")
        last = np.select([typ == "ar", typ == "tertial"], [12, (tertial - 1) * 4 + 4], manad).astype("int64")
        df["ar"] = ar
        df["period_typ"] = typ
        df["period_start"] = pd.to_datetime(pd.DataFrame({"year": ar, "month": first, "day": 1}))
        df["period_slut"] = pd.to_datetime(pd.DataFrame({"year": ar, "month": last, "day": 1}))  # first day of last month
        df["period"] = np.select(
            [typ == "ar", typ == "tertial"],
            [ar.astype(str), ar.astype(str) + "-T" + tertial.fillna(0).astype(int).astype(str)],
            ar.astype(str) + "-" + manad.fillna(0).astype(int).astype(str).str.zfill(2),
        )
    return df


def load_source(raw: Path, source: str) -> pd.DataFrame | None:
    """Every file of a source in name order; a later file replaces the partitions it contains (re-delivery)."""
    files = sorted(p for p in (raw / source).glob("*") if p.suffix.lower() in (".csv", ".txt", ".xlsx"))
    frames = []
    for i, path in enumerate(files):
        df = normalise(read_file(path, source), source)
        df["_fil"] = i
        frames.append(df)
    if not frames:
        return None
    df = pd.concat(frames, ignore_index=True)
    key = PARTITION[source]
    latest = df.groupby(key)["_fil"].transform("max")
    return df[df["_fil"] == latest].drop(columns="_fil").reset_index(drop=True)


def run_etl(raw: Path, out: Path) -> dict[str, int]:
    """Read, normalise and save every source as the analyst's own Parquet files; returns rows per source."""
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for source in SPECS:
        df = load_source(raw, source)
        if df is None:
            continue
        rows[source] = len(df)
        df.to_parquet(out / f"{source}.parquet", index=False)
        if source == "samtal":
            # The analyst keeps a monthly mart so later questions do not re-read 20 million rows.
            monthly_call_mart(df).to_parquet(out / "samtal_manad.parquet", index=False)
        del df
    return rows


def monthly_call_mart(samtal: pd.DataFrame) -> pd.DataFrame:
    """Calls per month and queue: offered, answered, answered within 25 s, abandons, wait and handling of answered."""
    besvarad = samtal["besvarad"]
    df = pd.DataFrame(
        {
            "manad": samtal["manad"],
            "ko": samtal["ko"],
            "inkommande": 1,
            "besvarade": besvarad.astype("int64"),
            "besvarade_inom_25s": (besvarad & (samtal["vantetid_s"] <= 25)).astype("int64"),
            "avbrutna": (~besvarad).astype("int64"),
            "avbrutna_inom_5s": (~besvarad & (samtal["vantetid_s"] <= 5)).astype("int64"),
            "vantetid_s": samtal["vantetid_s"].where(besvarad),
            "hanteringstid_s": (samtal["samtalstid_s"].fillna(0) + samtal["efterarbete_s"].fillna(0)).where(besvarad),
        }
    )
    return df.groupby(["manad", "ko"], as_index=False).sum(min_count=1)


def _data_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            lines, last = lines + chunk.count(b"\n"), chunk[-1:]
    return lines + (last != b"\n") - 1


def count_rows(raw: Path) -> dict[str, int]:
    """Data rows per source in the raw folder (header lines excluded)."""
    counts: dict[str, int] = {}
    for source in SPECS:
        n = 0
        for path in sorted((raw / source).glob("*")):
            if path.suffix.lower() in (".csv", ".txt"):
                n += _data_lines(path)
            elif path.suffix.lower() == ".xlsx":
                n += len(pd.read_excel(path))
        counts[source] = n
    return counts
