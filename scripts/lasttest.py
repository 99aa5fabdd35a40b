"""Load test: N concurrent sessions against a local dashboard, each opening every page: `python scripts/lasttest.py [--sessioner 20]`.

The server's peak memory and CPU per page view are measured from /proc; `--omgangar 2` repeats the load on the same
server, so memory that grows with every round shows. `--per-sida N` instead measures one session alone: the server's CPU
per repeated view of each page (what an element more or less on a page costs).

Each session speaks Streamlit's own websocket protocol (what a browser tab does, without drawing): it opens
a session with a unit in the URL, asks for every page in turn and waits for the script to finish. It checks
that the page rendered its title, no exception, and — for Översikt — that the tiles show exactly what
`kpi.compute` gives for that session's unit (so concurrent sessions never see each other's data). Loopback
only; the server is started on a free port in 8501–8510 and always stopped; every wait has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
import math
import os
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROT))

from scripts.streamlit_server import server  # noqa: E402
from ui.sidkarta import sidor  # noqa: E402

SIDOR = sidor(utom=("apt_lage",))  # (url path, title); the APT slide show has its own test


def _xsrf(url: str) -> str:
    """The XSRF cookie a browser gets with the page; the websocket must present it."""
    burk = http.cookiejar.CookieJar()
    oppnare = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(burk))
    with oppnare.open(url + "/_stcore/health", timeout=10):  # the frontend gets its cookie from the health check
        pass
    return next(c.value for c in burk if c.name == "_streamlit_xsrf")


def _texter(delta, ut: list[str]) -> None:
    """Collect the visible strings of one delta (titles, metrics, markdown, exceptions)."""
    if not delta.HasField("new_element"):
        return
    el = delta.new_element
    typ = el.WhichOneof("type")
    if typ == "heading":
        ut.append("H:" + el.heading.body)
    elif typ == "metric":
        ut.append(f"M:{el.metric.label}={el.metric.body}")
    elif typ == "exception":
        ut.append("E:" + el.exception.message)
    elif typ == "markdown":
        ut.append("T:" + el.markdown.body)


async def _kor_sida(ws, sokvag: str, fraga: str, timeout_s: float) -> tuple[float, list[str]]:
    """Ask for one page (as a click in the navigation does) and wait for its script run to finish."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.query_string = fraga
    msg.rerun_script.page_name = sokvag
    start = time.perf_counter()
    await ws.send(msg.SerializeToString())
    texter: list[str] = []
    startad = False
    while True:
        data = await asyncio.wait_for(ws.recv(), timeout=timeout_s)
        fm = ForwardMsg()
        fm.ParseFromString(data)
        typ = fm.WhichOneof("type")
        if typ == "new_session":
            startad = True
            texter = []  # a rerun starts the page over
        elif typ == "delta":
            _texter(fm.delta, texter)
        elif typ == "script_finished" and startad and fm.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return time.perf_counter() - start, texter


def _anslut(url: str, xsrf: str, timeout_s: float):
    """A browser tab's websocket to the server (with the XSRF cookie); per-page timeouts instead of pings."""
    import websockets

    return websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit", xsrf],
        additional_headers={"Cookie": f"_streamlit_xsrf={xsrf}"},
        max_size=None,
        open_timeout=timeout_s,
        ping_interval=None,
    )


async def session(url: str, xsrf: str, enhet: str, varv: int, forvantat: dict[str, str], timeout_s: float) -> dict:
    """One user: open the app with a unit in the URL, visit every page `varv` times, check what came back."""
    from urllib.parse import urlencode

    fraga = urlencode({"enhet": enhet})
    tider: dict[str, list[float]] = {s: [] for s, _ in SIDOR}
    fel: list[str] = []
    async with _anslut(url, xsrf, timeout_s) as ws:
        for _ in range(varv):
            for sokvag, titel in SIDOR:
                tid, texter = await _kor_sida(ws, sokvag, fraga, timeout_s)
                tider[sokvag].append(tid)
                if any(t.startswith("E:") for t in texter):
                    fel.append(f"{enhet}/{sokvag}: undantag {[t for t in texter if t.startswith('E:')][0][:120]}")
                if not any(t.startswith("H:") and titel in t for t in texter):
                    fel.append(f"{enhet}/{sokvag}: rubriken '{titel}' saknas")
                if sokvag == "oversikt":
                    visat = {t[2:].split("=")[0]: t.split("=", 1)[1] for t in texter if t.startswith("M:")}
                    avvikande = {k: (visat.get(k), v) for k, v in forvantat.items() if visat.get(k) != v}
                    if avvikande:
                        fel.append(f"{enhet}/oversikt: fel värden {list(avvikande.items())[:2]}")
    return {"enhet": enhet, "tider": tider, "fel": fel}


