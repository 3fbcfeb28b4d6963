"""Board reports: highlight reports, the Commissioning Body's pack and procurement timetables as PDFs.

The parts, in the order data flows through them:

- ``catalogue``: which sections each kind of report may carry, and which are confidential;
- ``sections``: one small function per section, reading the other apps' data and returning plain,
  JSON-ready values (or None when the app or the data is not there, so the section is left out);
- ``snapshot``: the frozen data of one render, built from the chosen sections and the edition;
- ``charts``: server-side SVG drawn from the snapshot;
- ``fetcher``: the restricted URL fetcher (no network while rendering);
- ``pdf``: template to WeasyPrint bytes;
- ``services`` / ``selectors`` / ``permissions`` / ``forms`` / ``views``: the usual layers.
"""
