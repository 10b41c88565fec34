"""Pinyin initials (拼音首字母) of a name, for searching people as Chinese offices do: "zw"
finds 张伟. Letters and digits outside Chinese characters count by word ("Tom Lee" → "tl")."""

import re

from pypinyin import Style, lazy_pinyin

# What one stored name's initials may be: a name is at most 100 characters.
INITIALS_MAX_LENGTH = 100
_WORD = re.compile(r"[a-z0-9]+")


def name_initials(name: str) -> str:
    """张伟 → "zw", 王小明 → "wxm", "Tom Lee" → "tl"; the common reading of each character."""
    initials = []
    for chunk in lazy_pinyin((name or "").strip(), style=Style.FIRST_LETTER, errors="default"):
        words = _WORD.findall(chunk.lower())
        initials.extend(word[0] for word in words)
    return "".join(initials)[:INITIALS_MAX_LENGTH]


def looks_like_initials(query: str) -> bool:
    """Whether a search text could be pinyin initials: 2+ ASCII letters and nothing else."""
    query = (query or "").strip()
    return len(query) >= 2 and query.isascii() and query.isalpha()
