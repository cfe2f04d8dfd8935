"""The models dialog: what the engine finds on this machine, and adding a model.

Listing may import diffusers/torch (to tell whether a family can run), so it runs in a
QRunnable while the dialog says "Looking for models…". An added folder or .safetensors file
is checked by the engine (`resolve_model`: pickle files refused before a byte is read,
truncated or unknown files explained) and, when usable, remembered in QSettings under
"models/extra_paths", which `extra_model_paths()` reads for the rest of the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSettings, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from app.engine.models import human_size  # light: torch and diffusers load only when listing
from app.ui.text import tip

SETTINGS_KEY = "models/extra_paths"
COLUMNS = ("Name", "Family", "Size", "Licence", "Status")
LOOKING = "Looking for models…"
DEMO_NOTICE = (
    "<b>Only the demo model is here.</b> It is a small sketch model for trying the studio: "
    "it draws 64×64 fashion croquis (garment, background, hair, expression, light, framing) "
    "that follow the prompt and your notes, not photographs. To make real pictures, add a Stable Diffusion model: a diffusers folder (with "
    "<i>model_index.json</i>) or a single <i>.safetensors</i> checkpoint, with "
    "<b>Add folder…</b> or <b>Add file…</b> below. Models in the Hugging Face cache and in "
    "the studio's <i>models</i> folder are found by themselves. Pickle checkpoints "
    "(.ckpt, .bin, .pt) are refused: loading one can run arbitrary code.")


def _settings(settings: QSettings | None) -> QSettings:
    return settings if settings is not None else QSettings()


def extra_model_paths(settings: QSettings | None = None) -> list[str]:
    value = _settings(settings).value(SETTINGS_KEY, [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or []) if v]


def set_extra_model_paths(paths: list[str], settings: QSettings | None = None) -> None:
    _settings(settings).setValue(SETTINGS_KEY, list(dict.fromkeys(paths)))



class _Signals(QObject):
    done = Signal(object, str)  # result, error ("" when fine)


class _Task(QRunnable):
    """Runs `fn()` in a pool thread; the result or the error message comes back as a signal."""

    def __init__(self, fn, signals: _Signals):
        super().__init__()
        self.fn, self.signals = fn, signals

    def run(self) -> None:
        try:
            result, error = self.fn(), ""
        except Exception as exc:  # ModelError carries a message meant for people
            result, error = None, str(exc) or exc.__class__.__name__
        try:
            self.signals.done.emit(result, error)
        except RuntimeError:  # the dialog closed meanwhile
            pass


def _find(extra, studio_path):
    from app.engine.models import find_models

    return find_models(extra=extra, studio=studio_path)


def _check(path: str, studio_path):
    """The engine's verdict on a path. A folder that is not itself a model may hold models
    (one per sub-folder or file): it is accepted when the engine finds at least one there."""
    from app.engine.models import ModelError, find_models, resolve_model

    folder = Path(path).expanduser()
    if folder.is_dir() and not (folder / "model_index.json").is_file():
        inside = [m for m in find_models(extra=[folder], studio=studio_path)
                  if Path(m.path).resolve().parent == folder.resolve()]
        if not inside:
            raise ModelError(f"{folder}: no model here — a model is a diffusers folder (with "
                             "model_index.json) or a .safetensors checkpoint")
        return inside
    return resolve_model(folder, studio=studio_path)


class ModelsDialog(QDialog):
    listed = Signal(list)  # ModelInfo, once a listing is shown
    added = Signal(str)  # a path that was checked and remembered
    refused = Signal(str)  # the engine's message for a path it refused

    def __init__(self, parent=None, settings: QSettings | None = None, studio_path=None):
        super().__init__(parent)
        self.setObjectName("modelsDialog")
        self.setWindowTitle("Models")
        self.resize(820, 460)
        self._settings = settings
        self._studio_path = Path(studio_path) if studio_path else None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tasks: list[tuple[_Task, _Signals]] = []
        self.models: list = []

        layout = QVBoxLayout(self)
        self.notice = QLabel(DEMO_NOTICE)
        self.notice.setObjectName("demoNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.RichText)
        self.notice.setStyleSheet("background: #3b3220; color: #f0d9a8; padding: 8px;"
                                  " border-radius: 3px;")
        self.notice.hide()
        layout.addWidget(self.notice)
        self.state = QLabel(LOOKING)
        self.state.setObjectName("modelsState")
        layout.addWidget(self.state)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("modelsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.Stretch)
        layout.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setObjectName("modelsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e07a7a;")
        self.error.hide()
        layout.addWidget(self.error)

        row = QHBoxLayout()
        self.add_folder_button = QPushButton("Add folder…")
        self.add_folder_button.setShortcut("Ctrl+Shift+O")
        self.add_folder_button.setToolTip("Add a diffusers model folder (Ctrl+Shift+O)")
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.add_file_button = QPushButton("Add file…")
        self.add_file_button.setShortcut("Ctrl+O")
        self.add_file_button.setToolTip("Add a single-file .safetensors checkpoint (Ctrl+O)")
        self.add_file_button.clicked.connect(self._choose_file)
        self.forget_button = QPushButton("Forget")
        self.forget_button.setShortcut("Delete")
        self.forget_button.setToolTip("Stop looking in the added path of the selected model "
                                      "(Delete); files are not touched")
        self.forget_button.setEnabled(False)
        self.forget_button.clicked.connect(self.forget_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh_button = QPushButton("Look again")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.setToolTip("Look for models again (F5)")
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.add_folder_button, self.add_file_button, self.forget_button,
                       self.refresh_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        self.refresh()

    # --- background work --------------------------------------------------------------
    def _run(self, fn, on_done) -> None:
        signals = _Signals(self)
        task = _Task(fn, signals)
        task.setAutoDelete(False)  # kept in self._tasks until its answer arrives
        entry = (task, signals)
        self._tasks.append(entry)

        def finished(result, error):
            self._tasks.remove(entry)
            on_done(result, error)
        signals.done.connect(finished)
        self._pool.start(task)

    def busy(self) -> bool:
        return bool(self._tasks)

    def wait(self, msecs: int = 60000) -> bool:
        return self._pool.waitForDone(msecs)

    # --- listing ----------------------------------------------------------------------
    def refresh(self) -> None:
        self.state.setText(LOOKING)
        self.state.show()
        self.refresh_button.setEnabled(False)
        extra = extra_model_paths(self._settings)
        self._run(lambda: _find(extra, self._studio_path), self._show_models)

    def _show_models(self, models, error: str) -> None:
        self.refresh_button.setEnabled(True)
        if error:
            self.state.setText(f"The models could not be listed: {error}")
            return
        self.models = list(models)
        self.table.setRowCount(len(self.models))
        for r, m in enumerate(self.models):
            status = "Ready" if m.runnable else "Cannot run"
            if m.reason:
                status += f" — {m.reason}"
            values = (m.name, m.family or "unknown", human_size(m.size_bytes),
                      m.license or "not stated", status)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tip(m.path if c == 0 else value))
                if c == len(values) - 1 and not m.runnable:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        only_demo = all(m.kind == "demo" for m in self.models)
        self.notice.setVisible(only_demo)
        self.state.setText(f"{len(self.models)} model(s) found." if self.models else "No model found.")
        self.listed.emit(self.models)

    # --- forgetting -------------------------------------------------------------------
    def _added_path_of(self, row: int) -> str | None:
        """The remembered path that brought the model of `row` in (itself or its folder)."""
        if not 0 <= row < len(self.models):
            return None
        model = Path(self.models[row].path).resolve()
        for extra in extra_model_paths(self._settings):
            base = Path(extra).expanduser().resolve()
            if model == base or model.parent == base:
                return extra
        return None

    def _selection_changed(self) -> None:
        self.forget_button.setEnabled(self._added_path_of(self.table.currentRow()) is not None)

    def forget_selected(self) -> None:
        path = self._added_path_of(self.table.currentRow())
        if path is None:
            return
        set_extra_model_paths([p for p in extra_model_paths(self._settings) if p != path],
                              self._settings)
        self.refresh()

    # --- adding -----------------------------------------------------------------------
    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Add a diffusers model folder")
        if path:
            self.add_path(path)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add a .safetensors checkpoint", "",
            "Safetensors checkpoints (*.safetensors);;All files (*)")
        if path:
            self.add_path(path)

    def add_path(self, path: str) -> None:
        """Check `path` with the engine; remember it and list again when it is usable."""
        self.error.hide()
        self.state.setText(f"Checking {Path(path).name}…")
        self._run(lambda: _check(path, self._studio_path),
                  lambda info, error: self._checked(path, info, error))

    def _checked(self, path: str, info, error: str) -> None:
        if error:
            self.error.setText(error)
            self.error.show()
            self.state.setText("That model was not added.")
            self.refused.emit(error)
            return
        paths = extra_model_paths(self._settings)
        set_extra_model_paths([*paths, str(Path(path).expanduser().resolve())], self._settings)
        self.added.emit(path)
        self.refresh()
