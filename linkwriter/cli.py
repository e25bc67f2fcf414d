"""The command line over the core the app uses: `linkwriter check|clean|suggest`, and the app."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from linkwriter import __version__
from linkwriter.core.errors import LinkWriterError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
COMMANDS = ("check", "clean", "suggest")
CLI_ONLY_OPTIONS = ("-h", "--help", "--version")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linkwriter",
        description="Get every link in a Markdown post right: trust, relevance and lead-ins.",
    )
    parser.add_argument("--version", action="version", version=f"linkwriter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check the links of one or more posts")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--offline", action="store_true", help="no network access at all")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--config", metavar="PATH", help="extra config file (merged last)")
    from linkwriter.core.net.cli_flags import add_network_arguments

    add_network_arguments(check)

    clean = sub.add_parser("clean", help="write cleaned Markdown")
    clean.add_argument("file", metavar="FILE")
    clean.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    clean.add_argument("--strip-markers", action="store_true", help="also remove ignore markers")
    clean.add_argument("--offline", action="store_true", help="no network-verified fixes")
    clean.add_argument("--config", metavar="PATH", help="extra config file (merged last)")

    from linkwriter.cli_suggest import add_parser as add_suggest_parser

    add_suggest_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in CLI_ONLY_OPTIONS):
        return gui_main(args_list)  # `linkwriter`, `linkwriter FILE.md`, `--screenshot ...`
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "check":
            from linkwriter.cli_check import run_check

            return run_check(args)
        if args.command == "clean":
            from linkwriter.cli_check import run_clean

            return run_clean(args)
        if args.command == "suggest":
            from linkwriter.cli_suggest import run_suggest

            return run_suggest(args)
    except LinkWriterError as exc:
        print(f"linkwriter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    parser.print_help()
    return EXIT_USAGE


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Open the desktop app (or, until it exists, check the given post)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        from linkwriter.gui.app import run_app
    except ImportError:
        return main(["check", "--offline", *args_list]) if args_list else main(["--help"])
    return run_app(args_list)
