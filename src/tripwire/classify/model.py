"""The shipped event classifier: sparse features, linear heads, numpy only at inference.

The artifact is two small files (`classifier.npz`: weights; `classifier.json`: vocabulary,
classes, settings) written by `tripwire train`. Inference needs nothing beyond numpy (already a
spaCy dependency): no scikit-learn, no torch, no pickles, so loading is fast and safe and the
format does not break when a library version changes.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from tripwire.classify.encoder import EncoderModel, load_encoder
from tripwire.classify.features import extract, tokenize
from tripwire.ontology import load_ontology

# Linear weights below this are stored as zero (see `Classifier.save`).
WEIGHT_FLOOR = 0.01
ARTIFACT = "classifier"
MODE_MIN_PROBABILITY = 0.5
# Weight of the fine-tuned encoder's type probabilities against the linear model's: the grid
# weight best on all five folds' held-out rows, the rule that `tripwire eval plv --encoder` applies
# to each fold's inner folds to score the ensemble without seeing the fold (docs/classifier.md).
ENSEMBLE_WEIGHT = 0.4


@dataclass
class Prediction:
    """The model's reading of one text (type None: no event between the actors)."""

    type: str | None
    mode: str | None
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)  # over PLOVER types and "NONE"
    mode_probabilities: dict[str, float] = field(default_factory=dict)  # modes of `type` ("" = none)


class Vectorizer:
    """Feature strings -> sublinear TF-IDF, L2-normalised (the usual choice for short texts)."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.features = list(vocabulary)
        self.index = {feat: i for i, feat in enumerate(self.features)}
        self.idf = np.asarray(idf, dtype=np.float32)

    def row(self, text: str, source: str | None, target: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and values of one example's feature row."""
        pairs = [(self.index[f], c) for f, c in extract(text, source, target).items() if f in self.index]
        if not pairs:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        tf = np.fromiter((1.0 + math.log(p[1]) for p in pairs), dtype=np.float32, count=len(pairs))
        val = tf * self.idf[idx]
        norm = float(np.sqrt(np.dot(val, val)))
        return idx, val / norm if norm else val


