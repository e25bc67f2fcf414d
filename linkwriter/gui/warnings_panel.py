"""The "Warnings" dock: findings grouped by category, updated in place.

Rows carry a stable key (rule, link URL, occurrence) so a new analysis updates, inserts and
removes only the rows that changed: the view neither jumps nor loses its selection.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from linkwriter.core.model import Category, Finding, Fix
from linkwriter.gui.theme import LIGHT, Theme, severity_icon

CATEGORY_TITLES = {
    Category.TRUST: "Trust",
    Category.RELEVANCE: "Relevance",
    Category.STYLE: "Style",
    Category.CTA: "Call to action",
}
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Finding", "Link", "Line")
MAX_ROWS_PER_GROUP = 1000  # a pathological post must not freeze the panel


class Row(NamedTuple):
    """One panel row: a NamedTuple, because a big post makes thousands of them per analysis."""

    key: str
    finding: Finding
    link_label: str
    line: int

    def shown(self) -> tuple:
        """What the row displays: when this is unchanged the row needs no Qt call at all."""
        f = self.finding
        return (f.message, self.link_label, self.line, f.severity, f.rule)


class WarningsModel(QStandardItemModel):
    def __init__(self, theme: Theme = LIGHT) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.theme = theme
        self.rows: dict[str, Row] = {}
        self._previous: dict[str, Row] = {}
        self.groups: dict[Category, QStandardItem] = {}
        self._keys: dict[Category, list[str]] = {}
        for cat, title in CATEGORY_TITLES.items():
            item = QStandardItem(title)
            item.setEditable(False)
            item.setSelectable(False)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setData(f"category|{cat.value}", KEY_ROLE)
            filler = [QStandardItem(""), QStandardItem("")]
            for f in filler:
                f.setEditable(False)
                f.setSelectable(False)
            self.appendRow([item, *filler])
            self.groups[cat] = item

    def set_rows(self, rows: list[Row]) -> None:
        self._previous = self.rows
        self.rows = {}
        for cat, group in self.groups.items():
            wanted = [r for r in rows if r.finding.category == cat]
            shown = wanted[:MAX_ROWS_PER_GROUP]
            self.rows.update((r.key, r) for r in shown)
            self._sync_group(cat, group, shown)
            title = CATEGORY_TITLES[cat]
            text = f"{title} ({len(wanted)})"
            if len(wanted) > len(shown):
                text += f" — first {len(shown)} listed; F8 visits all"
            if group.text() != text:
                group.setText(text)
        self._previous = {}  # let the previous analysis go: big posts hold MBs of findings

    def _sync_group(self, cat: Category, group: QStandardItem, wanted: list[Row]) -> None:
        # The keys shown, kept in Python: reading them back from thousands of items is slow.
        existing = self._keys.get(cat, [])
        self._keys[cat] = [r.key for r in wanted]
        if not existing:
            for row in wanted:
                group.appendRow(self._make_items(row))
            return
        if existing == self._keys[cat]:
            for i, row in enumerate(wanted):
                self._update_row(group, i, row)
            return
        existing = list(existing)
        want_set = {r.key for r in wanted}
        for i in reversed(range(len(existing))):
            if existing[i] not in want_set:
                group.removeRow(i)
        existing = [k for k in existing if k in want_set]
        present = set(existing)
        for i, row in enumerate(wanted):
            if i < len(existing) and existing[i] == row.key:
                self._update_row(group, i, row)
                continue
            if row.key in present:  # moved: rare (links do not usually swap places)
                j = existing.index(row.key)
                items = group.takeRow(j)
                existing.pop(j)
                group.insertRow(i, items)
                existing.insert(i, row.key)
                self._update_row(group, i, row)
                continue
            group.insertRow(i, self._make_items(row))
            existing.insert(i, row.key)
            present.add(row.key)

    def _make_items(self, row: Row) -> list[QStandardItem]:
        items = [QStandardItem(), QStandardItem(), QStandardItem()]
        for it in items:  # not editable: the view has no edit triggers
            it.setData(row.key, KEY_ROLE)
        self._fill(items, row)
        return items

    def _update_row(self, group: QStandardItem, i: int, row: Row) -> None:
        prev = self._previous.get(row.key)
        if prev is not None and prev.shown() == row.shown():
            return  # unchanged: no Qt calls at all (big posts have thousands of rows)
        items = [group.child(i, c) for c in range(len(COLUMNS))]
        self._fill(items, row)

    def _fill(self, items: list[QStandardItem], row: Row) -> None:
        f = row.finding
        values = (f.message, row.link_label, str(row.line) if row.line else "")
        for it, value in zip(items, values, strict=True):
            if it.text() != value:
                it.setText(value)
        tip = f"{f.severity.value.capitalize()} · {f.rule}\n{f.message}"
        if items[0].toolTip() != tip:
            items[0].setToolTip(tip)
            items[0].setIcon(severity_icon(f.severity.value, self.theme))
            items[0].setData(f.severity.value, Qt.ItemDataRole.AccessibleDescriptionRole)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for group in self.groups.values():
            for i in range(group.rowCount()):
                item = group.child(i, 0)
                row = self.rows.get(item.data(KEY_ROLE))
                if row:
                    item.setIcon(severity_icon(row.finding.severity.value, theme))

    def index_for_key(self, key: str) -> QModelIndex:
        for group in self.groups.values():
            for i in range(group.rowCount()):
                if group.child(i).data(KEY_ROLE) == key:
                    return group.child(i).index()
        return QModelIndex()


class WarningsPanel(QDockWidget):
    findingActivated = Signal(str)  # row key
    fixRequested = Signal(str, object)  # row key, Fix
    actionRequested = Signal(str, str)  # row key, action id ("ignore-here", ...)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__("Warnings", parent)
        self.setObjectName("warningsPanel")
        self.model = WarningsModel(theme)
        self._all_keys: set[str] = set()  # every row key of the last set_rows
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.filter = QLineEdit(body)
        self.filter.setObjectName("warningsFilter")
        self.filter.setPlaceholderText("Filter warnings…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._on_filter)
        layout.addWidget(self.filter)

        self.view = QTreeView(body)
        self.view.setObjectName("warningsView")
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, 120)
        self._span_groups()
        self.view.expandAll()
        self.view.clicked.connect(self._on_clicked)
        self.view.activated.connect(self._on_clicked)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        layout.addWidget(self.view, 1)

        self.detail = QLabel("", body)
        self.detail.setObjectName("findingDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.hide()
        layout.addWidget(self.detail)

        self.fix_bar = QWidget(body)
        self.fix_layout = QHBoxLayout(self.fix_bar)
        self.fix_layout.setContentsMargins(0, 0, 0, 0)
        self.fix_hint = QLabel("Select a warning to see its fixes.", self.fix_bar)
        self.fix_hint.setEnabled(False)
        self.fix_layout.addWidget(self.fix_hint)
        self.fix_layout.addStretch(1)
        layout.addWidget(self.fix_bar)
        self.setWidget(body)
        self.model.rowsInserted.connect(self._expand_new)

    # -- data ------------------------------------------------
    BULK = 300  # more changed rows than this: detach the view while the model is rebuilt

    def set_rows(self, rows: list[Row]) -> None:
        current = self.current_key()
        # Against every key of the last call, not the model's rows: those stop at
        # MAX_ROWS_PER_GROUP, and a big post would look rebuilt (view reset) on every analysis.
        keys = {r.key for r in rows}
        changed = len(self._all_keys.symmetric_difference(keys))
        self._all_keys = keys
        if changed > self.BULK:
            # Thousands of single-row signals through the proxy and the view cost seconds.
            self.proxy.setSourceModel(None)
            self.model.set_rows(rows)
            self.proxy.setSourceModel(self.model)
            self._span_groups()
            self.view.expandAll()
            if current and current in self.model.rows:
                self.select_key(current)
        else:
            self.model.set_rows(rows)
        if current and current not in self.model.rows:
            self._show_fixes(None)
        elif current:
            self._show_fixes(current)

    def _expand_new(self, parent: QModelIndex, first: int, last: int) -> None:
        if not parent.isValid() or self.proxy.sourceModel() is not self.model:
            return
        proxy_parent = self.proxy.mapFromSource(parent)
        if proxy_parent.isValid() and not self.view.isExpanded(proxy_parent):
            self.view.expand(proxy_parent)

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._span_groups()
        self.view.expandAll()

    def _span_groups(self) -> None:
        for r in range(self.proxy.rowCount()):
            self.view.setFirstColumnSpanned(r, QModelIndex(), True)

    # -- selection ------------------------------------------------
    def key_at(self, proxy_index: QModelIndex) -> str | None:
        if not proxy_index.isValid():
            return None
        key = self.proxy.mapToSource(proxy_index).data(KEY_ROLE)
        return key if key in self.model.rows else None

    def current_key(self) -> str | None:
        return self.key_at(self.view.currentIndex())

    def select_key(self, key: str) -> None:
        src = self.model.index_for_key(key)
        idx = self.proxy.mapFromSource(src)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
            self.view.scrollTo(idx)

    def _on_clicked(self, index: QModelIndex) -> None:
        key = self.key_at(index)
        if key:
            self.findingActivated.emit(key)

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self._show_fixes(self.key_at(current))

    # -- fixes ------------------------------------------------
    def _show_fixes(self, key: str | None) -> None:
        while self.fix_layout.count() > 2:
            item = self.fix_layout.takeAt(1)
            if item.widget():
                item.widget().deleteLater()
        row = self.model.rows.get(key) if key else None
        self.fix_hint.setVisible(row is None)
        self.detail.setVisible(row is not None)
        if row is None:
            return
        f = row.finding
        self.detail.setText(
            f"<b>{_esc(f.severity.value.capitalize())}</b> · <code>{_esc(f.rule)}</code>"
            f" · {_esc(row.link_label)}<br>{_esc(f.message)}")
        for fix in row.finding.fixes[:2]:
            btn = QToolButton(self.fix_bar)
            btn.setText(fix.title)
            btn.setToolTip(f"Apply: {fix.title}")
            btn.clicked.connect(lambda _=False, k=key, f=fix: self.fixRequested.emit(k, f))
            self.fix_layout.insertWidget(self.fix_layout.count() - 1, btn)
        more = QToolButton(self.fix_bar)
        more.setText("More…" if row.finding.fixes else "Actions…")
        more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setMenu(self.build_menu(key, more))
        self.fix_layout.insertWidget(self.fix_layout.count() - 1, more)

    def build_menu(self, key: str, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        row = self.model.rows[key]
        for fix in row.finding.fixes:
            act = menu.addAction(fix.title)
            act.triggered.connect(lambda _=False, f=fix: self.fixRequested.emit(key, f))
        if row.finding.fixes:
            menu.addSeparator()
        for action_id, title in finding_actions(row.finding):
            act = menu.addAction(title)
            act.setData(action_id)
            act.triggered.connect(lambda _=False, a=action_id: self.actionRequested.emit(key, a))
        return menu

    def _context_menu(self, pos) -> None:  # noqa: ANN001
        key = self.key_at(self.view.indexAt(pos))
        if key:
            self.build_menu(key, self.view).exec(self.view.viewport().mapToGlobal(pos))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def finding_actions(finding: Finding) -> list[tuple[str, str]]:
    """The actions every finding offers besides its own fixes."""
    acts = []
    if finding.link_index is not None:
        acts.append(("ignore-here", "Ignore here"))
    acts.append(("ignore-post", "Ignore rule in this post"))
    if finding.link_index is not None:
        if finding.category == Category.TRUST:
            acts.append(("trust-domain", "Trust this domain"))
        acts.append(("edit-link", "Edit link…"))
        acts.append(("unlink", "Remove link, keep text"))
    return acts


__all__ = ["WarningsPanel", "Row", "finding_actions", "Fix"]
