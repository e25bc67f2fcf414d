"""The main window: one post, its editor, the panels, and the file lifecycle."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkwriter import __version__
from linkwriter.core.config import Config, load_config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.model import Finding, Fix, Severity
from linkwriter.gui import dialogs
from linkwriter.gui.analysis import AnalysisResult, Analyzer, fetch_post
from linkwriter.gui.editor import MarkdownEditor
from linkwriter.gui.export_dialogs import CleanExportDialog, HtmlExportDialog
from linkwriter.gui.filehandling import (
    RECOVERY_DELAY_MS,
    RECOVERY_DRAIN_S,
    FileHandlingMixin,
    recovery_writer,
)
from linkwriter.gui.highlighter import CodeHighlighter
from linkwriter.gui.linkactions import LinkActionsMixin
from linkwriter.gui.linkmarks import LinkMarks
from linkwriter.gui.network import NetworkRunner
from linkwriter.gui.preview import PreviewPane
from linkwriter.gui.spans import EditLog
from linkwriter.gui.suggestions_panel import (
    SuggestionsPanel,
    compute_suggestions,
    suggestions_available,
)
from linkwriter.gui.textfile import (
    LoadedText,
    TextFormat,
)
from linkwriter.gui.theme import LIGHT, Theme
from linkwriter.gui.warnings_panel import Row, WarningsPanel
from linkwriter.gui.workers import LatestRunner


def debounce_ms(chars: int) -> int:
    """Short pauses for short posts; a bigger post waits a little longer before re-checking."""
    return int(min(60, 40 + chars / 50000))


class Banner(QFrame):
    """An in-window notice with buttons (non-modal, so typing is never blocked)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.buttons: list[QPushButton] = []
        self._layout = layout
        self.hide()

    def show_message(self, text: str, actions: list[tuple[str, object]]) -> None:
        for b in self.buttons:
            b.deleteLater()
        self.buttons = []
        self.label.setText(text)
        for title, callback in actions:
            btn = QPushButton(title, self)
            btn.clicked.connect(callback)
            self._layout.addWidget(btn)
            self.buttons.append(btn)
        self.show()

    def set_theme(self, theme: Theme) -> None:
        self.setStyleSheet(f"#banner {{ background: {theme.banner_bg}; border-radius: 4px; }}")


