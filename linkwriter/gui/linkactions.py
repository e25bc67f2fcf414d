"""The main window's link actions: quick fixes, ignore markers, trusting a domain, editing
and unlinking, and the editor's context menu. A mixin of MainWindow, kept apart for size."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import (
    QMenu,
)

from linkwriter.core.errors import LinkWriterError
from linkwriter.core.htmlexport import host_of
from linkwriter.core.model import Fix
from linkwriter.gui import dialogs, edits, userconfig
from linkwriter.gui.analysis import fetch_post
from linkwriter.gui.warnings_panel import finding_actions


class LinkActionsMixin:
    # -- link lookup for the editor ----------------------------------------
    def link_index_at(self, pos16: int) -> int | None:
        hit = self.editor.link_at(pos16)
        return hit[2][1] if hit else None

    def _url_at(self, pos16: int) -> str | None:
        i = self.link_index_at(pos16)
        if i is None or self.result is None or i >= self.result.link_count:
            return None
        return self.result.link_targets[i]

    def _tooltip_at(self, pos16: int) -> str | None:
        hit = self.editor.link_at(pos16)
        if hit is None or self.result is None or hit[2][1] >= self.result.link_count:
            return None
        verdict, i = hit[2]
        findings = self.result.by_link.get(i, [])
        top = max(findings, key=lambda f: f.severity.rank) if findings else None
        parts = [f"<b>{_esc(self.result.link_urls[i])}</b>", f"Verdict: {verdict}"]
        if top:
            parts.append(_esc(top.message))
            if len(findings) > 1:
                parts.append(f"(+{len(findings) - 1} more)")
        parts.append("<i>Ctrl+click to open</i>")
        return "<br>".join(parts)

    # -- fixes and actions ------------------------------------------------
    def apply_fixes(self, fixes: list[Fix]) -> bool:
        """Apply analysis-relative fixes as ONE undo step, after checking the text still matches."""
        if not fixes or self.result is None:
            return False
        text = self.result.text
        mapped = []
        for fix in fixes:
            span = self.current_span(fix.start, fix.end)
            if span is None or self._doc_slice(*span) != text[fix.start:fix.end]:
                self.statusBar().showMessage("The text changed there; checking again…", 3000)
                self.request_analysis()
                return False
            mapped.append((span[0], span[1], fix.replacement))
        mapped.sort(reverse=True)
        for (s1, _e1, _), (_s2, e2, _) in zip(mapped, mapped[1:], strict=False):
            if e2 > s1:
                return False  # overlapping edits: refuse rather than corrupt the text
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        for s, e, replacement in mapped:
            cursor.setPosition(s)
            cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(replacement)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.request_analysis()
        return True

    def _doc_slice(self, s16: int, e16: int) -> str:
        cursor = QTextCursor(self.editor.document())
        cursor.setPosition(s16)
        cursor.setPosition(e16, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    @Slot(str, object)
    def _on_fix_requested(self, key: str, fix: Fix) -> None:
        self.apply_fixes([fix])

    @Slot(str, str)
    def run_action(self, key: str, action: str) -> None:
        f = self.findings_by_key.get(key)
        if f is None or self.result is None:
            return
        if action == "trust-domain" and f.link_index is not None:
            self.trust_domain(self.result.link_targets[f.link_index])
            return
        if action == "edit-link" and f.link_index is not None:
            self.edit_link(f.link_index)
            return
        post = fetch_post(self.result)
        link = post.links[f.link_index] if f.link_index is not None else None
        if action == "ignore-here" and f.link_index is not None:
            fix = edits.ignore_here(post, f.link_index, f.rule)
            if fix:
                self.apply_fixes([fix])
        elif action == "ignore-post":
            fix = edits.ignore_in_post(post, f.rule)
            if fix:
                self.apply_fixes([fix])
        elif action == "unlink" and link is not None:
            fix = edits.unlink(post, link)
            if fix:
                self.apply_fixes([fix])

    def trust_domain(self, url: str) -> None:
        host = host_of(url)
        if not host:
            return
        try:
            path = userconfig.add_domain("trusted", host)
        except (LinkWriterError, OSError) as exc:
            dialogs.show_error(self, f"Could not update the config: {exc}")
            return
        self.statusBar().showMessage(f"Trusted {host} (saved in {path})", 5000)
        self.recheck()

    def edit_link(self, link_index: int) -> None:
        if self.result is None:
            return
        post = fetch_post(self.result)
        link = post.links[link_index]
        anchor = post.text[link.label_start:link.label_end]
        answer = dialogs.ask_edit_link(self, anchor, link.url)
        if answer is None:
            return
        self.apply_fixes(edits.edit_link(post, link, *answer))

    def _editor_context_menu(self, pos) -> None:  # noqa: ANN001
        menu = self.editor.createStandardContextMenu()
        self.add_link_actions(menu, self.editor.cursorForPosition(pos).position())
        menu.exec(self.editor.viewport().mapToGlobal(pos))

    def add_link_actions(self, menu: QMenu, pos16: int) -> None:
        i = self.link_index_at(pos16)
        if i is None or self.result is None:
            return
        first = menu.actions()[0] if menu.actions() else None
        items: list[QAction] = []
        for key, f in self.findings_by_key.items():
            if f.link_index != i:
                continue
            for fix in f.fixes:
                act = QAction(fix.title, menu)
                act.triggered.connect(lambda _=False, fx=fix: self.apply_fixes([fx]))
                items.append(act)
            sub = QMenu(f"{f.rule}: {f.message[:50]}", menu)
            for action_id, title in finding_actions(f):
                a = sub.addAction(title)
                a.triggered.connect(lambda _=False, k=key, ai=action_id: self.run_action(k, ai))
            items.append(sub.menuAction())
        open_act = QAction("Open Link in Browser", menu)
        open_act.triggered.connect(lambda: self._open_link(i))
        edit_act = QAction("Edit Link…", menu)
        edit_act.triggered.connect(lambda: self.edit_link(i))
        unlink_act = QAction("Remove Link, Keep Text", menu)
        unlink_act.triggered.connect(lambda: self._unlink(i))
        items += [open_act, edit_act, unlink_act]
        menu.insertActions(first, items)
        menu.insertSeparator(first)

    def _open_link(self, i: int) -> None:
        from linkwriter.gui.editor import open_external

        if self.result and i < self.result.link_count:
            open_external(self.result.link_targets[i])

    def _unlink(self, i: int) -> None:
        if self.result is None:
            return
        post = fetch_post(self.result)
        fix = edits.unlink(post, post.links[i])
        if fix:
            self.apply_fixes([fix])


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
