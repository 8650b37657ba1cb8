"""The learned PLOVER event classifier: type, mode and confidence of the relation in a sentence.

Public API: `load_classifier()` (cached) returns a `Classifier` whose
`predict(texts, sources=None, targets=None)` gives one `Prediction` per text: the sparse linear
model's type probabilities averaged with the fine-tuned encoder's (`classify/encoder.py`, ONNX
Runtime) where that is installed, else the linear model alone. Training lives in
`tripwire.classify.training` (scikit-learn) and `tripwire.classify.encoder_training` (torch); neither
is needed at inference.
"""

from tripwire.classify.model import Classifier, Prediction, load_classifier

__all__ = ["Classifier", "Prediction", "load_classifier"]
