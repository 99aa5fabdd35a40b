"""Generated Swedish sentences about KPI results: slide takeaways and tertial-report comments (never a computation)."""

from __future__ import annotations

from kpi import CATALOGUE
from kpi.format import MANADER, STATUS_ORD, enligt_matt, tal


def varde_text(x: float | None, r) -> str:
    """A value exactly as `python -m kpi` prints it (same formatter, same decimals)."""
    return enligt_matt(x, r.matt, r.decimaler)


def _preposition(period_label: str) -> str:
    """'i mars 2026' for a month, 'under T2 2026' / 'under 2026' otherwise."""
    return "i" if period_label.split(" ")[0] in MANADER else "under"


def skillnad_text(skillnad: float, r) -> str:
    """The size of a difference in the indicator's unit: percentage points for %, the unit otherwise."""
    if r.matt == "%":
        return f"{tal(abs(skillnad), r.decimaler or 1)} procentenheter"
    return varde_text(abs(skillnad), r)


def _ar_noll(skillnad: float, r) -> bool:
    return skillnad_text(skillnad, r).startswith(("0 ", "0,0 ", "0\u00a0", "0,0\u00a0", "0:00")) or skillnad_text(skillnad, r) in ("0", "0,0")


def mot_mal(r) -> str:
    """'4,0 procentenheter under målet 85,0 %' (or 'i nivå med målet …'), empty without value or target."""
    if r.varde is None or r.mal is None:
        return ""
    skillnad = r.varde - r.mal
    if _ar_noll(skillnad, r):
        return f"i nivå med målet {varde_text(r.mal, r)}"
    return f"{skillnad_text(skillnad, r)} {'över' if skillnad > 0 else 'under'} målet {varde_text(r.mal, r)}"


def slutsats(r, subjekt: str | None = None) -> str:
    """One line under a slide, e.g. 'Servicegrad 81,0 % i mars 2026 – 4,0 procentenheter under målet 85,0 % (uppfylls delvis).'"""
    namn = subjekt or r.namn
    nar = f"{_preposition(r.period)} {r.period}"
    if r.varde is None:
        return f"{namn} {nar}: {r.orsak or 'uppgift saknas'}."
    text = f"{namn} {varde_text(r.varde, r)} {nar}"
    if r.mal is None:
        return f"{text} – inget årsmål att jämföra med."
    return f"{text} – {mot_mal(r)} ({STATUS_ORD[r.status].lower()})."


def _jamforelse(r, annan) -> str:
    """'2,1 procentenheter högre än T1 2026 (78,9 %), en förbättring' — or why there is no comparison."""
    if annan is None or annan.varde is None:
        return f"för {annan.period if annan else 'jämförelseperioden'} finns inget utfall att jämföra med"
    skillnad = r.varde - annan.varde
    if _ar_noll(skillnad, r):
        return f"oförändrat mot {annan.period} ({varde_text(annan.varde, annan)})"
    riktning = "högre" if skillnad > 0 else "lägre"
    text = f"{skillnad_text(skillnad, r)} {riktning} än {annan.period} ({varde_text(annan.varde, annan)})"
    ind = CATALOGUE.get(r.id)
    # A relative change only means something between positive levels (not for results around zero or percentages).
    if r.matt != "%" and annan.varde > 0 and r.varde > 0 and (ind is None or ind.avsnitt != "Ekonomi"):
        text += f", {'+' if skillnad > 0 else '−'}{tal(abs(100 * skillnad / annan.varde), 1)}\u00a0%"
    if ind is not None and (ind.avsnitt != "Ekonomi" or r.id in ("resultat", "budgetavvikelse", "prognosavvikelse")):
        battre = (skillnad > 0) == ind.hogre_ar_battre
        text += ", en förbättring" if battre else ", en försämring"
    return text


def kommentar(r, foregaende=None, forra_aret=None) -> str:
    """A tertial-report paragraph: value, target and assessment, change since the previous tertial and the same tertial last year."""
    if r.varde is None:
        return f"{r.namn} saknar utfall för {r.period}: {r.orsak or 'uppgift saknas'}." + (
            f" Årsmålet är {varde_text(r.mal, r)}." if r.mal is not None else ""
        )
    meningar = [f"Utfallet för {r.period} är {varde_text(r.varde, r)}."]
    if r.mal is not None:
        kf = f" (KF:s årsmål {varde_text(r.kf_mal, r)})" if r.kf_mal is not None else ""
        meningar.append(f"Årsmålet är {varde_text(r.mal, r)}{kf}; utfallet ligger {mot_mal(r)}: {STATUS_ORD[r.status].lower()}.")
    else:
        meningar.append(f"Indikatorn har inget årsmål för perioden ({STATUS_ORD[r.status].lower()}).")
    if foregaende is not None:
        meningar.append(f"Jämfört med föregående tertial: {_jamforelse(r, foregaende)}.")
    if forra_aret is not None:
        meningar.append(f"Jämfört med samma tertial förra året: {_jamforelse(r, forra_aret)}.")
    return " ".join(meningar)