def referens_ms() -> float:
    """The machine's speed now: the best of five runs of a fixed pure-Python loop (≈ 0,15 s on this 2-core VM when it is quick).

    The same code's p95 moves with it: this VM's CPU speed varies by a quarter from minute to minute, so every
    result is printed with the reference taken just before and just after it."""
    tider = []
    for _ in range(5):
        start, s = time.perf_counter(), 0
        for i in range(5_000_000):
            s += i
        tider.append(time.perf_counter() - start)
    return 1000 * min(tider)


def serverprocess(url: str) -> int | None:
    """The pid of the dashboard serving `url` (the process started with its --server.port)."""
    port = url.rsplit(":", 1)[1].encode()
    for post in os.listdir("/proc"):
        if post.isdigit():
            try:
                with open(f"/proc/{post}/cmdline", "rb") as f:
                    delar = f.read().split(b"\0")
            except OSError:
                continue
            if any(d.endswith(b"starta.py") for d in delar) and b"--server.port" in delar and port in delar:
                return int(post)
    return None


def minne_mb(pid: int) -> float:
    """The process's resident memory (VmRSS) in MB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(r.split()[1]) for r in f if r.startswith("VmRSS:")) / 1024


def cpu_s(pid: int) -> float:
    """CPU seconds the process has used (user + system)."""
    with open(f"/proc/{pid}/stat") as f:
        falt = f.read().rsplit(")", 1)[1].split()
    return (int(falt[11]) + int(falt[12])) / os.sysconf("SC_CLK_TCK")


class Matare:
    """Samples the server's memory every quarter second while the load runs: the peak, and CPU used."""

    def __init__(self, pid: int):
        self.pid, self.topp, self._stopp = pid, minne_mb(pid), threading.Event()
        self.cpu_fore = cpu_s(pid)
        self._trad = threading.Thread(target=self._mat, daemon=True)
        self._trad.start()

    def _mat(self) -> None:
        while not self._stopp.wait(0.25):
            self.topp = max(self.topp, minne_mb(self.pid))

    def stoppa(self) -> tuple[float, float]:
        """(peak RSS MB, CPU seconds used since start)."""
        self._stopp.set()
        self._trad.join()
        return self.topp, cpu_s(self.pid) - self.cpu_fore


def forvantade_rutor(parquet: str, enheter: list[str]) -> dict[str, dict[str, str]]:
    """What Översikt's tiles must show per unit, straight from kpi.compute with the default period."""
    import kpi
    import lake
    from kpi.period import Filters, Period, tertial_of

    con = lake.connect(parquet)
    senaste = kpi.senaste_manad(con)
    period = Period(senaste.year, tertial=tertial_of(senaste.month))
    return {e: {r.namn: r.varde_text for r in kpi.compute(period, Filters(units=(e,)), con=con)} for e in enheter}


async def kor(url: str, parquet: str, antal: int, varv: int, timeout_s: float) -> dict:
    """Run `antal` sessions at once; return per-page latency statistics and any errors."""
    import kpi
    import lake

    enheter = kpi.enheter(lake.connect(parquet))
    forvantat = forvantade_rutor(parquet, enheter)
    xsrf = _xsrf(url)
    start = time.perf_counter()
    resultat = await asyncio.gather(
        *[session(url, xsrf, enheter[i % len(enheter)], varv, forvantat[enheter[i % len(enheter)]], timeout_s) for i in range(antal)],
        return_exceptions=True,
    )
    total = time.perf_counter() - start
    fel = [f"session: {r!r}" for r in resultat if isinstance(r, BaseException)]
    ok = [r for r in resultat if not isinstance(r, BaseException)]
    for r in ok:
        fel.extend(r["fel"])
    per_sida = {}
    for sokvag, _ in SIDOR:
        alla = sorted(t for r in ok for t in r["tider"][sokvag])
        if alla:
            per_sida[sokvag] = (statistics.median(alla), alla[max(0, math.ceil(0.95 * len(alla)) - 1)], alla[-1])
    return {
        "sessioner": antal,
        "lyckade": len(ok),
        "total_s": total,
        "sidvisningar": sum(len(t) for r in ok for t in r["tider"].values()),
        "per_sida": per_sida,
        "fel": fel,
    }


