"""Sparse features for the event classifier, shared by training and inference.

One function turns (sentence, source, target) into feature strings, so that the shipped model
sees exactly what it was trained on. Dyad features matter: PLV sentences often hold several
events, and the label is the relation between the marked source and target, not the loudest verb,
so the words between and around the two actors get features of their own.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_WINDOW = 4
_SUFFIXES = ("ing", "ed", "es", "s")
STEMS = True  # measured: see docs/classifier.md


def stem(token: str) -> str:
    """Crude suffix stripping so that "condemned", "condemns" and "condemning" share a feature."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; digits are collapsed so that counts and dates do not split classes."""
    return [re.sub(r"\d", "0", tok) for tok in _TOKEN.findall(text.lower())]


LEXICON_FEATURES = False  # measured on the PLV dev split: 0.747 with, 0.759 without (docs/classifier.md)


@lru_cache(maxsize=1)
def trigger_types() -> dict[str, tuple[str, ...]]:
    """Lemma -> PLOVER types of the rule lexicon's triggers (`data/triggers.toml`).

    The rules' knowledge as features: "clash", "shell", "detain" are triggers whether or not the
    few thousand training sentences used them, and a weight learned for `lex:ASSAULT` carries over
    to every ASSAULT trigger of the lexicon."""
    try:
        from tripwire.lexicon import load_lexicon

        triggers = load_lexicon().triggers
    except (ImportError, FileNotFoundError, KeyError):  # the lexicon is optional for the classifier
        return {}
    out: dict[str, set[str]] = {}
    for (lemma, _pos), rules in triggers.items():
        out.setdefault(lemma, set()).update(rule.type for rule in rules)
    return {lemma: tuple(sorted(types)) for lemma, types in out.items()}


def _lexicon_types(token: str, table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if token in table:
        return table[token]
    for suffix in ("ing", "ed", "es", "s", "d"):
        if token.endswith(suffix) and token[: -len(suffix)] in table:
            return table[token[: -len(suffix)]]
    return ()


def _find(tokens: list[str], span: list[str], start: int = 0) -> int:
    """Index of the first occurrence of `span` in `tokens` at or after `start`, or -1."""
    if not span:
        return -1
    n = len(span)
    for i in range(start, len(tokens) - n + 1):
        if tokens[i : i + n] == span:
            return i
    return -1


def extract(text: str, source: str | None = None, target: str | None = None) -> Counter[str]:
    """Feature counts for one example.

    Always: word unigrams and bigrams of the sentence. With actors that can be found in the
    sentence: the words between them (with their order), a window after the source and before
    the target, and the actors' own words (police, protesters, ministry), which say a lot about
    the type of relation.
    """
    toks = tokenize(text)
    feats: Counter[str] = Counter()
    for i, tok in enumerate(toks):
        feats["w:" + tok] += 1
        if i:
            feats["b:" + toks[i - 1] + "_" + tok] += 1
    src = tokenize(source) if source else []
    tgt = tokenize(target) if target else []
    s = _find(toks, src)
    t = _find(toks, tgt)
    if src:
        for tok in src:
            feats["src:" + tok] += 1
    if tgt:
        for tok in tgt:
            feats["tgt:" + tok] += 1
    if s >= 0:
        s_end = s + len(src)
        for tok in toks[s_end : s_end + _WINDOW]:
            feats["as:" + tok] += 1
        if s_end < len(toks):
            feats["as1:" + toks[s_end]] += 1
    if t >= 0:
        for tok in toks[max(0, t - _WINDOW) : t]:
            feats["bt:" + tok] += 1
        if t > 0:
            feats["bt1:" + toks[t - 1]] += 1
    if STEMS:
        for tok in toks:
            feats["st:" + stem(tok)] += 1
    lex = trigger_types() if LEXICON_FEATURES else {}
    if lex:
        for tok in toks:
            for etype in _lexicon_types(tok, lex):
                feats["lex:" + etype] += 1
    if s >= 0 and t >= 0:
        if s < t:
            between = toks[s + len(src) : t]
            feats["ord:st"] += 1
        else:
            between = toks[t + len(tgt) : s]
            feats["ord:ts"] += 1
        for tok in between[:12]:
            feats["btw:" + tok] += 1
            if STEMS:
                feats["btws:" + stem(tok)] += 1
            for etype in _lexicon_types(tok, lex):
                feats["btwlex:" + etype] += 1
        for a, b in pairwise(between):
            feats["btwb:" + a + "_" + b] += 1
    return feats
