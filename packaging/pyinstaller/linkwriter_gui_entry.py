"""Entry point of the frozen windowed launcher: the `linkwriter-gui` script's `gui_main`."""

from linkwriter.cli import gui_main

raise SystemExit(gui_main())
