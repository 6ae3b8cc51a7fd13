"""Polish is complete and compiled: a missing translation shows English to Polish users."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES"


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n] and the fuzzy flag."""
    entries, current, field = [], {"flags": ""}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in current:
                entries.append(current)
            current, field = {"flags": ""}, None
        elif line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[field] += ast.literal_eval(line)
        else:
            field, _space, value = line.partition(" ")
            current[field] = ast.literal_eval(value)
    return entries


@pytest.fixture(scope="module")
def entries():
    return [entry for entry in po_entries(LOCALE / "django.po") if entry["msgid"]]


def test_every_message_is_translated(entries):
    untranslated = [
        entry["msgid"]
        for entry in entries
        if not all(value for key, value in entry.items() if key.startswith("msgstr"))
    ]
    assert untranslated == []


def test_no_translation_is_fuzzy(entries):
    assert [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]] == []


def test_compiled_catalogue_matches_the_source(entries):
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        context, _sep, msgid = (
            (entry["msgctxt"], "\x04", entry["msgid"])
            if "msgctxt" in entry
            else ("", "", entry["msgid"])
        )
        key = f"{context}\x04{msgid}" if context else msgid
        if "msgid_plural" in entry:
            compiled = catalogue._catalog.get((key, 0))
            expected = entry["msgstr[0]"]
        else:
            compiled = catalogue._catalog.get(key)
            expected = entry["msgstr"]
        if compiled != expected:
            stale.append(entry["msgid"])
    assert stale == [], "run `make messages` to compile locale/pl"


def test_polish_plural_forms_are_declared():
    header = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "nplurals=3;" in header
