"""Starting the desktop app: `linkwriter [FILE.md]`, and headless screenshots for the README."""

from __future__ import annotations

import argparse
import gc
import linecache
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from linkwriter import __version__
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.resources import resource_path

SCREENSHOT_TIMEOUT_S = 120.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="linkwriter", description="The LinkWriter desktop app.")
    p.add_argument("files", nargs="*", metavar="FILE", help="posts to open")
    p.add_argument("--offline", action="store_true", help="no network checks")
    p.add_argument("--dark", action="store_true", help="dark theme (default: follow the system)")
    p.add_argument("--light", action="store_true", help="light theme")
    p.add_argument("--config", metavar="PATH", help="extra config file (merged last)")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="open FILE, wait for the checks, save a window screenshot and quit")
    p.add_argument("--size", default="1280x800", metavar="WxH", help="window size")
    p.add_argument("--version", action="version", version=f"linkwriter {__version__}")
    return p


def configure_process() -> None:
    """Analysis threads run Python too: a short GIL switch interval keeps typing smooth.

    Each analysis of a big post arrives as tens of thousands of new objects; with the default
    collector threshold (700) unpickling them sets off repeated full collections of the whole
    heap (3-4x the unpickling itself). Nothing here builds reference cycles in bulk.

    PySide6's import hook reads the source of every module imported (its `__feature__`
    check) into linecache: ~7 MB of lines nothing reads again; a traceback reloads its own.
    """
    sys.setswitchinterval(0.001)
    gc.set_threshold(20_000, 20, 50)
    linecache.clearcache()


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise LinkWriterError(f"--size: expected WIDTHxHEIGHT (1280x800), got {text!r}") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise LinkWriterError(f"--size: {text} is out of range")
    return w, h


def get_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "linkwriter"])
    app.setApplicationName("LinkWriter")
    app.setApplicationDisplayName("LinkWriter")
    # The desktop entry's id, so Wayland compositors match windows to its name and icon.
    app.setDesktopFileName("io.github.linkwriter.LinkWriter")
    icon = resource_path("icons", "linkwriter.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def wait_until_done(win, timeout_s: float) -> bool:  # noqa: ANN001
    """Spin the event loop until the analysis of the current text (and network) is on screen."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    while time.monotonic() < deadline:
        if win.is_fresh() and win.network_idle():
            return True
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return False


def _spin(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def take_screenshot(win, out: Path, timeout_s: float = SCREENSHOT_TIMEOUT_S) -> bool:  # noqa: ANN001
    done = wait_until_done(win, timeout_s)
    # Show the app at work: the first finding selected, its fixes and lead-ins on screen.
    if win.keys:
        ranked = [k for k in win.keys if win.findings_by_key[k].link_index is not None]
        ranked.sort(key=lambda k: not win.findings_by_key[k].fixes)
        if ranked:
            win.warnings.select_key(ranked[0])
            win.go_to_finding(ranked[0])
        deadline = time.monotonic() + 20
        _spin(300)
        while time.monotonic() < deadline and not win.suggestions_idle():
            _spin(50)
    app = QApplication.instance()
    for _ in range(5):  # let layouts and the highlighter settle
        app.processEvents()
    pixmap = win.grab()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out)):
        raise LinkWriterError(f"{out}: cannot write the screenshot")
    return done


def run_app(argv: list[str] | Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    configure_process()
    app = get_app()
    from linkwriter.gui import dialogs, storage
    from linkwriter.gui.mainwindow import MainWindow, _keep_alive
    from linkwriter.gui.theme import follow_system_scheme, set_theme_mode
    from linkwriter.gui.userconfig import saved_theme

    theme = set_theme_mode("dark" if args.dark else "light" if args.light else saved_theme())
    follow_system_scheme(app)
    config_path = Path(args.config) if args.config else None
    try:
        size = _parse_size(args.size)
    except LinkWriterError as exc:
        print(f"linkwriter: {exc}", file=sys.stderr)
        return 2

    if args.screenshot:
        if not args.files:
            print("linkwriter: --screenshot needs a FILE to open", file=sys.stderr)
            return 2
        win = MainWindow(offline=args.offline, theme=theme, config_path=config_path)
        try:
            from linkwriter.gui.textfile import read_post

            read_post(Path(args.files[0]))  # fail with one clear line, not a dialog
        except LinkWriterError as exc:
            print(f"linkwriter: {exc}", file=sys.stderr)
            return 2
        win.open_path(Path(args.files[0]))
        win.resize(*size)
        win.show()
        try:
            ok = take_screenshot(win, Path(args.screenshot))
        except LinkWriterError as exc:
            print(f"linkwriter: {exc}", file=sys.stderr)
            return 2
        if not ok:
            print("linkwriter: checks did not finish in time; screenshot taken anyway",
                  file=sys.stderr)
        win.editor.document().setModified(False)
        win.close()
        from linkwriter.gui.analysis import shutdown_executor

        shutdown_executor()
        return 0

    windows: list[MainWindow] = []
    leftovers = storage.orphaned_recoveries()
    if leftovers and dialogs.ask_restore(None, leftovers):
        for entry in leftovers:
            win = MainWindow(offline=args.offline, theme=theme, config_path=config_path)
            win.restore(entry)
            windows.append(win)
    elif leftovers:
        for entry in leftovers:
            if entry.file is not None:
                entry.file.unlink(missing_ok=True)
    for name in args.files:
        win = MainWindow(offline=args.offline, theme=theme, config_path=config_path)
        if win.open_path(Path(name)):
            windows.append(win)
    if not windows:
        windows.append(MainWindow(offline=args.offline, theme=theme, config_path=config_path))
    for win in windows:
        win.resize(*size)
        _keep_alive(win)
        win.show()
    from linkwriter.gui.analysis import shutdown_executor
    from linkwriter.gui.filehandling import drain_recovery

    app.aboutToQuit.connect(drain_recovery)
    app.aboutToQuit.connect(shutdown_executor)
    return app.exec()
