"""Entry point of the frozen app: the same `main` the `linkwriter` console script runs."""

import multiprocessing

from linkwriter.cli import main

if __name__ == "__main__":
    # The analysis worker is a spawned process, which a frozen build starts by re-running this
    # executable: freeze_support() turns that run into the worker instead of a second app.
    multiprocessing.freeze_support()
    raise SystemExit(main())
