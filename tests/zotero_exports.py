"""Seeded, fictitious Zotero exports in the four flavours, shaped as each exporter writes them.

Shapes followed (read in the exporters' code and test fixtures):
- Zotero «BibTeX» (zotero/translators BibTeX.js): tab indent, keys ``family_word_year`` (``_nodate``
  when undated), capitalised words of titles brace-protected, ``journal``/``year``/``month = aug``,
  a trailing comma after the last field, Zotero's Extra lines in ``note`` («Publisher: …»),
  ``file = {Full Text PDF:/home/…/Zotero/storage/…:application/pdf}``, ``@phdthesis`` with
  ``type``/``school``, web pages as ``@misc`` with ``howpublished = {\\url{…}}``.
- Zotero «BibLaTeX» (BibLaTeX.js): tab indent, ``journaltitle``, ``date``, ``location``, ``@online``,
  ``@thesis`` with ``type = {phdthesis}`` and ``institution``, ``@report``, ``eventtitle``.
- Better BibTeX: two-space indent, ``AuthorYearWord`` keys (hyphens, colons and accents allowed),
  LaTeX-escaped accents (``{\\'E}``), ``month = mar``, no comma after the last field.
- Better BibLaTeX (retorquere/zotero-better-bibtex fixtures, e.g. «Book converted to mvbook
  #288», «(non-)dropping particle handling #313»): ``{{…}}`` for protected words and literal
  publishers/locations, extended names ``family=…, given=…, prefix=…, useprefix=…``,
  ``options = {useprefix=true}``, ``@mvbook`` with ``volumes``, ``@collection``, ``langid``.

Every person, organisation and title here is made up (``Données fictives``).
"""

from __future__ import annotations

import random

FLAVOURS = ("zotero-bibtex", "zotero-biblatex", "bbt-bibtex", "bbt-biblatex")
GIVEN = ["Anne", "Édouard", "Hélène", "Jérôme", "Maëlle", "Noël", "Sébastien", "Zoé", "Lucas", "Inès", "Thibault"]
FAMILY = ["Fictif", "Lemoine-Test", "Barré", "Quéméner", "Rivière", "Lestang", "Morvan", "Tanguy", "Perrot",
          "Aubrac", "Villeneuve", "Zolan"]
PARTICLE = [("de", "Saint-Ours"), ("de", "Lacombe"), ("d'", "Arvor"), ("van", "Gelder-Fictief"), ("du", "Plessis")]
CORPORATE = ["Métropole Fictive", "Agence Fictive des Données Urbaines", "Institut Imaginaire du Territoire"]
WORDS = ["plateforme", "jumeau numérique", "écosystème", "territoire", "données ouvertes", "gouvernance",
         "maquette 3D", "innovation", "RUDI", "ville intelligente", "interopérabilité", "tiers de confiance"]
