"""The zh-hans catalogue translates every string, and the compiled .mo files are the .po files
as they stand (a forgotten `make messages` would ship the old translations)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
ENTRY_KEYS = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: {"msgid": ..., "msgstr": ..., "fuzzy": bool, ...}."""
    entries, entry, key = [], {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry["fuzzy"] = "fuzzy" in line
        elif match := ENTRY_KEYS.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_the_parser_reads_multiline_and_plural_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Header"\n\n#, fuzzy\nmsgid "a"\n"b"\nmsgstr ""\n"甲乙"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "个"\n',
        encoding="utf-8",
    )
    assert po_entries(po) == [
        {"fuzzy": True, "msgid": "ab", "msgstr": "甲乙"},
        {"msgid": "one", "msgid_plural": "many", "msgstr[0]": "个"},
    ]


def test_every_zh_hans_string_is_translated_and_none_is_fuzzy():
    entries = po_entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 900
    untranslated = [
        e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]")) or e.get("fuzzy")
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_compiled_catalogue_matches_its_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in po_entries(folder / "django.po"):
        if entry.get("fuzzy") or "msgid_plural" in entry or not entry.get("msgstr"):
            continue
        msgid = entry["msgid"]
        got = compiled.pgettext(entry["msgctxt"], msgid) if "msgctxt" in entry else None
        got = got if got is not None else compiled.gettext(msgid)
        if got != entry["msgstr"]:
            stale.append(msgid)
    assert stale == [], "run `make messages` (compilemessages)"
