from linkwriter.cli import main

raise SystemExit(main())
