"""Hostile values a person (or a script) can put in a form or a query string."""

HOSTILE = {
    "empty": "",
    "blank": "   ",
    "long": "x" * 10_000,
    "nul": "a\x00b",
    "1e309": "1e309",
    "nan": "NaN",
    "negative": "-1",
    "huge": "99999999999999999999",
    "far-future": "9999-12-31",
    "year-one": "0001-01-01",
    "impossible-date": "2026-02-30",
    "markup": "<script>alert(1)</script>",
    "sql": "' OR 1=1 --",
    "unicode": "\u202e\ufeff\U0001f600",
}

# Query-string names the list pages read, besides their filters' own: paging, years, choices from links.
COMMON_PARAMS = [
    "page",
    "year",
    "fy",
    "sort",
    "o",
    "q",
    "programme",
    "round",
    "group",
    "status",
    "as_at",
    "threshold",
    "show",
    "edition",
    "format",
]
