"""The fine-tuned sentence encoder (MiniLM-L6) of the event classifier, served by ONNX Runtime.

Why a second model: the sparse linear model only sees words it was trained on; a pretrained
encoder fine-tuned on the same dyads generalises to paraphrases ("slammed", "lashed out at"), and
averaging the two models' probabilities is better than either (docs/classifier.md).

Inference needs `onnxruntime` and `tokenizers` (no torch): the artifact is `encoder.onnx` (int8,
dynamically quantized) + `encoder_tokenizer.json` + `encoder.json` (classes, settings), written by
`tripwire train --encoder` (`classify/encoder_training.py`, which needs torch). When the files or
the libraries are missing, `load_encoder` returns None and the classifier is the linear model alone.

The dyad is marked in the text itself (typed punctuation markers, as in Zhou & Chen 2021, "An
improved baseline for sentence-level relation extraction"): "@ source @ ... # target #". The head
reads the encoder's states at the two opening markers and the mean of all tokens, so that the
same sentence with another marked pair gets another label.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENCODER = "encoder"
SOURCE_MARK = "@"
TARGET_MARK = "#"
MAX_LENGTH = 128
# Sentences encoded side by side at most (one core each); more threads than this gain little.
MAX_WORKERS = 4


def _find(text: str, span: str | None, taken: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Character span of the first case-insensitive occurrence of `span` not overlapping `taken`."""
    if not span or not span.strip():
        return None
    low, needle = text.lower(), span.strip().lower()
    start = low.find(needle)
    while start >= 0:
        end = start + len(needle)
        if taken is None or end <= taken[0] or start >= taken[1]:
            return start, end
        start = low.find(needle, start + 1)
    return None


def mark(text: str, source: str | None, target: str | None) -> tuple[str, int | None, int | None]:
    """The text with the source wrapped in "@ ... @" and the target in "# ... #", and the character
    offsets of the two opening markers (None where the actor is not given or not in the text)."""
    s = _find(text, source)
    t = _find(text, target, s)
    inserts: list[tuple[int, int, str, str]] = []  # (start, end, mark, role)
    if s:
        inserts.append((s[0], s[1], SOURCE_MARK, "s"))
    if t:
        inserts.append((t[0], t[1], TARGET_MARK, "t"))
    inserts.sort()
    out, pos, offsets = [], 0, {"s": None, "t": None}
    length = 0
    for start, end, sign, role in inserts:
        chunk = text[pos:start]
        out.append(chunk)
        length += len(chunk)
        offsets[role] = length
        wrapped = f"{sign} {text[start:end]} {sign}"
        out.append(wrapped)
        length += len(wrapped)
        pos = end
    out.append(text[pos:])
    return "".join(out), offsets["s"], offsets["t"]


@dataclass
class Batch:
    """Encoder inputs for a batch: token ids, mask, and the token index of each opening marker (0,
    the [CLS] token, when the actor is absent)."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    source_index: np.ndarray
    target_index: np.ndarray


def load_tokenizer(path: Path, max_length: int = MAX_LENGTH):
    """A `tokenizers.Tokenizer` that truncates at `max_length` and pads to the batch's longest."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.enable_truncation(max_length=max_length)
    tok.enable_padding(pad_id=tok.token_to_id("[PAD]") or 0, pad_token="[PAD]")
    return tok