class MainWindow(FileHandlingMixin, LinkActionsMixin, QMainWindow):
    analysisApplied = Signal()  # a fresh analysis of the current text is on screen
    ANALYSIS_TIMEOUT_MS = 0  # for subclasses/tests; 0 = none

    def __init__(self, *, offline: bool = False, theme: Theme = LIGHT,
                 config_path: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.theme = theme
        self.offline = offline
        self._offline_choice: bool | None = True if offline else None  # see _load_config
        self.config_path = config_path
        self.doc_id = uuid.uuid4().hex
        self.path: Path | None = None
        self.loaded: LoadedText | None = None
        self.fmt = TextFormat()
        self.revision = 0
        self.result: AnalysisResult | None = None
        self.keys: list[str] = []
        self.findings_by_key: dict[str, Finding] = {}
        self.edit_log = EditLog()
        self.config = Config()
        self.config_error: str | None = None
        self._saving = False
        self._disk_changed = False
        self._closing = False

        self.editor = MarkdownEditor(self)
        self.editor.tooltip_provider = self._tooltip_at
        self.editor.url_provider = self._url_at
        self.editor.filesDropped.connect(self._on_files_dropped)
        self.editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.editor.customContextMenuRequested.connect(self._editor_context_menu)
        doc = self.editor.document()
        # Connected before the link marks exist, so spans move before marks look at them.
        doc.contentsChange.connect(self._on_contents_change)
        doc.modificationChanged.connect(self.setWindowModified)
        self.highlighter = CodeHighlighter(doc, theme)
        self.marks = LinkMarks(self.editor, self.editor.spans, theme)

        self.banner = Banner(self)
        self.banner.set_theme(theme)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.preview = PreviewPane(self, theme)
        self.preview.linkRefused.connect(
            lambda url: self.statusBar().showMessage(f"Not opened (unsafe link): {url}", 5000))
        self.preview.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(self.preview)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.warnings = WarningsPanel(self, theme)
        self.warnings.findingActivated.connect(self.go_to_finding)
        self.warnings.fixRequested.connect(self._on_fix_requested)
        self.warnings.actionRequested.connect(self.run_action)
        self.warnings.findingSelected.connect(self._on_finding_selected)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.warnings)

        self.suggestions = SuggestionsPanel(self)
        self.suggestions.applyRequested.connect(self._apply_suggestion)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.suggestions)
        self.splitDockWidget(self.warnings, self.suggestions, Qt.Orientation.Vertical)
        self.suggest_runner = LatestRunner(self)
        self.suggest_runner.finished.connect(self._on_suggestions)
        self.suggest_timer = QTimer(self)
        self.suggest_timer.setSingleShot(True)
        self.suggest_timer.setInterval(400)  # once the cursor settles: it shares the GIL
        self.suggest_timer.timeout.connect(self.update_suggestions)
        self.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        # The link of the finding selected in the panel, (revision, index): the suggestions
        # follow it until the cursor moves (walking the panel with the arrow keys).
        self._selected_link: tuple[int, int] | None = None

        self.analyzer = Analyzer(self, self.doc_id)
        self.analyzer.finished.connect(self._on_analysis)
        self.analyzer.failed.connect(
            lambda msg: self.state_label.setText(f"⚠ analysis failed: {msg}"))
        self.network = NetworkRunner(self)
        self.network.progress.connect(self._on_network_progress)
        self.network.finished.connect(self._on_network_finished)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.timeout.connect(self.request_analysis)
        self.recovery_timer = QTimer(self)
        self.recovery_timer.setSingleShot(True)
        self.recovery_timer.setInterval(RECOVERY_DELAY_MS)
        self.recovery_timer.timeout.connect(self.write_recovery)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)

        self._build_status_bar()
        self._build_actions()
        self.resize(1280, 800)
        self.resizeDocks([self.warnings], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.warnings, self.suggestions], [480, 260], Qt.Orientation.Vertical)
        self._load_config()
        self._update_title()
        self.editor.document().setModified(False)  # layout setup marks a new document dirty
        self.request_analysis()

    # -- chrome ------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.counts_label = QLabel("", self)
        self.counts_label.setObjectName("countsLabel")
        self.state_label = QLabel("", self)
        self.state_label.setObjectName("analysisState")
        # Its text changes as typing starts and stops: a size hint that follows the text would
        # re-layout (and repaint) the whole window each time.
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts_label.setFixedWidth(self.counts_label.fontMetrics().horizontalAdvance(
            "0,000,000 words · 00,000 links  "))
        self.offline_label = QLabel("", self)
        self.offline_label.setObjectName("offlineIndicator")
        self.net_progress = QProgressBar(self)
        self.net_progress.setObjectName("networkProgress")
        self.net_progress.setMaximumWidth(160)
        self.net_progress.setFormat("Checking links %v/%m")
        self.net_progress.hide()
        self.net_cancel = QToolButton(self)
        self.net_cancel.setObjectName("networkCancel")
        self.net_cancel.setText("Cancel")
        self.net_cancel.setToolTip("Stop the network checks")
        self.net_cancel.clicked.connect(self.cancel_network)
        self.net_cancel.hide()
        bar.addWidget(self.counts_label)
        bar.addWidget(self.state_label, 1)
        bar.addPermanentWidget(self.net_progress)
        bar.addPermanentWidget(self.net_cancel)
        bar.addPermanentWidget(self.offline_label)
        self._update_offline_label()

    def _update_offline_label(self) -> None:
        self.offline_label.setText("● Offline" if self.offline else "● Online")
        self.offline_label.setToolTip(
            "No network checks: links are checked against the offline rules only."
            if self.offline else "Network checks are on.")

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.act_new = self._action(file_menu, "&New", QKeySequence.StandardKey.New, self.new_post)
        self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.open_dialog)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        file_menu.addSeparator()
        self._action(file_menu, "Export &Cleaned Markdown…", None, self.export_clean)
        self._action(file_menu, "Export &HTML…", None, self.export_html)
        file_menu.addSeparator()
        self._action(file_menu, "&Close", QKeySequence.StandardKey.Close, self.close)

        edit_menu = menu.addMenu("&Edit")
        undo = self._action(edit_menu, "&Undo", QKeySequence.StandardKey.Undo, self.editor.undo)
        redo = self._action(edit_menu, "&Redo", QKeySequence.StandardKey.Redo, self.editor.redo)
        undo.setEnabled(False)
        redo.setEnabled(False)
        self.editor.undoAvailable.connect(undo.setEnabled)
        self.editor.redoAvailable.connect(redo.setEnabled)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find/Replace…", QKeySequence.StandardKey.Find,
                     self.show_find)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Settings…", QKeySequence("Ctrl+,"), self.open_settings)
        self.edit_menu = edit_menu

        check_menu = menu.addMenu("&Check")
        self.act_next = self._action(check_menu, "&Next Finding", "F8", self.next_finding)
        self.act_prev = self._action(check_menu, "&Previous Finding", "Shift+F8",
                                     self.previous_finding)
        self.act_recheck = self._action(check_menu, "&Check Again", "F5", self.recheck)

        self.act_offline = QAction("Offline", self)
        self.act_offline.setObjectName("offlineAction")
        self.act_offline.setCheckable(True)
        self.act_offline.setChecked(self.offline)
        self.act_offline.setToolTip("Work offline: no network checks")
        self.act_offline.toggled.connect(self.set_offline)
        check_menu.addSeparator()
        check_menu.addAction(self.act_offline)

        view_menu = menu.addMenu("&View")
        self.act_preview = QAction("&Preview", self)
        self.act_preview.setObjectName("previewAction")
        self.act_preview.setCheckable(True)
        self.act_preview.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.act_preview.toggled.connect(self.set_preview_visible)
        view_menu.addAction(self.act_preview)
        view_menu.addAction(self.warnings.toggleViewAction())
        view_menu.addAction(self.suggestions.toggleViewAction())
        self.view_menu = view_menu

        help_menu = menu.addMenu("&Help")
        self.act_about = QAction("&About LinkWriter", self)
        self.act_about.setObjectName("aboutAction")
        self.act_about.triggered.connect(self.show_about)
        help_menu.addAction(self.act_about)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.act_prev)
        toolbar.addAction(self.act_next)
        toolbar.addAction(self.act_recheck)
        toolbar.addSeparator()
        toolbar.addAction(self.act_preview)
        toolbar.addAction(self.act_offline)
        self.toolbar = toolbar

    def about_text(self) -> str:
        return (
            f"<h3>LinkWriter {__version__}</h3>"
            "<p>Get every link in a Markdown post right, offline, before you publish: trust, "
            "relevance and lead-ins, with one engine for the app and the command line.</p>"
            "<p>Safe Browsing results, when enabled, come from Google Safe Browsing; "
            "protection is not guaranteed.</p>"
        )

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, "About LinkWriter", self.about_text())

    def _action(self, menu: QMenu, title: str, shortcut, slot) -> QAction:  # noqa: ANN001
        act = QAction(title, self)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def _update_title(self) -> None:
        name = self.path.name if self.path else "Untitled post"
        self.setWindowTitle(f"{name}[*] — LinkWriter")

    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled post"

    # -- config ------------------------------------------------
    def _load_config(self) -> None:
        try:
            self.config = load_config(self.path, self.config_path)
            self.config_error = None
        except LinkWriterError as exc:
            self.config = Config()
            self.config_error = str(exc)
        # The writer's choice this session (--offline, the toolbar toggle, the settings
        # dialog) wins over the config files' network.offline, which otherwise decides.
        offline = self._offline_choice
        if offline is None:
            offline = self.config.network.offline
        self.config.network.offline = offline
        if offline != self.offline:
            self.offline = offline
            if hasattr(self, "act_offline"):
                self.act_offline.setChecked(offline)
                self._update_offline_label()

    @Slot(bool)
    def set_offline(self, offline: bool) -> None:
        self.offline = self._offline_choice = offline
        if self.act_offline.isChecked() != offline:
            self.act_offline.setChecked(offline)
        if offline:
            self.network.cancel()
        self._update_offline_label()
        self.recheck()

    # -- text and revisions ----------------------------------------
    def text(self) -> str:
        return self.editor.text()

    @Slot(int, int, int)
    def _on_contents_change(self, pos: int, removed: int, added: int) -> None:
        self.revision += 1
        self.editor.spans.apply_edit(pos, removed, added)
        self.edit_log.record(pos, removed, added)
        if self._closing:
            return
        chars = self.editor.document().characterCount()
        self.debounce.start(debounce_ms(chars))
        self.recovery_timer.start()

    def set_text(self, text: str) -> None:
        """Replace the whole text (opening a file): not undoable, spans reset."""
        self.editor.spans.set([])
        self.editor.setPlainText(text)
        self.marks.refresh(clear_quick=True)
        self.editor.document().setModified(False)
        self.edit_log.clear()
        self.recovery_timer.stop()
        self.request_analysis()

    # -- analysis ------------------------------------------------
    @Slot()
    def request_analysis(self) -> None:
        self.debounce.stop()
        # Here rather than on each keystroke: a new status text repaints the status bar.
        if self.state_label.text() != "Checking…":
            self.state_label.setText("Checking…")
        self.analyzer.request(self.revision, self.text(), self.config, self.network.snapshot())

    @Slot()
    def recheck(self) -> None:
        """Reload the config and check everything again, the network included."""
        self._load_config()
        self.network.forget()
        self.request_analysis()

    def is_fresh(self) -> bool:
        return (self.result is not None and self.result.revision == self.revision
                and not self.analyzer.busy and not self.debounce.isActive())

    def network_idle(self) -> bool:
        """True when no network check is running or waiting to run (or the network is off)."""
        if self.offline or self.config.network.offline:
            return True
        if self.network.running:
            return False
        return self.result is None or not self.network.pending_urls(self.result.check_urls)

    @Slot(int, int)
    def _on_network_progress(self, done: int, total: int) -> None:
        self.net_progress.setMaximum(max(total, 1))
        self.net_progress.setValue(done)
        self.net_progress.show()
        self.net_cancel.show()

    @Slot(str)
    def _on_network_finished(self, error: str) -> None:
        self.net_progress.hide()
        self.net_cancel.hide()
        if error:
            self.statusBar().showMessage(error, 8000)
        self.request_analysis()  # fold the new reports into findings on the current text

    @Slot()
    def cancel_network(self) -> None:
        self.network.cancel()
        self.statusBar().showMessage("Network checks cancelled.", 3000)

    @Slot(object)
    def _on_analysis(self, result: AnalysisResult) -> None:
        if result.revision != self.revision:
            if not self.debounce.isActive() and not self.analyzer.busy:
                self.request_analysis()
            return  # stale: the text moved on while it was computed
        new_spans = [(s, e, (result.verdicts[i], i)) for s, e, i in result.link_spans]
        self.editor.spans.set(new_spans)
        self.edit_log.clear()
        self.result = result
        self.analyzer.shown = result.revision  # the worker keeps this one's Post
        self.marks.refresh(clear_quick=True)
        self._update_panel(result)
        self.counts_label.setText(f"{result.word_count:,} words · {result.link_count:,} links")
        self._update_state_label(result)
        if not self.offline and not self._closing:
            self.network.check_urls(result.check_urls, result.head_only, self.config)
        if self.preview.isVisible():
            self.preview.request(result.revision, result.text)
        if self.suggestions.isVisible():
            self.suggest_timer.start()
        self.analysisApplied.emit()

    def _update_state_label(self, result: AnalysisResult) -> None:
        if result.error:
            self.state_label.setText(f"⚠ {result.error}")
            return
        if self.config_error:
            self.state_label.setText(f"⚠ {self.config_error}")
            return
        n = len(result.findings)
        by_severity = Counter(f.severity for f in result.findings)  # one pass: 4,000 on 1 MB
        errors = by_severity[Severity.ERROR]
        warnings = by_severity[Severity.WARNING]
        if not n:
            self.state_label.setText("✓ No link problems found")
        else:
            self.state_label.setText(
                f"{errors} error{'s' if errors != 1 else ''}, "
                f"{warnings} warning{'s' if warnings != 1 else ''}, {n - errors - warnings} info")

    def _update_panel(self, result: AnalysisResult) -> None:
        self.keys = [key for key, _, _ in result.rows]
        self.findings_by_key = dict(zip(self.keys, result.findings, strict=True))
        self.warnings.set_rows([Row(key, f, label, line) for (key, label, line), f
                                in zip(result.rows, result.findings, strict=True)])

    @Slot(bool)
    def set_preview_visible(self, visible: bool) -> None:
        if self.act_preview.isChecked() != visible:
            self.act_preview.setChecked(visible)
        self.preview.setVisible(visible)
        if visible:
            width = self.splitter.width()
            self.splitter.setSizes([width // 2, width - width // 2])
            self.preview.request(self.revision, self.text())

    # -- positions ----------------------------------------------------
    def current_span(self, start: int, end: int) -> tuple[int, int] | None:
        """A span of the applied analysis (code points) as UTF-16 positions in the editor now."""
        if self.result is None:
            return None
        s16, e16 = self.result.to_utf16(start, end)
        return self.edit_log.map_span(s16, e16)

    def finding_span(self, f: Finding) -> tuple[int, int] | None:
        result = self.result
        if f.link_index is not None and result and f.link_index < result.link_count:
            s16, e16, _ = result.link_spans[f.link_index]
            return self.edit_log.map_span(s16, e16)
        return self.current_span(f.start, f.end)

    @Slot(str)
    def go_to_finding(self, key: str) -> None:
        f = self.findings_by_key.get(key)
        if f is None:
            return
        span = self.finding_span(f)
        if span is None:
            self.statusBar().showMessage("That text was edited; checking again…", 3000)
            self.request_analysis()
            return
        if f.link_index is None and span[1] - span[0] > 200:
            span = (span[0], span[0])  # a whole-post finding: go there, select nothing
        self.editor.select_span(*span)

    def _ordered_findings(self) -> list[tuple[int, int, str]]:
        out = []
        for key in self.keys:
            span = self.finding_span(self.findings_by_key[key])
            if span is not None:
                out.append((span[0], span[1], key))
        out.sort()
        return out

    @Slot()
    def next_finding(self) -> None:
        cursor = self.editor.textCursor()
        here = cursor.selectionStart()
        items = self._ordered_findings()
        if not items:
            return
        current = (cursor.selectionStart(), cursor.selectionEnd())
        after = [it for it in items if it[0] > here or (it[0] == here and (it[0], it[1]) !=
                                                         current and it[1] > current[1])]
        target = after[0] if after else items[0]
        self.editor.select_span(target[0], target[1])
        self.warnings.select_key(target[2])

    @Slot()
    def previous_finding(self) -> None:
        here = self.editor.textCursor().selectionStart()
        items = self._ordered_findings()
        if not items:
            return
        before = [it for it in items if it[0] < here]
        target = before[-1] if before else items[-1]
        self.editor.select_span(target[0], target[1])
        self.warnings.select_key(target[2])

    # -- suggestions ------------------------------------------------
    @Slot()
    def update_suggestions(self) -> None:
        if self._closing or not self.suggestions.isVisible():
            return
        if not suggestions_available():
            self.suggestions.show_empty("Lead-in suggestions are not available in this build.")
            return
        result = self.result
        chosen = self._selected_link
        if chosen is not None and result is not None and chosen[0] == result.revision:
            index: int | None = chosen[1]
        else:
            index = self.link_index_at(self.editor.textCursor().position())
        if result is None or index is None or index >= result.link_count:
            self.suggestions.show_empty()
            return
        view = self.suggestions.view
        if view is not None and view.revision == result.revision and view.link_index == index:
            return
        self.suggestions.show_loading(result.link_texts[index], result.link_urls[index])
        self.suggest_runner.request((result.revision, index), compute_suggestions,
                                    result, index, self.config, not self.offline)

    @Slot()
    def _on_cursor_moved(self) -> None:
        self._selected_link = None
        self.suggest_timer.start()

    @Slot(str)
    def _on_finding_selected(self, key: str) -> None:
        f = self.findings_by_key.get(key)
        if f is None or f.link_index is None or self.result is None:
            return
        self._selected_link = (self.result.revision, f.link_index)
        self.suggest_timer.start()

    def suggestions_idle(self) -> bool:
        return not self.suggest_runner.busy and not self.suggest_timer.isActive()

    @Slot(object, object, str)
    def _on_suggestions(self, tag: object, view: object, error: str) -> None:
        if error or view is None:
            self.suggestions.show_empty(f"Suggestions failed: {error}")
            return
        result = self.result
        if result is None or view.revision != result.revision:
            self.suggest_timer.start()  # the text moved on; compute for the current one
            return
        i = view.link_index
        self.suggestions.show_view(view, result.link_texts[i], result.link_urls[i])

    @Slot(object)
    def _apply_suggestion(self, fix: Fix) -> None:
        view = self.suggestions.view
        if view is None or self.result is None or view.revision != self.result.revision:
            self.statusBar().showMessage("The text changed; refreshing suggestions…", 3000)
            self.suggest_timer.start()
            return
        self.apply_fixes([fix])

    # -- settings and theme ------------------------------------------
    @Slot()
    def open_settings(self) -> None:
        from linkwriter.gui.settings_dialog import SettingsDialog
        from linkwriter.gui.theme import theme_mode

        dialog = SettingsDialog(self, self.config, offline=self.offline, theme=theme_mode())
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog)

    def apply_settings(self, dialog) -> None:  # noqa: ANN001
        from linkwriter.gui.theme import set_theme_mode

        try:
            dialog.save()
        except (LinkWriterError, OSError) as exc:
            dialogs.show_error(self, f"Could not save the settings: {exc}")
            return
        set_theme_mode(dialog.theme_choice())
        if dialog.offline.isChecked() != self.offline:
            self.set_offline(dialog.offline.isChecked())
        else:
            self.recheck()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.highlighter.set_theme(theme)
        self.marks.set_theme(theme)
        self.warnings.model.set_theme(theme)
        self.banner.set_theme(theme)
        self.preview.set_theme(theme)

    # -- find / replace -------------------------------------------------
    @Slot()
    def show_find(self) -> None:
        from linkwriter.gui.findbar import FindBar

        if not hasattr(self, "find_bar"):
            self.find_bar = FindBar(self.editor, self)
            self.centralWidget().layout().insertWidget(1, self.find_bar)
        self.find_bar.open()

    # -- export ------------------------------------------------------
    def clean_dialog(self) -> CleanExportDialog:
        default = self.path.with_suffix(".clean.md") if self.path else None
        return CleanExportDialog(self, self.text(), self.config, self.fmt, self.display_name(),
                                 None if self.offline else self.network.snapshot(), default)

    def html_dialog(self) -> HtmlExportDialog | None:
        if self.result is None or self.result.revision != self.revision:
            self.request_analysis()
        result = self.result
        if result is None:
            return None
        default = self.path.with_suffix(".html") if self.path else None
        return HtmlExportDialog(self, result.text, fetch_post(result), result.findings,
                                self.config, default)

    @Slot()
    def export_clean(self) -> None:
        self.clean_dialog().exec()

    @Slot()
    def export_html(self) -> None:
        dialog = self.html_dialog()
        if dialog is not None:
            dialog.exec()

    # -- closing ------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.editor.document().isModified():
            answer = dialogs.ask_save_changes(self, self.display_name())
            if answer == "cancel" or (answer == "save" and not self.save()):
                event.ignore()
                return
        self._closing = True
        self.debounce.stop()
        self.recovery_timer.stop()
        self.analyzer.shutdown()
        self.network.shutdown()
        self.preview.shutdown()
        self.suggest_runner.shutdown()
        # Queued behind any write of this post still running; wait so it is gone on return.
        recovery_writer().remove(self.doc_id)
        recovery_writer().flush(RECOVERY_DRAIN_S, self.doc_id)
        event.accept()
        _release(self)

    def shutdown_for_test(self) -> None:
        """Stop background work without touching the recovery copy (a simulated crash).

        A write already handed over still lands, so the test's own edits to the file stay.
        """
        self._closing = True
        self.debounce.stop()
        self.recovery_timer.stop()
        self.analyzer.shutdown()
        self.network.shutdown()
        self.preview.shutdown()
        self.suggest_runner.shutdown()
        recovery_writer().flush(RECOVERY_DRAIN_S, self.doc_id)


_WINDOWS: list[MainWindow] = []


def _keep_alive(win: MainWindow) -> None:
    _WINDOWS.append(win)


def _release(win: MainWindow) -> None:
    if win in _WINDOWS:
        _WINDOWS.remove(win)


def all_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
