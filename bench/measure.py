"""Timing statistics and peak-memory measurement of child processes."""

from __future__ import annotations

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_INTERVAL_S = 0.02


@dataclass
class ChildRun:
    """Outcome of one measured child process."""

    process_s: float  # wall time of the whole process, interpreter start included
    peak_rss_bytes: int  # peak resident set of the process tree
    returncode: int
    result: dict  # what the child wrote to its result file
    stderr: str


def stats(samples_s: list[float]) -> dict:
    """Median and p95 (nearest rank) in milliseconds of timings given in seconds."""
    ms = sorted(x * 1000 for x in samples_s)
    if not ms:
        return {"n": 0, "median_ms": None, "p95_ms": None, "min_ms": None, "max_ms": None}
    rank = max(1, math.ceil(0.95 * len(ms)))
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[rank - 1], 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
    }


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run_child(args: list[str], result_file: Path, env: dict | None = None, timeout_s: float | None = None) -> ChildRun:
    """Run `python -m bench.child <args>` and sample the RSS of its process tree until it exits."""
    result_file.unlink(missing_ok=True)
    started = time.perf_counter()
    popen = subprocess.Popen(
        [sys.executable, "-m", "bench.child", *args, "--result", str(result_file)],
        env={**os.environ, **(env or {})},
        stderr=subprocess.PIPE,
        text=True,
    )
    proc = psutil.Process(popen.pid)
    peak = 0
    stderr_chunks: list[str] = []
    # Read stderr in a thread so a chatty child never blocks on a full pipe while we sample.
    reader = threading.Thread(target=lambda: stderr_chunks.append(popen.stderr.read()), daemon=True)
    reader.start()
    while popen.poll() is None:
        peak = max(peak, _tree_rss(proc))
        if timeout_s and time.perf_counter() - started > timeout_s:
            popen.kill()
            break
        time.sleep(SAMPLE_INTERVAL_S)
    popen.wait()
    process_s = time.perf_counter() - started
    reader.join(timeout=5)
    result = json.loads(result_file.read_text(encoding="utf-8")) if result_file.exists() else {}
    # The kernel's high-water mark (reported by the child itself) catches peaks between two samples.
    peak = max(peak, result.get("maxrss_bytes", 0))
    return ChildRun(process_s, peak, popen.returncode, result, "".join(stderr_chunks))


def own_maxrss_bytes() -> int:
    """Peak RSS of this process and of its waited-for children (ru_maxrss is KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) * 1024


def dir_size(path: Path, pattern: str = "*") -> int:
    """Total bytes of the files under path matching pattern (recursively)."""
    return sum(p.stat().st_size for p in Path(path).rglob(pattern) if p.is_file())
