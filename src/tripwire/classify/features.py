"""Sparse features for the event classifier, shared by training and inference.

One function turns (sentence, source, target) into feature strings, so that the shipped model
sees exactly what it was trained on. Dyad features matter: PLV sentences often hold several
events, and the label is the relation between the marked source and target, not the loudest verb,
so the words between and around the two actors get features of their own.
"""

from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_WINDOW = 4


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; digits are collapsed so that counts and dates do not split classes."""
    return [re.sub(r"\d", "0", tok) for tok in _TOKEN.findall(text.lower())]


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
    if s >= 0 and t >= 0:
        if s < t:
            between = toks[s + len(src) : t]
            feats["ord:st"] += 1
        else:
            between = toks[t + len(tgt) : s]
            feats["ord:ts"] += 1
        for tok in between[:12]:
            feats["btw:" + tok] += 1
        for a, b in zip(between, between[1:], strict=False):
            feats["btwb:" + a + "_" + b] += 1
    return feats
