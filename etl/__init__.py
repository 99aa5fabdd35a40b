"""ETL: raw exports in data/raw/<källa>/ → validated Parquet partitions; `etl.run(...)` or `python -m etl`."""

from etl.korning import EtlFel, FileResult, KorningsFel, RunResult, run

__all__ = ["EtlFel", "FileResult", "KorningsFel", "RunResult", "run"]
