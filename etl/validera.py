"""Great Expectations (GX Core 1.x) validation of staged files against the suites in expectations/."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

REGELMAPP = Path(__file__).resolve().parent.parent / "expectations"
FORSTA_MANAD = date(2000, 1, 1)  # no export in this product's life names an earlier month


def parametrar(idag: date | None = None) -> dict[str, Any]:
    """Values the suites name as {"$PARAMETER": ...} (GX suite parameters): bounds that move with the calendar."""
    idag = idag or date.today()
    return {
        "forsta_manad": FORSTA_MANAD,
        # actuals (volumes, calls, sick leave, booked amounts, survey results) cannot lie ahead of the current month
        "innevarande_manad": idag.replace(day=1),
        # budgets, forecasts and targets may name the rest of this year and next year
        "sista_planmanad": date(idag.year + 1, 12, 1),
        "forsta_ar": FORSTA_MANAD.year,
        "nasta_ar": idag.year + 1,
    }


def _parameter(varde: Any, param: dict[str, Any]) -> Any:
    """A rule argument with a {"$PARAMETER": name} reference replaced by its value."""
    if isinstance(varde, dict) and "$PARAMETER" in varde:
        return param[varde["$PARAMETER"]]
    return varde


@dataclass
class Regelutfall:
    """One rule's outcome for one file: Swedish rule text, failing raw row numbers and values."""

    regel: str
    expectation: str
    kolumner: tuple[str, ...]
    lyckades: bool
    antal_fel: int = 0
    rader: list[int] = field(default_factory=list)
    saknade_kolumner: list[str] = field(default_factory=list)
    undantag: str | None = None
    exempel: str = ""  # 'rad 14: Antal = "-3"; …' filled in while the raw text is at hand


def _kolumner(kwargs: dict[str, Any]) -> tuple[str, ...]:
    kol = [kwargs.get("column"), kwargs.get("column_A"), kwargs.get("column_B"), *kwargs.get("column_list", [])]
    return tuple(k for k in kol if k and k != "_fil")


def _undantag(info: dict | None) -> str | None:
    """The message of an exception GX caught while checking a rule (it nests them per metric)."""
    if not info:
        return None
    if info.get("raised_exception"):
        return info.get("exception_message") or "okänt fel"
    inre = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    return (inre[0].get("exception_message") or "okänt fel") if inre else None


def _nyckel(cfg) -> tuple[str, str]:
    return cfg.type, (cfg.meta or {}).get("regel", "")


def las_svit(kalla: str, regelmapp: Path = REGELMAPP) -> dict:
    """A source's suite as written in expectations/<source>.json."""
    return json.loads((Path(regelmapp) / f"{kalla}.json").read_text(encoding="utf-8"))


