"""Which language an article is in; tripwire codes English only.

A function-word profile is enough for this job: the question is "English or not", asked of whole
news articles, offline and in microseconds. Non-Latin scripts are recognised by their characters;
Latin-script languages by the share of a text's words found in each language's list of common
function words (`data/languages.toml`). Too little text to judge counts as English, because a
false rejection loses a real article while a false acceptance only produces no events.

Encoded data (base64, hex dumps) is not a language at all, yet its letter runs hit short function
words often enough to pass for one. It is told apart by its "words": in running text of any
Latin-script language nearly every word of two or more letters has a vowel and no capital after
a small letter (94% or more in every PolNeAR article), while base64 has 15-17% such words and hex
about 60%. Such text is reported as `zxx`, ISO 639's code for "no linguistic content".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

ENGLISH = "en"
NO_LANGUAGE = "zxx"
# Below this share of word-like words (see the module docstring) a text is not language.
MIN_WORDLIKE_SHARE = 0.75
# Fewer words than this cannot be judged reliably, and are taken as English.
MIN_WORDS = 20
# Fewer letters than this in a non-Latin script cannot be judged either.
MIN_LETTERS = 40
# Only the start of a long article is read: language does not change half way through.
SAMPLE_CHARS = 5000
# Another language must explain this many times more words than English does to win, so English
# articles quoting a French sentence or naming Spanish places stay English.
MARGIN = 1.5

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_VOWEL = re.compile(r"[aeiouyàáâäãåèéêëìíîïòóôöõùúûüýAEIOUYÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝ]")
_SMALL_THEN_CAPITAL = re.compile(r"[a-z][A-Z]")


def wordlike_share(words: list[str]) -> float:
    """The share of the words of two or more letters that look like words of a language."""
    long_words = [word for word in words if len(word) >= 2]
    if not long_words:
        return 1.0
    wordlike = sum(1 for word in long_words if _VOWEL.search(word) and not _SMALL_THEN_CAPITAL.search(word))
    return wordlike / len(long_words)
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


@dataclass(frozen=True)
class LanguageGuess:
    code: str  # ISO 639-1
    confident: bool  # False when there was too little text and English was assumed
    scores: dict[str, float]


@dataclass(frozen=True)
class _Profiles:
    scripts: dict[str, str]
    words: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    data = tomllib.loads((files("tripwire.data") / "languages.toml").read_text(encoding="utf-8"))
    return _Profiles(
        scripts=dict(data["scripts"]),
        words={code: frozenset(table["words"].split()) for code, table in data["latin"].items()},
    )


@lru_cache(maxsize=8192)
def _char_language(char: str) -> str | None:
    """The language a character's script stands for (None for Latin and unlisted scripts)."""
    name = unicodedata.name(char, "")
    for script, code in _profiles().scripts.items():
        if name.startswith(script):
            return code
    return None


def _script_language(sample: str, letter_count: int) -> str | None:
    """The language of the dominant non-Latin script, if more than half the letters use one."""
    counts: Counter[str] = Counter()
    for char, n in Counter(_NON_ASCII_LETTER.findall(sample)).items():
        code = _char_language(char)
        if code is not None:
            counts[code] += n
    if not counts:
        return None
    code, count = counts.most_common(1)[0]
    # Japanese text mixes kana with Han characters; any real share of kana makes it Japanese.
    if code == "zh" and counts["ja"] > 0.05 * letter_count:
        code, count = "ja", count + counts["ja"]
    return code if count > 0.5 * letter_count else None


def detect_language(text: str) -> LanguageGuess:
    """Guess the language of `text` (see the module docstring for how and why)."""
    sample = text[:SAMPLE_CHARS]
    letter_count = len(_LETTER.findall(sample))
    if letter_count >= MIN_LETTERS:
        script_code = _script_language(sample, letter_count)
        if script_code is not None:
            return LanguageGuess(script_code, True, {})
    found = _WORD.findall(sample)
    if len(found) < MIN_WORDS:
        return LanguageGuess(ENGLISH, False, {})
    if wordlike_share(found) < MIN_WORDLIKE_SHARE:
        return LanguageGuess(NO_LANGUAGE, True, {})
    words = Counter(word.casefold() for word in found)
    total = sum(words.values())
    scores = {
        code: sum(words[word] for word in vocabulary if word in words) / total
        for code, vocabulary in _profiles().words.items()
    }
    best = max(scores, key=lambda code: scores[code])
    english = scores.get(ENGLISH, 0.0)
    if best != ENGLISH and scores[best] > MARGIN * english and scores[best] >= 0.1:
        return LanguageGuess(best, True, scores)
    return LanguageGuess(ENGLISH, english >= 0.1, scores)


LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "ta": "Tamil",
    "th": "Thai",
    "tr": "Turkish",
    "zh": "Chinese",
    "am": "Amharic",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
