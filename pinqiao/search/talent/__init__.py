"""Talent search (SRCH-2): recruiters search the résumés they may see.

* ``index``: the résumé index (a second ``engine.Source``): which résumés, which fields.
* ``receivers``: every change to a résumé, its visibility or its blocked list queues it.
* ``params``: one parser for the page and the API.
* ``selectors``: who may search, the search itself, the database re-check, masked cards.
* ``services``: a search as a recruiter runs it: access, limits, the search log (RES-7).
* ``api``, ``views``, ``forms``: ``GET /api/v1/talent/search`` and ``/talent/``.

See docs/decisions/0010-search.md, "Talent search".
"""
