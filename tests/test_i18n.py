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


# Chinese punctuation in Chinese text: no ASCII , : ; ( ) ! ? next to a Chinese character, and
# no sentence of Chinese ending in an ASCII full stop.
HAN = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"  # Han, CJK punctuation, full-width forms
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%[sd]")
# What must stay ASCII: {…} (code, JSON), URLs, HTML tags, times (14:30) and ratios (1:2).
KEPT = re.compile(r"\{[^{}]*\}|https?://\S+|<[^>]+>|\d+\s*:\s*\d+")
ASCII_NEXT_TO_HAN = re.compile(rf"[{HAN}]\s*[,:;()!?]|[,:;()!?]\s*[{HAN}]|[{HAN}]\.(?!\w)")


def ascii_punctuation_in_chinese(text: str) -> list[str]:
    """The spots of `text` where ASCII punctuation touches Chinese (placeholders count as
    Chinese words: they are names and figures inside the sentence)."""
    if not re.search(f"[{HAN}]", text):
        return []
    text = PLACEHOLDER.sub("字", text.replace("%%", "%"))
    while (kept := KEPT.sub("", text)) != text:
        text = kept
    return ASCII_NEXT_TO_HAN.findall(text)


@pytest.mark.parametrize(
    ("text", "spots"),
    [
        ("保护期至 %(until)s。", []),
        ("%(name)s（%(phone)s）已报备", []),
        ("今年: %(amount)s", ["年:"]),
        ("%(name)s: 未分配小组", ["字:"]),
        ("已导入 %(n)s 行 (见下方)", ["行 (", "方)"]),
        ("成功!", ["功!"]),
        ("已保存.", ["存."]),
        ("上传 名单.xlsx 文件", []),
        ("请于 14:30 前到访，比例 1:2", []),
        ('{"字段": {"before": 原值}}', []),
        ("详见 https://example.com/a,b 说明", []),
        ("Every list (English only): fine", []),
    ],
)
def test_the_punctuation_check_finds_ascii_marks_touching_chinese(text, spots):
    assert ascii_punctuation_in_chinese(text) == spots


def test_zh_hans_translations_use_chinese_punctuation():
    entries = po_entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    offenders = {
        entry["msgid"]: text
        for entry in entries
        for key, text in entry.items()
        if key.startswith("msgstr") and ascii_punctuation_in_chinese(text)
    }
    assert offenders == {}
