// What Streamlit does not let Python set (WCAG 2.1 AA): page language, the framework's English labels, the menu's
// landmark and current page, and PageDown/PageUp for presentation clickers on APT-läge. Loaded once per browser tab
// by ui/tillganglighet.py; everything here re-applies itself when Streamlit redraws, so it needs no state from Python.
(() => {
  document.documentElement.lang = "sv";
  if (window.__vuTillganglighet) return;
  window.__vuTillganglighet = true;

  // Streamlit's own English strings that a user of this app can meet (aria-label, title or text) → Swedish.
  const ORD = {
    "Skip to main content": "Hoppa till huvudinnehållet",
    "Fullscreen": "Helskärm",
    "Close fullscreen": "Stäng helskärm",
    "Exit fullscreen": "Stäng helskärm",
    "Close": "Stäng",
    "Open": "Öppna",
    "Clear value": "Rensa valet",
    "Clear all": "Rensa alla",
    "Select all": "Välj alla",
    "Selected values": "Valda värden",
    "Collapse sidebar": "Dölj sidopanelen",
    "Expand sidebar": "Visa sidopanelen",
    "Sidebar": "Sidopanel",
    "Main menu": "Huvudmeny",
    "Running...": "Arbetar …",
    "Stop script": "Avbryt",
    "Link to heading": "Länk till rubriken",
    "No results": "Inga träffar",
    "Choose an option": "Välj",
    "Search": "Sök",
    "Download as CSV": "Ladda ner som CSV",
    "Dismiss": "Stäng",
    "Show/hide columns": "Visa eller dölj kolumner",
    "Page not found": "Sidan finns inte",
    "Upload": "Välj filer",
    "Browse files": "Välj filer",
    "Drag and drop files here": "Dra och släpp filer här",
    "Drag and drop file here": "Dra och släpp en fil här",
    "The page that you have requested does not seem to exist. Running the app's main page.":
      "Sidan du bad om finns inte. Startsidan visas i stället.",
  };
  // Labels Streamlit builds from the app's own text ("Help for Svarsfrekvens"): only the English start is replaced.
  const BORJAN = [
    ["Help for ", "Hjälp om "],
    ["Remove ", "Ta bort "],
    ["Shortcut ", "Kortkommando "],
  ];
  // Texts with a number in them (the file uploader's limit line: "100MB per file • CSV, XLSX").
  const MONSTER = [[/^(\d+)\s?MB per file/, "Högst $1 MB per fil"]];
  const ATTRIBUT = ["aria-label", "title", "placeholder"];
  const FALT = ATTRIBUT.map((a) => `[${a}]`).join(",");

  function oversattText(rot, avenMarkdown = false) {
    const gang = document.createTreeWalker(rot, NodeFilter.SHOW_TEXT);
    for (let n = gang.nextNode(); n; n = gang.nextNode()) {
      const t = n.nodeValue.trim();
      if (!t || (!avenMarkdown && n.parentElement.closest('[data-testid="stMain"] [data-testid="stMarkdownContainer"]'))) continue;
      if (Object.hasOwn(ORD, t)) n.nodeValue = n.nodeValue.replace(t, ORD[t]);
      else for (const [re, sv] of MONSTER) if (re.test(t)) n.nodeValue = n.nodeValue.replace(re, sv);
    }
  }

  function oversatt() {
    for (const e of document.querySelectorAll(FALT)) {
      for (const a of ATTRIBUT) {
        const v = e.getAttribute(a);
        if (!v) continue;
        if (Object.hasOwn(ORD, v)) e.setAttribute(a, ORD[v]);
        else for (const [en, sv] of BORJAN) if (v.startsWith(en)) e.setAttribute(a, sv + v.slice(en.length));
      }
    }
    // A Material icon in text ("lock_open icon") is decoration beside its words: hidden from screen readers.
    for (const e of document.querySelectorAll('span[role="img"][translate="no"][aria-label$=" icon"]')) {
      e.removeAttribute("role");
      e.removeAttribute("aria-label");
      e.setAttribute("aria-hidden", "true");
    }
    // Only framework chrome: the sidebar, the skip link, popups and dropdowns (never text the app itself wrote).
    for (const rot of document.querySelectorAll('[data-testid="stSkipToContent"], [data-baseweb="popover"], [role="listbox"], [role="dialog"]')) {
      oversattText(rot);
    }
    // The file uploader's own button and limit line (its button label is drawn as Markdown, but never the app's text).
    for (const rot of document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')) oversattText(rot, true);
  }

  // The app draws its own page menu (ui/inloggning.navigation): a navigation landmark naming the current page.
  function meny() {
    const m = document.querySelector(".st-key-vu_meny");
    if (!m) return;
    if (m.getAttribute("role") !== "navigation") {
      m.setAttribute("role", "navigation");
      m.setAttribute("aria-label", "Sidor");
    }
    // Page links are relative ("telefoni"); the default page's is empty and is current when no other link matches
    // (the app may live under a base path, so the address itself is not compared with "/").
    const har = location.pathname.replace(/\/+$/, "").split("/").pop();
    const lankar = [...m.querySelectorAll("a[href]")];
    const mal = (a) => (a.getAttribute("href") || "").replace(/[?#].*$/, "").replace(/\/+$/, "").split("/").pop();
    const traff = lankar.some((a) => mal(a) && mal(a) === har);
    for (const a of lankar) {
      if (traff ? mal(a) === har : mal(a) === "") a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  // An APT slide that needs more room than the window scrolls inside itself: then it must be reachable by keyboard
  // (WCAG 2.1.1) and named, so it gets a tab stop only while it scrolls.
  function rullbarBild() {
    const bild = document.querySelector(".st-key-apt_bild");
    if (!bild) return;
    if (bild.scrollHeight > bild.clientHeight + 1) {
      if (bild.getAttribute("tabindex") !== "0") {
        bild.setAttribute("tabindex", "0");
        bild.setAttribute("role", "region");
        bild.setAttribute("aria-label", "Bilden");
      }
    } else if (bild.hasAttribute("tabindex")) {
      bild.removeAttribute("tabindex");
      bild.removeAttribute("role");
      bild.removeAttribute("aria-label");
    }
  }

  function allt() {
    document.documentElement.lang = "sv";
    oversatt();
    meny();
    rullbarBild();
  }

  let vantar = false;
  new MutationObserver(() => {
    if (vantar) return;
    vantar = true;
    setTimeout(() => {
      vantar = false;
      allt();
    }, 60);
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "title", "placeholder"] });
  allt();
  window.addEventListener("resize", rullbarBild);

  // APT-läge: a presentation clicker sends PageDown/PageUp; they press the visible Nästa/Föregående buttons.
  document.addEventListener("keydown", (h) => {
    if (h.key !== "PageDown" && h.key !== "PageUp") return;
    const mal = h.target;
    // keys typed into a text field or an open list stay there; a checkbox or button does nothing with PageDown anyway
    const skriver =
      mal.isContentEditable ||
      (mal.closest && mal.closest("textarea, select, [role='listbox'], [role='combobox']")) ||
      (mal.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(mal.type));
    if (skriver) return;
    const knapp = document.querySelector(h.key === "PageDown" ? ".st-key-apt_nasta button" : ".st-key-apt_foregaende button");
    if (!knapp) return;
    h.preventDefault();
    knapp.click();
  });
})();