class LinearHead:
    """A multinomial logistic regression stored as weights (features x classes) and biases."""

    def __init__(self, classes: Sequence[str], weights: np.ndarray, bias: np.ndarray) -> None:
        self.classes = list(classes)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)

    def proba(self, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        logits = val @ self.weights[idx] + self.bias
        if len(self.classes) == 2 and self.weights.shape[1] == 1:
            p = 1.0 / (1.0 + math.exp(-float(logits[0])))
            return np.array([1.0 - p, p], dtype=np.float32)
        logits = logits - logits.max()
        e = np.exp(logits)
        return e / e.sum()


class Classifier:
    """PLOVER type and mode of the relation between a source and a target in a sentence."""

    def __init__(
        self, vectorizer: Vectorizer, heads: dict[str, LinearHead], meta: dict, encoder: EncoderModel | None = None
    ) -> None:
        self.vectorizer = vectorizer
        self.heads = heads
        self.meta = meta
        self.none_threshold = float(meta.get("none_threshold", 0.5))
        self.min_event_probability = float(meta.get("min_event_probability", 0.0))
        # The fine-tuned encoder, when its files and ONNX Runtime are there: its type probabilities
        # are averaged with the linear head's (docs/classifier.md: the ensemble beats either).
        self.encoder = encoder
        self.ensemble_weight = float(encoder.meta.get("ensemble_weight", ENSEMBLE_WEIGHT)) if encoder else 0.0

    def predict(
        self,
        texts: list[str],
        sources: list[str | None] | None = None,
        targets: list[str | None] | None = None,
    ) -> list[Prediction]:
        sources = sources or [None] * len(texts)
        targets = targets or [None] * len(texts)
        rows = self._encoder_rows(texts, sources, targets)  # one batched encoder call
        return [
            self._predict(t, s, g, rows[i] if rows is not None else None)
            for i, (t, s, g) in enumerate(zip(texts, sources, targets, strict=True))
        ]

    def _encoder_rows(
        self, texts: Sequence[str], sources: Sequence[str | None], targets: Sequence[str | None]
    ) -> np.ndarray | None:
        if self.encoder is None or not texts:
            return None
        return self.encoder.probabilities(texts, sources, targets)

    def type_probabilities(self, text: str, source: str | None = None, target: str | None = None) -> dict[str, float]:
        """Probabilities over PLOVER types and NONE; PLV's YIELD is split into CONCEDE and RETREAT."""
        return self.type_probabilities_batch([text], [source], [target])[0]

    def type_probabilities_batch(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None],
        targets: Sequence[str | None],
        with_encoder: Sequence[bool] | None = None,
    ) -> list[dict[str, float]]:
        """`type_probabilities` of many dyads, with one encoder call for all of them (its workers
        run sentences side by side). Where `with_encoder[i]` is False item i gets the linear
        model's reading alone: the caller will not act on it, and the encoder is most of the cost."""
        if with_encoder is not None and len(with_encoder) != len(texts):
            raise ValueError(f"with_encoder has {len(with_encoder)} flags for {len(texts)} texts")
        wanted = [i for i in range(len(texts)) if with_encoder is None or with_encoder[i]]
        rows = self._encoder_rows([texts[i] for i in wanted], [sources[i] for i in wanted],
                                  [targets[i] for i in wanted])  # fmt: skip
        row_of = dict(zip(wanted, rows, strict=True)) if rows is not None else {}
        return [
            self._type_probs(*self.vectorizer.row(t, s, g), row_of.get(i))
            for i, (t, s, g) in enumerate(zip(texts, sources, targets, strict=True))
        ]

    def _blend(self, out: dict[str, float], encoder_row: np.ndarray) -> dict[str, float]:
        """The ensemble over the type head's classes: the event types' share (1 - P(NONE)) is split
        by w * encoder + (1 - w) * linear (renormalised over the event types, as
        `tripwire eval plv --encoder` scores it); NONE keeps the linear head's probability (the
        encoder, trained on PLV's dyads, has no NONE class)."""
        enc = dict(zip(self.encoder.classes, encoder_row.tolist(), strict=True)) if self.encoder else {}
        none = out.get("NONE", 0.0)
        events = {c: v for c, v in out.items() if c != "NONE"}
        total = sum(events.values()) or 1.0
        w = self.ensemble_weight
        blended = {c: (1.0 - none) * (w * enc.get(c, 0.0) + (1.0 - w) * v / total) for c, v in events.items()}
        if "NONE" in out:
            blended["NONE"] = none
        return blended

    def _type_probs(self, idx: np.ndarray, val: np.ndarray, encoder_row: np.ndarray | None = None) -> dict[str, float]:
        p = self.heads["type"].proba(idx, val)
        out = {c: float(v) for c, v in zip(self.heads["type"].classes, p, strict=True)}
        if encoder_row is not None:
            out = self._blend(out, encoder_row)
        if "YIELD" in out and "yield" not in self.heads:  # trained without CONCEDE/RETREAT examples
            out["RETREAT"] = out.pop("YIELD")
        if "YIELD" in out:
            y = out.pop("YIELD")
            split = self.heads["yield"].proba(idx, val)
            for c, v in zip(self.heads["yield"].classes, split, strict=True):
                out[c] = out.get(c, 0.0) + y * float(v)
        return out

    def mode_probabilities(
        self, event_type: str, text: str, source: str | None, target: str | None
    ) -> dict[str, float]:
        """Probabilities over the modes of `event_type` ("" = no particular mode), renormalised."""
        return self._mode_probs(event_type, *self.vectorizer.row(text, source, target))

    def _mode_probs(self, event_type: str, idx: np.ndarray, val: np.ndarray) -> dict[str, float]:
        modes = load_ontology().types.get(event_type)
        if modes is None or not modes.modes or "mode" not in self.heads:
            return {}
        head = self.heads["mode"]
        p = head.proba(idx, val)
        prefix = event_type + ":"
        out = {c[len(prefix) :]: float(v) for c, v in zip(head.classes, p, strict=True) if c.startswith(prefix)}
        total = sum(out.values())
        return {k: v / total for k, v in out.items()} if total > 0 else {}

    def predict_one(self, text: str, source: str | None = None, target: str | None = None) -> Prediction:
        return self.predict([text], [source], [target])[0]

    def _predict(self, text: str, source: str | None, target: str | None, encoder_row: np.ndarray | None) -> Prediction:
        idx, val = self.vectorizer.row(text, source, target)
        probs = self._type_probs(idx, val, encoder_row)
        best_event = max((c for c in probs if c != "NONE"), key=probs.__getitem__)
        none = probs.get("NONE", 0.0)
        if none >= self.none_threshold or none > probs[best_event] or probs[best_event] < self.min_event_probability:
            return Prediction(None, None, max(none, 1.0 - probs[best_event]), probs)
        modes = self._mode_probs(best_event, idx, val)
        return Prediction(best_event, self._choose_mode(best_event, text, modes), probs[best_event], probs, modes)

    @staticmethod
    def _choose_mode(event_type: str, text: str, modes: dict[str, float]) -> str | None:
        """A lexicon cue's mode if there is one, else the mode head's best when it is sure (at least
        MODE_MIN_PROBABILITY): the head, trained on few examples per mode, leans towards the modes
        it saw most ("explosives" from AW's many bombings) and is better silent than wrong."""
        cue = cue_mode(event_type, text)
        if cue:
            return cue
        if not modes:
            return None
        best = max(modes, key=modes.__getitem__)
        return (best or None) if modes[best] >= MODE_MIN_PROBABILITY else None

    def mode_of(self, event_type: str, text: str, source: str | None = None, target: str | None = None) -> str | None:
        """The mode of an event of `event_type` told in `text` (None: no particular mode)."""
        return self._choose_mode(event_type, text, self.mode_probabilities(event_type, text, source, target))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"idf": self.vectorizer.idf.astype(np.float32)}
        meta = dict(self.meta)
        meta["vocabulary"] = self.vectorizer.features
        meta["heads"] = {}
        for name, head in self.heads.items():
            # Weights this small move no decision (on 2,550 NGEC and PLV sentences, one type and one
            # mode of the linear model changed) and zeros compress well: 9.9 -> 5.5 MB on disk.
            weights = np.where(np.abs(head.weights) < WEIGHT_FLOOR, 0.0, head.weights)
            arrays[f"{name}.weights"] = weights.astype(np.float16)
            arrays[f"{name}.bias"] = head.bias.astype(np.float32)
            meta["heads"][name] = head.classes
        np.savez_compressed(folder / f"{ARTIFACT}.npz", **arrays)
        (folder / f"{ARTIFACT}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, encoder: bool = True) -> Classifier:
        """The linear model of `folder`, with the encoder of the same folder when `encoder` is true
        and the encoder's files and ONNX Runtime are there (else the linear model alone)."""
        meta = json.loads((folder / f"{ARTIFACT}.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{ARTIFACT}.npz") as arrays:
            vectorizer = Vectorizer(meta.pop("vocabulary"), arrays["idf"])
            heads = {
                name: LinearHead(classes, arrays[f"{name}.weights"], arrays[f"{name}.bias"])
                for name, classes in meta.pop("heads").items()
            }
        return cls(vectorizer, heads, meta, load_encoder(folder) if encoder else None)


def _stems(token: str) -> set[str]:
    """Crude inflection stripping, enough to meet the lexicon's lemmas ("arrested" -> "arrest")."""
    out = {token}
    for suffix in ("s", "es", "ed", "d", "ing"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            out.add(token[: -len(suffix)])
    return out


def cue_mode(event_type: str, text: str) -> str | None:
    """The mode the rule lexicon's cue words give (`data/triggers.toml`: "drone", "tear gas",
    "suicide"), or None. Cue words name a mode precisely where the model, trained on few
    mode-labelled examples, is unsure; so a cue wins over the mode head."""
    try:
        from tripwire.lexicon import load_lexicon

        cues = load_lexicon().mode_cues.get(event_type, [])
    except (ImportError, FileNotFoundError, KeyError):  # the rule lexicon is optional here
        return None
    tokens = tokenize(text)
    words = set().union(*(_stems(t) for t in tokens)) if tokens else set()
    joined = " " + " ".join(tokens) + " "
    for mode, words_of_mode in cues:
        for cue in words_of_mode:
            if (" " in cue and f" {cue} " in joined) or cue in words:
                return mode
    return None


def default_model_dir() -> Path:
    return Path(str(resources.files("tripwire.data").joinpath("models")))


def encoder_enabled() -> bool:
    """The encoder is on unless TRIPWIRE_CLASSIFIER_ENCODER=0 (the linear model alone is about
    5x faster: a choice for bulk runs where speed matters more than the last points of F1)."""
    return os.environ.get("TRIPWIRE_CLASSIFIER_ENCODER", "1").strip().lower() not in ("0", "false", "no", "off")


@lru_cache(maxsize=8)
def load_classifier(folder: str | None = None, encoder: bool | None = None) -> Classifier:
    """The shipped classifier (or one written by `tripwire train --out FOLDER`), loaded once:
    the linear model averaged with the fine-tuned encoder where that is installed (`encoder`:
    None follows TRIPWIRE_CLASSIFIER_ENCODER, default on; False: the linear model alone)."""
    use = encoder_enabled() if encoder is None else encoder
    return Classifier.load(Path(folder) if folder else default_model_dir(), encoder=use)
