import csv
import io

import pytest

from cluster_portal.core.csv_export import csv_response

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _export(*rows) -> str:
    response = csv_response(filename="export", header=["Name", "Phone"], rows=rows)
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_formula_inside_a_field_stays_text_whatever_the_separator(delimiter):
    text = _export(["Maria Nowak;=1+1", "+48 600 000 000"], ["Jan,=SUM(A1:A9)", "-5"])

    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]

    assert cells, "the export is empty"
    assert [cell for cell in cells if cell.lstrip(" ").startswith(DANGEROUS_STARTS)] == []


def test_every_field_is_quoted_and_dangerous_starts_are_defused():
    text = _export(["Maria Nowak;=1+1", "+48 600 000 000"], [" @cmd", None])

    assert text.splitlines() == [
        '"Name","Phone"',
        '"Maria Nowak;=1+1","\'+48 600 000 000"',
        '"\' @cmd",""',
    ]


def test_the_download_is_private_and_dated():
    response = csv_response(filename="members", header=["Name"], rows=[])

    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="members-20')
