"""The interviews: sampling and outreach (``interviews``, ``outreach``), transcripts and
pseudonymisation (``transcripts``, ``privacy``), exchange with QDA tools (``qda``, ``qda_import``,
``qda_export``), the COREQ checklist (``reporting``) and the synthetic demonstration material
(``demo``)."""