JOURNALS = ["Revue Fictive de Gestion", "Journal of Imaginary Urban Studies", "Cahiers Inventés du Territoire"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
KINDS = ["article", "article", "article", "book", "mvbook", "chapter", "paper", "phd", "master", "web", "report",
         "collection"]


def _work(rng: random.Random, i: int) -> dict:
    kind = KINDS[i % len(KINDS)]
    people = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        r = rng.random()
        if r < 0.2:
            prefix, family = rng.choice(PARTICLE)
            people.append(("person", rng.choice(GIVEN), family, prefix))
        elif r < 0.3:
            people.append(("corporate", None, rng.choice(CORPORATE), None))
        else:
            people.append(("person", rng.choice(GIVEN), rng.choice(FAMILY), None))
    title_words = rng.sample(WORDS, 3)
    title = (f"Étude {i} : {title_words[0]} et {title_words[1]}, le cas de Rennes "
             f"({title_words[2]})").replace("  ", " ")
    undated = kind == "web" and (i // 12) % 2 == 0
    return {
        "i": i, "kind": kind, "people": people, "title": title,
        "year": None if undated else str(1995 + rng.randrange(30)),
        "month": rng.randrange(12) + 1, "day": rng.randrange(28) + 1,
        "journal": rng.choice(JOURNALS), "volume": str(rng.randrange(1, 90)), "issue": str(rng.randrange(1, 6)),
        "pages": f"{(p := rng.randrange(1, 300))}--{p + rng.randrange(5, 30)}",
        "doi": f"10.{5000 + i}/fictif.{i:04d}" if kind in ("article", "chapter", "paper") and i % 3 else None,
        "publisher": rng.choice(["Presses Fictives", "Éditions Imaginaires", "Fictional & Sons"]),
        "place": rng.choice(["Rennes", "Saint-Étienne", "Paris"]),
        "editors": [("person", rng.choice(GIVEN), rng.choice(FAMILY), None)],
        "booktitle": f"Actes fictifs {i} sur les {title_words[0]}s",
        "school": "Université Fictive de Rennes", "volumes": str(rng.randrange(2, 5)),
        "url": f"https://exemple.invalid/ressource/{i}", "urldate": f"2025-08-{(i % 28) + 1:02d}",
    }


def _key(w: dict, flavour: str) -> str:
    kind, first = w["kind"], w["people"][0]
    family = first[2].split()[0].lower().replace("'", "") if first[0] == "person" else first[2].split()[0].lower()
    if flavour.startswith("zotero"):
        word = w["title"].split()[0].lower()
        return f"{family}_{word}_{w['year'] or 'nodate'}_{w['i']}"
    base = family.capitalize()
    sep = [":", "-", ""][w["i"] % 3]
    return f"{base}{w['year'] or ''}{sep}Étude{w['i']}" if kind != "web" else f"{base}{sep}Page{w['i']}"


def _name(p: tuple, flavour: str) -> str:
    kind, given, family, prefix = p
    if kind == "corporate":
        return "{" + family + "}"
    if flavour == "bbt-biblatex" and prefix:
        return f"family={family}, given={given}, prefix={prefix}, useprefix=false"
    if flavour == "bbt-bibtex":
        given = given.replace("É", "{\\'E}").replace("é", "{\\'e}").replace("ë", '{\\"e}').replace("è", "{\\`e}")
    if prefix and flavour == "zotero-bibtex":
        return f"{family}, {given} {prefix}"  # Zotero: particle typed with the given name
    if prefix:
        return f"{prefix} {family}, {given}"
    return f"{family}, {given}"


def _names(people: list, flavour: str) -> str:
    return " and ".join(_name(p, flavour) for p in people)


def _protect(title: str, flavour: str) -> str:
    if flavour == "zotero-bibtex":
        return " ".join("{" + w + "}" if w[:1].isupper() and len(w) > 1 else w for w in title.split(" "))
    if flavour == "bbt-bibtex":
        return title.replace("RUDI", "{RUDI}").replace("Rennes", "{Rennes}").replace("3D", "{3D}")
    if flavour == "bbt-biblatex":
        return title.replace("RUDI", "{{RUDI}}").replace("Rennes", "{{Rennes}}").replace("3D", "{{3D}}")
    return title


def entry(w: dict, flavour: str) -> str:
    latex = flavour.endswith("biblatex")
    bbt = flavour.startswith("bbt")
    kind = w["kind"]
    f: list[tuple[str, str]] = [("title", _protect(w["title"], flavour))]
    lit = (lambda s: "{" + s + "}") if flavour == "bbt-biblatex" else (lambda s: s)
    esc = (lambda s: s.replace("&", "\\&")) if not latex or not bbt else (lambda s: s.replace("&", "\\&"))
    types = {"article": "article", "book": "book", "mvbook": "mvbook" if flavour == "bbt-biblatex" else "book",
             "chapter": "incollection", "paper": "inproceedings",
             "phd": "thesis" if latex else "phdthesis", "master": "thesis" if latex else "mastersthesis",
             "web": "online" if latex else "misc", "report": "report" if latex else "techreport",
             "collection": "collection" if flavour == "bbt-biblatex" else "book"}
    etype = types[kind]
    role = "editor" if kind == "collection" else "author"
    f.append((role, _names(w["people"], flavour)))
    if kind == "article":
        f.append(("journaltitle" if latex else "journal", w["journal"]))
        f += [("volume", w["volume"]), ("number", w["issue"]), ("pages", w["pages"])]
    if kind in ("book", "mvbook", "collection"):
        f += [("publisher", lit(esc(w["publisher"]))), ("location" if latex else "address", lit(w["place"]))]
        f.append(("isbn", f"978-2-{w['i']:04d}-{w['i'] % 10}"))
        if kind == "mvbook":
            f.append(("volumes", w["volumes"]))
    if kind in ("chapter", "paper"):
        f += [("booktitle", w["booktitle"]), ("editor", _names(w["editors"], flavour)),
              ("pages", w["pages"]), ("publisher", lit(esc(w["publisher"])))]
        if kind == "paper" and latex:
            f.append(("eventtitle", f"Colloque fictif {w['i']}"))
        if kind == "chapter":
            f.append(("location" if latex else "address", lit(w["place"])))
    if kind in ("phd", "master"):
        label = {"phd": ("phdthesis" if latex else "Thèse de doctorat"),
                 "master": ("mathesis" if latex else "Mémoire de master")}[kind]
        f += [("type", label), ("institution" if latex else "school", lit(w["school"]))]
    if kind == "report":
        f += [("type", "Rapport d'étude"), ("number", w["issue"]), ("institution", lit(w["publisher"]))]
    if kind == "web":
        if latex:
            f += [("url", w["url"]), ("urldate", w["urldate"]), ("organization", "Site fictif")]
        else:
            f += [("howpublished", "\\url{" + w["url"] + "}"), ("urldate", w["urldate"])]
    if w["year"]:
        if latex:
            f.append(("date", f"{w['year']}-{w['month']:02d}-{w['day']:02d}" if kind == "article" else w["year"]))
        else:
            f.append(("year", w["year"]))
            if kind == "article":
                f.append(("month", MONTHS[w["month"] - 1]))  # bare macro
    if w["doi"]:
        f.append(("doi", w["doi"]))
        f.append(("url", f"https://doi.org/{w['doi']}"))
    if not bbt:
        f.append(("note", f"Publisher: {w['publisher']}\nPlace: {w['place']}\nISSN: 1234-567X"))
    f.append(("keywords", "plateforme, territoire"))
    f.append(("abstract", "Résumé fictif de l'auteur, à ne pas importer."))
    f.append(("file", f"Full Text PDF:/home/chercheuse/Zotero/storage/AB{w['i']:04d}CD/etude.pdf:application/pdf"
              if not bbt else f"/Users/chercheuse/Zotero/storage/AB{w['i']:04d}CD/etude.pdf"))
    if flavour == "bbt-biblatex":
        f.append(("langid", "french"))
        if any(p[3] for p in w["people"]):
            f.append(("options", "useprefix=false"))
    indent = "\t" if not bbt else "  "
    body = (",\n").join(f"{indent}{k} = {{{v}}}" if not (k == "month") else f"{indent}{k} = {v}" for k, v in f)
    trailing = "," if not bbt else ""
    return f"@{etype}{{{_key(w, flavour)},\n{body}{trailing}\n}}\n"


def export(flavour: str, n: int = 200, seed: int = 12, bom: bool = False, crlf: bool = False) -> str:
    """A whole export of ``n`` fictitious works in ``flavour``."""
    rng = random.Random(f"{seed}-{flavour}")
    works = [_work(rng, i) for i in range(1, n + 1)]
    text = ("\n" if flavour.startswith("zotero") else "\n\n").join(entry(w, flavour) for w in works)
    if crlf:
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if bom else "") + text
