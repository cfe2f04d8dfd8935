"""The difference image and the off-thread full-image loader used by the compare view."""

from __future__ import annotations

from PIL import Image
from PySide6.QtGui import QColor, QImage

from app.ui.compare.difference import MAX_GAIN, MIN_GAIN, difference
from app.ui.compare.image_loader import ImageLoader


def solid(color, size=32) -> QImage:
    image = QImage(size, size, QImage.Format_RGB32)
    image.fill(QColor(color))
    return image


def test_identical_images_give_black():
    d = difference(solid("#806040"), solid("#806040"))
    assert d.mean == 0.0 and d.changed == 0.0
    assert d.image.pixelColor(5, 5).getRgb()[:3] == (0, 0, 0)


def test_a_small_change_is_amplified_until_visible():
    d = difference(solid("#806040"), solid("#806043"))  # 3 levels of blue
    assert d.gain == MAX_GAIN and d.changed == 0.0  # below the "visibly changed" threshold
    assert d.image.pixelColor(5, 5).blue() == 3 * MAX_GAIN
    big = difference(solid("#000000"), solid("#ffffff"))
    assert big.gain == MIN_GAIN and big.changed == 1.0
    assert big.image.pixelColor(0, 0).getRgb()[:3] == (255, 255, 255)


def test_sizes_that_differ_are_matched_to_a():
    d = difference(solid("#000000", 64), solid("#000000", 16))
    assert d.image.size() == solid("#000000", 64).size() and d.mean == 0.0


def test_loader_reads_off_the_gui_thread_and_caches(qtbot, tmp_path):
    path = tmp_path / "full.png"
    Image.new("RGB", (40, 30), "red").save(path)
    loader = ImageLoader()
    assert loader.request(path) is None  # not yet: it is being read in the pool
    with qtbot.waitSignal(loader.loaded, timeout=20_000) as signal:
        pass
    assert signal.args[0] == str(path) and signal.args[1].width() == 40
    assert loader.request(path) is not None  # now from the cache
    with qtbot.waitSignal(loader.failed, timeout=20_000) as failed:
        loader.request(tmp_path / "missing.png")
    assert "missing.png" in failed.args[1]
