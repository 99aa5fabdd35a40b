"""Generated Swedish sentences about KPI results: slide takeaways and tertial-report comments (never a computation).

Every figure in a sentence reads through the indicator's `Visning` (kpi/format.py), exactly as tiles and tables show it;
a difference that rounds to zero is 'i nivå med' / 'oförändrat', never '0,0 procentenheter lägre'."""

from __future__ import annotations

from kpi import CATALOGUE
from kpi.format import MANADER, STATUS_ORD


def varde_text(x: float | None, r) -> str:
    """A figure of the result's indicator exactly as pages and `python -m kpi` show it."""
    return r.text(x)


def _preposition(period_label: str) -> str:
    """'i mars 2026' for a month, 'under T2 2026' / 'under 2026' otherwise."""
    return "i" if period_label.split(" ")[0] in MANADER else "under"


def mot_mal(r) -> str:
    """'4,0 procentenheter under målet 85,0 %' (or 'i nivå med målet …'), empty without value or target."""
    if r.varde is None or r.mal is None:
        return ""
    storlek, tecken = r.visning.skillnad(r.varde, r.mal)
    if not tecken:
        return f"i nivå med målet {r.mal_text}"
    return f"{storlek} {'över' if tecken > 0 else 'under'} målet {r.mal_text}"


def slutsats(r, subjekt: str | None = None) -> str:
    """One line under a slide, e.g. 'Servicegrad 81,0 % i mars 2026 – 4,0 procentenheter under målet 85,0 % (uppfylls delvis).'"""
    namn = subjekt or r.namn
    nar = f"{_preposition(r.period)} {r.period}"
    if r.varde is None:
        return f"{namn} {nar}: {r.orsak or 'uppgift saknas'}."
    text = f"{namn} {r.varde_text} {nar}"
    if r.mal is None:
        return f"{text} – inget årsmål att jämföra med."
    return f"{text} – {mot_mal(r)} ({STATUS_ORD[r.status].lower()})."


def _jamforelse(r, annan) -> str:
    """'2,1 procentenheter högre än T1 2026 (78,9 %), en förbättring' — or why there is no comparison."""
    if annan is None or annan.varde is None:
        return f"för {annan.period if annan else 'jämförelseperioden'} finns inget utfall att jämföra med"
    storlek, tecken = r.visning.skillnad(r.varde, annan.varde)
    if not tecken:
        return f"oförändrat mot {annan.period} ({r.text(annan.varde)})"
    text = f"{storlek} {'högre' if tecken > 0 else 'lägre'} än {annan.period} ({r.text(annan.varde)})"
    relativ, _ = r.visning.forandring(r.varde, annan.varde)
    if r.visning.forandring_som == "procent" and relativ:
        text += f", {relativ}"
    ind = CATALOGUE.get(r.id)
    if ind is not None:
        text += ", en förbättring" if (tecken > 0) == ind.hogre_ar_battre else ", en försämring"
    return text


def kommentar(r, foregaende=None, forra_aret=None) -> str:
    """A tertial-report paragraph: value, target and assessment, change since the previous tertial and the same tertial last year."""
    if r.varde is None:
        return f"{r.namn} saknar utfall för {r.period}: {r.orsak or 'uppgift saknas'}." + (f" Årsmålet är {r.mal_text}." if r.mal is not None else "")
    meningar = [f"Utfallet för {r.period} är {r.varde_text}."]
    if r.mal is not None:
        kf = f" (KF:s årsmål {r.text(r.kf_mal)})" if r.kf_mal is not None else ""
        meningar.append(f"Årsmålet är {r.mal_text}{kf}; utfallet ligger {mot_mal(r)}: {STATUS_ORD[r.status].lower()}.")
    else:
        meningar.append(f"Indikatorn har inget årsmål för perioden ({STATUS_ORD[r.status].lower()}).")
    if foregaende is not None:
        meningar.append(f"Jämfört med föregående tertial: {_jamforelse(r, foregaende)}.")
    if forra_aret is not None:
        meningar.append(f"Jämfört med samma tertial förra året: {_jamforelse(r, forra_aret)}.")
    return " ".join(meningar)