def encode(
    tokenizer,
    texts: Sequence[str],
    sources: Sequence[str | None],
    targets: Sequence[str | None],
) -> Batch:
    """Mark, tokenize and pad one batch (shared by training and inference: the same inputs)."""
    marked = [mark(t, s, g) for t, s, g in zip(texts, sources, targets, strict=True)]
    encodings = tokenizer.encode_batch([m[0] for m in marked])
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)

    def token_of(encoding, offset: int | None) -> int:
        if offset is None:
            return 0
        index = encoding.char_to_token(offset)
        return int(index) if index is not None else 0  # truncated away: fall back to [CLS]

    src = np.array([token_of(e, m[1]) for e, m in zip(encodings, marked, strict=True)], dtype=np.int64)
    tgt = np.array([token_of(e, m[2]) for e, m in zip(encodings, marked, strict=True)], dtype=np.int64)
    return Batch(ids, mask, src, tgt)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class EncoderModel:
    """The exported encoder + head: type probabilities (PLV's classes, YIELD merged) of a dyad."""

    def __init__(self, session, tokenizer, meta: dict, workers: int = 1) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.meta = meta
        # Sentences run on this many threads at once, each call on one core: for inputs this small
        # that beats one call spread over the cores (measured on 600 IndiaPoliceEvents sentences,
        # 2 cores: 157-166 against 97-142 sentences/s), and a sentence's numbers stay its own.
        self.workers = max(1, workers)
        self.classes: list[str] = list(meta["classes"])
        # One sentence per call by default: int8 dynamic quantization scales activations over the
        # whole input tensor, so in a batch a sentence's probabilities would shift with its
        # neighbours and padding (by up to 0.15 on a probe sentence). One at a time, the same
        # sentence always gets the same numbers, at about 2/3 of the batched speed.
        self.batch_size = int(meta.get("batch_size", 1))

    def probabilities(
        self,
        texts: Sequence[str],
        sources: Sequence[str | None] | None = None,
        targets: Sequence[str | None] | None = None,
    ) -> np.ndarray:
        """(len(texts), len(classes)) probabilities (batched by length when `batch_size` > 1)."""
        sources = list(sources) if sources is not None else [None] * len(texts)
        targets = list(targets) if targets is not None else [None] * len(texts)
        out = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[b : b + self.batch_size] for b in range(0, len(order), self.batch_size)]

        def run(rows: list[int]) -> np.ndarray:
            batch = encode(self.tokenizer, [texts[i] for i in rows], [sources[i] for i in rows],
                           [targets[i] for i in rows])  # fmt: skip
            (logits,) = self.session.run(
                None,
                {
                    "input_ids": batch.input_ids,
                    "attention_mask": batch.attention_mask,
                    "source_index": batch.source_index,
                    "target_index": batch.target_index,
                },
            )
            return softmax(logits)

        if self.workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(self.workers, thread_name_prefix="tripwire-encoder") as pool:
                results = list(pool.map(run, batches))
        else:
            results = [run(rows) for rows in batches]
        for rows, probabilities in zip(batches, results, strict=True):
            out[rows] = probabilities
        return out

    @classmethod
    def load(cls, folder: Path, threads: int | None = None) -> EncoderModel:
        import onnxruntime as ort

        meta = json.loads((folder / f"{ENCODER}.json").read_text(encoding="utf-8"))
        options = ort.SessionOptions()
        # `threads`: one call spread over that many cores; by default each call takes one core and
        # sentences run side by side on all of them (see `workers`).
        options.intra_op_num_threads = threads or 1
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(
            str(folder / meta.get("onnx", f"{ENCODER}.onnx")), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = load_tokenizer(folder / f"{ENCODER}_tokenizer.json", int(meta.get("max_length", MAX_LENGTH)))
        workers = 1 if threads else min(MAX_WORKERS, os.cpu_count() or 1)
        return cls(session, tokenizer, meta, workers=workers)


def encoder_available(folder: Path) -> bool:
    """The encoder's files are in `folder` and its runtime libraries are installed."""
    if not all((folder / name).exists() for name in (f"{ENCODER}.json", f"{ENCODER}_tokenizer.json")):
        return False
    try:
        meta = json.loads((folder / f"{ENCODER}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not (folder / meta.get("onnx", f"{ENCODER}.onnx")).exists():
        return False
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def load_encoder(folder: Path) -> EncoderModel | None:
    """The encoder of `folder`, or None (files or onnxruntime/tokenizers missing): the linear model
    then works alone, so a minimal install without ONNX Runtime still classifies."""
    return EncoderModel.load(folder) if encoder_available(folder) else None
