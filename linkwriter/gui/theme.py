"""Light and dark palettes and the verdict colours, as one pair so both stay readable."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Theme:
    dark: bool
    link: str
    ok: str
    unchecked: str
    info: str
    warning: str
    error: str
    banner_bg: str

    def verdict_color(self, verdict: str) -> QColor:
        return QColor(getattr(self, verdict, self.link))


LIGHT = Theme(False, link="#1f5fbf", ok="#2e7d32", unchecked="#8a8f98", info="#1e88e5",
              warning="#d97706", error="#d32f2f", banner_bg="#fff4d6")
DARK = Theme(True, link="#79b0ff", ok="#66bb6a", unchecked="#9aa0a8", info="#64b5f6",
             warning="#f5a524", error="#ff6b6b", banner_bg="#4a3b12")


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    pal = QGuiApplication.palette()  # Unknown scheme (some desktops): compare lightness
    return pal.color(QPalette.ColorRole.WindowText).lightness() > pal.color(
        QPalette.ColorRole.Window).lightness()


def dark_palette() -> QPalette:
    p = QPalette()
    c = QColor
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, c("#23262b")), (roles.WindowText, c("#e6e6e6")),
        (roles.Base, c("#1b1d21")), (roles.AlternateBase, c("#262a30")),
        (roles.ToolTipBase, c("#2d3138")), (roles.ToolTipText, c("#e6e6e6")),
        (roles.Text, c("#e6e6e6")), (roles.Button, c("#2d3138")),
        (roles.ButtonText, c("#e6e6e6")), (roles.BrightText, c("#ff6b6b")),
        (roles.Link, c("#79b0ff")), (roles.Highlight, c("#3d6fb6")),
        (roles.HighlightedText, c("#ffffff")), (roles.PlaceholderText, c("#8a8f98")),
        (roles.Mid, c("#3a3f47")), (roles.Dark, c("#15171a")), (roles.Light, c("#3a3f47")),
    ):
        p.setColor(role, color)
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, c("#7a7f88"))
    return p


def light_palette() -> QPalette:
    p = QApplication.style().standardPalette()
    p.setColor(QPalette.ColorRole.Link, QColor(LIGHT.link))
    return p


def apply_theme(app: QApplication, dark: bool | None) -> Theme:
    """dark=None follows the system scheme."""
    app.setStyle("Fusion")
    if dark is None:
        dark = system_prefers_dark()
    app.setPalette(dark_palette() if dark else light_palette())
    return DARK if dark else LIGHT


_ICONS: dict[tuple[str, bool, int], QIcon] = {}


def severity_icon(severity: str, theme: Theme, size: int = 16) -> QIcon:
    """Small drawn icons so they match the theme colours on every platform (drawn once)."""
    key = (severity, theme.dark, size)
    icon = _ICONS.get(key)
    if icon is None:
        icon = _ICONS[key] = _draw_icon(severity, theme, size)
    return icon


def _draw_icon(severity: str, theme: Theme, size: int) -> QIcon:
    pix = QPixmap(size * 2, size * 2)
    pix.setDevicePixelRatio(2.0)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = theme.verdict_color(severity)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    r = QRectF(1.5, 1.5, size - 3, size - 3)
    if severity == "warning":
        p.drawPolygon(QPolygonF([QPointF(size / 2, 1.5), QPointF(size - 1, size - 2),
                                 QPointF(1, size - 2)]))
        mark = "!"
    elif severity == "error":
        p.drawEllipse(r)
        mark = "!"
    else:
        p.drawEllipse(r)
        mark = "i" if severity == "info" else "✓" if severity == "ok" else "?"
    p.setPen(QColor("#ffffff"))
    font = p.font()
    font.setBold(True)
    font.setPixelSize(int(size * 0.62))
    p.setFont(font)
    text_rect = QRectF(0, 1 if severity == "warning" else 0, size, size)
    p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, mark)
    p.end()
    return QIcon(pix)


_MODE = ["system"]


def theme_mode() -> str:
    return _MODE[0]


def current_theme() -> Theme:
    pal = QGuiApplication.palette()
    dark = pal.color(QPalette.ColorRole.Window).lightness() < 128
    return DARK if dark else LIGHT


def set_theme_mode(mode: str) -> Theme:
    """Apply "system", "light" or "dark" to the app and every open window."""
    _MODE[0] = mode
    app = QApplication.instance()
    theme = apply_theme(app, None if mode == "system" else mode == "dark")
    from linkwriter.gui.mainwindow import all_windows

    for win in all_windows():
        win.set_theme(theme)
    return theme


def follow_system_scheme(app: QApplication) -> None:
    """Re-theme live when the desktop switches between light and dark (Qt 6.5+)."""
    hints = QGuiApplication.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(
            lambda _scheme: set_theme_mode("system") if theme_mode() == "system" else None)
