"""Suite-wide safety: headless Qt, and never the writer's real config, data or keyring."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LINKWRITER_NO_USER_CONFIG", "1")
