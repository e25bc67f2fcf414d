"""The "Warnings" dock: findings grouped by category, updated in place.

Rows carry a stable key (rule, link URL, occurrence) so a new analysis updates, inserts and
removes only the rows that changed: the view neither jumps nor loses its selection.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
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
# A pathological post must not freeze the panel. Rebuilding the view (after an edit that
# changed hundreds of findings) costs about 35 µs a listed row in the window's thread:
# 140 ms with four full groups of 1,000, 70 ms with 500. F8 still visits every finding.
MAX_ROWS_PER_GROUP = 500
_ROOT = QModelIndex()
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


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


class WarningsModel(QAbstractItemModel):
    """Category groups, each listing its rows; the data is read from the Rows as the view asks.

    A model over the Rows rather than a QStandardItemModel: thousands of findings made three
    items each, with their own copies of texts and tooltips (about 9 MB on a 1 MB post).
    Index ids: 0 for a group, 1 + the group's number for a row in it.
    """

    def __init__(self, theme: Theme = LIGHT) -> None:
        super().__init__()
        self.theme = theme
        self.rows: dict[str, Row] = {}
        self.cats = list(CATEGORY_TITLES)
        self._shown: dict[Category, list[Row]] = {cat: [] for cat in self.cats}
        self._keys: dict[Category, list[str]] = {cat: [] for cat in self.cats}
        self._titles = {cat: f"{CATEGORY_TITLES[cat]} (0)" for cat in self.cats}
        self._bold = QFont()
        self._bold.setBold(True)

    # -- the tree ------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = _ROOT) -> QModelIndex:
        # Bounds checked here, not with hasIndex(): a view asks for thousands of indexes.
        if row < 0 or not 0 <= column < len(COLUMNS):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self.cats) else QModelIndex()
        g = parent.row()
        if parent.internalId() != 0 or parent.column() != 0 or row >= len(
                self._shown[self.cats[g]]):
            return QModelIndex()
        return self.createIndex(row, column, g + 1)

    def parent(self, index: QModelIndex | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self.cats)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._shown[self.cats[parent.row()]])
        return 0

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:  # noqa: N802
        return len(COLUMNS)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        return _GROUP_FLAGS if index.internalId() == 0 else _ROW_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        gid, col = index.internalId(), index.column()
        if gid == 0:
            cat = self.cats[index.row()]
            if role == KEY_ROLE:
                return f"category|{cat.value}"
            if col == 0 and role == Qt.ItemDataRole.DisplayRole:
                return self._titles[cat]
            if col == 0 and role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        row = self._shown[self.cats[gid - 1]][index.row()]
        if role == KEY_ROLE:
            return row.key
        f = row.finding
        if role == Qt.ItemDataRole.DisplayRole:
            return (f.message, row.link_label, str(row.line) if row.line else "")[col]
        if col != 0:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{f.severity.value.capitalize()} · {f.rule}\n{f.message}"
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(f.severity.value, self.theme)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f.severity.value
        return None

    # -- updates ------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        wanted_by_cat: dict[Category, list[Row]] = {cat: [] for cat in self.cats}
        for r in rows:
            wanted_by_cat[r.finding.category].append(r)
        self.rows = {}
        for g, cat in enumerate(self.cats):
            wanted = wanted_by_cat[cat]
            shown = wanted[:MAX_ROWS_PER_GROUP]
            self.rows.update((r.key, r) for r in shown)
            self._sync_group(g, cat, shown)
            text = f"{CATEGORY_TITLES[cat]} ({len(wanted)})"
            if len(wanted) > len(shown):
                text += f" — first {len(shown)} listed; F8 visits all"
            if self._titles[cat] != text:
                self._titles[cat] = text
                group = self.index(g, 0)
                self.dataChanged.emit(group, group)

    def _sync_group(self, g: int, cat: Category, wanted: list[Row]) -> None:
        parent = self.index(g, 0)
        old_rows, keys = self._shown[cat], self._keys[cat]
        new_keys = [r.key for r in wanted]
        if keys == new_keys:
            self._shown[cat] = wanted
            self._changed(parent, old_rows, wanted)
            return
        want_set = set(new_keys)
        # Removals first (from the end, in runs), then insertions in order: rows that stay
        # keep their place relative to each other, so the view neither jumps nor loses them.
        i = len(keys) - 1
        while i >= 0:
            if keys[i] in want_set:
                i -= 1
                continue
            j = i
            while j > 0 and keys[j - 1] not in want_set:
                j -= 1
            self.beginRemoveRows(parent, j, i)
            del keys[j:i + 1]
            del old_rows[j:i + 1]
            self.endRemoveRows()
            i = j - 1
        present = set(keys)
        kept = [k for k in new_keys if k in present]
        if kept != keys:  # moved rows (rare): rebuild the group's rows in one go
            if keys:
                self.beginRemoveRows(parent, 0, len(keys) - 1)
                keys.clear()
                old_rows.clear()
                self.endRemoveRows()
            present = set()
        for pos, row in enumerate(wanted):
            if pos < len(keys) and keys[pos] == row.key:
                continue
            # Kept rows are in order, so this row is new, and so are those after it up to
            # the next kept one: insert them as one run.
            end = pos
            while end + 1 < len(wanted) and wanted[end + 1].key not in present:
                end += 1
            self.beginInsertRows(parent, pos, end)
            keys[pos:pos] = [r.key for r in wanted[pos:end + 1]]
            old_rows[pos:pos] = wanted[pos:end + 1]
            present.update(keys[pos:end + 1])
            self.endInsertRows()
        self._shown[cat] = wanted
        self._keys[cat] = new_keys
        self._changed(parent, old_rows, wanted)

    def _changed(self, parent: QModelIndex, old: list[Row], new: list[Row]) -> None:
        """dataChanged for runs of rows whose shown text differs (none: no Qt call at all)."""
        last = len(COLUMNS) - 1
        i, n = 0, len(new)
        while i < n:
            if old[i] is new[i] or old[i].shown() == new[i].shown():
                i += 1
                continue
            j = i
            while j + 1 < n and old[j + 1].shown() != new[j + 1].shown():
                j += 1
            self.dataChanged.emit(self.index(i, 0, parent), self.index(j, last, parent))
            i = j + 1

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for g, cat in enumerate(self.cats):
            n = len(self._shown[cat])
            if n:
                parent = self.index(g, 0)
                self.dataChanged.emit(self.index(0, 0, parent), self.index(n - 1, 0, parent),
                                      [Qt.ItemDataRole.DecorationRole])

    def index_for_key(self, key: str) -> QModelIndex:
        row = self.rows.get(key)
        if row is None:
            return QModelIndex()
        g = self.cats.index(row.finding.category)
        return self.index(self._keys[self.cats[g]].index(key), 0, self.index(g, 0))


class WarningsPanel(QDockWidget):
    findingActivated = Signal(str)  # row key
    findingSelected = Signal(str)  # row key of the current row ("" for none): arrow keys too
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

    def _span_groups(self) -> None:
        """Each category's row spans the columns and is open. Opened one by one: expandAll
        walks every row of every group through the Python model (25 ms for 1,500 rows)."""
        for r in range(self.proxy.rowCount()):
            self.view.setFirstColumnSpanned(r, QModelIndex(), True)
            self.view.expand(self.proxy.index(r, 0))

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
        key = self.key_at(current)
        self._show_fixes(key)
        self.findingSelected.emit(key or "")

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
