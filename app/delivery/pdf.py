"""What Atelier's PDFs share (reportlab): a Unicode font, plain-text paragraphs, and a
write that leaves either the whole file or nothing."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


class PdfError(Exception):
    """The PDF could not be written (message for a person)."""


def fonts() -> tuple[str, str]:
    """A Unicode TrueType font when the system has one (names in any script), else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in _FONT_CANDIDATES:
        if os.path.isfile(path):
            try:
                pdfmetrics.registerFont(TTFont("AtelierSans", path))
                bold = path.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
                if bold != path and os.path.isfile(bold):
                    pdfmetrics.registerFont(TTFont("AtelierSans-Bold", bold))
                    return "AtelierSans", "AtelierSans-Bold"
                return "AtelierSans", "AtelierSans"
            except Exception:  # noqa: BLE001 - an unreadable font: use the built-in one
                continue
    return "Helvetica", "Helvetica-Bold"


def text(value) -> str:
    """Plain text for a Paragraph: people's words escaped (never markup), line breaks kept."""
    return escape("" if value is None else str(value)).replace("\n", "<br/>")


def check_target(pdf_path) -> Path:
    """The PDF's path, once its folder exists and it is not a folder itself."""
    pdf_path = Path(pdf_path).expanduser()
    folder = pdf_path.parent if str(pdf_path.parent) else Path(".")
    if pdf_path.exists() and pdf_path.is_dir():
        raise PdfError(f"{pdf_path} is a folder")
    if not folder.is_dir():
        raise PdfError(f"there is no folder {folder}")
    return pdf_path


def build(pdf_path, story, footer, **doc_info) -> int:
    """Lay out `story` on A4 into a temporary file beside `pdf_path`, then move it into
    place; on any failure (a full disk too) no partial file is left. Returns the pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    pdf_path = check_target(pdf_path)
    pages = []

    def on_page(canvas, doc):
        pages.append(doc.page)
        footer(canvas, doc)

    fd, tmp = tempfile.mkstemp(prefix=".atelier-pdf-", suffix=".pdf", dir=pdf_path.parent)
    os.close(fd)
    try:
        doc = SimpleDocTemplate(tmp, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                topMargin=15 * mm, bottomMargin=18 * mm, author="Atelier", **doc_info)
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        os.replace(tmp, pdf_path)
    except OSError as exc:
        _remove(tmp)
        raise PdfError(f"cannot write {pdf_path}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise
    return max(pages) if pages else 0


def _remove(path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
