"""Find and replace inside the editor (replacements are undoable edits)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)


class FindBar(QWidget):
    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.editor = editor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.find_edit = QLineEdit(self)
        self.find_edit.setObjectName("findText")
        self.find_edit.setPlaceholderText("Find")
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setObjectName("replaceText")
        self.replace_edit.setPlaceholderText("Replace with")
        self.case = QCheckBox("Match case", self)
        self.status = QLabel("", self)
        buttons = [("Next", self.find_next), ("Previous", self.find_previous),
                   ("Replace", self.replace_one), ("Replace all", self.replace_all),
                   ("Close", self.hide)]
        layout.addWidget(self.find_edit, 2)
        layout.addWidget(self.replace_edit, 2)
        layout.addWidget(self.case)
        for title, slot in buttons:
            btn = QPushButton(title, self)
            btn.clicked.connect(slot)
            layout.addWidget(btn)
        layout.addWidget(self.status, 1)
        self.find_edit.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence("Escape"), self, self.hide)
        self.hide()

    def open(self) -> None:
        selected = self.editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, backward: bool) -> bool:
        needle = self.find_edit.text()
        if not needle:
            return False
        if self.editor.find(needle, self._flags(backward)):
            self.status.setText("")
            return True
        cursor = self.editor.textCursor()  # wrap around once
        cursor.movePosition(QTextCursor.MoveOperation.End if backward
                            else QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(needle, self._flags(backward))
        self.status.setText("" if found else "Not found")
        return found

    def find_next(self) -> bool:
        return self._find(False)

    def find_previous(self) -> bool:
        return self._find(True)

    def _matches_selection(self) -> bool:
        sel = self.editor.textCursor().selectedText()
        needle = self.find_edit.text()
        return bool(needle) and (sel == needle if self.case.isChecked()
                                 else sel.lower() == needle.lower())

    def replace_one(self) -> None:
        if not self._matches_selection() and not self.find_next():
            return
        self.editor.textCursor().insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        """Every match replaced as ONE undo step."""
        needle = self.find_edit.text()
        if not needle:
            return 0
        doc = self.editor.document()
        cursor = QTextCursor(doc)
        count = 0
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        while True:
            cursor = doc.find(needle, cursor, self._flags())
            if cursor.isNull():
                break
            cursor.insertText(self.replace_edit.text())
            count += 1
        edit.endEditBlock()
        self.status.setText(f"Replaced {count}")
        return count
