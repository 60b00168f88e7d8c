"""Text as the search index sees it, the same for what is indexed and for what an officer types.

Both backends receive words already folded here — lower case (``casefold``), accents and other combining marks
removed, compatibility forms unified (NFKD: "ﬁ" is "fi", full-width letters are plain ones), a few letters that
Unicode does not decompose spelled out ("œ" is "oe") — so SQLite and PostgreSQL agree exactly on what a word is,
and "Crème", "CREME" and "creme" are one word everywhere. Chinese and Japanese are written without spaces: their
text is cut into single characters and overlapping pairs, so that a word of any length is found by the pairs it
is made of.

Facets (status, right holder, brand, HS chapter, countries…) are stored as reserved words beginning with
``FACET_PREFIX``; words typed by a user that begin with it are dropped, so a query can never name a facet.
"""

import re
import unicodedata

MAX_WORD_LENGTH = 64  # longer "words" are cut: nobody types them, and they would bloat the index
FACET_PREFIX = "qqf"

# Letters NFKD leaves whole although readers treat them as two plain letters (or one).
_SPELLED_OUT = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")
# Han ideographs (with extensions and compatibility forms), hiragana and katakana: scripts written without spaces.
_CJK_CHAR = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_CJK_RUN = re.compile(f"[{_CJK_CHAR}]+|[^{_CJK_CHAR}]+")
_IS_CJK = re.compile(f"[{_CJK_CHAR}]")
# Combining marks (accents, Arabic short vowels…) of the Basic Multilingual Plane, removed in one pass.
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in range(0x300, 0x10000) if unicodedata.combining(chr(code))) + "]"
)


def fold(text: str) -> str:
    """``text`` in lower case, without accents or other combining marks."""
    text = text or ""
    if text.isascii():  # most text: nothing to decompose
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()).translate(_SPELLED_OUT))


def is_cjk(word: str) -> bool:
    return bool(_IS_CJK.match(word))


def _cjk_words(run: str) -> list[str]:
    """Each character of a run of Chinese or Japanese, and each pair of neighbours."""
    return [*run, *(run[i : i + 2] for i in range(len(run) - 1))]


def words(text: str) -> list[str]:
    """The words of ``text``, folded, in order (repeats kept)."""
    folded = fold(text)
    if not _IS_CJK.search(folded):  # the common case, without looking at each word
        return [token[:MAX_WORD_LENGTH] for token in _WORD.findall(folded)]
    found = []
    for token in _WORD.findall(folded):
        for part in _CJK_RUN.findall(token):
            if is_cjk(part):
                found.extend(_cjk_words(part))
            else:
                found.append(part[:MAX_WORD_LENGTH])
    return found


def query_words(text: str) -> list[str]:
    """The words of what a user typed, as the index holds them: each once, in order, facets dropped. A run of
    Chinese or Japanese becomes its pairs of neighbouring characters (a single character stays one word)."""
    found = []
    for token in _WORD.findall(fold(text)):
        for part in _CJK_RUN.findall(token):
            if is_cjk(part):
                found.extend([part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)])
            elif not part.startswith(FACET_PREFIX):
                found.append(part[:MAX_WORD_LENGTH])
    return list(dict.fromkeys(found))


def code_words(code: str) -> list[str]:
    """The words of a product code: its parts ("AUR-SC90-RIV": aur, sc90, riv) and the whole code written
    without separators (aursc90riv), as people type it either way."""
    parts = words(code)
    if len(parts) > 1:
        parts.append("".join(parts)[:MAX_WORD_LENGTH])
    return parts


def facet(kind: str, value) -> str:
    """The reserved word that marks a fact about a sheet: ``facet("c", "FR")`` is "qqfcfr"."""
    return f"{FACET_PREFIX}{kind}{str(value).lower()}"


def is_vocabulary_word(word: str) -> bool:
    """Words worth offering as the correction of a typo: made of letters only (codes and numbers are never
    corrected: a wrong digit is another product), long enough to be mistyped, not Chinese or Japanese."""
    return 3 <= len(word) <= MAX_WORD_LENGTH and word.isalpha() and not is_cjk(word)
