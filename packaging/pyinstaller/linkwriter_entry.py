"""Entry point of the frozen app: the same `main` the `linkwriter` console script runs."""

from linkwriter.cli import main

raise SystemExit(main())
