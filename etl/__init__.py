"""ETL: raw exports in data/raw/<källa>/ → validated Parquet partitions; `etl.run(...)` or `python -m etl`; `etl.leverera(...)` for one file delivered in the app."""

from etl.korning import EtlFel, FileResult, KorningsFel, Leveransresultat, RunResult, leverera, run

__all__ = ["EtlFel", "FileResult", "KorningsFel", "Leveransresultat", "RunResult", "leverera", "run"]
