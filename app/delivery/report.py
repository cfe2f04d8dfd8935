"""The contact sheet: a PDF of a board an art director can send or print (reportlab).

A cover with the board's use and counts, then every shot: its picture, number, status,
rating, the latest decision (person, role, reason), the notes that led to it, the model,
adapters, twin and consent, and whether (and how) it was exported. People's words go
into the PDF as plain text (escaped), never as markup.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from app import __version__
from app.delivery import journal, pdf, rules
from app.delivery.pdf import PdfError

class ReportError(PdfError):
    """The PDF could not be written (message for a person)."""


_fonts, _t = pdf.fonts, pdf.text


def shot_facts(studio, shot, exports: dict) -> dict:
    """Everything the sheet says about one shot (also what tests check)."""
    from app.store import repo

    decisions = [d for d in repo.decisions(studio, shot_id=shot.id)]
    latest = decisions[-1] if decisions else None
    notes = repo.lineage(studio, shot.id).notes
    recipe = shot.recipe()
    adapters = recipe.get("adapters") or getattr(shot, "adapters", None) or []
    out = exports.get(shot.id, [])
    consents = sorted({str(e["consent"]) for e in out if e.get("consent") is not None})
    return {
        "id": shot.id, "status": shot.status, "rating": shot.rating,
        "decision": None if latest is None else {
            "verdict": latest.verdict, "person": latest.person, "role": latest.role,
            "reason": latest.reason, "time": latest.created_at},
        "notes": [{"text": n.text, "author": n.author, "role": n.role} for n in notes],
        "model": shot.model, "model_hash": shot.model_hash,
        "adapters": [a.get("name") if isinstance(a, dict) else str(a) for a in adapters],
        "twin": rules.twin_name(studio, shot), "consent": ", ".join(consents) or None,
        "exports": [{"preset": e.get("preset"), "time": e.get("time"), "file": Path(e.get("path", "")).name}
                    for e in out],
    }


def _picture(studio, shot, width_pt: float, height_pt: float):
    from reportlab.platypus import Image as RLImage

    path = studio.images.path(shot.image)
    if not path.is_file():
        path = studio.images.thumb_path(shot.image)
    if not path.is_file():
        return None
    ratio = shot.width / shot.height if shot.height else 1.0
    w, h = width_pt, width_pt / ratio
    if h > height_pt:
        w, h = height_pt * ratio, height_pt
    thumb = studio.images.thumb_path(shot.image)
    # The thumbnail is plenty at contact-sheet size and keeps the PDF small; the full
    # picture where the thumbnail is missing.
    return RLImage(str(thumb if thumb.is_file() else path), width=w, height=h)


def write(studio, board_name, pdf_path) -> dict:
    """Write the contact sheet; returns {"shots": n, "pages": n, "path": ...}."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

    from app.store import repo

    board = repo.get_board(studio, board_name)
    shots, offset = [], 0
    while True:
        page = repo.board_page(studio, board.id, offset=offset, limit=200)
        shots += page.shots
        offset += len(page.shots)
        if not page.shots or offset >= page.total:
            break
    shots.sort(key=lambda s: s.id)
    counts = page.counts
    exports = journal.exported_shots(studio)
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=12, leading=15)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=24, leading=30)

    try:
        pdf_path = pdf.check_target(pdf_path)
    except PdfError as exc:
        raise ReportError(str(exc)) from None
    story = []
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    story += [Paragraph(_t(board.name), title), Spacer(1, 4 * mm),
              Paragraph(_t(f"Contact sheet · {now} · Atelier {__version__}"), small), Spacer(1, 8 * mm)]
    use = _board_use(studio, board)
    story.append(Paragraph(_t("Use: " + (use or "not declared")), body))
    story.append(Paragraph(_t(f"Board status: {board.status}"), body))
    story.append(Spacer(1, 4 * mm))
    rows = [["Status", "Shots"]] + [[k, str(v)] for k, v in counts.items()] + [["all", str(len(shots))]]
    exported_n = sum(1 for s in shots if exports.get(s.id))
    rows.append(["exported", str(exported_n)])
    t = Table(rows, colWidths=[50 * mm, 25 * mm])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), regular, 9), ("FONT", (0, 0), (-1, 0), bold, 9),
                           ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                           ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story += [t, Spacer(1, 6 * mm), Paragraph(_t(
        "Every picture on this sheet was generated with AI (IPTC digital source type: "
        "trained algorithmic media)."), small), PageBreak()]

    pic_w, pic_h = 55 * mm, 70 * mm
    for shot in shots:
        f = shot_facts(studio, shot, exports)
        lines = [Paragraph(_t(f"Shot {f['id']} · {f['status']}"
                              + (f" · {'★' * f['rating']}{'☆' * (5 - f['rating'])}" if f["rating"] else "")
                              + (" · rating —" if not f["rating"] else "")), head)]
        d = f["decision"]
        if d:
            why = f" — “{d['reason']}”" if d["reason"] else ""
            lines.append(Paragraph(_t(f"Decision: {d['verdict']} by {d['person']} ({d['role']}), "
                                      f"{d['time'][:16].replace('T', ' ')}{why}"), body))
        else:
            lines.append(Paragraph(_t("Decision: none yet"), body))
        if f["notes"]:
            lines.append(Paragraph(_t("Notes that led here:"), body))
            for n in f["notes"]:
                lines.append(Paragraph(_t(f"• “{n['text']}” — {n['author']} ({n['role']})"), small))
        lines.append(Paragraph(_t(f"Model: {f['model']} ({(f['model_hash'] or '')[:12]})"), small))
        lines.append(Paragraph(_t("Adapters: " + (", ".join(f["adapters"]) or "none")), small))
        lines.append(Paragraph(_t(f"Twin: {f['twin'] or 'none'}"
                                  + (f" · consent {f['consent']}" if f["consent"] else "")), small))
        if f["exports"]:
            ex = ", ".join(f"{e['preset']} ({(e['time'] or '')[:10]})" for e in f["exports"])
            lines.append(Paragraph(_t(f"Exported: yes — {ex}"), small))
        else:
            lines.append(Paragraph(_t("Exported: no"), small))
        pic = _picture(studio, shot, pic_w, pic_h) or Paragraph(_t("(picture missing)"), small)
        row = Table([[pic, lines]], colWidths=[pic_w + 4 * mm, None])
        row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        story.append(KeepTogether([row, Spacer(1, 3 * mm)]))
    if not shots:
        story.append(Paragraph(_t("This board has no shots yet."), body))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(15 * mm, 10 * mm, f"{board.name} · page {doc.page} · AI-generated images (Atelier)")
        canvas.restoreState()

    try:
        pages = pdf.build(pdf_path, story, footer, title=f"{board.name} — contact sheet",
                          subject="AI-generated images", creator=f"Atelier {__version__}")
    except PdfError as exc:
        raise ReportError(str(exc)) from None
    return {"path": str(pdf_path), "shots": len(shots), "pages": pages}


def _board_use(studio, board) -> str | None:
    try:
        from app.talent import repo
    except ImportError:
        return None
    fn = getattr(repo, "board_use", None)
    if fn is not None:
        try:
            use = fn(studio, board.id)
        except Exception:  # noqa: BLE001
            use = None
        if use is not None:
            parts = [getattr(use, "client", None),
                     ", ".join(getattr(use, "channels", None) or []),
                     ", ".join(getattr(use, "territories", None) or [])]
            text = " · ".join(p for p in parts if p)
            if text:
                return text
    return None
