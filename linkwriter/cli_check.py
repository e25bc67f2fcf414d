"""`linkwriter check` and `linkwriter clean`: thin shells over core.analysis and core.clean."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from linkwriter.core.analysis import analyze
from linkwriter.core.clean import CleanOptions, clean_text
from linkwriter.core.config import Config, load_config
from linkwriter.core.errors import LinkWriterError
from linkwriter.core.model import Severity
from linkwriter.core.offsets import LineIndex
from linkwriter.core.report import FileResult, summary, to_json, to_sarif
from linkwriter.core.textio import read_post, write_atomic

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _config_for(path: Path, args: argparse.Namespace) -> Config:
    explicit = Path(args.config) if getattr(args, "config", None) else None
    return load_config(path, explicit, use_user_config=not os.environ.get("LINKWRITER_NO_USER_CONFIG"))


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    started = time.monotonic()
    results: list[FileResult] = []
    failed = False
    for name in args.files:
        try:
            post_file = read_post(name)
            config = _config_for(post_file.path, args)
            if args.offline:
                config.network.offline = True
            analysis = analyze(post_file.text, config)
        except LinkWriterError as exc:
            print(f"linkwriter: {exc}", file=sys.stderr)
            failed = True
            continue
        results.append(FileResult(path=name, analysis=analysis))

    if args.format == "json":
        json.dump(to_json(results), out, ensure_ascii=False)
        out.write("\n")
    elif args.format == "sarif":
        json.dump(to_sarif(results, _rule_info()), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        _print_text(results, out, time.monotonic() - started)

    if failed:
        return EXIT_USAGE
    errors = summary(results)["errors"]
    return EXIT_FINDINGS if errors else EXIT_OK


def _rule_info() -> dict[str, object]:
    from linkwriter.core.rules import RULES

    return dict(RULES)


def _print_text(results: list[FileResult], out: TextIO, elapsed: float) -> None:
    color = out.isatty() and not os.environ.get("NO_COLOR")
    paint = {
        Severity.ERROR: "\033[31m",
        Severity.WARNING: "\033[33m",
        Severity.INFO: "\033[36m",
    }
    for result in results:
        post = result.analysis.post
        lines = LineIndex(post.text)
        for f in result.analysis.findings:
            line, col = lines.line_col(f.start)
            sev = f.severity.value
            if color:
                sev = f"{paint[f.severity]}{sev}\033[0m"
            print(f"{result.path}:{line}:{col}: {sev}[{f.rule}] {f.message}", file=out)
            if f.link_index is not None:
                link = post.links[f.link_index]
                print(f"    {link.url}", file=out)
            for fix in f.fixes:
                print(f"    fix: {fix.title}", file=out)
    s = summary(results)
    plural = "s" if s["files"] != 1 else ""
    print(
        f"Checked {s['files']} file{plural}, {s['links']} links in {elapsed:.2f} s: "
        f"{s['errors']} errors, {s['warnings']} warnings, {s['infos']} infos",
        file=out,
    )


def run_clean(args: argparse.Namespace) -> int:
    post_file = read_post(args.file)
    config = _config_for(post_file.path, args)
    options = CleanOptions(strip_markers=args.strip_markers)
    cleaned = clean_text(post_file.text, config, options)
    data = post_file.encode(cleaned)
    if args.output and args.output != "-":
        try:
            write_atomic(args.output, data)
        except OSError as exc:
            raise LinkWriterError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK
