"""First run: with no studio yet, say where the studio will live, let the person choose
another folder, and offer to add a model before the first render.

`start_studio()` decides which studio the window opens when none was named (`--studio`,
$ATELIER_STUDIO): the last one opened, when it still exists, else the default folder; the
dialog is shown only when that folder holds no studio yet. Everything shown is plain text
(paths are the person's; never rich text).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout,
                               QLabel, QPushButton, QVBoxLayout, QWidget)

STUDIO_DB = "atelier.db"
STUDIO_SUBFOLDER = "Atelier studio"

INTRO = ("Welcome to Atelier. Everything you do is kept in a studio folder: the history "
         "database (every note, edit, render and decision), the pictures and their "
         "thumbnails, and daily backups. You can open or start other studios later from the "
         "File menu.")
MODELS_TEXT = ("Atelier comes with a small demo model so you can try the whole loop at once; "
               "it is a sketch model (small croquis, not photographs). To render real pictures, add "
               "a Stable Diffusion or FLUX model: a diffusers folder (with model_index.json) "
               "or a single .safetensors file. Models in the Hugging Face cache and in the "
               "studio's models folder are found by themselves. You can also do this later "
               "with Models….")


def is_studio(path: Path | str) -> bool:
    return (Path(path).expanduser() / STUDIO_DB).is_file()


def studio_in(folder: Path | str) -> Path:
    """Where a studio chosen as `folder` goes: the folder itself when it is a studio or
    empty (or new); otherwise a sub-folder, so a studio never mixes with other files."""
    folder = Path(folder).expanduser()
    if is_studio(folder) or not folder.exists():
        return folder
    try:
        empty = folder.is_dir() and not any(folder.iterdir())
    except OSError:
        empty = False
    return folder if empty else folder / STUDIO_SUBFOLDER


def start_studio(explicit: str | os.PathLike | None, settings=None, environ=None) -> tuple[Path, bool]:
    """The studio to open at start and whether this is a first run (offer the dialog).
    A studio named on the command line or in $ATELIER_STUDIO is never questioned."""
    from app.paths import default_studio

    env = os.environ if environ is None else environ
    if explicit:
        return Path(explicit).expanduser(), False
    if env.get("ATELIER_STUDIO"):
        return Path(env["ATELIER_STUDIO"]).expanduser(), False
    if settings is not None:
        last = settings.last_studio()
        if last and is_studio(last):
            return Path(last), False
    default = default_studio()
    return default, not is_studio(default)


class FirstRunDialog(QDialog):
    def __init__(self, studio: Path | str, parent: QWidget | None = None, qsettings=None):
        super().__init__(parent)
        self.setObjectName("FirstRunDialog")
        self.setWindowTitle("Welcome to Atelier")
        self.setModal(True)
        self.resize(640, 0)
        self._qsettings = qsettings
        self.studio = Path(studio).expanduser()
        self.models_added: list[str] = []

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.PlainText)

        where = QGroupBox("Your studio")
        self.path_label = QLabel()
        self.path_label.setObjectName("StudioPath")
        self.path_label.setTextFormat(Qt.PlainText)
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.choose_button = QPushButton("Choose another folder…")
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(self._choose)
        box = QVBoxLayout(where)
        box.addWidget(self.path_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.choose_button)
        box.addLayout(row)

        models = QGroupBox("Models")
        models_text = QLabel(MODELS_TEXT)
        models_text.setWordWrap(True)
        models_text.setTextFormat(Qt.PlainText)
        self.models_state = QLabel("Only the demo model for now.")
        self.models_state.setObjectName("ModelsState")
        self.models_state.setTextFormat(Qt.PlainText)
        self.models_state.setWordWrap(True)
        self.add_model_button = QPushButton("Add a model…")
        self.add_model_button.setAutoDefault(False)
        self.add_model_button.clicked.connect(self.open_models)
        mbox = QVBoxLayout(models)
        mbox.addWidget(models_text)
        mrow = QHBoxLayout()
        mrow.addWidget(self.models_state, 1)
        mrow.addWidget(self.add_model_button)
        mbox.addLayout(mrow)

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Start", QDialogButtonBox.AcceptRole)
        self.start_button.setDefault(True)
        self.buttons.addButton("Quit", QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(models)
        layout.addWidget(self.buttons)
        self.set_folder(self.studio)

    # -- the studio folder ---------------------------------------------------------------
    def set_folder(self, folder: Path | str) -> None:
        self.studio = studio_in(folder)
        if is_studio(self.studio):
            text = f"Atelier will open the studio in\n{self.studio}"
        else:
            text = f"A new studio will be made in\n{self.studio}"
        self.path_label.setText(text)

    def _choose(self) -> None:
        start = str(self.studio.parent if not self.studio.exists() else self.studio)
        folder = QFileDialog.getExistingDirectory(self, "Choose the studio's folder", start)
        if folder:
            self.set_folder(folder)

    # -- models --------------------------------------------------------------------------
    def open_models(self) -> None:
        """The models dialog (it checks what is added: pickle files refused, a folder
        without a model explained); what it accepted is listed here."""
        from app.ui.dialogs.models import ModelsDialog, extra_model_paths

        before = set(extra_model_paths(self._qsettings))
        dialog = ModelsDialog(self, settings=self._qsettings, studio_path=self.studio)
        dialog.exec()
        dialog.wait(5000)
        self.note_models([p for p in extra_model_paths(self._qsettings) if p not in before])

    def note_models(self, added: list[str]) -> None:
        self.models_added += [p for p in added if p not in self.models_added]
        if self.models_added:
            names = ", ".join(Path(p).name for p in self.models_added)
            self.models_state.setText(f"Added: {names}")


def ask_first_run(studio: Path | str, parent: QWidget | None = None, qsettings=None) -> Path | None:
    """Show the first-run dialog; the studio folder to open, or None when the person quit."""
    dialog = FirstRunDialog(studio, parent, qsettings)
    return dialog.studio if dialog.exec() == QDialog.Accepted else None
