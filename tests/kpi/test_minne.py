"""Facts kept per lake connection (kpi/minne.py): computed once per key, also when many sessions ask at once."""

import threading
import time

import duckdb

from kpi.minne import per_anslutning


def test_samtidiga_fragor_raknar_faktumet_en_gang():
    con = duckdb.connect(":memory:")
    berakningar: list[int] = []

    def berakna() -> int:
        berakningar.append(1)
        time.sleep(0.1)  # long enough for every thread to ask while the first computes
        return 42

    svar: list[int] = []
    tradar = [threading.Thread(target=lambda: svar.append(per_anslutning(con, ("faktum",), berakna))) for _ in range(8)]
    for t in tradar:
        t.start()
    for t in tradar:
        t.join(5)
    assert svar == [42] * 8
    assert len(berakningar) == 1


def test_ett_faktum_byggt_av_andra_och_varje_anslutning_for_sig():
    con, annan = duckdb.connect(":memory:"), duckdb.connect(":memory:")
    delar = lambda c: per_anslutning(c, ("del",), lambda: [1, 2])  # noqa: E731
    assert per_anslutning(con, ("helhet",), lambda: sum(delar(con))) == 3  # the outer key's lock does not block the inner
    assert per_anslutning(annan, ("helhet",), lambda: 7) == 7
