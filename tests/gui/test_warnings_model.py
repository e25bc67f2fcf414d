"""The warnings model under Qt's own model tester, through random sequences of analyses:
rows inserted, removed, moved and changed, groups over their row limit."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from linkwriter.core.model import Category, Finding, Severity
from linkwriter.gui import warnings_panel
from linkwriter.gui.warnings_panel import KEY_ROLE, Row, WarningsModel

CATS = list(Category)


def make_rows(rnd: random.Random, pool: int) -> list[Row]:
    rows = []
    for n in sorted(rnd.sample(range(pool), rnd.randint(0, pool))):
        cat = CATS[n % len(CATS)]
        message = f"problem {n}" + ("!" * rnd.randint(0, 1))
        f = Finding("rule-x", cat, rnd.choice(list(Severity)), message, n, n + 1)
        rows.append(Row(f"{cat.value}|{n}", f, f"link {n}", n))
    if rnd.random() < 0.2:  # a moved row: links do not usually swap places, but can
        rnd.shuffle(rows)
    return rows


def contents(model: WarningsModel) -> dict[str, list[tuple]]:
    out = {}
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        assert model.parent(group) == QModelIndex()
        rows = []
        for r in range(model.rowCount(group)):
            cells = [model.index(r, c, group) for c in range(model.columnCount(group))]
            assert all(model.parent(i) == group for i in cells)
            rows.append((cells[0].data(KEY_ROLE), *(i.data() for i in cells)))
        out[group.data(KEY_ROLE)] = rows
    return out


def expected(rows: list[Row], limit: int) -> dict[str, list[tuple]]:
    out = {}
    for cat in CATS:
        mine = [r for r in rows if r.finding.category == cat][:limit]
        out[f"category|{cat.value}"] = [
            (r.key, r.finding.message, r.link_label, str(r.line) if r.line else "")
            for r in mine]
    return out


@pytest.mark.parametrize("seed", range(5))
def test_model_stays_consistent_through_random_analyses(qtbot, monkeypatch, seed):
    monkeypatch.setattr(warnings_panel, "MAX_ROWS_PER_GROUP", 7)
    rnd = random.Random(seed)
    model = WarningsModel()
    tester = QAbstractItemModelTester(  # noqa: F841 (checks every signal while alive)
        model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    for _ in range(40):
        rows = make_rows(rnd, 40)
        model.set_rows(rows)
        assert contents(model) == expected(rows, 7)
        assert set(model.rows) == {k for v in expected(rows, 7).values() for k, *_ in v}
        for key in list(model.rows)[:3]:
            assert model.index_for_key(key).data(KEY_ROLE) == key


def test_unchanged_rows_cost_no_signal(qtbot):
    rnd = random.Random(1)
    model = WarningsModel()
    rows = make_rows(rnd, 30)
    model.set_rows(rows)
    seen = []
    for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved):
        signal.connect(lambda *a: seen.append(a))
    model.set_rows(list(rows))
    assert seen == []
    title = model.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    assert title.startswith("Trust (")


def test_every_group_is_open_after_small_and_bulk_updates_and_a_filter(qtbot, monkeypatch):
    """Groups are opened one by one, not with expandAll (which walks every row): each
    category that has rows must still show them, whichever way the rows came in."""
    from linkwriter.gui.warnings_panel import WarningsPanel

    panel = WarningsPanel()
    qtbot.addWidget(panel)
    monkeypatch.setattr(panel, "BULK", 5)
    rnd = random.Random(3)

    def all_open() -> bool:
        proxy = panel.proxy
        groups = [proxy.index(r, 0) for r in range(proxy.rowCount())]
        return bool(groups) and all(panel.view.isExpanded(g) for g in groups)

    panel.set_rows(make_rows(rnd, 12)[:3])  # a few rows: inserted one group at a time
    assert all_open()
    panel.set_rows(make_rows(rnd, 60))  # many changed: the view is detached and reattached
    assert all_open()
    panel._on_filter("problem 1")
    assert all_open()
    panel._on_filter("")
    assert all_open()
