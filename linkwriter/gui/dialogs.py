"""Questions the app asks the writer. Module-level functions so tests can answer them."""

from __future__ import annotations

import time

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from linkwriter.gui.storage import RecoveryEntry


def ask_save_changes(parent: QWidget, name: str) -> str:
    """'save', 'discard' or 'cancel'."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                      f"Save the changes to “{name}” before closing?",
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(
        QMessageBox.StandardButton(answer), "cancel")


def ask_restore(parent: QWidget | None, entries: list[RecoveryEntry]) -> bool:
    names = "\n".join(
        f"• {e.title} (last change {time.strftime('%Y-%m-%d %H:%M', time.localtime(e.saved_at))})"
        for e in entries)
    box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work?",
                      "LinkWriter was not closed properly. It kept a copy of text you had not "
                      f"saved:\n\n{names}\n\nRestore it?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("Restore")
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_overwrite_changed_file(parent: QWidget, name: str) -> bool:
    answer = QMessageBox.warning(
        parent, "File changed on disk",
        f"“{name}” was changed by another program since you opened it.\n"
        "Saving now replaces those changes with your version. Save anyway?",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save


def show_error(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, "LinkWriter", message)


class EditLinkDialog(QDialog):
    def __init__(self, parent: QWidget | None, text: str, url: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit link")
        self.setObjectName("editLinkDialog")
        form = QFormLayout(self)
        self.text_edit = QLineEdit(text, self)
        self.text_edit.setObjectName("anchorText")
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setObjectName("linkUrl")
        self.url_edit.setMinimumWidth(360)
        form.addRow("Anchor text:", self.text_edit)
        form.addRow("URL:", self.url_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.text_edit.text(), self.url_edit.text().strip()


def ask_edit_link(parent: QWidget, text: str, url: str) -> tuple[str, str] | None:
    dialog = EditLinkDialog(parent, text, url)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
