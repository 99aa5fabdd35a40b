"""The benchmark table (Swedish / English headings), as plain text and as Markdown."""

from __future__ import annotations

MB = 1024**2


def _ms(x) -> str:
    return "–" if x is None else f"{x:,.1f}".replace(",", " ")


def _ratio(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _num(x, decimals: int = 0) -> str:
    return "–" if x is None else f"{x:,.{decimals}f}".replace(",", " ")


def etl_rows(result: dict) -> list[list[str]]:
    """ETL rows: measure | ours | pandas | ours ÷ pandas."""
    e = result["etl"]
    o, p, r = e["ours"], e["pandas"], e["ratio"]
    return [
        ["Väggtid / wall time (s)", _num(o["wall_s"], 1), _num(p["wall_s"], 1), _ratio(r["wall"])],
        ["Rader per sekund / rows per s", _num(o["rows_per_s"]), _num(p["rows_per_s"]), _ratio(r["rows_per_s"])],
        ["Topp-RSS / peak RSS (MB)", _num(o["peak_rss_bytes"] / MB), _num(p["peak_rss_bytes"] / MB), _ratio(r["peak_rss"])],
        ["Parquet (MB)", _num(o["output_bytes"] / MB, 1), _num(p["output_bytes"] / MB, 1), _ratio(r["output_bytes"])],
        ["Parquet ÷ rådata / raw", _ratio(o["output_bytes"] / e["raw_bytes"]), _ratio(p["output_bytes"] / e["raw_bytes"]), ""],
    ] + (
        [
            [
                f"Omleverans av en månad / one month re-delivered ({e['ours_redelivery']['files']} filer), s",
                _num(e["ours_redelivery"]["wall_s"], 1),
                _num(p["wall_s"], 1),
                _ratio(e["ours_redelivery"]["wall_s"] / p["wall_s"]),
            ]
        ]
        if e.get("ours_redelivery")
        else []
    )


def query_rows(result: dict) -> list[list[str]]:
    """Page rows: page | filter | ours warm median/p95 | cold median/p95 | pandas warm/cold p95 | ratios."""
    rows = []
    for q in result["queries"]:
        o, p, r = q["ours"], q.get("pandas"), q.get("ratio") or {}
        rows.append(
            [
                q["page"],
                q["filter"],
                _ms(o["warm"]["median_ms"]),
                _ms(o["warm"]["p95_ms"]),
                _ms(o["cold"]["median_ms"]),
                _ms(o["cold"]["p95_ms"]),
                _ms(p["warm"]["p95_ms"]) if p else "–",
                _ms(p["cold"]["p95_ms"]) if p else "–",
                _ratio(r.get("warm_p95")),
                _ratio(r.get("cold_p95")),
            ]
        )
    return rows


ETL_HEAD = ["ETL", "vår / ours", "pandas", "vår ÷ pandas"]
QUERY_HEAD = [
    "sida / page",
    "filter",
    "varm median ms",
    "varm p95 ms",
    "kall median ms",
    "kall p95 ms",
    "pandas varm p95",
    "pandas kall p95",
    "kvot varm p95",
    "kvot kall p95",
]


def _text_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    line = lambda cells: "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def markdown(head: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (for docs/benchmarks.md)."""
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def targets_lines(result: dict) -> list[str]:
    """The targets, met or not, in one line each."""
    t = result["targets"]
    ok = lambda b: "uppfyllt / met" if b else "EJ uppfyllt / NOT met"  # noqa: E731
    return [
        f"ETL {t['etl_speedup']:.1f}× snabbare än pandas (mål ≥ 5×): {ok(t['etl_speedup_ok'])}",
        f"ETL topp-RSS {result['etl']['ours']['peak_rss_bytes'] / MB:,.0f} MB (mål < 4 096 MB): {ok(t['etl_peak_rss_ok'])}",
        f"Sämsta varma p95 {t['worst_warm_p95_ms']:.1f} ms (mål < 250 ms): {ok(t['warm_p95_ok'])}",
        f"Sämsta kalla p95 {t['worst_cold_p95_ms']:.1f} ms (mål < 1 000 ms): {ok(t['cold_p95_ok'])}",
    ]


def table(result: dict) -> str:
    """The whole report as text for the terminal."""
    raw = result["raw"]
    c = result["correctness"]
    parts = [
        f"\nBenchmark {result['scale']}: {raw['rows']:,} rader rådata / raw rows, {raw['bytes'] / MB:,.0f} MB, {raw['files']} filer".replace(
            ",", " "
        ),
        f"Maskin / machine: {result['machine']['logical_cpus']} kärnor, {result['machine']['memory_gb']} GB, {result['machine']['cpu']}",
        "",
        _text_table(ETL_HEAD, etl_rows(result)),
        "",
        f"Korrekthet / correctness: {c['values_compared']} KPI-värden lika (max rel. skillnad {c['max_rel_diff']:.2e}, tolerans {c['tolerance']:.0e})",
        f"Period {result['queries'][0]['period'] if result['queries'] else '–'}; varma körningar {result['repeats']['warm']}, kalla (ny process) {result['repeats']['cold']}",
        "",
        _text_table(QUERY_HEAD, query_rows(result)),
        "",
        *targets_lines(result),
    ]
    return "\n".join(parts)


def markdown_report(result: dict) -> str:
    """The tables and targets as Markdown, for docs/benchmarks.md."""
    c = result["correctness"]
    q = result["queries"][0]["period"] if result["queries"] else {}
    return "\n".join(
        [
            markdown(ETL_HEAD, etl_rows(result)),
            "",
            f"Correctness guard: {c['values_compared']} KPI values equal in both implementations "
            f"(max relative difference {c['max_rel_diff']:.1e}, tolerance {c['tolerance']:.0e}).",
            "",
            f"Page queries, period {q}, {result['repeats']['warm']} warm runs and {result['repeats']['cold']} cold runs (new process) per row:",
            "",
            markdown(QUERY_HEAD, query_rows(result)),
            "",
            *[f"- {line}" for line in targets_lines(result)],
        ]
    )


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    print(markdown_report(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
