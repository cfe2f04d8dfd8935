"""Render app/resources/icons/atelier.svg to the PNG sizes desktops use, and the Windows
.ico and macOS .icns the bundles need. Run after changing the SVG:

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "app" / "resources" / "icons" / "atelier.svg"
PNG_DIR = ROOT / "app" / "resources" / "icons"
BUNDLE_DIR = ROOT / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG}: not a valid SVG")
    image = QImage(size, size, QImage.Format_ARGB32_Premultiplied)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        raise SystemExit(f"could not write {out}")


def main() -> int:
    from PySide6.QtGui import QGuiApplication
    from PIL import Image

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    BUNDLE_DIR.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        render(size, PNG_DIR / f"atelier-{size}.png")
    big = Image.open(PNG_DIR / "atelier-512.png")
    big.save(BUNDLE_DIR / "atelier.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    big.save(BUNDLE_DIR / "atelier.icns")
    print(f"wrote {len(SIZES)} PNGs to {PNG_DIR} and atelier.ico/.icns to {BUNDLE_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
