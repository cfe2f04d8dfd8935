"""The Export dialog: presets (several at once), a framed preview with the story's safe
zones, crop or pad, format, labels; the export runs off the GUI thread with progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QRadioButton, QVBoxLayout)

from app.delivery.presets import PRESETS

PREVIEW = 360


class _ExportJob(QObject):
    progress = Signal(int, int, str)
    done = Signal(list, list)  # files (dicts), skipped (shot id, why)
    failed = Signal(str, str)  # kind (refused, bad-input, failed), message

    def __init__(self, studio, shots, presets, folder, options):
        super().__init__()
        self.args = (studio, shots, presets, folder, options)

    def run(self):
        from app.delivery import export as ex
        from app.delivery.rules import ExportRefused

        studio, shots, presets, folder, o = self.args
        try:
            files, plan = ex.export(studio, shots, presets, folder, progress=self.progress.emit, **o)
        except ExportRefused as exc:
            self.failed.emit("refused", str(exc))
        except ex.ExportError as exc:
            self.failed.emit("bad-input", str(exc))
        except ex.ExportFailed as exc:
            self.failed.emit("failed", str(exc))
        except Exception as exc:  # noqa: BLE001 - shown, never a crash of the window
            self.failed.emit("failed", f"internal error: {exc}")
        else:
            self.done.emit([f.to_dict() | {"notes": list(f.notes)} for f in files], plan.skipped)


def pil_to_qimage(img) -> QImage:
    rgb = img.convert("RGB")
    data = rgb.tobytes()
    q = QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format_RGB888)
    return q.copy()  # own the pixels


class ExportDialog(QDialog):
    exported = Signal(int, str)

    def __init__(self, studio, board_id, selected, parent=None):
        super().__init__(parent)
        self.setObjectName("ExportDialog")
        self.setWindowTitle("Export")
        self.studio, self.board_id, self.selected = studio, board_id, list(selected)
        self.thread = None
        self.result_files: list = []
        self.last_error: tuple | None = None

        self.presets = QListWidget()
        self.presets.setObjectName("Presets")
        for p in PRESETS.values():
            size = "as rendered" if p.width is None else f"{p.width}×{p.height}"
            item = QListWidgetItem(f"{p.label} — {size}")
            item.setData(Qt.UserRole, p.name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.presets.addItem(item)
        self.presets.currentItemChanged.connect(lambda *_: self.update_preview())
        self.presets.itemChanged.connect(lambda *_: self._update_buttons())

        self.preview = QLabel()
        self.preview.setObjectName("ExportPreview")
        self.preview.setFixedSize(PREVIEW, PREVIEW)
        self.preview.setAlignment(Qt.AlignCenter)
        self.preview_notes = QLabel()
        self.preview_notes.setTextFormat(Qt.PlainText)
        self.preview_notes.setWordWrap(True)

        self.fit = QComboBox()
        self.fit.addItem("Crop around the subject", "crop")
        self.fit.addItem("Pad (keep the whole picture)", "pad")
        self.fit.currentIndexChanged.connect(lambda *_: self.update_preview())
        self.format = QComboBox()
        for f in ("jpeg", "png", "webp"):
            self.format.addItem(f.upper(), f)
        self.visible_label = QCheckBox('Visible "AI-generated" label')
        self.visible_label.toggled.connect(lambda *_: self.update_preview())
        self.with_recipe = QCheckBox("Include the prompt and settings (not for clients' copies)")
        self.include_unapproved = QCheckBox("Also shots that are not approved")
        self.scope_selected = QRadioButton(f"The selected shots ({len(self.selected)})")
        self.scope_board = QRadioButton("Every approved shot on the board")
        (self.scope_selected if self.selected else self.scope_board).setChecked(True)
        self.scope_selected.setEnabled(bool(self.selected))
        self.folder = QLineEdit(str(Path.home() / "Atelier exports"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_folder)
        self.progress = QProgressBar()
        self.progress.setObjectName("ExportProgress")
        self.status = QLabel()
        self.status.setTextFormat(Qt.PlainText)
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("ExportButton")
        self.export_button.clicked.connect(self.start)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow("Fit", self.fit)
        form.addRow("Format", self.format)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        form.addRow("To folder", row)
        left = QVBoxLayout()
        left.addWidget(QLabel("Presets (tick one or more)"))
        left.addWidget(self.presets, 1)
        left.addWidget(self.scope_selected)
        left.addWidget(self.scope_board)
        left.addLayout(form)
        for w in (self.visible_label, self.with_recipe, self.include_unapproved):
            left.addWidget(w)
        right = QVBoxLayout()
        right.addWidget(self.preview)
        right.addWidget(self.preview_notes)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.presets.setCurrentRow(0)
        self._update_buttons()

    # -- choices --------------------------------------------------------------------------
    def checked_presets(self):
        out = []
        for i in range(self.presets.count()):
            item = self.presets.item(i)
            if item.checkState() == Qt.Checked:
                out.append(PRESETS[item.data(Qt.UserRole)])
        return out

    def set_presets(self, names) -> None:
        for i in range(self.presets.count()):
            item = self.presets.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in names else Qt.Unchecked)

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(bool(self.checked_presets()) and self.thread is None)

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if path:
            self.folder.setText(path)

    # -- preview --------------------------------------------------------------------------
    def _preview_shot(self):
        if self.selected:
            return self.selected[0]
        from app.store import repo

        page = repo.board_page(self.studio, self.board_id, limit=1, status="approved")
        return page.shots[0] if page.shots else None

    def update_preview(self) -> None:
        from PIL import Image

        from app.delivery import export as ex
        from app.delivery import framing

        item = self.presets.currentItem()
        shot = self._preview_shot()
        self.preview_info = None
        if item is None or shot is None:
            self.preview.setText("No shot to preview")
            return
        preset = PRESETS[item.data(Qt.UserRole)]
        path = self.studio.images.path(shot.image)
        try:
            with Image.open(path) as im:
                im.draft("RGB", (PREVIEW * 2, PREVIEW * 2))
                pic = im.convert("RGB")
        except OSError:
            self.preview.setText("The picture is missing")
            return
        notes: tuple = ()
        if preset.width is not None:
            # Frame a small copy: the subject finder and the crop work in proportions.
            scale = PREVIEW / max(preset.width, preset.height)
            w, h = max(1, round(preset.width * scale)), max(1, round(preset.height * scale))
            fit = framing.plan(pic, preset.width, preset.height, self.fit.currentData())
            small_fit = framing.Fit(fit.mode, fit.box, fit.scale * scale, fit.subject,
                                    fit.subject_kind, fit.notes)
            out = framing.apply(pic, small_fit, w, h)
            notes = fit.notes
        else:
            out = pic.copy()
            out.thumbnail((PREVIEW, PREVIEW))
        if self.visible_label.isChecked():
            out = ex.label(out, safe_bottom=preset.safe_bottom)
        image = pil_to_qimage(out)
        if preset.safe_top or preset.safe_bottom:
            p = QPainter(image)
            shade = QColor(220, 40, 40, 90)
            top, bottom = round(image.height() * preset.safe_top), round(image.height() * preset.safe_bottom)
            p.fillRect(0, 0, image.width(), top, shade)
            p.fillRect(0, image.height() - bottom, image.width(), bottom, shade)
            p.setPen(QColor(255, 255, 255))
            p.drawText(6, max(12, top - 6), "platform interface")
            p.drawText(6, image.height() - bottom + 14, "platform interface")
            p.end()
        self.preview_info = {"preset": preset.name, "size": (image.width(), image.height()),
                             "safe_zones": bool(preset.safe_top or preset.safe_bottom), "notes": notes}
        self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview_notes.setText("\n".join(notes) or "The shot fits this preset as it is.")

    # -- running --------------------------------------------------------------------------
    def start(self) -> None:
        from app.store import repo

        presets = self.checked_presets()
        if not presets or self.thread is not None:
            return
        if self.scope_selected.isChecked() and self.selected:
            shots, from_board = self.selected, False
        else:
            shots, offset = [], 0
            while True:
                page = repo.board_page(self.studio, self.board_id, offset=offset, limit=200)
                shots += page.shots
                offset += len(page.shots)
                if not page.shots or offset >= page.total:
                    break
            shots.sort(key=lambda s: s.id)
            from_board = True
        options = {"fmt": self.format.currentData(), "fit": self.fit.currentData(),
                   "visible_label": self.visible_label.isChecked(),
                   "with_recipe": self.with_recipe.isChecked(),
                   "include_unapproved": self.include_unapproved.isChecked(), "from_board": from_board}
        self.last_error = None
        self.status.setText("Exporting…")
        self.thread = QThread(self)
        self.job = _ExportJob(self.studio, shots, presets, self.folder.text(), options)
        self.job.moveToThread(self.thread)
        self.thread.started.connect(self.job.run)
        self.job.progress.connect(self._on_progress)
        self.job.done.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.job.done.connect(self.thread.quit)
        self.job.failed.connect(self.thread.quit)
        self.thread.finished.connect(self._on_thread_end)
        self._update_buttons()
        self.thread.start()

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)
        self.status.setText(f"{done}/{total} {what}")

    def _on_done(self, files: list, skipped: list) -> None:
        self.result_files = files
        lines = [f"Exported {len(files)} file(s) to {self.folder.text()}."]
        lines += [f"Left out: {why}" for _sid, why in skipped]
        lines += [f"Shot {f['shot']} {f['preset']}: {n}" for f in files for n in f.get("notes", [])]
        self.status.setText("\n".join(lines))
        self.exported.emit(len(files), self.folder.text())

    def _on_failed(self, kind: str, message: str) -> None:
        self.last_error = (kind, message)
        self.status.setText(("Not exported: " if kind == "refused" else "Export failed: ") + message)

    def _on_thread_end(self) -> None:
        self.thread.deleteLater()
        self.thread = None
        self._update_buttons()

    def running(self) -> bool:
        return self.thread is not None

    def reject(self) -> None:
        if self.thread is not None:  # let the export finish: it is all or nothing anyway
            self.thread.quit()
            self.thread.wait()
        super().reject()
