"""Command line of the compendium: ``python -m compendium <command>`` (called by ``./run``).

Commands print one clear line per problem and exit non-zero; they never print a traceback
for a problem in the data or in a notebook.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from compendium import data
from compendium.build import BuildError, execute_stale, run_jupyter_book, sources_digest


def _root(args) -> Path:
    return Path(args.root).resolve() if args.root else data.project_root()


def cmd_validate(args) -> int:
    root = _root(args)
    try:
        problems = data.validate_package(root)
    except data.DataError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"ERREUR {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problème(s) dans data/ : corrigez-les puis relancez.", file=sys.stderr)
        return 1
    package = data.read_package(root)
    rows = sum(len(t.rows) for t in package.tables.values())
    print(f"data/ valide : {len(package.tables)} tables, {rows} lignes.")
    return 0


def cmd_execute(args) -> int:
    root = _root(args)
    if cmd_validate(args) != 0:
        return 1
    try:
        report = execute_stale(root, force=args.force)
    except BuildError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    print(f"carnets exécutés : {len(report.executed)} ; à jour : {len(report.fresh)}")
    return 0


def cmd_build(args) -> int:
    root = _root(args)
    start = time.perf_counter()
    if cmd_execute(args) != 0:
        return 1
    stamp = root / "_build" / f".{args.builder}-inputs.sha256"
    digest = sources_digest(root)
    target = root / "_build" / ("livre.pdf" if args.builder == "pdf" else "html/index.html")
    if target.is_file() and stamp.is_file() and stamp.read_text() == digest:
        print(f"rien n'a changé depuis la dernière construction : {target}")
        return 0
    stamp.unlink(missing_ok=True)
    if args.builder == "pdf":
        from compendium.pdf import build_pdf

        code = build_pdf(root)
    else:
        code = run_jupyter_book(root, "html")
        if code == 0:
            print(f"livre HTML : {target}")
    if code == 0:
        stamp.write_text(digest)
        print(f"construit en {time.perf_counter() - start:.1f} s")
    return code


def cmd_codebook_qdc(args) -> int:
    from compendium.qda import codebook_to_qdc

    root = _root(args)
    try:
        codebook = data.load_table("codebook", root)
    except data.DataError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    target = Path(args.output)
    target.write_bytes(codebook_to_qdc(codebook))
    print(f"grille de codage exportée ({len(codebook)} codes) : {target}")
    return 0


def cmd_pseudonymise(args) -> int:
    from compendium.privacy import PrivacyError, pseudonymise, read_deny_list, read_key, require_private

    root = _root(args)
    source, target = Path(args.transcript), Path(args.output)
    try:
        require_private(target, root)
        key = read_key(Path(args.key))
        deny = read_deny_list(Path(args.deny)) if args.deny else []
        text = source.read_text(encoding="utf-8-sig")
    except PrivacyError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"ERREUR {source} : lecture impossible ({exc})", file=sys.stderr)
        return 1
    result = pseudonymise(text, key, deny)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.text, encoding="utf-8")
    report = target.with_suffix(".rapport.md")
    report.write_text(result.report(source.name), encoding="utf-8")
    print(f"{sum(result.replacements.values())} remplacement(s), {len(result.suggestions)} suggestion(s) à examiner ;"
          f" rapport : {report}")
    return 0


def cmd_leak_check(args) -> int:
    from compendium.privacy import PrivacyError, leak_scan, read_deny_list, read_key

    root = _root(args)
    try:
        terms = read_key(Path(args.key)) if args.key else []
        terms += read_deny_list(Path(args.deny)) if args.deny else []
    except PrivacyError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    leaks = leak_scan(root, terms, args.paths or None)
    for leak in leaks:
        print(f"FUITE {leak}", file=sys.stderr)
    if leaks:
        print(f"{len(leaks)} fuite(s) : retirez ces données avant toute publication.", file=sys.stderr)
        return 1
    print(f"aucune fuite : {len(terms)} terme(s) protégé(s), adresses et téléphones contrôlés.")
    return 0


def cmd_import_coding(args) -> int:
    """Import coded interviews from a REFI-QDA project (.qdpx) or a Taguette export (CSV)."""
    import csv as _csv

    from compendium.interviews import merge_segments, segments_from_project
    from compendium.qda import QdaImportError, read_qdpx, read_taguette

    root = _root(args)
    source = Path(args.file)
    try:
        codebook = data.load_table("codebook", root)
        interviews = data.load_table("interviews", root)
        existing = data.load_table("interview_segments", root)
        if source.suffix.lower() == ".qdpx":
            project = read_qdpx(source)
        elif source.suffix.lower() == ".csv":
            project = read_taguette(source, Path(args.taguette_codebook) if args.taguette_codebook else None)
        else:
            print(f"ERREUR {source} : format non reconnu (attendu : .qdpx ou export CSV de Taguette)", file=sys.stderr)
            return 1
    except (data.DataError, QdaImportError) as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    segments, report = segments_from_project(project, codebook)
    unknown = sorted(set(segments["interview_id"]) - set(interviews["id"]))
    if unknown:
        print(f"ERREUR {source} : documents sans entretien correspondant dans data/interviews/interviews.csv : "
              f"{', '.join(unknown)} (nommez chaque document du code de son entretien et ajoutez l'entretien)",
              file=sys.stderr)
        return 1
    merged = merge_segments(existing, segments)
    columns = [f["name"] for f in data.get_table("interview_segments", root).fields]
    target = root / "data" / "interviews" / "segments.csv"
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = _csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in merged[columns].itertuples(index=False):
            writer.writerow(["" if (v is None or (isinstance(v, float) and v != v)) else
                             (int(v) if isinstance(v, float) and v.is_integer() else v) for v in row])
    for line in report:
        print(f"ÉCARTÉ {line}")
    per = segments.groupby("interview_id").size()
    print(f"{len(segments)} segment(s) importé(s) pour {len(per)} entretien(s) ; {len(report)} élément(s) écarté(s) ;"
          f" {target.relative_to(root)} mis à jour")
    return 0 if data.validate_package(root) == [] else cmd_validate(args)


def cmd_add_references(args) -> int:
    """Add a Zotero export (BibTeX or BibLaTeX, Zotero or Better BibTeX) to references.bib."""
    from compendium.references import ReferenceImportError, add_references

    root = _root(args)
    try:
        report = add_references(Path(args.file).resolve(), root, partial=args.partial)
    except ReferenceImportError as exc:
        for line in exc.problems:
            print(f"ERREUR {line}", file=sys.stderr)
        print(f"{len(exc.problems)} problème(s) : rien n'a été ajouté (references.bib et data/ sont inchangés). "
              "Corrigez dans Zotero et exportez à nouveau, ou relancez avec --partial pour ajouter les entrées "
              "sans problème.", file=sys.stderr)
        return 1
    for line in report.refused:
        print(f"ÉCARTÉE {line}", file=sys.stderr)
    n = len(report.added)
    print(f"{n} référence{'s' if n > 1 else ''} ajoutée{'s' if n > 1 else ''} à references.bib"
          + (f" ({', '.join(e.key for e in report.added[:5])}{'…' if n > 5 else ''})" if n else "")
          + " ; lignes « à vérifier » ajoutées à data/literature/ (verification, readings, screening, search_log).")
    if n:
        print("Étape suivante : ./run check-references liste ce qu'il reste à vérifier pour chacune.")
    return 0 if not report.refused else 2


def cmd_check_references(args) -> int:
    from compendium.literature import check_references

    root = _root(args)
    try:
        problems = check_references(root, strict=True)
    except data.DataError as exc:
        print(f"ERREUR {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"À FAIRE {problem}", file=sys.stderr)
    if problems:
        keys = {p.key for p in problems}
        print(f"{len(problems)} point(s) à régler sur {len(keys)} référence(s) ; le livre se construit quand même "
              "et les liste dans l'annexe « Références à vérifier ».", file=sys.stderr)
        return 1
    print("bibliographie vérifiée : chaque référence a sa vérification, sa lecture et sa décision de tri.")
    return 0


def cmd_clean(args) -> int:
    root = _root(args)
    for folder in ("_build", ".jupyter_cache"):
        shutil.rmtree(root / folder, ignore_errors=True)
    print("_build/ supprimé (les sorties des carnets restent valides : leurs empreintes sont contrôlées).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="compendium", description=__doc__)
    parser.add_argument("--root", help="dossier du projet (par défaut : celui qui contient data/datapackage.json)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="contrôle toutes les tables de data/ et liste chaque problème")
    p_exec = sub.add_parser("execute", help="exécute les carnets dont le code ou les données ont changé")
    p_exec.add_argument("--force", action="store_true", help="exécute tous les carnets")
    p_build = sub.add_parser("build", help="exécute ce qui doit l'être puis construit le livre")
    p_build.add_argument("builder", choices=["html", "pdf"])
    p_build.add_argument("--force", action="store_true", help="exécute tous les carnets")
    sub.add_parser("clean", help="supprime _build/")
    p_ps = sub.add_parser("pseudonymise", help="pseudonymise une transcription (sortie sous private/ uniquement)")
    p_ps.add_argument("transcript")
    p_ps.add_argument("output")
    p_ps.add_argument("--key", default="private/pseudonymes.csv")
    p_ps.add_argument("--deny", default=None)
    p_leak = sub.add_parser("leak-check", help="cherche noms protégés, adresses et téléphones dans data/ et le livre")
    p_leak.add_argument("--key", default=None)
    p_leak.add_argument("--deny", default=None)
    p_leak.add_argument("paths", nargs="*")
    p_imp = sub.add_parser("import-coding", help="importe des entretiens codés (.qdpx REFI-QDA ou export CSV Taguette)")
    p_imp.add_argument("file")
    p_imp.add_argument("--taguette-codebook", default=None)
    p_qdc = sub.add_parser("codebook-qdc", help="exporte la grille de codage au format REFI-QDA (.qdc)")
    p_qdc.add_argument("output", nargs="?", default="grille.qdc")
    p_add = sub.add_parser("add-references", help="ajoute un export Zotero (.bib, BibTeX ou BibLaTeX) à references.bib")
    p_add.add_argument("file")
    p_add.add_argument("--partial", action="store_true",
                       help="ajoute les entrées sans problème et liste les autres")
    sub.add_parser("check-references", help="contrôles stricts de la bibliographie (vérification, lecture, tri)")
    args = parser.parse_args(argv)
    handler = {"validate": cmd_validate, "execute": cmd_execute, "build": cmd_build, "clean": cmd_clean,
               "codebook-qdc": cmd_codebook_qdc, "pseudonymise": cmd_pseudonymise, "leak-check": cmd_leak_check,
               "import-coding": cmd_import_coding, "add-references": cmd_add_references,
               "check-references": cmd_check_references}
    return handler[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
