"""The learned PLOVER event classifier: type, mode and confidence of the relation in a sentence.

Public API: `load_classifier()` (cached) returns a `Classifier` whose
`predict(texts, sources=None, targets=None)` gives one `Prediction` per text. Training lives in
`tripwire.classify.training` (scikit-learn; not needed at inference).
"""

from tripwire.classify.model import Classifier, Prediction, load_classifier

__all__ = ["Classifier", "Prediction", "load_classifier"]
