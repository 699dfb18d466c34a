"""Where each report is built: one module per report kind, each reading the database for its
reader and handing back the report model (``reports.report_model.Report``) that the page, the
PDF, the CSV downloads and ``evenly report`` all render.

- ``visit.build_visit``: one audit's visit report.
- ``branch.build_branch``: a branch's report over a period.
- ``headoffice.build_headoffice``: head office's report, every branch compared.
- ``period``: what the two period reports share (rows and analysis, the period's label).
- ``branch_batch.branch_pdfs``: every branch's PDF in one process (``evenly report branch --all``).
- ``planning``: what the analysis knows of each branch, for planning visits by precision.
- ``home``: the start pages' glance at branches (latest score, trend, shifts, moves).

They raise ``reports.errors`` (never web exceptions); the interface translation comes in as
``_`` because the catalogs belong to the web.
"""
