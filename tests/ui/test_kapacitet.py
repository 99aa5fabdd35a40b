"""The page-view queue (ui/kapacitet.py): first come first served, no newcomer jumps it, a place is always given back."""

import threading
import time

import pytest

from ui import kapacitet
from ui.kapacitet import Turordning


def _vanta_tills(villkor, s: float = 5.0) -> None:
    slut = time.monotonic() + s
    while not villkor():
        assert time.monotonic() < slut, "villkoret uppfylldes aldrig"
        time.sleep(0.005)


def test_platserna_ges_i_den_ordning_vyerna_kom():
    tur = Turordning(1)
    assert tur.ta(0)
    ordning: list[int] = []

    def vy(n: int) -> None:
        assert tur.ta(5)
        ordning.append(n)
        tur.lamna()

    tradar = []
    for n in range(5):
        t = threading.Thread(target=vy, args=(n,))
        t.start()
        _vanta_tills(lambda n=n: tur.vantande == n + 1)  # each one queued before the next arrives
        tradar.append(t)
    tur.lamna()
    for t in tradar:
        t.join(5)
    assert ordning == [0, 1, 2, 3, 4]


def test_en_nykomling_tar_inte_platsen_fran_den_som_vantar():
    tur = Turordning(1)
    assert tur.ta(0)
    fick: list[bool] = []
    vantare = threading.Thread(target=lambda: fick.append(tur.ta(5)))
    vantare.start()
    _vanta_tills(lambda: tur.vantande == 1)
    tur.lamna()  # handed to the waiter, not freed
    assert not tur.ta(0)
    vantare.join(5)
    assert fick == [True]


def test_den_som_vantat_for_lange_far_ga_och_lamnar_kon():
    tur = Turordning(1)
    assert tur.ta(0)
    assert not tur.ta(0.05)
    assert tur.vantande == 0
    tur.lamna()
    assert tur.ta(0)


@pytest.mark.parametrize("avbrott", [RuntimeError("fel på sidan"), SystemExit(0)])
def test_platsen_lamnas_tillbaka_hur_vyn_an_slutar(avbrott):
    tur = Turordning(1)
    with pytest.raises(type(avbrott)), kapacitet.tur(tur):
        assert not tur.ta(0)
        raise avbrott
    assert tur.ta(0)


def test_en_lang_vantan_i_vyn_later_andra_fa_platsen_under_tiden():
    tur = Turordning(1)
    with kapacitet.tur(tur):
        with kapacitet.utan_tur():
            assert tur.ta(0)  # another view gets the place while this one waits on an ETL run
            tur.lamna()
        assert not tur.ta(0)  # and this view holds it again afterwards
    assert tur.ta(0)


def test_utan_tur_utanfor_en_vy_gor_ingenting():
    with kapacitet.utan_tur():
        pass
