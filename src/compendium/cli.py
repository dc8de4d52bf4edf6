"""Command line of the compendium: ``python -m compendium <command>`` (called by ``./run``).

Commands print one clear line per problem and exit non-zero; they never print a traceback
for a problem in the data or in a notebook.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from compendium import data
from compendium.book.build import (SEQUENTIAL_ENV, BuildError, JupyterBook, execute_stale, input_problems, is_built,
                                    mark_built, mark_fresh, output_target, sources_digest, toc_remarks)



#: argparse's messages, in French: a user's mistake on the command line («./run add-references»
#: without its file, «--parital») was answered in English. argparse looks each message up through
#: its module's ``_`` (gettext) when it prints it; the book's messages replace the ones it says.
ARGPARSE_FR = {
    "usage: ": "usage : ",
    "%(prog)s: error: %(message)s\n": "ERREUR %(prog)s : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s (faute de frappe ?)",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu : %(value)r (choix possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "valeur %r ignorée",
    "show this help message and exit": "affiche cette aide",
    "positional arguments": "arguments",
    "options": "options",
    "can't open '%(filename)s': %(error)s": "ouverture impossible de « %(filename)s » : %(error)s",
}


def _french_argparse() -> None:
    import gettext

    argparse._ = lambda message: ARGPARSE_FR.get(message) or gettext.gettext(message)


def _print_errors(exc: Exception) -> None:
    """An error of one or several lines (a table's problems, all at once): « ERREUR » before each."""
    for line in str(exc).splitlines() or [""]:
        print(f"ERREUR {line}", file=sys.stderr)

def agree(n: int, one: str, many: str) -> str:
    """:func:`compendium.prose.agree`, imported when a message needs it: the command must still
    run, and name the notebook and cell, when a module the kernels import is broken (prose)."""
    from compendium.prose import agree as _agree

    return _agree(n, one, many)


def _root(args) -> Path:
    return Path(args.root).resolve() if args.root else data.project_root()


def cmd_validate(args) -> int:
    root = _root(args)
    try:
        check = input_problems(root)
    except data.DataError as exc:
        _print_errors(exc)
        return 1
    for line in check.lines:
        print(line, file=sys.stderr)
    if check.errors:
        print(f"{check.summary()} : "
              f"{agree(len(check.errors), 'corrigez-le', 'corrigez-les')} puis relancez.",
              file=sys.stderr)
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
        _print_errors(exc)
        return 1
    for rel, seconds in sorted(report.seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {rel} : {seconds:.1f} s")
    if report.kernel_seconds:
        starts = ", ".join(f"{s:.1f} s" for s in report.kernel_seconds)
        print(f"  démarrage des noyaux (avec pandas, plotly et le paquet) : {starts}")
        print(f"exécution des carnets : {report.wall:.1f} s")
    print(f"carnets exécutés : {len(report.executed)} ; à jour : {len(report.fresh)}")
    mark_fresh(root)
    return 0


def cmd_build(args) -> int:
    root = _root(args)
    start = time.perf_counter()
    for line in toc_remarks(root):
        print(line)
    target = output_target(root, args.builder)

    def up_to_date(digest: str) -> bool:
        return is_built(root, args.builder, digest)

    # Something changed: Sphinx will run, so start it now; it imports its extensions and loads
    # its environment while the stale notebooks execute, then waits for them (see JupyterBook).
    # SEQUENTIAL_ENV=1 starts it after them instead (the benchmark compares both).
    early = None
    if args.builder == "html" and os.environ.get(SEQUENTIAL_ENV) != "1" and not up_to_date(sources_digest(root)):
        early = JupyterBook(root, "html", held=True)
    try:
        executed = cmd_execute(args) == 0
    except BaseException:
        if early:
            early.abort()
        raise
    if not executed:
        if early:
            early.abort()
        return 1
    digest = sources_digest(root)
    if up_to_date(digest):
        if early:
            early.abort()
        print(f"rien n'a changé depuis la dernière construction : {target}")
        return 0
    mark_built(root, args.builder, None)
    sphinx_start = time.perf_counter()
    if args.builder == "pdf":
        from compendium.book.pdf import build_pdf

        code = build_pdf(root)
    else:
        code = (early or JupyterBook(root, "html")).finish()
        if code == 0:
            print(f"livre HTML : {target}")
    if code == 0:
        mark_built(root, args.builder, digest)
        print(f"{'Sphinx et LaTeX' if args.builder == 'pdf' else 'Sphinx'} : {time.perf_counter() - sphinx_start:.1f} s")
        print(f"construit en {time.perf_counter() - start:.1f} s")
    return code


def cmd_codebook_qdc(args) -> int:
    from compendium.fieldwork.qda import codebook_to_qdc, codebook_to_taguette_csv

    root = _root(args)
    try:
        codebook = data.load_table("codebook", root)
    except data.DataError as exc:
        _print_errors(exc)
        return 1
    target = Path(args.output)
    # a .csv for Taguette, which imports a codebook from a CSV only
    taguette = target.suffix.lower() == ".csv"
    target.write_bytes(codebook_to_taguette_csv(codebook) if taguette else codebook_to_qdc(codebook))
    print(f"grille de codage exportée ({len(codebook)} codes{', pour Taguette' if taguette else ''}) : {target}")
    return 0


def cmd_pseudonymise(args) -> int:
    from compendium.fieldwork.privacy import PrivacyError, pseudonymise, read_deny_list, read_key, require_private

    root = _root(args)
    source, target = Path(args.transcript), Path(args.output)
    try:
        require_private(target, root)
        key = read_key(Path(args.key))
        deny = read_deny_list(Path(args.deny)) if args.deny else []
        text = source.read_text(encoding="utf-8-sig")
    except PrivacyError as exc:
        _print_errors(exc)
        return 1
    except OSError as exc:
        from compendium.prose import os_error

        print(f"ERREUR {source} : lecture impossible ({os_error(exc)})", file=sys.stderr)
        return 1
    except UnicodeDecodeError as exc:
        print(f"ERREUR {source} : {not_utf8(exc)}", file=sys.stderr)
        return 1
    result = pseudonymise(text, key, deny)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.text, encoding="utf-8")
    report = target.with_suffix(".rapport.md")
    report.write_text(result.report(source.name), encoding="utf-8")
    print(f"{agree(sum(result.replacements.values()), '{n} remplacement', '{n} remplacements')}, "
          f"{agree(len(result.suggestions), '{n} suggestion', '{n} suggestions')} à examiner ;"
          f" rapport : {report}")
    return 0


def not_utf8(exc: UnicodeDecodeError) -> str:
    """What to say of a text file that is not UTF-8, with the usual cause and its remedy."""
    return (f"encodage invalide à l'octet {exc.start} (UTF-8 attendu) ; un texte enregistré par Word ou le "
            "Bloc-notes sous Windows est souvent en Windows-1252 : réenregistrez-le en UTF-8 (Word : "
            "Enregistrer sous, Texte brut, codage Unicode (UTF-8) ; Bloc-notes : Encodage UTF-8)")


def cmd_import_transcript(args) -> int:
    """A transcript (WebVTT, SRT, noScribe HTML, Word .docx, .txt) into private/, pseudonymised."""
    from compendium.fieldwork.privacy import PrivacyError, read_deny_list, read_key
    from compendium.fieldwork.transcripts import TranscriptError, import_transcript, parse_roles

    root = _root(args)
    try:
        key = read_key(Path(args.key))
        deny = read_deny_list(Path(args.deny)) if args.deny else []
        result, used, turns = import_transcript(Path(args.transcript), Path(args.output), root, key, deny,
                                                parse_roles(args.roles))
    except (PrivacyError, TranscriptError) as exc:
        _print_errors(exc)
        return 1
    except UnicodeDecodeError as exc:
        print(f"ERREUR {args.transcript} : {not_utf8(exc)} ; rien n'a été écrit", file=sys.stderr)
        return 1
    print(f"{_n(len(turns), 'tour de parole', 'tours de parole')}, {_n(len(used), 'locuteur')} "
          f"({', '.join(sorted(set(used.values())))}) ; {_n(sum(result.replacements.values()), 'remplacement')}, "
          f"{_n(len(result.suggestions), 'suggestion')} à examiner ; rapport : "
          f"{Path(args.output).with_suffix('.rapport.md')}")
    return 0


def cmd_leak_check(args) -> int:
    from compendium.fieldwork.privacy import PrivacyError, leak_scan, read_deny_list, read_key, staged_leak_scan

    root = _root(args)
    try:
        terms = read_key(Path(args.key)) if args.key else []
        terms += read_deny_list(Path(args.deny)) if args.deny else []
        leaks = staged_leak_scan(root, terms) if args.staged else leak_scan(root, terms, args.paths or None)
    except PrivacyError as exc:
        _print_errors(exc)
        return 1
    for leak in leaks:
        print(f"FUITE {leak}", file=sys.stderr)
    if leaks and args.staged:
        print(f"{agree(len(leaks), '{n} fuite', '{n} fuites')} dans ce qui allait être enregistré : rien n'a été enregistré. Corrigez "
              "ces fichiers (ou retirez-les avec git restore --staged), puis recommencez.", file=sys.stderr)
        return 1
    if leaks:
        files = len({leak.path for leak in leaks})
        print(f"{agree(len(leaks), '{n} fuite', '{n} fuites')} dans {agree(files, '{n} fichier', '{n} fichiers')} : "
              "retirez ces données avant toute publication.", file=sys.stderr)
        return 1
    print(f"aucune fuite : {agree(len(terms), '{n} terme protégé', '{n} termes protégés')}, adresses, téléphones "
          "et chemins de fichiers locaux contrôlés.")
    return 0


def _n(count: int, singular: str, plural: str | None = None) -> str:
    """``3 codes``, ``1 code``, ``0 code`` (French: singular below 2)."""
    return f"{count} {singular if abs(count) < 2 else (plural or singular + 's')}"


def _run_import(args, codebook_only: bool) -> int:
    from compendium.fieldwork.qda import QdaImportError
    from compendium.fieldwork.qda_import import ImportFailed, group_skipped, import_project

    root = _root(args)
    source = Path(args.file)
    start = time.perf_counter()

    def rel(path: Path) -> str:
        try:
            return str(Path(path).relative_to(root))
        except ValueError:
            return str(path)

    try:
        result = import_project(root, source, name=args.projet,
                                taguette_codebook=Path(args.taguette_codebook) if getattr(args, "taguette_codebook", None) else None,
                                only_mapped=args.seulement_rattaches,
                                draft_interviews=getattr(args, "brouillon_entretiens", False),
                                codebook_only=codebook_only)
    except QdaImportError as exc:
        _print_errors(exc)
        return 1
    except data.DataError as exc:
        _print_errors(exc)
        return 1
    except ImportFailed as exc:
        for line in group_skipped(exc.report):
            print(f"ÉCARTÉ {line}", file=sys.stderr)
        for problem in exc.problems:
            print(f"ERREUR {problem}", file=sys.stderr)
        for path in exc.drafted:
            print(f"BROUILLON {rel(path)} : à relire et compléter", file=sys.stderr)
        print(f"{_n(len(exc.problems), 'problème')} : rien n'a été écrit dans data/. Corrigez puis relancez.",
              file=sys.stderr)
        return 1
    c, i = result.counts, result.imported
    print(f"projet « {result.project} » lu : {_n(c['sources'], 'source')}, {_n(c['codes'], 'code')}, "
          f"{_n(c['catégories'], 'catégorie')}, {_n(c['codages'], 'codage')}, {_n(c['codeurs'], 'codeur')}")
    grouped = group_skipped(result.report)
    # the report also says what the import made for you (a Taguette tag missing from the codebook,
    # a mapping row found again under a code's new GUID): remarks, not items left out
    remark = lambda line: "code créé" in line or "retrouvé" in line  # noqa: E731
    for line in grouped:
        print(f"{'REMARQUE' if remark(line) else 'ÉCARTÉ'} {line}")
    for path in result.drafted:
        print(f"BROUILLON {rel(path)} : table de correspondance à relire (hors git)")
    what = f"{_n(i['codes créés'], 'code créé', 'codes créés')} (origine « inductif », dont " \
           f"{_n(i['catégories créées'], 'catégorie')} ; {i['à définir']} sans définition, « à définir »), " \
           f"{_n(i['codes rattachés à la grille'], 'code rattaché', 'codes rattachés')} à la grille"
    if not codebook_only:
        what = f"{_n(i['segments'], 'segment')} pour {_n(i['entretiens'], 'entretien')} ; " + what
    left_out = sum(not remark(line) for line in result.report)
    print(f"importé : {what} ; {_n(left_out, 'élément écarté', 'éléments écartés')} ; "
          f"{', '.join(str(p.relative_to(root)) for p in result.written)} mis à jour "
          f"en {time.perf_counter() - start:.1f} s")
    return 0


def cmd_import_coding(args) -> int:
    """Import coded interviews from a REFI-QDA project (.qdpx) or a Taguette export (CSV)."""
    return _run_import(args, codebook_only=False)


def cmd_import_codebook(args) -> int:
    """Import the codebook alone of a REFI-QDA codebook (.qdc) or project (.qdpx)."""
    return _run_import(args, codebook_only=True)


def cmd_export_qdpx(args) -> int:
    """The book's coding as a REFI-QDA project, validated against Project.xsd."""
    from compendium.fieldwork.privacy import PrivacyError, require_private
    from compendium.fieldwork.qda_export import ExportError, export_qdpx

    root = _root(args)
    target = Path(args.output)
    try:
        if args.transcriptions:
            require_private(target, root)  # pseudonymised transcripts stay under private/
        result = export_qdpx(root, target, Path(args.transcriptions) if args.transcriptions else None)
    except (data.DataError, ExportError, PrivacyError) as exc:
        _print_errors(exc)
        return 1
    for line in result["skipped"]:
        print(f"NON EXPORTÉ {line}")
    print(f"projet REFI-QDA écrit (valide selon Project.xsd) : {_n(result['codes'], 'code')}, "
          f"{_n(result['documentaire'], 'segment documentaire', 'segments documentaires')}, "
          f"{_n(result['entretiens'], 'segment d’entretien', 'segments d’entretien')} : {target}")
    return 0


def cmd_import_back(args) -> int:
    """A .qdpx exported by export-qdpx, reviewed in a QDA tool, back into data/."""
    from compendium.fieldwork.qda import QdaImportError
    from compendium.fieldwork.qda_export import import_back
    from compendium.fieldwork.qda_import import ImportFailed

    root = _root(args)
    try:
        counts = import_back(root, Path(args.file))
    except (data.DataError, QdaImportError) as exc:
        _print_errors(exc)
        return 1
    except ImportFailed as exc:
        for problem in exc.problems:
            print(f"ERREUR {problem}", file=sys.stderr)
        print("rien n'a été écrit dans data/.", file=sys.stderr)
        return 1
    print(f"repris : {_n(counts['documentaire'], 'segment documentaire', 'segments documentaires')}, "
          f"{_n(counts['entretiens'], 'segment d’entretien', 'segments d’entretien')}")
    return 0


def cmd_serve(args) -> int:
    """Serve the book on localhost and rebuild it when a chapter, a table or the bibliography is
    saved: stale notebooks run in kernels kept between rebuilds, then Sphinx, then the page
    reloads (see :mod:`compendium.book.serve`)."""
    from compendium.book.serve import serve

    root = _root(args)
    if cmd_validate(args) != 0:
        return 1
    return serve(root, host=args.host, port=args.port, open_browser=args.open)


def cmd_metadata(args) -> int:
    """Derive the data package's contributors and .zenodo.json from CITATION.cff."""
    from compendium.metadata import MetadataError, stale_files, write

    root = _root(args)
    try:
        if args.check:
            stale = stale_files(root)
            for rel in stale:
                print(f"ERREUR {rel} ne correspond plus à CITATION.cff : lancez ./run metadata", file=sys.stderr)
            return 1 if stale else 0
        changed = write(root)
    except MetadataError as exc:
        _print_errors(exc)
        return 1
    print(f"métadonnées à jour ({', '.join(changed) or 'aucun changement'})")
    return 0


def cmd_add_references(args) -> int:
    """Add a Zotero export (BibTeX or BibLaTeX, Zotero or Better BibTeX) to references.bib."""
    from compendium.literature.references import ReferenceImportError, add_references

    root = _root(args)
    try:
        report = add_references(Path(args.file).resolve(), root, partial=args.partial)
    except ReferenceImportError as exc:
        for line in exc.problems:
            print(f"ERREUR {line}", file=sys.stderr)
        print(f"{agree(len(exc.problems), '{n} problème', '{n} problèmes')} : rien n'a été ajouté (references.bib et data/ sont inchangés). "
              "Corrigez dans Zotero et exportez à nouveau, ou relancez avec --partial pour ajouter les entrées "
              "sans problème.", file=sys.stderr)
        return 1
    for line in report.refused:
        print(f"ÉCARTÉE {line}", file=sys.stderr)
    n, k = len(report.added), len(report.already)
    if k:
        print(f"déjà dans references.bib : {k} référence{'s' if k > 1 else ''} de l'export, "
              f"laissée{'s' if k > 1 else ''} telle{'s' if k > 1 else ''} quelle{'s' if k > 1 else ''} "
              "(references.bib garde la notice vérifiée ; une correction faite depuis dans Zotero s'y reporte à la main)")
    if n or not k:
        print(f"{n} référence{'s' if n > 1 else ''} ajoutée{'s' if n > 1 else ''} à references.bib"
              + (f" ({', '.join(e.key for e in report.added[:5])}{'…' if n > 5 else ''})" if n else "")
              + " ; lignes « à vérifier » ajoutées à data/literature/ (verification, readings, screening, search_log).")
    else:
        print("rien à ajouter : references.bib et data/ sont inchangés.")
    if n:
        print("Étape suivante : ./run check-references liste ce qu'il reste à vérifier pour chacune.")
    return 0 if not report.refused else 2


def cmd_check_references(args) -> int:
    from compendium.literature.review import check_references

    root = _root(args)
    try:
        problems = check_references(root, strict=True)
    except data.DataError as exc:
        _print_errors(exc)
        return 1
    for problem in problems:
        print(f"À FAIRE {problem}", file=sys.stderr)
    if problems:
        keys = {p.key for p in problems}
        print(f"{agree(len(problems), '{n} point', '{n} points')} à régler sur "
              f"{agree(len(keys), '{n} référence', '{n} références')} ; le livre se construit quand même "
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


def cmd_presentation(args) -> int:
    from compendium.fieldwork.outreach import build_presentation

    return build_presentation(_root(args))


def main(argv: list[str] | None = None) -> int:
    _french_argparse()
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
    p_serve = sub.add_parser("serve", help="sert le livre en local et le reconstruit à chaque enregistrement")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--open", action="store_true", help="ouvre le navigateur")
    p_meta = sub.add_parser("metadata", help="dérive de CITATION.cff les contributeurs du paquet de données et .zenodo.json")
    p_meta.add_argument("--check", action="store_true", help="vérifie seulement que les fichiers sont à jour")
    sub.add_parser("presentation", help="construit la présentation d'une page jointe aux demandes d'entretien")
    p_ps = sub.add_parser("pseudonymise", help="pseudonymise une transcription (sortie sous private/ uniquement)")
    p_ps.add_argument("transcript", metavar="TRANSCRIPTION")
    p_ps.add_argument("output", metavar="SORTIE")
    p_ps.add_argument("--key", default="private/pseudonymes.csv", help="table des pseudonymes (colonnes nom,code,type ; défaut : private/pseudonymes.csv)")
    p_ps.add_argument("--deny", default=None, help="termes à masquer en plus de la table, un par ligne (# pour un commentaire)")
    p_tr = sub.add_parser("import-transcript", help="importe une transcription (.vtt, .srt, .html noScribe, .docx, "
                          ".txt) sous private/, locuteurs en rôles, pseudonymisée")
    p_tr.add_argument("transcript", metavar="TRANSCRIPTION")
    p_tr.add_argument("output", metavar="SORTIE")
    p_tr.add_argument("--key", default="private/pseudonymes.csv", help="table des pseudonymes (colonnes nom,code,type ; défaut : private/pseudonymes.csv)")
    p_tr.add_argument("--deny", default=None, help="termes à masquer en plus de la table, un par ligne (# pour un commentaire)")
    p_tr.add_argument("--roles", default=None, help="par ex. « S00=Enquêteur,S01=Participant »")
    p_leak = sub.add_parser("leak-check", help="cherche noms protégés, adresses, téléphones et chemins locaux dans data/ et ce qui est publié")
    p_leak.add_argument("--key", default=None, help="table des pseudonymes dont les noms sont cherchés (colonnes nom,code,type)")
    p_leak.add_argument("--deny", default=None, help="termes cherchés en plus de la table, un par ligne (# pour un commentaire)")
    p_leak.add_argument("--staged", action="store_true",
                        help="ce que git s'apprête à enregistrer (le crochet pre-commit) plutôt que data/ et le livre")
    p_leak.add_argument("paths", nargs="*")
    p_imp = sub.add_parser("import-coding", help="importe des entretiens codés (.qdpx REFI-QDA ou export CSV Taguette)")
    p_imp.add_argument("file", metavar="FICHIER")
    p_imp.add_argument("--taguette-codebook", default=None)
    p_imp.add_argument("--brouillon-entretiens", action="store_true",
                       help="prépare sous private/qda/ les lignes du fichier interviews.csv qui manquent")
    p_cbi = sub.add_parser("import-codebook", help="importe la grille de codes d'un .qdc (ou d'un .qdpx) REFI-QDA")
    p_cbi.add_argument("file", metavar="FICHIER")
    for p in (p_imp, p_cbi):
        p.add_argument("--projet", default=None, help="nom du projet d'origine (par défaut : celui du fichier)")
        p.add_argument("--seulement-rattaches", action="store_true",
                       help="n'importe que les codes rattachés à la grille dans private/qda/<projet>/codes.csv")
    p_qdc = sub.add_parser("codebook-qdc", help="exporte la grille de codage au format REFI-QDA (.qdc), ou en .csv pour Taguette")
    p_qdc.add_argument("output", nargs="?", default="grille.qdc")
    p_exp = sub.add_parser("export-qdpx", help="exporte le codage du livre en projet REFI-QDA (.qdpx)")
    p_exp.add_argument("output", nargs="?", default="codage-livre.qdpx")
    p_exp.add_argument("--transcriptions", default=None,
                       help="dossier des transcriptions pseudonymisées <entretien>.txt (sortie alors sous private/)")
    p_back = sub.add_parser("import-qdpx-retour", help="reprend dans data/ un export-qdpx revu dans un logiciel")
    p_back.add_argument("file", metavar="FICHIER")
    p_add = sub.add_parser("add-references", help="ajoute un export Zotero (.bib, BibTeX ou BibLaTeX) à references.bib")
    p_add.add_argument("file", metavar="FICHIER")
    p_add.add_argument("--partial", action="store_true",
                       help="ajoute les entrées sans problème et liste les autres")
    sub.add_parser("check-references", help="contrôles stricts de la bibliographie (vérification, lecture, tri)")
    args = parser.parse_args(argv)
    handler = {"validate": cmd_validate, "execute": cmd_execute, "build": cmd_build, "clean": cmd_clean,
               "metadata": cmd_metadata, "serve": cmd_serve,
               "codebook-qdc": cmd_codebook_qdc, "pseudonymise": cmd_pseudonymise, "leak-check": cmd_leak_check,
               "import-coding": cmd_import_coding, "import-codebook": cmd_import_codebook,
               "export-qdpx": cmd_export_qdpx, "import-transcript": cmd_import_transcript,
               "import-qdpx-retour": cmd_import_back, "presentation": cmd_presentation,
               "add-references": cmd_add_references, "check-references": cmd_check_references}
    return handler[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