# Expectation types the pre-check can decide, with the keyword arguments it understands; anything else goes to GX.
_FORKONTROLL_KWARGS = {
    "expect_table_columns_to_match_set": {"column_set", "exact_match"},
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_pair_values_a_to_be_greater_than_b": {"column_A", "column_B", "or_equal", "ignore_row_if"},
    "expect_compound_columns_to_be_unique": {"column_list"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_values_to_be_unique": {"column"},
}


def _haller_sakert(typ: str, kw: dict[str, Any], schema: pl.Schema) -> pl.Expr | bool:
    """A boolean that is true only when GX would surely pass the rule on a frame of `schema` (false: let GX decide)."""
    if typ == "expect_table_columns_to_match_set":
        krav, finns = set(kw["column_set"]), set(schema)
        return krav == finns if kw.get("exact_match") else krav <= finns
    kolumner = _kolumner(kw)
    if not all(k in schema for k in kolumner):
        return False
    numerisk = all(schema[k].is_numeric() for k in kolumner)
    if typ == "expect_column_values_to_not_be_null":
        c = pl.col(kw["column"])
        # GX reads a float NaN as missing, so NaN fails here as well
        return c.is_not_null().all() & (~c.is_nan()).all() if schema[kw["column"]].is_float() else c.is_not_null().all()
    if typ == "expect_column_values_to_be_between":
        granser = [kw.get(g) for g in ("min_value", "max_value") if kw.get(g) is not None]
        # numbers against numbers, or a date column against dates (a month bound from the calendar)
        datum = schema[kw["column"]] == pl.Date and all(isinstance(g, date) for g in granser)
        if not ((numerisk and all(isinstance(g, (int, float)) and not isinstance(g, bool) for g in granser)) or datum):
            return False
        c, ok = pl.col(kw["column"]), pl.lit(True)
        if kw.get("min_value") is not None:
            ok = ok & ((c > kw["min_value"]) if kw.get("strict_min") else (c >= kw["min_value"]))
        if kw.get("max_value") is not None:
            ok = ok & ((c < kw["max_value"]) if kw.get("strict_max") else (c <= kw["max_value"]))
        # polars orders NaN above every number, so a NaN fails the upper bound; without one it must fail here
        return (ok & ~c.is_nan() | c.is_null()).all() if schema[kw["column"]].is_float() else (ok | c.is_null()).all()
    if typ == "expect_column_pair_values_a_to_be_greater_than_b":
        typer = {schema[k] for k in kolumner}
        # numbers, or two columns of one temporal type (interval start and end are both TIME)
        if not (numerisk or (len(typer) == 1 and next(iter(typer)).is_temporal())):
            return False
        a, b = pl.col(kw["column_A"]), pl.col(kw["column_B"])
        storre = (a >= b) if kw.get("or_equal") else (a > b)
        # Only "either value missing" is skipped for sure; with any other setting a missing value goes to GX.
        hoppa = (a.is_null() | b.is_null()) if kw.get("ignore_row_if") == "either_value_is_missing" else pl.lit(False)
        return (hoppa | storre.fill_null(False)).all()
    if typ == "expect_column_values_to_be_unique":
        c = pl.col(kw["column"])  # GX leaves missing values out of this check
        return ~c.drop_nulls().is_duplicated().any()
    if typ == "expect_compound_columns_to_be_unique":
        # is_duplicated treats missing values as equal, so it flags every duplicate GX could flag, and perhaps more
        return ~pl.struct(kw["column_list"]).is_duplicated().any()
    if typ == "expect_column_values_to_be_in_set":
        varden, dtyp = list(kw["value_set"]), schema[kw["column"]]
        # only value sets of the column's own kind (GX compares in pandas, where 1 == True would blur this)
        if not ((dtyp == pl.String and all(isinstance(v, str) for v in varden)) or (dtyp == pl.Boolean and all(isinstance(v, bool) for v in varden))):
            return False
        c = pl.col(kw["column"])
        return (c.is_in(varden) | c.is_null()).all()
    return False


def forkontroll(kalla: str, ram: pl.DataFrame, svit: dict | None = None, param: dict[str, Any] | None = None) -> list[Regelutfall] | None:
    """Every rule of the suite as passed, when polars shows GX would pass them all on `ram`; else None (run GX)."""
    # GX (2 s to import, ~0.4 s per million rows) is then needed only for files that break a rule and need its report.
    svit = svit or las_svit(kalla)
    param = param if param is not None else parametrar()
    regler = svit["expectations"]
    schema = ram.schema  # built anew on every access, so once
    villkor: list[pl.Expr] = []
    for i, e in enumerate(regler):
        if e["type"] not in _FORKONTROLL_KWARGS or not set(e.get("kwargs", {})) <= _FORKONTROLL_KWARGS[e["type"]]:
            return None
        try:
            kw = {k: _parameter(v, param) for k, v in e.get("kwargs", {}).items()}
        except KeyError:  # a parameter this run does not define: GX reports the rule as not checkable
            return None
        haller = _haller_sakert(e["type"], kw, schema)
        if haller is False:
            return None
        if haller is not True:
            villkor.append(haller.alias(f"r{i}"))
    try:
        if villkor and not all(ram.select(villkor).row(0)):
            return None
    except pl.exceptions.PolarsError:  # e.g. a bound of another type than the column: GX decides and reports
        return None
    return [Regelutfall((e.get("meta") or {}).get("regel") or e["type"], e["type"], _kolumner(e.get("kwargs", {})), True) for e in regler]


_GX_IMPORT = threading.Lock()


def importera_gx():
    """great_expectations and the two parts the validator configures, imported once per process under one lock.

    The dashboard imports it in a background thread when Leverera data opens (so a user's first rejected upload does
    not wait ~7 s for it); a delivery may need it at the same moment, and two threads importing the same package tree
    at once can meet each other's half-initialised modules.
    """
    with _GX_IMPORT:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine
    return gx, ProgressBarsConfig, pandas_execution_engine


class Validerare:
    """One ephemeral GX context and the loaded suites, reused for every file of a run."""

    def __init__(self, regelmapp: Path = REGELMAPP):
        # GX takes ~2 s to import, so it is imported only when a run has something to validate.
        gx, progressbars, pandas_execution_engine = importera_gx()

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        # GX fingerprints every in-memory batch (an md5 over all rows, ~40 % of validation time for a million rows) only
        # to label it in batch metadata; files are already identified by their sha256, so the label is skipped.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self._gx = gx
        self._regelmapp = Path(regelmapp)
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = progressbars(globally=False)
        asset = self._context.data_sources.add_pandas("etl").add_dataframe_asset("fil")
        self._batchdef = asset.add_batch_definition_whole_dataframe("hela_filen")
        self._sviter: dict[str, Any] = {}
        self._behov: dict[str, set[str]] = {}
        self._ordning: dict[str, dict[tuple[str, str], int]] = {}

    def svit(self, kalla: str, innehall: dict | None = None):
        """The suite for a source, read once from expectations/<source>.json (or given as `innehall`)."""
        if kalla not in self._sviter:
            innehall = innehall or las_svit(kalla, self._regelmapp)
            svit = self._gx.ExpectationSuite(name=innehall["name"], expectations=innehall["expectations"], meta=innehall.get("meta", {}))
            konfigurationer = [e.configuration for e in svit.expectations]
            # Every column the suite looks at: the rest of a staged file need not reach pandas.
            behov = {"_fil", "_rad"}
            for cfg in konfigurationer:
                behov.update(_kolumner(cfg.kwargs))
                behov.update(cfg.kwargs.get("column_set") or [])
            self._sviter[kalla], self._behov[kalla] = svit, behov
            self._ordning[kalla] = {_nyckel(cfg): i for i, cfg in enumerate(konfigurationer)}
        return self._sviter[kalla]

    def validera_svit(self, innehall: dict, ram: pl.DataFrame, param: dict[str, Any] | None = None) -> dict[str, list[Regelutfall]]:
        """Validate against a suite given as its JSON content (tests of single rules)."""
        self._sviter.pop(innehall["name"], None)
        self.svit(innehall["name"], innehall)
        return self.validera(innehall["name"], ram, param)

    def validera(self, kalla: str, ram: pl.DataFrame, param: dict[str, Any] | None = None) -> dict[str, list[Regelutfall]]:
        """Validate staged rows of one or more files (same column set, told apart by `_fil`); outcomes per file."""
        import pandas as pd

        param = param if param is not None else parametrar()
        # pandas holds a polars Date as datetime64, which compares with a Timestamp, not with a date
        gx_param = {k: pd.Timestamp(v) if isinstance(v, date) else v for k, v in param.items()}
        svit = self.svit(kalla)
        filer = ram["_fil"].unique(maintain_order=True).to_list()
        behov, ordning = self._behov[kalla], self._ordning[kalla]
        # Column by column: pandas' whole-frame conversion from Arrow is ~50× slower for a million rows.
        pandas = pd.DataFrame({c: ram[c].to_pandas() for c in ram.columns if c in behov}, copy=False)
        batch = self._batchdef.get_batch(batch_parameters={"dataframe": pandas})
        resultat = batch.validate(
            svit,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_fil", "_rad"], "return_unexpected_index_query": False},
            expectation_parameters=gx_param,
        )
        utfall: dict[str, list[Regelutfall]] = {f: [] for f in filer}
        # GX returns results in its own order; reports follow the suite file, which lists rules as a reader expects.
        for r in sorted(resultat.results, key=lambda r: ordning.get(_nyckel(r.expectation_config), len(ordning))):
            cfg = r.expectation_config
            regel = (cfg.meta or {}).get("regel") or cfg.type
            kol = _kolumner(cfg.kwargs)
            undantag = _undantag(r.exception_info)
            index = (r.result or {}).get("unexpected_index_list")
            if undantag or index is None:
                # Table-level outcome (columns present) or a rule that could not run: it holds for every file in the batch.
                saknade = list(((r.result or {}).get("details") or {}).get("mismatched", {}).get("missing") or [])
                for f in filer:
                    utfall[f].append(Regelutfall(regel, cfg.type, kol, bool(r.success) and not undantag, saknade_kolumner=saknade, undantag=undantag))
                continue
            per_fil: dict[str, list[int]] = {}
            for rad in index:
                per_fil.setdefault(rad["_fil"], []).append(int(rad["_rad"]))
            for f in filer:
                rader = sorted(set(per_fil.get(f, [])))
                utfall[f].append(Regelutfall(regel, cfg.type, kol, not rader, len(rader), rader))
        return utfall
