"""Spreadsheet downloads that open cleanly in Excel and run nothing when opened."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_cell(value) -> str:
    """One cell as text that no spreadsheet runs: a value starting with = + - @ (also after
    spaces, or as their full-width forms) or a tab or line break gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_STARTS) else text


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A private, dated CSV download; `filename` gets today's date and `.csv` appended."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read the Polish letters right
    # Every field quoted: opened with ";" as the separator (the Polish default), a value such
    # as "Maria Nowak;=1+1" stays one cell instead of splitting into a formula.
    writer = csv.writer(response, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_cell(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response
