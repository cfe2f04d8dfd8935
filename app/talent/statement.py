"""A usage statement: one agency's ledger lines for a period as a PDF it can invoice from.

Per talent: every render and export of the twin with the board, shot, channel, the
consent relied on and the fee due; subtotals per currency; totals per currency for the
agency. Names go into the PDF as plain text, never markup.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

from app import __version__
from app.delivery import pdf
from app.store.errors import InvalidInput
from app.talent import ledger, policy


def write(studio, agency: str, pdf_path, date_from=None, date_until=None) -> dict:
    """Write the statement; returns {"path", "agency", "lines", "totals", "pages"}."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    from app.store import repo

    agency = (agency or "").strip()
    if not agency:
        raise InvalidInput("a statement is per agency: --agency NAME")
    found = ledger.lines(studio, None, date_from, date_until, agency)
    pdf_path = pdf.check_target(pdf_path)
    regular, bold = pdf.fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444"))
    head = ParagraphStyle("head", parent=body, fontName=bold, fontSize=12, leading=16)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=22, leading=28)
    t = pdf.text

    period = (f"{date_from or 'the first recorded use'} – {date_until or 'today'}"
              if date_from or date_until else "all recorded use")
    issued = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    agency_name = found[0].agency if found else agency
    story = [Paragraph(t("Usage statement"), title), Spacer(1, 3 * mm),
             Paragraph(t(f"Agency: {agency_name}"), head),
             Paragraph(t(f"Period: {period}"), body),
             Paragraph(t(f"Issued: {issued} · Atelier {__version__}"), small), Spacer(1, 6 * mm)]

    boards: dict[int, str] = {}

    def board_name(board_id):
        if board_id not in boards:
            try:
                boards[board_id] = repo.get_board(studio, board_id).name
            except Exception:  # noqa: BLE001 - a board that is gone still has its number
                boards[board_id] = f"board {board_id}"
        return boards[board_id]

    per_talent: dict[str, list] = {}
    for line in found:
        per_talent.setdefault(line.talent, []).append(line)
    style = TableStyle([("FONT", (0, 0), (-1, -1), regular, 8), ("FONT", (0, 0), (-1, 0), bold, 8),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                        ("ALIGN", (-1, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    for talent, rows in per_talent.items():
        table = [["Date", "Board", "Shot", "Use", "Channel", "Consent", "Fee"]]
        for line in rows:
            table.append([line.time[:10], Paragraph(t(board_name(line.board)), cell), str(line.shot),
                          line.event, line.channel, str(line.consent), f"{line.fee} {line.currency}"])
        sub = ledger.totals(rows).get(talent, {})
        story.append(KeepTogether([
            Paragraph(t(talent), head),
            Table(table, colWidths=[20 * mm, 55 * mm, 14 * mm, 16 * mm, 24 * mm, 16 * mm, 30 * mm],
                  style=style, repeatRows=1),
            Spacer(1, 2 * mm),
            Paragraph(t(f"Subtotal {talent}: " + ", ".join(f"{v} {c}" for c, v in sub.items())), body),
            Spacer(1, 5 * mm)]))
    grand = _grand_totals(found)
    if found:
        story.append(Paragraph(t("Total due: " + ", ".join(f"{v} {c}" for c, v in grand.items())), head))
    else:
        story.append(Paragraph(t(f"No use of {agency_name}'s twins was recorded in this period."), body))
    story += [Spacer(1, 6 * mm), Paragraph(t(
        "Every line is an entry of the studio's usage ledger, appended when the twin was used and "
        "never rewritten (`atelier ledger --agency NAME` lists them; `atelier history --verify` "
        "checks them). Fees follow each consent's basis: per render or per export."), small)]

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(15 * mm, 10 * mm, f"Usage statement · {agency_name} · {period} · page {doc.page}")
        canvas.restoreState()

    pages = pdf.build(pdf_path, story, footer, title=f"Usage statement — {agency_name}",
                      subject=f"Digital twin use, {period}", creator=f"Atelier {__version__}")
    return {"path": str(pdf_path), "agency": agency_name, "lines": len(found),
            "totals": {c: float(v) for c, v in grand.items()}, "pages": pages}


def _grand_totals(found) -> dict[str, str]:
    sums: dict[str, Decimal] = {}
    for line in found:
        sums[line.currency] = sums.get(line.currency, Decimal(0)) + Decimal(line.fee)
    return {c: policy.fee(v, c) for c, v in sums.items()}
