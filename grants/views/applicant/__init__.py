"""The applicant portal: programmes and calls, the application in steps, and one page per
application from submission to the closed file.

Every view starts with an access helper from ``access``: ``_application`` (members of the
applicant, 404 for anyone else) or ``_editable`` (the same, and only while the application may
be changed). Views parse input, call one service, and show a refused step's German messages
next to the form; they never change a lifecycle themselves.

The views, by page group:

- ``overview``: programmes, Leichte Sprache, dashboard;
- ``form``: start, the five steps, live plan totals, check and submit, receipt;
- ``files``: the attachments step, attachment and letter downloads, deleting an attachment;
- ``detail``: the application page, withdrawal, waiver of appeal, calls for funds;
- ``proof``: proof of use, receipts and documents for it.

What they share: ``common`` (next step, plan figures, open request), ``timeline`` (the history
in plain language) and ``checklist`` (what still stops a submission).
"""
