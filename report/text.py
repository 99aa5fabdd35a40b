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


# --- A chart's takeaway from the data it draws -------------------------------------------------------------------

_ANMARKNING = ("orsak", "anmarkning")  # columns that explain a missing value rather than being a dimension


def _upprakning(delar: list[str]) -> str:
    """'a', 'a och b', 'a, b och c'."""
    return delar[0] if len(delar) == 1 else f"{', '.join(delar[:-1])} och {delar[-1]}"


def _mot_mal(tecken: list[int | None]) -> str:
    """How many values lie over, level with and under a target: 'alla under', '2 över och 1 under', 'över' for one."""
    antal = [(sum(1 for t in tecken if t == s), ord_) for s, ord_ in ((1, "över"), (0, "i nivå med"), (-1, "under"))]
    delar = [(n, ord_) for n, ord_ in antal if n]
    if len(delar) == 1:
        n, ord_ = delar[0]
        return ord_ if n == 1 else f"alla {ord_}"
    return _upprakning([f"{n} {ord_}" for n, ord_ in delar])


def _ar_tid(df, k) -> bool:
    """A column that orders the chart in time: dates, or period labels with their start date beside them."""
    import polars as pl

    return df.schema[k.kalla] in (pl.Date, pl.Datetime) or (k.kalla == "period" and "period_start" in df.columns)


def diagramslutsats(df, kolumner: list, mal: float | None = None) -> str:
    """One sentence a chart says, from its data and the page's column declaration (kpi.tabell.Kolumn), every number as displayed.

    The columns tell the shape: a time column (dates or 'period'), text columns (unit, queue, weekday) and value columns
    with their `Visning`. Over time it names the latest period's values (per group) against the target; without time it
    names the largest values, and for two text columns (a heatmap) the highest and lowest cell."""
    import polars as pl

    from kpi.tabell import visningsram

    if df.is_empty():
        return "Det finns inga uppgifter för urvalet."
    kol = [k for k in kolumner if k.kalla in df.columns]
    tal = [k for k in kol if k.visning is not None]
    tid = next((k for k in kol if k.visning is None and _ar_tid(df, k)), None)
    grupper = [k for k in kol if k.visning is None and k is not tid and k.kalla not in _ANMARKNING]
    if not tal:
        return f"Tabellen har {df.height} rader."
    v = tal[0]
    if tid is not None:
        ordning = "period_start" if tid.kalla == "period" else tid.kalla
        med = df.filter(pl.any_horizontal([pl.col(k.kalla).is_not_null() for k in tal]))
        if med.is_empty():
            return "Det finns inga värden att visa för urvalet."
        senaste = med[ordning].max()
        rad = df.filter(pl.col(ordning) == senaste)
        nar = visningsram(rad.head(1), [tid])[tid.rubrik][0]
        mal_text = f"målet {v.visning.text(mal)}" if mal is not None else ""
        if len(tal) > 1 and not grupper:  # several measures per period (budget, utfall, resultat …)
            varden = [f"{k.rubrik.lower()} {k.visning.text(rad[k.kalla][0])}" for k in tal[:4]]
            return f"I {nar}: {_upprakning(varden)}."
        if grupper:
            g = grupper[0]
            rad = rad.sort(v.kalla, descending=True, nulls_last=True)
            varden = [f"{r[g.kalla]} {v.visning.text(r[v.kalla])}" for r in rad.iter_rows(named=True) if r[v.kalla] is not None]
            saknas = [
                f"{r[g.kalla]} ({r['orsak'].rstrip('.').lower()})" if r.get("orsak") else str(r[g.kalla])
                for r in rad.iter_rows(named=True)
                if r[v.kalla] is None and r[g.kalla] is not None
            ]
            text = f"{v.rubrik} i {nar}: {_upprakning(varden)}" if varden else f"{v.rubrik} i {nar}: inga värden"
            if mal is not None and varden:
                text += f"; {_mot_mal([v.visning.skillnad(x, mal)[1] for x in rad[v.kalla].drop_nulls().to_list()])} {mal_text}"
            if saknas:
                text += f"; visas inte: {_upprakning(saknas)}"
            return text + "."
        serie = med.sort(ordning).filter(pl.col(v.kalla).is_not_null())
        etiketter = visningsram(serie, [tid])[tid.rubrik].to_list()
        varden = serie[v.kalla].to_list()
        text = f"{v.rubrik} {v.visning.text(varden[-1])} i {etiketter[-1]}"
        if len(varden) >= 3:
            hog, lag = max(range(len(varden)), key=varden.__getitem__), min(range(len(varden)), key=varden.__getitem__)
            text += (
                f", mellan {v.visning.text(varden[lag])} ({etiketter[lag]}) och {v.visning.text(varden[hog])} ({etiketter[hog]}) sedan {etiketter[0]}"
            )
        return text + (f"; målet är {v.visning.text(mal)}." if mal is not None else ".")
    visad = df.filter(pl.col(v.kalla).is_not_null())
    if visad.is_empty() or not grupper:
        return "Det finns inga värden att visa för urvalet."
    if len(grupper) >= 2:  # a grid such as weekday × hour: its highest and lowest cell
        a, b = grupper[0], grupper[1]
        hog = visad.sort(v.kalla, descending=True).row(0, named=True)
        lag = visad.sort(v.kalla).row(0, named=True)
        return (
            f"{v.rubrik}: högst {hog[a.kalla]} {hog[b.kalla]} ({v.visning.text(hog[v.kalla])}), "
            f"lägst {lag[a.kalla]} {lag[b.kalla]} ({v.visning.text(lag[v.kalla])})."
        )
    g = grupper[0]
    negativa = visad[v.kalla].min() < 0
    storst = visad.sort(pl.col(v.kalla).abs() if negativa else pl.col(v.kalla), descending=True).head(3)
    delar = [f"{r[g.kalla]} ({v.visning.text(r[v.kalla])})" for r in storst.iter_rows(named=True)]
    return f"{v.rubrik}: {'störst' if negativa else 'högst'} för {_upprakning(delar)}."
