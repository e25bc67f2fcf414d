from linkwriter.cli import main

if __name__ == "__main__":  # guarded: the analysis worker process may import this module
    raise SystemExit(main())
