"""What the screenshots at 1920×1080 and 1280×720 showed (issue 10), each pinned by a test."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget


def _rect(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())


def test_a_long_notice_never_widens_the_window(window, qtbot):
    # The demo notice was one unwrapped line: its full width became the window's minimum
    # (1365 px on Xvfb with the real fonts), so at 1280×720 the window ran off the screen.
    window.notice_label.setText("Demo model: pictures are placeholders. " * 8)
    window.notice.show()
    qtbot.wait(10)
    assert window.minimumSizeHint().width() <= 1280, window.minimumSizeHint()


def test_the_queue_sits_under_the_board_and_the_side_panels_run_to_the_bottom(window, qtbot):
    # The empty queue spanned the whole width under the side docks, so the direction panel
    # lost ~170 px at 720 px and hid the prompt after the edit even at 1080.
    window.resize(1280, 680)
    qtbot.wait(50)
    queue = _rect(window.docks["queue"], window)
    direction = _rect(window.docks["direction"], window)
    boards = _rect(window.docks["boards"], window)
    assert queue.left() >= boards.right() and queue.right() <= direction.left()
    assert direction.bottom() >= queue.bottom() - 1
    assert queue.height() <= 150, queue


def test_board_names_are_not_cut_by_a_sideways_scrollbar(window, qtbot):
    from PySide6.QtCore import Qt

    boards = window.boards_panel.list
    assert boards.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    assert boards.wordWrap()
    item = boards.item(0)
    assert "Look 1" in item.toolTip()  # the whole name and counts, when a narrow dock elides


def test_the_edits_table_keeps_room_for_the_term(qtbot, qapp):
    # At 1280×720 the Term column came out a bare "…": the weight box's wide size hint
    # and the word columns took the whole table.
    from app.core.brief import Brief
    from app.core.interpret import interpret
    from app.ui.direction.edits_table import EditsTable

    brief = Brief.from_prompt("a model in a coat, smiling, soft window light")
    result = interpret("smile a bit more and make the light warmer", brief)
    from app.ui.main import load_style

    load_style(qapp)  # the real style sheet: its padded spin boxes took the room
    qtbot.addWidget(table := EditsTable())
    table.resize(380, 160)
    table.set_edits(result.edits)
    table.show()
    qtbot.waitExposed(table)
    widest = max(table.fontMetrics().horizontalAdvance(e.term) for e in result.edits)
    term = table.columnWidth(3)
    widths = sum(table.columnWidth(c) for c in range(table.columnCount()))
    qapp.setStyleSheet("")
    assert term >= widest + 8, (term, widest)
    assert widths <= table.viewport().width() + 1


def test_a_long_queue_title_keeps_clear_of_its_status(window, qtbot):
    from app.ui.queue.panel import JobRow
    from app.engine.jobs import RenderJob

    shot = window.board_model.shot_at(0)
    job = RenderJob(board_id=shot.board_id, brief=shot.brief, seed=1, steps=4, width=64,
                    height=64, count=2)
    row = JobRow("job-t", job, window.queue_panel)
    qtbot.addWidget(row)
    row.title.setText("a model in a red wool coat, long dark hair, " * 4)
    row.status.setText("Rendering")
    row.resize(520, 60)
    row.show()
    qtbot.waitExposed(row)
    assert row.status.geometry().left() - row.title.geometry().right() >= 8
