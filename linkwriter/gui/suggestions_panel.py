"""The "Suggestions" dock: why the link under the cursor is there, and lead-ins that say so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkwriter.core.config import Config
from linkwriter.core.model import Fix
from linkwriter.gui.analysis import AnalysisResult, ask_worker, fetch_post

EMPTY_HINT = "Put the cursor on a link to see why it is there and lead-ins that tell the reader."


def suggestions_available() -> bool:
    try:
        import linkwriter.core.suggest  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class SuggestionView:
    revision: int  # the analysis revision whose text the fixes refer to
    link_index: int
    intent: str
    cues: list[str]
    fixes: list[Fix]
    affiliate: bool
    source: str


def compute_suggestions(result: AnalysisResult, index: int, config: Config,
                        use_ai: bool) -> SuggestionView:
    """Runs in a worker thread: plain data out. Template lead-ins are made in the analysis
    worker, where the Post is; with AI configured (slow, networked) the Post is fetched and
    used here, so the analysis worker is never held up by it."""
    from linkwriter.core.suggest import suggest_for_link
    from linkwriter.core.suggest.ai import ai_settings

    use_ai = use_ai and ai_settings(config).usable
    s: Any = None
    if not use_ai:
        s = ask_worker("suggest_stored", result.doc_id, result.revision, index, config)
    if s is None:
        s = suggest_for_link(fetch_post(result), index, config, use_ai=use_ai)
    intent = getattr(s.intent, "label", str(s.intent))
    return SuggestionView(result.revision, index, intent, [str(c) for c in s.cues[:4]],
                          list(s.suggestions), bool(s.affiliate), s.source)


class SuggestionsPanel(QDockWidget):
    applyRequested = Signal(object)  # Fix

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Suggestions", parent)
        self.setObjectName("suggestionsPanel")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.link_label = QLabel(EMPTY_HINT, body)
        self.link_label.setObjectName("suggestionLink")
        self.link_label.setWordWrap(True)
        self.link_label.setTextFormat(Qt.TextFormat.RichText)
        self.intent_label = QLabel("", body)
        self.intent_label.setObjectName("suggestionIntent")
        self.intent_label.setWordWrap(True)
        self.list = QListWidget(body)
        self.list.setObjectName("suggestionList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemDoubleClicked.connect(self._apply_item)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton("Apply lead-in", body)
        self.apply_button.setObjectName("applySuggestion")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(lambda: self._apply_item(self.list.currentItem()))
        self.list.currentItemChanged.connect(
            lambda cur, _prev: self.apply_button.setEnabled(cur is not None))
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        layout.addWidget(self.link_label)
        layout.addWidget(self.intent_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.view: SuggestionView | None = None

    def show_empty(self, text: str = EMPTY_HINT) -> None:
        self.view = None
        self.link_label.setText(text)
        self.intent_label.setText("")
        self.list.clear()

    def show_loading(self, anchor: str, url: str) -> None:
        self.link_label.setText(_link_html(anchor, url))
        self.intent_label.setText("Thinking about this link…")

    def show_view(self, view: SuggestionView, anchor: str, url: str) -> None:
        self.view = view
        self.link_label.setText(_link_html(anchor, url))
        intent = f"<b>Intent:</b> {view.intent}"
        if view.affiliate:
            intent += " · <b>affiliate</b>"
        if view.cues:
            intent += "<br><small>" + "<br>".join(_esc(c) for c in view.cues[:3]) + "</small>"
        self.intent_label.setText(intent)
        self.list.clear()
        for fix in view.fixes:
            item = QListWidgetItem(fix.title)
            item.setData(Qt.ItemDataRole.UserRole, fix)
            item.setToolTip(fix.replacement)
            self.list.addItem(item)
        if not view.fixes:
            self.list.addItem(QListWidgetItem("No lead-in needed for this link."))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _apply_item(self, item: QListWidgetItem | None) -> None:
        fix = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(fix, Fix):
            self.applyRequested.emit(fix)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link_html(anchor: str, url: str) -> str:
    return f"<b>{_esc(anchor or url)}</b><br><small>{_esc(url)}</small>"
