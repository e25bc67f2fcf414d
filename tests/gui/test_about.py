"""The version comes from one place and shows in the About dialog and the window identity."""

from PySide6.QtWidgets import QApplication

from linkwriter import __version__


def test_about_names_the_version(make_window):
    win = make_window()
    assert f"LinkWriter {__version__}" in win.about_text()
    assert win.act_about.objectName() == "aboutAction"
    titles = [a.text() for a in win.menuBar().actions()]
    assert "&Help" in titles


def test_app_identity_matches_the_desktop_entry():
    from linkwriter.gui.app import get_app

    app = get_app()
    assert app is QApplication.instance()
    assert app.desktopFileName() == "io.github.linkwriter.LinkWriter"
    assert not app.windowIcon().isNull()
