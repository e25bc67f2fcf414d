"""Settings write the user config; API keys never land in an insecure keyring; find/replace."""

from __future__ import annotations

import keyring
import pytest


@pytest.fixture
def plaintext_keyring(tmp_path):
    from keyrings.alt.file import PlaintextKeyring

    old = keyring.get_keyring()
    kr = PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


def test_settings_persist_domains_severity_and_network(make_window, plaintext_keyring, tmp_path):
    from linkwriter.core.config import load_config
    from linkwriter.gui.settings_dialog import SettingsDialog

    win = make_window()
    dialog = SettingsDialog(win, win.config, offline=True)
    dialog.trusted.setPlainText("example.org\nGood.example\n")
    dialog.timeout.setValue(7.5)
    rules = {dialog.rules.item(r, 0).text(): r for r in range(dialog.rules.rowCount())}
    if rules:
        rid = sorted(rules)[0]
        dialog.rules.cellWidget(rules[rid], 1).setCurrentText("error")
    # No secure keyring here: the dialog says so, and the key fields are disabled.
    assert not dialog.secure
    assert "cannot be stored" in dialog.key_status.text()
    assert not dialog.key_edits["safe-browsing"].isEnabled()
    win.apply_settings(dialog)
    config = load_config(None)
    assert config.trusted[:2] == ["example.org", "good.example"]
    assert config.network.timeout == 7.5
    if rules:
        assert config.severity[rid] == "error"
    assert plaintext_keyring.get_password("linkwriter", "safe-browsing") is None
    assert not (tmp_path / "keyring.cfg").exists()


def test_theme_switch_recolours_open_windows(make_window, qtbot):
    from linkwriter.gui.theme import DARK, LIGHT, set_theme_mode

    win = make_window()
    try:
        from PySide6.QtGui import QPalette
        from PySide6.QtWidgets import QApplication

        set_theme_mode("dark")
        assert win.theme is DARK
        assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert win.marks.formats["error"].underlineColor().name() == DARK.error
        set_theme_mode("light")
        assert win.theme is LIGHT
    finally:
        set_theme_mode("light")


def test_find_and_replace_all_is_one_undo_step(make_window, qtbot):
    win = make_window()
    win.editor.setPlainText("bake, bake and Bake again\n")
    win.show_find()
    bar = win.find_bar
    bar.find_edit.setText("bake")
    bar.replace_edit.setText("proof")
    assert bar.find_next()
    assert win.editor.textCursor().selectedText() == "bake"
    assert bar.replace_all() == 3
    assert win.text() == "proof, proof and proof again\n"
    win.editor.undo()
    assert win.text() == "bake, bake and Bake again\n"
    bar.case.setChecked(True)
    assert bar.replace_all() == 2
