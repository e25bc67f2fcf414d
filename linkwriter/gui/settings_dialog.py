"""Settings: offline switch, network limits, domains, rule severities, API keys, theme.

Everything but the API keys is written to the user config file (TOML, comments kept). API keys
go to the system keyring only; when no secure keyring exists, the dialog says so and stores
nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from linkwriter.core.config import Config
from linkwriter.gui import userconfig
from linkwriter.gui.userconfig import THEMES

KEYRING_SERVICE = "linkwriter"
API_KEYS = (("safe-browsing", "Google Safe Browsing API key"),
            ("ai-api-key", "AI suggestions API key"))


def secure_keyring() -> tuple[bool, str]:
    """(usable, backend name). Plaintext, null and failing backends do not count as secure."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False, "keyring is not installed"
    try:
        kr = keyring.get_keyring()
    except Exception as exc:  # a broken backend: treat as none
        return False, str(exc)
    backends = getattr(kr, "backends", None) or [kr]
    good = [b for b in backends if not isinstance(b, fail.Keyring)
            and not type(b).__module__.startswith(("keyrings.alt", "keyring.backends.null"))
            and "plaintext" not in type(b).__name__.lower()]
    name = type(good[0] if good else kr).__name__
    return bool(good), name


def all_rules() -> list[tuple[str, str]]:
    """(rule id, default severity) for every rule the core knows."""
    rules: list[tuple[str, str]] = []
    try:
        import linkwriter.core.rules  # noqa: F401  (registers the rules)
        from linkwriter.core.rules.registry import RULES

        rules += [(rid, getattr(info, "severity", "warning")) for rid, info in RULES.items()]
    except ImportError:
        pass
    try:
        from linkwriter.core.net.rules import NETWORK_RULES

        rules += [(r.id, getattr(r, "severity", "warning")) for r in NETWORK_RULES]
    except ImportError:
        pass
    out = []
    for rid, sev in rules:
        out.append((rid, getattr(sev, "value", str(sev))))
    return sorted(dict(out).items())


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, config: Config, *, offline: bool,
                 theme: str = "system") -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("LinkWriter settings")
        self.resize(640, 520)
        self.config = config
        self._initial = (offline, theme)  # what save() compares with
        tabs = QTabWidget(self)

        general = QWidget()
        form = QFormLayout(general)
        self.offline = QCheckBox("Work offline (no network checks)", general)
        self.offline.setObjectName("offlineSetting")
        self.offline.setChecked(offline)
        form.addRow(self.offline)
        self.theme = QComboBox(general)
        self.theme.addItems(["Follow the system", "Light", "Dark"])
        self.theme.setCurrentIndex(THEMES.index(theme) if theme in THEMES else 0)
        form.addRow("Theme:", self.theme)
        tabs.addTab(general, "General")

        network = QWidget()
        nform = QFormLayout(network)
        net = config.network
        self.timeout = _dspin(net.timeout, 0.5, 120, network)
        self.deadline = _dspin(net.deadline, 1, 600, network)
        self.retries = _spin(net.max_retries, 0, 10, network)
        self.host_conc = _spin(net.host_concurrency, 1, 32, network)
        self.max_conc = _spin(net.max_concurrency, 1, 128, network)
        nform.addRow("Timeout per request (s):", self.timeout)
        nform.addRow("Deadline per URL (s):", self.deadline)
        nform.addRow("Retries:", self.retries)
        nform.addRow("Requests per host at once:", self.host_conc)
        nform.addRow("Requests at once:", self.max_conc)
        tabs.addTab(network, "Network")

        domains = QWidget()
        dform = QFormLayout(domains)
        self.trusted = _lines(config.trusted, domains)
        self.blocked = _lines(config.blocked, domains)
        self.partners = _lines(config.partners, domains)
        dform.addRow("Trusted (one per line):", self.trusted)
        dform.addRow("Blocked:", self.blocked)
        dform.addRow("Partners (sponsored):", self.partners)
        tabs.addTab(domains, "Domains")

        rules = all_rules()
        self.rules = QTableWidget(len(rules), 2, self)
        self.rules.setObjectName("rulesTable")
        self.rules.setHorizontalHeaderLabels(["Rule", "Severity"])
        self.rules.horizontalHeader().setStretchLastSection(True)
        for r, (rid, default) in enumerate(rules):
            self.rules.setItem(r, 0, QTableWidgetItem(rid))
            combo = QComboBox(self.rules)
            combo.addItems([f"default ({default})", "error", "warning", "info"])
            current = config.severity.get(rid)
            if current in ("error", "warning", "info"):
                combo.setCurrentText(current)
            self.rules.setCellWidget(r, 1, combo)
        self.rules.resizeColumnToContents(0)
        tabs.addTab(self.rules, "Rules")

        keys = QWidget()
        kform = QFormLayout(keys)
        self.secure, backend = secure_keyring()
        self.key_status = QLabel(
            f"Keys are stored in the system keyring ({backend})." if self.secure else
            "No secure keyring is available on this system, so API keys cannot be stored "
            f"safely and will not be saved ({backend}).", keys)
        self.key_status.setWordWrap(True)
        kform.addRow(self.key_status)
        self.key_edits: dict[str, QLineEdit] = {}
        for name, label in API_KEYS:
            edit = QLineEdit(keys)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText("unchanged" if self.secure else "cannot be stored here")
            edit.setEnabled(self.secure)
            kform.addRow(label + ":", edit)
            self.key_edits[name] = edit
        tabs.addTab(keys, "API keys")

        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def theme_choice(self) -> str:
        return THEMES[self.theme.currentIndex()]

    def save(self) -> None:
        """Write the user config (and keys to the keyring); the window reloads the config.

        The offline switch and the theme are kept too (network.offline, [app] theme), so the
        next start opens as the writer left them; the toolbar's offline toggle stays a switch
        for this session only.
        """
        offline, theme = self._initial
        if self.offline.isChecked() != offline:
            userconfig.set_value("network.offline", self.offline.isChecked())
        if self.theme_choice() != theme:
            userconfig.set_value("app.theme", self.theme_choice())
        net = self.config.network
        values = {
            "network.timeout": self.timeout.value(),
            "network.deadline": self.deadline.value(),
            "network.max_retries": self.retries.value(),
            "network.host_concurrency": self.host_conc.value(),
            "network.max_concurrency": self.max_conc.value(),
        }
        current = {"network.timeout": net.timeout, "network.deadline": net.deadline,
                   "network.max_retries": net.max_retries,
                   "network.host_concurrency": net.host_concurrency,
                   "network.max_concurrency": net.max_concurrency}
        for key, value in values.items():
            if value != current[key]:
                userconfig.set_value(key, value)
        for kind, edit in (("trusted", self.trusted), ("blocked", self.blocked),
                           ("partners", self.partners)):
            domains = [d.strip().lower() for d in edit.toPlainText().splitlines() if d.strip()]
            if domains != getattr(self.config, kind):
                userconfig.set_domains(kind, domains)
        for r in range(self.rules.rowCount()):
            rid = self.rules.item(r, 0).text()
            choice = self.rules.cellWidget(r, 1).currentText()
            value = choice if choice in ("error", "warning", "info") else None
            if value != self.config.severity.get(rid):
                userconfig.set_value(f"rules.severity.{rid}", value)
        if self.secure:
            import keyring

            for name, edit in self.key_edits.items():
                key = edit.text().strip()  # pasted keys often carry a space or newline
                if key:
                    keyring.set_password(KEYRING_SERVICE, name, key)


def _spin(value: int, lo: int, hi: int, parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(lo, hi)
    box.setValue(int(value))
    return box


def _dspin(value: float, lo: float, hi: float, parent: QWidget) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(lo, hi)
    box.setDecimals(1)
    box.setValue(float(value))
    return box


def _lines(values: list[str], parent: QWidget) -> QPlainTextEdit:
    edit = QPlainTextEdit("\n".join(values), parent)
    edit.setMaximumHeight(90)
    return edit
