"""Likeness: how close a picture's face is to a talent's reference faces.

dlib's HOG frontal face detector finds the largest face; its 5-point landmark model
aligns it; dlib's ResNet face-recognition model (`dlib_face_recognition_resnet_model_v1`)
turns it into a 128-d descriptor. The likeness distance is the smallest Euclidean distance
to a reference photo's descriptor; below 0.6 (dlib's own threshold, 99.38 % on LFW) it is
the same person. Weights come from the `face-recognition-models` package (the 5-point and
ResNet models are CC0 per dlib-models; the 68-point model it also ships is never loaded:
its iBUG 300-W training data forbid commercial use). No network, no download.
"""

from __future__ import annotations

import importlib.util
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

THRESHOLD = 0.6
MAX_SIDE = 1600  # larger pictures are scaled down before detection (speed; faces stay big)
MIN_SIDE = 400  # smaller ones are scaled up (the HOG detector needs faces of ~80 px)


class LikenessUnavailable(RuntimeError):
    """The face model is not installed (pip install dlib-bin face-recognition-models)."""


@dataclass(frozen=True)
class Result:
    face_found: bool
    distance: float | None
    threshold: float
    same_person: bool | None
    references: int

    def to_dict(self) -> dict:
        return {"face_found": self.face_found,
                "distance": None if self.distance is None else round(self.distance, 4),
                "threshold": self.threshold, "same_person": self.same_person, "references": self.references}


def _models_dir() -> Path:
    spec = importlib.util.find_spec("face_recognition_models")  # located, never imported (pkg_resources)
    if spec is None or not spec.submodule_search_locations:
        raise LikenessUnavailable("likeness needs the face model: pip install dlib-bin face-recognition-models")
    return Path(list(spec.submodule_search_locations)[0]) / "models"


def working_size(image):
    """(the picture in RGB at a size the HOG detector suits, the scale applied): large
    pictures scaled down (speed; faces stay big), small ones up (it needs faces of ~80 px)."""
    img = image.convert("RGB")
    side = max(img.size)
    if MIN_SIDE <= side <= MAX_SIDE:
        return img, 1.0
    scale = (MAX_SIDE if side > MAX_SIDE else MIN_SIDE) / side
    return img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale)))), scale


class FaceModel:
    """The loaded detector, aligner and descriptor (about 30 MB; loaded once per process)."""

    _shared = None
    _lock = threading.Lock()

    def __init__(self):
        try:
            import dlib
        except ImportError:
            raise LikenessUnavailable("likeness needs dlib: pip install dlib-bin face-recognition-models") from None
        models = _models_dir()
        self.detector = dlib.get_frontal_face_detector()
        self.aligner = dlib.shape_predictor(str(models / "shape_predictor_5_face_landmarks.dat"))
        self.encoder = dlib.face_recognition_model_v1(str(models / "dlib_face_recognition_resnet_model_v1.dat"))

    @classmethod
    def shared(cls) -> "FaceModel":
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def descriptor(self, image):
        """The 128-d descriptor of the largest face in a PIL image, or None."""
        import numpy as np

        img, _ = working_size(image)
        pixels = np.asarray(img)
        with self._lock:  # dlib objects are not documented as thread-safe
            faces = self.detector(pixels, 1)
            if len(faces) == 0:
                return None
            face = max(faces, key=lambda r: r.width() * r.height())
            shape = self.aligner(pixels, face)
            return np.array(self.encoder.compute_face_descriptor(pixels, shape))


_detector = None
_detector_lock = threading.Lock()


def face_centre(image) -> tuple[float, float] | None:
    """The centre of the largest face in a PIL image, in its own pixels, or None.

    Only dlib's HOG detector (built into dlib, no weights file), so framing an export does
    not load the 30 MB descriptor model. Raises LikenessUnavailable without dlib.
    """
    global _detector
    try:
        import dlib
    except ImportError:
        raise LikenessUnavailable("face finding needs dlib: pip install dlib-bin") from None
    import numpy as np

    img, scale = working_size(image)
    with _detector_lock:
        if _detector is None:
            _detector = dlib.get_frontal_face_detector()
        faces = _detector(np.asarray(img), 1)
    if len(faces) == 0:
        return None
    face = max(faces, key=lambda r: r.width() * r.height())
    cx = (face.left() + face.right()) / 2 / scale
    cy = (face.top() + face.bottom()) / 2 / scale
    return cx, cy


def _open(path):
    from PIL import Image

    with Image.open(path) as img:
        img.load()
        return img.copy()


def distance(a, b) -> float:
    import numpy as np

    return float(np.linalg.norm(a - b))


_reference_cache: dict[tuple, list] = {}


def reference_descriptors(studio, talent, model: FaceModel | None = None) -> list:
    """The descriptors of the talent's reference photos that show a face (cached by hash)."""
    from app.talent.repo import photo_path

    model = model or FaceModel.shared()
    key = tuple(p.hash for p in talent.photos)
    if key not in _reference_cache:
        found = []
        for photo in talent.photos:
            d = model.descriptor(_open(photo_path(studio, photo)))
            if d is not None:
                found.append(d)
        _reference_cache[key] = found
    return _reference_cache[key]


def compare(image, references, model: FaceModel | None = None) -> Result:
    model = model or FaceModel.shared()
    d = model.descriptor(image)
    if d is None:
        return Result(False, None, THRESHOLD, None, len(references))
    best = min(distance(d, r) for r in references)
    return Result(True, best, THRESHOLD, best < THRESHOLD, len(references))


def board_consistency(results: dict[int, Result]) -> dict:
    """Median and worst distance of the twin shots on a board where a face was found."""
    dists = [r.distance for r in results.values() if r.distance is not None]
    return {"shots": len(results), "faces": len(dists),
            "median": statistics.median(dists) if dists else None,
            "worst": max(dists) if dists else None,
            "no_face": sum(1 for r in results.values() if not r.face_found)}
