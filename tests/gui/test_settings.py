"""Settings write the user config; API keys never land in an insecure keyring; find/replace."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A secure-looking backend that keeps passwords in memory: set for one test only."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


# Defining a backend registers it for keyring's own backend detection: not this one.
keyring.backend.KeyringBackend._classes.discard(MemoryKeyring)


@pytest.fixture
def memory_keyring():
    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)


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
    dialog.key_edits["safe-browsing"].setText("sb-key-123")  # even with a key in the field
    win.apply_settings(dialog)
    config = load_config(None)
    assert config.trusted[:2] == ["example.org", "good.example"]
    assert config.network.timeout == 7.5
    if rules:
        assert config.severity[rid] == "error"
    assert plaintext_keyring.get_password("linkwriter", "safe-browsing") is None
    assert not (tmp_path / "keyring.cfg").exists()


def test_api_keys_go_to_a_secure_keyring_under_the_names_the_checks_read(
        make_window, memory_keyring):
    """With a secure keyring the dialog says so and saves each key typed in under the
    service and user names the Safe Browsing and AI code read; an empty field keeps the key."""
    from linkwriter.gui.settings_dialog import KEYRING_SERVICE, SettingsDialog

    win = make_window()
    dialog = SettingsDialog(win, win.config, offline=True)
    assert dialog.secure and dialog.key_edits["safe-browsing"].isEnabled()
    assert dialog.key_status.text() == "Keys are stored in the system keyring (MemoryKeyring)."
    dialog.key_edits["safe-browsing"].setText("sb-key-123")
    win.apply_settings(dialog)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "safe-browsing"): "sb-key-123"}
    dialog = SettingsDialog(win, win.config, offline=True)
    dialog.key_edits["ai-api-key"].setText(" ai-key-456\n")  # pasted with blanks around
    win.apply_settings(dialog)
    assert memory_keyring.passwords == {(KEYRING_SERVICE, "safe-browsing"): "sb-key-123",
                                        (KEYRING_SERVICE, "ai-api-key"): "ai-key-456"}
    safebrowsing = pytest.importorskip("linkwriter.core.net.safebrowsing")
    ai = pytest.importorskip("linkwriter.core.suggest.ai")
    assert safebrowsing.stored_api_key() == "sb-key-123"
    assert ai.get_api_key() == "ai-key-456"


def test_without_any_keyring_the_dialog_says_so_and_saves_no_key(make_window):
    """keyring's fail backend (no keyring at all): keys cannot be stored, the dialog says
    so, and saving with a key in the field neither stores it nor fails."""
    from keyring.backends import fail

    from linkwriter.gui.settings_dialog import SettingsDialog

    old = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        win = make_window()
        dialog = SettingsDialog(win, win.config, offline=True)
        assert not dialog.secure
        assert "cannot be stored" in dialog.key_status.text()
        assert all(not edit.isEnabled() for edit in dialog.key_edits.values())
        dialog.key_edits["ai-api-key"].setText("ai-key-456")
        dialog.save()  # fail.Keyring raises on any set_password: nothing was tried
    finally:
        keyring.set_keyring(old)


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


def test_offline_and_theme_choices_persist_and_the_toolbar_overrides_for_the_session(
        make_window, qtbot, plaintext_keyring):
    """The settings dialog keeps the offline switch (network.offline) and the theme ([app]
    theme) for the next start; the toolbar toggle is for this session and is not undone by
    a config file that says offline when the config is reloaded."""
    from linkwriter.core.config import load_config
    from linkwriter.gui.mainwindow import MainWindow
    from linkwriter.gui.settings_dialog import SettingsDialog
    from linkwriter.gui.theme import set_theme_mode
    from linkwriter.gui.userconfig import saved_theme

    win = make_window()  # started with --offline
    assert saved_theme() == "system"
    dialog = SettingsDialog(win, win.config, offline=win.offline, theme="system")
    dialog.offline.setChecked(False)
    dialog.theme.setCurrentIndex(2)  # Dark
    try:
        win.apply_settings(dialog)
    finally:
        set_theme_mode("light")
    assert not win.offline and win.offline_label.text() == "● Online"
    assert load_config(None).network.offline is False
    assert saved_theme() == "dark"

    dialog = SettingsDialog(win, win.config, offline=win.offline, theme="dark")
    dialog.offline.setChecked(True)
    win.apply_settings(dialog)
    assert load_config(None).network.offline is True
    later = MainWindow(offline=False)  # the next start, without --offline
    qtbot.addWidget(later)
    assert later.offline and later.act_offline.isChecked()
    later.act_offline.trigger()  # online for this session
    assert not later.offline
    later.recheck()  # reloads the config, which still says offline
    assert not later.offline and later.offline_label.text() == "● Online"
    later.shutdown_for_test()
