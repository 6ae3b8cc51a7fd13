"""Spreadsheet downloads that open cleanly in Excel and run nothing when opened."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ (or a tab or carriage return) would run as a formula.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(*, filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A private, dated CSV download; `filename` gets today's date and `.csv` appended."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read the Polish letters right
    writer = csv.writer(response)
    writer.writerow([str(title) for title in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response
