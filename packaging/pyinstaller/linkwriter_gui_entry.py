"""Entry point of the frozen windowed launcher: the `linkwriter-gui` script's `gui_main`."""

import multiprocessing

from linkwriter.cli import gui_main

if __name__ == "__main__":
    # See linkwriter_entry.py: a spawned analysis worker re-runs this executable.
    multiprocessing.freeze_support()
    raise SystemExit(gui_main())