async def cpu_per_sida(url: str, pid: int, enhet: str, antal: int, timeout_s: float) -> dict[str, float]:
    """One session alone: the server's CPU milliseconds per repeated view of each page (after two views that fill the caches)."""
    from urllib.parse import urlencode

    fraga = urlencode({"enhet": enhet})
    ut = {}
    async with _anslut(url, _xsrf(url), timeout_s) as ws:
        for sokvag, _ in SIDOR:
            for _ in range(2):
                await _kor_sida(ws, sokvag, fraga, timeout_s)
            fore = cpu_s(pid)
            for _ in range(antal):
                await _kor_sida(ws, sokvag, fraga, timeout_s)
            ut[sokvag] = 1000 * (cpu_s(pid) - fore) / antal
    return ut


def main() -> None:
    """CLI: start a server on the lake, run the load test, print a table; exit 1 on any error."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parquet", default="data/parquet")
    ap.add_argument("--sessioner", type=int, default=20)
    ap.add_argument("--varv", type=int, default=2, help="times each session visits every page")
    ap.add_argument("--timeout", type=float, default=60, help="seconds a single page may take before the test fails")
    ap.add_argument("--omgangar", type=int, default=1, help="load rounds on the same server (memory after each shows growth)")
    ap.add_argument("--per-sida", type=int, default=0, metavar="N", help="instead: one session, server CPU per view of each page (mean of N views)")
    a = ap.parse_args()
    parquet = str(Path(a.parquet).resolve())
    fel = []
    with server(parquet) as url:
        pid = serverprocess(url)
        print(f"Servern startad: {minne_mb(pid):.0f} MB i minnet" if pid else "Servern startad (minnet kan inte mätas här)")
        if a.per_sida and not pid:
            raise SystemExit("--per-sida kräver serverns process i /proc (Linux) för att mäta dess CPU.")
        if a.per_sida:
            import kpi
            import lake

            enhet = kpi.enheter(lake.connect(parquet))[0]
            per = asyncio.run(cpu_per_sida(url, pid, enhet, a.per_sida, a.timeout))
            print(f"\nEn session ({enhet}), serverns CPU per upprepad sidvisning, medel av {a.per_sida}:")
            for sid, ms in per.items():
                print(f"{sid:<20}{ms:>8.1f} ms")
            print(f"{'medel':<20}{sum(per.values()) / len(per):>8.1f} ms")
            return
        for omgang in range(1, a.omgangar + 1):
            fore = referens_ms()
            matare = Matare(pid) if pid else None
            r = asyncio.run(kor(url, parquet, a.sessioner, a.varv, a.timeout))
            print(
                f"\nOmgång {omgang}: {r['sessioner']} samtidiga sessioner, {r['lyckade']} klarade sig, {r['sidvisningar']} sidvisningar på {r['total_s']:.1f} s"
            )
            print(f"{'sida':<20}{'median (s)':>12}{'p95 (s)':>10}{'max (s)':>10}")
            for sid, (med, p95, mx) in r["per_sida"].items():
                print(f"{sid:<20}{med:>12.2f}{p95:>10.2f}{mx:>10.2f}")
            if r["per_sida"]:
                print(f"sämsta p95: {max(p95 for _, p95, _ in r['per_sida'].values()):.2f} s")
            if matare:
                topp, cpu = matare.stoppa()
                print(
                    f"servern: topp {topp:.0f} MB, {minne_mb(pid):.0f} MB efteråt; {cpu:.1f} CPU-s, "
                    f"{1000 * cpu / max(1, r['sidvisningar']):.0f} CPU-ms per sidvisning"
                )
            print(f"maskinens referensslinga: {fore:.0f} ms före, {referens_ms():.0f} ms efter")
            fel.extend(r["fel"])
    if fel:
        print(f"{len(fel)} fel:")
        for f in fel[:20]:
            print("  " + f)
        raise SystemExit(1)
    print("Inga fel: varje session fick sina egna, korrekta värden.")


if __name__ == "__main__":
    main()
