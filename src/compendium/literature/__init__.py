"""The literature: the review's checks, PRISMA flow and concept matrix (``review``), and the
import of Zotero exports into ``references.bib`` (``references``)."""
