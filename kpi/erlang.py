"""Erlang C staffing (DESIGN.md §5): waiting probability, service level and agents needed for a target."""

from __future__ import annotations

import math


def trafik(samtal: float, aht_s: float, intervall_s: float) -> float:
    """Offered traffic A = λ·AHT in erlang, with λ = calls per second over the interval."""
    return (samtal / intervall_s) * aht_s if intervall_s > 0 else 0.0


def sannolikhet_vanta(a: float, m: int) -> float:
    """P_w = (Aᵐ/m!·m/(m−A)) ÷ (Σₖ₌₀ᵐ⁻¹ Aᵏ/k! + Aᵐ/m!·m/(m−A)); 1.0 when m ≤ A (the queue never clears)."""
    if a <= 0:
        return 0.0
    if m <= a:
        return 1.0
    # Terms Aᵏ/k! are built by multiplication and scaled down when they grow, so large A never overflows;
    # the scaling cancels in the quotient.
    summa = 0.0
    term = 1.0  # A⁰/0!
    for k in range(m):
        summa += term
        term *= a / (k + 1)
        if term > 1e250:
            summa /= 1e250
            term /= 1e250
    topp = term * m / (m - a)
    return topp / (summa + topp)


def servicegrad(a: float, m: int, t_s: float, aht_s: float) -> float:
    """SL(t) = 1 − P_w·e^(−(m−A)·t/AHT), the share answered within t seconds (0–1)."""
    if a <= 0:
        return 1.0
    if m <= a:
        return 0.0
    return 1.0 - sannolikhet_vanta(a, m) * math.exp(-(m - a) * t_s / aht_s)


def agenter_som_behovs(samtal: float, aht_s: float, intervall_s: float = 3600, mal: float = 0.85, t_s: float = 25, max_agenter: int = 10_000) -> int:
    """Smallest number of agents m with SL(t) ≥ target for the interval's calls and handling time."""
    if samtal <= 0 or aht_s <= 0:
        return 0
    a = trafik(samtal, aht_s, intervall_s)
    m = max(1, math.floor(a) + 1)
    while m <= max_agenter:
        if servicegrad(a, m, t_s, aht_s) >= mal:
            return m
        m += 1
    raise ValueError(f"Fler än {max_agenter} agenter skulle behövas – kontrollera indata.")


def arsarbetare(agenter: float, shrinkage: float = 0.3) -> float:
    """Agents needed divided by (1 − shrinkage): staffing including breaks, training, absence."""
    if not 0 <= shrinkage < 1:
        raise ValueError("Bortfallet (shrinkage) måste vara mellan 0 och 1.")
    return agenter / (1 - shrinkage)
