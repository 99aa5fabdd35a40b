"""Great Expectations (GX Core 1.x) validation of staged files against the suites in expectations/."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

REGELMAPP = Path(__file__).resolve().parent.parent / "expectations"


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


class Validerare:
    """One ephemeral GX context and the loaded suites, reused for every file of a run."""

    def __init__(self, regelmapp: Path = REGELMAPP):
        # GX takes ~2 s to import, so it is imported only when a run has something to validate.
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig
        from great_expectations.execution_engine import pandas_execution_engine

        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        # GX fingerprints every in-memory batch (an md5 over all rows, ~40 % of validation time for a million rows) only
        # to label it in batch metadata; files are already identified by their sha256, so the label is skipped.
        pandas_execution_engine.HASH_THRESHOLD = 0
        self._gx = gx
        self._regelmapp = Path(regelmapp)
        self._context = gx.get_context(mode="ephemeral")
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = self._context.data_sources.add_pandas("etl").add_dataframe_asset("fil")
        self._batchdef = asset.add_batch_definition_whole_dataframe("hela_filen")
        self._sviter: dict[str, Any] = {}
        self._behov: dict[str, set[str]] = {}
        self._ordning: dict[str, dict[tuple[str, str], int]] = {}

    def svit(self, kalla: str):
        """The suite for a source, read once from expectations/<source>.json."""
        if kalla not in self._sviter:
            innehall = json.loads((self._regelmapp / f"{kalla}.json").read_text(encoding="utf-8"))
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

    def validera(self, kalla: str, ram: pl.DataFrame) -> dict[str, list[Regelutfall]]:
        """Validate staged rows of one or more files (same column set, told apart by `_fil`); outcomes per file."""
        import pandas as pd

        svit = self.svit(kalla)
        filer = ram["_fil"].unique(maintain_order=True).to_list()
        behov, ordning = self._behov[kalla], self._ordning[kalla]
        # Column by column: pandas' whole-frame conversion from Arrow is ~50× slower for a million rows.
        pandas = pd.DataFrame({c: ram[c].to_pandas() for c in ram.columns if c in behov}, copy=False)
        batch = self._batchdef.get_batch(batch_parameters={"dataframe": pandas})
        resultat = batch.validate(
            svit,
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_fil", "_rad"], "return_unexpected_index_query": False},
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
